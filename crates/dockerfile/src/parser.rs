//! The Dockerfile parser. It follows BuildKit's line-oriented reader: parser directives at the top, logical
//! lines joined at the escape character (skipping comment and blank lines inside a continuation), heredoc
//! bodies after the instruction line, then per-instruction argument syntax. Every problem becomes a
//! [`SyntaxError`] and parsing goes on with the next logical line.

mod heredoc;
mod instructions;
mod json;
mod lines;
mod words;

use plimsoll_span::{Spanned, TextRange};

use self::instructions::InstructionParser;
use self::lines::{comment, leading_ws, logical_line, split_lines};
use crate::ast::{Body, Directive, Dockerfile, Instruction, Keyword, SyntaxError};

/// Parses any text into a [`Dockerfile`]; problems are reported in [`Dockerfile::errors`].
pub fn parse(text: &str) -> Dockerfile {
    parse_with(text, ShellCode::Parsed)
}

/// [`parse`] without parsing the shell code of shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK (their
/// `script` is `None`, as under a non-POSIX `SHELL`): for readers that want the stages, users and ports of
/// a Dockerfile, such as a Compose file asking what its `build:` produces. Shell parsing is most of the cost
/// of reading a Dockerfile.
pub fn parse_outline(text: &str) -> Dockerfile {
    parse_with(text, ShellCode::Skipped)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ShellCode {
    Parsed,
    Skipped,
}

fn parse_with(text: &str, shell_code: ShellCode) -> Dockerfile {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let lines = split_lines(text, bom);
    let mut file = Dockerfile { escape: '\\', ..Dockerfile::default() };
    let mut errors = Vec::new();
    let mut directives = Directives::default();
    let mut shells = StageShells::default();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let content = &text[line.start..line.end];
        let lead = leading_ws(content);
        if directives.open && directives.read(text, line.start + lead, line.end, &mut file, &mut errors) {
            i += 1;
            continue;
        }
        directives.open = false;
        let rest = &content[lead..];
        if rest.is_empty() {
            i += 1;
            continue;
        }
        if rest.starts_with('#') {
            file.comments.push(comment(text, line.start + lead, line.end));
            i += 1;
            continue;
        }
        let logical = logical_line(text, &lines, i, file.escape as u8, &mut file.comments);
        i = logical.next_line;
        // A line holding only the escape character joins nothing to nothing.
        if logical.joined.text.trim().is_empty() {
            continue;
        }
        let heredocs = if logical.joined.text.contains("<<")
            && instructions::takes_heredocs(&logical.joined.text)
        {
            let markers = heredoc::markers(&logical.joined.text);
            let (read, next) = heredoc::read_bodies(text, &lines, i, markers, &logical.joined, &mut errors);
            i = next;
            read
        } else {
            Vec::new()
        };
        let end = heredocs.iter().map(heredoc::ReadHeredoc::end).fold(logical.end as u32, u32::max);
        let mut parser = InstructionParser {
            source: text,
            lines: &lines,
            line: &logical.joined,
            escape: file.escape,
            posix: shells.current && shell_code == ShellCode::Parsed,
            errors: &mut errors,
        };
        let instruction = parser.instruction(0, heredocs, end, 0, logical.indented);
        shells.after(&instruction);
        file.instructions.push(instruction);
    }
    // Heredoc errors are found before the errors of their instruction's line; keep source order.
    errors.sort_by_key(|e: &SyntaxError| e.range.start);
    file.errors = errors;
    file
}

/// The parser-directive block at the top of the file.
#[derive(Debug)]
struct Directives {
    open: bool,
    seen: Vec<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives { open: true, seen: Vec::new() }
    }
}

