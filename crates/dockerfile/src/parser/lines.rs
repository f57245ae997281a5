//! Physical lines, logical lines (continuations joined as BuildKit joins them) and the map from a joined
//! text back to byte offsets in the file.

use std::ops::Range;

use plimsoll_span::TextRange;

use crate::ast::Comment;

/// One physical line: `start..end` is its content without the line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
}

/// Splits `text[from..]` into lines at `\n`, `\r\n` and a lone `\r` (old Mac files), so a `\r` is never part
/// of a line's content. A final line without a line ending is a line; an empty text has no lines.
pub(crate) fn split_lines(text: &str, from: usize) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = from.min(bytes.len());
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(Line { start, end: i });
                start = i + 1;
            }
            b'\r' => {
                lines.push(Line { start, end: i });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(Line { start, end: bytes.len() });
    }
    lines
}

/// Length in bytes of the leading whitespace of `s` (Unicode whitespace, as Go's `unicode.IsSpace`).
pub(crate) fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The [`Comment`] of a comment line whose `#` is at `hash` in `text`; the line content ends at `end`.
pub(crate) fn comment(text: &str, hash: usize, end: usize) -> Comment {
    let raw = &text[hash..end];
    let trimmed = raw.trim_end();
    Comment {
        text: trimmed[1..].trim().to_string(),
        range: TextRange::from_usize(hash, hash + trimmed.len()),
    }
}

/// Where the escape character that continues this line sits, if the line continues: it must be the last
/// character apart from spaces and tabs, and not itself escaped (BuildKit's
/// `([^\\])\\[ \t]*$|^\\[ \t]*$`, so `foo\\` does not continue).
pub(crate) fn continuation_at(content: &str, escape: u8) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end == 0 || bytes[end - 1] != escape {
        return None;
    }
    let at = end - 1;
    if at > 0 && bytes[at - 1] == escape {
        return None;
    }
    Some(at)
}

/// A run of joined text copied from the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    joined: usize,
    source: usize,
    len: usize,
}

/// Text assembled from pieces of the file (continuation lines, heredoc bodies) plus synthetic characters
/// (the newlines between heredoc bodies), with a map from every joined offset back to the file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Joined {
    pub text: String,
    segments: Vec<Segment>,
}

impl Joined {
    /// Appends `source[range]`, remembering where it came from.
    pub fn push_source(&mut self, source: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.segments.push(Segment { joined: self.text.len(), source: range.start, len: range.len() });
        self.text.push_str(&source[range]);
    }

    /// Appends text that is not in the file; its offsets map to the end of the previous piece.
    pub fn push_synthetic(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// The part `range` of this text, with its map.
    pub fn slice(&self, range: Range<usize>) -> Joined {
        let mut out = Joined { text: String::with_capacity(range.len()), segments: Vec::new() };
        let first = self.segments.partition_point(|s| s.joined + s.len <= range.start);
        for seg in &self.segments[first..] {
            if seg.joined >= range.end {
                break;
            }
            let from = seg.joined.max(range.start);
            let to = (seg.joined + seg.len).min(range.end);
            out.segments.push(Segment {
                joined: from - range.start,
                source: seg.source + (from - seg.joined),
                len: to - from,
            });
        }
        out.text.push_str(&self.text[range]);
        out
    }

    /// The source offset of a joined offset used as the start of a range: inside a piece it maps into the
    /// piece; at a join it belongs to the following piece; in synthetic text it maps to the end of the
    /// previous piece (where the line ending is in the file).
    fn start_of(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|s| s.joined <= pos);
        if i == 0 {
            return self.segments.first().map_or(0, |s| s.source);
        }
        let seg = self.segments[i - 1];
        seg.source + (pos - seg.joined).min(seg.len)
    }

    /// The source offset of a joined offset used as the (exclusive) end of a range: at a join it belongs
    /// to the preceding piece.
    fn end_of(&self, pos: usize) -> usize {
        let i = self.segments.partition_point(|s| s.joined < pos);
        if i == 0 {
            return self.segments.first().map_or(0, |s| s.source);
        }
        let seg = self.segments[i - 1];
        seg.source + (pos - seg.joined).min(seg.len)
    }

    /// Maps a range of the joined text to the file. A range that spans removed text (a continuation's
    /// escape and line break, a skipped comment line) covers it in the file.
    pub fn to_source(&self, range: Range<usize>) -> TextRange {
        let start = self.start_of(range.start);
        if range.is_empty() {
            return TextRange::from_usize(start, start);
        }
        TextRange::from_usize(start, self.end_of(range.end).max(start))
    }

    /// [`Joined::to_source`] for ranges reported by the shell parser.
    pub fn map_range(&self, range: TextRange) -> TextRange {
        self.to_source(range.as_usize())
    }
}

/// An instruction's lines joined into one logical line.
#[derive(Debug)]
pub(crate) struct Logical {
    pub joined: Joined,
    /// Index of the first line after the instruction (where heredoc bodies start).
    pub next_line: usize,
    /// End of the instruction's last non-blank, non-comment line (trailing whitespace excluded).
    pub end: usize,
    /// The first line is indented: an unknown keyword there is likely a missing continuation.
    pub indented: bool,
}

