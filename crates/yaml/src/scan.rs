//! Small scans of the source text for the positions saphyr's events do not give: where a node's properties
//! end, where a block scalar's `|`/`>` and a block sequence's first `-` are, where a block scalar's text
//! really ends. Every scan is bounded by positions the events do give, so it reads each byte at most a
//! constant number of times.

use plimsoll_span::TextRange;

/// The properties (`&anchor`, `!tag`) at the start of a node.
pub(crate) struct Properties {
    /// The tag as written, `!` included.
    pub(crate) tag: Option<TextRange>,
    /// Just past the last property.
    pub(crate) end: u32,
}

/// Reads up to two properties starting at `from` (where saphyr's span of a node with properties starts),
/// never past `limit`. Properties may be separated by spaces, line breaks and comments.
pub(crate) fn properties(text: &str, from: u32, limit: u32) -> Properties {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let mut at = from as usize;
    let mut tag = None;
    let mut end = from;
    for _ in 0..2 {
        at = skip_separation(bytes, at, limit);
        match bytes.get(at) {
            Some(b'&') if at < limit => {
                at = property_end(bytes, at, limit, false);
                end = at as u32;
            }
            Some(b'!') if at < limit => {
                let verbatim = bytes.get(at + 1) == Some(&b'<');
                let stop = property_end(bytes, at, limit, verbatim);
                tag = Some(TextRange::new(at as u32, stop as u32));
                at = stop;
                end = at as u32;
            }
            _ => break,
        }
    }
    Properties { tag, end }
}

/// The end of an anchor, alias or tag token that starts at `start`: the first blank or flow indicator (a
/// verbatim tag `!<…>` ends at `>`).
pub(crate) fn property_end(bytes: &[u8], start: usize, limit: usize, verbatim: bool) -> usize {
    let mut at = start + 1;
    if verbatim {
        while at < limit && bytes[at] != b'>' {
            at += 1;
        }
        return (at + 1).min(limit);
    }
    while at < limit && !matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
    {
        at += 1;
    }
    at
}

/// Skips blanks, line breaks and comments.
pub(crate) fn skip_separation(bytes: &[u8], mut at: usize, limit: usize) -> usize {
    while at < limit {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' if starts_comment(bytes, at) => at = line_end_usize(bytes, at),
            _ => break,
        }
    }
    at
}

/// Whether a `#` at `at` starts a comment: it must begin the text or follow a blank or line break (a
/// byte order mark at the start counts as nothing).
pub(crate) fn starts_comment(bytes: &[u8], at: usize) -> bool {
    at == 0
        || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r')
        || (at == 3 && bytes.starts_with("\u{feff}".as_bytes()))
}

/// The first block scalar indicator (`|` or `>`) in `from..limit` outside comments.
pub(crate) fn block_indicator(text: &str, from: u32, limit: u32) -> Option<u32> {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let mut at = from as usize;
    while at < limit {
        match bytes[at] {
            b'|' | b'>' => return Some(at as u32),
            b'#' if starts_comment(bytes, at) => at = line_end_usize(bytes, at),
            _ => at += 1,
        }
    }
    None
}

/// The end of a block scalar header's indicators (`|`, then chomping and indentation indicators).
pub(crate) fn block_header_end(text: &str, indicator: u32) -> u32 {
    let bytes = text.as_bytes();
    let mut at = indicator as usize + 1;
    while at < bytes.len() && at <= indicator as usize + 2 && matches!(bytes[at], b'0'..=b'9' | b'+' | b'-') {
        at += 1;
    }
    at as u32
}

/// The first `-` block sequence indicator in `from..=limit` outside comments: a `-` between blanks.
pub(crate) fn sequence_dash(text: &str, from: u32, limit: u32) -> Option<u32> {
    let bytes = text.as_bytes();
    let limit = (limit as usize + 1).min(bytes.len());
    let mut at = from as usize;
    while at < limit {
        match bytes[at] {
            b'-' if is_dash(bytes, at) => return Some(at as u32),
            b'#' if starts_comment(bytes, at) => at = line_end_usize(bytes, at),
            _ => at += 1,
        }
    }
    None
}

fn is_dash(bytes: &[u8], at: usize) -> bool {
    let before = at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r' | 0xbf);
    let after = bytes.get(at + 1).is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    before && after
}

/// The end of a quoted scalar starting at `start` (its opening quote), at most `limit`. saphyr's span of a
/// quoted scalar runs on over the blanks and comment that follow it, so the closing quote is found here:
/// backslash escapes in double quotes, `''` in single quotes.
pub(crate) fn quoted_end(text: &str, start: u32, limit: u32) -> u32 {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let Some(&quote) = bytes.get(start as usize) else { return limit as u32 };
    let mut at = start as usize + 1;
    while at < limit {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            byte if byte == quote => return at as u32 + 1,
            _ => at += 1,
        }
    }
    limit as u32
}

