//! Helpers for the tests inside rule files: lint a snippet with one rule and look at what it reported.
//!
//! Every diagnostic produced through these helpers is also checked against the message conventions: a
//! message is one sentence without a trailing period, and every finding says what to do instead.

use plimsoll_diagnostic::{Diagnostic, Format};
use plimsoll_linter::{Linter, Rule, RuleSelector, Selection, Settings, SourceFile};
use plimsoll_model::Date;

/// Settings for tests: every rule selected and a fixed date, so end-of-life results do not drift.
pub(crate) fn settings() -> Settings {
    Settings {
        selection: Selection { select: Some(vec![RuleSelector::All]), ..Selection::default() },
        today: Date { year: 2026, month: 11, day: 28 },
        ..Settings::default()
    }
}

/// Test settings with the configured capability lists (`Settings::dangerous_capabilities`,
/// `Settings::allowed_capabilities`).
pub(crate) fn capability_settings(dangerous: &[&str], allowed: &[&str]) -> Settings {
    Settings {
        dangerous_capabilities: dangerous.iter().map(|c| c.to_string()).collect(),
        allowed_capabilities: allowed.iter().map(|c| c.to_string()).collect(),
        ..settings()
    }
}

/// The source text each finding of `rule` points at when `text` is linted as `format` with `settings`.
pub(crate) fn spans_with(rule: &'static Rule, format: Format, text: &str, settings: Settings) -> Vec<String> {
    lint_with(rule, format, text, settings).iter().map(|d| d.range.slice(text).to_string()).collect()
}

/// Lints `text` as `format` with only `rule` enabled.
pub(crate) fn lint_with(
    rule: &'static Rule,
    format: Format,
    text: &str,
    settings: Settings,
) -> Vec<Diagnostic> {
    let linter = Linter::new(&[rule], settings);
    let found = linter.lint(&SourceFile::from_text(text), format).diagnostics;
    for d in &found {
        check_conventions(d);
    }
    found
}

/// A Dockerfile whose only instruction after `FROM` is `RUN <script>`.
pub(crate) fn run(script: &str) -> String {
    format!("FROM debian:bookworm\nRUN {script}\n")
}

/// Lints a Dockerfile with only `rule` enabled.
pub(crate) fn lint(rule: &'static Rule, dockerfile: &str) -> Vec<Diagnostic> {
    lint_with(rule, Format::Dockerfile, dockerfile, settings())
}

/// The source text each finding points at, in order.
pub(crate) fn spans(rule: &'static Rule, dockerfile: &str) -> Vec<String> {
    lint(rule, dockerfile).iter().map(|d| d.range.slice(dockerfile).to_string()).collect()
}

/// Lints a Compose file with only `rule` enabled.
pub(crate) fn lint_compose(rule: &'static Rule, compose: &str) -> Vec<Diagnostic> {
    lint_with(rule, Format::Compose, compose, settings())
}

/// The source text each Compose finding points at, in order.
pub(crate) fn compose_spans(rule: &'static Rule, compose: &str) -> Vec<String> {
    lint_compose(rule, compose).iter().map(|d| d.range.slice(compose).to_string()).collect()
}

#[track_caller]
pub(crate) fn assert_compose_clean(rule: &'static Rule, compose: &str) {
    let found = lint_compose(rule, compose);
    assert!(
        found.is_empty(),
        "expected no {} finding, got: {:#?}\n--- input ---\n{compose}",
        rule.meta.code,
        found.iter().map(|d| (d.range.slice(compose), &d.message)).collect::<Vec<_>>()
    );
}

/// Lints an IAM policy file (JSON, or YAML when it does not start with `{`) with only `rule` enabled.
pub(crate) fn lint_iam(rule: &'static Rule, policy: &str) -> Vec<Diagnostic> {
    lint_with(rule, Format::Iam, policy, settings())
}

/// The source text each IAM finding points at, in order.
pub(crate) fn iam_spans(rule: &'static Rule, policy: &str) -> Vec<String> {
    lint_iam(rule, policy).iter().map(|d| d.range.slice(policy).to_string()).collect()
}

#[track_caller]
pub(crate) fn assert_iam_clean(rule: &'static Rule, policy: &str) {
    let found = lint_iam(rule, policy);
    assert!(
        found.is_empty(),
        "expected no {} finding, got: {:#?}\n--- input ---\n{policy}",
        rule.meta.code,
        found.iter().map(|d| (d.range.slice(policy), &d.message)).collect::<Vec<_>>()
    );
}

