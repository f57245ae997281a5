//! Heredocs of RUN, COPY and ADD: markers on the instruction line and the bodies on the lines after it.

use std::ops::Range;

use plimsoll_span::TextRange;

use super::lines::{Joined, Line};
use super::words::split_words;
use crate::ast::{Heredoc, SyntaxError};

/// A `<<EOF` word of an instruction line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The whole word in the joined line (`<<-"EOF"`, `3<<EOF`).
    pub range: Range<usize>,
    pub delimiter: String,
    pub strip_tabs: bool,
    pub quoted: bool,
}

/// The heredoc markers of a logical line, as BuildKit finds them: every whitespace-separated word (quotes
/// kept, `\` escapes) that matches `^\d*<<(-?)([^<]*)$` with a non-empty delimiter. So `"a<<b"` (inside
/// quotes), `a<<b` (not at a word start) and `<<<` (a here-string) are no heredocs.
pub(crate) fn markers(line: &str) -> Vec<Marker> {
    split_words(line, 0..line.len(), '\\')
        .into_iter()
        .filter_map(|range| {
            let word = &line[range.clone()];
            let digits = word.bytes().take_while(u8::is_ascii_digit).count();
            let rest = word[digits..].strip_prefix("<<")?;
            let (strip_tabs, rest) = match rest.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, rest),
            };
            if rest.is_empty() || rest.contains('<') {
                return None;
            }
            Some(Marker {
                range,
                delimiter: delimiter_text(rest),
                strip_tabs,
                quoted: rest.contains(['\'', '"']),
            })
        })
        .collect()
}

/// The delimiter word with quotes and `\` escapes removed.
fn delimiter_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (Some(_), '\\') => match chars.next() {
                Some(next @ ('"' | '\\' | '$')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => {}
            },
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => out.extend(chars.next()),
            (_, c) => out.push(c),
        }
    }
    out
}

/// A heredoc with the lines it was read from, so the shell view of a RUN can be rebuilt from the file.
#[derive(Debug)]
pub(crate) struct ReadHeredoc {
    pub heredoc: Heredoc,
    /// Indices of the body lines.
    pub lines: Range<usize>,
    /// The delimiter in the terminator line (after the tabs `<<-` strips).
    pub delimiter_at: Option<Range<usize>>,
}

impl ReadHeredoc {
    /// Where the heredoc ends in the file: its terminator, or the end of its body.
    pub fn end(&self) -> u32 {
        self.heredoc.terminator.map_or(self.heredoc.body.end, |t| t.end)
    }
}

