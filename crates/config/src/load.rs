//! Reading a configuration file and the files it `extend`s, base first.

use std::fs;
use std::path::{Path, PathBuf};

use plimsoll_diagnostic::RuleMeta;

use crate::error::ConfigError;
use crate::layer::Layer;
use crate::parse::parse;
pub use plimsoll_linter::absolute_path as absolute;

/// How many files an `extend` chain may hold; deeper chains are almost surely a mistake and bounding them
/// bounds the work.
pub const MAX_EXTEND_DEPTH: usize = 16;

/// Configuration files are small; a larger one is not a configuration file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The layers of `path` and every file it extends, base first.
pub fn load_chain(path: &Path, rules: &[&'static RuleMeta]) -> Result<Vec<Layer>, ConfigError> {
    let mut layers = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut next = absolute(path);
    loop {
        let shown = shown(&next);
        let identity = fs::canonicalize(&next).unwrap_or_else(|_| next.clone());
        if seen.contains(&identity) {
            let chain: Vec<String> = seen.iter().chain([&identity]).map(|p| crate::shown(p)).collect();
            return Err(ConfigError::new(&shown, format!("`extend` cycle: {}", chain.join(" -> "))));
        }
        if seen.len() == MAX_EXTEND_DEPTH {
            return Err(ConfigError::new(
                &shown,
                format!("`extend` chain longer than {MAX_EXTEND_DEPTH} files"),
            ));
        }
        seen.push(identity);
        let text = read(&next, &shown)?;
        let dir = next.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        let layer = parse(&text, &shown, dir.clone(), rules)?;
        let extend = layer.get("extend").and_then(|v| v.items().first()).cloned();
        layers.push(layer);
        let Some(extend) = extend else { break };
        let target = absolute(&dir.join(&extend.text));
        if !target.is_file() {
            let offset = line_offset(&text, extend.line);
            return Err(ConfigError::at(
                &shown,
                &text,
                offset,
                format!("`extend`: cannot read `{}`: no such file", extend.text),
            ));
        }
        next = target;
    }
    layers.reverse();
    Ok(layers)
}

/// A configuration file's text, bounded in size and required to be UTF-8.
pub(crate) fn read(path: &Path, shown: &str) -> Result<String, ConfigError> {
    let size = fs::metadata(path).map_err(|err| ConfigError::new(shown, io_message(&err)))?.len();
    if size > MAX_CONFIG_BYTES {
        return Err(ConfigError::new(
            shown,
            format!("larger than {MAX_CONFIG_BYTES} bytes; not a configuration file"),
        ));
    }
    let bytes = fs::read(path).map_err(|err| ConfigError::new(shown, io_message(&err)))?;
    String::from_utf8(bytes).map_err(|_| ConfigError::new(shown, "not UTF-8 text"))
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum()
}

fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// A path as people read it in messages: relative to the working directory when under it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    match path.strip_prefix(&cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TempTree, rules};

    #[test]
    fn extend_chains_load_base_first() {
        let tree = TempTree::new(&[
            ("base.toml", "select = [\"ISO\"]\n"),
            ("team/plimsoll.toml", "extend = \"../base.toml\"\nignore = [\"ISO001\"]\n"),
        ]);
        let layers = load_chain(&tree.path("team/plimsoll.toml"), &rules()).unwrap();
        assert_eq!(layers.len(), 2);
        assert!(layers[0].get("select").is_some() && layers[1].get("ignore").is_some());
        assert_eq!(layers[0].dir, tree.path(""));
    }

    #[test]
    fn cycles_depth_and_missing_files_are_errors() {
        let tree = TempTree::new(&[
            ("a.toml", "extend = \"b.toml\"\n"),
            ("b.toml", "extend = \"./a.toml\"\n"),
            ("c.toml", "select = []\nextend = \"missing.toml\"\n"),
            ("self.toml", "extend = \"self.toml\"\n"),
        ]);
        let err = load_chain(&tree.path("a.toml"), &rules()).unwrap_err();
        assert!(err.message.starts_with("`extend` cycle: ") && err.message.ends_with("a.toml"), "{err}");
        assert!(load_chain(&tree.path("self.toml"), &rules()).unwrap_err().message.contains("cycle"));
        let err = load_chain(&tree.path("c.toml"), &rules()).unwrap_err();
        assert_eq!(err.position, Some((2, 1)));
        assert_eq!(err.message, "`extend`: cannot read `missing.toml`: no such file");

        let files: Vec<(String, String)> = (0..=MAX_EXTEND_DEPTH)
            .map(|i| (format!("{i}.toml"), format!("extend = \"{}.toml\"\n", i + 1)))
            .collect();
        let mut files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let last = format!("{}.toml", MAX_EXTEND_DEPTH + 1);
        files.push((&last, ""));
        let deep = TempTree::new(&files);
        assert!(load_chain(&deep.path("0.toml"), &rules()).unwrap_err().message.contains("longer than"));
    }
}
