//! Environment settings (`NAME=value`) as a build sees them: `ENV` pairs and `ARG` defaults (both are in the
//! environment of later `RUN` commands), and inside a `RUN` the `NAME=value` prefixes of a command,
//! `export NAME=value`, `env NAME=value program` and `go env -w NAME=value`. A bare `NAME=value` statement
//! is a shell variable that programs do not see, so it is not a setting.
//!
//! Also: which variables a text references, and whether a name is a build variable (`ARG` or `ENV`) at an
//! instruction, for rules that care whether a value ends up in the image's history or configuration.

use std::ops::Range;

use plimsoll_dockerfile::{Body, Instruction};
use plimsoll_linter::DockerfileCtx;
use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::shells::basename;
use crate::support::word_parts::part_range;

/// One `NAME=value` setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSetting<'a> {
    pub name: &'a str,
    /// The value as written (quotes removed, variables not expanded).
    pub value: &'a str,
    /// The whole setting: `NAME=value`, or both words of the legacy `ENV NAME value`.
    pub range: TextRange,
    /// The word holding the value, its text, and where the value starts in that text.
    value_word: (TextRange, &'a str, usize),
}

impl EnvSetting<'_> {
    /// The source range of `value[part]`.
    pub fn value_part_range(&self, source: &str, part: Range<usize>) -> TextRange {
        let (range, text, offset) = self.value_word;
        if part.is_empty() {
            return range;
        }
        part_range(source, range, text, part.start + offset..part.end + offset)
    }

    /// The source range of the value.
    pub fn value_range(&self, source: &str) -> TextRange {
        self.value_part_range(source, 0..self.value.len())
    }
}

