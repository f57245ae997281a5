//! The pre-commit hooks of `.pre-commit-hooks.yaml`, driven by the real `pre-commit`: for each hook id, a
//! temporary git repository whose `.pre-commit-config.yaml` uses this checkout (its path and its HEAD
//! commit, which pre-commit clones) commits clean files, which must pass, then a file the hook must
//! reject, which must fail the commit. The clean commits also carry files of the kinds the hook does not
//! lint, some of them with problems, which the hook is handed (YAML and JSON) or not and must let pass.
//!
//! The hooks build plimsoll (release) in pre-commit's clone on first use, once for the whole test, which
//! shares one pre-commit cache between its repositories. `CARGO_TARGET_DIR` keeps that build's output in this
//! test run's target directory, beside the other builds, rather than in the temporary cache.
//!
//! Without `pre-commit` the test is skipped with a notice on stderr; with `PLIMSOLL_REQUIRE_PRE_COMMIT=1`
//! (CI sets it) that is a failure instead. `PLIMSOLL_PRE_COMMIT` names the program to use. What is tested
//! is HEAD: commit changes to the hooks before running this test.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root exists")
}

/// This test run's target directory (the binary under test is `<target>/<profile>/plimsoll`).
fn target_dir() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_plimsoll"));
    binary.parent().and_then(Path::parent).expect("the binary sits in <target>/<profile>/").to_path_buf()
}

