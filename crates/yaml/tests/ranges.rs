//! Ranges around the spots where saphyr's spans are not what the tree stores: multi-byte characters,
//! properties, trailing comments; and reading on after an unknown alias or a syntax error.

use plimsoll_yaml::{Value, parse_yaml};

/// Every node's range, sliced, in node order.
fn slices(text: &str) -> Vec<&str> {
    parse_yaml(text).nodes.iter().map(|n| n.range.slice(text)).collect()
}

#[test]
fn ranges_are_exact_around_multi_byte_characters() {
    let text = "é: \"ü # ö\"  # ç\nlist:\n- 'ß'\n- [日本, {語: 😀}]  # x\n- |\n  ñ\n  # ñ\nk€y: >-\n  ø\n";
    assert_eq!(
        slices(text),
        [
            "é: \"ü # ö\"  # ç\nlist:\n- 'ß'\n- [日本, {語: 😀}]  # x\n- |\n  ñ\n  # ñ\nk€y: >-\n  ø",
            "é",
            "\"ü # ö\"",
            "list",
            "- 'ß'\n- [日本, {語: 😀}]  # x\n- |\n  ñ\n  # ñ",
            "'ß'",
            "[日本, {語: 😀}]",
            "日本",
            "{語: 😀}",
            "語",
            "😀",
            "|\n  ñ\n  # ñ",
            "k€y",
            ">-\n  ø",
        ]
    );
    let tree = parse_yaml(text);
    let comments: Vec<&str> = tree.comments.iter().map(|c| c.range.slice(text)).collect();
    assert_eq!(comments, ["# ç", "# x"]);
}

#[test]
fn properties_are_not_part_of_the_range() {
    let text = "a: &x !!str v\nb: !t\n  - 1\nc: &m\n  k: v\nd: !e |\n  t\n";
    let tree = parse_yaml(text);
    let tagged: Vec<(&str, &str)> =
        tree.tags.iter().map(|(id, tag)| (tag.as_str(), tree.node(*id).range.slice(text))).collect();
    assert_eq!(tagged, [("!!str", "v"), ("!t", "- 1"), ("!e", "|\n  t")]);
    let anchored = tree.nodes.iter().find(|n| matches!(&n.value, Value::Map(e) if e.len() == 1)).unwrap();
    assert_eq!(anchored.range.slice(text), "k: v");
}

#[test]
fn unknown_aliases_do_not_stop_the_document() {
    let tree = parse_yaml("a: *nope\nb: 2\n");
    let root = tree.documents[0].root.unwrap();
    assert_eq!(tree.entries(root).len(), 2);
    assert!(matches!(tree.node(tree.get(root, "a").unwrap()).value, Value::Invalid));
    assert_eq!(tree.problems.len(), 1);
}

#[test]
fn syntax_errors_keep_earlier_documents_and_drop_the_broken_one() {
    let tree = parse_yaml("a: 1\n---\nb: [2\n---\nc: 3\n");
    assert_eq!(tree.documents.len(), 1);
    assert_eq!(tree.problems.len(), 1);
    assert!(tree.problems[0].message.chars().next().unwrap().is_lowercase());
    assert!(!tree.problems[0].message.ends_with('.'));
}