/// A policy document (`Version` 2012-10-17) whose `Statement` list holds `statements` (JSON objects,
/// comma-separated).
pub(crate) fn policy(statements: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {statements}\n  ]\n}}\n")
}

/// A policy whose one statement denies `s3:*` on every resource under `condition` (a JSON object), for
/// the condition rules.
pub(crate) fn deny_with_condition(condition: &str) -> String {
    policy(&format!(r#"{{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}"#))
}

/// Lints a Kubernetes manifest with only `rule` enabled.
pub(crate) fn lint_k8s(rule: &'static Rule, manifest: &str) -> Vec<Diagnostic> {
    lint_with(rule, Format::Kubernetes, manifest, settings())
}

/// The source text each Kubernetes finding points at, in order.
pub(crate) fn k8s_spans(rule: &'static Rule, manifest: &str) -> Vec<String> {
    lint_k8s(rule, manifest).iter().map(|d| d.range.slice(manifest).to_string()).collect()
}

#[track_caller]
pub(crate) fn assert_k8s_clean(rule: &'static Rule, manifest: &str) {
    let found = lint_k8s(rule, manifest);
    assert!(
        found.is_empty(),
        "expected no {} finding, got: {:#?}\n--- input ---\n{manifest}",
        rule.meta.code,
        found.iter().map(|d| (d.range.slice(manifest), &d.message)).collect::<Vec<_>>()
    );
}

/// The Kubernetes findings of `manifest` (`app/manifest.yaml`) when `others` (`app/other-1.yaml`, …) are
/// the other files of the run.
pub(crate) fn lint_k8s_in(rule: &'static Rule, manifest: &str, others: &[&str]) -> Vec<Diagnostic> {
    let path = std::path::Path::new("app/manifest.yaml");
    let other_paths: Vec<std::path::PathBuf> =
        (1..=others.len()).map(|i| format!("app/other-{i}.yaml").into()).collect();
    let linter = Linter::new(&[rule], settings());
    let facts = std::iter::once((manifest, path))
        .chain(others.iter().copied().zip(other_paths.iter().map(|p| p.as_path())))
        .filter_map(|(text, path)| {
            linter.project_facts(&SourceFile::from_text(text), Format::Kubernetes, Some(path))
        });
    let run = plimsoll_linter::Run { project: plimsoll_linter::Project::new(facts) };
    let context = plimsoll_linter::FileContext { path: Some(path), workspace: &run };
    let found = linter.lint_in(&SourceFile::from_text(manifest), Format::Kubernetes, &context).diagnostics;
    for d in &found {
        check_conventions(d);
    }
    found
}

/// Calls `f` with the context a Kubernetes rule gets for `yaml` on its own, for tests of support modules.
pub(crate) fn with_k8s_ctx(yaml: &str, f: impl FnOnce(&plimsoll_linter::KubernetesCtx)) {
    let tree = plimsoll_yaml::parse_yaml(yaml);
    let manifest = plimsoll_kubernetes::lower(&tree);
    let project = plimsoll_kubernetes::Project::default();
    f(&plimsoll_linter::KubernetesCtx {
        text: yaml,
        tree: &tree,
        manifest: &manifest,
        project: project.scoped(None),
    });
}

/// The source text each Kubernetes finding points at when `others` are the other files of the run.
pub(crate) fn k8s_spans_in(rule: &'static Rule, manifest: &str, others: &[&str]) -> Vec<String> {
    lint_k8s_in(rule, manifest, others).iter().map(|d| d.range.slice(manifest).to_string()).collect()
}

/// A Pod whose single container `app` runs `image`.
pub(crate) fn pod_running(image: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: {image}\n"
    )
}

/// A CronJob with an init container running `init` and a container running `main`.
pub(crate) fn cron_job_running(init: &str, main: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: c}}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: [{{name: init, image: {init}}}]\n          containers: [{{name: app, image: {main}}}]\n"
    )
}

/// A Pod whose single container `app` has `container` (indented as the container's fields) after its
/// name and image, and the pod spec `pod` (indented as the pod spec's fields) before it.
pub(crate) fn pod(pod: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n{pod}  containers:\n    - name: app\n      image: nginx:1.27\n{container}"
    )
}

