//! `plimsoll server` end to end: a client speaks JSON-RPC to the real binary over stdio.

mod lsp_client;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lsp_client::{Client, codes, codes_at, file_uri};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/server").join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture")
}

/// Client capabilities of an editor that takes pushed diagnostics (no pull support).
fn push_client() -> Value {
    json!({ "textDocument": { "publishDiagnostics": { "versionSupport": true } } })
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("plimsoll-server-{}-{n}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn initialize_announces_incremental_sync_actions_hover_and_utf16() {
    let (client, result) = Client::initialized(push_client(), Value::Null, None);
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(capabilities["hoverProvider"], true);
    let kinds = &capabilities["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.plimsoll"]));
    assert!(capabilities.get("diagnosticProvider").is_none(), "this client cannot pull");
    assert_eq!(result["serverInfo"]["name"], "plimsoll");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn diagnostics_are_pushed_on_open_with_codes_links_and_utf16_ranges() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = file_uri(&fixture("Dockerfile"));
    client.open(&uri, "dockerfile", &read("Dockerfile"));
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 1);
    // `IMG018` is after an emoji: the 35th character, the 36th UTF-16 unit (0-based 35).
    assert_eq!(
        codes_at(&published),
        [("IMG006".to_string(), 2, 44), ("IMG018".to_string(), 2, 35), ("ISO001".to_string(), 0, 0)]
    );
    let first = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "IMG018").unwrap();
    assert_eq!(first["source"], "plimsoll");
    assert_eq!(first["severity"], 2);
    assert_eq!(
        first["codeDescription"]["href"],
        "https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/IMG018.md"
    );
    assert_eq!(first["range"]["end"], json!({ "line": 2, "character": 40 }), "the span of `flask`");
    assert!(first["message"].as_str().unwrap().contains('\n'), "the help follows the message");
}

#[test]
fn utf8_is_used_when_the_client_offers_it() {
    let capabilities = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (mut client, result) = Client::initialized(capabilities, json!({ "isolated": true }), None);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let uri = file_uri(&fixture("Dockerfile"));
    client.open(&uri, "dockerfile", &read("Dockerfile"));
    let published = client.diagnostics(&uri);
    // The emoji is four bytes: the UTF-16 column 35 becomes byte column 37.
    assert!(codes_at(&published).contains(&("IMG018".to_string(), 2, 37)));
}

#[test]
fn incremental_changes_relint_the_buffer() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = file_uri(&fixture("Dockerfile"));
    client.open(&uri, "dockerfile", &read("Dockerfile"));
    assert!(codes(&client.diagnostics(&uri)).contains(&"ISO001".to_string()));
    // Insert `USER app` before CMD (line 4), typed in two pieces.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [
                { "range": { "start": { "line": 4, "character": 0 }, "end": { "line": 4, "character": 0 } }, "text": "USER a\n" },
                { "range": { "start": { "line": 4, "character": 6 }, "end": { "line": 4, "character": 6 } }, "text": "pp" },
            ],
        }),
    );
    let published = client.diagnostics_of_version(&uri, 2);
    assert_eq!(codes(&published), ["IMG006", "IMG018"]);
}

#[test]
fn a_newer_change_overtakes_older_lints() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = "file:///nowhere/Dockerfile";
    client.open(uri, "dockerfile", "FROM busybox:1.37\n");
    client.diagnostics(uri);
    for version in 2..=60 {
        let user = if version == 60 { "USER app\n" } else { "" };
        client.change_full(uri, version, &format!("FROM busybox:1.37\nRUN echo {version}\n{user}"));
    }
    let last = client.diagnostics_of_version(uri, 60);
    assert!(codes(&last).is_empty(), "{last}");
    // Older texts' diagnostics, if any got published, came in order and before the newest's; nothing
    // older is published after it.
    let earlier: Vec<i64> = client
        .drain_backlog()
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(earlier.windows(2).all(|w| w[0] < w[1]) && earlier.iter().all(|&v| v < 60), "{earlier:?}");
    assert!(
        !client
            .arrives_within(Duration::from_millis(300), |m| m["method"] == "textDocument/publishDiagnostics")
    );
}