/// Where an empty node reported at `at` really is. saphyr reports an empty `-` item past the blanks and
/// comment that follow the dash; this moves back before a comment that starts on the same line (after
/// `floor`, the end of the last token) and the blanks before it.
pub(crate) fn before_comment(text: &str, floor: u32, at: u32) -> u32 {
    let bytes = text.as_bytes();
    let at = (at as usize).min(bytes.len());
    let floor = (floor as usize).min(at);
    // Never look back past `floor`: a long line of empty flow values stays linear.
    let line_start = bytes[floor..at].iter().rposition(|&b| b == b'\n').map_or(floor, |i| floor + i + 1);
    let Some(mut end) = (line_start..at).find(|&i| bytes[i] == b'#' && starts_comment(bytes, i)) else {
        return at as u32;
    };
    while end > line_start && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end as u32
}

/// The flow collection's closing bracket at or after `from`. saphyr reports a mapping's end at the
/// trailing comma when there is one (`{a: 1, }`), so commas, blanks and comments are skipped first.
pub(crate) fn closing_bracket(text: &str, from: u32) -> Option<u32> {
    let bytes = text.as_bytes();
    let mut at = from as usize;
    loop {
        at = skip_separation(bytes, at, bytes.len());
        match bytes.get(at)? {
            b',' => at += 1,
            b']' | b'}' => return Some(at as u32),
            _ => return None,
        }
    }
}

/// `end` moved back over trailing blanks and line breaks, but not before `floor`.
pub(crate) fn trim_end(text: &str, floor: u32, end: u32) -> u32 {
    let bytes = text.as_bytes();
    let mut at = (end as usize).min(bytes.len());
    while at > floor as usize && matches!(bytes[at - 1], b' ' | b'\t' | b'\r' | b'\n') {
        at -= 1;
    }
    at as u32
}

/// The offset of the line break (or text end) that ends the line containing `at`.
pub(crate) fn line_end(text: &str, at: u32) -> u32 {
    line_end_usize(text.as_bytes(), at as usize) as u32
}

fn line_end_usize(bytes: &[u8], at: usize) -> usize {
    bytes[at.min(bytes.len())..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| at + i)
}

/// A range for a problem at `at`: the character there, or nothing at a line break or the end.
pub(crate) fn char_at(text: &str, at: u32) -> TextRange {
    let start = (at as usize).min(text.len());
    match text.get(start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => TextRange::from_usize(start, start + c.len_utf8()),
        _ => TextRange::from_usize(start, start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_in_either_order() {
        let text = "a: &x !!map\n  k: v";
        let props = properties(text, 3, text.len() as u32);
        assert_eq!(props.tag.map(|r| r.slice(text)), Some("!!map"));
        assert_eq!(props.end, 11);
        let text = "[!<tag:a,b> &y c]";
        let props = properties(text, 1, 15);
        assert_eq!(props.tag.map(|r| r.slice(text)), Some("!<tag:a,b>"));
        assert_eq!(&text[props.end as usize..], " c]");
        let text = "!t, x";
        assert_eq!(properties(text, 0, 5).end, 2, "a flow indicator ends the tag");
    }

    #[test]
    fn block_indicators_skip_comments() {
        let text = "k: # a | b\n  |-  # c\n  x";
        let at = block_indicator(text, 1, text.len() as u32).unwrap();
        assert_eq!(&text[at as usize..block_header_end(text, at) as usize], "|-");
        assert_eq!(block_indicator("a|b: x", 0, 6), Some(1), "callers start past the key");
    }

    #[test]
    fn dashes_need_blanks_around_them() {
        let text = "k: -1\n- x";
        assert_eq!(sequence_dash(text, 1, text.len() as u32), Some(6));
        let text = "-  # - c\n  x";
        assert_eq!(sequence_dash(text, 0, 9), Some(0));
        assert_eq!(sequence_dash("a:\n  # -\n  - b", 1, 11), Some(11));
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let text = "a: \"x \\\" y\" # c";
        assert_eq!(&text[..quoted_end(text, 3, text.len() as u32) as usize], "a: \"x \\\" y\"");
        let text = "'it''s' # c";
        assert_eq!(quoted_end(text, 0, text.len() as u32), 7);
        assert_eq!(quoted_end("'open", 0, 5), 5);
    }

    #[test]
    fn empty_items_sit_before_their_comment() {
        let text = "- a\n-   # c\n";
        assert_eq!(before_comment(text, 3, text.len() as u32 - 1), 5);
        assert_eq!(before_comment("-  ", 1, 3), 3, "no comment: saphyr's position stands");
    }

    #[test]
    fn closing_brackets_after_trailing_commas() {
        assert_eq!(closing_bracket("{a: 1, # c\n }", 5), Some(12));
        assert_eq!(closing_bracket("] x", 0), Some(0));
        assert_eq!(closing_bracket(", x", 0), None);
    }

    #[test]
    fn trims_and_lines() {
        assert_eq!(trim_end("x\n  \n", 0, 5), 1);
        assert_eq!(trim_end("  ", 1, 2), 1);
        assert_eq!(line_end("ab\ncd", 1), 2);
        assert_eq!(line_end("ab", 1), 2);
        assert_eq!(char_at("aé", 1), TextRange::new(1, 3));
        assert_eq!(char_at("a\n", 1), TextRange::new(1, 1));
        assert_eq!(char_at("a", 5), TextRange::new(1, 1));
    }
}
