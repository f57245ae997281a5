//! Docker's word syntax: splitting arguments into words, quote and escape removal, and `--flag` words.

use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

/// Splits `text[range]` into words as BuildKit's `parseWords` does: whitespace separates words except
/// inside `'…'` and `"…"`, and the escape character protects the character after it (not inside `'…'`).
/// Returns the raw ranges, quotes and escapes included.
pub(crate) fn split_words(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    let mut chars = text[range.clone()].char_indices();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == escape && q != '\'' {
                chars.next();
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(range.start + s..range.start + i);
            }
            continue;
        }
        start.get_or_insert(i);
        if c == '\'' || c == '"' {
            quote = Some(c);
        } else if c == escape {
            chars.next();
        }
    }
    if let Some(s) = start {
        let word = range.start + s..range.end;
        // BuildKit drops a lone escape character at the very end of the arguments.
        if text[word.clone()].chars().ne([escape]) {
            words.push(word);
        }
    }
    words
}

/// A word after quote and escape removal.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unquoted {
    pub text: String,
    /// Offset (in the raw word) and character of a quote that is never closed.
    pub unterminated: Option<(usize, char)>,
}

/// Removes quotes and escapes the way BuildKit's shell lexer does when it expands an argument, but keeps
/// variables as written. A `$` that the build would not expand (escaped, or inside `'…'`) is written as
/// the escape character followed by `$`, which is how [`crate::expand`] reads a literal dollar; `${…}` is
/// copied verbatim, quotes inside it included.
pub(crate) fn unquote(raw: &str, escape: char) -> Unquoted {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            let mut closed = false;
            for (_, ch) in chars.by_ref() {
                if ch == '\'' {
                    closed = true;
                    break;
                }
                if ch == '$' {
                    out.push(escape);
                }
                out.push(ch);
            }
            if !closed {
                return Unquoted { text: out, unterminated: Some((i, '\'')) };
            }
        } else if c == '"' {
            let mut closed = false;
            while let Some((j, ch)) = chars.next() {
                if ch == '"' {
                    closed = true;
                    break;
                }
                if ch == escape {
                    // Inside double quotes only `"`, `$` and the escape character itself can be escaped;
                    // any other escape character stays (`"C:\path"`).
                    match chars.peek().map(|&(_, next)| next) {
                        None => {}
                        Some('$') => {
                            chars.next();
                            out.push(escape);
                            out.push('$');
                        }
                        Some(next) if next == '"' || next == escape => {
                            chars.next();
                            out.push(next);
                        }
                        Some(_) => out.push(ch),
                    }
                } else if ch == '$' {
                    copy_expansion(raw, j, &mut chars, &mut out);
                } else {
                    out.push(ch);
                }
            }
            if !closed {
                return Unquoted { text: out, unterminated: Some((i, '"')) };
            }
        } else if c == escape {
            match chars.next() {
                None => {}
                Some((_, '$')) => {
                    out.push(escape);
                    out.push('$');
                }
                Some((_, next)) => out.push(next),
            }
        } else if c == '$' {
            copy_expansion(raw, i, &mut chars, &mut out);
        } else {
            out.push(c);
        }
    }
    Unquoted { text: out, unterminated: None }
}

/// Copies the expansion that starts with the `$` at `at`: `${…}` up to its matching `}` (or the end of the
/// word), otherwise just the `$` (a following name is copied as ordinary characters).
fn copy_expansion(raw: &str, at: usize, chars: &mut Peekable<CharIndices>, out: &mut String) {
    if !raw[at + 1..].starts_with('{') {
        out.push('$');
        return;
    }
    let mut depth = 0usize;
    let mut end = raw.len();
    for (k, ch) in raw[at + 1..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = at + 1 + k + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    out.push_str(&raw[at..end]);
    while chars.peek().is_some_and(|&(k, _)| k < end) {
        chars.next();
    }
}

/// A `--name[=value]` word before an instruction's arguments.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RawFlag {
    pub range: Range<usize>,
    /// The word after quote and `\` removal, dashes included.
    pub text: String,
    /// The first `=`: its index in `text` and the offset just after it in the joined text.
    pub eq: Option<(usize, usize)>,
}

