//! A minimal LSP client for end-to-end tests: spawns `plimsoll server`, frames JSON-RPC messages, answers
//! the server's own requests (configuration, registrations) and waits, with a deadline, for what a test
//! expects. Every wait fails the test instead of hanging when the server misbehaves.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read but not yet asked for.
    backlog: VecDeque<Value>,
    next_id: i64,
    /// What `workspace/configuration` answers with.
    pub configuration: Value,
    /// The server's `workspace/configuration` and `client/registerCapability` requests, in order.
    pub server_requests: Vec<Value>,
}

impl Client {
    pub fn spawn() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plimsoll server");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            backlog: VecDeque::new(),
            next_id: 0,
            configuration: Value::Null,
            server_requests: Vec::new(),
        }
    }

    /// Spawns and initializes with `capabilities` and `options` (initializationOptions).
    pub fn initialized(
        capabilities: Value,
        options: Value,
        root: Option<&std::path::Path>,
    ) -> (Client, Value) {
        let mut client = Client::spawn();
        let root_uri = root.map(file_uri);
        let folders = root_uri.as_ref().map(|uri| json!([{ "uri": uri, "name": "root" }]));
        let result = client.request(
            "initialize",
            json!({
                "processId": null, "rootUri": root_uri, "workspaceFolders": folders,
                "capabilities": capabilities, "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its id without waiting.
    pub fn start_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and waits for its result; panics on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Sends a request and waits for the whole response (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.start_request(method, params);
        self.response(id)
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        })
    }

    /// Waits for the next message matching `wanted`, answering server requests on the way.
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(at).expect("in the backlog");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what}; unread: {:?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => panic!("the server exited while waiting for {what}"),
            };
            self.answer_server_request(&message);
            if wanted(&message) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Whether a message matching `wanted` arrives within `within` (for asserting that nothing more comes).
    pub fn arrives_within(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> bool {
        if self.backlog.iter().any(&wanted) {
            return true;
        }
        let deadline = Instant::now() + within;
        while let Ok(message) = self.incoming.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.answer_server_request(&message);
            let hit = wanted(&message);
            self.backlog.push_back(message);
            if hit {
                return true;
            }
        }
        false
    }

    fn answer_server_request(&mut self, message: &Value) {
        let (Some(method), Some(id)) = (message["method"].as_str(), message.get("id")) else { return };
        let result = match method {
            "workspace/configuration" => json!([self.configuration.clone()]),
            _ => Value::Null,
        };
        self.server_requests.push(message.clone());
        let reply = json!({ "jsonrpc": "2.0", "id": id, "result": result });
        self.send(&reply);
    }

    /// The next `publishDiagnostics` for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        let message = self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"].clone()
    }

    /// The next `publishDiagnostics` for `uri` of document version `version`.
    pub fn diagnostics_of_version(&mut self, uri: &str, version: i64) -> Value {
        let message = self.wait_for(&format!("diagnostics for {uri} version {version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        message["params"].clone()
    }

    pub fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    pub fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// `shutdown` then `exit`; the exit code.
    pub fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes the server's input and waits for it to exit, with a deadline; the exit code.
    pub fn wait(mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("poll server") {
                return status.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Closes standard input (the client hangs up).
    pub fn hang_up(&mut self) {
        self.stdin = None;
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A `file://` URI for an absolute path (test paths are ASCII without spaces).
pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// The `(code, line, character)` of each diagnostic, 0-based as LSP has them, sorted.
pub fn codes_at(diagnostics: &Value) -> Vec<(String, u64, u64)> {
    let mut found: Vec<(String, u64, u64)> = diagnostics["diagnostics"]
        .as_array()
        .or_else(|| diagnostics["items"].as_array())
        .expect("a diagnostics list")
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap_or("").to_string(),
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

pub fn codes(diagnostics: &Value) -> Vec<String> {
    let mut codes: Vec<String> = codes_at(diagnostics).into_iter().map(|(code, _, _)| code).collect();
    codes.dedup();
    codes
}
