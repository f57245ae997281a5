//! One logical line to an [`Instruction`]: keyword, flags and the instruction-specific arguments.

use std::ops::Range;

use plimsoll_shell::{ParseOptions, Word, parse_argv, parse_script};
use plimsoll_span::{Spanned, TextRange};

use super::heredoc::ReadHeredoc;
use super::json::{JsonArray, parse_array};
use super::lines::{Joined, Line, leading_ws};
use super::words::{RawFlag, split_flags, split_words, unquote};
use super::{clip, suggest_keyword};
use crate::ast::{
    ArgDecl, Body, CommandForm, CopyAdd, DWord, Flag, From, Healthcheck, Instruction, KeyValue, Keyword,
    SyntaxError, User,
};

/// Keyword, flags and where the arguments are, in joined-text offsets.
pub(crate) struct Header {
    pub keyword: Keyword,
    pub keyword_span: Range<usize>,
    pub flags: Vec<RawFlag>,
    /// The arguments after the flags, trimmed of whitespace.
    pub args: Range<usize>,
}

/// Splits the line at `start` as BuildKit's `splitCommand` does: the keyword ends at the first ASCII
/// blank, the flag words follow, and the rest are the arguments.
pub(crate) fn header(text: &str, start: usize) -> Header {
    let start = start + leading_ws(&text[start..]);
    let keyword_end =
        text[start..].find(['\t', '\u{b}', '\u{c}', '\r', ' ']).map_or(text.len(), |i| start + i);
    let (flags, args_start) = split_flags(text, keyword_end..text.len());
    let rest = &text[args_start..];
    let trimmed = rest.trim();
    let args = if trimmed.is_empty() {
        // No arguments: an empty range right after the keyword or the last flag, inside the instruction.
        let at = flags.last().map_or(keyword_end, |f| f.range.end);
        at..at
    } else {
        let start = args_start + leading_ws(rest);
        start..start + trimmed.len()
    };
    Header {
        keyword: Keyword::parse(&text[start..keyword_end]),
        keyword_span: start..keyword_end,
        flags,
        args,
    }
}

/// Whether the instruction on this line reads heredocs: RUN, COPY or ADD (also as an ONBUILD trigger) in
/// shell form.
pub(crate) fn takes_heredocs(text: &str) -> bool {
    let mut h = header(text, 0);
    if h.keyword == Keyword::Onbuild {
        h = header(text, h.args.start);
    }
    matches!(h.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && !matches!(parse_array(text, h.args), JsonArray::Strings(_))
}

/// Instructions that accept `--flags`.
fn takes_flags(keyword: Keyword) -> bool {
    matches!(keyword, Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Healthcheck)
}

/// What an instruction needs when it has no arguments.
fn needs(keyword: Keyword) -> &'static str {
    match keyword {
        Keyword::From => "a base image (`FROM image[:tag] [AS name]`)",
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => "a command",
        Keyword::Copy | Keyword::Add => "one or more sources and a destination",
        Keyword::Env => "at least one `name=value`",
        Keyword::Label => "at least one `key=value`",
        Keyword::Arg => "a name (`ARG name[=default]`)",
        Keyword::Expose => "at least one port",
        Keyword::User => "a user name or UID (`USER user[:group]`)",
        Keyword::Workdir | Keyword::Volume => "a path",
        Keyword::Stopsignal => "a signal name or number",
        Keyword::Maintainer => "a name",
        Keyword::Healthcheck => "`NONE` or `CMD <command>`",
        Keyword::Onbuild => "an instruction to run in builds that use this image",
        Keyword::Shell => "a JSON array such as `[\"/bin/sh\", \"-c\"]`",
        Keyword::Unknown => "arguments",
    }
}

/// Parses instructions of one logical line.
pub(crate) struct InstructionParser<'a> {
    pub source: &'a str,
    pub lines: &'a [Line],
    pub line: &'a Joined,
    pub escape: char,
    /// The stage's shell is POSIX, so shell-form code is parsed.
    pub posix: bool,
    pub errors: &'a mut Vec<SyntaxError>,
}

