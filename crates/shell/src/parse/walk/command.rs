//! Building one `Command`: its words, assignments and redirections.

use tree_sitter::Node;

use super::{Kind, Walker};
use crate::parse::{Level, word};
use crate::{Assignment, Command, Redirect, Word};

/// Parts of a command found while building it, acted on once it has an id.
#[derive(Default)]
pub(super) struct Pending<'t> {
    /// Subtrees to search for substitutions, in source order.
    pub(super) scans: Vec<Node<'t>>,
    /// Each word as `(node holding it, start, end)`, in step with `Command::words`.
    pub(super) argv: Vec<(Node<'t>, usize, usize)>,
    pub(super) heredocs: Vec<Heredoc<'t>>,
    /// `| …` written after a heredoc operator (`cat <<EOF | sh`).
    pub(super) tails: Vec<Node<'t>>,
    /// `&& …` / `|| …` written after a heredoc operator.
    pub(super) rights: Vec<Node<'t>>,
    /// Index of the redirect that ends up as stdin.
    pub(super) stdin: Option<usize>,
    /// `(redirect index, word)` of each here-string (`bash <<< "…"` runs the word).
    pub(super) herestrings: Vec<(usize, Node<'t>)>,
    pub(super) lo: usize,
    pub(super) hi: usize,
}

impl Pending<'_> {
    pub(super) fn extend(&mut self, start: usize, end: usize) {
        self.lo = self.lo.min(start);
        self.hi = self.hi.max(end);
    }
}

pub(super) struct Heredoc<'t> {
    pub(super) redirect: usize,
    pub(super) body: Option<Node<'t>>,
    /// `<<'EOF'`: the body is taken literally.
    pub(super) quoted: bool,
}

