//! `file:` URIs to paths. The server only needs this direction: every location it reports is in the
//! document it was asked about, whose URI it already has.

use std::path::PathBuf;

use lsp_types::Uri;

/// The local path of a `file:` URI; `None` for other schemes (`untitled:`, `vscode-notebook-cell:`) and for
/// a URI that names another host.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let path = match rest.strip_prefix("localhost") {
        Some(after) if after.starts_with('/') => after,
        _ if rest.starts_with('/') => rest,
        _ => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // Windows drive paths arrive as `/c:/repo`.
    let bytes = decoded.as_bytes();
    if cfg!(windows)
        && bytes.len() >= 3
        && bytes[0] == b'/'
        && bytes[1].is_ascii_alphabetic()
        && bytes[2] == b':'
    {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn path(uri: &str) -> Option<PathBuf> {
        to_path(&Uri::from_str(uri).unwrap())
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(path("file:///repo/Dockerfile"), Some(PathBuf::from("/repo/Dockerfile")));
        assert_eq!(
            path("file://localhost/repo/a%20b/compose.yaml"),
            Some(PathBuf::from("/repo/a b/compose.yaml"))
        );
        assert_eq!(path("file:///repo/%C3%A9t%C3%A9.yaml"), Some(PathBuf::from("/repo/été.yaml")));
    }

    #[test]
    fn other_uris_have_no_path() {
        assert_eq!(path("untitled:Untitled-1"), None);
        assert_eq!(path("file://server/share/Dockerfile"), None);
        assert_eq!(path("file:///bad%ff"), None, "not UTF-8");
    }
}