/// The settings of an `ENV` instruction, or the defaults of an `ARG` instruction.
pub fn of_instruction(instruction: &Instruction) -> Vec<EnvSetting<'_>> {
    match &instruction.body {
        Body::Env(pairs) => pairs
            .iter()
            .map(|kv| EnvSetting {
                name: &kv.key.text,
                value: &kv.value.text,
                range: kv.range,
                value_word: (kv.value.range, &kv.value.text, 0),
            })
            .collect(),
        Body::Arg(args) => args
            .iter()
            .filter_map(|arg| {
                let default = arg.default.as_ref()?;
                Some(EnvSetting {
                    name: &arg.name.text,
                    value: &default.text,
                    range: arg.range,
                    value_word: (default.range, &default.text, 0),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The settings a shell command puts in the environment of the programs it runs.
pub fn of_command(command: &Command) -> Vec<EnvSetting<'_>> {
    let mut out = Vec::new();
    if !command.words.is_empty() {
        for assignment in &command.assignments {
            let (value, value_word) = match &assignment.value {
                Some(word) => (word.text.as_str(), (word.range, word.text.as_str(), 0)),
                None => ("", (assignment.range, "", 0)),
            };
            out.push(EnvSetting { name: &assignment.name, value, range: assignment.range, value_word });
        }
    }
    let exported = match command.name() {
        Some("export") => true,
        Some("declare" | "typeset") => command.args().iter().any(|w| is_export_flag(&w.text)),
        _ => false,
    };
    if exported {
        out.extend(command.args().iter().filter_map(assignment_word));
    }
    // `go env -w GOPROXY=…` writes Go's own environment file, which every later `go` command reads.
    let program = command.program_args();
    if command.program_name() == Some("go") && program.first().is_some_and(|w| w.text == "env") {
        out.extend(program.iter().skip_while(|w| w.text != "-w").skip(1).filter_map(assignment_word));
    }
    // `env A=b program`, possibly behind other wrappers (`sudo env A=b …`): the words before the program.
    let wrappers = &command.words[..command.words.len() - command.program().len()];
    if let Some(env) = wrappers.iter().position(|w| w.literal().map(basename) == Some("env")) {
        out.extend(wrappers[env + 1..].iter().filter_map(assignment_word));
    }
    out
}

fn is_export_flag(text: &str) -> bool {
    text.strip_prefix('-')
        .is_some_and(|flags| flags.contains('x') && flags.chars().all(|c| c.is_ascii_alphabetic()))
}

/// A `NAME=value` word (an argument of `export`, `env` or `go env -w`).
fn assignment_word(word: &Word) -> Option<EnvSetting<'_>> {
    let (name, value) = word.text.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    Some(EnvSetting {
        name,
        value,
        range: word.range,
        value_word: (word.range, word.text.as_str(), name.len() + 1),
    })
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a boolean setting's value turns it off (`false`, `0`, `no`, `off`, in any case).
pub fn is_off(value: &str) -> bool {
    ["false", "0", "no", "off"].iter().any(|v| value.eq_ignore_ascii_case(v))
}

/// Whether a boolean setting's value turns it on (`true`, `1`, `yes`, `on`, in any case).
pub fn is_on(value: &str) -> bool {
    ["true", "1", "yes", "on"].iter().any(|v| value.eq_ignore_ascii_case(v))
}

/// The variables a text references (`$NAME`, `${NAME}`, `${NAME:-x}`), with their ranges in the text.
pub fn referenced_variables(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = i + 1 + usize::from(braced);
        let len = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - start);
        let name = &text[start..start + len];
        if !is_name(name) {
            i = start;
            continue;
        }
        let end = if braced {
            text[start..].find('}').map_or(text.len(), |close| start + close + 1)
        } else {
            start + len
        };
        out.push((name, i..end));
        i = end;
    }
    out
}

/// Where a build variable's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildVariable {
    /// `ARG`: its value is recorded in the image history of the `RUN`s that see it.
    Arg,
    /// `ENV`: its value is stored in the image configuration.
    Env,
}

/// Whether `name` is an `ARG` or `ENV` variable at instruction `at` (an `ENV` wins over an `ARG`).
pub fn build_variable(doc: &DockerfileCtx, at: usize, name: &str) -> Option<BuildVariable> {
    let declares_arg =
        |i: &Instruction| matches!(&i.body, Body::Arg(args) if args.iter().any(|a| a.name.text == name));
    let declares_env =
        |i: &Instruction| matches!(&i.body, Body::Env(pairs) if pairs.iter().any(|p| p.key.text == name));
    let Some(stage) = doc.analysis.stage_of(at) else {
        let before = doc.file.instructions.get(..at).unwrap_or(&[]);
        return before.iter().any(declares_arg).then_some(BuildVariable::Arg);
    };
    let mut found = None;
    for (depth, s) in doc.analysis.lineage(stage.index).enumerate() {
        let end = if depth == 0 { at.min(s.body.end) } else { s.body.end };
        let body = doc.file.instructions.get(s.body.start.min(end)..end).unwrap_or(&[]);
        if body.iter().any(declares_env) {
            return Some(BuildVariable::Env);
        }
        // ARGs do not carry into stages built on this one.
        if depth == 0 && body.iter().any(declares_arg) {
            found = Some(BuildVariable::Arg);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_dockerfile::parse;

    fn run_settings(text: &str) -> Vec<(String, String, String)> {
        let file = parse(text);
        let mut out = Vec::new();
        for inst in &file.instructions {
            let Body::Run(form) = &inst.body else { continue };
            for cmd in &form.script().unwrap().commands {
                for s in of_command(cmd) {
                    out.push((
                        s.name.to_string(),
                        s.value.to_string(),
                        s.value_range(text).slice(text).to_string(),
                    ));
                }
            }
        }
        out
    }

    fn triple(name: &str, value: &str, spelled: &str) -> (String, String, String) {
        (name.to_string(), value.to_string(), spelled.to_string())
    }

    #[test]
    fn command_prefixes_exports_and_env() {
        assert_eq!(
            run_settings("FROM a\nRUN A=1 B=\"x y\" make\n"),
            [triple("A", "1", "1"), triple("B", "x y", "x y")]
        );
        assert_eq!(
            run_settings("FROM a\nRUN export A=1 \"B=2\" C\n"),
            [triple("A", "1", "1"), triple("B", "2", "2")]
        );
        assert_eq!(run_settings("FROM a\nRUN declare -x A=1\n"), [triple("A", "1", "1")]);
        assert_eq!(run_settings("FROM a\nRUN sudo env -i A=1 make B=2\n"), [triple("A", "1", "1")]);
        assert_eq!(
            run_settings("FROM a\nRUN go env -w GOPROXY=direct GOSUMDB=off\n"),
            [triple("GOPROXY", "direct", "direct"), triple("GOSUMDB", "off", "off")]
        );
    }

    #[test]
    fn bare_assignments_are_not_settings() {
        assert!(run_settings("FROM a\nRUN A=1; make\n").is_empty());
        assert!(run_settings("FROM a\nRUN declare A=1 && make X=1\n").is_empty());
    }

    #[test]
    fn env_and_arg_instructions() {
        let text = "FROM a\nENV A=1 B=\"two\"\nENV C 3\nARG D=4 E\n";
        let file = parse(text);
        let all: Vec<_> = file
            .instructions
            .iter()
            .flat_map(of_instruction)
            .map(|s| (s.name, s.value, s.range.slice(text), s.value_range(text).slice(text)))
            .collect();
        assert_eq!(
            all,
            [
                ("A", "1", "A=1", "1"),
                ("B", "two", "B=\"two\"", "two"),
                ("C", "3", "C 3", "3"),
                ("D", "4", "D=4", "4")
            ]
        );
    }

    #[test]
    fn references() {
        let names: Vec<&str> =
            referenced_variables("a$A-${B}${C:-x}$(d)$ $1 ${}").iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["A", "B", "C"]);
        let text = "x${TOKEN:-y}z";
        assert_eq!(&text[referenced_variables(text)[0].1.clone()], "${TOKEN:-y}");
    }
}
