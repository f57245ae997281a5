//! Conventions every rule follows, checked over the registry.

use std::collections::HashSet;

use plimsoll_rules::all;

#[test]
fn codes_are_unique_and_match_their_family() {
    let mut seen = HashSet::new();
    for rule in all() {
        let meta = &rule.meta;
        assert!(seen.insert(meta.code), "duplicate code {}", meta.code);
        let digits = meta.code.strip_prefix(meta.family.prefix()).unwrap_or_else(|| {
            panic!("{}: code must start with its family prefix {}", meta.code, meta.family.prefix())
        });
        assert!(
            digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()),
            "{}: prefix + 3 digits",
            meta.code
        );
    }
}

#[test]
fn names_are_unique_kebab_case() {
    let mut seen = HashSet::new();
    for rule in all() {
        let name = rule.meta.name;
        assert!(seen.insert(name), "duplicate name {name}");
        let kebab = !name.is_empty()
            && name.split('-').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        assert!(kebab, "{}: name `{name}` must be kebab-case", rule.meta.code);
    }
}

#[test]
fn docs_have_every_section() {
    for rule in all() {
        let doc = rule.meta.documentation();
        for section in ["## What it does", "## Why is this bad?", "## Example", "## References"] {
            assert!(doc.contains(section), "{}: documentation lacks `{section}`", rule.meta.code);
        }
        let summary = rule.meta.summary();
        assert!(
            summary.ends_with('.'),
            "{}: the first sentence must end with a period: {summary:?}",
            rule.meta.code
        );
        assert!(!rule.meta.formats.is_empty(), "{}: no formats", rule.meta.code);
    }
}

#[test]
fn aliases_are_not_our_own_codes() {
    let codes: HashSet<&str> = all().iter().map(|r| r.meta.code).collect();
    for rule in all() {
        for alias in rule.meta.aliases {
            assert!(!codes.contains(alias), "{}: alias {alias} is one of our codes", rule.meta.code);
            assert_eq!(alias.trim(), *alias, "{}: alias {alias:?} has spaces", rule.meta.code);
        }
    }
}

#[test]
fn every_rule_file_tests_both_ways() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for rule in all() {
        let family = rule.meta.family.prefix().to_ascii_lowercase();
        let file = src.join(&family).join(format!("{}.rs", rule.meta.name.replace('-', "_")));
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| panic!("{}: expected its code in {}", rule.meta.code, file.display()));
        assert!(text.contains("#[cfg(test)]"), "{}: no tests in {}", rule.meta.code, file.display());
        let negative = text.contains("_clean(") || text.contains("is_empty()");
        assert!(negative, "{}: no test that the rule stays quiet", rule.meta.code);
    }
}
