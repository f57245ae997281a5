//! The main loop: owns the open documents and the engine, answers requests, and hands lints to the pool.
//! Everything that changes state happens here, in message order, so a lint result can be checked against
//! the document's current generation before it is shown.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender, select, unbounded};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, ConfigurationItem,
    ConfigurationParams, DiagnosticOptions, DiagnosticServerCapabilities, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FileSystemWatcher,
    FullDocumentDiagnosticReport, GlobPattern, HoverParams, HoverProviderCapability, InitializeParams,
    InitializeResult, LogMessageParams, MessageType, PublishDiagnosticsParams, Registration,
    RegistrationParams, RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, UnchangedDocumentDiagnosticReport, Uri, notification, request,
};
use plimsoll_diagnostic::Format;
use plimsoll_span::LineIndex;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::actions::{self, fix_all_kind};
use crate::convert::{self, Encoding, Text};
use crate::documents::{Document, Documents, Linted};
use crate::engine::{self, Engine};
use crate::jobs::{self, Buffers, Done, Job, Outcome};
use crate::project::{self, DiskFacts};
use crate::settings::{ClientSettings, LogLevel};
use crate::transport::MALFORMED;
use crate::{hover, uri};

/// The configuration files whose change re-lints every open document.
const CONFIG_FILES: &[&str] = &[".plimsoll.toml", "plimsoll.toml", ".hadolint.yaml", ".hadolint.yml"];

/// Serves one client until it sends `exit` or hangs up. Returns whether `shutdown` came first (the exit
/// code the protocol asks for).
pub fn serve(connection: Connection) -> Result<bool, String> {
    let Some((id, initialize)) = wait_for_initialize(&connection)? else { return Ok(false) };
    let mut server = Server::new(connection.sender.clone(), &initialize);
    let result = server.initialize_result();
    server.send(Response::new_ok(id, result).into());
    Ok(server.run(&connection.receiver))
}

