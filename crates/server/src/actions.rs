//! Code actions: a rule's own fix, "ignore CODE for this line", "ignore CODE for this file", and
//! `source.fixAll.plimsoll`. Every ignore comment is checked before it is offered: the document is linted
//! with the comment in place, and the action is offered only if the comment is what hides the finding
//! (the same edit without inline ignores must still have it). So a comment is never offered where it
//! would land inside a YAML block scalar or a heredoc, or where it would do nothing.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};
use plimsoll_diagnostic::{Diagnostic, Edit, Format};
use plimsoll_linter::Linter;
use plimsoll_span::TextRange;

use crate::convert::{self, Text};
use crate::engine::Plan;
use crate::jobs::{Buffers, Outcome, lint};

/// The kind of the fix-all action, as editors name it in `editor.codeActionsOnSave`.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.plimsoll")
}

/// How far above a finding an ignore comment is looked for a place: enough for a deeply nested manifest key.
const MAX_CANDIDATES: usize = 6;
const SCAN_LINES: usize = 60;

/// What a code action request is about.
pub struct Request<'a> {
    pub uri: &'a Uri,
    pub text: &'a Text<'a>,
    pub path: Option<&'a Path>,
    pub plan: &'a Plan,
    pub workspace: &'a Buffers,
    /// Findings of the current text.
    pub diagnostics: &'a [Diagnostic],
    /// The requested byte range.
    pub range: TextRange,
    pub only: Option<&'a [CodeActionKind]>,
}

pub fn code_actions(request: &Request) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let wants = |kind: &CodeActionKind| wanted(kind, request.only);
    let under: Vec<&Diagnostic> =
        request.diagnostics.iter().filter(|d| touches(d.range, request.range)).collect();
    if wants(&CodeActionKind::QUICKFIX) {
        for found in &under {
            if let Some(fix) = &found.fix {
                actions.push(action(
                    request,
                    &fix.title,
                    CodeActionKind::QUICKFIX,
                    &fix.edits,
                    Some(found),
                    true,
                ));
            }
        }
        let mut checker = Checker::new(request);
        let mut offered: Vec<(&str, bool)> = Vec::new();
        for found in &under {
            if !ignorable(found, request.plan.format) {
                continue;
            }
            let code = found.rule.code;
            if !offered.contains(&(code, false))
                && let Some(edit) = checker.first_working(found, line_candidates(request.text, found))
            {
                offered.push((code, false));
                let title = format!("Ignore {code} for this line");
                actions.push(action(request, &title, CodeActionKind::QUICKFIX, &[edit], Some(found), false));
            }
            if !offered.contains(&(code, true))
                && let Some(edit) =
                    checker.first_working(found, file_candidates(request.text, found, request.plan.format))
            {
                offered.push((code, true));
                let title = format!("Ignore {code} for this file");
                actions.push(action(request, &title, CodeActionKind::QUICKFIX, &[edit], Some(found), false));
            }
        }
    }
    if wants(&fix_all_kind()) {
        let edits = fix_all_edits(request.diagnostics);
        if !edits.is_empty() {
            actions.push(action(request, "Fix all plimsoll problems", fix_all_kind(), &edits, None, false));
        }
    }
    actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
}

/// Whether an action of `kind` answers a request for `only` (a request for `source.fixAll` accepts
/// `source.fixAll.plimsoll`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|asked| {
        let (kind, asked) = (kind.as_str(), asked.as_str());
        kind == asked || kind.strip_prefix(asked).is_some_and(|rest| rest.starts_with('.'))
    })
}

fn touches(found: TextRange, asked: TextRange) -> bool {
    found.start <= asked.end && asked.start <= found.end
}

/// Comments are Dockerfile and YAML syntax; JSON policies have none, and findings about suppression comments
/// themselves are fixed, not ignored.
fn ignorable(found: &Diagnostic, format: Format) -> bool {
    format != Format::Iam && !matches!(found.rule.code, "SYN008" | "SYN009" | "SYN010")
}

