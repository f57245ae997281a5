//! Lints every Dockerfile, Compose file, Kubernetes manifest and IAM policy of the shared corpus (`../shared/corpus` beside the checkout)
//! with every rule: nothing may panic, and the per-rule counts are printed for review.
//!
//! `PLIMSOLL_SHOW=CODE[,CODE…]` prints each finding of those rules with its file, line and source line, to
//! hunt false positives: `PLIMSOLL_SHOW=IMG006 cargo test -p plimsoll_rules --test corpus -- --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Disk, FileContext, Linter, RuleSelector, Selection, Settings, SourceFile};
use plimsoll_span::LineIndex;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.join("INDEX.tsv").exists().then_some(dir)
}

/// The corpus files plimsoll lints, with their format.
fn lintable(corpus: &Path) -> Vec<(PathBuf, Format)> {
    let index = std::fs::read_to_string(corpus.join("INDEX.tsv")).expect("INDEX.tsv");
    index
        .lines()
        .skip(1)
        .filter_map(|row| {
            let mut cols = row.split('\t');
            let format = match cols.next() {
                Some("dockerfile") => Format::Dockerfile,
                Some("compose") => Format::Compose,
                Some("k8s") => Format::Kubernetes,
                Some("iam") => Format::Iam,
                _ => return None,
            };
            Some((corpus.join(cols.next().unwrap_or("")), format))
        })
        .collect()
}

#[test]
fn every_corpus_file_lints_without_panicking() {
    let Some(corpus) = corpus() else {
        eprintln!("note: ../shared/corpus not found; corpus test skipped");
        return;
    };
    let settings = Settings {
        selection: Selection { select: Some(vec![RuleSelector::All]), ..Selection::default() },
        ..Settings::default()
    };
    let linter = Linter::new(plimsoll_rules::all(), settings);
    let show: Vec<String> = std::env::var("PLIMSOLL_SHOW")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let files = lintable(&corpus);
    let started = Instant::now();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (path, format) in &files {
        let source = SourceFile::from_bytes(std::fs::read(path).expect("readable corpus file"));
        let context = FileContext { path: Some(path), workspace: &Disk };
        let report = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            linter.lint_in(&source, *format, &context)
        }))
        .unwrap_or_else(|_| panic!("linting panicked on {}", path.display()));
        let mut codes_here = std::collections::HashSet::new();
        let index = LineIndex::new(&source.text);
        for d in &report.diagnostics {
            let entry = counts.entry(d.rule.code).or_default();
            entry.0 += 1;
            if codes_here.insert(d.rule.code) {
                entry.1 += 1;
            }
            if show.iter().any(|c| c == d.rule.code) {
                let at = index.line_col(&source.text, d.range.start);
                let line = index.line_range(at.line as usize - 1, &source.text).slice(&source.text);
                let rel = path.strip_prefix(&corpus).unwrap_or(path).display();
                println!(
                    "{rel}:{}:{}: {} {}\n    {}",
                    at.line,
                    at.column,
                    d.rule.code,
                    d.message,
                    line.trim()
                );
            }
        }
    }
    println!("{} files linted in {:.2?}", files.len(), started.elapsed());
    for (code, (findings, in_files)) in &counts {
        println!("{code:8} {findings:6} findings in {in_files:5} files");
    }
}

/// Applies every fix in each corpus file, as an editor's "fix all" does (whole fixes, skipping one that
/// overlaps a fix already taken): each fixed finding must go, no other finding may appear, and nothing else
/// in the file may change its findings.
#[test]
fn every_fix_resolves_its_finding_and_nothing_else() {
    let Some(corpus) = corpus() else {
        eprintln!("note: ../shared/corpus not found; corpus fix test skipped");
        return;
    };
    let settings = Settings {
        selection: Selection { select: Some(vec![RuleSelector::All]), ..Selection::default() },
        ..Settings::default()
    };
    let linter = Linter::new(plimsoll_rules::all(), settings);
    let lint = |text: &str, path: &Path, format: Format| {
        let context = FileContext { path: Some(path), workspace: &Disk };
        linter.lint_in(&SourceFile::from_text(text), format, &context).diagnostics
    };
    let mut fixed_files = 0;
    let mut applied = 0;
    for (path, format) in lintable(&corpus) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable corpus file")).into_owned();
        let before = lint(&text, &path, format);
        let mut taken: Vec<&plimsoll_diagnostic::Edit> = Vec::new();
        let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
        for found in &before {
            *expected.entry(found.rule.code).or_default() += 1;
        }
        for (found, fix) in before.iter().filter_map(|d| Some((d, d.fix.as_ref()?))) {
            let overlaps = fix.edits.iter().any(|edit| {
                taken.iter().any(|t| t.range.start < edit.range.end && edit.range.start < t.range.end)
            });
            if !overlaps {
                taken.extend(&fix.edits);
                *expected.entry(found.rule.code).or_default() -= 1;
                applied += 1;
            }
        }
        if taken.is_empty() {
            continue;
        }
        fixed_files += 1;
        taken.sort_by_key(|edit| std::cmp::Reverse(edit.range.start));
        let mut fixed = text.clone();
        for edit in taken {
            fixed.replace_range(edit.range.as_usize(), &edit.replacement);
        }
        let mut after: BTreeMap<&str, usize> = BTreeMap::new();
        for found in lint(&fixed, &path, format) {
            *after.entry(found.rule.code).or_default() += 1;
        }
        expected.retain(|_, n| *n > 0);
        assert_eq!(after, expected, "fixing {} left or made other findings:\n{fixed}", path.display());
    }
    println!("{applied} fixes applied in {fixed_files} files");
}