/// Reads the bodies of `markers` from line `next` on, one after the other, each up to the line equal to its
/// delimiter (leading tabs stripped for `<<-`). Returns the heredocs and the index of the line after them.
/// An unterminated heredoc takes the rest of the file and is reported at its marker.
pub(crate) fn read_bodies(
    text: &str,
    lines: &[Line],
    mut next: usize,
    markers: Vec<Marker>,
    line: &Joined,
    errors: &mut Vec<SyntaxError>,
) -> (Vec<ReadHeredoc>, usize) {
    let mut out = Vec::with_capacity(markers.len());
    for marker in markers {
        let first = next;
        let mut content = String::new();
        let mut terminator = None;
        while let Some(&l) = lines.get(next) {
            next += 1;
            let raw = &text[l.start..l.end];
            let stripped = if marker.strip_tabs { raw.trim_start_matches('\t') } else { raw };
            if stripped == marker.delimiter {
                terminator = Some(l.start + (raw.len() - stripped.len())..l.end);
                break;
            }
            content.push_str(stripped);
            content.push('\n');
        }
        let body_lines = first..if terminator.is_some() { next - 1 } else { next };
        let body = match (body_lines.is_empty(), &terminator) {
            (false, _) => TextRange::from_usize(lines[body_lines.start].start, lines[body_lines.end - 1].end),
            (true, Some(_)) => TextRange::from_usize(lines[next - 1].start, lines[next - 1].start),
            (true, None) => TextRange::from_usize(text.len(), text.len()),
        };
        let marker_range = line.to_source(marker.range.clone());
        if terminator.is_none() {
            errors.push(SyntaxError {
                range: marker_range,
                message: format!(
                    "unterminated heredoc: no line `{}` ends it before the end of the file",
                    super::clip(&marker.delimiter)
                ),
            });
        }
        out.push(ReadHeredoc {
            heredoc: Heredoc {
                delimiter: marker.delimiter,
                strip_tabs: marker.strip_tabs,
                quoted: marker.quoted,
                marker: marker_range,
                body,
                content,
                terminator: terminator.as_ref().map(|t| {
                    // The whole terminator line, tabs included.
                    let line = lines[next - 1];
                    TextRange::from_usize(line.start, t.end)
                }),
            },
            lines: body_lines,
            delimiter_at: terminator,
        });
    }
    (out, next)
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    fn found(line: &str) -> Vec<(String, bool, bool)> {
        markers(line).into_iter().map(|m| (m.delimiter, m.strip_tabs, m.quoted)).collect()
    }

    #[test]
    fn detects_markers() {
        assert_eq!(found("RUN <<EOF"), vec![("EOF".into(), false, false)]);
        assert_eq!(found("RUN <<-EOT bash"), vec![("EOT".into(), true, false)]);
        assert_eq!(found(r#"RUN python3 <<"PY""#), vec![("PY".into(), false, true)]);
        assert_eq!(
            found("COPY <<'A' <<B /dest/"),
            vec![("A".into(), false, true), ("B".into(), false, false)]
        );
        assert_eq!(found("RUN cat 3<<X > /f"), vec![("X".into(), false, false)]);
        assert_eq!(found("RUN <<A cat - <<B"), vec![("A".into(), false, false), ("B".into(), false, false)]);
    }

    #[test]
    fn ignores_non_markers() {
        assert!(found(r#"RUN echo "a<<b""#).is_empty());
        assert!(found("RUN echo 'x <<EOF'").is_empty());
        assert!(found("RUN cat <<< hello").is_empty());
        assert!(found("RUN cat <<<word").is_empty());
        assert!(found("RUN echo a<<b").is_empty());
        assert!(found("RUN echo << EOF").is_empty());
        assert!(found("RUN echo hi").is_empty());
    }

    fn read(text: &str, line_text: &str) -> (Vec<ReadHeredoc>, usize, Vec<SyntaxError>) {
        let lines = split_lines(text, 0);
        let mut joined = Joined::default();
        joined.push_source(text, 0..line_text.len());
        let mut errors = Vec::new();
        let (docs, next) = read_bodies(text, &lines, 1, markers(line_text), &joined, &mut errors);
        (docs, next, errors)
    }

    #[test]
    fn reads_bodies_in_order() {
        let text = "RUN <<A cat - <<-B\na1\nA\n\t\tb1\n\tB\nRUN x";
        let (docs, next, errors) = read(text, "RUN <<A cat - <<-B");
        assert!(errors.is_empty());
        assert_eq!(next, 5);
        assert_eq!(docs[0].heredoc.content, "a1\n");
        assert_eq!(docs[0].heredoc.body.slice(text), "a1");
        assert_eq!(docs[0].heredoc.terminator.unwrap().slice(text), "A");
        assert_eq!(docs[1].heredoc.content, "b1\n");
        assert_eq!(docs[1].heredoc.terminator.unwrap().slice(text), "\tB");
        assert_eq!(&text[docs[1].delimiter_at.clone().unwrap()], "B");
    }

    #[test]
    fn empty_and_unterminated_bodies() {
        let text = "RUN <<E\nE\n";
        let (docs, _, _) = read(text, "RUN <<E");
        assert!(docs[0].heredoc.body.is_empty());
        assert_eq!(docs[0].heredoc.content, "");
        let text = "RUN <<E\nline\nEE";
        let (docs, next, errors) = read(text, "RUN <<E");
        assert_eq!(next, 3);
        assert_eq!(docs[0].heredoc.terminator, None);
        assert_eq!(docs[0].heredoc.body.slice(text), "line\nEE");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].range.slice(text), "<<E");
    }

    #[test]
    fn crlf_bodies() {
        let text = "RUN <<E\r\nx\r\nE\r\n";
        let (docs, _, errors) = read(text, "RUN <<E");
        assert!(errors.is_empty());
        assert_eq!(docs[0].heredoc.content, "x\n");
    }
}