/// Reads the flag words at the start of `text[range]` as BuildKit's `extractBuilderFlags` does: words that
/// start with `--`, quotes removed, `\` (always backslash, whatever the escape directive) protecting the
/// next character. A bare `--` ends the flags and is dropped. Returns the flags and where the arguments
/// start.
pub(crate) fn split_flags(text: &str, range: Range<usize>) -> (Vec<RawFlag>, usize) {
    let mut flags = Vec::new();
    let mut pos = range.start;
    loop {
        pos += crate::parser::lines::leading_ws(&text[pos..range.end]);
        if pos >= range.end || !text[pos..range.end].starts_with("--") {
            return (flags, pos);
        }
        let start = pos;
        let mut word = String::new();
        let mut eq = None;
        let mut quote = None;
        let mut chars = text[start..range.end].char_indices();
        let mut end = range.end;
        while let Some((i, c)) = chars.next() {
            let mut ch = c;
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                    continue;
                }
            } else if c.is_whitespace() {
                end = start + i;
                break;
            } else if c == '\'' || c == '"' {
                quote = Some(c);
                continue;
            }
            let mut at = i;
            if c == '\\' {
                match chars.next() {
                    Some((j, next)) => (at, ch) = (j, next),
                    None => continue,
                }
            }
            if ch == '=' && eq.is_none() {
                eq = Some((word.len(), start + at + 1));
            }
            word.push(ch);
        }
        if word == "--" {
            return (flags, end);
        }
        flags.push(RawFlag { range: start..end, text: word, eq });
        pos = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, escape: char) -> Vec<&str> {
        split_words(text, 0..text.len(), escape).into_iter().map(|r| &text[r]).collect()
    }

    fn text(raw: &str) -> String {
        unquote(raw, '\\').text
    }

    #[test]
    fn splits_on_whitespace_outside_quotes() {
        assert_eq!(words(r#"a=1  b="x y" c='p q'"#, '\\'), vec!["a=1", r#"b="x y""#, "c='p q'"]);
        assert_eq!(words(r"a\ b c", '\\'), vec![r"a\ b", "c"]);
        assert_eq!(words("a` b c", '`'), vec!["a` b", "c"]);
        assert_eq!(words(r#"x="a \" b" y"#, '\\'), vec![r#"x="a \" b""#, "y"]);
        assert_eq!(words("\t x \u{a0}y ", '\\'), vec!["x", "y"]);
        assert_eq!(words(r"a \", '\\'), vec!["a"]);
        assert!(words("", '\\').is_empty());
    }

    #[test]
    fn removes_quotes_and_escapes() {
        assert_eq!(text(r#""a b""#), "a b");
        assert_eq!(text("'a b'"), "a b");
        assert_eq!(text(r"a\ b"), "a b");
        assert_eq!(text(r#"\"q\""#), r#""q""#);
        assert_eq!(text(r#""C:\path\" x""#), r#"C:\path" x"#);
        assert_eq!(text(r#""a\\b""#), r"a\b");
        assert_eq!(text(r#"pre"mid"'post'"#), "premidpost");
        assert_eq!(unquote(r"C:\dir `$x `n", '`').text, r"C:\dir `$x n");
    }

    #[test]
    fn keeps_variables_and_marks_literal_dollars() {
        assert_eq!(text("$HOME/x"), "$HOME/x");
        assert_eq!(text("${A:-x y}"), "${A:-x y}");
        assert_eq!(text(r#""${A:-"q"}-$B""#), r#"${A:-"q"}-$B"#);
        assert_eq!(text(r"\$HOME"), r"\$HOME");
        assert_eq!(text("'$HOME'"), r"\$HOME");
        assert_eq!(text(r#""\$HOME""#), r"\$HOME");
        assert_eq!(text("${unclosed"), "${unclosed");
    }

    #[test]
    fn reports_unterminated_quotes() {
        assert_eq!(unquote(r#"a"bc"#, '\\').unterminated, Some((1, '"')));
        assert_eq!(unquote("x'y", '\\').unterminated, Some((1, '\'')));
        assert_eq!(unquote(r#""ok""#, '\\').unterminated, None);
    }

    fn flags(text: &str) -> (Vec<(String, Option<usize>)>, &str) {
        let (flags, rest) = split_flags(text, 0..text.len());
        (flags.into_iter().map(|f| (f.text, f.eq.map(|e| e.0))).collect(), &text[rest..])
    }

    #[test]
    fn reads_flags() {
        let (f, rest) = flags("--mount=type=cache,target=/x --link  apt-get install");
        assert_eq!(f, vec![("--mount=type=cache,target=/x".into(), Some(7)), ("--link".into(), None)]);
        assert_eq!(rest, "apt-get install");
        let (f, rest) = flags(r#"--chown="a b":c src dst"#);
        assert_eq!(f, vec![("--chown=a b:c".into(), Some(7))]);
        assert_eq!(rest, "src dst");
        let (f, rest) = flags("-- --not-a-flag");
        assert!(f.is_empty());
        assert_eq!(rest, " --not-a-flag");
        let (f, rest) = flags("--a --");
        assert_eq!(f.len(), 1);
        assert_eq!(rest, "");
        let (f, rest) = flags(r"--x=a\ b c");
        assert_eq!(f, vec![("--x=a b".into(), Some(3))]);
        assert_eq!(rest, "c");
        let text = r"--a\=b";
        let (f, _) = split_flags(text, 0..text.len());
        assert_eq!(f[0].eq, Some((3, text.len() - 1)), "an escaped `=` still splits, after the `=`");
        let (f, rest) = flags("-x y");
        assert!(f.is_empty());
        assert_eq!(rest, "-x y");
    }

    #[test]
    fn flag_value_offset() {
        let text = "--platform=$BUILDPLATFORM img";
        let (f, _) = split_flags(text, 0..text.len());
        let (_, after) = f[0].eq.unwrap();
        assert_eq!(&text[after..f[0].range.end], "$BUILDPLATFORM");
    }
}
