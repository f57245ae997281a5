//! The line-based part of resolving a pragma: which line of content a comment is about, and the largest
//! statement that starts there. Both stay linear on hostile input (thousands of stacked comments, tens
//! of thousands of statements).

use std::cell::Cell;

use plimsoll_span::{LineIndex, TextRange};

pub(super) struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
    /// The last search: from which line it started and what it found. Comments come in source order, so
    /// a run of stacked comments is scanned once, not once per comment.
    memo: Cell<Option<(usize, Option<TextRange>)>>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        Lines { text, index: LineIndex::new(text), memo: Cell::new(None) }
    }

    /// The first line of content a comment is about: its own line when it follows content there
    /// (`privileged: true  # plimsoll: ignore[…]`), else the next line that is neither blank nor a
    /// comment. Returns that line's range from its first non-blank character.
    pub(super) fn target_line(&self, comment: TextRange) -> Option<TextRange> {
        let (text, index) = (self.text, &self.index);
        let own_line = index.line_of(comment.start);
        let before = TextRange::new(index.line_start(own_line), comment.start).slice(text);
        let first_line = if before.trim().is_empty() { own_line + 1 } else { own_line };
        if let Some((from, found)) = self.memo.get() {
            let found_line = found.map_or(usize::MAX, |f| index.line_of(f.start));
            if from <= first_line && first_line <= found_line {
                return found;
            }
        }
        let found = (first_line..index.line_count()).find_map(|line| {
            let range = index.line_range(line, text);
            let content = range.slice(text).trim_start();
            if content.is_empty() || content.starts_with('#') {
                return None;
            }
            let start = range.end - content.len() as u32;
            Some(TextRange::new(start, range.end.max(start + 1)))
        });
        self.memo.set(Some((first_line, found)));
        found
    }
}

/// Statements (Dockerfile instructions, YAML entries and items, YAML documents), sorted so that the
/// largest one starting at an offset is found by binary search.
pub(super) struct Units(Vec<TextRange>);

impl Units {
    pub(super) fn new(mut units: Vec<TextRange>) -> Units {
        units.sort_unstable_by_key(|u| (u.start, std::cmp::Reverse(u.end)));
        Units(units)
    }

    /// The largest statement that starts where the comment's target line does, or that line alone when
    /// it continues a statement.
    pub(super) fn next_statement(&self, lines: &Lines, comment: TextRange) -> Option<TextRange> {
        let line = lines.target_line(comment)?;
        let at = self.0.partition_point(|u| u.start < line.start);
        Some(self.0.get(at).filter(|u| u.start == line.start).copied().unwrap_or(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_line_targets_the_instruction_or_the_continuation_line() {
        let text = "# plimsoll: ignore[X]\nRUN a \\\n  # plimsoll: ignore[Y]\n  b\nRUN c\n";
        let run1 = TextRange::new(22, text.find("\nRUN c").unwrap() as u32);
        let run2 = TextRange::new(text.find("RUN c").unwrap() as u32, text.len() as u32 - 1);
        let units = Units::new(vec![run2, run1]);
        let lines = Lines::new(text);
        assert_eq!(units.next_statement(&lines, TextRange::new(0, 21)), Some(run1));
        let inner = text.find("# plimsoll: ignore[Y]").unwrap() as u32;
        let second = units.next_statement(&lines, TextRange::new(inner, inner + 5)).unwrap();
        assert_eq!(second.slice(text), "b");
    }

    #[test]
    fn a_trailing_comment_targets_its_own_line_and_a_last_comment_nothing() {
        let text = "a: 1  # x\n# y\n";
        let lines = Lines::new(text);
        assert_eq!(lines.target_line(TextRange::new(6, 9)).unwrap().slice(text), "a: 1  # x");
        assert_eq!(lines.target_line(TextRange::new(10, 13)), None);
    }

    #[test]
    fn stacked_comments_share_their_target() {
        let text = "# a\n# b\n\n# c\nkey: 1\n# d\nother: 2\n";
        let lines = Lines::new(text);
        let at = |needle: &str| {
            let start = text.find(needle).unwrap() as u32;
            lines.target_line(TextRange::new(start, start + 3)).map(|r| r.slice(text))
        };
        assert_eq!(
            [at("# a"), at("# b"), at("# c"), at("# d")],
            [Some("key: 1"), Some("key: 1"), Some("key: 1"), Some("other: 2")]
        );
    }
}