/// Every rule's fix at once: whole fixes, skipping one whose edits overlap a fix already taken (half a fix
/// could leave the file worse than none).
fn fix_all_edits(diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        let overlaps = |edit: &Edit| {
            taken.iter().any(|t| {
                (t.range.start < edit.range.end && edit.range.start < t.range.end) || t.range == edit.range
            })
        };
        if !fix.edits.iter().any(overlaps) {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken.sort_by_key(|edit| (edit.range.start, edit.range.end));
    taken
}

fn action(
    request: &Request,
    title: &str,
    kind: CodeActionKind,
    edits: &[Edit],
    found: Option<&Diagnostic>,
    preferred: bool,
) -> CodeAction {
    let text_edits = edits
        .iter()
        .map(|edit| TextEdit { range: request.text.range(edit.range), new_text: edit.replacement.clone() })
        .collect();
    CodeAction {
        title: title.to_string(),
        kind: Some(kind),
        diagnostics: found.map(|found| vec![convert::diagnostic(found, request.text, request.uri)]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(request.uri.clone(), text_edits)])),
            ..WorkspaceEdit::default()
        }),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    }
}

/// Places for `# plimsoll: ignore[CODE]` that could cover the finding, nearest first: added to a pragma
/// right above the finding's line, on a new line above it, then above each enclosing line of smaller
/// indentation (the YAML key that owns a block scalar, the instruction a continuation belongs to).
fn line_candidates(text: &Text, found: &Diagnostic) -> Vec<Edit> {
    let code = found.rule.code;
    let mut line = text.index.line_of(found.range.start);
    let mut candidates = Vec::new();
    let mut indent = indentation(line_text(text, line)).len();
    candidates.extend(above(text, line, code));
    let lowest = line.saturating_sub(SCAN_LINES);
    while line > lowest && candidates.len() < MAX_CANDIDATES {
        line -= 1;
        let content = line_text(text, line);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let width = indentation(content).len();
        if width < indent {
            indent = width;
            candidates.extend(above(text, line, code));
        }
    }
    candidates
}

/// The edits that put a line pragma above `line`: extend the pragma already there, or insert one.
fn above(text: &Text, line: usize, code: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    if line > 0
        && let Some(edit) = extend_pragma(text, line - 1, "ignore[", code)
    {
        edits.push(edit);
    }
    let content = line_text(text, line);
    let start = text.index.line_start(line);
    edits.push(Edit {
        range: TextRange::new(start, start),
        replacement: format!("{}# plimsoll: ignore[{code}]{}", indentation(content), newline(text.text)),
    });
    edits
}

/// Places for `# plimsoll: ignore-file[CODE]`: added to the file's existing one, else a new line at the top
/// (in a Dockerfile, after its parser directives, which must come first).
fn file_candidates(text: &Text, found: &Diagnostic, format: Format) -> Vec<Edit> {
    let code = found.rule.code;
    let lines = text.index.line_count();
    if let Some(edit) = (0..lines).find_map(|line| extend_pragma(text, line, "ignore-file[", code)) {
        return vec![edit];
    }
    let mut line = 0;
    if format == Format::Dockerfile {
        while line < lines && is_parser_directive(line_text(text, line)) {
            line += 1;
        }
    }
    let start = text.index.line_start(line);
    vec![Edit {
        range: TextRange::new(start, start),
        replacement: format!("# plimsoll: ignore-file[{code}]{}", newline(text.text)),
    }]
}

/// If `line` is plimsoll's pragma of the given form (`ignore[`, `ignore-file[`), the edit adding `code`
/// to its list.
fn extend_pragma(text: &Text, line: usize, form: &str, code: &str) -> Option<Edit> {
    let range = text.index.line_range(line, text.text);
    let content = range.slice(text.text);
    let after_hash = content.trim_start().strip_prefix('#')?.trim_start();
    let rest =
        after_hash.get(..9).filter(|p| p.eq_ignore_ascii_case("plimsoll:")).map(|_| &after_hash[9..])?;
    let list = rest.trim_start().strip_prefix(form)?;
    let close = list.find(']')?;
    if list[..close].split([',', ' ']).any(|id| id.eq_ignore_ascii_case(code)) {
        return None;
    }
    let at = range.end - (list.len() - close) as u32;
    Some(Edit { range: TextRange::new(at, at), replacement: format!(", {code}") })
}

