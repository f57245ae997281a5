//! Reading Compose values from the YAML tree: strings after interpolation, booleans as Compose reads them
//! (YAML 1.2, plus the strings `strconv.ParseBool` accepts), lists that may be written as one string.

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, ScalarKind, Style, Tree};

use crate::{Note, NoteKind, interpolate};

/// A scalar's value after interpolation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    /// The value is known (every variable had a default).
    pub known: bool,
    pub range: TextRange,
    /// Offset of the value's first character in the file when the value is the scalar's text byte for
    /// byte (no quotes-escapes, no interpolation), so sub-ranges can be exact.
    pub exact_start: Option<u32>,
}

impl Text {
    /// The range of `value[from..to]`, exact when possible, else the whole scalar.
    pub fn sub_range(&self, from: usize, to: usize) -> TextRange {
        match self.exact_start {
            Some(start) => TextRange::from_usize(start as usize + from, start as usize + to),
            None => self.range,
        }
    }

    pub fn spanned(&self) -> Spanned<String> {
        Spanned::new(self.value.clone(), self.range)
    }
}

/// A scalar node's value (numbers and booleans as written), interpolated.
pub fn text(tree: &Tree, id: NodeId) -> Option<Text> {
    let node = tree.node(id);
    let scalar = tree.scalar(id)?;
    if scalar.kind() == ScalarKind::Null && scalar.style == Style::Plain {
        return None;
    }
    let interpolated = interpolate(&scalar.text);
    let quotes = match scalar.style {
        Style::Plain | Style::JsonLiteral => 0,
        Style::SingleQuoted | Style::DoubleQuoted | Style::JsonString => 1,
        Style::Literal | Style::Folded => return Some(plain_text(interpolated, node.range, None)),
    };
    let inner_len = node.range.len() as usize - 2 * quotes;
    let exact = interpolated.text == scalar.text && scalar.text.len() == inner_len;
    let start = exact.then_some(node.range.start + quotes as u32);
    Some(plain_text(interpolated, node.range, start))
}

fn plain_text(interpolated: crate::Interpolated, range: TextRange, exact_start: Option<u32>) -> Text {
    Text { value: interpolated.text, known: interpolated.complete, range, exact_start }
}

/// A boolean setting. Plain `yes`/`no`/`on`/`off` are strings to Compose: they are reported and read as
/// unknown.
pub fn boolean(tree: &Tree, id: NodeId, notes: &mut Vec<Note>) -> Option<bool> {
    let scalar = tree.scalar(id)?;
    if let ScalarKind::Bool(value) = scalar.kind() {
        return Some(value);
    }
    if scalar.style == Style::Plain
        && let Some(yaml11) = scalar.yaml11_bool()
    {
        let text = scalar.text.clone();
        notes.push(Note { range: tree.node(id).range, kind: NoteKind::BooleanLookalike { text, yaml11 } });
        return None;
    }
    let value = text(tree, id)?;
    if !value.known {
        return None;
    }
    // Compose converts interpolated strings with Go's strconv.ParseBool.
    go_bool(&value.value)
}

/// A boolean as Go's `strconv.ParseBool` reads it, which is how Compose and the Docker daemon convert
/// strings (interpolated values, `no-new-privileges:<bool>`).
pub fn go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Notes a plain `yes`/`no`/`on`/`off` where a string is meant.
pub fn note_string_lookalike(tree: &Tree, id: NodeId, notes: &mut Vec<Note>) {
    let Some(scalar) = tree.scalar(id) else { return };
    if scalar.style == Style::Plain
        && !matches!(scalar.kind(), ScalarKind::Bool(_))
        && let Some(yaml11) = scalar.yaml11_bool()
    {
        let text = scalar.text.clone();
        notes.push(Note { range: tree.node(id).range, kind: NoteKind::StringLookalike { text, yaml11 } });
    }
}

