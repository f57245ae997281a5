//! Keeping linted text from driving the terminal. Files under review are untrusted: an escape sequence in a
//! Dockerfile (or in a file name) must not reach the terminal when a message or snippet quotes it, and
//! bidirectional overrides must not reorder what the reader sees ("Trojan Source").

use std::borrow::Cow;

/// Characters a terminal may act on rather than print: C0 and C1 controls and DEL.
fn is_control(c: char) -> bool {
    c.is_control()
}

/// Unicode bidirectional embedding, override and isolate controls.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A message, label, help text or path made safe to print: controls other than newline and tab, and bidi
/// controls, are written as `\u{…}` escapes.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| (is_control(c) && c != '\n' && c != '\t') || is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text for a snippet, made safe to print while keeping every byte offset and every character
/// column: each unsafe character becomes a visible one of the same UTF-8 length. Line endings (`\n`,
/// `\r\n`) and tabs stay; a lone `\r` would return the cursor and hide the start of its line, so it goes too.
pub(crate) fn printable_source(text: &str) -> Cow<'_, str> {
    let keeps = |c: char, next: Option<char>| match c {
        '\n' | '\t' => true,
        '\r' => next == Some('\n'),
        c => !is_control(c) && !is_bidi_control(c),
    };
    let mut chars = text.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        clean &= keeps(c, chars.peek().copied());
    }
    if clean {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if keeps(c, chars.peek().copied()) {
            out.push(c);
            continue;
        }
        out.push(match c.len_utf8() {
            1 => '?',
            // C1 controls are two bytes: `¿` is two bytes as well.
            2 => '¿',
            // Bidi controls are three bytes, like U+FFFD.
            _ => '\u{fffd}',
        });
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_escape_controls() {
        assert_eq!(printable("plain é 😀\ttab\nline"), "plain é 😀\ttab\nline");
        assert_eq!(printable("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(printable("x\u{202e}y\u{9b}z\r"), "x\\u{202e}y\\u{9b}z\\u{d}");
    }

    #[test]
    fn sources_keep_offsets_and_columns() {
        let text = "FROM a\r\nRUN \u{1b}[2J\u{9b}\u{202e}x\ry\u{7f}\n";
        let safe = printable_source(text);
        assert_eq!(safe, "FROM a\r\nRUN ?[2J¿\u{fffd}x?y?\n");
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe.chars().count(), text.chars().count());
        assert!(matches!(printable_source("FROM a\r\n\tb"), Cow::Borrowed(_)));
    }
}