impl<'w, 't> Walker<'w, 't> {
    /// Turns a simple command (or declaration, test, bare assignment, redirect-only statement) into a
    /// `Command` and queues what is nested in it.
    pub(super) fn emit(
        &mut self,
        body: Option<Node<'t>>,
        redirects: &[Node<'t>],
        level: Level,
        in_pipeline: bool,
        tail: Option<Node<'t>>,
    ) {
        let mut cmd = Command {
            range: Default::default(),
            assignments: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            context: level.context,
            parent: level.parent,
            pipeline: None,
        };
        let mut p = Pending { lo: usize::MAX, ..Pending::default() };
        if let Some(body) = body {
            match self.g.kind(body) {
                Kind::Command => self.simple_command(body, &mut cmd, &mut p),
                Kind::Test => {
                    p.extend(body.start_byte(), body.end_byte());
                    self.test_words(body, &mut cmd, &mut p);
                    if body.has_error() || cmd.words.iter().any(|w| w.dynamic) {
                        p.scans.push(body);
                    }
                }
                Kind::Assignment => {
                    p.extend(body.start_byte(), body.end_byte());
                    self.push_assignment(body, &mut cmd, &mut p);
                }
                Kind::Assignments => {
                    p.extend(body.start_byte(), body.end_byte());
                    for node in self.named_children(body) {
                        if self.g.kind(node) == Kind::Assignment {
                            self.push_assignment(node, &mut cmd, &mut p);
                        } else {
                            p.scans.push(node);
                        }
                    }
                }
                // `export A=1 B`, `local x`, `unset Y`: the keyword and each operand as words.
                _ => {
                    p.extend(body.start_byte(), body.end_byte());
                    let children = self.children_of(body);
                    for &(_, child) in &children {
                        if child.is_missing() || self.g.kind(child) == Kind::Comment {
                            continue;
                        }
                        if child.is_error() {
                            p.scans.push(child);
                            continue;
                        }
                        self.push_word(child, child.start_byte(), &mut cmd, &mut p);
                        self.scan_if_dynamic(child, &cmd, &mut p);
                    }
                    self.children = children;
                }
            }
        }
        for &redirect in redirects {
            self.redirect(redirect, &mut cmd, &mut p);
        }
        if let Some(tail) = tail {
            let text = self.src.slice(tail.start_byte(), tail.end_byte());
            let start = tail.end_byte() - text.trim_start_matches([' ', '\t']).len();
            self.push_word(tail, start, &mut cmd, &mut p);
            p.extend(start, tail.end_byte());
        }
        if p.lo > p.hi {
            p.lo = p.hi;
        }
        cmd.range = self.src.range(p.lo, p.hi);
        let id = self.b.out.commands.len();
        self.b.out.commands.push(cmd);
        self.schedule(id, p, level, in_pipeline);
    }

    pub(super) fn push_word(&mut self, node: Node<'t>, start: usize, cmd: &mut Command, p: &mut Pending<'t>) {
        let word = self.word(node, start, node.end_byte());
        cmd.words.push(word);
        p.argv.push((node, start, node.end_byte()));
    }

    /// Queues `node`, which produced the command's last word, for the substitution search — only when it
    /// can hold one: every expansion makes a word dynamic, so static words are skipped (most words are).
    fn scan_if_dynamic(&self, node: Node<'t>, cmd: &Command, p: &mut Pending<'t>) {
        if node.has_error() || cmd.words.last().is_some_and(|w| w.dynamic) {
            p.scans.push(node);
        }
    }

    fn push_assignment(&mut self, node: Node<'t>, cmd: &mut Command, p: &mut Pending<'t>) {
        let assignment = self.assignment(node);
        if node.has_error() || assignment.value.as_ref().is_some_and(|v| v.dynamic) {
            p.scans.push(node);
        }
        cmd.assignments.push(assignment);
    }

    /// Pushes an argument of `command`; tree-sitter-bash splits `ab\⏎cd` into two words where the shell
    /// sees one, so such neighbours are joined.
    pub(super) fn push_argument(
        &mut self,
        command: Node<'t>,
        node: Node<'t>,
        cmd: &mut Command,
        p: &mut Pending<'t>,
    ) {
        if let Some(&(_, start, end)) = p.argv.last()
            && self.src.slice(end, node.start_byte()) == "\\\n"
        {
            let joined = self.word(command, start, node.end_byte());
            if let (Some(last), Some(entry)) = (cmd.words.last_mut(), p.argv.last_mut()) {
                *last = joined;
                *entry = (command, start, node.end_byte());
            }
            return;
        }
        self.push_word(node, node.start_byte(), cmd, p);
    }

    pub(super) fn simple_command(&mut self, node: Node<'t>, cmd: &mut Command, p: &mut Pending<'t>) {
        let children = self.children_of(node);
        for &(field, child) in &children {
            let kind = self.g.kind(child);
            if child.is_error() || child.is_missing() {
                p.scans.push(child);
            } else if field == self.g.name {
                if child.end_byte() <= self.src.prefix {
                    // The `:` put in front of a leading heredoc.
                    continue;
                }
                self.push_word(child, child.start_byte(), cmd, p);
                self.scan_if_dynamic(child, cmd, p);
            } else if field == self.g.argument {
                self.push_argument(node, child, cmd, p);
                self.scan_if_dynamic(child, cmd, p);
            } else if matches!(kind, Kind::FileRedirect | Kind::HeredocRedirect | Kind::HerestringRedirect) {
                self.redirect(child, cmd, p);
                continue;
            } else if kind == Kind::Assignment {
                self.push_assignment(child, cmd, p);
            } else if kind == Kind::Comment {
                continue;
            } else {
                p.scans.push(child);
            }
            p.extend(child.start_byte(), child.end_byte());
        }
        self.children = children;
    }

    pub(super) fn redirect(&mut self, node: Node<'t>, cmd: &mut Command, p: &mut Pending<'t>) {
        let kind = self.g.kind(node);
        if kind == Kind::HeredocRedirect {
            self.heredoc_redirect(node, cmd, p);
            return;
        }
        let children = self.children_of(node);
        let mut operator = String::new();
        let mut target: Option<Word> = None;
        let mut stdin = true;
        let mut dynamic = false;
        for &(field, child) in &children {
            if field == self.g.descriptor {
                stdin = self.src.slice(child.start_byte(), child.end_byte()) == "0";
            } else if !child.is_named() {
                if operator.is_empty() && !child.is_missing() {
                    operator = self.src.slice(child.start_byte(), child.end_byte()).to_owned();
                }
            } else if child.is_error() || child.is_missing() || self.g.kind(child) == Kind::Comment {
                // Not a word; errors are recorded when the redirect is scanned.
            } else if target.is_none() {
                let word = self.word(child, child.start_byte(), child.end_byte());
                dynamic |= word.dynamic;
                target = Some(word);
                if kind == Kind::HerestringRedirect {
                    p.herestrings.push((cmd.redirects.len(), child));
                }
            } else {
                // `echo > a b`: only the first word is the target; the rest are arguments.
                self.push_word(child, child.start_byte(), cmd, p);
                dynamic |= cmd.words.last().is_some_and(|w| w.dynamic);
            }
        }
        self.children = children;
        if operator.is_empty() && kind == Kind::HerestringRedirect {
            operator.push_str("<<<");
        }
        if stdin && operator.starts_with('<') {
            p.stdin = Some(cmd.redirects.len());
        }
        cmd.redirects.push(Redirect {
            range: self.src.range(node.start_byte(), node.end_byte()),
            operator,
            target,
            heredoc_body: None,
        });
        if dynamic || node.has_error() {
            p.scans.push(node);
        }
        p.extend(node.start_byte(), node.end_byte());
    }

    pub(super) fn heredoc_redirect(&mut self, node: Node<'t>, cmd: &mut Command, p: &mut Pending<'t>) {
        let children = self.children_of(node);
        let mut operator = String::new();
        let mut target = None;
        let mut body = None;
        let mut quoted = false;
        let mut stdin = true;
        let mut head_end = node.start_byte();
        let mut nested = Vec::new();
        for &(field, child) in &children {
            let kind = self.g.kind(child);
            if field == self.g.descriptor {
                stdin = self.src.slice(child.start_byte(), child.end_byte()) == "0";
            } else if field == self.g.right {
                p.rights.push(child);
            } else if field == self.g.operator || kind == Kind::HeredocEnd {
                // `&&`/`||` before `right`, and the closing delimiter line.
            } else if field == self.g.argument {
                // `cat <<EOF file`: words after the heredoc operator still belong to the command.
                self.push_word(child, child.start_byte(), cmd, p);
                self.scan_if_dynamic(child, cmd, p);
                p.extend(child.start_byte(), child.end_byte());
            } else if field == self.g.redirect {
                nested.push(child);
            } else if child.is_error() || child.is_missing() {
                p.scans.push(child);
            } else if kind == Kind::HeredocStart {
                let delimiter = self.src.slice(child.start_byte(), child.end_byte());
                quoted = delimiter.contains(['\'', '"', '\\']);
                target = Some(self.word(child, child.start_byte(), child.end_byte()));
                head_end = child.end_byte();
            } else if kind == Kind::HeredocBody {
                body = Some(child);
            } else if kind == Kind::Pipeline {
                p.tails.push(child);
            } else if !child.is_named() {
                if operator.is_empty() {
                    operator = self.src.slice(child.start_byte(), child.end_byte()).to_owned();
                    head_end = head_end.max(child.end_byte());
                }
            } else {
                p.scans.push(child);
            }
        }
        self.children = children;
        let index = cmd.redirects.len();
        if stdin {
            p.stdin = Some(index);
        }
        cmd.redirects.push(Redirect {
            range: self.src.range(node.start_byte(), head_end),
            operator,
            target,
            heredoc_body: body.map(|b| self.src.range(b.start_byte(), b.end_byte())),
        });
        p.heredocs.push(Heredoc { redirect: index, body, quoted });
        p.extend(node.start_byte(), head_end);
        // The grammar only nests file and here-string redirects here, so this goes one level deep.
        for redirect in nested {
            if self.g.kind(redirect) != Kind::HeredocRedirect {
                self.redirect(redirect, cmd, p);
            }
        }
    }

    /// `[ -f x ]` → words `[`, `-f`, `x`, `]`: the argv the `[` builtin would get.
    pub(super) fn test_words(&mut self, node: Node<'t>, cmd: &mut Command, p: &mut Pending<'t>) {
        let mut work: Vec<Node<'t>> = self.children_of_rev(node);
        while let Some(n) = work.pop() {
            if n.is_missing() || self.g.kind(n) == Kind::Comment {
                continue;
            }
            if n.is_error() || self.g.kind(n) == Kind::TestExpression {
                work.extend(self.children_of_rev(n));
                continue;
            }
            self.push_word(n, n.start_byte(), cmd, p);
        }
    }

    pub(super) fn assignment(&mut self, node: Node<'t>) -> Assignment {
        let children = self.children_of(node);
        let mut name = None;
        let mut value = None;
        for &(field, child) in &children {
            if field == self.g.name {
                name = Some(self.src.slice(child.start_byte(), child.end_byte()).to_owned());
            } else if field == self.g.value && !child.is_missing() {
                value = Some(child);
            }
        }
        self.children = children;
        let text = self.src.slice(node.start_byte(), node.end_byte());
        let name = name.unwrap_or_else(|| text.split(['=', '+']).next().unwrap_or("").to_owned());
        let value = value.map(|v| self.word(v, v.start_byte(), v.end_byte()));
        Assignment { range: self.src.range(node.start_byte(), node.end_byte()), name, value }
    }

    /// The word `start..end`, found inside `node`.
    pub(super) fn word(&mut self, node: Node<'t>, start: usize, end: usize) -> Word {
        self.collect_expansions(node, start, end);
        let u =
            word::unquote(self.src.input.as_bytes(), start, end, &self.expansions, word::Mode::Word, None);
        Word { range: self.src.range(start, end), text: u.text, dynamic: u.dynamic }
    }

    /// The outermost expansions inside `node` that overlap `start..end`, in source order, into
    /// `self.expansions`.
    pub(super) fn collect_expansions(&mut self, node: Node<'t>, start: usize, end: usize) {
        self.expansions.clear();
        if node.child_count() == 0 {
            return;
        }
        let cursor = &mut self.word_cursor;
        cursor.reset(node);
        loop {
            let n = cursor.node();
            let overlaps = n.start_byte() < end && start < n.end_byte();
            let is_expansion = matches!(
                self.g.kind(n),
                Kind::Expansion | Kind::CommandSubstitution | Kind::ProcessSubstitution
            ) && !n.is_error();
            if overlaps && is_expansion {
                self.expansions.push((n.start_byte().max(start), n.end_byte().min(end)));
            } else if overlaps && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }
}