/// The items of a list that Compose also accepts as a single string (`cap_add: SYS_ADMIN`).
pub fn list(tree: &Tree, id: NodeId) -> Vec<NodeId> {
    match tree.scalar(id) {
        Some(_) => vec![id],
        None => tree.items(id).to_vec(),
    }
}

/// `KEY=value` pairs written as a map or as a list of `KEY=value` strings (environment, build args,
/// sysctls, labels). The value is `None` for `KEY` alone or a null map value (taken from the environment).
pub fn pairs(tree: &Tree, id: NodeId) -> Vec<(Text, Option<Text>)> {
    let mut out = Vec::new();
    if !tree.entries(id).is_empty() {
        for entry in tree.entries(id) {
            let Some(key) = text(tree, entry.key) else { continue };
            out.push((key, text(tree, entry.value)));
        }
        return out;
    }
    for &item in tree.items(id) {
        let Some(whole) = text(tree, item) else { continue };
        match whole.value.find('=') {
            Some(eq) => {
                let key = Text {
                    value: whole.value[..eq].to_string(),
                    known: whole.known,
                    range: whole.sub_range(0, eq),
                    exact_start: whole.exact_start,
                };
                let value = Text {
                    value: whole.value[eq + 1..].to_string(),
                    known: whole.known,
                    range: whole.sub_range(eq + 1, whole.value.len()),
                    exact_start: whole.exact_start.map(|s| s + eq as u32 + 1),
                };
                out.push((key, Some(value)));
            }
            None => out.push((whole, None)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> (Tree, NodeId) {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let root = tree.documents[0].root.expect("root");
        let value = tree.entries(root)[0].value;
        (tree, value)
    }

    #[test]
    fn text_is_interpolated_with_exact_ranges_when_possible() {
        let yaml = "k: \"nginx:1.27\"\n";
        let (tree, id) = parse(yaml);
        let t = text(&tree, id).unwrap();
        assert_eq!(t.value, "nginx:1.27");
        assert_eq!(t.sub_range(0, 5).slice(yaml), "nginx");
        let yaml = "k: ${TAG:-x}\n";
        let (tree, id) = parse(yaml);
        let t = text(&tree, id).unwrap();
        assert_eq!((t.value.as_str(), t.known, t.exact_start), ("x", true, None));
    }

    #[test]
    fn booleans_as_compose_reads_them() {
        let mut notes = Vec::new();
        for (yaml, expected) in [
            ("k: true\n", Some(true)),
            ("k: 'false'\n", Some(false)),
            ("k: ${P:-1}\n", Some(true)),
            ("k: yes\n", None),
            ("k: maybe\n", None),
        ] {
            let (tree, id) = parse(yaml);
            assert_eq!(boolean(&tree, id, &mut notes), expected, "{yaml}");
        }
        assert_eq!(notes.len(), 1, "only `yes` is a look-alike");
    }

    #[test]
    fn go_booleans() {
        assert_eq!(["1", "t", "TRUE", "True"].map(go_bool), [Some(true); 4]);
        assert_eq!(["0", "F", "false", "False"].map(go_bool), [Some(false); 4]);
        assert_eq!(["yes", "on", "", "tRuE"].map(go_bool), [None; 4]);
    }

    #[test]
    fn pairs_from_maps_and_lists() {
        let yaml = "k:\n  - A=1\n  - B\n";
        let (tree, id) = parse(yaml);
        let p = pairs(&tree, id);
        assert_eq!(p[0].0.range.slice(yaml), "A");
        assert_eq!(p[0].1.as_ref().unwrap().range.slice(yaml), "1");
        assert!(p[1].1.is_none());
        let yaml = "k:\n  A: 1\n  B:\n";
        let (tree, id) = parse(yaml);
        let p = pairs(&tree, id);
        assert_eq!(p[0].1.as_ref().unwrap().value, "1");
        assert!(p[1].1.is_none());
    }
}