#[test]
fn clients_that_pull_get_reports_and_unchanged_results() {
    let capabilities = json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let (mut client, result) = Client::initialized(capabilities, json!({ "isolated": true }), None);
    assert_eq!(result["capabilities"]["diagnosticProvider"]["identifier"], "plimsoll");
    let uri = file_uri(&fixture("deployment.yaml"));
    client.open(&uri, "yaml", &read("deployment.yaml"));
    let report = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(report["kind"], "full");
    assert!(codes_at(&report).contains(&("ISO011".to_string(), 18, 12)), "{report}");
    let result_id = report["resultId"].clone();
    let again = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": result_id }),
    );
    assert_eq!(again["kind"], "unchanged");
    // Nothing is pushed to a client that pulls.
    assert!(
        !client
            .arrives_within(Duration::from_millis(200), |m| m["method"] == "textDocument/publishDiagnostics")
    );
}

#[test]
fn ignore_for_this_line_round_trips_and_lands_above_a_block_scalar() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = file_uri(&fixture("deployment.yaml"));
    let text = read("deployment.yaml");
    client.open(&uri, "yaml", &text);
    let published = client.diagnostics(&uri);
    let privileged =
        published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "ISO011").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri }, "range": privileged["range"],
            "context": { "diagnostics": [privileged] },
        }),
    );
    let titles: Vec<&str> =
        actions.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Ignore ISO011 for this line"), "{titles:?}");
    assert!(titles.contains(&"Ignore ISO011 for this file"), "{titles:?}");
    let line =
        actions.as_array().unwrap().iter().find(|a| a["title"] == "Ignore ISO011 for this line").unwrap();
    let edits = &line["edit"]["changes"][&uri];
    assert_eq!(
        edits,
        &json!([{
            "range": { "start": { "line": 18, "character": 0 }, "end": { "line": 18, "character": 0 } },
            "newText": "            # plimsoll: ignore[ISO011]\n",
        }])
    );
    let edited = apply(&text, edits);
    client.change_full(&uri, 2, &edited);
    let after = client.diagnostics_of_version(&uri, 2);
    assert!(!codes(&after).contains(&"ISO011".to_string()) && !codes(&after).contains(&"SYN008".to_string()));
}

#[test]
fn fix_all_removes_unused_suppressions() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = "file:///nowhere/Dockerfile";
    let text = "FROM busybox:1.37\n# plimsoll: ignore[IMG006]\nRUN echo hi\nUSER app\n";
    client.open(uri, "dockerfile", text);
    assert_eq!(codes(&client.diagnostics(uri)), ["SYN008"]);
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
            "context": { "diagnostics": [], "only": ["source.fixAll"] },
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.plimsoll");
    let edited = apply(text, &actions[0]["edit"]["changes"][uri]);
    assert_eq!(edited, "FROM busybox:1.37\nRUN echo hi\nUSER app\n");
}

#[test]
fn hover_on_a_rule_code_shows_its_documentation() {
    let (mut client, _) = Client::initialized(push_client(), Value::Null, None);
    let uri = "file:///nowhere/Dockerfile";
    client.open(uri, "dockerfile", "# plimsoll: ignore[ISO001]\nFROM busybox:1.37\n");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 21 } }),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**ISO001** `container-runs-as-root`"));
    let nothing = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 7 } }),
    );
    assert_eq!(nothing, Value::Null);
}

#[test]
fn the_nearest_config_applies_and_its_changes_relint_open_documents() {
    let scratch = Scratch::new("config");
    scratch.write("plimsoll.toml", "ignore = [\"ISO001\"]\n");
    let dockerfile = scratch.write("Dockerfile", "FROM busybox:1.37\n");
    let uri = file_uri(&dockerfile);
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (mut client, _) = Client::initialized(capabilities, Value::Null, Some(&scratch.0));
    client.open(&uri, "dockerfile", "FROM busybox:1.37\n");
    assert!(codes(&client.diagnostics(&uri)).is_empty());
    let config = scratch.write("plimsoll.toml", "ignore = []\n");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["ISO001"]);
    assert!(
        client.server_requests.iter().any(|r| r["method"] == "client/registerCapability"),
        "the server watches configuration files"
    );
}

#[test]
fn editor_settings_come_from_workspace_configuration() {
    let capabilities = json!({ "workspace": { "configuration": true } });
    let mut client = Client::spawn();
    client.configuration = json!({ "ignore": ["IMG006", "IMG018"], "isolated": true });
    client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": capabilities }));
    client.notify("initialized", json!({}));
    let uri = file_uri(&fixture("Dockerfile"));
    client.open(&uri, "dockerfile", &read("Dockerfile"));
    // The first lint may predate the configuration's answer; the answer re-lints.
    let mut published = client.diagnostics(&uri);
    while codes(&published) != ["ISO001"] {
        published = client.diagnostics(&uri);
    }
    assert!(client.server_requests.iter().any(|r| r["method"] == "workspace/configuration"));
}

