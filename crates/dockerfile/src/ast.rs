//! The Dockerfile syntax tree. Every node keeps the byte range it was read from.

use plimsoll_shell::Script;
use plimsoll_span::{Spanned, TextRange};

/// A parsed Dockerfile: always produced, whatever the input; problems are in [`Dockerfile::errors`].
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    /// Parser directives at the top of the file (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The escape character in effect: `\` unless `# escape=` chose `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line (directives excluded), including those inside continuations; suppressions live
    /// here.
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased directive name (`syntax`, `escape`, `check`).
    pub name: Spanned<String>,
    pub value: Spanned<String>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// The whole comment, `#` included.
    pub range: TextRange,
}

/// A syntax problem. `message` reads like a compiler message: lower-case, what is wrong, then optionally
/// `; ` and what to do (`unknown instruction `RUNN`; did you mean `RUN`?`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

impl SyntaxError {
    /// The problem part of the message.
    pub fn problem(&self) -> &str {
        self.message.split_once("; ").map_or(&self.message, |(problem, _)| problem)
    }

    /// The suggestion part of the message, if any.
    pub fn suggestion(&self) -> Option<&str> {
        self.message.split_once("; ").map(|(_, suggestion)| suggestion)
    }
}

/// Instruction keywords. Matching is case-insensitive, as in Docker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// A word that is not a Dockerfile instruction; the instruction is kept with [`Body::Unknown`] and a
    /// syntax error.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(word)).unwrap_or(Keyword::Unknown)
    }

    /// The canonical upper-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// One instruction, from its keyword to the end of its last continuation line and heredoc body.
#[derive(Clone, Debug)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (`run`, `From`, or an unknown word).
    pub keyword_text: String,
    pub keyword_range: TextRange,
    pub range: TextRange,
    /// `--name[=value]` flags between the keyword and the arguments, in order.
    pub flags: Vec<Flag>,
    pub body: Body,
    /// Heredocs opened on the instruction's line(s), in order.
    pub heredocs: Vec<Heredoc>,
}

/// A word of an instruction's arguments, after the Dockerfile's quote and escape processing; variables
/// (`$V`, `${V:-x}`) are kept as written and resolved later by [`crate::Analysis`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DWord {
    pub text: String,
    pub range: TextRange,
}

/// `--name` or `--name=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The name without the leading dashes, lower-cased.
    pub name: Spanned<String>,
    pub value: Option<DWord>,
    pub range: TextRange,
}

impl Flag {
    /// Comma-separated `key=value` options of the flag's value (`--mount=type=cache,target=/x`), each with
    /// the range of the key and of the value. Keys are lower-cased; a bare key (`ro`, `readonly`) has no
    /// value.
    pub fn options(&self) -> Vec<FlagOption> {
        let Some(value) = &self.value else { return Vec::new() };
        let source_exact = value.range.len() as usize == value.text.len();
        let mut out = Vec::new();
        let mut offset = 0usize;
        for part in value.text.split(',') {
            let start = offset;
            offset += part.len() + 1;
            let range_of = |from: usize, to: usize| {
                if source_exact {
                    TextRange::from_usize(value.range.start as usize + from, value.range.start as usize + to)
                } else {
                    value.range
                }
            };
            let (key, val) = match part.split_once('=') {
                Some((k, v)) => (k, Some((v, start + k.len() + 1))),
                None => (part, None),
            };
            out.push(FlagOption {
                key: Spanned::new(key.trim().to_ascii_lowercase(), range_of(start, start + key.len())),
                value: val.map(|(v, at)| Spanned::new(v.to_string(), range_of(at, at + v.len()))),
                range: range_of(start, start + part.len()),
            });
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagOption {
    pub key: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub range: TextRange,
}

/// `<<EOF` … `EOF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word without quotes.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body and the closing delimiter.
    pub strip_tabs: bool,
    /// The delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no variable expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` marker on the instruction line.
    pub marker: TextRange,
    /// The body lines, from the line after the instruction to the line before the closing delimiter.
    pub body: TextRange,
    /// The body text as the build sees it (tabs stripped for `<<-`).
    pub content: String,
    /// The closing delimiter line; `None` when the file ended first (a syntax error is reported).
    pub terminator: Option<TextRange>,
}

/// Instruction-specific arguments.
#[derive(Clone, Debug)]
pub enum Body {
    From(From),
    Run(CommandForm),
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    /// `SHELL ["executable", "params"…]`.
    Shell(Vec<DWord>),
    Copy(CopyAdd),
    Add(CopyAdd),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Expose(Vec<DWord>),
    User(User),
    Workdir(DWord),
    Volume(Vec<DWord>),
    Healthcheck(Healthcheck),
    Stopsignal(DWord),
    Maintainer(DWord),
    /// The instruction run in downstream builds; its ranges point into this file.
    Onbuild(Box<Instruction>),
    /// Unknown keyword or arguments that could not be read; the raw argument text is kept.
    Unknown(DWord),
    /// A known instruction with no arguments at all (a syntax error is reported).
    Empty,
}

#[derive(Clone, Debug)]
pub struct From {
    pub image: DWord,
    /// The stage name after `AS`, lower-cased as Docker treats it.
    pub name: Option<DWord>,
}

/// The exec (JSON array) or shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
#[derive(Clone, Debug)]
pub enum CommandForm {
    /// `["executable", "arg"…]`: each string is a word; `script` holds the argv as one command (and the
    /// script of `sh -c` when the argv runs a shell).
    Exec { args: Vec<DWord>, range: TextRange, script: Script },
    /// Shell form: `range` covers the command text (continuations included). `script` is `None` when the
    /// stage's `SHELL` is not a POSIX shell (PowerShell, cmd).
    Shell { text: String, range: TextRange, script: Option<Script> },
}

impl CommandForm {
    pub fn script(&self) -> Option<&Script> {
        match self {
            CommandForm::Exec { script, .. } => Some(script),
            CommandForm::Shell { script, .. } => script.as_ref(),
        }
    }

    pub fn range(&self) -> TextRange {
        match self {
            CommandForm::Exec { range, .. } | CommandForm::Shell { range, .. } => *range,
        }
    }

    pub fn is_exec(&self) -> bool {
        matches!(self, CommandForm::Exec { .. })
    }
}

/// COPY and ADD: sources (heredoc sources are written `<<EOF`) and the destination.
#[derive(Clone, Debug)]
pub struct CopyAdd {
    pub sources: Vec<DWord>,
    pub dest: Option<DWord>,
    pub exec_form: bool,
}

/// `key=value` (or the legacy `ENV key value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: DWord,
    pub value: DWord,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: DWord,
    pub default: Option<DWord>,
    pub range: TextRange,
}

/// `USER user[:group]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub user: DWord,
    pub group: Option<DWord>,
}

#[derive(Clone, Debug)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disables any health check inherited from the base image.
    None(TextRange),
    Cmd(CommandForm),
}
