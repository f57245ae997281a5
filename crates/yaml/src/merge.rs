//! `<<` merge keys (YAML 1.1 merge type, used by most Compose files with `x-` templates).

use crate::keys::scalar_text;
use crate::{Entry, Node, NodeId, Value};

/// A `<<: value` pair of a mapping being built.
pub(crate) struct MergeKey {
    /// How many explicit entries came before it: merged entries take its place.
    pub(crate) at: usize,
    /// A mapping, or a sequence of mappings ([`is_merge_source`] held).
    pub(crate) value: NodeId,
}

/// Whether a `<<` value can be merged: a mapping or a sequence of mappings (usually aliases). Anything else
/// stays an ordinary `<<` entry, so nothing written is lost.
pub(crate) fn is_merge_source(nodes: &[Node], value: NodeId) -> bool {
    match &nodes[value as usize].value {
        Value::Map(_) => true,
        Value::Seq(items) => items.iter().all(|&item| matches!(nodes[item as usize].value, Value::Map(_))),
        _ => false,
    }
}

/// The entries of a mapping with its merge keys resolved: merged entries stand where their `<<` stood,
/// marked `merged`. An explicit key beats every merged one; among merged entries the first source wins (the
/// earlier `<<`, then the earlier mapping of a sequence). Entries overridden this way are dropped.
pub(crate) fn resolve(nodes: &[Node], explicit: Vec<Entry>, merges: &[MergeKey]) -> Vec<Entry> {
    let mut candidates: Vec<(usize, Entry)> = Vec::new();
    for merge in merges {
        let sources = match &nodes[merge.value as usize].value {
            Value::Seq(items) => items.as_slice(),
            _ => std::slice::from_ref(&merge.value),
        };
        for &source in sources {
            if let Value::Map(entries) = &nodes[source as usize].value {
                candidates.extend(entries.iter().map(|e| (merge.at, Entry { merged: true, ..*e })));
            }
        }
    }
    let keep = survivors(nodes, &explicit, &candidates);

    let mut out = Vec::with_capacity(explicit.len() + keep.iter().filter(|&&k| k).count());
    let mut next = 0;
    for (at, entry) in explicit.into_iter().enumerate() {
        while next < candidates.len() && candidates[next].0 == at {
            if keep[next] {
                out.push(candidates[next].1);
            }
            next += 1;
        }
        out.push(entry);
    }
    out.extend(candidates[next..].iter().zip(&keep[next..]).filter(|(_, k)| **k).map(|(c, _)| c.1));
    out
}

/// Which candidates survive: not shadowed by an explicit key, and the first with their key text. Sorting
/// keeps a mapping that merges many large maps at `n log n`.
fn survivors(nodes: &[Node], explicit: &[Entry], candidates: &[(usize, Entry)]) -> Vec<bool> {
    let mut explicit_keys: Vec<&str> = explicit.iter().filter_map(|e| scalar_text(nodes, e.key)).collect();
    explicit_keys.sort_unstable();
    let text = |i: usize| scalar_text(nodes, candidates[i].1.key);
    let mut keep: Vec<bool> = (0..candidates.len())
        .map(|i| text(i).is_none_or(|t| explicit_keys.binary_search(&t).is_err()))
        .collect();
    let mut order: Vec<usize> = (0..candidates.len()).filter(|&i| keep[i] && text(i).is_some()).collect();
    order.sort_unstable_by(|&a, &b| text(a).cmp(&text(b)).then(a.cmp(&b)));
    for pair in order.windows(2) {
        if text(pair[0]) == text(pair[1]) {
            keep[pair[1]] = false;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scalar, Style};
    use plimsoll_span::TextRange;

    struct Arena(Vec<Node>);

    impl Arena {
        fn push(&mut self, value: Value) -> NodeId {
            self.0.push(Node { value, range: TextRange::default() });
            self.0.len() as NodeId - 1
        }
        fn scalar(&mut self, text: &str) -> NodeId {
            self.push(Value::Scalar(Scalar { text: text.into(), style: Style::Plain }))
        }
        fn map(&mut self, pairs: &[(&str, &str)]) -> NodeId {
            let entries = pairs
                .iter()
                .map(|(k, v)| Entry { key: self.scalar(k), value: self.scalar(v), merged: false })
                .collect();
            self.push(Value::Map(entries))
        }
        fn show(&self, entries: &[Entry]) -> Vec<String> {
            entries
                .iter()
                .map(|e| {
                    let k = scalar_text(&self.0, e.key).unwrap();
                    let v = scalar_text(&self.0, e.value).unwrap();
                    format!("{}{k}={v}", if e.merged { "+" } else { "" })
                })
                .collect()
        }
    }

    #[test]
    fn explicit_keys_win_and_earlier_sources_win() {
        let mut arena = Arena(Vec::new());
        let base = arena.map(&[("a", "base"), ("b", "base"), ("c", "base")]);
        let over = arena.map(&[("b", "over"), ("d", "over")]);
        let seq = arena.push(Value::Seq(vec![over, base]));
        let x = Entry { key: arena.scalar("x"), value: arena.scalar("1"), merged: false };
        let c = Entry { key: arena.scalar("c"), value: arena.scalar("mine"), merged: false };
        let out = resolve(&arena.0, vec![x, c], &[MergeKey { at: 1, value: seq }]);
        assert_eq!(arena.show(&out), ["x=1", "+b=over", "+d=over", "+a=base", "c=mine"]);
    }

    #[test]
    fn merge_at_the_end_and_in_two_keys() {
        let mut arena = Arena(Vec::new());
        let one = arena.map(&[("a", "1")]);
        let two = arena.map(&[("a", "2"), ("b", "2")]);
        let x = Entry { key: arena.scalar("x"), value: arena.scalar("0"), merged: false };
        let merges = [MergeKey { at: 1, value: one }, MergeKey { at: 1, value: two }];
        let out = resolve(&arena.0, vec![x], &merges);
        assert_eq!(arena.show(&out), ["x=0", "+a=1", "+b=2"]);
    }

    #[test]
    fn only_maps_are_sources() {
        let mut arena = Arena(Vec::new());
        let map = arena.map(&[]);
        let text = arena.scalar("s");
        let good = arena.push(Value::Seq(vec![map, map]));
        let bad = arena.push(Value::Seq(vec![map, text]));
        assert!(is_merge_source(&arena.0, map) && is_merge_source(&arena.0, good));
        assert!(!is_merge_source(&arena.0, bad) && !is_merge_source(&arena.0, text));
    }
}
