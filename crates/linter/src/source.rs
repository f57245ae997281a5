use std::sync::OnceLock;

/// Files larger than this are not linted (a diagnostic says so): no real Dockerfile, manifest or policy
/// comes close, and the bound keeps memory flat on hostile input.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A file's text, ready for the front ends, plus what was wrong with its bytes.
#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub text: String,
    /// Offset of the first invalid UTF-8 sequence (replaced with U+FFFD in `text`).
    pub invalid_utf8_at: Option<u32>,
    /// Set when the file was over [`MAX_FILE_BYTES`]; `text` is then empty.
    pub too_large: Option<u64>,
    /// The YAML (or JSON) tree of `text`, parsed once: a Kubernetes manifest is read by the run-wide
    /// pass that gathers its facts and again when it is linted.
    yaml: OnceLock<plimsoll_yaml::Tree>,
}

impl SourceFile {
    /// The file's text as a YAML stream, or as JSON when it starts with `{` (`kubectl get -o json`), for
    /// exact duplicate-key and syntax reports. Parsed on first use; `text` must not change after.
    pub(crate) fn yaml_tree(&self) -> &plimsoll_yaml::Tree {
        self.yaml.get_or_init(|| {
            let start = self.text.trim_start_matches('\u{feff}').trim_start();
            if start.starts_with('{') {
                plimsoll_yaml::parse_json(&self.text)
            } else {
                plimsoll_yaml::parse_yaml(&self.text)
            }
        })
    }

    pub fn from_text(text: impl Into<String>) -> SourceFile {
        SourceFile { text: text.into(), ..SourceFile::default() }
    }

    /// Decodes bytes as UTF-8, replacing invalid sequences rather than refusing the file.
    pub fn from_bytes(bytes: Vec<u8>) -> SourceFile {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return SourceFile { too_large: Some(bytes.len() as u64), ..SourceFile::default() };
        }
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::from_text(text),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                SourceFile { text, invalid_utf8_at: Some(at as u32), ..SourceFile::default() }
            }
        }
    }

    /// Forgets the parsed tree (it is parsed again when needed), to bound the memory of a run that keeps
    /// many files loaded.
    pub fn forget_parse(&mut self) {
        self.yaml = OnceLock::new();
    }

    /// A file known to be too large, without reading it.
    pub fn too_large(size: u64) -> SourceFile {
        SourceFile { too_large: Some(size), ..SourceFile::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let file = SourceFile::from_bytes(b"FROM a\n\xffRUN x".to_vec());
        assert_eq!(file.invalid_utf8_at, Some(7));
        assert!(file.text.contains('\u{fffd}'));
    }

    #[test]
    fn the_tree_is_parsed_once_until_forgotten() {
        let mut file = SourceFile::from_text("a: 1\n");
        let first: *const plimsoll_yaml::Tree = file.yaml_tree();
        assert!(std::ptr::eq(first, file.yaml_tree()), "cached");
        file.forget_parse();
        assert!(file.yaml.get().is_none());
        assert_eq!(file.yaml_tree().documents.len(), 1, "parsed again");
        assert_eq!(SourceFile::from_text(" {\"a\": 1}").yaml_tree().documents.len(), 1, "JSON");
    }

    #[test]
    fn huge_files_are_refused() {
        let file = SourceFile::from_bytes(vec![b'a'; MAX_FILE_BYTES as usize + 1]);
        assert!(file.too_large.is_some() && file.text.is_empty());
    }
}
