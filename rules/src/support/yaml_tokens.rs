//! Credentials of known formats (`secrets::find_tokens`) in the values of a YAML file, at the characters
//! where they are written. A scalar that is the value of `key: value` is scanned together with its key,
//! since some formats are only recognised after their name (`AWS_SECRET_ACCESS_KEY: …`); every other
//! scalar on its own. Comments are never scanned.

use std::collections::BTreeSet;

use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree, Value};

use crate::support::secrets;

/// One credential: what it is and where.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub range: TextRange,
    pub kind: &'static str,
}

/// Every credential in the file's scalars, in source order, each once (a scalar reached through several
/// aliases or merge keys is one node, scanned once).
pub fn tokens(text: &str, tree: &Tree) -> Vec<Found> {
    let is_scalar = |id: NodeId| matches!(tree.node(id).value, Value::Scalar(_));
    // Indexed by node: a large manifest has hundreds of thousands of nodes.
    let mut keys = vec![false; tree.nodes.len()];
    let mut with_key = vec![false; tree.nodes.len()];
    let mut regions = Vec::new();
    for node in &tree.nodes {
        let Value::Map(entries) = &node.value else { continue };
        for entry in entries {
            keys[entry.key as usize] = true;
            let (key, value) = (tree.node(entry.key).range, tree.node(entry.value).range);
            // `key: value` on one stretch of text (not a value reached through an alias elsewhere).
            let adjacent = key.end <= value.start
                && text
                    .get(key.end as usize..value.start as usize)
                    .is_some_and(|between| between.trim() == ":");
            if is_scalar(entry.key) && is_scalar(entry.value) && adjacent {
                with_key[entry.value as usize] = true;
                regions.push(key.cover(value));
            }
        }
    }
    for (id, node) in tree.nodes.iter().enumerate() {
        if is_scalar(id as NodeId) && !keys[id] && !with_key[id] {
            regions.push(node.range);
        }
    }
    regions.sort_unstable_by_key(|range| (range.start, range.end));
    regions.dedup();
    let mut found = BTreeSet::new();
    for region in regions {
        let Some(slice) = text.get(region.as_usize()) else { continue };
        for token in secrets::find_tokens(slice) {
            let range = TextRange::from_usize(
                region.start as usize + token.range.start,
                region.start as usize + token.range.end,
            );
            if !tree.comments.iter().any(|c| c.range.contains_range(range)) {
                found.insert(Found { range, kind: token.kind });
            }
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(yaml: &str) -> Vec<(&str, &'static str)> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        tokens(yaml, &tree).into_iter().map(|f| (f.range.slice(yaml), f.kind)).collect()
    }

    const GHP: &str = "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";
    const AWS: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY";

    #[test]
    fn values_list_items_and_block_scalars() {
        let yaml = format!(
            "a:\n  token: {GHP}\n  list:\n    - \"--token={GHP}\"\n  script: |\n    curl -H 'Authorization: token {GHP}' x\n"
        );
        assert_eq!(scan(&yaml), [(GHP, "GitHub token"); 3]);
    }

    #[test]
    fn formats_recognised_after_their_key() {
        assert_eq!(
            scan(&format!("env:\n  AWS_SECRET_ACCESS_KEY: {AWS}\n")),
            [(AWS, "AWS secret access key")]
        );
        assert_eq!(
            scan(&format!("env:\n  - AWS_SECRET_ACCESS_KEY={AWS}\n")),
            [(AWS, "AWS secret access key")]
        );
        assert!(scan(&format!("env:\n  CHECKSUM: {AWS}\n")).is_empty());
    }

    #[test]
    fn aliases_are_scanned_once_and_comments_never() {
        let yaml = format!("x: &t {GHP}\ny: *t\nz:\n  - *t\n");
        assert_eq!(scan(&yaml).len(), 1);
        assert!(scan(&format!("# token: {GHP}\na: 1 # {GHP}\n")).is_empty());
    }
}
