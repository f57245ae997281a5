//! `docs/rules/` holds one generated page per rule (editors and SARIF link findings there through
//! `RuleMeta::docs_url`) and an index. This test keeps the pages in step with the registry and checks their
//! relative links; `UPDATE_DOCS=1 cargo test -p plimsoll_rules --test docs` rewrites them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use plimsoll_diagnostic::{DOCS_BASE_URL, Family};

mod rule_listing;
mod rule_pages;

use rule_pages::{INDEX, REGENERATE, heading_anchor, page_name, render_all};

/// Where the pages live, relative to the repository root (and at the end of [`DOCS_BASE_URL`]).
const DOCS_DIR: &str = "docs/rules";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the rules crate sits in the repository").into()
}

/// Each rule code and the repository path of the file that declares it, found the way `build.rs` finds
/// them: the first `code: "…"` of each `rules/src/<family>/*.rs`.
fn rule_sources() -> BTreeMap<String, String> {
    let mut sources = BTreeMap::new();
    for family in Family::ALL {
        let dir = format!("rules/src/{}", family.prefix().to_lowercase());
        let Ok(entries) = fs::read_dir(repo_root().join(&dir)) else { continue };
        for entry in entries {
            let path = entry.expect("read rules/src").path();
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text = fs::read_to_string(&path).expect("read a rule file");
            let Some(start) = text.find("code: \"").map(|at| at + "code: \"".len()) else { continue };
            let code = text[start..].split('"').next().unwrap_or_default().to_string();
            let file = path.file_name().unwrap().to_string_lossy();
            sources.insert(code, format!("{dir}/{file}"));
        }
    }
    sources
}

fn expected_pages() -> BTreeMap<String, String> {
    render_all(plimsoll_rules::all(), &rule_sources())
}

#[test]
fn every_rule_has_an_up_to_date_page_and_no_page_is_left_over() {
    let dir = repo_root().join(DOCS_DIR);
    let expected = expected_pages();
    let mut on_disk = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.expect("read docs/rules").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            on_disk.insert(name, fs::read(&path).unwrap_or_default());
        }
    }
    let stale: Vec<&str> = expected
        .iter()
        .filter(|(name, text)| on_disk.get(*name).is_some_and(|bytes| bytes != text.as_bytes()))
        .map(|(name, _)| name.as_str())
        .collect();
    let missing: Vec<&str> =
        expected.keys().filter(|name| !on_disk.contains_key(*name)).map(String::as_str).collect();
    let extra: Vec<&str> =
        on_disk.keys().filter(|name| !expected.contains_key(*name)).map(String::as_str).collect();
    if stale.is_empty() && missing.is_empty() && extra.is_empty() {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::create_dir_all(&dir).expect("create docs/rules");
        for name in stale.iter().chain(&missing) {
            fs::write(dir.join(name), &expected[*name]).expect("write a page");
        }
        // docs/rules holds generated pages only: a page without a rule belongs to a removed or renamed rule.
        for name in &extra {
            let path = dir.join(name);
            let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            removed.expect("remove a page without a rule");
        }
        return;
    }
    let mut problems = Vec::new();
    for (what, names) in [("stale", &stale), ("missing", &missing), ("without a rule", &extra)] {
        if !names.is_empty() {
            problems.push(format!("{what}: {}", names.join(", ")));
        }
    }
    panic!("{DOCS_DIR} is out of date ({}): run `{REGENERATE}`", problems.join("; "));
}

#[test]
fn docs_url_names_the_generated_page() {
    assert!(DOCS_BASE_URL.ends_with(&format!("/{DOCS_DIR}/")), "{DOCS_BASE_URL} must point at {DOCS_DIR}");
    let pages = expected_pages();
    for rule in plimsoll_rules::all() {
        let name = page_name(&rule.meta);
        assert_eq!(rule.meta.docs_url(), format!("{DOCS_BASE_URL}{name}"));
        assert!(pages[&name].contains(&format!("\n# {}: {}\n", rule.meta.code, rule.meta.name)));
        assert!(pages[INDEX].contains(&format!("[{}]({name})", rule.meta.code)), "{name} is in the index");
    }
}

#[test]
fn relative_links_in_the_pages_resolve() {
    let broken = broken_links(&expected_pages(), &repo_root());
    assert!(broken.is_empty(), "broken links in {DOCS_DIR}:\n{}", broken.join("\n"));
}

#[test]
fn the_link_check_reports_missing_files_and_anchors() {
    let pages: BTreeMap<String, String> = [
        ("A.md", "# Title\n\n## The part\n"),
        (
            "B.md",
            "[ok](A.md) [ok](A.md#the-part) [ok](#here) [ok](../../rules/Cargo.toml) [web](https://x.test/y)\n\
             [gone](C.md) [no anchor](A.md#elsewhere) [no file](../../rules/none.rs) [above](../../../x)\n\
             `[code](span.md)`\n\n```md\n[fenced](block.md)\n```\n\n## Here\n",
        ),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_string(), text.to_string()))
    .collect();
    let broken = broken_links(&pages, &repo_root());
    assert_eq!(
        broken,
        ["B.md: C.md", "B.md: A.md#elsewhere", "B.md: ../../rules/none.rs", "B.md: ../../../x",]
    );
}

/// The relative links of `pages` (file name → Markdown, all in [`DOCS_DIR`]) whose file does not exist —
/// among the pages, or else in the repository — or whose `#anchor` names no heading of that page.
fn broken_links(pages: &BTreeMap<String, String>, root: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (name, text) in pages {
        for target in relative_links(text) {
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let markdown = if path.is_empty() {
                Some(text.clone())
            } else {
                match resolve(DOCS_DIR, path) {
                    Some(file) => match file.strip_prefix(&format!("{DOCS_DIR}/")).and_then(|n| pages.get(n))
                    {
                        Some(page) => Some(page.clone()),
                        None => fs::read_to_string(root.join(&file)).ok(),
                    },
                    None => None,
                }
            };
            let resolves = match markdown {
                Some(markdown) => anchor.is_empty() || anchors(&markdown).contains(anchor),
                None => false,
            };
            if !resolves {
                broken.push(format!("{name}: {target}"));
            }
        }
    }
    broken
}

/// The targets of `[text](target)` links outside code, except those with a scheme (`https:`, `mailto:`).
fn relative_links(markdown: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Text between backticks is code; the even-numbered pieces are not.
        for prose in line.split('`').step_by(2) {
            for (at, _) in prose.match_indices("](") {
                let rest = &prose[at + 2..];
                let target = &rest[..rest.find(')').unwrap_or(rest.len())];
                if !target.contains(':') {
                    links.push(target);
                }
            }
        }
    }
    links
}

/// `path` taken relative to the directory `base` (both `/`-separated and relative to the repository root),
/// with `.` and `..` resolved; `None` when it climbs above the root.
fn resolve(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|part| !part.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The anchors of a page's headings (outside code blocks).
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut in_fence = false;
    let mut found = BTreeSet::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            found.insert(heading_anchor(line.trim_start_matches('#')));
        }
    }
    found
}
