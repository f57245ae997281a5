//! Lints run off the main loop, on a small pool, so typing is never blocked behind a lint. A job whose
//! document changed before it started is skipped; a result for an old text is dropped by the main loop.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::Sender;
use lsp_server::RequestId;
use lsp_types::Uri;
use plimsoll_config::absolute;
use plimsoll_diagnostic::{Diagnostic, Format};
use plimsoll_linter::{Disk, FileContext, MAX_FILE_BYTES, Project, SourceFile, Workspace, panic_message};

use crate::engine::Plan;
use crate::project::{self, DiskFacts};

/// One lint to run.
pub struct Job {
    pub uri: Uri,
    pub generation: u64,
    /// The document's newest generation, read before starting: a job already overtaken is not run.
    pub latest: Arc<AtomicU64>,
    pub text: Arc<String>,
    pub path: Option<PathBuf>,
    pub plan: Plan,
    pub workspace: Arc<Buffers>,
    /// The `textDocument/diagnostic` request waiting for this result, if any.
    pub reply: Option<RequestId>,
}

/// A finished (or skipped) job, back to the main loop.
pub struct Done {
    pub uri: Uri,
    pub generation: u64,
    pub reply: Option<RequestId>,
    pub outcome: Outcome,
}

pub enum Outcome {
    Linted(Vec<Diagnostic>),
    /// Overtaken by a newer change before it started.
    Skipped,
    /// The linter panicked on this text; the message is for the log.
    Failed(String),
}

pub fn spawn(pool: &rayon::ThreadPool, job: Job, done: Sender<Done>) {
    pool.spawn(move || {
        let outcome =
            if job.latest.load(Ordering::Acquire) != job.generation { Outcome::Skipped } else { run(&job) };
        // The main loop has gone only when the server is shutting down.
        let _ = done.send(Done { uri: job.uri, generation: job.generation, reply: job.reply, outcome });
    });
}

/// Lints synchronously (code actions check their edits this way too).
pub fn run(job: &Job) -> Outcome {
    lint(&job.plan, &job.text, job.path.as_deref(), &job.workspace)
}

pub fn lint(plan: &Plan, text: &str, path: Option<&Path>, buffers: &Buffers) -> Outcome {
    // Nothing outlives a panic here but the immutable linter.
    let linted = catch_unwind(AssertUnwindSafe(|| {
        let source = buffer_source(text);
        // A manifest meets the rest of its project: other files' objects from disk, its own from this text
        // (parsed once: the lint below reuses the tree).
        let project = match (&buffers.disk_facts, plan.format) {
            (Some(disk), Format::Kubernetes) => {
                let own = plan.linter.project_facts(&source, Format::Kubernetes, path);
                Some(project::project_with(disk, path, own))
            }
            _ => None,
        };
        let workspace = InProject { buffers, project };
        plan.linter.lint_in(&source, plan.format, &FileContext { path, workspace: &workspace })
    }));
    match linted {
        Ok(report) => Outcome::Linted(report.diagnostics),
        Err(payload) => Outcome::Failed(panic_message(&*payload).to_string()),
    }
}

/// A buffer as the linter reads it: over the size limit, the linter reports it unread, as it reports an
/// oversized file on disk.
pub fn buffer_source(text: &str) -> SourceFile {
    match text.len() as u64 {
        size if size > MAX_FILE_BYTES => SourceFile::too_large(size),
        _ => SourceFile::from_text(text),
    }
}

/// The files around a document as the editor has them: open buffers first (a Compose file sees the
/// Dockerfile being edited, unsaved), then the disk; and the Kubernetes objects of the workspace on disk.
#[derive(Default)]
pub struct Buffers {
    open: HashMap<PathBuf, Arc<String>>,
    disk_facts: Option<Arc<DiskFacts>>,
}

impl Buffers {
    pub fn new(open: HashMap<PathBuf, Arc<String>>, disk_facts: Option<Arc<DiskFacts>>) -> Buffers {
        let open = open.into_iter().map(|(path, text)| (absolute(&path), text)).collect();
        Buffers { open, disk_facts }
    }
}

/// [`Buffers`] with the project one manifest is linted in.
struct InProject<'a> {
    buffers: &'a Buffers,
    project: Option<Project>,
}

impl Workspace for InProject<'_> {
    fn read(&self, path: &Path) -> Option<String> {
        match self.buffers.open.get(&absolute(path)) {
            Some(text) => Some(text.as_str().to_owned()),
            None => Disk.read(path),
        }
    }

    fn kubernetes_project(&self) -> Option<&Project> {
        self.project.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_buffer_is_reported_unread() {
        let huge = "#".repeat(MAX_FILE_BYTES as usize + 1);
        assert!(buffer_source(&huge).too_large.is_some());
        assert!(buffer_source("FROM busybox:1.37\n").too_large.is_none());
    }
}