/// Joins the instruction that starts on line `first` with its continuation lines. Comment lines and
/// blank lines inside a continuation are skipped, as BuildKit does; their comments are collected.
pub(crate) fn logical_line(
    text: &str,
    lines: &[Line],
    first: usize,
    escape: u8,
    comments: &mut Vec<Comment>,
) -> Logical {
    let line = lines[first];
    let lead = leading_ws(&text[line.start..line.end]);
    let start = line.start + lead;
    let mut joined = Joined::default();
    let mut end = text[start..line.end].trim_end().len() + start;
    let mut continues = match continuation_at(&text[start..line.end], escape) {
        Some(at) => {
            joined.push_source(text, start..start + at);
            true
        }
        None => {
            joined.push_source(text, start..line.end);
            false
        }
    };
    let mut next = first + 1;
    while continues && next < lines.len() {
        let line = lines[next];
        next += 1;
        let content = &text[line.start..line.end];
        let lead = leading_ws(content);
        if lead == content.len() {
            continue;
        }
        if content[lead..].starts_with('#') {
            comments.push(comment(text, line.start + lead, line.end));
            continue;
        }
        end = line.start + content.trim_end().len();
        match continuation_at(content, escape) {
            Some(at) => joined.push_source(text, line.start..line.start + at),
            None => {
                joined.push_source(text, line.start..line.end);
                continues = false;
            }
        }
    }
    Logical { joined, next_line: next, end, indented: lead > 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(text: &str) -> (Logical, Vec<Comment>) {
        let lines = split_lines(text, 0);
        let mut comments = Vec::new();
        (logical_line(text, &lines, 0, b'\\', &mut comments), comments)
    }

    #[test]
    fn line_endings() {
        let lines = split_lines("a\r\nb\rc\n\nd", 0);
        let spans: Vec<_> = lines.iter().map(|l| (l.start, l.end)).collect();
        assert_eq!(spans, vec![(0, 1), (3, 4), (5, 6), (7, 7), (8, 9)]);
        assert!(split_lines("", 0).is_empty());
        assert_eq!(split_lines("\u{feff}x", 3), vec![Line { start: 3, end: 4 }]);
    }

    #[test]
    fn continuation_rules() {
        assert_eq!(continuation_at("RUN a \\", b'\\'), Some(6));
        assert_eq!(continuation_at("RUN a \\  \t", b'\\'), Some(6));
        assert_eq!(continuation_at("\\", b'\\'), Some(0));
        assert_eq!(continuation_at("RUN a\\\\", b'\\'), None, "an escaped escape does not continue");
        assert_eq!(continuation_at("RUN a \\ x", b'\\'), None);
        assert_eq!(continuation_at("RUN a `", b'`'), Some(6));
        assert_eq!(continuation_at("RUN a \\", b'`'), None);
    }

    #[test]
    fn joins_and_skips_comments_and_blank_lines() {
        let text = "RUN a \\\n  # note\n\n    b \\\r\n  c\nRUN d";
        let (logical, comments) = join(text);
        assert_eq!(logical.joined.text, "RUN a     b   c");
        assert_eq!(logical.next_line, 5);
        assert_eq!(&text[logical.end - 3..logical.end], "  c");
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0].text, "note");
        assert_eq!(comments[0].range.slice(text), "# note");
    }

    #[test]
    fn source_map_round_trips() {
        let text = "RUN ab\\\n  cd";
        let (logical, _) = join(text);
        let j = &logical.joined;
        assert_eq!(j.text, "RUN ab  cd");
        // "ab  cd" spans the continuation.
        assert_eq!(j.to_source(4..10).slice(text), "ab\\\n  cd");
        // A word ending at the join maps to the end of the first line, one starting there to the next.
        assert_eq!(j.to_source(4..6).slice(text), "ab");
        assert_eq!(j.to_source(6..10).slice(text), "  cd");
        assert_eq!(j.to_source(6..6), TextRange::new(8, 8));
        let sliced = j.slice(4..10);
        assert_eq!(sliced.text, "ab  cd");
        assert_eq!(sliced.to_source(2..6).slice(text), "  cd");
    }

    #[test]
    fn synthetic_text_maps_to_the_previous_piece() {
        let text = "cat <<EOF\nhello\nEOF\n";
        let mut j = Joined::default();
        j.push_source(text, 0..9);
        j.push_synthetic("\n");
        j.push_source(text, 10..15);
        j.push_synthetic("\n");
        j.push_source(text, 16..19);
        assert_eq!(j.text, "cat <<EOF\nhello\nEOF");
        assert_eq!(j.to_source(9..10), TextRange::new(9, 9));
        assert_eq!(j.to_source(10..15).slice(text), "hello");
        assert_eq!(j.to_source(0..j.text.len()).slice(text), "cat <<EOF\nhello\nEOF");
    }

    #[test]
    fn continuation_at_end_of_file_ends_the_instruction() {
        let (logical, _) = join("RUN a \\\n  # only a comment\n");
        assert_eq!(logical.joined.text, "RUN a ");
        assert_eq!(logical.next_line, 2);
    }
}
