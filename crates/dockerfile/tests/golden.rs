//! Golden parse tests: every `grammars/dockerfile/<case>.Dockerfile` is parsed and its
//! [`Dockerfile::debug_tree`] compared with `<case>.tree`. Run with `UPDATE_GOLDEN=1` to rewrite the
//! expected files after an intended change (then review the diff).

use std::fs;
use std::path::{Path, PathBuf};

mod common;

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../grammars/dockerfile");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "Dockerfile"))
        .collect();
    cases.sort();
    cases
}

/// A line diff (longest common subsequence), `-` for expected lines and `+` for actual ones, with two
/// lines of context around each change.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', b[j]));
            j += 1;
        } else {
            ops.push(('-', a[i]));
            i += 1;
        }
    }
    let near_change =
        |k: usize| ops[k.saturating_sub(2)..(k + 3).min(ops.len())].iter().any(|(op, _)| *op != ' ');
    let mut out = String::new();
    let mut skipped = false;
    for (k, (op, line)) in ops.iter().enumerate() {
        if near_change(k) {
            out.push_str(&format!("{op} {line}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("  …\n");
            skipped = true;
        }
    }
    out
}

#[test]
fn golden_trees() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let cases = cases();
    assert!(cases.len() >= 20, "expected the golden cases in grammars/dockerfile, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let input = fs::read_to_string(case).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let file = plimsoll_dockerfile::parse(&input);
        let problems = common::range_problems(&input, &file);
        assert!(problems.is_empty(), "{}: {problems:?}", case.display());
        let actual = file.debug_tree(&input);
        let expected_path = case.with_extension("tree");
        if update {
            fs::write(&expected_path, &actual).unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("--- {}\n{}", expected_path.display(), diff(&expected, &actual)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden trees differ (UPDATE_GOLDEN=1 rewrites them):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn diff_marks_changed_lines() {
    let d = diff("a\nb\nc\n", "a\nx\nc\n");
    assert!(d.contains("- b") && d.contains("+ x") && d.contains("  a"), "{d}");
}