impl InstructionParser<'_> {
    fn map(&self, range: Range<usize>) -> TextRange {
        self.line.to_source(range)
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(SyntaxError { range, message: message.into() });
    }

    fn raw(&self, range: Range<usize>) -> DWord {
        DWord { text: self.line.text[range.clone()].to_string(), range: self.map(range) }
    }

    /// One word (or a whole rest of line, spaces kept) after quote and escape removal.
    fn word(&mut self, range: Range<usize>) -> DWord {
        let unquoted = unquote(&self.line.text[range.clone()], self.escape);
        if let Some((at, quote)) = unquoted.unterminated {
            let r = self.map(range.start + at..range.end);
            self.error(
                r,
                format!("unterminated `{quote}` quote: close it, or escape it with `{}`", self.escape),
            );
        }
        DWord { text: unquoted.text, range: self.map(range) }
    }

    fn words(&mut self, range: Range<usize>) -> Vec<DWord> {
        split_words(&self.line.text, range, self.escape).into_iter().map(|w| self.word(w)).collect()
    }

    fn flag(&self, raw: RawFlag) -> Flag {
        let (name, name_end, value) = match raw.eq {
            Some((i, after)) => {
                let value =
                    DWord { text: raw.text[i + 1..].to_string(), range: self.map(after..raw.range.end) };
                (&raw.text[2..i], after - 1, Some(value))
            }
            None => (&raw.text[2..], raw.range.end, None),
        };
        Flag {
            name: Spanned::new(name.to_ascii_lowercase(), self.map(raw.range.start + 2..name_end)),
            value,
            range: self.map(raw.range),
        }
    }

    /// The instruction starting at joined offset `start`, ending at source offset `end` (heredocs
    /// included). `depth` is 1 inside ONBUILD.
    pub fn instruction(
        &mut self,
        start: usize,
        heredocs: Vec<ReadHeredoc>,
        end: u32,
        depth: u8,
        indented: bool,
    ) -> Instruction {
        let h = header(&self.line.text, start);
        let keyword_text = self.line.text[h.keyword_span.clone()].to_string();
        let keyword_range = self.map(h.keyword_span.clone());
        let first_flag_text = h.flags.first().map(|f| clip(&f.text));
        let flags: Vec<Flag> = h.flags.into_iter().map(|f| self.flag(f)).collect();
        let rejected_flags = !takes_flags(h.keyword) && h.keyword != Keyword::Unknown && !flags.is_empty();
        if let (true, Some(first), Some(last), Some(text)) =
            (rejected_flags, flags.first(), flags.last(), first_flag_text)
        {
            let mut message = format!(
                "`{}` takes no flags (only FROM, RUN, COPY, ADD and HEALTHCHECK do)",
                h.keyword.as_str()
            );
            if matches!(h.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                message.push_str(&format!(
                    "; to pass arguments that start with `--`, use the exec form: `{} [\"{}\"]`",
                    h.keyword.as_str(),
                    text.replace('"', "\\\""),
                ));
            }
            self.error(first.range.cover(last.range), message);
        }
        let args = h.args;
        let mut used_heredocs = Vec::new();
        let body = match h.keyword {
            Keyword::Unknown => {
                self.unknown_keyword(&keyword_text, keyword_range, indented);
                Body::Unknown(self.raw(args))
            }
            _ if args.is_empty() => {
                // With rejected flags the flag error already explains where the arguments went.
                if !rejected_flags {
                    let message = format!("`{}` needs {}", h.keyword.as_str(), needs(h.keyword));
                    self.error(keyword_range, message);
                }
                Body::Empty
            }
            Keyword::From => self.from(args),
            Keyword::Run => {
                let body = self
                    .command(args.clone(), &heredocs)
                    .map_or_else(|| Body::Unknown(self.raw(args)), Body::Run);
                used_heredocs = heredocs;
                body
            }
            Keyword::Cmd => {
                self.command(args.clone(), &[]).map_or_else(|| Body::Unknown(self.raw(args)), Body::Cmd)
            }
            Keyword::Entrypoint => self
                .command(args.clone(), &[])
                .map_or_else(|| Body::Unknown(self.raw(args)), Body::Entrypoint),
            Keyword::Shell => self.shell(args),
            Keyword::Copy | Keyword::Add => {
                used_heredocs = heredocs;
                self.copy_add(h.keyword, args)
            }
            Keyword::Env => Body::Env(self.key_values(Keyword::Env, args)),
            Keyword::Label => Body::Label(self.key_values(Keyword::Label, args)),
            Keyword::Arg => Body::Arg(self.arg(args)),
            Keyword::Expose => Body::Expose(self.words(args)),
            Keyword::User => Body::User(self.user(args)),
            Keyword::Workdir => Body::Workdir(self.word(args)),
            Keyword::Stopsignal => Body::Stopsignal(self.word(args)),
            // MAINTAINER is never expanded or unquoted by the build.
            Keyword::Maintainer => Body::Maintainer(self.raw(args)),
            Keyword::Volume => self.volume(args),
            Keyword::Healthcheck => self.healthcheck(args),
            Keyword::Onbuild if depth > 0 => {
                self.error(
                    keyword_range,
                    "`ONBUILD ONBUILD` is not allowed: a trigger cannot be another ONBUILD",
                );
                Body::Unknown(self.raw(args))
            }
            Keyword::Onbuild => {
                let inner = self.instruction(args.start, heredocs, end, depth + 1, false);
                if matches!(inner.keyword, Keyword::From | Keyword::Maintainer) {
                    let message =
                        format!("`{}` is not allowed as an ONBUILD trigger", inner.keyword.as_str());
                    self.error(inner.keyword_range, message);
                }
                Body::Onbuild(Box::new(inner))
            }
        };
        Instruction {
            keyword: h.keyword,
            keyword_text,
            keyword_range,
            range: TextRange::new(keyword_range.start, end.max(keyword_range.end)),
            flags,
            body,
            heredocs: used_heredocs.into_iter().map(|h| h.heredoc).collect(),
        }
    }

    fn unknown_keyword(&mut self, word: &str, range: TextRange, indented: bool) {
        let mut message = format!("unknown instruction `{}`", clip(word));
        if let Some(keyword) = suggest_keyword(word) {
            message.push_str(&format!("; did you mean `{}`?", keyword.as_str()));
        } else if indented || word.starts_with(['&', '|', ';']) {
            message.push_str("; is a `");
            message.push(self.escape);
            message.push_str("` missing at the end of the previous line?");
        }
        self.error(range, message);
    }

    fn from(&mut self, args: Range<usize>) -> Body {
        let mut words = self.words(args.clone()).into_iter();
        let Some(image) = words.next() else { return self.empty_words(Keyword::From, args) };
        let rest: Vec<DWord> = words.collect();
        let has_as = rest.first().is_some_and(|w| w.text.eq_ignore_ascii_case("as"));
        let name = match (has_as, rest.get(1)) {
            (true, Some(name)) => {
                let lower = name.text.to_ascii_lowercase();
                let valid = lower.starts_with(|c: char| c.is_ascii_lowercase())
                    && lower
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
                // Stage names cannot use variables: BuildKit checks the name as written.
                if !valid {
                    self.error(
                        name.range,
                        format!(
                            "invalid stage name `{}`: start with a letter and use only letters, digits, `-`, `_` \
                             and `.`",
                            clip(&name.text)
                        ),
                    );
                }
                Some(DWord { text: lower, range: name.range })
            }
            _ => None,
        };
        let expected = if has_as { 2 } else { 0 };
        if rest.len() != expected {
            // Point at the words that do not fit: those after `AS name`, or all after the image.
            let extra = if has_as && rest.len() > expected { &rest[expected..] } else { &rest[..] };
            let range = match (extra.first(), extra.last()) {
                (Some(first), Some(last)) => first.range.cover(last.range),
                _ => image.range,
            };
            self.error(
                range,
                "`FROM` takes an image and an optional `AS name`: `FROM image[:tag] [AS name]`",
            );
        }
        Body::From(From { image, name })
    }

    /// Arguments that contain no word at all (only a dropped escape character).
    fn empty_words(&mut self, keyword: Keyword, args: Range<usize>) -> Body {
        let range = self.map(args);
        self.error(range, format!("`{}` needs {}", keyword.as_str(), needs(keyword)));
        Body::Empty
    }

    /// The exec or shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD; `None` (after an error) for a
    /// JSON array that holds something other than strings.
    fn command(&mut self, args: Range<usize>, heredocs: &[ReadHeredoc]) -> Option<CommandForm> {
        match parse_array(&self.line.text, args.clone()) {
            JsonArray::Strings(items) => {
                let args_words = self.json_words(items);
                let range = self.map(args);
                let argv = args_words
                    .iter()
                    .map(|w| Word { range: w.range, text: w.text.clone(), dynamic: w.text.contains('$') })
                    .collect();
                Some(CommandForm::Exec { script: parse_argv(argv, range), args: args_words, range })
            }
            JsonArray::NotStrings => {
                self.not_strings(args);
                None
            }
            JsonArray::Invalid => {
                let shell = self.shell_view(args, heredocs);
                let range = shell.to_source(0..shell.text.len());
                let script = self.posix.then(|| {
                    let mut script =
                        parse_script(&shell.text, 0, ParseOptions { bare_heredoc_is_script: true });
                    script.remap(|r| shell.map_range(r));
                    script
                });
                Some(CommandForm::Shell { text: shell.text, range, script })
            }
        }
    }

    /// The command as `/bin/sh -c` receives it: the joined line, then each heredoc's body lines and its
    /// delimiter after a newline (BuildKit's `cmd\nbody\nEOF`).
    fn shell_view(&self, args: Range<usize>, heredocs: &[ReadHeredoc]) -> Joined {
        let mut shell = self.line.slice(args);
        for heredoc in heredocs {
            shell.push_synthetic("\n");
            for line in &self.lines[heredoc.lines.clone()] {
                shell.push_source(self.source, line.start..line.end);
                shell.push_synthetic("\n");
            }
            if let Some(delimiter) = &heredoc.delimiter_at {
                shell.push_source(self.source, delimiter.clone());
            }
        }
        shell
    }

    fn not_strings(&mut self, args: Range<usize>) {
        let range = self.map(args);
        self.error(range, "a JSON array here must hold only strings; quote every element");
    }

    fn json_words(&self, items: Vec<(Range<usize>, String)>) -> Vec<DWord> {
        items.into_iter().map(|(r, text)| DWord { text, range: self.map(r) }).collect()
    }

    fn shell(&mut self, args: Range<usize>) -> Body {
        match parse_array(&self.line.text, args.clone()) {
            JsonArray::Strings(items) => {
                if items.is_empty() {
                    let range = self.map(args);
                    self.error(
                        range,
                        "`SHELL` needs at least the shell executable: `SHELL [\"/bin/sh\", \"-c\"]`",
                    );
                }
                Body::Shell(self.json_words(items))
            }
            JsonArray::NotStrings => {
                self.not_strings(args.clone());
                Body::Unknown(self.raw(args))
            }
            JsonArray::Invalid => {
                let range = self.map(args.clone());
                self.error(
                    range,
                    "`SHELL` must be a JSON array of strings, e.g. `SHELL [\"/bin/bash\", \"-c\"]`",
                );
                Body::Unknown(self.raw(args))
            }
        }
    }

    /// Words of the JSON or whitespace-separated form of COPY, ADD and VOLUME; `None` after an error.
    fn list(&mut self, args: Range<usize>) -> Option<(Vec<DWord>, bool)> {
        match parse_array(&self.line.text, args.clone()) {
            JsonArray::Strings(items) => Some((self.json_words(items), true)),
            JsonArray::NotStrings => {
                self.not_strings(args);
                None
            }
            JsonArray::Invalid => Some((self.words(args), false)),
        }
    }

    fn copy_add(&mut self, keyword: Keyword, args: Range<usize>) -> Body {
        let Some((mut words, exec_form)) = self.list(args.clone()) else {
            return Body::Unknown(self.raw(args));
        };
        let dest = if words.len() >= 2 { words.pop() } else { None };
        if dest.is_none() {
            let range = words.first().map_or_else(|| self.map(args), |w| w.range);
            self.error(
                range,
                format!(
                    "`{}` needs a destination after the source: `{} <src>... <dest>`",
                    keyword.as_str(),
                    keyword.as_str()
                ),
            );
        }
        let copy = CopyAdd { sources: words, dest, exec_form };
        if keyword == Keyword::Copy { Body::Copy(copy) } else { Body::Add(copy) }
    }

    fn volume(&mut self, args: Range<usize>) -> Body {
        match self.list(args.clone()) {
            Some((words, _)) => Body::Volume(words),
            None => Body::Unknown(self.raw(args)),
        }
    }

    /// ENV and LABEL: `k=v …`, or the legacy `k v…` where the value is the rest of the line.
    fn key_values(&mut self, keyword: Keyword, args: Range<usize>) -> Vec<KeyValue> {
        let words = split_words(&self.line.text, args.clone(), self.escape);
        let Some(first) = words.first() else {
            self.empty_words(keyword, args);
            return Vec::new();
        };
        if !self.line.text[first.clone()].contains('=') {
            // BuildKit splits the legacy form at the first run of blanks, quotes or not.
            let text = &self.line.text[args.clone()];
            let Some(blank) = text.find(['\t', '\u{b}', '\u{c}', '\r', ' ']) else {
                let range = self.map(args.clone());
                let key = clip(text);
                self.error(
                    range,
                    format!(
                        "`{} {key}` needs a value: write `{} {key}=value`",
                        keyword.as_str(),
                        keyword.as_str()
                    ),
                );
                return Vec::new();
            };
            let key_end = args.start + blank;
            let blanks = text[blank..].len()
                - text[blank..].trim_start_matches(['\t', '\u{b}', '\u{c}', '\r', ' ']).len();
            let value_start = key_end + blanks;
            let key = self.word(args.start..key_end);
            let value = self.word(value_start..args.end);
            return vec![KeyValue { key, value, range: self.map(args) }];
        }
        let mut pairs = Vec::with_capacity(words.len());
        for word in words {
            let Some(eq) = self.line.text[word.clone()].find('=') else {
                let range = self.map(word.clone());
                self.error(
                    range,
                    format!(
                        "`{}` is not `name=value`: every word of `{} name=value …` needs an `=` (quote values that \
                         contain spaces)",
                        clip(&self.line.text[word]),
                        keyword.as_str()
                    ),
                );
                continue;
            };
            let eq = word.start + eq;
            if eq == word.start {
                let range = self.map(word.clone());
                self.error(range, format!("`{}` name is empty before `=`", keyword.as_str()));
                continue;
            }
            let key = self.word(word.start..eq);
            let value = self.word(eq + 1..word.end);
            pairs.push(KeyValue { key, value, range: self.map(word) });
        }
        pairs
    }

    fn arg(&mut self, args: Range<usize>) -> Vec<ArgDecl> {
        let words = split_words(&self.line.text, args.clone(), self.escape);
        if words.is_empty() {
            self.empty_words(Keyword::Arg, args);
        }
        let mut decls = Vec::with_capacity(words.len());
        for word in words {
            let (name, default) = match self.line.text[word.clone()].find('=') {
                Some(0) => {
                    let range = self.map(word.clone());
                    self.error(range, "`ARG` name is empty before `=`");
                    continue;
                }
                Some(eq) => {
                    let eq = word.start + eq;
                    (self.word(word.start..eq), Some(self.word(eq + 1..word.end)))
                }
                None => (self.word(word.clone()), None),
            };
            decls.push(ArgDecl { name, default, range: self.map(word) });
        }
        decls
    }

    /// `USER user[:group]`: the whole rest of the line, split at the first `:` outside `${…}`.
    fn user(&mut self, args: Range<usize>) -> User {
        // BuildKit takes exactly one argument; extra words are an error and are not part of the user.
        let parts = split_words(&self.line.text, args.clone(), self.escape);
        let args = match parts.as_slice() {
            [first, second, ..] => {
                let extra = self.map(second.start..args.end);
                self.error(extra, "`USER` takes exactly one argument; write `USER user[:group]`");
                first.clone()
            }
            _ => args,
        };
        let text = &self.line.text[args.clone()];
        let mut depth = 0usize;
        let mut colon = None;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b':' if depth == 0 => {
                    colon = Some(args.start + i);
                    break;
                }
                _ => {}
            }
        }
        match colon {
            Some(colon) => {
                User { user: self.word(args.start..colon), group: Some(self.word(colon + 1..args.end)) }
            }
            None => User { user: self.word(args), group: None },
        }
    }

    /// `HEALTHCHECK NONE` or `HEALTHCHECK [flags] CMD <command>`.
    fn healthcheck(&mut self, args: Range<usize>) -> Body {
        let text = &self.line.text[args.clone()];
        let kind_len = text.find(char::is_whitespace).unwrap_or(text.len());
        let kind = args.start..args.start + kind_len;
        let rest_start = kind.end + leading_ws(&text[kind_len..]);
        let rest = rest_start..args.end;
        let kind_text = &self.line.text[kind.clone()];
        if kind_text.eq_ignore_ascii_case("none") {
            if !rest.is_empty() {
                let range = self.map(rest);
                self.error(range, "`HEALTHCHECK NONE` takes no arguments");
            }
            return Body::Healthcheck(Healthcheck::None(self.map(kind)));
        }
        if !kind_text.eq_ignore_ascii_case("cmd") {
            let range = self.map(kind);
            let message =
                format!("unknown HEALTHCHECK type `{}`: use `CMD <command>` or `NONE`", clip(kind_text));
            self.error(range, message);
            return Body::Unknown(self.raw(args));
        }
        if rest.is_empty() {
            let range = self.map(kind);
            self.error(range, "`HEALTHCHECK CMD` needs a command");
            return Body::Unknown(self.raw(args));
        }
        match self.command(rest, &[]) {
            Some(form) => Body::Healthcheck(Healthcheck::Cmd(form)),
            None => Body::Unknown(self.raw(args)),
        }
    }
}
