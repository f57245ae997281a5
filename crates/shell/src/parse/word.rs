//! Quote removal and escape processing for one shell word, working on the source text.
//!
//! The tree is only used to know where expansions are (they are copied verbatim): tree-sitter's
//! `string_content` children skip line continuations and its MISSING closing quotes have no text, so
//! rebuilding a word from its children loses characters, while rescanning the source cannot.

/// How backslashes and quotes are interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// A shell word: quotes, `$'…'`, backslash escapes.
    Word,
    /// The body of a heredoc with an unquoted delimiter: only `\$`, `` \` ``, `\\` and `\⏎` are escapes.
    Heredoc,
}

/// The result of [`unquote`].
#[derive(Debug, Default)]
pub(super) struct Unquoted {
    pub text: String,
    /// An expansion was copied verbatim (or a `$`/backtick that looks like one was seen).
    pub dynamic: bool,
    /// `false` when ANSI-C escapes produced invalid UTF-8 and `text` had to be repaired, so `spans` no
    /// longer line up with `text`.
    pub exact: bool,
}

/// Where each output byte came from, and which output ranges are verbatim expansions. Only collected for
/// words that are parsed again as scripts (`sh -c '…'`, heredoc bodies).
#[derive(Debug, Default)]
pub(super) struct Trace {
    /// Source range of every output byte (offsets into the scanned source).
    pub spans: Vec<(u32, u32)>,
    /// Output ranges copied verbatim from expansions the outer shell performs.
    pub verbatim: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
    AnsiC,
}

struct Out<'t> {
    bytes: Vec<u8>,
    trace: Option<&'t mut Trace>,
}

impl Out<'_> {
    fn push(&mut self, byte: u8, from: usize, to: usize) {
        self.bytes.push(byte);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.spans.push((offset(from), offset(to)));
        }
    }

    /// Copies `src[from..to]` as written.
    fn copy(&mut self, src: &[u8], from: usize, to: usize) {
        for (i, &byte) in src.iter().enumerate().take(to).skip(from) {
            self.push(byte, i, i + 1);
        }
    }
}

