//! Pipelines, and redirections written after a statement.

use tree_sitter::Node;

use super::{Kind, Mode, Task, Walker};
use crate::parse::Level;
use crate::{CommandId, Pipeline};

impl<'w, 't> Walker<'w, 't> {
    pub(super) fn pipeline(&mut self, node: Node<'t>, level: Level) {
        let children = self.named_children(node);
        let (elements, rest) = self.pipeline_parts(children);
        let mark = self.stack.len();
        self.queue_pipeline(node.start_byte(), &elements, level, true);
        for node in rest {
            self.stack.push(Task::Visit {
                node,
                level,
                mode: Mode::Statements,
                in_pipeline: false,
                tail: None,
            });
        }
        self.stack[mark..].reverse();
    }

    /// Queues (in execution order, for the caller to reverse) the elements of a pipeline and the task that
    /// records it. `record` is false when an enclosing pipeline records these elements.
    pub(super) fn queue_pipeline(&mut self, start: usize, elements: &[Node<'t>], level: Level, record: bool) {
        let first = self.b.out.commands.len();
        for &node in elements {
            self.stack.push(Task::Visit {
                node,
                level,
                mode: Mode::Statements,
                in_pipeline: true,
                tail: None,
            });
        }
        if let (true, Some(&last)) = (record, elements.last()) {
            let end = self.effective_end(last);
            self.stack.push(Task::PipelineEnd { start, end, first, level });
        }
    }

    /// The real elements of a pipeline, and the statements that follow it.
    ///
    /// tree-sitter-bash nests `a | b | c && d` as `pipeline(a, list(pipeline(b, c), d))`, and a heredoc's
    /// `cat <<EOF | a | b && c` as `| list(pipeline(a, b), c)`: the left spine of such a list continues the
    /// pipeline, and the rest of the list runs after it.
    pub(super) fn pipeline_parts(&mut self, children: Vec<Node<'t>>) -> (Vec<Node<'t>>, Vec<Node<'t>>) {
        let mut elements = Vec::with_capacity(children.len());
        let mut rests: Vec<Vec<Node<'t>>> = Vec::new();
        let mut queue: Vec<Node<'t>> = children.into_iter().rev().collect();
        while let Some(node) = queue.pop() {
            if node.is_error() || node.is_missing() {
                elements.push(node);
                continue;
            }
            match self.g.kind(node) {
                Kind::List => {
                    let mut named = self.named_children(node);
                    if !named.is_empty() {
                        let first = named.remove(0);
                        rests.push(named);
                        queue.push(first);
                    }
                }
                Kind::Pipeline => queue.extend(self.named_children(node).into_iter().rev()),
                _ => elements.push(node),
            }
        }
        (elements, rests.into_iter().rev().flatten().collect())
    }

    pub(super) fn pipeline_end(&mut self, start: usize, end: usize, first: CommandId, level: Level) {
        let range = self.src.range(start, end);
        let commands = &mut self.b.out.commands;
        let members: Vec<CommandId> = (first..commands.len())
            .filter(|&id| {
                let c = &commands[id];
                c.parent == level.parent && c.context == level.context && range.contains_range(c.range)
            })
            .collect();
        if members.len() < 2 {
            return;
        }
        let index = self.b.out.pipelines.len();
        for (position, &id) in members.iter().enumerate() {
            // Inner pipelines end first; a command keeps the innermost one.
            commands[id].pipeline.get_or_insert((index, position));
        }
        self.b.out.pipelines.push(Pipeline { commands: members, range });
    }

    /// Where a statement ends for pipeline purposes: a heredoc redirect's node also holds the heredoc body
    /// and any `&& …` after the operator, which are not part of the pipeline, while a `| …` after the
    /// operator is (and may end in another heredoc, so this follows the chain in a loop).
    pub(super) fn effective_end(&mut self, node: Node<'t>) -> usize {
        let mut end = 0;
        let mut current = Some(node);
        while let Some(node) = current.take() {
            if self.g.kind(node) != Kind::Redirected {
                return end.max(node.end_byte());
            }
            let children = self.children_of(node);
            let mut heredocs = Vec::new();
            for &(_, child) in &children {
                if self.g.kind(child) == Kind::HeredocRedirect {
                    heredocs.push(child);
                } else {
                    end = end.max(child.end_byte());
                }
            }
            self.children = children;
            for heredoc in heredocs {
                let children = self.children_of(heredoc);
                let mut tail = None;
                for &(field, child) in &children {
                    let kind = self.g.kind(child);
                    if kind == Kind::Pipeline {
                        tail = Some(child);
                    } else if field != self.g.right
                        && field != self.g.operator
                        && !matches!(kind, Kind::HeredocBody | Kind::HeredocEnd)
                    {
                        end = end.max(child.end_byte());
                    }
                }
                self.children = children;
                if let Some(tail) = tail {
                    let children = self.named_children(tail);
                    current = self.pipeline_parts(children).0.pop();
                }
            }
        }
        end
    }

    pub(super) fn redirected(&mut self, node: Node<'t>, level: Level, in_pipeline: bool) {
        let children = self.children_of(node);
        let mut body = None;
        let mut redirects = Vec::new();
        let mut others = Vec::new();
        for &(field, child) in &children {
            let kind = self.g.kind(child);
            if field == self.g.body {
                body = Some(child);
            } else if !child.is_error()
                && matches!(kind, Kind::FileRedirect | Kind::HeredocRedirect | Kind::HerestringRedirect)
            {
                redirects.push(child);
            } else {
                others.push(child);
            }
        }
        self.children = children;
        let mark = self.stack.len();
        if let Some(pipeline) = body.filter(|b| !b.is_error() && self.g.kind(*b) == Kind::Pipeline)
            && !redirects.is_empty()
        {
            // `a | cat <<EOF | b`: tree-sitter-bash hangs the heredoc on the pipeline `a | cat`, but it belongs
            // to `cat`, and whatever follows the heredoc operator continues the same pipeline.
            let children = self.named_children(pipeline);
            let (mut elements, rest) = self.pipeline_parts(children);
            if let Some(last) = elements.pop_if(|last| self.is_simple(*last)) {
                let first = self.b.out.commands.len();
                self.queue_pipeline(pipeline.start_byte(), &elements, level, false);
                self.stack.push(Task::Emit { body: last, redirects, level, in_pipeline: true });
                if !in_pipeline {
                    let end = self.effective_end(node);
                    self.stack.push(Task::PipelineEnd { start: pipeline.start_byte(), end, first, level });
                }
                for node in rest.into_iter().chain(others) {
                    self.stack.push(Task::Visit {
                        node,
                        level,
                        mode: Mode::Statements,
                        in_pipeline: false,
                        tail: None,
                    });
                }
                self.stack[mark..].reverse();
                return;
            }
        }
        if body.is_none_or(|b| self.is_simple(b)) {
            self.emit(body, &redirects, level, in_pipeline, None);
            // `emit` queued the command's own work; what follows in source order goes beneath it.
            let queued: Vec<Task<'t>> = self.stack.drain(mark..).collect();
            for &other in others.iter().rev() {
                self.push_visit(other, level, Mode::Statements);
            }
            self.stack.extend(queued);
            return;
        }
        // A compound command with redirections (`while …; done < f`, `{ …; } > log`): the redirections
        // belong to no simple command, but their targets may hold substitutions.
        if let Some(body) = body {
            self.stack.push(Task::Visit {
                node: body,
                level,
                mode: Mode::Statements,
                in_pipeline,
                tail: None,
            });
        }
        for &redirect in &redirects {
            let mode =
                if self.g.kind(redirect) == Kind::HeredocRedirect { Mode::Statements } else { Mode::Words };
            self.push_visit(redirect, level, mode);
        }
        for &other in &others {
            self.push_visit(other, level, Mode::Statements);
        }
        self.stack[mark..].reverse();
    }
}
