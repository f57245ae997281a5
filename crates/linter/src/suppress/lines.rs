//! The line-based part of resolving a pragma: which line of content a comment is about.

use plimsoll_span::{LineIndex, TextRange};

/// The first line of content a comment is about: its own line when it follows content there
/// (`privileged: true  # plimsoll: ignore[…]`), else the next line that is neither blank nor a comment.
/// Returns that line's range from its first non-blank character.
pub(super) fn target_line(text: &str, index: &LineIndex, comment: TextRange) -> Option<TextRange> {
    let own_line = index.line_of(comment.start);
    let before = TextRange::new(index.line_start(own_line), comment.start).slice(text);
    let first_line = if before.trim().is_empty() { own_line + 1 } else { own_line };
    for line in first_line..index.line_count() {
        let range = index.line_range(line, text);
        let content = range.slice(text).trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let start = range.end - content.len() as u32;
        return Some(TextRange::new(start, range.end.max(start + 1)));
    }
    None
}

/// The largest statement (`units`: Dockerfile instructions, YAML entries and items, YAML documents) that
/// starts where the comment's target line does, or that line alone when it continues a statement.
pub(super) fn next_statement(
    text: &str,
    index: &LineIndex,
    comment: TextRange,
    units: &[TextRange],
) -> Option<TextRange> {
    let line = target_line(text, index, comment)?;
    let unit = units.iter().filter(|u| u.start == line.start).max_by_key(|u| u.len());
    Some(unit.copied().unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_line_targets_the_instruction_or_the_continuation_line() {
        let text = "# plimsoll: ignore[X]\nRUN a \\\n  # plimsoll: ignore[Y]\n  b\nRUN c\n";
        let run1 = TextRange::new(22, text.find("\nRUN c").unwrap() as u32);
        let run2 = TextRange::new(text.find("RUN c").unwrap() as u32, text.len() as u32 - 1);
        let index = LineIndex::new(text);
        let first = next_statement(text, &index, TextRange::new(0, 21), &[run1, run2]).unwrap();
        assert_eq!(first, run1);
        let inner_comment = text.find("# plimsoll: ignore[Y]").unwrap() as u32;
        let second =
            next_statement(text, &index, TextRange::new(inner_comment, inner_comment + 5), &[run1, run2])
                .unwrap();
        assert_eq!(second.slice(text), "b");
    }

    #[test]
    fn a_trailing_comment_targets_its_own_line_and_a_last_comment_nothing() {
        let text = "a: 1  # x\n# y\n";
        let index = LineIndex::new(text);
        let trailing = target_line(text, &index, TextRange::new(6, 9)).unwrap();
        assert_eq!(trailing.slice(text), "a: 1  # x");
        assert_eq!(target_line(text, &index, TextRange::new(10, 13)), None);
    }
}
