//! Duplicate keys, shared by the YAML and JSON readers: both keep every entry and report the repeat.

use crate::{Entry, Node, NodeId, Value};

/// The text of a scalar node.
pub(crate) fn scalar_text(nodes: &[Node], id: NodeId) -> Option<&str> {
    match &nodes.get(id as usize)?.value {
        Value::Scalar(scalar) => Some(&scalar.text),
        _ => None,
    }
}

/// Every entry whose scalar key repeats an earlier key of `entries`, as `(first, repeat)` index pairs in
/// the order of the repeats.
///
/// Small mappings (nearly all) compare pairwise; large ones sort indices, so a hostile mapping with a
/// million keys stays `n log n`. `scratch` is reused across mappings to avoid an allocation per mapping.
pub(crate) fn duplicates(nodes: &[Node], entries: &[Entry], scratch: &mut Vec<u32>) -> Vec<(usize, usize)> {
    let text = |i: usize| scalar_text(nodes, entries[i].key);
    let mut found = Vec::new();
    if entries.len() <= 16 {
        for later in 1..entries.len() {
            let Some(key) = text(later) else { continue };
            if let Some(first) = (0..later).find(|&i| text(i) == Some(key)) {
                found.push((first, later));
            }
        }
        return found;
    }
    scratch.clear();
    scratch.extend((0..entries.len() as u32).filter(|&i| text(i as usize).is_some()));
    scratch.sort_unstable_by(|&a, &b| text(a as usize).cmp(&text(b as usize)).then(a.cmp(&b)));
    let mut group_start = 0;
    for at in 1..scratch.len() {
        let first = scratch[group_start] as usize;
        let this = scratch[at] as usize;
        if text(first) == text(this) {
            found.push((first, this));
        } else {
            group_start = at;
        }
    }
    found.sort_unstable_by_key(|&(_, later)| later);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scalar, Style};
    use plimsoll_span::TextRange;

    fn setup(keys: &[&str]) -> (Vec<Node>, Vec<Entry>) {
        let mut nodes = Vec::new();
        let mut entries = Vec::new();
        for key in keys {
            let value = match *key {
                "<seq>" => Value::Seq(Vec::new()),
                text => Value::Scalar(Scalar { text: text.to_owned(), style: Style::Plain }),
            };
            nodes.push(Node { value, range: TextRange::default() });
            let id = nodes.len() as NodeId - 1;
            entries.push(Entry { key: id, value: id, merged: false });
        }
        (nodes, entries)
    }

    #[test]
    fn small_and_large_mappings_agree() {
        let small = ["a", "b", "a", "<seq>", "<seq>", "a", "c", "b"];
        let (nodes, entries) = setup(&small);
        let expected = vec![(0, 2), (0, 5), (1, 7)];
        assert_eq!(duplicates(&nodes, &entries, &mut Vec::new()), expected);

        let mut large: Vec<String> = (0..40).map(|i| format!("k{i}")).collect();
        large[30] = "k3".into();
        large[35] = "k3".into();
        large[39] = "k0".into();
        let refs: Vec<&str> = large.iter().map(String::as_str).collect();
        let (nodes, entries) = setup(&refs);
        assert_eq!(duplicates(&nodes, &entries, &mut Vec::new()), vec![(3, 30), (3, 35), (0, 39)]);
    }
}
