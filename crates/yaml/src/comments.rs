//! YAML comments, which saphyr skips without reporting: suppressions and documentation live in them.

use plimsoll_span::TextRange;

use crate::Comment;
use crate::scan::{line_end, starts_comment};

/// Every comment of `text`: a `#` that starts a line or follows a blank, outside every scalar, up to the end
/// of its line.
///
/// `scalars` are the texts of all scalars the parser reported, in source order and not overlapping (for a
/// block scalar, its content lines without the header, whose own comment is a comment). Before `known_end`
/// every scalar is known. Past it (after a syntax error) a `#` could sit inside a quoted or block scalar
/// nobody reported, so only comments that fill their whole line are taken there.
pub(crate) fn find(text: &str, scalars: &[TextRange], known_end: u32) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut next_scalar = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'#', &bytes[at..]) {
        let hash = at + found;
        let hash32 = hash as u32;
        at = hash + 1;
        if !starts_comment(bytes, hash) {
            continue;
        }
        while next_scalar < scalars.len() && scalars[next_scalar].end <= hash32 {
            next_scalar += 1;
        }
        if scalars.get(next_scalar).is_some_and(|s| s.start <= hash32) {
            // Inside a scalar: resume after it.
            at = at.max(scalars[next_scalar].end as usize);
            continue;
        }
        if hash32 >= known_end && !starts_line(bytes, hash) {
            continue;
        }
        let mut end = line_end(text, hash32) as usize;
        if end > hash && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        comments.push(Comment {
            text: text[hash + 1..end].trim().to_owned(),
            range: TextRange::from_usize(hash, end),
        });
        at = end;
    }
    comments
}

/// Whether only blanks (or a byte order mark) precede `at` on its line. Looks back over the blanks only, so
/// many `#` on one long line stay linear.
fn starts_line(bytes: &[u8], at: usize) -> bool {
    let blanks = bytes[..at].iter().rev().take_while(|&&b| b == b' ' || b == b'\t').count();
    let before = &bytes[..at - blanks];
    before.is_empty() || before.ends_with(b"\n") || before == "\u{feff}".as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, scalars: &[TextRange], known_end: u32) -> Vec<String> {
        find(text, scalars, known_end).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn comments_need_a_blank_before_the_hash() {
        let text = "# top\nurl: http://x/#frag # trailing\nk: v#not\n";
        assert_eq!(texts(text, &[], u32::MAX), ["top", "trailing"]);
    }

    #[test]
    fn scalars_hide_hashes() {
        let text = "a: \"x # y\" # real\r\nb: |\n  # content\n# after\n";
        let quoted = TextRange::new(3, 10);
        let block = TextRange::new(24, 35);
        assert_eq!(&text[block.as_usize()], "  # content");
        let found = find(text, &[quoted, block], u32::MAX);
        assert_eq!(found.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["real", "after"]);
        assert_eq!(found[0].range.slice(text), "# real", "the CR is not part of the comment");
    }

    #[test]
    fn only_whole_line_comments_past_the_known_part() {
        let text = "a: 1 # known\nb: \"x # y\n  # line\n";
        assert_eq!(texts(text, &[], 12), ["known", "line"]);
    }

    #[test]
    fn byte_order_mark_starts_the_line() {
        assert_eq!(texts("\u{feff}# bom", &[], 0), ["bom"]);
    }
}
