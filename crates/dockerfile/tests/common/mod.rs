//! Checks shared by the corpus and robustness tests.

use plimsoll_dockerfile::{Body, CommandForm, DWord, Dockerfile, Flag, Healthcheck, Instruction};
use plimsoll_shell::Script;
use plimsoll_span::TextRange;

/// Every range of the tree lies on character boundaries of `text`, and every node of an instruction lies
/// inside the instruction's range: a broken source map shows up here. Returns one line per problem.
pub fn range_problems(text: &str, file: &Dockerfile) -> Vec<String> {
    let mut check = Checker { text, problems: Vec::new() };
    let whole = TextRange::from_usize(0, text.len());
    for d in &file.directives {
        check.within(whole, d.range, "directive");
    }
    for c in &file.comments {
        check.within(whole, c.range, "comment");
    }
    for e in &file.errors {
        check.within(whole, e.range, "error");
    }
    for inst in &file.instructions {
        check.within(whole, inst.range, "instruction");
        check.instruction(inst.range, inst);
    }
    check.problems
}

struct Checker<'a> {
    text: &'a str,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn within(&mut self, outer: TextRange, range: TextRange, what: &str) {
        let valid = range.start <= range.end
            && (range.end as usize) <= self.text.len()
            && self.text.is_char_boundary(range.start as usize)
            && self.text.is_char_boundary(range.end as usize)
            && outer.contains_range(range);
        if !valid {
            self.problems.push(format!("{what} {range:?} not within {outer:?}"));
        }
    }

    fn words(&mut self, outer: TextRange, words: &[DWord], what: &str) {
        for w in words {
            self.within(outer, w.range, what);
        }
    }

    fn flag(&mut self, outer: TextRange, flag: &Flag) {
        self.within(outer, flag.range, "flag");
        self.within(flag.range, flag.name.range, "flag name");
        if let Some(value) = &flag.value {
            self.within(flag.range, value.range, "flag value");
        }
        for option in flag.options() {
            self.within(flag.range, option.range, "flag option");
        }
    }

    fn instruction(&mut self, outer: TextRange, inst: &Instruction) {
        self.within(outer, inst.range, "instruction");
        let r = inst.range;
        self.within(r, inst.keyword_range, "keyword");
        for flag in &inst.flags {
            self.flag(r, flag);
        }
        for h in &inst.heredocs {
            self.within(r, h.marker, "heredoc marker");
            self.within(r, h.body, "heredoc body");
            if let Some(t) = h.terminator {
                self.within(r, t, "heredoc terminator");
            }
        }
        match &inst.body {
            Body::From(from) => {
                self.within(r, from.image.range, "image");
                self.words(r, from.name.as_slice(), "stage name");
            }
            Body::Run(form) | Body::Cmd(form) | Body::Entrypoint(form) => self.form(r, form),
            Body::Healthcheck(Healthcheck::Cmd(form)) => self.form(r, form),
            Body::Healthcheck(Healthcheck::None(range)) => self.within(r, *range, "NONE"),
            Body::Shell(words) | Body::Expose(words) | Body::Volume(words) => self.words(r, words, "word"),
            Body::Copy(copy) | Body::Add(copy) => {
                self.words(r, &copy.sources, "source");
                self.words(r, copy.dest.as_slice(), "dest");
            }
            Body::Env(pairs) | Body::Label(pairs) => {
                for kv in pairs {
                    self.within(r, kv.range, "pair");
                    self.within(kv.range, kv.key.range, "key");
                    self.within(kv.range, kv.value.range, "value");
                }
            }
            Body::Arg(decls) => {
                for d in decls {
                    self.within(r, d.range, "arg");
                    self.within(d.range, d.name.range, "arg name");
                    self.words(d.range, d.default.as_slice(), "arg default");
                }
            }
            Body::User(user) => {
                self.within(r, user.user.range, "user");
                self.words(r, user.group.as_slice(), "group");
            }
            Body::Workdir(w) | Body::Stopsignal(w) | Body::Maintainer(w) | Body::Unknown(w) => {
                self.within(r, w.range, "word")
            }
            Body::Onbuild(inner) => self.instruction(r, inner),
            Body::Empty => {}
        }
    }

    fn form(&mut self, outer: TextRange, form: &CommandForm) {
        self.within(outer, form.range(), "command form");
        if let CommandForm::Exec { args, .. } = form {
            self.words(form.range(), args, "exec arg");
        }
        if let Some(script) = form.script() {
            self.script(outer, script);
        }
    }

    fn script(&mut self, outer: TextRange, script: &Script) {
        for cmd in &script.commands {
            self.within(outer, cmd.range, "command");
            for w in &cmd.words {
                self.within(outer, w.range, "shell word");
            }
            for a in &cmd.assignments {
                self.within(outer, a.range, "assignment");
            }
            for redirect in &cmd.redirects {
                self.within(outer, redirect.range, "redirect");
                if let Some(body) = redirect.heredoc_body {
                    self.within(outer, body, "shell heredoc body");
                }
            }
        }
        for p in &script.pipelines {
            self.within(outer, p.range, "pipeline");
        }
        for e in &script.errors {
            self.within(outer, *e, "shell error");
        }
    }
}
