//! Editor integrations, end to end: Neovim as a real client of `plimsoll server`, and the Helix and Zed
//! configurations checked against what those editors read.
//!
//! The Neovim test starts a headless `nvim` (0.11 or later) with the shipped `editors/neovim` on its
//! runtimepath and the server binary built for this test run. `tests/fixtures/editor/neovim_driver.lua`
//! opens the files of `tests/fixtures/editor/project/`, edits one, and writes what Neovim received to a JSON
//! report that the assertions below read. The fixture project's `plimsoll.toml` selects the rules the
//! assertions name, so exact lists stay exact when new rules arrive, and it is the workspace root Neovim
//! should find. Without a suitable `nvim` the test is skipped with a notice on stderr; with
//! `PLIMSOLL_REQUIRE_NVIM=1` (CI sets it) that is a failure instead. `PLIMSOLL_NVIM` names the `nvim` to use.
//!
//! Helix and Zed cannot run here: their files are parsed, and checked for what each editor needs.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------
// Harness

/// The whole Neovim run: the driver's own waits are shorter, so this only trips if Neovim itself hangs.
const NVIM_DEADLINE: Duration = Duration::from_secs(30);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root exists")
}

/// A directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str) -> TempTree {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "plimsoll-editor-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&root).expect("temp dir");
        TempTree(root)
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