/// Waits for `initialize`, answering other requests with "not initialized" as the protocol asks; `None`
/// when the client exits or hangs up first.
fn wait_for_initialize(connection: &Connection) -> Result<Option<(RequestId, Initialize)>, String> {
    for message in &connection.receiver {
        match message {
            Message::Request(req) if req.method == request::Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(req.params.clone()) {
                    Ok(params) => return Ok(Some((req.id, Initialize { params, raw: req.params }))),
                    Err(err) => {
                        let response = Response::new_err(
                            req.id,
                            ErrorCode::InvalidParams as i32,
                            format!("invalid initialize params: {err}"),
                        );
                        connection.sender.send(response.into()).map_err(|e| e.to_string())?;
                    }
                }
            }
            Message::Request(req) => {
                let response = Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "initialize first".into(),
                );
                connection.sender.send(response.into()).map_err(|e| e.to_string())?;
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => return Ok(None),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}

/// The client's `initialize` params, typed and as sent (lsp-types 0.97 reads the workspace's diagnostic
/// capabilities under `diagnostic`, where the protocol and every client write `diagnostics`).
struct Initialize {
    params: InitializeParams,
    raw: Json,
}

impl Initialize {
    fn refresh_support(&self) -> bool {
        let workspace = &self.raw["capabilities"]["workspace"];
        ["diagnostics", "diagnostic"].iter().any(|key| workspace[*key]["refreshSupport"] == Json::Bool(true))
    }
}

struct Server {
    sender: Sender<Message>,
    documents: Documents,
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`); otherwise they are pushed.
    pull: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    refresh: bool,
    /// The client answers `workspace/configuration`.
    configuration: bool,
    /// The client lets the server register file watchers.
    watch: bool,
    folders: Vec<PathBuf>,
    initialization_options: Option<Json>,
    settings: ClientSettings,
    engine: Engine,
    pool: rayon::ThreadPool,
    done_sender: Sender<Done>,
    done: Receiver<Done>,
    /// Source of document generations: one counter for all documents, so results never collide.
    generation: u64,
    next_request: i32,
    /// Our `workspace/configuration` requests awaiting an answer.
    configuration_requests: HashSet<RequestId>,
    /// `textDocument/diagnostic` requests awaiting a lint.
    pulls: HashSet<RequestId>,
    /// The Kubernetes facts of the workspace on disk, once scanned.
    disk_facts: Option<Arc<DiskFacts>>,
    scan_sender: Sender<Scanned>,
    scans: Receiver<Scanned>,
    /// The latest scan started; results of older ones are dropped.
    scan: u64,
    shutdown: bool,
}

impl Server {
    fn new(sender: Sender<Message>, initialize: &Initialize) -> Server {
        let params = &initialize.params;
        let capabilities = &params.capabilities;
        let encoding = Encoding::negotiate(
            capabilities.general.as_ref().and_then(|general| general.position_encodings.as_deref()),
        );
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let folders = folders(params);
        let root = engine::root_of(&folders);
        let initialization_options = params.initialization_options.clone();
        let (settings, mut problems) = match &initialization_options {
            Some(options) => ClientSettings::from_json(options, Some(&root)),
            None => (ClientSettings::default(), Vec::new()),
        };
        let (engine, more) = Engine::new(&settings, &root);
        problems.extend(more);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("plimsoll-lint-{i}"))
            .build()
            .unwrap_or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("one thread"));
        let (done_sender, done) = unbounded();
        let (scan_sender, scans) = unbounded();
        let server = Server {
            sender,
            documents: Documents::default(),
            encoding,
            pull: text_document.is_some_and(|t| t.diagnostic.is_some()),
            refresh: initialize.refresh_support(),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watch: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            folders,
            initialization_options,
            settings,
            engine,
            pool,
            done_sender,
            done,
            generation: 0,
            next_request: 0,
            configuration_requests: HashSet::new(),
            pulls: HashSet::new(),
            disk_facts: None,
            scan_sender,
            scans,
            scan: 0,
            shutdown: false,
        };
        for problem in problems {
            server.show(MessageType::WARNING, problem);
        }
        server
    }

    fn initialize_result(&self) -> InitializeResult {
        let kinds = vec![CodeActionKind::QUICKFIX, fix_all_kind()];
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(self.encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(kinds),
                    ..CodeActionOptions::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                diagnostic_provider: self.pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("plimsoll".into()),
                        // A Compose file's findings depend on the Dockerfiles it builds.
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "plimsoll".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    /// Handles messages and finished lints until `exit`; whether `shutdown` came first.
    fn run(&mut self, receiver: &Receiver<Message>) -> bool {
        loop {
            select! {
                recv(receiver) -> message => match message {
                    Ok(Message::Notification(n)) if n.method == notification::Exit::METHOD => return self.shutdown,
                    Ok(message) => self.handle(message),
                    // The client hung up without `exit`.
                    Err(_) => return false,
                },
                recv(self.done) -> done => {
                    if let Ok(done) = done {
                        self.finish(done);
                    }
                }
                recv(self.scans) -> scanned => {
                    if let Ok(scanned) = scanned {
                        self.scanned(scanned);
                    }
                }
            }
        }
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(req) => self.request(req),
            Message::Notification(n) => self.notification(n),
            Message::Response(response) => self.response(response),
        }
    }

    fn request(&mut self, req: Request) {
        if self.shutdown {
            self.reply_err(req.id, ErrorCode::InvalidRequest, "the server is shutting down".into());
            return;
        }
        let id = req.id.clone();
        match req.method.as_str() {
            request::Shutdown::METHOD => {
                self.shutdown = true;
                self.send(Response::new_ok(id, ()).into());
            }
            request::DocumentDiagnosticRequest::METHOD => {
                if let Some(params) = self.params::<DocumentDiagnosticParams>(&req) {
                    self.pull_diagnostics(id, params);
                }
            }
            request::CodeActionRequest::METHOD => {
                if let Some(params) = self.params::<CodeActionParams>(&req) {
                    let actions = self.code_actions(&params);
                    self.send(Response::new_ok(id, actions).into());
                }
            }
            request::HoverRequest::METHOD => {
                if let Some(params) = self.params::<HoverParams>(&req) {
                    let hover = self.hover(&params);
                    self.send(Response::new_ok(id, hover).into());
                }
            }
            request::Initialize::METHOD => {
                self.reply_err(id, ErrorCode::InvalidRequest, "the server is already initialized".into());
            }
            method => {
                self.reply_err(id, ErrorCode::MethodNotFound, format!("unsupported request `{method}`"))
            }
        }
    }

    /// The request's params, or `None` after answering that they are invalid.
    fn params<P: DeserializeOwned>(&self, req: &Request) -> Option<P> {
        match serde_json::from_value(req.params.clone()) {
            Ok(params) => Some(params),
            Err(err) => {
                self.reply_err(
                    req.id.clone(),
                    ErrorCode::InvalidParams,
                    format!("invalid {} params: {err}", req.method),
                );
                None
            }
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::Initialized::METHOD => self.initialized(),
            notification::DidOpenTextDocument::METHOD => {
                if let Some(params) = self.notification_params::<DidOpenTextDocumentParams>(&n) {
                    self.open(params);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Some(params) = self.notification_params::<DidChangeTextDocumentParams>(&n) {
                    self.change(params);
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Some(params) = self.notification_params::<DidCloseTextDocumentParams>(&n) {
                    self.close(&params.text_document.uri);
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Some(params) = self.notification_params::<lsp_types::DidSaveTextDocumentParams>(&n) {
                    self.saved(&params.text_document.uri);
                }
            }
            notification::DidChangeConfiguration::METHOD => {
                if let Some(params) = self.notification_params::<DidChangeConfigurationParams>(&n) {
                    if self.configuration {
                        self.request_configuration();
                    } else {
                        self.apply_settings(&params.settings);
                    }
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                if let Some(params) = self.notification_params::<DidChangeWatchedFilesParams>(&n) {
                    self.watched_files_changed(&params);
                }
            }
            notification::Cancel::METHOD => {
                if let Some(params) = self.notification_params::<lsp_types::CancelParams>(&n) {
                    let id: RequestId = match params.id {
                        lsp_types::NumberOrString::Number(n) => n.into(),
                        lsp_types::NumberOrString::String(s) => s.into(),
                    };
                    if self.pulls.remove(&id) {
                        self.reply_err(id, ErrorCode::RequestCanceled, "canceled".into());
                    }
                }
            }
            MALFORMED => self.log(LogLevel::Warn, format!("ignored a malformed message: {}", n.params)),
            // didSave, setTrace, and notifications of features the server does not offer.
            _ => {}
        }
    }

    fn notification_params<P: DeserializeOwned>(&self, n: &Notification) -> Option<P> {
        match serde_json::from_value(n.params.clone()) {
            Ok(params) => Some(params),
            Err(err) => {
                self.log(LogLevel::Warn, format!("ignored {} with invalid params: {err}", n.method));
                None
            }
        }
    }

    fn response(&mut self, response: Response) {
        if !self.configuration_requests.remove(&response.id) {
            return;
        }
        match (response.result, response.error) {
            (Some(Json::Array(mut items)), _) if !items.is_empty() => {
                let settings = items.swap_remove(0);
                self.apply_settings(&settings);
            }
            (_, Some(error)) => {
                self.log(LogLevel::Warn, format!("workspace/configuration failed: {}", error.message))
            }
            _ => {}
        }
    }

    fn initialized(&mut self) {
        if self.configuration {
            self.request_configuration();
        }
        self.start_scan();
        if self.watch {
            let watchers = CONFIG_FILES
                .iter()
                .map(|name| format!("**/{name}"))
                .chain(
                    ["**/*Dockerfile*", "**/*Containerfile*", "**/*.dockerfile", "**/*.yaml", "**/*.yml"]
                        .map(String::from),
                )
                .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob), kind: None })
                .collect();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "plimsoll-watched-files".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            };
            self.send_request(
                request::RegisterCapability::METHOD,
                RegistrationParams { registrations: vec![registration] },
            );
        }
    }

    fn request_configuration(&mut self) {
        let scope_uri = self.folders.first().and_then(|f| format!("file://{}", f.display()).parse().ok());
        let params = ConfigurationParams {
            items: vec![ConfigurationItem { scope_uri, section: Some("plimsoll".into()) }],
        };
        let id = self.send_request(request::WorkspaceConfiguration::METHOD, params);
        self.configuration_requests.insert(id);
    }

    /// New settings from the client; a change rebuilds the engine and re-lints every open document.
    fn apply_settings(&mut self, json: &Json) {
        let root = engine::root_of(&self.folders);
        // `workspace/configuration` may answer null where the editor has no plimsoll settings of its own: the
        // initialization options then stand.
        let json = match (json, &self.initialization_options) {
            (Json::Null, Some(options)) => options.clone(),
            _ => json.clone(),
        };
        let (settings, problems) = ClientSettings::from_json(&json, Some(&root));
        for problem in problems {
            self.show(MessageType::WARNING, problem);
        }
        if settings == self.settings {
            return;
        }
        self.settings = settings;
        self.log(LogLevel::Info, format!("settings changed: {:?}", self.settings));
        self.rebuild_engine();
    }

    fn rebuild_engine(&mut self) {
        let (engine, problems) = Engine::new(&self.settings, &engine::root_of(&self.folders));
        self.engine = engine;
        for problem in problems {
            self.show(MessageType::WARNING, problem);
        }
        // Facts depend on the configuration (`[kubernetes] workload-kinds`).
        self.start_scan();
        self.relint_all();
    }

    /// Reads the Kubernetes objects of the workspace folders in the background.
    fn start_scan(&mut self) {
        if self.folders.is_empty() {
            return;
        }
        self.scan += 1;
        let (id, folders, linter, sender) =
            (self.scan, self.folders.clone(), self.engine.root_linter(), self.scan_sender.clone());
        let spawned = std::thread::Builder::new().name("plimsoll-scan".into()).spawn(move || {
            let facts = project::scan(&folders, &linter);
            let _ = sender.send(Scanned { id, facts });
        });
        if let Err(err) = spawned {
            self.log(LogLevel::Warn, format!("cannot read the workspace's manifests: {err}"));
        }
    }

    fn scanned(&mut self, scanned: Scanned) {
        if scanned.id != self.scan {
            return;
        }
        self.log(LogLevel::Info, format!("read the Kubernetes objects of {} manifests", scanned.facts.len()));
        self.disk_facts = Some(Arc::new(scanned.facts));
        self.relint_format(Format::Kubernetes);
    }

    /// Updates the facts of files that changed on disk (or were saved); whether any did.
    fn refresh_facts(&mut self, changed: &[(PathBuf, Option<String>)]) -> bool {
        let Some(disk) = &mut self.disk_facts else { return false };
        let linter = self.engine.root_linter();
        let disk = Arc::make_mut(disk);
        let mut any = false;
        for (path, text) in changed {
            let path = plimsoll_config::absolute(path);
            let facts = match text {
                Some(text) => project::text_facts(text, &path, &linter),
                None => project::file_facts(&path, &linter),
            };
            any |= match facts {
                Some(facts) => {
                    disk.insert(path, facts);
                    true
                }
                None => disk.remove(&path).is_some(),
            };
        }
        any
    }

    fn watched_files_changed(&mut self, params: &DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> =
            params.changes.iter().filter_map(|change| uri::to_path(&change.uri)).collect();
        let named = |path: &PathBuf| path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if paths.iter().any(|path| CONFIG_FILES.contains(&named(path).as_str())) {
            self.log(LogLevel::Info, "a configuration file changed; re-linting open documents".into());
            self.rebuild_engine();
            return;
        }
        let manifests: Vec<(PathBuf, Option<String>)> = paths
            .iter()
            .filter(|path| plimsoll_linter::is_yaml_or_json(path))
            .map(|path| (path.clone(), None))
            .collect();
        if self.refresh_facts(&manifests) {
            self.relint_format(Format::Kubernetes);
        }
        if paths.iter().any(|path| plimsoll_linter::kind_from_name(path) == Some(Format::Dockerfile)) {
            // Compose files that build it read it from disk unless it is open.
            self.relint_format(Format::Compose);
        }
    }

    /// A saved manifest's objects are what other manifests now see (the watcher may not report saves).
    fn saved(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get(uri) else { return };
        let (Some(path), Some(Format::Kubernetes)) = (doc.path.clone(), doc.format) else { return };
        let text = doc.text.as_str().to_owned();
        if self.refresh_facts(&[(path, Some(text))]) {
            self.relint_format(Format::Kubernetes);
        }
    }

    fn open(&mut self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let generation = self.next_generation();
        let path = uri::to_path(&item.uri);
        let document = Document::new(item.text, item.version, item.language_id, path, generation);
        let dockerfile = is_dockerfile(&document);
        self.documents.insert(item.uri.clone(), document);
        if !self.pull {
            self.schedule(&item.uri, None);
        }
        if dockerfile {
            // Open Compose files now read this buffer instead of the file on disk.
            self.relint_format(Format::Compose);
        }
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let generation = self.next_generation();
        let encoding = self.encoding;
        let Some(doc) = self.documents.get_mut(&uri) else {
            self.log(LogLevel::Warn, format!("ignored a change to {} which is not open", uri.as_str()));
            return;
        };
        doc.apply(params.content_changes, encoding);
        doc.version = params.text_document.version;
        doc.bump(generation);
        let dockerfile = is_dockerfile(doc);
        if !self.pull {
            self.schedule(&uri, None);
        }
        if dockerfile {
            self.relint_format(Format::Compose);
        }
    }

    fn close(&mut self, uri: &Uri) {
        let Some(closed) = self.documents.remove(uri) else { return };
        if !self.pull {
            self.publish(uri, Vec::new(), None);
        }
        if is_dockerfile(&closed) {
            // Compose files that build it go back to reading it from disk.
            self.relint_format(Format::Compose);
        }
    }

    /// Re-lints the open documents last linted as `format` (push), or asks the client to pull again.
    fn relint_format(&mut self, format: Format) {
        let uris: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, doc)| doc.format == Some(format))
            .map(|(uri, _)| uri.clone())
            .collect();
        self.relint(uris);
    }

    fn relint_all(&mut self) {
        let uris = self.documents.uris();
        self.relint(uris);
    }

    fn relint(&mut self, uris: Vec<Uri>) {
        if uris.is_empty() {
            return;
        }
        for uri in &uris {
            let generation = self.next_generation();
            if let Some(doc) = self.documents.get_mut(uri) {
                doc.bump(generation);
            }
        }
        if !self.pull {
            for uri in &uris {
                self.schedule(uri, None);
            }
        } else if self.refresh {
            self.send_request(request::WorkspaceDiagnosticRefresh::METHOD, ());
        }
    }

    /// Starts a lint of the document's current text; `reply` is the pull request waiting for it.
    fn schedule(&mut self, uri: &Uri, reply: Option<RequestId>) {
        let Some(doc) = self.documents.get(uri) else { return };
        let plan = self.engine.plan(doc);
        for problem in self.engine.new_problems() {
            self.show(MessageType::WARNING, problem);
        }
        let Some(doc) = self.documents.get_mut(uri) else { return };
        doc.format = plan.as_ref().map(|plan| plan.format);
        let Some(plan) = plan else {
            // Not a file plimsoll reads: nothing to show, now or later.
            let generation = doc.generation();
            self.finish(Done { uri: uri.clone(), generation, reply, outcome: Outcome::Linted(Vec::new()) });
            return;
        };
        let job = Job {
            uri: uri.clone(),
            generation: doc.generation(),
            latest: doc.latest.clone(),
            text: doc.text.clone(),
            path: doc.path.clone(),
            plan,
            workspace: Arc::new(Buffers::new(self.documents.buffers(), self.disk_facts.clone())),
            reply,
        };
        jobs::spawn(&self.pool, job, self.done_sender.clone());
    }

    /// A lint came back: shown if it is of the document's current text, else redone for a waiting pull.
    fn finish(&mut self, done: Done) {
        if let Some(id) = &done.reply
            && !self.pulls.contains(id)
        {
            // The pull was canceled.
            return;
        }
        let Some(doc) = self.documents.get_mut(&done.uri) else {
            if let Some(id) = done.reply {
                self.pulls.remove(&id);
                self.send(Response::new_ok(id, full_report(String::new(), Vec::new())).into());
            }
            return;
        };
        if done.generation != doc.generation() {
            if let Some(id) = done.reply {
                self.schedule(&done.uri, Some(id));
            }
            return;
        }
        let diagnostics = match done.outcome {
            Outcome::Linted(diagnostics) => diagnostics,
            Outcome::Skipped => {
                // Skipped as overtaken, yet current: only a race with a bump; lint again.
                if let Some(id) = done.reply {
                    self.schedule(&done.uri, Some(id));
                }
                return;
            }
            Outcome::Failed(message) => {
                let path =
                    doc.path.as_ref().map_or(done.uri.as_str().to_string(), |p| p.display().to_string());
                let message =
                    format!("internal error while linting {path} ({message}); please report this bug");
                self.log(LogLevel::Error, message);
                Vec::new()
            }
        };
        let Some(doc) = self.documents.get_mut(&done.uri) else { return };
        doc.linted = Some(Linted { generation: done.generation, diagnostics: Arc::new(diagnostics) });
        let version = doc.version;
        let items = self.lsp_diagnostics(&done.uri);
        match done.reply {
            Some(id) => {
                self.pulls.remove(&id);
                self.send(Response::new_ok(id, full_report(done.generation.to_string(), items)).into());
            }
            None => self.publish(&done.uri, items, Some(version)),
        }
    }

    /// The current findings of a document in the client's terms.
    fn lsp_diagnostics(&self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        let Some(doc) = self.documents.get(uri) else { return Vec::new() };
        let Some(linted) = doc.current() else { return Vec::new() };
        let index = LineIndex::new(&doc.text);
        let text = Text { text: &doc.text, index: &index, encoding: self.encoding };
        linted.diagnostics.iter().map(|found| convert::diagnostic(found, &text, uri)).collect()
    }

    fn pull_diagnostics(&mut self, id: RequestId, params: DocumentDiagnosticParams) {
        let uri = params.text_document.uri;
        let Some(doc) = self.documents.get(&uri) else {
            // Not open (or already closed): nothing is known about it.
            self.send(Response::new_ok(id, full_report(String::new(), Vec::new())).into());
            return;
        };
        if let Some(linted) = doc.current() {
            let result_id = linted.generation.to_string();
            if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
                let unchanged = DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                    RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
                    },
                ));
                self.send(Response::new_ok(id, unchanged).into());
            } else {
                let items = self.lsp_diagnostics(&uri);
                self.send(Response::new_ok(id, full_report(result_id, items)).into());
            }
            return;
        }
        self.pulls.insert(id.clone());
        self.schedule(&uri, Some(id));
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(doc) = self.documents.get(uri) else { return Vec::new() };
        let Some(plan) = self.engine.plan(doc) else { return Vec::new() };
        let Some(doc) = self.documents.get(uri) else { return Vec::new() };
        let workspace = Buffers::new(self.documents.buffers(), self.disk_facts.clone());
        // The findings of the current text: the latest lint's, or a lint now (a request can arrive between a
        // change and its lint).
        let diagnostics = match doc.current() {
            Some(linted) => linted.diagnostics.clone(),
            None => match jobs::lint(&plan, &doc.text, doc.path.as_deref(), &workspace) {
                Outcome::Linted(found) => Arc::new(found),
                Outcome::Skipped | Outcome::Failed(_) => return Vec::new(),
            },
        };
        let index = LineIndex::new(&doc.text);
        let text = Text { text: &doc.text, index: &index, encoding: self.encoding };
        let request = actions::Request {
            uri,
            text: &text,
            path: doc.path.as_deref(),
            plan: &plan,
            workspace: &workspace,
            diagnostics: &diagnostics,
            range: text.text_range(params.range),
            only: params.context.only.as_deref(),
        };
        actions::code_actions(&request)
    }

    fn hover(&self, params: &HoverParams) -> Option<lsp_types::Hover> {
        let position = &params.text_document_position_params;
        let doc = self.documents.get(&position.text_document.uri)?;
        let index = LineIndex::new(&doc.text);
        let text = Text { text: &doc.text, index: &index, encoding: self.encoding };
        hover::hover(&text, text.offset(position.position))
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version };
        self.notify(notification::PublishDiagnostics::METHOD, params);
    }

    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    fn send(&self, message: Message) {
        // Fails only when the client has gone; the main loop then ends on its own.
        let _ = self.sender.send(message);
    }

    fn notify(&self, method: &str, params: impl Serialize) {
        self.send(Notification::new(method.into(), params).into());
    }

    fn send_request(&mut self, method: &str, params: impl Serialize) -> RequestId {
        self.next_request += 1;
        let id = RequestId::from(format!("plimsoll-{}", self.next_request));
        self.send(Request::new(id.clone(), method.into(), params).into());
        id
    }

    fn reply_err(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Response::new_err(id, code as i32, message).into());
    }

    fn log(&self, level: LogLevel, message: String) {
        if level > self.settings.log_level {
            return;
        }
        let typ = match level {
            LogLevel::Error => MessageType::ERROR,
            LogLevel::Warn => MessageType::WARNING,
            LogLevel::Info => MessageType::INFO,
            LogLevel::Debug | LogLevel::Trace => MessageType::LOG,
        };
        self.notify(notification::LogMessage::METHOD, LogMessageParams { typ, message });
    }

    /// A problem the user should see (a configuration error), shown as a message and logged.
    fn show(&self, typ: MessageType, message: String) {
        self.notify(
            notification::ShowMessage::METHOD,
            ShowMessageParams { typ, message: format!("plimsoll: {message}") },
        );
        self.log(LogLevel::Warn, message);
    }
}

/// Whether Compose files may read this document through `build:`.
fn is_dockerfile(doc: &Document) -> bool {
    doc.language_id == "dockerfile"
        || doc.path.as_deref().and_then(plimsoll_linter::kind_from_name) == Some(Format::Dockerfile)
}

/// A finished scan of the workspace's manifests.
struct Scanned {
    id: u64,
    facts: DiskFacts,
}

fn full_report(result_id: String, items: Vec<lsp_types::Diagnostic>) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: (!result_id.is_empty()).then_some(result_id),
                items,
            },
        },
    ))
}

/// The workspace folders as paths: `workspaceFolders`, else the deprecated `rootUri`.
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders.iter().filter_map(|folder| uri::to_path(&folder.uri)).collect();
    }
    #[allow(deprecated)]
    params.root_uri.as_ref().and_then(uri::to_path).into_iter().collect()
}
