use plimsoll_diagnostic::Diagnostic;
use plimsoll_span::{LineCol, LineIndex, TextRange};

/// One file's findings together with its text, which every format needs for lines and columns.
#[derive(Debug)]
pub struct FileFindings<'a> {
    path: String,
    text: &'a str,
    diagnostics: &'a [Diagnostic],
    /// Built once per file: each diagnostic needs several positions.
    index: LineIndex,
}

impl<'a> FileFindings<'a> {
    /// `path` is the path as shown to the user (as given on the command line or found by the walk).
    pub fn new(path: impl Into<String>, text: &'a str, diagnostics: &'a [Diagnostic]) -> FileFindings<'a> {
        FileFindings { path: path.into(), text, diagnostics, index: LineIndex::new(text) }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The diagnostics in the order the linter gave them (see [`FileFindings::sorted`]).
    pub fn diagnostics(&self) -> &'a [Diagnostic] {
        self.diagnostics
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }

    /// The diagnostics in output order: by position, then code (then message, so ties are stable too).
    pub fn sorted(&self) -> Vec<&'a Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        sorted.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        sorted
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.index.line_col(self.text, offset)
    }

    /// The range clamped to the text and widened to character boundaries, so renderers can slice with it
    /// even when a rule produced an offset past the end or inside a character.
    pub(crate) fn clamp(&self, range: TextRange) -> TextRange {
        let len = self.text.len();
        let mut start = (range.start as usize).min(len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = if range.is_empty() { start } else { (range.end as usize).clamp(start, len) };
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        TextRange::from_usize(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_ranges_inside_the_text_and_on_char_boundaries() {
        let file = FileFindings::new("f", "aé", &[]);
        assert_eq!(file.clamp(TextRange::new(2, 2)), TextRange::new(1, 1), "empty stays empty");
        assert_eq!(file.clamp(TextRange::new(2, 3)), TextRange::new(1, 3));
        assert_eq!(file.clamp(TextRange::new(0, 2)), TextRange::new(0, 3));
        assert_eq!(file.clamp(TextRange::new(7, 9)), TextRange::new(3, 3));
    }
}
