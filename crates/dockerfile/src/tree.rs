//! A readable dump of the syntax tree, one node per line with `line:column` positions: what the golden
//! tests in `grammars/dockerfile/` compare and what reviewers read.

use std::fmt::Write;

use plimsoll_shell::{Command, Context, Script, Word};
use plimsoll_span::{LineIndex, TextRange};

use crate::ast::{Body, CommandForm, DWord, Dockerfile, Flag, Healthcheck, Heredoc, Instruction, KeyValue};

impl Dockerfile {
    /// The tree as indented text. Positions are `line:column-line:column`, 1-based, columns in characters;
    /// texts are quoted and escaped as Rust string literals.
    pub fn debug_tree(&self, text: &str) -> String {
        let mut p = Printer { text, index: LineIndex::new(text), out: String::new() };
        p.line(0, format!("escape {:?}", self.escape));
        for d in &self.directives {
            let (name, value) = (&d.name, &d.value);
            p.line(
                0,
                format!(
                    "directive {} {} name {} = {:?} {}",
                    name.value,
                    p.pos(d.range),
                    p.pos(name.range),
                    value.value,
                    p.pos(value.range)
                ),
            );
        }
        for c in &self.comments {
            p.line(0, format!("comment {} {:?}", p.pos(c.range), c.text));
        }
        for inst in &self.instructions {
            p.instruction(0, inst);
        }
        for e in &self.errors {
            p.line(0, format!("error {} {}", p.pos(e.range), e.message));
        }
        p.out
    }
}

struct Printer<'a> {
    text: &'a str,
    index: LineIndex,
    out: String,
}