#[test]
fn a_compose_file_sees_the_unsaved_dockerfile_it_builds() {
    let scratch = Scratch::new("compose");
    let dockerfile = scratch.write("Dockerfile", "FROM busybox:1.37\n");
    let compose = scratch.write("compose.yaml", "services:\n  app:\n    build: .\n");
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), Some(&scratch.0));
    client.open(&file_uri(&compose), "dockercompose", "services:\n  app:\n    build: .\n");
    let before = client.diagnostics(&file_uri(&compose));
    assert!(codes(&before).contains(&"ISO001".to_string()), "{before}");
    client.open(&file_uri(&dockerfile), "dockerfile", "FROM busybox:1.37\nUSER app\n");
    let after = client.diagnostics(&file_uri(&compose));
    assert!(!codes(&after).contains(&"ISO001".to_string()), "{after}");
}

#[test]
fn other_files_get_no_diagnostics() {
    let (mut client, _) = Client::initialized(push_client(), Value::Null, None);
    let uri = "file:///nowhere/values.yaml";
    client.open(uri, "yaml", "replicas: 2\nimage: nginx\n");
    assert!(codes(&client.diagnostics(uri)).is_empty());
}

#[test]
fn malformed_and_out_of_order_messages_do_not_stop_the_server() {
    let mut client = Client::spawn();
    // Before initialize: requests are refused, notifications ignored.
    let early = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.notify("textDocument/didOpen", json!({ "bogus": true }));
    client.request("initialize", json!({ "processId": null, "capabilities": {} }));
    client.notify("initialized", json!({}));
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    client.send_raw(b"Content-Length: many\r\n\r\n");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///never/opened", "version": 3 }, "contentChanges": [] }),
    );
    client.notify("textDocument/didOpen", json!({ "textDocument": 7 }));
    let bad_params = client.request_raw("textDocument/codeAction", json!({ "range": "everything" }));
    assert_eq!(bad_params["error"]["code"], -32602);
    let unknown = client.request_raw("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A range past the end and a binary, invalid-looking text are clamped and linted.
    let uri = "file:///nowhere/Dockerfile";
    client.open(uri, "dockerfile", "FROM busybox:1.37\n");
    client.diagnostics(uri);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 99, "character": 5 }, "end": { "line": 120, "character": 0 } }, "text": "RUN \u{0}\u{7f}\\\n" }],
        }),
    );
    client.diagnostics_of_version(uri, 2);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_exits_with_1_and_hanging_up_ends_the_server() {
    let (mut client, _) = Client::initialized(push_client(), Value::Null, None);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
    let (mut client, _) = Client::initialized(push_client(), Value::Null, None);
    client.hang_up();
    assert_eq!(client.wait(), 1);
}

/// Applies LSP text edits (non-overlapping, UTF-16 columns on ASCII lines) to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |position: &Value| -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + character
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// didChange → publishDiagnostics latency, as an editor sees it, for a 980-line manifest and a 60-line
/// Dockerfile from the corpus. Run with
/// `cargo test --release -p plimsoll_cli --test server -- --ignored --nocapture latency`.
#[test]
#[ignore = "a measurement: prints latencies rather than asserting them"]
fn latency() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let cases = [
        ("GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml", "yaml"),
        ("vimagick__dockerfiles/shadowsocks/libev/Dockerfile", "dockerfile"),
    ];
    for (path, language) in cases {
        let path = corpus.join(path);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} is not there", path.display());
            continue;
        };
        let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
        let uri = file_uri(&path);
        client.open(&uri, language, &text);
        let findings = client.diagnostics(&uri)["diagnostics"].as_array().map_or(0, Vec::len);
        let mut latencies = Vec::new();
        for version in 2..=401 {
            // Typing a comment line at the top, then deleting it: every change is a real re-lint.
            let change = if version % 2 == 0 {
                json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "# edit\n" })
            } else {
                json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1, "character": 0 } }, "text": "" })
            };
            let started = std::time::Instant::now();
            client.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
            );
            client.diagnostics_of_version(&uri, version);
            latencies.push(started.elapsed());
        }
        latencies.sort();
        let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
        eprintln!(
            "{}: {} lines, {findings} findings, {} changes: p50 {:?}, p99 {:?}, max {:?}",
            path.file_name().unwrap().to_string_lossy(),
            text.lines().count(),
            latencies.len(),
            at(0.5),
            at(0.99),
            at(1.0),
        );
    }
}

