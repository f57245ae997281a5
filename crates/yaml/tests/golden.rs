//! Golden tests: every `grammars/yaml/<case>.yaml` / `.json` is read and dumped with `Tree::debug_dump`, and
//! the dump is compared with `<case>.tree`. `UPDATE_GOLDEN=1` rewrites the expected files instead.

use std::fs;
use std::path::{Path, PathBuf};

use plimsoll_yaml::{parse_json, parse_yaml};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../grammars/yaml")
}

#[test]
fn golden_dumps_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut inputs: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("grammars/yaml exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 15, "expected the golden cases, found {}", inputs.len());

    let mut failures = Vec::new();
    for input in &inputs {
        let bytes = fs::read(input).expect("readable case");
        let text = String::from_utf8(bytes).expect("cases are UTF-8");
        let tree = if input.extension().is_some_and(|e| e == "json") {
            parse_json(&text)
        } else {
            parse_yaml(&text)
        };
        let actual = tree.debug_dump(&text);
        let expected_path = input.with_extension("tree");
        if update {
            fs::write(&expected_path, &actual).expect("writable golden file");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("--- {}\n{}", expected_path.display(), line_diff(&expected, &actual)));
        }
    }
    assert!(failures.is_empty(), "golden mismatches (UPDATE_GOLDEN=1 rewrites):\n{}", failures.join("\n"));
}

/// A minimal line diff (`-` expected, `+` actual) from the longest common subsequence of lines.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let mut common = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if j < new.len() && (i == old.len() || common[i][j + 1] >= common[i + 1][j]) {
            out.push_str(&format!("+{}\n", new[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", old[i]));
            i += 1;
        }
    }
    out
}