/// `# syntax=…`, `# escape=…`, `# check=…`: Dockerfile parser directives, only honoured before any other
/// line, comment included.
fn is_parser_directive(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix('#') else { return false };
    let Some((key, _)) = rest.split_once('=') else { return false };
    let key = key.trim();
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic())
}

fn line_text<'t>(text: &Text<'t>, line: usize) -> &'t str {
    text.index.line_range(line, text.text).slice(text.text)
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Lints candidate edits to find one that hides the finding by being a suppression.
struct Checker<'a> {
    request: &'a Request<'a>,
    /// The same configuration with inline ignores off, built when first needed.
    without_ignores: Option<Plan>,
}

impl<'a> Checker<'a> {
    fn new(request: &'a Request<'a>) -> Checker<'a> {
        Checker { request, without_ignores: None }
    }

    fn first_working(&mut self, found: &Diagnostic, candidates: Vec<Edit>) -> Option<Edit> {
        let code = found.rule.code;
        let before = count(self.request.diagnostics, code);
        candidates.into_iter().find(|edit| {
            let mut edited = self.request.text.text.to_string();
            edited.replace_range(edit.range.as_usize(), &edit.replacement);
            let hidden = self.lint(&edited, true).is_some_and(|after| count(&after, code) < before);
            hidden && self.lint(&edited, false).is_some_and(|after| count(&after, code) >= before)
        })
    }

    fn lint(&mut self, text: &str, ignores: bool) -> Option<Vec<Diagnostic>> {
        let plan = if ignores {
            self.request.plan.clone()
        } else {
            self.without_ignores
                .get_or_insert_with(|| {
                    let mut settings = self.request.plan.linter.settings().clone();
                    settings.inline_ignores = false;
                    let linter = Linter::new(plimsoll_rules::all(), settings);
                    Plan { linter: std::sync::Arc::new(linter), format: self.request.plan.format }
                })
                .clone()
        };
        match lint(&plan, text, self.request.path, self.request.workspace) {
            Outcome::Linted(found) => Some(found),
            Outcome::Skipped | Outcome::Failed(_) => None,
        }
    }
}