impl Printer<'_> {
    fn pos(&self, range: TextRange) -> String {
        let start = self.index.line_col(self.text, range.start);
        let end = self.index.line_col(self.text, range.end);
        format!("{}:{}-{}:{}", start.line, start.column, end.line, end.column)
    }

    fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn word(&mut self, depth: usize, label: &str, word: &DWord) {
        let line = format!("{label} {:?} {}", word.text, self.pos(word.range));
        self.line(depth, line);
    }

    fn instruction(&mut self, depth: usize, inst: &Instruction) {
        let head = format!(
            "{} {} keyword {:?} {}",
            inst.keyword.as_str(),
            self.pos(inst.range),
            inst.keyword_text,
            self.pos(inst.keyword_range)
        );
        self.line(depth, head);
        let depth = depth + 1;
        for flag in &inst.flags {
            self.flag(depth, flag);
        }
        match &inst.body {
            Body::From(from) => {
                self.word(depth, "image", &from.image);
                if let Some(name) = &from.name {
                    self.word(depth, "as", name);
                }
            }
            Body::Run(form) | Body::Cmd(form) | Body::Entrypoint(form) => self.form(depth, form),
            Body::Shell(args) => args.iter().for_each(|a| self.word(depth, "arg", a)),
            Body::Copy(copy) | Body::Add(copy) => {
                if copy.exec_form {
                    self.line(depth, "exec-form");
                }
                copy.sources.iter().for_each(|s| self.word(depth, "source", s));
                match &copy.dest {
                    Some(dest) => self.word(depth, "dest", dest),
                    None => self.line(depth, "dest (missing)"),
                }
            }
            Body::Env(pairs) | Body::Label(pairs) => pairs.iter().for_each(|kv| self.pair(depth, kv)),
            Body::Arg(decls) => {
                for decl in decls {
                    let mut line = format!("arg {:?} {}", decl.name.text, self.pos(decl.name.range));
                    if let Some(default) = &decl.default {
                        let _ = write!(line, " = {:?} {}", default.text, self.pos(default.range));
                    }
                    self.line(depth, line);
                }
            }
            Body::Expose(ports) => ports.iter().for_each(|p| self.word(depth, "port", p)),
            Body::User(user) => {
                self.word(depth, "user", &user.user);
                if let Some(group) = &user.group {
                    self.word(depth, "group", group);
                }
            }
            Body::Workdir(path) => self.word(depth, "path", path),
            Body::Volume(paths) => paths.iter().for_each(|p| self.word(depth, "path", p)),
            Body::Healthcheck(Healthcheck::None(range)) => {
                let line = format!("none {}", self.pos(*range));
                self.line(depth, line);
            }
            Body::Healthcheck(Healthcheck::Cmd(form)) => self.form(depth, form),
            Body::Stopsignal(signal) => self.word(depth, "signal", signal),
            Body::Maintainer(name) => self.word(depth, "maintainer", name),
            Body::Onbuild(inner) => self.instruction(depth, inner),
            Body::Unknown(raw) => self.word(depth, "raw", raw),
            Body::Empty => self.line(depth, "(no arguments)"),
        }
        for heredoc in &inst.heredocs {
            self.heredoc(depth, heredoc);
        }
    }

    fn flag(&mut self, depth: usize, flag: &Flag) {
        let mut line = format!("flag {} {}", flag.name.value, self.pos(flag.range));
        if let Some(value) = &flag.value {
            let _ = write!(line, " = {:?} {}", value.text, self.pos(value.range));
        }
        self.line(depth, line);
        let options = flag.options();
        // A value without commas or `=` is a plain value, not a list of options.
        if options.len() > 1 || options.iter().any(|o| o.value.is_some()) {
            for option in options {
                let mut line = format!("option {} {}", option.key.value, self.pos(option.key.range));
                if let Some(value) = &option.value {
                    let _ = write!(line, " = {:?} {}", value.value, self.pos(value.range));
                }
                self.line(depth + 1, line);
            }
        }
    }

    fn pair(&mut self, depth: usize, kv: &KeyValue) {
        let line = format!(
            "pair {} {:?} {} = {:?} {}",
            self.pos(kv.range),
            kv.key.text,
            self.pos(kv.key.range),
            kv.value.text,
            self.pos(kv.value.range)
        );
        self.line(depth, line);
    }

    fn heredoc(&mut self, depth: usize, h: &Heredoc) {
        let mut line =
            format!("heredoc {:?} marker {} body {}", h.delimiter, self.pos(h.marker), self.pos(h.body));
        match h.terminator {
            Some(t) => {
                let _ = write!(line, " terminator {}", self.pos(t));
            }
            None => line.push_str(" unterminated"),
        }
        if h.strip_tabs {
            line.push_str(" strip-tabs");
        }
        if h.quoted {
            line.push_str(" quoted");
        }
        self.line(depth, line);
        self.line(depth + 1, format!("content {:?}", h.content));
    }

    fn form(&mut self, depth: usize, form: &CommandForm) {
        match form {
            CommandForm::Exec { args, range, script } => {
                let line = format!("exec {}", self.pos(*range));
                self.line(depth, line);
                args.iter().for_each(|a| self.word(depth + 1, "arg", a));
                self.script(depth + 1, script);
            }
            CommandForm::Shell { text, range, script } => {
                let line = format!("shell {} {:?}", self.pos(*range), text);
                self.line(depth, line);
                match script {
                    Some(script) => self.script(depth + 1, script),
                    None => self.line(depth + 1, "(not POSIX shell code: not parsed)"),
                }
            }
        }
    }

    fn script(&mut self, depth: usize, script: &Script) {
        for (id, command) in script.commands.iter().enumerate() {
            self.command(depth, id, command);
        }
        for (id, pipeline) in script.pipelines.iter().enumerate() {
            let members: Vec<String> = pipeline.commands.iter().map(|c| format!("#{c}")).collect();
            let line = format!("pipeline #{id} {} [{}]", self.pos(pipeline.range), members.join(", "));
            self.line(depth, line);
        }
        for error in &script.errors {
            let line = format!("shell-error {} {:?}", self.pos(*error), error.slice(self.text));
            self.line(depth, line);
        }
    }

    fn command(&mut self, depth: usize, id: usize, command: &Command) {
        let context = match command.context {
            Context::Script => "script",
            Context::CommandSubstitution => "substitution",
            Context::ProcessSubstitution => "process-substitution",
            Context::ShellString => "shell-string",
            Context::HeredocScript => "heredoc-script",
        };
        let mut line = format!("command #{id} {} {context}", self.pos(command.range));
        if let Some(parent) = command.parent {
            let _ = write!(line, " parent #{parent}");
        }
        if let Some((pipeline, position)) = command.pipeline {
            let _ = write!(line, " pipeline #{pipeline}.{position}");
        }
        self.line(depth, line);
        let depth = depth + 1;
        for a in &command.assignments {
            let mut line = format!("assign {:?} {}", a.name, self.pos(a.range));
            if let Some(value) = &a.value {
                let _ = write!(line, " = {}", self.shell_word(value));
            }
            self.line(depth, line);
        }
        for word in &command.words {
            let line = format!("word {}", self.shell_word(word));
            self.line(depth, line);
        }
        for r in &command.redirects {
            let mut line = format!("redirect {:?} {}", r.operator, self.pos(r.range));
            if let Some(target) = &r.target {
                let _ = write!(line, " -> {}", self.shell_word(target));
            }
            if let Some(body) = r.heredoc_body {
                let _ = write!(line, " heredoc-body {}", self.pos(body));
            }
            self.line(depth, line);
        }
    }

    fn shell_word(&self, word: &Word) -> String {
        let dynamic = if word.dynamic { " dynamic" } else { "" };
        format!("{:?} {}{dynamic}", word.text, self.pos(word.range))
    }
}
