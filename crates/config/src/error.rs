//! Configuration errors, printed like plimsoll's other errors: `plimsoll.toml:3:1: unknown key …`.

use std::fmt;

/// A configuration problem: the run stops (exit 2) and lints nothing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConfigError {
    /// The file as shown to people (relative to the working directory when under it).
    pub file: String,
    /// 1-based line and column (in characters), when the problem is at a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl ConfigError {
    pub fn new(file: &str, message: impl Into<String>) -> ConfigError {
        ConfigError { file: file.to_string(), position: None, message: message.into() }
    }

    /// An error at byte `offset` of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_string(),
            position: Some(position(text, offset)),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The 1-based line and character column of byte `offset` (clamped to the text, and to a char boundary).
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[line_start..].chars().count() + 1)
}

pub use plimsoll_diagnostic::closest;

/// `" (did you mean `x`?)"`, or nothing.
pub fn did_you_mean<'a>(typo: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(typo, candidates).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 6), (2, 1));
        assert_eq!(position(text, 10), (2, 4));
        assert_eq!(position(text, 9), (2, 3), "inside `é`: clamped to its start");
        assert_eq!(position(text, 1000), (3, 1));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(closest("selct", ["select", "ignore"]), Some("select"));
        assert_eq!(closest("colour", ["select", "ignore"]), None);
        assert_eq!(did_you_mean("ignor", ["ignore"]), " (did you mean `ignore`?)");
        assert_eq!(did_you_mean("zzz", ["ignore"]), "");
    }

    #[test]
    fn errors_print_like_other_plimsoll_errors() {
        let error = ConfigError::at("plimsoll.toml", "x = 1\nselct = []\n", 6, "unknown key `selct`");
        assert_eq!(error.to_string(), "plimsoll.toml:2:1: unknown key `selct`");
        assert_eq!(ConfigError::new("a.toml", "cycle").to_string(), "a.toml: cycle");
    }
}
