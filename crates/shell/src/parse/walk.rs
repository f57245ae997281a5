//! One syntax tree → commands, with an explicit task stack (tree depth is input-controlled, so nothing here
//! recurses on it).

mod command;
mod nested;
mod pipeline;

use std::num::NonZeroU16;

use tree_sitter::{Node, Tree, TreeCursor};

use super::kinds::{Grammar, Kind, grammar};
use super::{Builder, Level, MAX_NESTING, Source};
use crate::{CommandId, Context};

/// What a subtree is searched for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Statements: every simple command becomes a `Command`.
    Statements,
    /// Words of an emitted command (or `for`/`case` values): only substitutions, which hold statements.
    Words,
}

enum Task<'t> {
    Visit {
        node: Node<'t>,
        level: Level,
        mode: Mode,
        /// The node is an element of a `pipeline` node (which records the pipeline itself).
        in_pipeline: bool,
        /// An ERROR right after a command that holds its last, unterminated quoted word.
        tail: Option<Node<'t>>,
    },
    /// Emits a simple command with redirections written after it (see `redirected`).
    Emit { body: Node<'t>, redirects: Vec<Node<'t>>, level: Level, in_pipeline: bool },
    /// Records the pipeline spanning `start..end` from the commands made since `first`.
    PipelineEnd { start: usize, end: usize, first: CommandId, level: Level },
    /// Parses the script of `sh -c '…'`: the word `start..end` inside `node`, from byte `skip` of its value.
    ShellString { node: Node<'t>, start: usize, end: usize, skip: usize, cmd: CommandId, level: Level },
    /// Parses a heredoc body as the script a shell (or Docker) runs.
    HeredocScript { body: Node<'t>, verbatim: bool, bare: bool, cmd: CommandId, level: Level },
}

type Children<'t> = Vec<(Option<NonZeroU16>, Node<'t>)>;

pub(super) struct Walker<'w, 't> {
    b: &'w mut Builder,
    src: &'w Source<'w>,
    excluded: &'w [(usize, usize)],
    g: &'static Grammar,
    /// For iterating children.
    cursor: TreeCursor<'t>,
    /// For finding expansions inside a word while `cursor` may be in use.
    word_cursor: TreeCursor<'t>,
    stack: Vec<Task<'t>>,
    expansions: Vec<(usize, usize)>,
    children: Children<'t>,
}
impl<'w, 't> Walker<'w, 't> {
    pub(super) fn new(
        b: &'w mut Builder,
        src: &'w Source<'w>,
        tree: &'t Tree,
        excluded: &'w [(usize, usize)],
    ) -> Self {
        Walker {
            b,
            src,
            excluded,
            g: grammar(),
            cursor: tree.walk(),
            word_cursor: tree.walk(),
            stack: Vec::new(),
            expansions: Vec::new(),
            children: Vec::new(),
        }
    }

    pub(super) fn run(mut self, root: Node<'t>, level: Level) {
        self.stack.push(Task::Visit {
            node: root,
            level,
            mode: Mode::Statements,
            in_pipeline: false,
            tail: None,
        });
        while let Some(task) = self.stack.pop() {
            match task {
                Task::Visit { node, level, mode, in_pipeline, tail } => {
                    self.visit(node, level, mode, in_pipeline, tail);
                }
                Task::Emit { body, redirects, level, in_pipeline } => {
                    self.emit(Some(body), &redirects, level, in_pipeline, None);
                }
                Task::PipelineEnd { start, end, first, level } => self.pipeline_end(start, end, first, level),
                Task::ShellString { node, start, end, skip, cmd, level } => {
                    self.shell_string(node, (start, end), skip, cmd, level);
                }
                Task::HeredocScript { body, verbatim, bare, cmd, level } => {
                    self.heredoc_script(body, verbatim, bare, cmd, level);
                }
            }
        }
    }

    fn visit(&mut self, node: Node<'t>, level: Level, mode: Mode, in_pipeline: bool, tail: Option<Node<'t>>) {
        if node.is_missing() {
            if !level.in_error {
                self.error(node.start_byte(), node.end_byte());
            }
            return;
        }
        if node.is_error() {
            if !level.in_error {
                self.error(node.start_byte(), node.end_byte());
            }
            self.push_children(node, Level { in_error: true, ..level }, mode, false);
            return;
        }
        let kind = self.g.kind(node);
        match (mode, kind) {
            (_, Kind::Comment) => {}
            (_, Kind::CommandSubstitution | Kind::ProcessSubstitution) => {
                self.substitution(node, kind, level)
            }
            (Mode::Words, _) => self.push_children(node, level, Mode::Words, false),
            (
                Mode::Statements,
                Kind::Command
                | Kind::Declaration
                | Kind::Unset
                | Kind::Test
                | Kind::Assignment
                | Kind::Assignments,
            ) => self.emit(Some(node), &[], level, in_pipeline, tail),
            (Mode::Statements, Kind::Redirected) => self.redirected(node, level, in_pipeline),
            (Mode::Statements, Kind::Pipeline) => self.pipeline(node, level),
            (
                Mode::Statements,
                Kind::Program | Kind::List | Kind::Block | Kind::Negated | Kind::HeredocRedirect,
            ) => {
                self.push_children(node, level, Mode::Statements, false);
            }
            (
                Mode::Statements,
                Kind::Subshell
                | Kind::Compound
                | Kind::If
                | Kind::While
                | Kind::For
                | Kind::Case
                | Kind::Function,
            ) => {
                let Some(level) = self.enter(node, level) else { return };
                // `(( i++ ))` is arithmetic: its `x=1` are not assignment statements.
                let arithmetic = kind == Kind::Compound && node.child(0).is_some_and(|c| c.kind() == "((");
                self.push_children(
                    node,
                    level,
                    if arithmetic { Mode::Words } else { Mode::Statements },
                    false,
                );
            }
            (Mode::Statements, Kind::CFor) => {
                let Some(level) = self.enter(node, level) else { return };
                let children = self.children_of(node);
                let mark = self.stack.len();
                for &(field, child) in &children {
                    let mode = if field == self.g.body { Mode::Statements } else { Mode::Words };
                    self.push_visit(child, level, mode);
                }
                self.stack[mark..].reverse();
                self.children = children;
            }
            (Mode::Statements, _) => self.push_children(node, level, Mode::Words, false),
        }
    }

