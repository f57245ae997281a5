//! Escaping for the XML formats (checkstyle, JUnit). Messages quote linted files, which may hold any
//! character: the markup characters are escaped, and characters XML 1.0 does not allow at all (most C0
//! controls, U+FFFE, U+FFFF) — along with the other controls and the bidi controls [`printable`] shows —
//! are written as visible `\u{…}` escapes, so no input makes the document invalid or misleading.

use std::fmt::Write as _;

use crate::printable;

/// Text for an attribute value (always written in double quotes). Line breaks and tabs are written as
/// character references, which attribute-value normalisation would otherwise turn into spaces.
pub(crate) fn attribute(text: &str) -> String {
    escape(text, true)
}

/// Text for element content.
pub(crate) fn content(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, in_attribute: bool) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\'' if in_attribute => out.push_str("&apos;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            // `printable` keeps these two noncharacters, which XML 1.0's `Char` production excludes.
            '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_controls_and_noncharacters_are_escaped() {
        assert_eq!(
            attribute("a<b & \"c\" 'd'>\n\te"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;&#9;e"
        );
        assert_eq!(content("a<b & \"c\"\n"), "a&lt;b &amp; \"c\"\n");
        assert_eq!(content("x\u{0}\u{1b}\r\u{202e}\u{fffe}y é"), "x\\u{0}\\u{1b}\\u{d}\\u{202e}\\u{fffe}y é");
    }
}