fn offset(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Unquotes `src[start..end]`. `expansions` are sorted, non-overlapping source ranges copied as written.
pub(super) fn unquote(
    src: &[u8],
    start: usize,
    end: usize,
    expansions: &[(usize, usize)],
    mode: Mode,
    trace: Option<&mut Trace>,
) -> Unquoted {
    let end = end.min(src.len());
    let start = start.min(end);
    let slice = &src[start..end];
    // Most words are plain; they need no state machine and no byte-by-byte copy.
    if trace.is_none()
        && expansions.is_empty()
        && !slice.iter().any(|b| b"\\'\"$`".contains(b))
        && let Ok(text) = std::str::from_utf8(slice)
    {
        return Unquoted { text: text.to_owned(), dynamic: false, exact: true };
    }
    let mut out = Out { bytes: Vec::with_capacity(slice.len()), trace };
    let mut dynamic = false;
    let mut quote = Quote::None;
    let mut next_expansion = 0;
    let mut i = start;
    while i < end {
        while next_expansion < expansions.len() && expansions[next_expansion].1 <= i {
            next_expansion += 1;
        }
        if let Some(&(from, to)) = expansions.get(next_expansion)
            && from <= i
            && !matches!(quote, Quote::Single | Quote::AnsiC)
        {
            let to = to.min(end);
            let out_start = out.bytes.len();
            out.copy(src, i, to);
            if let Some(trace) = out.trace.as_deref_mut() {
                trace.verbatim.push((out_start, out.bytes.len()));
            }
            dynamic = true;
            i = to;
            next_expansion += 1;
            continue;
        }
        let c = src[i];
        let next = src.get(i + 1).copied().filter(|_| i + 1 < end);
        match (mode, quote) {
            (Mode::Heredoc, _) => match (c, next) {
                (b'\\', Some(b'\n')) => i += 2,
                (b'\\', Some(n @ (b'$' | b'`' | b'\\'))) => {
                    out.push(n, i, i + 2);
                    i += 2;
                }
                _ => {
                    dynamic |= looks_like_expansion(c, next);
                    out.push(c, i, i + 1);
                    i += 1;
                }
            },
            (Mode::Word, Quote::None) => match (c, next) {
                (b'\\', Some(b'\n')) => i += 2,
                (b'\\', Some(n)) => {
                    out.push(n, i, i + 2);
                    i += 2;
                }
                (b'\'', _) => {
                    quote = Quote::Single;
                    i += 1;
                }
                (b'"', _) => {
                    quote = Quote::Double;
                    i += 1;
                }
                (b'$', Some(b'\'')) => {
                    quote = Quote::AnsiC;
                    i += 2;
                }
                (b'$', Some(b'"')) => {
                    quote = Quote::Double;
                    i += 2;
                }
                _ => {
                    dynamic |= looks_like_expansion(c, next);
                    out.push(c, i, i + 1);
                    i += 1;
                }
            },
            (Mode::Word, Quote::Single) => {
                if c == b'\'' {
                    quote = Quote::None;
                } else {
                    out.push(c, i, i + 1);
                }
                i += 1;
            }
            (Mode::Word, Quote::Double) => match (c, next) {
                (b'"', _) => {
                    quote = Quote::None;
                    i += 1;
                }
                (b'\\', Some(b'\n')) => i += 2,
                (b'\\', Some(n @ (b'$' | b'`' | b'"' | b'\\'))) => {
                    out.push(n, i, i + 2);
                    i += 2;
                }
                _ => {
                    dynamic |= looks_like_expansion(c, next);
                    out.push(c, i, i + 1);
                    i += 1;
                }
            },
            (Mode::Word, Quote::AnsiC) => {
                if c == b'\'' {
                    quote = Quote::None;
                    i += 1;
                } else if c == b'\\' && i + 1 < end {
                    let (value, len) = ansi_c_escape(&src[i + 1..end]);
                    let to = i + 1 + len;
                    match value {
                        Escaped::Byte(b) => out.push(b, i, to),
                        Escaped::Char(ch) => {
                            let mut buf = [0; 4];
                            for &b in ch.encode_utf8(&mut buf).as_bytes() {
                                out.push(b, i, to);
                            }
                        }
                        Escaped::Verbatim => out.copy(src, i, to),
                    }
                    i = to;
                } else {
                    out.push(c, i, i + 1);
                    i += 1;
                }
            }
        }
    }
    match String::from_utf8(out.bytes) {
        Ok(text) => Unquoted { text, dynamic, exact: true },
        Err(err) => {
            Unquoted { text: String::from_utf8_lossy(err.as_bytes()).into_owned(), dynamic, exact: false }
        }
    }
}

/// A `$` or backtick the grammar did not mark as an expansion (for example inside an ERROR node) still
/// makes the word's value unknown.
fn looks_like_expansion(c: u8, next: Option<u8>) -> bool {
    match c {
        b'`' => true,
        b'$' => next.is_some_and(|n| n.is_ascii_alphanumeric() || b"_{(@*#?$!-".contains(&n)),
        _ => false,
    }
}

enum Escaped {
    Byte(u8),
    Char(char),
    /// Unknown escape: bash keeps the backslash and the character.
    Verbatim,
}

/// Decodes the escape after a backslash in `$'…'`; returns the value and how many bytes it used.
fn ansi_c_escape(rest: &[u8]) -> (Escaped, usize) {
    let Some(&c) = rest.first() else { return (Escaped::Verbatim, 0) };
    let simple = match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'e' | b'E' => Some(0x1b),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' | b'\'' | b'"' | b'?' => Some(c),
        _ => None,
    };
    if let Some(b) = simple {
        return (Escaped::Byte(b), 1);
    }
    let digits = |radix: u32, max: usize, skip: usize| {
        let mut value: u32 = 0;
        let mut len = 0;
        for &d in rest.iter().skip(skip).take(max) {
            let Some(v) = char::from(d).to_digit(radix) else { break };
            value = value.wrapping_mul(radix).wrapping_add(v);
            len += 1;
        }
        (value, len)
    };
    match c {
        b'0'..=b'7' => {
            let (value, len) = digits(8, 3, 0);
            (Escaped::Byte(value as u8), len)
        }
        b'x' | b'u' | b'U' => {
            let max = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let (value, len) = digits(16, max, 1);
            if len == 0 {
                (Escaped::Verbatim, 1)
            } else if c == b'x' {
                (Escaped::Byte(value as u8), 1 + len)
            } else {
                (char::from_u32(value).map_or(Escaped::Verbatim, Escaped::Char), 1 + len)
            }
        }
        b'c' => match rest.get(1) {
            Some(&x) => (Escaped::Byte(x & 0x1f), 2),
            None => (Escaped::Verbatim, 1),
        },
        _ => (Escaped::Verbatim, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(src: &str) -> (String, bool) {
        let u = unquote(src.as_bytes(), 0, src.len(), &[], Mode::Word, None);
        (u.text, u.dynamic)
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(plain("'a b'").0, "a b");
        assert_eq!(plain(r#""a\"b""#).0, "a\"b");
        assert_eq!(plain(r#"a'b'"c""#).0, "abc");
        assert_eq!(plain(r"a\ b").0, "a b");
        assert_eq!(plain(r#""a\qb\\c\$d""#).0, r"a\qb\c$d", "only \\ $ ` \" are escapes in double quotes");
        assert_eq!(plain("'a\\nb'").0, "a\\nb", "no escapes in single quotes");
        assert_eq!(plain("a\\\nb").0, "ab", "line continuation");
        assert_eq!(plain("\"a\\\nb\"").0, "ab", "line continuation in double quotes");
        assert_eq!(plain("\"abc").0, "abc", "unterminated quote keeps every character");
        assert_eq!(plain("'abc").0, "abc");
        assert_eq!(plain("trailing\\").0, "trailing\\", "a backslash at the very end is literal");
    }

    #[test]
    fn ansi_c_strings() {
        assert_eq!(plain(r"$'a\nb\tc'").0, "a\nb\tc");
        assert_eq!(plain(r"$'\x41\101\u00e9\'q'").0, "AAé'q");
        assert_eq!(plain(r"$'\cA\z'").0, "\u{1}\\z");
        let u = unquote(br"$'\xff'", 0, 7, &[], Mode::Word, None);
        assert!(!u.exact, "invalid UTF-8 is repaired and flagged");
    }

    #[test]
    fn expansions_are_verbatim_and_dynamic() {
        let src = r#""http://$HOST/x""#;
        let u = unquote(src.as_bytes(), 0, src.len(), &[(8, 13)], Mode::Word, None);
        assert_eq!(u.text, "http://$HOST/x");
        assert!(u.dynamic);
        assert_eq!(plain("plain"), ("plain".into(), false));
        assert!(plain("a$B").1, "an unmarked `$NAME` is still dynamic");
        assert!(!plain("cost$").1);
        assert!(!plain("'$HOME'").1, "single quotes keep `$` literal");
    }

    #[test]
    fn trace_maps_every_output_byte() {
        let src = r#"x "a\"b"'c'"#;
        let mut trace = Trace::default();
        let u = unquote(src.as_bytes(), 2, src.len(), &[], Mode::Word, Some(&mut trace));
        assert_eq!(u.text, "a\"bc");
        assert_eq!(trace.spans, vec![(3, 4), (4, 6), (6, 7), (9, 10)]);
    }

    #[test]
    fn heredoc_mode_only_knows_four_escapes() {
        let src = "a \\$x \\n 'q' \"r\"";
        let u = unquote(src.as_bytes(), 0, src.len(), &[], Mode::Heredoc, None);
        assert_eq!(u.text, "a $x \\n 'q' \"r\"");
        assert!(!u.dynamic);
    }
}
