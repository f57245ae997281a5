//! A readable, stable rendering of a tree for golden tests and debugging.

use std::fmt::Write;

use plimsoll_span::{LineIndex, TextRange};

use crate::{NodeId, ProblemKind, Style, Tree, Value};

impl Tree {
    /// One line per node, indented by nesting, with 1-based `line:col-line:col` positions and `#id`s. A node
    /// met again in the same document (through an alias or a merge) is shown as `= #id` the second time.
    /// Comments and problems follow the documents.
    pub fn debug_dump(&self, text: &str) -> String {
        let lines = LineIndex::new(text);
        let at = |range: TextRange| {
            let start = lines.line_col(text, range.start);
            let end = lines.line_col(text, range.end);
            format!("{}:{}-{}:{}", start.line, start.column, end.line, end.column)
        };
        let mut out = String::new();
        // The document in which each node was last printed, so shared nodes print once per document.
        let mut printed = vec![usize::MAX; self.nodes.len()];
        for (index, document) in self.documents.iter().enumerate() {
            let _ = writeln!(out, "document {} @{}", index + 1, at(document.range));
            let Some(root) = document.root else {
                let _ = writeln!(out, "  (empty)");
                continue;
            };
            let mut stack: Vec<(NodeId, &str, usize)> = vec![(root, "root", 1)];
            while let Some((id, role, depth)) = stack.pop() {
                let indent = "  ".repeat(depth);
                let node = &self.nodes[id as usize];
                if printed[id as usize] == index {
                    let _ = writeln!(out, "{indent}{role}: = #{id} {}", summary(&node.value));
                    continue;
                }
                printed[id as usize] = index;
                let tag = self.tag(id).map(|t| format!(" {t}")).unwrap_or_default();
                let what = match &node.value {
                    Value::Scalar(_) | Value::Invalid => summary(&node.value),
                    Value::Map(entries) => {
                        for entry in entries.iter().rev() {
                            let (key, value) =
                                if entry.merged { ("merged key", "merged value") } else { ("key", "value") };
                            stack.push((entry.value, value, depth + 1));
                            stack.push((entry.key, key, depth + 1));
                        }
                        "map".to_owned()
                    }
                    Value::Seq(items) => {
                        stack.extend(items.iter().rev().map(|&item| (item, "item", depth + 1)));
                        "seq".to_owned()
                    }
                };
                let _ = writeln!(out, "{indent}{role}: {what}{tag} @{} #{id}", at(node.range));
            }
        }
        if !self.comments.is_empty() {
            out.push_str("comments\n");
            for comment in &self.comments {
                let _ = writeln!(out, "  @{} {:?}", at(comment.range), comment.text);
            }
        }
        if !self.problems.is_empty() {
            out.push_str("problems\n");
            for problem in &self.problems {
                let _ = writeln!(
                    out,
                    "  {} @{}: {}",
                    kind_name(problem.kind),
                    at(problem.range),
                    problem.message
                );
            }
        }
        out
    }
}

/// A scalar with its style and text; a collection by its kind only.
fn summary(value: &Value) -> String {
    match value {
        Value::Scalar(scalar) => format!("{} {:?}", style_name(scalar.style), scalar.text),
        Value::Map(_) => "map".to_owned(),
        Value::Seq(_) => "seq".to_owned(),
        Value::Invalid => "invalid".to_owned(),
    }
}

fn style_name(style: Style) -> &'static str {
    match style {
        Style::Plain => "plain",
        Style::SingleQuoted => "single",
        Style::DoubleQuoted => "double",
        Style::Literal => "literal",
        Style::Folded => "folded",
        Style::JsonString => "json-string",
        Style::JsonLiteral => "json-literal",
    }
}

fn kind_name(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::Syntax => "syntax",
        ProblemKind::DuplicateKey => "duplicate-key",
        ProblemKind::AliasLimit => "alias-limit",
        ProblemKind::DepthLimit => "depth-limit",
        ProblemKind::UnknownAlias => "unknown-alias",
    }
}
