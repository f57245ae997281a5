use crate::TextRange;

/// A 1-based line and a 1-based column counted in the unit the caller asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// What a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Byte,
    /// UTF-16 code units: the LSP's default position encoding.
    Utf16,
    /// Unicode scalar values: what people count.
    Char,
}

impl Unit {
    pub fn width(self, c: char) -> u32 {
        match self {
            Unit::Byte => c.len_utf8() as u32,
            Unit::Utf16 => c.len_utf16() as u32,
            Unit::Char => 1,
        }
    }

    fn width_of(self, text: &str) -> usize {
        match self {
            Unit::Byte => text.len(),
            Unit::Utf16 => text.chars().map(char::len_utf16).sum(),
            Unit::Char => text.chars().count(),
        }
    }
}

/// Maps byte offsets of one text to lines and columns.
///
/// Lines end at `\n`; a `\r` before it belongs to the line ending, so CRLF files get the same columns as LF
/// files. Building the index is one pass over the bytes; each lookup is a binary search plus a scan of one
/// line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { line_starts, len: u32::try_from(text.len()).unwrap_or(u32::MAX) }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number containing `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: u32) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of a 0-based line, without its line ending.
    pub fn line_range(&self, line: usize, text: &str) -> TextRange {
        let start = self.line_starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.line_starts.get(line + 1).map_or(self.len, |next| next - 1);
        if end > start && text.as_bytes().get(end as usize - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end.max(start))
    }

    /// Byte offset at which a 0-based line starts.
    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// 1-based line and 1-based column counted in Unicode scalar values (what editors show to people).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        self.line_col_in(text, offset, Unit::Char)
    }

    /// 1-based line and 1-based column counted in `unit` (the LSP's negotiated position encoding).
    pub fn line_col_in(&self, text: &str, offset: u32, unit: Unit) -> LineCol {
        self.position(text, offset, |s| unit.width_of(s))
    }

    /// The byte offset of a 0-based line and a 0-based column counted in `unit`, clamped to the line (a
    /// line past the end is the end of the text) and never inside a character (LSP positions).
    pub fn offset_in(&self, text: &str, line: u32, column: u32, unit: Unit) -> u32 {
        let range = self.line_range(line as usize, text);
        let mut units = 0u32;
        for (i, c) in range.slice(text).char_indices() {
            if units >= column {
                return range.start + i as u32;
            }
            units += unit.width(c);
        }
        range.end
    }

    fn position(&self, text: &str, offset: u32, width: impl Fn(&str) -> usize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = text.get(start..end).unwrap_or("");
        LineCol { line: line as u32 + 1, column: width(before) as u32 + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "FROM a\r\nRUN é x\nUSER 1";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        let x = text.find('x').unwrap() as u32;
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 7 });
        assert_eq!(index.line_col_in(text, x, Unit::Utf16), LineCol { line: 2, column: 7 });
        assert_eq!(index.line_range(0, text).slice(text), "FROM a");
        assert_eq!(index.line_col(text, 999), LineCol { line: 3, column: 7 });
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let text = "a😀b";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap() as u32;
        assert_eq!(index.line_col(text, b).column, 3);
        assert_eq!(index.line_col_in(text, b, Unit::Utf16).column, 4);
        assert_eq!(index.line_col_in(text, b, Unit::Byte).column, 6);
        assert_eq!(index.offset_in(text, 0, 3, Unit::Utf16), b);
        assert_eq!(index.offset_in(text, 0, 5, Unit::Byte), b);
        assert_eq!(index.offset_in(text, 9, 0, Unit::Utf16), text.len() as u32, "a line past the end");
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 1).column, 1);
    }
}
