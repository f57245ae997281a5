//! A cache on a temporary directory, driven as a run drives it: hits give what linting gives, and every
//! input of a result invalidates it.

use std::path::{Path, PathBuf};

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Project, Run, Settings, SourceFile};

use super::Cache;

/// A directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("plimsoll-cache-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, path: &str, text: &str) -> PathBuf {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn cache(&self) -> Cache {
        Cache::create(&self.0.join("cache")).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn linter(settings: Settings) -> Linter {
    Linter::new(plimsoll_rules::all(), settings)
}

/// A report as text: every field of every finding.
fn shown(report: &plimsoll_linter::FileReport) -> String {
    format!("{:?} {:?} {:?}", report.diagnostics, report.related, report.skipped)
}

fn counts(cache: &Cache) -> (usize, usize) {
    use std::sync::atomic::Ordering::Relaxed;
    (cache.hits.load(Relaxed), cache.misses.load(Relaxed))
}

const DOCKERFILE: &str =
    "FROM ubuntu:latest\nRUN sudo apt-get install -y curl\n# plimsoll: ignore[NOPE999]\n";

#[test]
fn a_hit_is_what_linting_reports_and_content_and_settings_invalidate_it() {
    let scratch = Scratch::new("dockerfile");
    let cache = scratch.cache();
    let linter = linter(Settings::default());
    let source = SourceFile::from_text(DOCKERFILE);
    let lint = |cache: &Cache, linter: &Linter, source: &SourceFile| {
        cache.lint(
            linter,
            source,
            Format::Dockerfile,
            "Dockerfile",
            Some(Path::new("Dockerfile")),
            &Run::default(),
        )
    };
    let uncached = linter.lint(&source, Format::Dockerfile);
    assert!(uncached.diagnostics.iter().any(|d| d.fix.is_some() || d.help.is_some()), "a rich report");
    let cold = lint(&cache, &linter, &source);
    let warm = lint(&cache, &linter, &source);
    assert_eq!(counts(&cache), (1, 1));
    assert_eq!(shown(&warm), shown(&uncached));
    assert_eq!(shown(&cold), shown(&uncached));

    // Another run (a new cache value on the same directory) reuses the entry.
    let again = scratch.cache();
    assert_eq!(shown(&lint(&again, &linter, &source)), shown(&uncached));
    assert_eq!(counts(&again), (1, 0));

    let edited = SourceFile::from_text(DOCKERFILE.replace("latest", "24.04"));
    let relinted = lint(&again, &linter, &edited);
    assert_eq!(counts(&again), (1, 1), "new content");
    assert_ne!(shown(&relinted), shown(&uncached));

    let ignoring =
        linter_with(|settings| settings.selection.ignore = vec![plimsoll_linter::RuleSelector::All]);
    assert!(lint(&again, &ignoring, &source).diagnostics.is_empty());
    assert_eq!(counts(&again), (1, 2), "other settings");

    // The same content under another path is another entry (paths decide per-file ignores and more).
    again.lint(
        &linter,
        &source,
        Format::Dockerfile,
        "b/Dockerfile",
        Some(Path::new("b/Dockerfile")),
        &Run::default(),
    );
    assert_eq!(counts(&again), (1, 3), "another path");
}

fn linter_with(change: impl FnOnce(&mut Settings)) -> Linter {
    let mut settings = Settings::default();
    change(&mut settings);
    linter(settings)
}

#[test]
fn another_build_does_not_reuse_entries() {
    let scratch = Scratch::new("build");
    let linter = linter(Settings::default());
    let source = SourceFile::from_text(DOCKERFILE);
    let run = Run::default();
    let cache = scratch.cache();
    cache.lint(&linter, &source, Format::Dockerfile, "Dockerfile", None, &run);
    let mut rebuilt = scratch.cache();
    rebuilt.build = super::Key::new("build").str("0.1.0-another-build").finish();
    rebuilt.lint(&linter, &source, Format::Dockerfile, "Dockerfile", None, &run);
    assert_eq!(counts(&rebuilt), (0, 1));
    let same = scratch.cache();
    same.lint(&linter, &source, Format::Dockerfile, "Dockerfile", None, &run);
    assert_eq!(counts(&same), (1, 0));
}

