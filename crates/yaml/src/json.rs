//! Strict JSON (IAM policies) into the same tree as YAML, on jsonc-parser with every extension off.

use jsonc_parser::ast::{ObjectProp, ObjectPropName, Value as Json};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use plimsoll_span::{LineIndex, TextRange};

use crate::{
    Document, Entry, JSON_MAX_DEPTH, Node, NodeId, Problem, ProblemKind, Scalar, Style, Tree, Value, keys,
    scan,
};

pub(crate) fn build(text: &str) -> Tree {
    let mut tree = Tree::default();
    // jsonc-parser does not know byte order marks; offsets stay those of `text`.
    let shift = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[shift..];
    if let Some(at) = too_deep(body) {
        let message = format!("nesting deeper than {JSON_MAX_DEPTH} levels; the file is not read");
        let range = scan::char_at(text, (at + shift) as u32);
        tree.problems.push(Problem { kind: ProblemKind::DepthLimit, range, message });
        return tree;
    }
    match parse_to_ast(body, &CollectOptions::default(), &strict()) {
        Ok(parsed) => {
            if let Some(root) = &parsed.value {
                let mut converter = Converter { text, shift: shift as u32, tree: &mut tree, lines: None };
                let root = converter.convert(root);
                let range = tree.nodes[root as usize].range;
                tree.documents.push(Document { root: Some(root), range });
            }
        }
        Err(error) => {
            let start = (error.range().start + shift) as u32;
            // Unterminated objects report their whole extent; the first line of it is enough to point.
            let end = ((error.range().end + shift) as u32).min(scan::line_end(text, start)).max(start);
            let range = if start == end { scan::char_at(text, start) } else { TextRange::new(start, end) };
            let mut message = error.kind().to_string();
            if let Some(first) = message.get(..1) {
                message.replace_range(..1, &first.to_lowercase());
            }
            tree.problems.push(Problem { kind: ProblemKind::Syntax, range, message });
        }
    }
    // Duplicates are found when an object closes, inner objects first.
    tree.problems.sort_by_key(|p| p.range.start);
    tree
}

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The offset of the first bracket nested deeper than [`JSON_MAX_DEPTH`], outside strings.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > JSON_MAX_DEPTH {
                    return Some(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

struct Converter<'t> {
    text: &'t str,
    shift: u32,
    tree: &'t mut Tree,
    lines: Option<LineIndex>,
}

/// An object or array being converted; children are taken one at a time so depth lives on the heap.
enum Frame<'v, 'a> {
    Object { node: NodeId, props: std::slice::Iter<'v, ObjectProp<'a>>, entries: Vec<Entry>, key: NodeId },
    Array { node: NodeId, elements: std::slice::Iter<'v, Json<'a>>, items: Vec<NodeId> },
}

impl Converter<'_> {
    fn convert<'v, 'a>(&mut self, root: &'v Json<'a>) -> NodeId {
        let mut stack: Vec<Frame<'v, 'a>> = Vec::new();
        let mut finished = self.open(root, &mut stack);
        loop {
            if let Some(done) = finished.take() {
                match stack.last_mut() {
                    None => return done,
                    Some(Frame::Object { entries, key, .. }) => {
                        entries.push(Entry { key: *key, value: done, merged: false });
                    }
                    Some(Frame::Array { items, .. }) => items.push(done),
                }
            }
            let Some(top) = stack.last_mut() else { return 0 };
            let child = match top {
                Frame::Object { props, key, .. } => props.next().map(|prop| {
                    *key = self.key(&prop.name);
                    &prop.value
                }),
                Frame::Array { elements, .. } => elements.next(),
            };
            finished = match child {
                Some(child) => self.open(child, &mut stack),
                None => Some(self.close(stack.pop())),
            };
        }
    }

    /// A scalar's node, or `None` after pushing the frame of an object or array.
    fn open<'v, 'a>(&mut self, value: &'v Json<'a>, stack: &mut Vec<Frame<'v, 'a>>) -> Option<NodeId> {
        let (text, style, range) = match value {
            Json::Object(object) => {
                let node = self.push(Value::Invalid, object.range);
                let props = object.properties.iter();
                stack.push(Frame::Object { node, props, entries: Vec::new(), key: 0 });
                return None;
            }
            Json::Array(array) => {
                let node = self.push(Value::Invalid, array.range);
                stack.push(Frame::Array { node, elements: array.elements.iter(), items: Vec::new() });
                return None;
            }
            Json::StringLit(lit) => (lit.value.to_string(), Style::JsonString, lit.range),
            Json::NumberLit(lit) => (lit.value.to_owned(), Style::JsonLiteral, lit.range),
            Json::BooleanLit(lit) => (lit.value.to_string(), Style::JsonLiteral, lit.range),
            Json::NullKeyword(lit) => ("null".to_owned(), Style::JsonLiteral, lit.range),
        };
        Some(self.push(Value::Scalar(Scalar { text, style }), range))
    }

    fn close(&mut self, frame: Option<Frame<'_, '_>>) -> NodeId {
        let (node, value) = match frame {
            Some(Frame::Object { node, entries, .. }) => {
                self.report_duplicates(&entries);
                (node, Value::Map(entries))
            }
            Some(Frame::Array { node, items, .. }) => (node, Value::Seq(items)),
            None => return 0,
        };
        self.tree.nodes[node as usize].value = value;
        node
    }

    fn key(&mut self, name: &ObjectPropName<'_>) -> NodeId {
        let (text, range) = match name {
            ObjectPropName::String(lit) => (lit.value.to_string(), lit.range),
            ObjectPropName::Word(word) => (word.value.to_owned(), word.range),
        };
        self.push(Value::Scalar(Scalar { text, style: Style::JsonString }), range)
    }

    fn push(&mut self, value: Value, range: Range) -> NodeId {
        let range = TextRange::from_usize(range.start, range.end).shift(self.shift);
        self.tree.nodes.push(Node { value, range });
        NodeId::try_from(self.tree.nodes.len() - 1).unwrap_or(NodeId::MAX)
    }

    fn report_duplicates(&mut self, entries: &[Entry]) {
        for (first, repeat) in keys::duplicates(&self.tree.nodes, entries, &mut Vec::new()) {
            let first = self.tree.nodes[entries[first].key as usize].range;
            let repeat = entries[repeat].key;
            let key = keys::scalar_text(&self.tree.nodes, repeat).unwrap_or_default();
            let lines = self.lines.get_or_insert_with(|| LineIndex::new(self.text));
            let line = lines.line_of(first.start) + 1;
            let message = format!("duplicate key `{key}`, first defined on line {line}");
            let range = self.tree.nodes[repeat as usize].range;
            self.tree.problems.push(Problem { kind: ProblemKind::DuplicateKey, range, message });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_prescan_ignores_brackets_in_strings() {
        let nested = format!("{}{}", "[".repeat(JSON_MAX_DEPTH), "]".repeat(JSON_MAX_DEPTH));
        assert_eq!(too_deep(&nested), None);
        assert_eq!(too_deep(&format!("[{nested}]")), Some(JSON_MAX_DEPTH));
        assert_eq!(too_deep(&format!("[\"{}\\\"[[\"]", "[".repeat(500))), None);
    }

    #[test]
    fn scalars_and_keys() {
        let text = "\u{feff}{\"a\\u0041\": [1, -2.5e3, true, null, \"x\\ny\"]}";
        let tree = build(text);
        assert!(tree.problems.is_empty(), "{:?}", tree.problems);
        let root = tree.documents[0].root.unwrap();
        let Value::Map(entries) = &tree.nodes[root as usize].value else { panic!("not a map") };
        let key = &tree.nodes[entries[0].key as usize];
        assert_eq!(key.range.slice(text), "\"a\\u0041\"");
        assert!(matches!(&key.value, Value::Scalar(s) if s.text == "aA" && s.style == Style::JsonString));
        let Value::Seq(items) = &tree.nodes[entries[0].value as usize].value else { panic!("not a seq") };
        let texts: Vec<_> = items
            .iter()
            .map(|&i| match &tree.nodes[i as usize].value {
                Value::Scalar(s) => (s.text.as_str(), s.style),
                _ => ("?", Style::Plain),
            })
            .collect();
        assert_eq!(texts[1], ("-2.5e3", Style::JsonLiteral));
        assert_eq!(texts[4], ("x\ny", Style::JsonString));
    }
}