    /// One more level of nesting, or `None` (and an error) past [`MAX_NESTING`].
    fn enter(&mut self, node: Node<'t>, level: Level) -> Option<Level> {
        if level.nesting >= MAX_NESTING {
            if !level.in_error {
                self.error(node.start_byte(), node.end_byte());
            }
            return None;
        }
        Some(Level { nesting: level.nesting + 1, ..level })
    }

    fn substitution(&mut self, node: Node<'t>, kind: Kind, level: Level) {
        // In a nested script, substitutions the outer shell performs were extracted by the outer walk.
        let start = node.start_byte().saturating_sub(self.src.prefix);
        let end = node.end_byte().saturating_sub(self.src.prefix);
        let before = self.excluded.partition_point(|&(s, _)| s <= start);
        if before > 0 && end <= self.excluded[before - 1].1 {
            return;
        }
        let Some(mut level) = self.enter(node, level) else { return };
        level.context = if kind == Kind::CommandSubstitution {
            Context::CommandSubstitution
        } else {
            Context::ProcessSubstitution
        };
        self.push_children(node, level, Mode::Statements, false);
    }

    /// The children of `node` with their field ids. Hand the vector back through `self.children` to reuse it.
    fn children_of(&mut self, node: Node<'t>) -> Children<'t> {
        let mut children = std::mem::take(&mut self.children);
        children.clear();
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                children.push((self.cursor.field_id(), self.cursor.node()));
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        children
    }

    /// Queues a child unless it is a leaf with nothing to find (words, operators) — ERROR and MISSING leaves
    /// are still errors.
    fn push_visit(&mut self, node: Node<'t>, level: Level, mode: Mode) {
        if node.child_count() > 0 || node.is_error() || node.is_missing() {
            self.stack.push(Task::Visit { node, level, mode, in_pipeline: false, tail: None });
        }
    }

    /// Queues the children of `node` so they are visited in source order.
    fn push_children(&mut self, node: Node<'t>, level: Level, mode: Mode, in_pipeline: bool) {
        let children = self.children_of(node);
        let mark = self.stack.len();
        for (i, &(_, child)) in children.iter().enumerate() {
            let tail = if mode == Mode::Statements && self.g.kind(child) == Kind::Command {
                children.get(i + 1).map(|&(_, next)| next).filter(|&next| self.is_quoted_tail(child, next))
            } else {
                None
            };
            if child.child_count() > 0 || child.is_error() || child.is_missing() {
                self.stack.push(Task::Visit { node: child, level, mode, in_pipeline, tail });
            }
        }
        self.stack[mark..].reverse();
        self.children = children;
    }

    /// tree-sitter-bash turns an unterminated quoted last word (`echo "abc`) into an ERROR after the command;
    /// half-typed lines in an editor look like that, so the word is kept.
    fn is_quoted_tail(&self, command: Node<'t>, next: Node<'t>) -> bool {
        next.is_error()
            && self
                .src
                .slice(command.end_byte(), next.end_byte())
                .trim_start_matches([' ', '\t'])
                .starts_with(['"', '\''])
    }

    fn error(&mut self, start: usize, end: usize) {
        let range = self.src.range(start, end);
        self.b.out.errors.push(range);
    }

    fn named_children(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let children = self.children_of(node);
        let named = children
            .iter()
            .map(|&(_, c)| c)
            .filter(|c| c.is_named() && self.g.kind(*c) != Kind::Comment)
            .collect();
        self.children = children;
        named
    }

    fn is_simple(&self, node: Node<'t>) -> bool {
        !node.is_error()
            && matches!(
                self.g.kind(node),
                Kind::Command
                    | Kind::Declaration
                    | Kind::Unset
                    | Kind::Test
                    | Kind::Assignment
                    | Kind::Assignments
            )
    }

    fn children_of_rev(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let children = self.children_of(node);
        let nodes = children.iter().rev().map(|&(_, c)| c).collect();
        self.children = children;
        nodes
    }
}
