//! What a pragma covers in a YAML file (Compose, Kubernetes, IAM policies written in YAML): a key with its
//! value, a list item, a document, a line, the file.

use plimsoll_model::Date;
use plimsoll_span::TextRange;
use plimsoll_yaml::{Tree, Value};

use super::lines::{Lines, Units};
use super::{Suppressions, Targets};

struct YamlTargets<'a> {
    lines: Lines<'a>,
    /// Every key with its value, every block list item from its dash, every document's root mapping.
    units: Units,
    /// The documents' ranges, in source order.
    documents: Vec<TextRange>,
}

impl Targets for YamlTargets<'_> {
    /// A pragma above a document's first key covers the whole document (its root mapping starts there and
    /// is the largest unit that does); above any other key, that key and its value; above a list item, the
    /// item.
    fn next(&self, comment: TextRange) -> Option<TextRange> {
        self.units.next_statement(&self.lines, comment)
    }

    fn line(&self, comment: TextRange) -> Option<TextRange> {
        self.lines.target_line(comment)
    }

    /// Stages are a Dockerfile notion.
    fn stage(&self, _: TextRange, _: bool) -> Option<TextRange> {
        None
    }

    /// The document the comment is in, else the next one (a comment above `apiVersion:`).
    fn resource(&self, comment: TextRange) -> Option<Option<TextRange>> {
        let after = self.documents.partition_point(|d| d.start <= comment.start);
        let containing =
            after.checked_sub(1).map(|i| self.documents[i]).filter(|d| d.contains(comment.start));
        let document = containing.or_else(|| self.documents.get(after).copied())?;
        Some(Some(document))
    }
}

/// Suppression comments of a YAML file.
pub(crate) fn yaml_suppressions(text: &str, tree: &Tree, today: Date) -> Suppressions {
    let mut units = Vec::new();
    for node in &tree.nodes {
        match &node.value {
            Value::Map(entries) => {
                units.extend(entries.iter().map(|e| tree.node(e.key).range.cover(tree.node(e.value).range)))
            }
            Value::Seq(items) => {
                units.extend(items.iter().map(|&i| with_item_dashes(text, tree.node(i).range)))
            }
            _ => {}
        }
    }
    units.extend(tree.documents.iter().filter_map(|d| Some(tree.node(d.root?).range)));
    let targets = YamlTargets {
        lines: Lines::new(text),
        units: Units::new(units),
        documents: tree.documents.iter().map(|d| d.range).collect(),
    };
    Suppressions::from_comments(text, tree.comments.iter().map(|c| c.range), &targets, today)
}

/// A block sequence item's range starts after its `- `; the unit a comment above it covers starts at the
/// dash (or the first of `- - `), which is where its line's content starts.
fn with_item_dashes(text: &str, item: TextRange) -> TextRange {
    let bytes = text.as_bytes();
    let mut start = item.start as usize;
    loop {
        let before = text[..start].trim_end_matches([' ', '\t']);
        if !before.ends_with('-') || start == before.len() {
            break;
        }
        let dash = before.len() - 1;
        if dash > 0 && !matches!(bytes[dash - 1], b' ' | b'\t' | b'\n' | b'\r') {
            break;
        }
        start = dash;
    }
    TextRange::new(start as u32, item.end)
}
