//! Shell source → [`Script`], with tree-sitter-bash.
//!
//! Layout: this file holds the entry points, the per-thread parser with its time budget, and the offset
//! maps that carry nested scripts (`sh -c '…'`, heredoc bodies) back to file offsets. `walk` turns one
//! syntax tree into commands, `word` does quote removal, `invocation` recognises shells that run a nested
//! script.
//!
//! Bounds, so that hostile input costs little and nothing recurses on input depth:
//! * inputs over [`MAX_INPUT`] bytes are one error, unparsed;
//! * one call (nested scripts included) gets [`TIME_BUDGET`]; a cancelled top-level parse is one error;
//! * nested scripts go [`MAX_SCRIPT_DEPTH`] levels deep (the only Rust recursion, one frame per level);
//! * subshells, groups, control structures and substitutions nest [`MAX_NESTING`] deep; deeper code is an
//!   error range and its commands are not extracted (each level copies the words around it, so this also
//!   keeps the work linear).

mod invocation;
mod kinds;
mod walk;
mod word;

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use plimsoll_span::TextRange;
use tree_sitter::{ParseState, Parser, Tree};

use crate::{Command, CommandId, Context, Script, Word};
use invocation::Invocation;

/// Larger inputs are reported as one error without parsing.
const MAX_INPUT: usize = 1 << 20;
/// Parse time allowed for one call, nested scripts included.
const TIME_BUDGET: Duration = Duration::from_millis(100);
/// How many `sh -c` / heredoc script levels are parsed.
const MAX_SCRIPT_DEPTH: u32 = 8;
/// How deep subshells, `{ }`, control structures and substitutions are followed.
const MAX_NESTING: u32 = 32;

#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions {
    /// A command consisting only of heredoc redirects (no command name) runs each heredoc body as a shell
    /// script. This is Docker's `RUN <<EOF` semantics; plain shells treat it as a no-op.
    pub bare_heredoc_is_script: bool,
}

/// Parses shell source. `base` is added to every range (the offset of `text` within the file).
///
/// How shell constructs appear in the result:
/// * Commands are in source order; a command found in a substitution, a `sh -c` string or a heredoc script
///   comes after the command it belongs to (its `parent`).
/// * `export A=1 B`, `local`, `declare`, `typeset`, `readonly`, `unset`: a command named by the keyword
///   whose operands are words (`A=1` is a word here, not an [`Assignment`](crate::Assignment);
///   `assignments` only holds prefixes such as `A=1 cmd`). A bare `A=1 B=2` is a command with assignments
///   and no words; `> file` or a lone `<<EOF` is a command with redirects and no words.
/// * `[ -f x ]` and `[[ $a == b ]]` are commands named `[` / `[[`, with each operand and the closing `]` /
///   `]]` as words (the argv `[` would get).
/// * A pipeline element that is a subshell, `{ …; }` or control structure contributes every simple command
///   it runs itself (not those in its substitutions or nested scripts): `( cd x && make ) | tee` is the
///   pipeline `[cd, make, tee]`. A command inside nested pipelines points at the innermost one.
/// * Shells given a script (`sh -c '…'`, also through `sudo`/`env`/…, `busybox sh -c`, `su -c`, and
///   `bash <<< '…'`) get the script parsed as [`Context::ShellString`] commands. Substitutions in a
///   double-quoted script run in the outer shell: they appear once, as [`Context::CommandSubstitution`]
///   children of the shell command, and the nested script sees them as dynamic words.
/// * Heredoc bodies are parsed as scripts ([`Context::HeredocScript`]) only when a shell reads them as its
///   script (`bash <<EOF`, `sh -s <<'EOF'`), or for a bare heredoc with
///   [`ParseOptions::bare_heredoc_is_script`] unless its shebang names a non-shell interpreter. The
///   substitutions of an unquoted body run in the outer shell (the command is their parent), except in
///   Docker's bare heredocs, whose body the shell runs as written.
/// * Nested scripts map their ranges back into the file exactly, escapes included; ranges never leave the
///   word or heredoc body that held the script.
/// * Inputs over 1 MiB, and parses that exceed the 100 ms budget, give no commands and one error over the
///   whole text. Code nested more than 32 subshells/groups/control structures/substitutions deep is an
///   error range and its commands are skipped; nested scripts are parsed 8 levels deep.
pub fn parse_script(text: &str, base: u32, options: ParseOptions) -> Script {
    let whole = TextRange::from_usize(0, text.len()).shift(base);
    if text.len() > MAX_INPUT {
        return Script { errors: vec![whole], ..Script::default() };
    }
    let mut builder = Builder::new(options);
    let level = Level::top(Context::Script, None);
    if !builder.script(text, &OffsetMap::Shift(base), whole, level, &[]) {
        return Script { errors: vec![whole], ..Script::default() };
    }
    builder.finish()
}