/// Runs `command` to completion, killing it if it outlives `deadline`.
fn run_with_deadline(command: &mut Command, deadline: Duration) -> Result<ExitStatus, String> {
    let mut child = command.spawn().map_err(|err| format!("cannot start {command:?}: {err}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|err| err.to_string())? {
            return Ok(status);
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("killed after {} s: {command:?}", deadline.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `nvim` to test with: `PLIMSOLL_NVIM`, else `nvim` from PATH.
fn nvim_program() -> OsString {
    std::env::var_os("PLIMSOLL_NVIM").unwrap_or_else(|| OsString::from("nvim"))
}

/// `(major, minor, patch)` from `nvim --version`'s first line, `NVIM v0.11.4` (or `NVIM v0.12.0-dev-…`).
fn parse_nvim_version(output: &str) -> Option<(u32, u32, u32)> {
    let version = output.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = version.split(|c: char| !c.is_ascii_digit());
    let mut number = || parts.next()?.parse().ok();
    Some((number()?, number()?, number()?))
}

/// Why the available Neovim cannot run the test, if it cannot.
fn nvim_unsuitable(program: &OsString) -> Option<String> {
    let output = match Command::new(program).arg("--version").stdin(Stdio::null()).output() {
        Ok(output) => output,
        Err(err) => return Some(format!("cannot run {program:?}: {err}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    match parse_nvim_version(&stdout) {
        Some(version) if version >= (0, 11, 0) => None,
        Some((major, minor, patch)) => {
            Some(format!("{program:?} is Neovim {major}.{minor}.{patch}; vim.lsp.config needs 0.11 or later"))
        }
        None => Some(format!("{program:?} --version printed no Neovim version: {stdout:?}")),
    }
}

/// The `nvim` to run, or `None` after saying why the test is skipped. Fails when CI requires Neovim.
fn suitable_nvim() -> Option<OsString> {
    let program = nvim_program();
    let Some(reason) = nvim_unsuitable(&program) else {
        return Some(program);
    };
    if std::env::var_os("PLIMSOLL_REQUIRE_NVIM").is_some_and(|value| value == "1") {
        panic!("PLIMSOLL_REQUIRE_NVIM=1 but {reason}");
    }
    // Written to stderr directly: the test harness captures `eprintln!` from passing tests.
    let _ = writeln!(std::io::stderr(), "skipping the Neovim client test: {reason}");
    None
}

/// What one run of the driver left behind.
#[derive(Debug)]
struct NeovimRun {
    report: Value,
    /// Neovim's LSP log (the server's stderr lands there) and Neovim's own output, for failure messages.
    logs: String,
}

/// Which shipped setup starts the client (the driver's PLIMSOLL_SETUP).
#[derive(Debug, Clone, Copy)]
enum Setup {
    /// `editors/neovim/lsp/plimsoll.lua` on the runtimepath, enabled with `vim.lsp.enable`.
    Runtime,
    /// `editors/neovim/examples/init.lua`: the same configuration written inline.
    Inline,
    /// `editors/neovim/examples/legacy.lua`: `vim.lsp.start` from a FileType autocommand (Neovim 0.8–0.10).
    Legacy,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::Runtime => "runtime",
            Setup::Inline => "inline",
            Setup::Legacy => "legacy",
        }
    }
}

fn run_neovim_driver(nvim: &OsString, setup: Setup) -> NeovimRun {
    let root = workspace();
    let temp = TempTree::new(setup.name());
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_plimsoll"));
    // The legacy snippet runs `plimsoll` from PATH, as users have it; the others get the binary by name.
    let mut path = vec![binary.parent().expect("the binary has a folder").to_path_buf()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(path).expect("PATH entries join");
    let report_path = temp.path().join("report.json");
    let stdout_path = temp.path().join("nvim.stdout");
    let stderr_path = temp.path().join("nvim.stderr");
    let file = |path: &Path| std::fs::File::create(path).expect("create an output file");

    let mut command = Command::new(nvim);
    command
        // --clean: no user config or plugins; -n: no swap files; -i NONE: no shada.
        .args(["--headless", "--clean", "-n", "-i", "NONE"])
        .arg("-S")
        .arg(root.join("tests/fixtures/editor/neovim_driver.lua"))
        .env("PLIMSOLL_SETUP", setup.name())
        .env("PLIMSOLL_RUNTIME", root.join("editors/neovim"))
        .env("PLIMSOLL_BIN", &binary)
        .env("PATH", path)
        .env("PLIMSOLL_PROJECT", root.join("tests/fixtures/editor/project"))
        .env("PLIMSOLL_REPORT", &report_path)
        // Neovim's state (the LSP log among it) goes to the temp dir, not the developer's home.
        .env("XDG_STATE_HOME", temp.path().join("state"))
        .env("XDG_DATA_HOME", temp.path().join("data"))
        .env("XDG_CACHE_HOME", temp.path().join("cache"))
        .env_remove("NVIM")
        .env_remove("NVIM_APPNAME")
        .current_dir(temp.path())
        .stdin(Stdio::null())
        .stdout(file(&stdout_path))
        .stderr(file(&stderr_path));
    let outcome = run_with_deadline(&mut command, NVIM_DEADLINE);

    let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    let logs = format!(
        "--- lsp.log\n{}\n--- nvim stdout\n{}\n--- nvim stderr\n{}",
        read(temp.path().join("state/nvim/lsp.log")),
        read(stdout_path),
        read(stderr_path)
    );
    match outcome {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("nvim exited with {status}\n{logs}"),
        Err(err) => panic!("{err}\n{logs}"),
    }
    let report = std::fs::read_to_string(&report_path)
        .unwrap_or_else(|err| panic!("the driver wrote no report ({err})\n{logs}"));
    let report =
        serde_json::from_str(&report).unwrap_or_else(|err| panic!("report is not JSON ({err}): {report}"));
    NeovimRun { report, logs }
}

impl NeovimRun {
    fn step(&self, name: &str) -> &Value {
        self.report["steps"]
            .as_array()
            .and_then(|steps| steps.iter().find(|step| step["step"] == name))
            .unwrap_or_else(|| {
                panic!("the driver did not reach step {name:?}: {:#}\n{}", self.report, self.logs)
            })
    }

    /// `(code, line, column)` of each diagnostic Neovim held after a step, in the driver's order.
    fn findings(&self, step: &str) -> Vec<(String, u64, u64)> {
        self.step(step)["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .map(|f| {
                let code = f["code"].as_str().unwrap_or_default().to_string();
                (code, f["line"].as_u64().unwrap_or_default(), f["column"].as_u64().unwrap_or_default())
            })
            .collect()
    }
}

fn expect(list: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    list.iter().map(|&(code, line, column)| (code.to_string(), line, column)).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Neovim

#[test]
fn nvim_version_lines_parse() {
    assert_eq!(parse_nvim_version("NVIM v0.11.4\nBuild type: Release\n"), Some((0, 11, 4)));
    assert_eq!(parse_nvim_version("NVIM v0.12.0-dev-1234+gabcdef\n"), Some((0, 12, 0)));
    assert_eq!(parse_nvim_version("NVIM v0.7.2\n"), Some((0, 7, 2)));
    assert_eq!(parse_nvim_version("VIM - Vi IMproved 9.0\n"), None);
}

/// The whole session the driver plays, whatever setup started the client.
fn assert_session(setup: Setup) {
    let Some(nvim) = suitable_nvim() else { return };
    let run = run_neovim_driver(&nvim, setup);
    let report = &run.report;
    assert!(report["error"].is_null(), "the driver failed: {}\n{}", report["error"], run.logs);

    // The project's plimsoll.toml marks the root; edits go out as incremental changes (TextDocumentSyncKind 2).
    let project = workspace().join("tests/fixtures/editor/project");
    assert_eq!(report["rootDir"].as_str().map(PathBuf::from), Some(project), "{report:#}");
    let sync = &report["textDocumentSync"];
    let change = if sync.is_object() { &sync["change"] } else { sync };
    assert_eq!(change, 2, "the server should ask for incremental sync: {sync}");

    assert_eq!(run.step("open Dockerfile")["filetype"], "dockerfile");
    assert_eq!(
        run.findings("open Dockerfile"),
        expect(&[("ISO001", 2, 1), ("SEC002", 7, 22)]),
        "{:#}",
        run.step("open Dockerfile")
    );
    assert_eq!(run.step("open deployment.yaml")["filetype"], "yaml");
    assert_eq!(
        run.findings("open deployment.yaml"),
        expect(&[("ISO016", 16, 7), ("ISO001", 18, 17), ("ISO011", 23, 13)]),
        "{:#}",
        run.step("open deployment.yaml")
    );

    // Every diagnostic names its source and links its rule's documentation.
    for step in ["open Dockerfile", "open deployment.yaml"] {
        for finding in run.step(step)["findings"].as_array().expect("findings") {
            assert_eq!(finding["source"], "plimsoll", "{finding:#}");
            let href = finding["href"].as_str().unwrap_or_default();
            assert!(href.starts_with("https://"), "no documentation link: {finding:#}");
        }
    }

    // Other YAML: attached, but nothing to report, by push or by pull.
    assert_eq!(run.findings("open notes.yaml"), expect(&[]));
    assert_eq!(run.step("open notes.yaml")["pulledItems"], 0);

    // `USER app` typed before CMD (below the secret): ISO001 goes, the secret stays where it was.
    assert_eq!(run.findings("add USER to Dockerfile"), expect(&[("SEC002", 7, 22)]));

    // The quick fix's suppression comment, applied by Neovim, silences the finding on the line below it.
    let step = run.step("ignore SEC002 for this line");
    assert_eq!(run.findings("ignore SEC002 for this line"), expect(&[]), "{step:#}");
    assert_eq!(step["lines"][6], "# plimsoll: ignore[SEC002]", "{step:#}");
    assert!(
        step["lines"][7].as_str().is_some_and(|line| line.starts_with("ENV FLASK_SECRET_KEY=")),
        "{step:#}"
    );
    // Hovering the code in it shows the rule's documentation.
    let hover = run.step("hover SEC002")["contents"]["value"].as_str().unwrap_or_default().to_string();
    assert!(hover.starts_with("**SEC002** `hardcoded-secret`"), "hover: {hover}");

    // The suppressions offered on a finding.
    let titles = run.step("code actions on ISO011")["titles"].clone();
    for title in ["Ignore ISO011 for this line", "Ignore ISO011 for this file"] {
        assert!(titles.as_array().is_some_and(|t| t.iter().any(|t| t == title)), "no {title:?} in {titles}");
    }

    // `ignore` set in the client's settings at run time takes ISO011 away and leaves the rest.
    assert_eq!(
        run.findings("ignore privileged-container in settings"),
        expect(&[("ISO016", 16, 7), ("ISO001", 18, 17)])
    );
}

#[test]
fn neovim_with_the_shipped_lsp_config() {
    assert_session(Setup::Runtime);
}

#[test]
fn neovim_with_the_inline_init_lua_example() {
    assert_session(Setup::Inline);
}

#[test]
fn neovim_with_the_legacy_autocommand_example() {
    assert_session(Setup::Legacy);
}

// ---------------------------------------------------------------------------------------------------------
// Helix

fn parse_toml(relative: &str) -> toml::Table {
    let path = workspace().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {relative}: {err}"));
    text.parse().unwrap_or_else(|err| panic!("{relative} is not valid TOML: {err}"))
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected an array, found {value:?}"))
        .iter()
        .map(|item| item.as_str().unwrap_or_else(|| panic!("expected a string, found {item:?}")))
        .collect()
}

#[test]
fn helix_languages_add_plimsoll_and_keep_the_default_servers() {
    let languages = parse_toml("editors/helix/languages.toml");

    let server = &languages["language-server"]["plimsoll"];
    assert_eq!(server["command"].as_str(), Some("plimsoll"));
    assert_eq!(strings(&server["args"]), ["server"]);
    // Helix sends `config` as initializationOptions: it must be a table, like the server's settings object.
    assert!(server["config"].is_table(), "config must be a table: {server:?}");

    // A `language-servers` array replaces Helix's built-in one whole, so each must repeat the built-in
    // servers (Helix's own languages.toml) and add plimsoll after them.
    let builtin: [(&str, &[&str]); 4] = [
        ("dockerfile", &["docker-langserver"]),
        ("docker-compose", &["docker-compose-langserver", "yaml-language-server"]),
        ("yaml", &["yaml-language-server", "ansible-language-server"]),
        ("json", &["vscode-json-language-server"]),
    ];
    let entries = languages["language"].as_array().expect("[[language]] entries");
    assert_eq!(entries.len(), builtin.len(), "one entry per language: {entries:?}");
    for (name, defaults) in builtin {
        let entry = entries
            .iter()
            .find(|entry| entry["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no [[language]] entry for {name}"));
        let mut expected = defaults.to_vec();
        expected.push("plimsoll");
        assert_eq!(strings(&entry["language-servers"]), expected, "language {name}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Zed

#[test]
fn zed_extension_declares_the_server_for_dockerfile_yaml_and_json() {
    let manifest = parse_toml("editors/zed/extension.toml");
    assert_eq!(manifest["id"].as_str(), Some("plimsoll"));
    assert_eq!(manifest["schema_version"].as_integer(), Some(1));
    let server = &manifest["language_servers"]["plimsoll"];
    assert_eq!(strings(&server["languages"]), ["Dockerfile", "YAML", "JSON"]);

    // The extension is built by Zed to WebAssembly; the workspace must not try to build it.
    let root = parse_toml("Cargo.toml");
    assert!(
        strings(&root["workspace"]["exclude"]).contains(&"editors/zed"),
        "Cargo.toml must exclude editors/zed"
    );
    let crate_manifest = parse_toml("editors/zed/Cargo.toml");
    assert_eq!(strings(&crate_manifest["lib"]["crate-type"]), ["cdylib"]);
}
