//! Lookups for the lowerings (Compose, Kubernetes, IAM): small, total, and alias-transparent (an alias is
//! just the anchored node's id).

use crate::keys::scalar_text;
use plimsoll_span::TextRange;

use crate::{Entry, Node, NodeId, Scalar, Style, Tree, Value};

impl Tree {
    /// # Panics
    /// If `id` is not a node of this tree (ids only come from this tree, so that is a caller bug).
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The node's explicit tag (`!!str`, `!Ref`), as written.
    pub fn tag(&self, id: NodeId) -> Option<&str> {
        let at = self.tags.binary_search_by_key(&id, |(node, _)| *node).ok()?;
        Some(&self.tags[at].1)
    }

    /// A mapping's entries in source order (merged ones where their `<<` stood); empty for anything else.
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.nodes.get(id as usize).map(|n| &n.value) {
            Some(Value::Map(entries)) => entries,
            _ => &[],
        }
    }

    /// A sequence's items; empty for anything else.
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.nodes.get(id as usize).map(|n| &n.value) {
            Some(Value::Seq(items)) => items,
            _ => &[],
        }
    }

    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match &self.nodes.get(id as usize)?.value {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// A scalar's text.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        scalar_text(&self.nodes, id)
    }

    /// The node's range, without the quotes of a quoted scalar written without escapes or line breaks, so
    /// a finding shows exactly the value.
    pub fn value_range(&self, id: NodeId) -> TextRange {
        let range = self.node(id).range;
        let Some(scalar) = self.scalar(id) else { return range };
        let quoted = matches!(scalar.style, Style::SingleQuoted | Style::DoubleQuoted | Style::JsonString);
        if quoted && range.len() as usize == scalar.text.len() + 2 {
            TextRange::new(range.start + 1, range.end - 1)
        } else {
            range
        }
    }

    /// The value of the last entry of `map` whose key text is `key`: with duplicate keys, most readers keep
    /// the last.
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.entry(map, key).map(|e| e.value)
    }

    /// The last entry of `map` whose key text is `key`.
    pub fn entry(&self, map: NodeId, key: &str) -> Option<&Entry> {
        self.entries(map).iter().rev().find(|e| self.text(e.key) == Some(key))
    }

    /// The text of an entry's key, if the key is a scalar.
    pub fn key_text(&self, entry: &Entry) -> Option<&str> {
        self.text(entry.key)
    }

    /// Follows `keys` through nested mappings: `path(root, &["spec", "template"])`.
    pub fn path(&self, from: NodeId, keys: &[&str]) -> Option<NodeId> {
        keys.iter().try_fold(from, |node, key| self.get(node, key))
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_yaml;

    #[test]
    fn lookups() {
        let tree = parse_yaml("a: 1\nb:\n  c: [x, y]\na: 2\n");
        let root = tree.documents[0].root.unwrap();
        assert_eq!(tree.get(root, "a").and_then(|v| tree.text(v)), Some("2"));
        let c = tree.path(root, &["b", "c"]).unwrap();
        assert_eq!(tree.items(c).len(), 2);
        assert!(tree.entries(c).is_empty() && tree.items(root).is_empty());
        assert_eq!(tree.text(tree.items(c)[1]), Some("y"));
        assert_eq!(tree.path(root, &["b", "missing"]), None);
        assert_eq!(tree.path(root, &[]), Some(root));
        let entry = tree.entry(root, "b").unwrap();
        assert_eq!(tree.key_text(entry), Some("b"));
        assert!(tree.scalar(root).is_none() && tree.scalar(c).is_none());
    }
}