/// An exec-form argv (Dockerfile `RUN ["sh", "-c", "…"]`, Kubernetes `command:`/`args:`): one command whose
/// words are given, plus the nested script when the argv runs a shell with `-c`.
///
/// The script's ranges are exact when the word's range is its text plus two quote characters (a JSON or
/// YAML string without escapes); otherwise they are only guaranteed to stay inside the word's range.
pub fn parse_argv(words: Vec<Word>, range: TextRange) -> Script {
    let mut builder = Builder::new(ParseOptions::default());
    builder.out.commands.push(Command {
        range,
        assignments: Vec::new(),
        words,
        redirects: Vec::new(),
        context: Context::Script,
        parent: None,
        pipeline: None,
    });
    let cmd = &builder.out.commands[0];
    if let Invocation::String { word, skip } = invocation::invocation(cmd) {
        let word = &cmd.words[word];
        if let Some(script) = word.text.get(skip..).filter(|s| s.len() <= MAX_INPUT) {
            // Without the source we only know where the word is: its text maps one to one onto the inside
            // of the quotes when nothing was escaped, otherwise ranges are only guaranteed to stay inside it.
            let inner = word.range.start.saturating_add(1).saturating_add(u32::try_from(skip).unwrap_or(0));
            let spans = (0..script.len())
                .map(|i| {
                    let at = inner.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    (at, at.saturating_add(1))
                })
                .collect();
            let map = OffsetMap::Table { spans, clamp: word.range };
            let (script, clamp) = (script.to_owned(), word.range);
            let level = Level::top(Context::ShellString, Some(0)).nested();
            // A cancelled nested parse records the word as an error itself.
            builder.script(&script, &map, clamp, level, &[]);
        }
    }
    builder.finish()
}

/// Where commands found at one place of the walk go.
#[derive(Clone, Copy, Debug)]
struct Level {
    context: Context,
    parent: Option<CommandId>,
    /// Subshells, groups, control structures and substitutions around this point.
    nesting: u32,
    /// Nested script depth (`sh -c` inside `sh -c` …).
    depth: u32,
    /// Inside an ERROR node, whose nested ERROR/MISSING nodes are not reported again.
    in_error: bool,
}

impl Level {
    fn top(context: Context, parent: Option<CommandId>) -> Level {
        Level { context, parent, nesting: 0, depth: 0, in_error: false }
    }

    /// The level of a script nested in this one; `nesting` carries over so the total work stays bounded.
    fn nested(self) -> Level {
        Level { depth: self.depth + 1, nesting: self.nesting + 1, in_error: false, ..self }
    }
}

/// Maps offsets of the text being parsed to file offsets.
#[derive(Debug)]
enum OffsetMap {
    /// Offset `o` is file offset `o + base`.
    Shift(u32),
    /// Byte `i` of the text came from file range `spans[i]` (an escape spans several source bytes); results
    /// are clamped into `clamp`, the word or body that held the text.
    Table { spans: Vec<(u32, u32)>, clamp: TextRange },
}

impl OffsetMap {
    fn range(&self, start: usize, end: usize) -> TextRange {
        match self {
            OffsetMap::Shift(base) => TextRange::from_usize(start, end).shift(*base),
            OffsetMap::Table { spans, clamp } => {
                // `parse_argv` takes ranges from callers, whose fields are public: never trust their order.
                let clamp = TextRange::new(clamp.start.min(clamp.end), clamp.start.max(clamp.end));
                let after_last = spans.last().map_or(clamp.start, |s| s.1);
                let from = spans.get(start).map_or(after_last, |s| s.0);
                let to = if end <= start { from } else { spans.get(end - 1).map_or(after_last, |s| s.1) };
                let from = from.clamp(clamp.start, clamp.end);
                let to = to.clamp(from, clamp.end);
                TextRange::new(from, to)
            }
        }
    }
}