#[test]
fn a_manifest_is_judged_with_the_objects_of_other_files_on_disk() {
    let scratch = Scratch::new("project");
    let account = scratch.write(
        "serviceaccount.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n",
    );
    let deployment = scratch.write("deployment.yaml", &read("deployment.yaml"));
    let uri = file_uri(&deployment);
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), Some(&scratch.0));
    client.open(&uri, "yaml", &read("deployment.yaml"));
    // The workspace is read in the background: the lint after it no longer asks for the token to be
    // unmounted, since the ServiceAccount in the other file does it.
    let mut published = client.diagnostics(&uri);
    while codes(&published).contains(&"SEC010".to_string()) {
        published = client.diagnostics(&uri);
    }
    std::fs::remove_file(&account).expect("remove");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&account), "type": 3 }] }),
    );
    assert!(codes(&client.diagnostics(&uri)).contains(&"SEC010".to_string()));
}

#[test]
fn clients_that_pull_are_asked_to_refresh_when_the_configuration_changes() {
    let scratch = Scratch::new("refresh");
    let config = scratch.write("plimsoll.toml", "ignore = [\"ISO001\"]\n");
    let capabilities = json!({
        "textDocument": { "diagnostic": {} },
        // The protocol's spelling (`diagnostics`), which lsp-types 0.97 does not read.
        "workspace": { "diagnostics": { "refreshSupport": true } },
    });
    let (mut client, _) = Client::initialized(capabilities, Value::Null, Some(&scratch.0));
    let uri = file_uri(&scratch.write("Dockerfile", "FROM busybox:1.37\n"));
    client.open(&uri, "dockerfile", "FROM busybox:1.37\n");
    let before = client.request("textDocument/diagnostic", json!({ "textDocument": { "uri": uri } }));
    assert!(codes(&before).is_empty());
    std::fs::write(&config, "ignore = []\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
    );
    client.wait_for("a refresh request", |m| m["method"] == "workspace/diagnostic/refresh");
    let after = client.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": before["resultId"] }),
    );
    assert_eq!(after["kind"], "full");
    assert_eq!(codes(&after), ["ISO001"]);
}

#[test]
fn typing_a_file_character_by_character_never_breaks_the_server() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    for (name, language) in [("deployment.yaml", "yaml"), ("Dockerfile", "dockerfile")] {
        let text = read(name);
        let uri = file_uri(&fixture(name));
        client.open(&uri, language, "");
        let mut version = 1;
        let (mut line, mut character) = (0, 0);
        // Every prefix of the file is a half-typed buffer the server must lint without failing.
        for c in text.chars() {
            version += 1;
            let at = json!({ "line": line, "character": character });
            client.notify(
                "textDocument/didChange",
                json!({
                    "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "range": { "start": at, "end": at }, "text": c.to_string() }],
                }),
            );
            if c == '\n' {
                (line, character) = (line + 1, 0);
            } else {
                character += c.len_utf16();
            }
        }
        let typed = client.diagnostics_of_version(&uri, version);
        client.change_full(&uri, version + 1, &text);
        let whole = client.diagnostics_of_version(&uri, version + 1);
        assert_eq!(codes_at(&typed), codes_at(&whole), "{name}: the typed buffer is the file");
        client.drain_backlog();
    }
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_rules_own_fix_is_the_preferred_quick_fix() {
    let (mut client, _) = Client::initialized(push_client(), json!({ "isolated": true }), None);
    let uri = "file:///nowhere/Dockerfile";
    let text = "FROM busybox:1.37\nUSER app\nRUN wget --no-check-certificate -q https://example.com/a.tgz\n";
    client.open(uri, "dockerfile", text);
    let published = client.diagnostics(uri);
    let finding =
        published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "IMG010").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": finding["range"], "context": { "diagnostics": [finding] } }),
    );
    let preferred: Vec<&Value> =
        actions.as_array().unwrap().iter().filter(|a| a["isPreferred"] == true).collect();
    assert_eq!(preferred.len(), 1, "{actions}");
    assert_eq!(preferred[0]["kind"], "quickfix");
    let fixed = apply(text, &preferred[0]["edit"]["changes"][uri]);
    assert_eq!(fixed, "FROM busybox:1.37\nUSER app\nRUN wget -q https://example.com/a.tgz\n");
    client.change_full(uri, 2, &fixed);
    assert!(!codes(&client.diagnostics_of_version(uri, 2)).contains(&"IMG010".to_string()));
}
