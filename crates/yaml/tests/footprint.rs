//! What a tree holds once built: trees live as long as their file is linted, so slack in them is memory
//! held for nothing (a whole-corpus run once kept 200 bytes per node, most of it empty scalar buffers).

use plimsoll_yaml::{ProblemKind, Value, parse_yaml};

#[test]
fn scalars_and_collections_are_exact_size() {
    // Plain, quoted, block and flow scalars; mappings and sequences nested in each other, block and flow;
    // several collections open at once, so their entries and items interleave while being read.
    let text = "kind: Deployment\nspec:\n  replicas: 3\n  args: [--port, \"8080\", 'x']\n  env:\n    - name: A\n      \
                value: |\n        multi\n        line\n    - {name: B, value: 'two\n        lines'}\n  last: key\n";
    let tree = parse_yaml(text);
    assert!(tree.problems.is_empty(), "{:?}", tree.problems);
    let mut scalars = 0;
    for node in &tree.nodes {
        match &node.value {
            Value::Scalar(scalar) => {
                scalars += 1;
                assert_eq!(scalar.text.capacity(), scalar.text.len(), "{:?}", scalar.text);
            }
            Value::Map(entries) => assert_eq!(entries.capacity(), entries.len()),
            Value::Seq(items) => assert_eq!(items.capacity(), items.len()),
            Value::Invalid => panic!("nothing here is invalid"),
        }
    }
    assert_eq!(scalars, 20);
    let root = tree.documents[0].root.unwrap();
    let spec = tree.get(root, "spec").unwrap();
    assert_eq!(tree.entries(spec).len(), 4, "entries of an outer mapping survive its inner ones");
    let env = tree.get(spec, "env").unwrap();
    assert_eq!(tree.text(tree.get(tree.items(env)[1], "value").unwrap()), Some("two lines"));
    assert_eq!(tree.text(tree.get(spec, "last").unwrap()), Some("key"));
}

#[test]
fn tags_are_found_by_node() {
    let text = "a: !t x\nb: !!str 1\nc: !seq\n  - !e |\n    t\nd: plain\n";
    let tree = parse_yaml(text);
    let root = tree.documents[0].root.unwrap();
    let tag = |key: &str| tree.tag(tree.get(root, key).unwrap());
    assert_eq!((tag("a"), tag("b"), tag("c"), tag("d")), (Some("!t"), Some("!!str"), Some("!seq"), None));
    let block = tree.items(tree.get(root, "c").unwrap())[0];
    assert_eq!(tree.tag(block), Some("!e"));
    assert_eq!(tree.tag(root), None);
    assert!(tree.tags.is_sorted_by_key(|(node, _)| *node));
}

#[test]
fn a_dropped_document_takes_its_tags_along() {
    // The second document breaks off at a syntax error and is dropped with its nodes; its tags must not be
    // left naming node ids that no longer exist (or that a later node would reuse).
    let tree = parse_yaml("a: !keep x\n---\nb: !gone y\nc: [\n");
    assert_eq!(tree.documents.len(), 1);
    assert!(tree.problems.iter().any(|p| p.kind == ProblemKind::Syntax));
    assert_eq!(tree.tags.len(), 1);
    assert_eq!(tree.tags[0].1, "!keep");
    assert!(tree.tags.iter().all(|(node, _)| (*node as usize) < tree.nodes.len()));
}

#[test]
fn a_merge_key_with_the_merge_tag_merges() {
    // `!!merge <<` is the explicit form of a merge key; any other tag makes it an ordinary key.
    let tree = parse_yaml("base: &b {x: 1}\ntagged:\n  !!merge <<: *b\nother:\n  !k <<: *b\n");
    let root = tree.documents[0].root.unwrap();
    let tagged = tree.get(root, "tagged").unwrap();
    assert_eq!(tree.get(tagged, "x").and_then(|v| tree.text(v)), Some("1"));
    let other = tree.get(root, "other").unwrap();
    assert_eq!(tree.get(other, "x"), None);
    assert!(tree.get(other, "<<").is_some());
}