impl Directives {
    /// Reads the line content `text[start..end]` (leading whitespace already skipped) as a directive.
    /// Returns false when it is not one, which ends the directive block.
    fn read(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        file: &mut Dockerfile,
        errors: &mut Vec<SyntaxError>,
    ) -> bool {
        let Some((name, value)) = directive_parts(text, start, end) else { return false };
        let lower = text[name.clone()].to_ascii_lowercase();
        if !matches!(lower.as_str(), "syntax" | "escape" | "check") {
            // An unknown directive is an ordinary comment, and directives end there.
            return false;
        }
        let range = TextRange::from_usize(start, value.end);
        if self.seen.contains(&lower) {
            errors.push(SyntaxError {
                range,
                message: format!("only one `{lower}` parser directive is allowed; this one is ignored"),
            });
            file.comments.push(comment(text, start, end));
            return true;
        }
        self.seen.push(lower.clone());
        let value_text = &text[value.clone()];
        if lower == "escape" {
            match value_text {
                "\\" | "`" => file.escape = value_text.chars().next().unwrap_or('\\'),
                _ => errors.push(SyntaxError {
                    range: TextRange::from_usize(value.start, value.end),
                    message: format!("invalid escape character `{}`: use `\\` or `` ` ``", clip(value_text)),
                }),
            }
        }
        file.directives.push(Directive {
            name: Spanned::new(lower, TextRange::from_usize(name.start, name.end)),
            value: Spanned::new(value_text.to_string(), TextRange::from_usize(value.start, value.end)),
            range,
        });
        true
    }
}