/// The text one tree was parsed from.
struct Source<'s> {
    /// What tree-sitter parsed: the text, possibly behind [`HEREDOC_PREFIX`].
    input: &'s str,
    /// Length of the synthetic prefix in `input`.
    prefix: usize,
    map: &'s OffsetMap,
}

/// tree-sitter-bash cannot parse a statement that starts with a heredoc (`<<EOF` with no command name,
/// Docker's `RUN <<EOF`); behind a `:` command it can, and the `:` is dropped again by the walk.
const HEREDOC_PREFIX: &str = ":";

impl Source<'_> {
    /// File range of `input[start..end]`.
    fn range(&self, start: usize, end: usize) -> TextRange {
        self.map.range(start.saturating_sub(self.prefix), end.saturating_sub(self.prefix))
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.input.get(start..end).unwrap_or("")
    }
}

struct Builder {
    out: Script,
    options: ParseOptions,
    deadline: Instant,
}

impl Builder {
    fn new(options: ParseOptions) -> Builder {
        Builder { out: Script::default(), options, deadline: Instant::now() + TIME_BUDGET }
    }

    /// Parses `text` and adds its commands at `level`. `excluded` are ranges of `text` whose substitutions
    /// were already extracted by the enclosing script. Returns `false` when the parse was cancelled.
    fn script(
        &mut self,
        text: &str,
        map: &OffsetMap,
        clamp: TextRange,
        level: Level,
        excluded: &[(usize, usize)],
    ) -> bool {
        let prefixed;
        let (input, prefix) = if starts_with_heredoc(text) {
            prefixed = format!("{HEREDOC_PREFIX}{text}");
            (prefixed.as_str(), HEREDOC_PREFIX.len())
        } else {
            (text, 0)
        };
        let Some(tree) = parse_tree(input, self.deadline) else {
            if level.depth > 0 {
                self.out.errors.push(clamp);
            }
            return false;
        };
        let source = Source { input, prefix, map };
        walk::Walker::new(self, &source, &tree, excluded).run(tree.root_node(), level);
        true
    }

    /// Puts pipelines and errors in source order (pipelines are recorded when their walk ends, so inner and
    /// nested ones come first).
    fn finish(mut self) -> Script {
        let out = &mut self.out;
        let key = |p: &crate::Pipeline| (p.range.start, std::cmp::Reverse(p.range.end));
        if !out.pipelines.is_sorted_by_key(key) {
            let mut order: Vec<usize> = (0..out.pipelines.len()).collect();
            order.sort_by_key(|&i| key(&out.pipelines[i]));
            let mut new_index = vec![0; order.len()];
            for (new, &old) in order.iter().enumerate() {
                new_index[old] = new;
            }
            let mut old: Vec<Option<crate::Pipeline>> = out.pipelines.drain(..).map(Some).collect();
            out.pipelines = order.iter().filter_map(|&i| old[i].take()).collect();
            for cmd in &mut out.commands {
                if let Some((index, _)) = &mut cmd.pipeline {
                    *index = new_index[*index];
                }
            }
        }
        out.errors.sort_unstable();
        out.errors.dedup();
        self.out
    }
}

fn starts_with_heredoc(text: &str) -> bool {
    let rest = text.trim_start_matches([' ', '\t']);
    rest.starts_with("<<") && !rest.starts_with("<<<")
}

thread_local! {
    /// Parsers are reused: creating one per RUN line would dominate the cost of short scripts.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Option<Parser> {
    let mut parser = Parser::new();
    parser.set_language(&kinds::grammar().language).ok()?;
    Some(parser)
}

/// Parses with this thread's parser, giving up at `deadline`.
fn parse_tree(input: &str, deadline: Instant) -> Option<Tree> {
    let run = |parser: &mut Parser| {
        let bytes = input.as_bytes();
        let mut progress = |_: &ParseState| {
            if Instant::now() >= deadline { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        };
        let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
        let tree =
            parser.parse_with_options(&mut |i, _| bytes.get(i..).unwrap_or_default(), None, Some(options));
        if tree.is_none() {
            parser.reset();
        }
        tree
    };
    PARSER
        .try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut slot) => {
                if slot.is_none() {
                    *slot = new_parser();
                }
                slot.as_mut().and_then(run)
            }
            Err(_) => new_parser().as_mut().and_then(run),
        })
        .unwrap_or_else(|_| new_parser().as_mut().and_then(run))
}