#[test]
fn a_damaged_entry_is_a_miss_and_is_replaced() {
    let scratch = Scratch::new("damaged");
    let linter = linter(Settings::default());
    let source = SourceFile::from_text(DOCKERFILE);
    let run = Run::default();
    let cache = scratch.cache();
    let expected = shown(&cache.lint(&linter, &source, Format::Dockerfile, "Dockerfile", None, &run));
    let key = cache.lint_key(&linter, &source, Format::Dockerfile, "Dockerfile").unwrap();
    let path = cache.entry_path(&key);
    let bytes = std::fs::read(&path).unwrap();
    for damaged in [bytes[..bytes.len() / 2].to_vec(), Vec::new(), b"PLIMSOLL garbage".to_vec()] {
        std::fs::write(&path, &damaged).unwrap();
        let cache = scratch.cache();
        assert_eq!(
            shown(&cache.lint(&linter, &source, Format::Dockerfile, "Dockerfile", None, &run)),
            expected
        );
        assert_eq!(counts(&cache), (0, 1));
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "rewritten whole");
    }
}

#[test]
fn a_compose_entry_depends_on_the_dockerfiles_it_read() {
    let scratch = Scratch::new("compose");
    let compose = scratch.write("app/compose.yaml", "services:\n  api:\n    build: .\n");
    scratch.write("app/Dockerfile", "FROM node:22\nCOPY . /app\n");
    let shown_path = compose.display().to_string();
    let source = SourceFile::from_text(std::fs::read_to_string(&compose).unwrap());
    let linter = linter(Settings::default());
    let run = Run::default();
    let lint = |cache: &Cache| {
        let report = cache.lint(&linter, &source, Format::Compose, &shown_path, Some(&compose), &run);
        report.diagnostics.iter().filter(|d| d.rule.code == "ISO001").count()
    };
    let cache = scratch.cache();
    assert_eq!(lint(&cache), 1, "the Dockerfile sets no USER");
    assert_eq!(lint(&cache), 1);
    assert_eq!(counts(&cache), (1, 1));
    scratch.write("app/Dockerfile", "FROM node:22\nCOPY . /app\nUSER app\n");
    assert_eq!(lint(&cache), 0, "the Dockerfile's USER is seen");
    assert_eq!(counts(&cache), (1, 2));
    std::fs::remove_file(scratch.0.join("app/Dockerfile")).unwrap();
    lint(&cache);
    assert_eq!(counts(&cache), (1, 3), "a file read before is gone");
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers: [{name: web, image: nginx:1.27}]\n";

/// Gathers the facts of `files` through the cache, as a run does, and lints the Deployment.
fn lint_deployment(cache: &mut Cache, linter: &Linter, files: &[(&str, &str)]) -> Vec<String> {
    let sources: Vec<(&str, SourceFile)> =
        files.iter().map(|(path, text)| (*path, SourceFile::from_text(*text))).collect();
    let gathered: Vec<_> = sources
        .iter()
        .map(|(path, source)| cache.facts(linter, source, path, Some(Path::new(path))).unwrap())
        .collect();
    cache.set_project(gathered.iter().map(|(_, digest)| *digest));
    let run = Run { project: Project::new(gathered.into_iter().map(|(facts, _)| facts)) };
    let (path, source) = &sources[0];
    let report = cache.lint(linter, source, Format::Kubernetes, path, Some(Path::new(path)), &run);
    report.diagnostics.iter().map(|d| format!("{} {}", d.rule.code, d.message)).collect()
}

#[test]
fn kubernetes_findings_follow_the_facts_of_other_files() {
    let scratch = Scratch::new("kubernetes");
    let linter = linter(Settings::default());
    let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n";
    let renamed = account.replace("name: web", "name: worker");
    let uncached = |account: &str| {
        let files = [("k8s/web.yaml", DEPLOYMENT), ("k8s/sa.yaml", account)];
        let sources: Vec<SourceFile> = files.iter().map(|(_, text)| SourceFile::from_text(*text)).collect();
        let facts = files.iter().zip(&sources).map(|((path, _), source)| {
            linter.project_facts(source, Format::Kubernetes, Some(Path::new(path))).unwrap()
        });
        let run = Run { project: Project::new(facts) };
        let context = plimsoll_linter::FileContext { path: Some(Path::new(files[0].0)), workspace: &run };
        let report = linter.lint_in(&sources[0], Format::Kubernetes, &context);
        report.diagnostics.iter().map(|d| format!("{} {}", d.rule.code, d.message)).collect::<Vec<_>>()
    };
    let (with_account, without) = (uncached(account), uncached(&renamed));
    assert!(
        without.iter().any(|f| f.starts_with("RBAC050"))
            && !with_account.iter().any(|f| f.starts_with("RBAC050"))
    );

    let mut cache = scratch.cache();
    let files = |account| [("k8s/web.yaml", DEPLOYMENT), ("k8s/sa.yaml", account)];
    assert_eq!(lint_deployment(&mut cache, &linter, &files(account)), with_account);
    assert_eq!(lint_deployment(&mut cache, &linter, &files(account)), with_account);
    assert_eq!(counts(&cache), (1, 1));
    // The Deployment did not change; the ServiceAccount in the other file did.
    assert_eq!(lint_deployment(&mut cache, &linter, &files(&renamed)), without);
    assert_eq!(counts(&cache), (1, 2));
    // A comment changes the file but not its facts: the Deployment's entry stands.
    let commented = format!("# the web tier's account\n{account}");
    assert_eq!(lint_deployment(&mut cache, &linter, &files(&commented)), with_account);
    assert_eq!(counts(&cache), (2, 2));
}

#[test]
fn facts_are_read_back_from_the_cache() {
    let scratch = Scratch::new("facts");
    let linter = linter(Settings::default());
    let source = SourceFile::from_text(DEPLOYMENT);
    let path = Some(Path::new("k8s/web.yaml"));
    let cache = scratch.cache();
    let (computed, digest) = cache.facts(&linter, &source, "k8s/web.yaml", path).unwrap();
    let (read, read_digest) = cache.facts(&linter, &source, "k8s/web.yaml", path).unwrap();
    assert_eq!(read_digest, digest);
    assert_eq!(format!("{read:?}"), format!("{computed:?}"));
    assert!(!computed.pods.is_empty());

    // What a hit returns is what the entry holds: put other facts under the key.
    let key = cache.facts_key(&linter, &source, "k8s/web.yaml");
    let other = linter
        .project_facts(
            &SourceFile::from_text("kind: ServiceAccount\napiVersion: v1\nmetadata: {name: a}\n"),
            Format::Kubernetes,
            None,
        )
        .unwrap();
    let payload = serde_json::to_vec(&other).unwrap();
    std::fs::write(cache.entry_path(&key), super::entry::frame(super::Kind::Facts, &key, &payload)).unwrap();
    let (stored, stored_digest) = cache.facts(&linter, &source, "k8s/web.yaml", path).unwrap();
    assert_eq!(format!("{stored:?}"), format!("{other:?}"));
    assert_ne!(stored_digest, digest);

    assert!(cache.facts(&linter, &SourceFile::too_large(1 << 30), "big.yaml", None).is_none());
}

#[test]
fn the_directory_is_tagged_and_ignored() {
    let scratch = Scratch::new("tags");
    let _cache = scratch.cache();
    let root = scratch.0.join("cache");
    let tag = std::fs::read_to_string(root.join("CACHEDIR.TAG")).unwrap();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    assert_eq!(std::fs::read_to_string(root.join(".gitignore")).unwrap().lines().last(), Some("*"));
}

#[test]
fn the_cache_directory_comes_from_the_flag_or_the_environment() {
    use super::chosen_dir;
    assert_eq!(chosen_dir(Some(Path::new("x")), false), Some(PathBuf::from("x")));
    assert_eq!(chosen_dir(Some(Path::new("x")), true), None);
}
