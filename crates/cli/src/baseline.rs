//! Baselines: the findings a team accepts for now, so a run reports only new ones.
//!
//! `plimsoll baseline create` writes every current finding's fingerprint (rule + path + normalised
//! snippet, never the line number; see [`plimsoll_output::fingerprint`]); `plimsoll check --baseline FILE`
//! then leaves those out; `plimsoll baseline update` drops the entries that no longer occur, and never
//! adds any, so fixing a finding shrinks the baseline and nothing new slips in.
//!
//! Paths in the file are relative to the baseline's own directory, so the same baseline matches whether
//! plimsoll runs from the repository root, a subdirectory or with absolute paths.
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "path": "app/Dockerfile", "code": "ISO001", "fingerprint": "…32 hex digits…", "message": "…" }
//!   ]
//! }
//! ```
//!
//! `message` is for people reading the file in review; matching uses only `fingerprint`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use plimsoll_output::{FileFindings, Fingerprint};
use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::lint::Linted;

/// Bumped when fingerprints or the document change incompatibly; older baselines are then rejected with a
/// message to recreate them, never silently matched against different fingerprints.
pub const VERSION: u32 = 1;

/// The file name `plimsoll baseline create` writes when `--baseline` does not name one.
pub const DEFAULT_FILE: &str = "plimsoll-baseline.json";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    code: String,
    fingerprint: String,
    message: String,
}

/// A baseline file, read.
#[derive(Debug)]
pub struct Baseline {
    path: PathBuf,
    /// The directory finding paths are relative to.
    root: PathBuf,
    entries: Vec<Entry>,
    fingerprints: HashSet<Fingerprint>,
}

impl Baseline {
    /// Reads `path`; a missing, unreadable, malformed or foreign-version file is an error (a baseline that
    /// silently matched nothing would report every accepted finding, or worse, one that matched wrongly).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|err| {
            let hint = if err.kind() == std::io::ErrorKind::NotFound {
                " (create it with `plimsoll baseline create`)"
            } else {
                ""
            };
            format!("cannot read the baseline {shown}: {}{hint}", crate::notes::io_message(&err))
        })?;
        let document: Document = serde_json::from_str(&text)
            .map_err(|err| format!("{shown} is not a plimsoll baseline: {err}"))?;
        if document.version != VERSION {
            return Err(format!(
                "{shown} is a version {} baseline; this plimsoll reads version {VERSION}: recreate it with \
                 `plimsoll baseline create`",
                document.version
            ));
        }
        let mut fingerprints = HashSet::with_capacity(document.findings.len());
        for entry in &document.findings {
            fingerprints.insert(entry.fingerprint.parse().map_err(|err| format!("{shown}: {err}"))?);
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            root: root_of(path),
            entries: document.findings,
            fingerprints,
        })
    }

    /// Removes the findings the baseline holds from one linted file; returns how many it removed.
    pub fn filter(&self, file: &mut Linted) -> usize {
        let entries = entries_of(file, &self.root);
        let before = file.diagnostics.len();
        let mut keep = entries.iter().map(|e| !self.fingerprints.contains(&e.1));
        file.diagnostics.retain(|_| keep.next().unwrap_or(true));
        before - file.diagnostics.len()
    }
}

/// `plimsoll baseline create`: writes every finding of the run to `path`, replacing the file.
pub fn create(path: &Path, linted: &mut [Linted]) -> Result<String, String> {
    let root = root_of(path);
    let mut entries: Vec<Entry> =
        linted.iter_mut().flat_map(|file| entries_of(file, &root)).map(|(entry, _)| entry).collect();
    entries.sort();
    let count = entries.len();
    write(path, entries)?;
    Ok(format!("baseline written with {}", findings(count)))
}

/// `plimsoll baseline update`: keeps the entries of `path` that the run still finds, drops the rest, and
/// adds nothing.
pub fn update(path: &Path, linted: &mut [Linted]) -> Result<String, String> {
    let baseline = Baseline::load(path)?;
    let current: HashSet<String> = linted
        .iter_mut()
        .flat_map(|file| entries_of(file, &baseline.root))
        .map(|(entry, _)| entry.fingerprint)
        .collect();
    let before = baseline.entries.len();
    let entries: Vec<Entry> =
        baseline.entries.into_iter().filter(|entry| current.contains(&entry.fingerprint)).collect();
    let (kept, dropped) = (entries.len(), before - entries.len());
    write(&baseline.path, entries)?;
    Ok(format!(
        "baseline updated: {} still found and kept, {dropped} no longer found and dropped",
        findings(kept)
    ))
}

fn findings(count: usize) -> String {
    format!("{count} {}", if count == 1 { "finding" } else { "findings" })
}

fn write(path: &Path, findings: Vec<Entry>) -> Result<(), String> {
    let document = Document { version: VERSION, findings };
    let mut text = serde_json::to_string_pretty(&document).map_err(|err| err.to_string())?;
    text.push('\n');
    atomic::write(path, text.as_bytes()).map_err(|err| {
        format!("cannot write the baseline {}: {}", path.display(), crate::notes::io_message(&err))
    })
}

/// The file's findings as baseline entries, in the order of `file.diagnostics` (which this sorts into
/// output order, the order fingerprints are counted in).
fn entries_of(file: &mut Linted, root: &Path) -> Vec<(Entry, Fingerprint)> {
    file.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let path = relative_path(&file.path, root);
    let findings = FileFindings::new(file.path.as_str(), &file.text, &file.diagnostics);
    findings
        .fingerprints_at(&path)
        .into_iter()
        .map(|(diagnostic, fingerprint)| {
            let entry = Entry {
                path: path.clone(),
                code: diagnostic.rule.code.to_string(),
                fingerprint: fingerprint.to_string(),
                message: diagnostic.message.clone(),
            };
            (entry, fingerprint)
        })
        .collect()
}

/// The directory a baseline's paths are relative to: its own, resolved.
fn root_of(baseline: &Path) -> PathBuf {
    let dir = baseline.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// `shown` (a path as the run displays it) relative to `root`, with `/` separators; standard input (`-`)
/// and paths outside `root` stay as they are.
fn relative_path(shown: &str, root: &Path) -> String {
    let resolved = match std::fs::canonicalize(shown) {
        Ok(resolved) if shown != "-" => resolved,
        _ => return shown.replace('\\', "/"),
    };
    match resolved.strip_prefix(root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => resolved.to_string_lossy().replace('\\', "/"),
    }
}
