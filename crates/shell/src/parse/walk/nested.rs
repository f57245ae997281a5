//! What runs nested in a command: substitutions in its words, `sh -c` strings, heredoc scripts.

use plimsoll_span::TextRange;
use tree_sitter::Node;

use super::command::Pending;
use super::{Mode, Task, Walker};
use crate::parse::invocation::{self, Invocation};
use crate::parse::word::{self, Trace, Unquoted};
use crate::parse::{Level, MAX_SCRIPT_DEPTH, OffsetMap};
use crate::{CommandId, Context};

impl<'w, 't> Walker<'w, 't> {
    /// Queues, in source order: substitutions in the command's words, its `sh -c` script, a heredoc
    /// pipeline or list continuation, the heredoc bodies' substitutions and heredoc scripts.
    pub(super) fn schedule(&mut self, id: CommandId, p: Pending<'t>, level: Level, in_pipeline: bool) {
        let inner = Level { parent: Some(id), ..level };
        let cmd = &self.b.out.commands[id];
        let can_nest = level.depth < MAX_SCRIPT_DEPTH;
        let how = if can_nest { invocation::invocation(cmd) } else { Invocation::None };
        let bare = cmd.words.is_empty() && cmd.assignments.is_empty() && !p.heredocs.is_empty();
        let bare_script = bare && self.b.options.bare_heredoc_is_script;
        let mark = self.stack.len();
        for &node in &p.scans {
            self.stack.push(Task::Visit {
                node,
                level: inner,
                mode: Mode::Words,
                in_pipeline: false,
                tail: None,
            });
        }
        if let Invocation::String { word, skip } = how
            && let Some(&(node, start, end)) = p.argv.get(word)
        {
            self.stack.push(Task::ShellString { node, start, end, skip, cmd: id, level });
        }
        if how == Invocation::Stdin
            && let Some(&(_, node)) = p.herestrings.iter().find(|(index, _)| p.stdin == Some(*index))
        {
            let (start, end) = (node.start_byte(), node.end_byte());
            self.stack.push(Task::ShellString { node, start, end, skip: 0, cmd: id, level });
        }
        for &tail in &p.tails {
            let children = self.named_children(tail);
            let (elements, rest) = self.pipeline_parts(children);
            // The pipeline starts with this command; `first` includes it.
            let first = id;
            self.queue_pipeline(p.lo, &elements, level, false);
            if !in_pipeline && let Some(&last) = elements.last() {
                let end = self.effective_end(last);
                self.stack.push(Task::PipelineEnd { start: p.lo, end, first, level });
            }
            for node in rest {
                self.stack.push(Task::Visit {
                    node,
                    level,
                    mode: Mode::Statements,
                    in_pipeline: false,
                    tail: None,
                });
            }
        }
        for &node in &p.rights {
            self.stack.push(Task::Visit {
                node,
                level,
                mode: Mode::Statements,
                in_pipeline: false,
                tail: None,
            });
        }
        for heredoc in &p.heredocs {
            let Some(body) = heredoc.body else { continue };
            // Docker hands a bare heredoc to the shell as written; a shell expands an unquoted body first.
            if !bare_script && !heredoc.quoted {
                self.stack.push(Task::Visit {
                    node: body,
                    level: inner,
                    mode: Mode::Words,
                    in_pipeline: false,
                    tail: None,
                });
            }
            let stdin_script = how == Invocation::Stdin && p.stdin == Some(heredoc.redirect);
            if can_nest && (bare_script || stdin_script) {
                self.stack.push(Task::HeredocScript {
                    body,
                    verbatim: bare_script || heredoc.quoted,
                    bare: bare_script,
                    cmd: id,
                    level,
                });
            }
        }
        self.stack[mark..].reverse();
    }

    pub(super) fn shell_string(
        &mut self,
        node: Node<'t>,
        (start, end): (usize, usize),
        skip: usize,
        cmd: CommandId,
        level: Level,
    ) {
        self.collect_expansions(node, start, end);
        let mut trace = Trace::default();
        let src = self.src;
        let u = word::unquote(
            src.input.as_bytes(),
            start,
            end,
            &self.expansions,
            word::Mode::Word,
            Some(&mut trace),
        );
        let clamp = src.range(start, end);
        let level = Level { context: Context::ShellString, parent: Some(cmd), ..level }.nested();
        self.nested(u, trace, skip, clamp, level);
    }

    pub(super) fn heredoc_script(
        &mut self,
        body: Node<'t>,
        verbatim: bool,
        bare: bool,
        cmd: CommandId,
        level: Level,
    ) {
        let src = self.src;
        let (start, end) = (body.start_byte(), body.end_byte());
        if bare && !invocation::shebang_is_shell(src.slice(start, end)) {
            return;
        }
        let clamp = src.range(start, end);
        if verbatim {
            let text = src.slice(start, end);
            let map = match src.map {
                OffsetMap::Shift(base) => OffsetMap::Shift(
                    base.saturating_add(u32::try_from(start.saturating_sub(src.prefix)).unwrap_or(u32::MAX)),
                ),
                OffsetMap::Table { .. } => OffsetMap::Table {
                    spans: (start..end)
                        .map(|i| {
                            let r = src.range(i, i + 1);
                            (r.start, r.end)
                        })
                        .collect(),
                    clamp,
                },
            };
            let level = Level { context: Context::HeredocScript, parent: Some(cmd), ..level }.nested();
            self.b.script(text, &map, clamp, level, &[]);
            return;
        }
        self.collect_expansions(body, start, end);
        let mut trace = Trace::default();
        let u = word::unquote(
            src.input.as_bytes(),
            start,
            end,
            &self.expansions,
            word::Mode::Heredoc,
            Some(&mut trace),
        );
        let level = Level { context: Context::HeredocScript, parent: Some(cmd), ..level }.nested();
        self.nested(u, trace, 0, clamp, level);
    }

    /// Parses an unquoted word or heredoc body (from output byte `skip`) as a script at `level`.
    pub(super) fn nested(&mut self, u: Unquoted, trace: Trace, skip: usize, clamp: TextRange, level: Level) {
        let Some(text) = u.text.get(skip..) else { return };
        let spans = if u.exact {
            trace.spans[skip.min(trace.spans.len())..]
                .iter()
                .map(|&(s, e)| {
                    let r = self.src.range(s as usize, e as usize);
                    (r.start, r.end)
                })
                .collect()
        } else {
            vec![(clamp.start, clamp.end); text.len()]
        };
        let excluded: Vec<(usize, usize)> =
            trace.verbatim.iter().filter(|&&(s, _)| s >= skip).map(|&(s, e)| (s - skip, e - skip)).collect();
        let map = OffsetMap::Table { spans, clamp };
        self.b.script(text, &map, clamp, level, &excluded);
    }
}
