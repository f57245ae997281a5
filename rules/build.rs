//! Derives the rule registry from the rule files, so adding a rule touches no central file.
//!
//! Every `src/<family>/<rule>.rs` (family = a known lower-case family prefix) is a rule module that
//! declares `pub static RULE` with `declare_rule!`. This script writes `$OUT_DIR/registry.rs` with the module
//! tree and `ALL`, the rules sorted by code, and fails the build on a duplicate code or a file without one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

const FAMILIES: &[&str] = &["img", "sec", "iso", "net", "res", "iam", "rbac", "df", "syn"];

fn main() {
    let src = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("src");
    println!("cargo::rerun-if-changed={}", src.display());
    let mut modules = String::new();
    let mut by_code = BTreeMap::new();
    for family in FAMILIES {
        let dir = src.join(family);
        println!("cargo::rerun-if-changed={}", dir.display());
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        if files.is_empty() {
            continue;
        }
        writeln!(modules, "pub mod {family} {{").unwrap();
        for path in files {
            println!("cargo::rerun-if-changed={}", path.display());
            let module = path.file_stem().unwrap().to_str().unwrap().to_string();
            let text = fs::read_to_string(&path).unwrap();
            let code = declared_code(&text).unwrap_or_else(|| {
                panic!("{}: a rule file must declare `code: \"…\"` in declare_rule!", path.display())
            });
            writeln!(modules, "    #[path = {:?}]\n    pub mod {module};", path.display().to_string())
                .unwrap();
            if let Some(other) = by_code.insert(code.clone(), format!("{family}::{module}")) {
                panic!("rule code {code} is declared twice: {other} and {family}::{module}");
            }
        }
        writeln!(modules, "}}").unwrap();
    }
    let mut registry = modules;
    registry.push_str("\n/// Every rule, sorted by code.\npub static ALL: &[&plimsoll_linter::Rule] = &[\n");
    for path in by_code.values() {
        writeln!(registry, "    &{path}::RULE,").unwrap();
    }
    registry.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("registry.rs");
    fs::write(out, registry).unwrap();
}

/// The string after the first `code: "` in the file.
fn declared_code(text: &str) -> Option<String> {
    let start = text.find("code: \"")? + "code: \"".len();
    let len = text[start..].find('"')?;
    Some(text[start..start + len].to_string())
}
