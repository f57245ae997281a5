//! Reading manifest values: strings and booleans as the API server reads them (YAML 1.2 / JSON types),
//! with ranges that leave out quotes.

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, ScalarKind, Style, Tree};

/// A scalar's text (numbers as written), with the range of the text without its quotes when it is written
/// as is. `None` for null and for mappings and sequences.
pub fn string(tree: &Tree, id: NodeId) -> Option<Spanned<String>> {
    let scalar = tree.scalar(id)?;
    if scalar.kind() == ScalarKind::Null && matches!(scalar.style, Style::Plain | Style::JsonLiteral) {
        return None;
    }
    Some(Spanned::new(scalar.text.clone(), value_range(tree, id)))
}

/// The node's range, without the quotes of a quoted scalar written as is.
pub fn value_range(tree: &Tree, id: NodeId) -> TextRange {
    tree.value_range(id)
}

/// A boolean field. The API server rejects anything but `true`/`false` (YAML 1.1's `yes`/`on` are strings
/// to it), so other values are `None`.
pub fn boolean(tree: &Tree, id: NodeId) -> Option<bool> {
    match tree.scalar(id)?.kind() {
        ScalarKind::Bool(value) => Some(value),
        _ => None,
    }
}

/// An integer field (`runAsUser: 1000`; a quoted number is rejected by the API server, read it anyway).
pub fn integer(tree: &Tree, id: NodeId) -> Option<i64> {
    let scalar = tree.scalar(id)?;
    match scalar.kind() {
        ScalarKind::Int(value) => Some(value),
        _ => scalar.text.trim().parse().ok(),
    }
}

/// `key: value` as one range, for findings about a setting (`privileged: true`).
pub fn entry_range(tree: &Tree, map: NodeId, key: &str) -> Option<TextRange> {
    let entry = tree.entry(map, key)?;
    Some(tree.node(entry.key).range.cover(tree.node(entry.value).range))
}
