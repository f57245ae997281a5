//! Hostile inputs: each runs on a thread with the 2 MiB stack of a rayon worker, must finish quickly, and
//! must leave a tree that a consumer can walk fully expanded (aliases followed) within the bounds.

use std::time::{Duration, Instant};

use plimsoll_yaml::{ALIAS_BUDGET, MAX_DEPTH, NodeId, ProblemKind, Tree, Value, parse_json, parse_yaml};

const STACK: usize = 2 << 20;
/// Generous for a debug build on a loaded 2-core machine; release runs take a fraction of it.
const DEADLINE: Duration = Duration::from_secs(20);

/// Parses `text` on a 2 MiB thread and checks the time taken.
fn parse_on_small_stack(text: String, json: bool) -> Tree {
    let started = Instant::now();
    let tree = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || if json { parse_json(&text) } else { parse_yaml(&text) })
        .expect("thread spawns")
        .join()
        .expect("parsing does not panic");
    let took = started.elapsed();
    assert!(took < DEADLINE, "took {took:?}");
    tree
}

/// Walks every document with aliases expanded, as a naive consumer would; returns (nodes visited, deepest
/// collection nesting). Stops counting past `limit` so a broken bound fails instead of hanging.
fn expanded_walk(tree: &Tree, limit: u64) -> (u64, usize) {
    let mut visited = 0u64;
    let mut deepest = 0;
    for root in tree.documents.iter().filter_map(|d| d.root) {
        let mut stack: Vec<(NodeId, usize)> = vec![(root, 0)];
        while let Some((id, depth)) = stack.pop() {
            visited += 1;
            assert!(visited <= limit, "expanded walk exceeds {limit} nodes");
            match &tree.node(id).value {
                Value::Map(entries) => {
                    deepest = deepest.max(depth + 1);
                    for entry in entries {
                        stack.push((entry.key, depth + 1));
                        stack.push((entry.value, depth + 1));
                    }
                }
                Value::Seq(items) => {
                    deepest = deepest.max(depth + 1);
                    stack.extend(items.iter().map(|&item| (item, depth + 1)));
                }
                Value::Scalar(_) | Value::Invalid => {}
            }
        }
    }
    (visited, deepest)
}

fn kinds(tree: &Tree) -> Vec<ProblemKind> {
    tree.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn billion_laughs_stays_linear() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let aliases = vec![format!("*{}", pair[0]); 10].join(",");
        text.push_str(&format!("{}: &{} [{aliases}]\n", pair[1], pair[1]));
    }
    let tree = parse_on_small_stack(text, false);
    assert_eq!(tree.documents.len(), 1);
    assert!(tree.nodes.len() < 1_000, "aliases are shared, not copied: {} nodes", tree.nodes.len());
    let limit_problems = tree.problems.iter().filter(|p| p.kind == ProblemKind::AliasLimit).count();
    assert_eq!(limit_problems, 1, "one report per document: {:?}", tree.problems);
    assert!(tree.problems[0].message.contains("more in this document"), "{}", tree.problems[0].message);
    let (visited, _) = expanded_walk(&tree, 2 * ALIAS_BUDGET + 10_000);
    assert!(visited <= ALIAS_BUDGET + tree.nodes.len() as u64, "expanded walk visits {visited}");
}

#[test]
fn merge_keys_cannot_multiply_entries() {
    let mut text = String::from("base: &b {");
    text.push_str(&(0..1_000).map(|i| format!("k{i}: {i}")).collect::<Vec<_>>().join(", "));
    text.push_str("}\n");
    for i in 0..5_000 {
        text.push_str(&format!("m{i}: {{<<: *b}}\n"));
    }
    let tree = parse_on_small_stack(text, false);
    assert!(kinds(&tree).contains(&ProblemKind::AliasLimit));
    let merged: usize = tree
        .nodes
        .iter()
        .map(|n| match &n.value {
            Value::Map(entries) => entries.len(),
            _ => 0,
        })
        .sum();
    assert!(merged as u64 <= ALIAS_BUDGET + 10_000, "{merged} entries");
}

#[test]
fn deep_block_sequences_are_cut_at_the_bound() {
    let text = format!("{}x\n", "- ".repeat(100_000));
    let tree = parse_on_small_stack(text, false);
    assert_eq!(tree.documents.len(), 1);
    assert_eq!(kinds(&tree), [ProblemKind::DepthLimit]);
    let (_, deepest) = expanded_walk(&tree, 1_000_000);
    assert_eq!(deepest, MAX_DEPTH);
}