fn count(diagnostics: &[Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.rule.code == code).count()
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use plimsoll_span::LineIndex;

    use super::*;
    use crate::convert::Encoding;
    use crate::engine::Engine;
    use crate::settings::ClientSettings;

    /// The edits of the action titled `title` for the first finding of `code`, applied to `text`.
    fn applied(text: &str, path: &str, code: &str, title: &str) -> Option<String> {
        let (mut engine, _) =
            Engine::new(&ClientSettings { isolated: true, ..Default::default() }, Path::new("/"));
        let doc = crate::documents::Document::new(text.into(), 1, String::new(), Some(path.into()), 1);
        let plan = engine.plan(&doc).expect("a linted format");
        let Outcome::Linted(diagnostics) = lint(&plan, text, Some(Path::new(path)), &Buffers::default())
        else {
            panic!()
        };
        let found = diagnostics.iter().find(|d| d.rule.code == code).unwrap_or_else(|| panic!("no {code}"));
        let index = LineIndex::new(text);
        let text_view = Text { text, index: &index, encoding: Encoding::Utf8 };
        let uri = Uri::from_str("file:///r/x").unwrap();
        let request = Request {
            uri: &uri,
            text: &text_view,
            path: Some(Path::new(path)),
            plan: &plan,
            workspace: &Buffers::default(),
            diagnostics: &diagnostics,
            range: found.range,
            only: None,
        };
        let actions = code_actions(&request);
        let action = actions.iter().find_map(|a| match a {
            CodeActionOrCommand::CodeAction(a) if a.title == title => Some(a),
            _ => None,
        })?;
        let edits = &action.edit.as_ref()?.changes.as_ref()?[&uri];
        let mut out = text.to_string();
        for edit in edits.iter().rev() {
            let range = text_view.text_range(edit.range);
            out.replace_range(range.as_usize(), &edit.new_text);
        }
        Some(out)
    }

    #[test]
    fn a_dockerfile_line_ignore_goes_above_the_instruction_or_into_its_continuation() {
        let text =
            "FROM busybox:1.37\nUSER app\nRUN echo hi && \\\n    curl -fsSL https://x.example/i.sh | sh\n";
        let edited = applied(text, "/r/Dockerfile", "IMG006", "Ignore IMG006 for this line").unwrap();
        assert_eq!(
            edited,
            "FROM busybox:1.37\nUSER app\nRUN echo hi && \\\n    # plimsoll: ignore[IMG006]\n    curl -fsSL https://x.example/i.sh | sh\n"
        );
    }

    #[test]
    fn an_existing_pragma_above_is_extended() {
        let text = "FROM busybox:1.37\nUSER app\n# plimsoll: ignore[IMG018] pinned by the lock file\nRUN pip install flask && curl -fsSL https://x.example/i.sh | sh\n";
        let edited = applied(text, "/r/Dockerfile", "IMG006", "Ignore IMG006 for this line").unwrap();
        assert!(
            edited.contains("# plimsoll: ignore[IMG018, IMG006] pinned by the lock file\nRUN"),
            "{edited}"
        );
    }

    #[test]
    fn a_file_ignore_goes_after_parser_directives() {
        let text = "# syntax=docker/dockerfile:1\n# escape=\\\nFROM busybox:1.37\n";
        let edited = applied(text, "/r/Dockerfile", "ISO001", "Ignore ISO001 for this file").unwrap();
        assert_eq!(
            edited,
            "# syntax=docker/dockerfile:1\n# escape=\\\n# plimsoll: ignore-file[ISO001]\nFROM busybox:1.37\n"
        );
    }

    #[test]
    fn crlf_files_get_crlf_comments() {
        let text = "FROM busybox:1.37\r\nRUN curl -fsSL https://x.example/i.sh | sh\r\nUSER app\r\n";
        let edited = applied(text, "/r/Dockerfile", "IMG006", "Ignore IMG006 for this line").unwrap();
        assert!(edited.contains("\r\n# plimsoll: ignore[IMG006]\r\nRUN curl"), "{edited:?}");
    }

    #[test]
    fn iam_policies_have_no_ignore_comments() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
        assert_eq!(applied(text, "/r/policy.json", "IAM013", "Ignore IAM013 for this line"), None);
        assert_eq!(applied(text, "/r/policy.json", "IAM013", "Ignore IAM013 for this file"), None);
    }

    #[test]
    fn requested_kinds_filter_actions() {
        assert!(wanted(&fix_all_kind(), Some(&[CodeActionKind::SOURCE_FIX_ALL])));
        assert!(wanted(&fix_all_kind(), Some(&[CodeActionKind::SOURCE])));
        assert!(!wanted(&fix_all_kind(), Some(&[CodeActionKind::QUICKFIX])));
        assert!(!wanted(&CodeActionKind::QUICKFIX, Some(&[CodeActionKind::new("quick")])));
        assert!(wanted(&CodeActionKind::QUICKFIX, None));
    }

    #[test]
    fn fix_all_skips_overlapping_edits() {
        let meta = &plimsoll_rules::all()[0].meta;
        let edit = |start, end| Edit { range: TextRange::new(start, end), replacement: String::new() };
        let with_fix = |edits: Vec<Edit>| {
            Diagnostic::new(meta, TextRange::new(0, 1), "m")
                .with_fix(plimsoll_diagnostic::Fix { title: "t".into(), edits })
        };
        let taken = fix_all_edits(&[
            with_fix(vec![edit(0, 5)]),
            // Half of this fix overlaps the first: none of it is taken.
            with_fix(vec![edit(12, 14), edit(3, 8)]),
            with_fix(vec![edit(8, 9)]),
        ]);
        assert_eq!(taken.iter().map(|e| (e.range.start, e.range.end)).collect::<Vec<_>>(), [(0, 5), (8, 9)]);
    }
}