/// Windows containers (a pod for Windows nodes, a Windows image) are exempt from `rule`.
#[track_caller]
pub(crate) fn assert_windows_containers_clean(rule: &'static Rule) {
    assert_k8s_clean(rule, &pod("  os: {name: windows}\n", ""));
    assert_k8s_clean(rule, &pod("  nodeSelector: {kubernetes.io/os: windows}\n", ""));
    assert_compose_clean(
        rule,
        "services:\n  iis:\n    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n",
    );
}

/// The messages of the findings, in order.
pub(crate) fn messages(rule: &'static Rule, dockerfile: &str) -> Vec<String> {
    lint(rule, dockerfile).into_iter().map(|d| d.message).collect()
}

#[track_caller]
pub(crate) fn assert_clean(rule: &'static Rule, dockerfile: &str) {
    let found = lint(rule, dockerfile);
    assert!(
        found.is_empty(),
        "expected no {} finding, got: {:#?}\n--- input ---\n{dockerfile}",
        rule.meta.code,
        found.iter().map(|d| (d.range.slice(dockerfile), &d.message)).collect::<Vec<_>>()
    );
}

#[track_caller]
pub(crate) fn assert_fires(rule: &'static Rule, dockerfile: &str) {
    assert!(
        !lint(rule, dockerfile).is_empty(),
        "expected a {} finding\n--- input ---\n{dockerfile}",
        rule.meta.code
    );
}

/// `dockerfile` with the fix of every finding of `rule` applied, edits back to front. Fixes must not
/// overlap (an editor's "fix all" applies them together) and must have a title.
pub(crate) fn fixed(rule: &'static Rule, dockerfile: &str) -> String {
    let mut edits: Vec<&plimsoll_diagnostic::Edit> = Vec::new();
    let found = lint(rule, dockerfile);
    for fix in found.iter().filter_map(|d| d.fix.as_ref()) {
        assert!(!fix.title.trim().is_empty(), "{}: a fix without a title", rule.meta.code);
        edits.extend(&fix.edits);
    }
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    for pair in edits.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "{}: overlapping fix edits", rule.meta.code);
    }
    let mut out = dockerfile.to_string();
    for edit in edits.iter().rev() {
        out.replace_range(edit.range.as_usize(), &edit.replacement);
    }
    out
}

/// Asserts that the fixes of `rule` turn `before` into `after`, and that every fixed finding is gone from
/// `after` (it has as many findings fewer as `before` had fixes).
#[track_caller]
pub(crate) fn assert_fixed(rule: &'static Rule, before: &str, after: &str) {
    let fixes = lint(rule, before).iter().filter(|d| d.fix.is_some()).count();
    assert!(fixes > 0, "expected a {} fix\n--- input ---\n{before}", rule.meta.code);
    assert_eq!(fixed(rule, before), after, "{}: fixed text of\n{before}", rule.meta.code);
    let left = lint(rule, after);
    assert_eq!(
        left.len() + fixes,
        lint(rule, before).len(),
        "{}: findings left after the fix: {:#?}\n--- fixed ---\n{after}",
        rule.meta.code,
        left.iter().map(|d| (d.range.slice(after), &d.message)).collect::<Vec<_>>()
    );
}

/// Asserts that `rule` fires on `dockerfile` and offers no fix for any of its findings.
#[track_caller]
pub(crate) fn assert_no_fix(rule: &'static Rule, dockerfile: &str) {
    let found = lint(rule, dockerfile);
    assert!(!found.is_empty(), "expected a {} finding\n--- input ---\n{dockerfile}", rule.meta.code);
    let fixed: Vec<_> = found.iter().filter_map(|d| d.fix.as_ref().map(|f| &f.title)).collect();
    assert!(fixed.is_empty(), "{}: unexpected fixes {fixed:?}\n--- input ---\n{dockerfile}", rule.meta.code);
}

#[track_caller]
fn check_conventions(d: &Diagnostic) {
    let code = d.rule.code;
    assert!(!d.message.trim().is_empty(), "{code}: empty message");
    assert!(!d.message.ends_with('.'), "{code}: message must not end with a period: {:?}", d.message);
    assert!(!d.message.contains('\n'), "{code}: message must be one line: {:?}", d.message);
    let first = d.message.chars().next().unwrap_or(' ');
    assert!(
        first.is_uppercase() || first == '`' || first.is_ascii_digit(),
        "{code}: message must start with a capital letter or code: {:?}",
        d.message
    );
    let help = d.help.as_deref().unwrap_or("");
    assert!(!help.trim().is_empty(), "{code}: every finding needs `help` saying what to do instead");
    assert!(d.range.start <= d.range.end, "{code}: inverted range");
}