/// Name and value ranges of `# name = value` (BuildKit: `#`, whitespace, then
/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`).
fn directive_parts(
    text: &str,
    start: usize,
    end: usize,
) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let line = &text[start..end];
    let after_hash = line.strip_prefix('#')?;
    let name_start = start + 1 + leading_ws(after_hash);
    let bytes = text.as_bytes();
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut pos = name_start;
    while pos < end && bytes[pos].is_ascii_alphanumeric() {
        pos += 1;
    }
    let name = name_start..pos;
    // `\s` in Go's regexp syntax: ASCII space, tab, newline, form feed and carriage return.
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    while pos < end && is_space(bytes[pos]) {
        pos += 1;
    }
    if bytes.get(pos) != Some(&b'=') || pos >= end {
        return None;
    }
    pos += 1;
    while pos < end && is_space(bytes[pos]) {
        pos += 1;
    }
    let mut value_end = end;
    while value_end > pos && is_space(bytes[value_end - 1]) {
        value_end -= 1;
    }
    (value_end > pos).then_some((name, pos..value_end))
}

/// Whether each stage's shell is POSIX, so its shell-form code can be parsed as shell.
#[derive(Debug)]
struct StageShells {
    current: bool,
    /// Stage names (lower-cased) and whether the stage's shell was POSIX when it ended, for
    /// `FROM <stage>`, which inherits the shell.
    stages: Vec<(Option<String>, bool)>,
}

impl Default for StageShells {
    fn default() -> Self {
        StageShells { current: true, stages: Vec::new() }
    }
}

impl StageShells {
    fn after(&mut self, instruction: &Instruction) {
        match &instruction.body {
            Body::From(from) => {
                let image = from.image.text.to_ascii_lowercase();
                let parent =
                    self.stages.iter().rev().find(|(name, _)| name.as_deref() == Some(image.as_str()));
                self.current = match parent {
                    Some(&(_, posix)) => posix,
                    None => !plimsoll_model::known_images::mentions_windows(&image),
                };
                self.stages.push((from.name.as_ref().map(|n| n.text.clone()), self.current));
            }
            Body::Shell(args) => {
                if let Some(executable) = args.first() {
                    self.current = is_posix_shell(&executable.text);
                    if let Some(stage) = self.stages.last_mut() {
                        stage.1 = self.current;
                    }
                }
            }
            _ => {}
        }
    }
}

/// False for PowerShell and cmd.exe, whose code is not shell code.
fn is_posix_shell(executable: &str) -> bool {
    let base = executable.rsplit(['/', '\\']).next().unwrap_or(executable).to_ascii_lowercase();
    let base = base.strip_suffix(".exe").unwrap_or(&base);
    !matches!(base, "powershell" | "pwsh" | "cmd")
}

/// Shortens user text quoted in an error message.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The instruction keyword closest to an unknown word, if it is a likely typo (edit distance 1, or 2 for
/// words of five letters or more).
pub(crate) fn suggest_keyword(word: &str) -> Option<Keyword> {
    // Longer words cannot be within two edits of a keyword; skipping them bounds the work.
    if word.is_empty() || word.len() > 12 {
        return None;
    }
    let upper = word.to_ascii_uppercase();
    let limit = if upper.chars().count() >= 5 { 2 } else { 1 };
    Keyword::ALL
        .into_iter()
        .map(|k| (edit_distance(&upper, k.as_str()), k))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours
/// (`FORM` → `FROM`) each cost one.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{CommandForm, Healthcheck};

    /// The shell-form command of an instruction (through ONBUILD), if it has one.
    fn shell_form(instruction: &mut Instruction) -> Option<&mut CommandForm> {
        match &mut instruction.body {
            Body::Run(form) | Body::Cmd(form) | Body::Entrypoint(form) => Some(form),
            Body::Healthcheck(Healthcheck::Cmd(form)) => Some(form),
            Body::Onbuild(inner) => shell_form(inner),
            _ => None,
        }
        .filter(|form| matches!(form, CommandForm::Shell { .. }))
    }

    #[test]
    fn outline_is_the_parse_without_shell_code() {
        let text = "FROM alpine:3.20 AS build\nRUN apk add curl && \\\n    make\nUSER 1000:1000\nEXPOSE 8080/udp\n\
                    CMD echo hi\nHEALTHCHECK CMD curl -f localhost\nONBUILD RUN make\nRUN [\"sh\", \"-c\", \"id\"]\n\
                    RUN <<EOF\nset -e\nmake\nEOF\nRUN echo \"unterminated\n";
        let mut full = parse(text);
        let mut outline = parse_outline(text);
        let mut shell_forms = 0;
        for (full, outline) in full.instructions.iter_mut().zip(&mut outline.instructions) {
            if let (Some(full), Some(outline)) = (shell_form(full), shell_form(outline)) {
                shell_forms += 1;
                assert!(full.script().is_some_and(|s| !s.commands.is_empty()), "{full:?}");
                assert!(outline.script().is_none(), "{outline:?}");
                if let CommandForm::Shell { script, .. } = full {
                    *script = None;
                }
            }
        }
        assert_eq!(shell_forms, 6);
        assert_eq!(format!("{full:?}"), format!("{outline:?}"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_keyword("RUNN"), Some(Keyword::Run));
        assert_eq!(suggest_keyword("form"), Some(Keyword::From));
        assert_eq!(suggest_keyword("ENTRYPIONT"), Some(Keyword::Entrypoint));
        assert_eq!(suggest_keyword("apt-get"), None);
        assert_eq!(suggest_keyword("&&"), None);
        assert_eq!(suggest_keyword(&"X".repeat(1000)), None);
    }

    #[test]
    fn directive_syntax() {
        let parts = |line: &str| {
            directive_parts(line, 0, line.len()).map(|(n, v)| (line[n].to_string(), line[v].to_string()))
        };
        assert_eq!(
            parts("# syntax=docker/dockerfile:1"),
            Some(("syntax".into(), "docker/dockerfile:1".into()))
        );
        assert_eq!(parts("#escape = `  "), Some(("escape".into(), "`".into())));
        assert_eq!(
            parts("# check=skip=A,B;error=true"),
            Some(("check".into(), "skip=A,B;error=true".into()))
        );
        assert_eq!(parts("# just a comment"), None);
        assert_eq!(parts("# escape="), None);
        assert_eq!(parts("#=x"), None);
    }

    #[test]
    fn posix_shells() {
        assert!(is_posix_shell("/bin/bash"));
        assert!(!is_posix_shell("powershell"));
        assert!(!is_posix_shell(r"C:\Windows\System32\cmd.exe"));
        assert!(!is_posix_shell("PWSH.EXE"));
    }
}