/// A directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str) -> TempTree {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "plimsoll-pre-commit-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&root).expect("temp dir");
        TempTree(root)
    }

    fn write(&self, path: &str, contents: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("parent dirs");
        std::fs::write(path, contents).expect("write fixture");
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

/// The `pre-commit` to test with, or `None` (after saying so) when there is none and none is required.
fn pre_commit_program() -> Option<OsString> {
    let program = std::env::var_os("PLIMSOLL_PRE_COMMIT").unwrap_or_else(|| OsString::from("pre-commit"));
    let version = Command::new(&program).arg("--version").output();
    match version {
        Ok(output) if output.status.success() => Some(program),
        other => {
            let why = format!("`{}` does not run ({other:?})", program.to_string_lossy());
            if std::env::var_os("PLIMSOLL_REQUIRE_PRE_COMMIT").is_some_and(|v| v == "1") {
                panic!("pre-commit is required (PLIMSOLL_REQUIRE_PRE_COMMIT=1) but {why}");
            }
            eprintln!("skipped: {why}; install it with `pip install pre-commit`");
            None
        }
    }
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Runs a command in `dir` with the environment the hooks need; panics if it cannot start.
fn run(dir: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str], home: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        // One pre-commit cache for the whole test: the checkout is cloned, and plimsoll built, once.
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", target_dir())
        // The hook's output must not depend on the terminal.
        .env_remove("NO_COLOR")
        .env("GIT_AUTHOR_NAME", "plimsoll test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "plimsoll test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .output()
        .expect("the command starts")
}

fn git_head() -> String {
    let checkout = workspace();
    let hooks = Command::new("git")
        .args(["cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"])
        .current_dir(&checkout)
        .status()
        .expect("git runs");
    assert!(hooks.success(), "HEAD has no .pre-commit-hooks.yaml: commit it, this test uses HEAD");
    let head = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(&checkout).output().expect("git");
    String::from_utf8(head.stdout).expect("a commit id").trim().to_string()
}

/// The rules the fixture repositories select (`plimsoll.toml`): `sudo`, privileged containers and
/// administrator policies. Pinned so that new rules, or a base image reaching its end of life, leave the
/// clean files clean.
const CONFIGURATION: &str = "select = [\"ISO004\", \"ISO011\", \"IAM013\"]\n";

// A Dockerfile, Compose file, Kubernetes manifest and IAM policy with no finding, and one of each with a
// finding of those rules.
const CLEAN_DOCKERFILE: &str = "FROM alpine:3.20\nUSER 10001\nCMD [\"sh\"]\n";
const BAD_DOCKERFILE: &str = "FROM ubuntu:22.04\nRUN sudo apt-get update\nCMD [\"bash\"]\n";
const CLEAN_COMPOSE: &str = "services:\n  web:\n    image: nginx:1.27\n    user: \"10001\"\n";
const BAD_COMPOSE: &str = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";
const CLEAN_KUBERNETES: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";
const BAD_KUBERNETES: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      \
                              image: nginx:1.27\n      securityContext:\n        privileged: true\n";
const CLEAN_IAM: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \
                         \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/*\"}]\n}\n";
const BAD_IAM: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}\n";
/// YAML and JSON of no kind plimsoll lints: every hook that is handed them must skip them.
const OTHER_YAML: &str = "replicaCount: 2\nimage:\n  tag: stable\n";
const OTHER_JSON: &str = "{\"name\": \"web\", \"private\": true}\n";

struct Hook {
    id: &'static str,
    /// Files committed first: the hook must let them pass.
    clean: &'static [(&'static str, &'static str)],
    /// A file committed next: the hook must fail the commit and name it.
    bad: (&'static str, &'static str),
}

const HOOKS: [Hook; 5] = [
    Hook {
        id: "plimsoll",
        clean: &[
            ("Dockerfile", CLEAN_DOCKERFILE),
            ("compose.yaml", CLEAN_COMPOSE),
            ("deploy/settings.yaml", CLEAN_KUBERNETES),
            ("iam/reader.json", CLEAN_IAM),
            ("chart/values.yaml", OTHER_YAML),
            ("package.json", OTHER_JSON),
        ],
        bad: ("services/api.dockerfile", BAD_DOCKERFILE),
    },
    Hook {
        id: "plimsoll-docker",
        clean: &[
            ("Containerfile", CLEAN_DOCKERFILE),
            ("docker/web.Dockerfile", CLEAN_DOCKERFILE),
            ("compose.yaml", BAD_COMPOSE),
            ("iam/admin.json", BAD_IAM),
        ],
        bad: ("docker/Dockerfile.prod", BAD_DOCKERFILE),
    },
    Hook {
        id: "plimsoll-compose",
        clean: &[
            ("compose.yaml", CLEAN_COMPOSE),
            ("deploy/pod.yaml", BAD_KUBERNETES),
            ("chart/values.yaml", OTHER_YAML),
            ("Dockerfile", BAD_DOCKERFILE),
        ],
        bad: ("docker-compose.prod.yml", BAD_COMPOSE),
    },
    Hook {
        id: "plimsoll-kubernetes",
        clean: &[
            ("deploy/settings.yaml", CLEAN_KUBERNETES),
            ("compose.yaml", BAD_COMPOSE),
            ("chart/values.yaml", OTHER_YAML),
            ("iam/admin.json", BAD_IAM),
            ("package.json", OTHER_JSON),
        ],
        bad: ("deploy/pod.yml", BAD_KUBERNETES),
    },
    Hook {
        id: "plimsoll-iam",
        clean: &[
            ("iam/reader.json", CLEAN_IAM),
            ("package.json", OTHER_JSON),
            ("Dockerfile", BAD_DOCKERFILE),
        ],
        bad: ("iam/admin.json", BAD_IAM),
    },
];

#[test]
fn every_hook_passes_a_clean_commit_and_fails_a_bad_one() {
    let Some(pre_commit) = pre_commit_program() else { return };
    let head = git_head();
    let home = TempTree::new("home");
    for hook in &HOOKS {
        let repo = TempTree::new(hook.id);
        let dir = repo.path();
        let config = format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: {}\n",
            workspace().display(),
            hook.id
        );
        repo.write(".pre-commit-config.yaml", &config);
        repo.write("plimsoll.toml", CONFIGURATION);
        let init = run(dir, "git", &["init", "--quiet"], home.path());
        assert!(init.status.success(), "{}", text(&init));
        let install = run(dir, &pre_commit, &["install"], home.path());
        assert!(install.status.success(), "{}: {}", hook.id, text(&install));

        for (path, contents) in hook.clean {
            repo.write(path, contents);
        }
        run(dir, "git", &["add", "--all"], home.path());
        let clean = run(dir, "git", &["commit", "--quiet", "-m", "clean"], home.path());
        assert!(clean.status.success(), "{}: the clean commit failed:\n{}", hook.id, text(&clean));
        assert!(text(&clean).contains("Passed"), "{}: the hook did not run:\n{}", hook.id, text(&clean));

        let (path, contents) = hook.bad;
        repo.write(path, contents);
        run(dir, "git", &["add", path], home.path());
        let bad = run(dir, "git", &["commit", "--quiet", "-m", "bad"], home.path());
        let output = text(&bad);
        assert!(!bad.status.success(), "{}: the commit of {path} passed:\n{output}", hook.id);
        assert!(
            output.contains("Failed") && output.contains(path),
            "{}: {path} is not named:\n{output}",
            hook.id
        );
    }
}