#[test]
fn deep_indented_mappings_are_cut_at_the_bound() {
    let text: String = (0..2_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let tree = parse_on_small_stack(text, false);
    assert_eq!(kinds(&tree), [ProblemKind::DepthLimit]);
    assert_eq!(expanded_walk(&tree, 1_000_000).1, MAX_DEPTH);
}

#[test]
fn aliases_cannot_build_depth() {
    // A 300-deep anchored block and an alias to it 300 levels down: 600 levels once expanded.
    let nest = |prefix: &str, depth: usize, leaf: &str| -> String {
        let mut text = String::new();
        for i in 0..depth {
            text.push_str(&format!("{}{prefix}{i}:", " ".repeat(i)));
            text.push_str(if i == 0 && prefix == "a" { " &deep\n" } else { "\n" });
        }
        text.push_str(&format!("{}{leaf}\n", " ".repeat(depth)));
        text
    };
    let text = format!("{}{}", nest("a", 300, "x: 1"), nest("b", 300, "y: *deep"));
    let tree = parse_on_small_stack(text, false);
    assert_eq!(kinds(&tree), [ProblemKind::DepthLimit], "{:?}", tree.problems);
    assert!(expanded_walk(&tree, 1_000_000).1 <= MAX_DEPTH);
}

#[test]
fn deep_flow_brackets_end_in_a_syntax_error() {
    for text in ["[".repeat(100_000), "{a: ".repeat(100_000), "[".repeat(5_000) + &"]".repeat(5_000)] {
        let tree = parse_on_small_stack(text, false);
        assert!(!tree.problems.is_empty());
        assert!(expanded_walk(&tree, 1_000_000).1 <= MAX_DEPTH);
    }
}

#[test]
fn deep_json_is_refused_before_parsing() {
    let tree = parse_on_small_stack("[".repeat(100_000), true);
    assert!(tree.documents.is_empty());
    assert_eq!(kinds(&tree), [ProblemKind::DepthLimit]);
    let nested = format!("{}{}", "{\"a\":[".repeat(64), "]}".repeat(64));
    let tree = parse_on_small_stack(nested, true);
    assert!(tree.problems.is_empty(), "{:?}", tree.problems);
    assert_eq!(expanded_walk(&tree, 1_000_000).1, 128);
}

#[test]
fn five_megabyte_flow_mapping_on_one_line() {
    let mut text = String::from("{");
    let mut i = 0;
    while text.len() < 5 << 20 {
        text.push_str(&format!("key{i}: value{i}, "));
        i += 1;
    }
    text.push('}');
    let tree = parse_on_small_stack(text, false);
    assert!(tree.problems.is_empty(), "{:?}", tree.problems.first());
    let root = tree.documents[0].root.expect("a root");
    assert_eq!(tree.entries(root).len(), i);
}

#[test]
fn long_lines_of_empty_values_and_hashes() {
    let keys: String = (0..400_000).map(|i| format!("k{i}, ")).collect();
    let tree = parse_on_small_stack(format!("{{{keys}}}"), false);
    assert_eq!(tree.entries(tree.documents[0].root.expect("a root")).len(), 400_000);
    // After a syntax error, every ` #` on one long line must not rescan the line.
    let tree = parse_on_small_stack(format!("a: [\n{}", " # x".repeat(1_000_000)), false);
    assert_eq!(kinds(&tree), [ProblemKind::Syntax]);
}

#[test]
fn unterminated_quotes() {
    for text in ["a: \"abc\n", "a: 'abc\nb: 1\n", "\"", "'", "a: [\"x, y]\n# c\n", "k: |\n  \"x\n"] {
        let tree = parse_on_small_stack(text.to_owned(), false);
        for problem in &tree.problems {
            assert!(problem.range.end as usize <= text.len());
        }
    }
    let tree = parse_on_small_stack(format!("a: \"{}", "x".repeat(1 << 20)), false);
    assert_eq!(kinds(&tree), [ProblemKind::Syntax]);
    let tree = parse_on_small_stack("{\"a\": \"open".to_owned(), true);
    assert_eq!(kinds(&tree), [ProblemKind::Syntax]);
}

#[test]
fn binary_noise_and_nul_bytes() {
    // A fixed xorshift stream, so failures reproduce.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut noise = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..200 {
        let len = 1 + (noise() % 4096) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let byte = noise() as u8;
                // Mix in YAML's punctuation so the parser gets past the first token more often.
                const PUNCTUATION: &[u8] = b"-:[]{},#&*!|>'\"\n ?%@`abc\0\t\r";
                if round % 2 == 0 { PUNCTUATION[byte as usize % PUNCTUATION.len()] } else { byte }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let yaml = parse_on_small_stack(text.clone(), false);
        let json = parse_on_small_stack(text.clone(), true);
        for tree in [&yaml, &json] {
            for node in &tree.nodes {
                let ok =
                    node.range.end as usize <= text.len() && text.is_char_boundary(node.range.start as usize);
                assert!(ok, "round {round}: {node:?} in {text:?}");
            }
            let _ = tree.debug_dump(&text);
        }
    }
    for text in ["\0", "a: \0\0\0\n", "\0: x", "- \0\n- b", "{\"a\": \"\0\"}"] {
        let _ = parse_on_small_stack(text.to_owned(), false);
        let _ = parse_on_small_stack(text.to_owned(), true);
    }
}
