//! `--cache-dir DIR`: results of earlier runs, reused when nothing they depend on has changed.
//!
//! One entry per file and result, named by a BLAKE3 key of everything the result depends on:
//!
//! - findings ([`Cache::lint`]): the file's content and format, the path it is shown as and the working
//!   directory (paths decide per-file ignores, which directory a Compose file reads its Dockerfiles from and
//!   which Kubernetes objects meet), the linter's resolved settings, the build of plimsoll, and for a
//!   Kubernetes manifest a digest of the whole run's project facts. The other files a check read (a
//!   Compose service's Dockerfile) are listed in the entry with their content's digest and read again on a
//!   hit: any change is a miss.
//! - Kubernetes project facts ([`Cache::facts`]): the content, the path and the custom workload kinds, so a
//!   warm run does not parse unchanged manifests to gather them.
//!
//! Layout: `DIR/CACHEDIR.TAG`, `DIR/.gitignore` (`*`), and a directory per build of plimsoll holding the
//! entries in 256 subdirectories by the key's first byte. Entries are written to a temporary file and renamed,
//! so concurrent runs and killed runs never leave a partial entry under an entry's name, and each is
//! checksummed ([`entry`]), so a damaged one is a miss. [`prune`] says what is removed when.

mod codec;
mod entry;
mod key;
mod prune;
mod recording;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use plimsoll_diagnostic::{Format, RuleMeta};
use plimsoll_kubernetes::project::Facts;
use plimsoll_linter::{FileContext, FileReport, Linter, SourceFile, Workspace};

use crate::atomic;
use crate::notes::{self, Note, io_message};
use entry::Kind;
use key::{Digest, Key};
use recording::Recording;

/// The environment variable that names the cache directory when `--cache-dir` does not.
pub const DIR_VARIABLE: &str = "PLIMSOLL_CACHE_DIR";

/// The build of plimsoll, which decides what every rule does: the release and a hash of the sources it was
/// built from (see `build.rs`).
const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "-", env!("PLIMSOLL_BUILD_ID"));

const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
    # This file is a cache directory tag created by plimsoll.\n\
    # For information about cache directory tags, see https://bford.info/cachedir/\n";

pub struct Cache {
    root: PathBuf,
    /// `root/<BUILD>`: this build's entries.
    build_dir: PathBuf,
    build: Digest,
    cwd: PathBuf,
    /// The digest of the run's Kubernetes project facts; `None` until gathered, or when they could not be
    /// digested: Kubernetes findings are then not cached.
    project: Option<Digest>,
    /// Per linter (by address: the run keeps every linter alive), the digests of its settings.
    linters: Mutex<HashMap<usize, LinterDigests>>,
    /// The rules of this build by code, to read findings back.
    rules: HashMap<&'static str, &'static RuleMeta>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// The first failure to write an entry, reported once at the end.
    write_error: Mutex<Option<String>>,
}

#[derive(Clone, Copy)]
struct LinterDigests {
    settings: Digest,
    workload_kinds: Digest,
}

/// The directory `--cache-dir` or [`DIR_VARIABLE`] names, unless `--no-cache`; an empty variable names none.
pub fn chosen_dir(flag: Option<&Path>, no_cache: bool) -> Option<PathBuf> {
    if no_cache {
        return None;
    }
    flag.map(Path::to_path_buf)
        .or_else(|| std::env::var_os(DIR_VARIABLE).filter(|dir| !dir.is_empty()).map(PathBuf::from))
}

impl Cache {
    /// The cache in `root`, created if needed. A cache that cannot be set up is a warning, and the run goes
    /// on without it: the cache only ever saves time.
    pub fn open(root: &Path) -> Option<Cache> {
        match Cache::create(root) {
            Ok(cache) => Some(cache),
            Err(err) => {
                let message =
                    format!("cannot use the cache directory ({}); linting without it", io_message(&err));
                notes::print(&[Note::warning(root.display().to_string(), message)]);
                None
            }
        }
    }

    fn create(root: &Path) -> io::Result<Cache> {
        let build_dir = root.join(BUILD);
        std::fs::create_dir_all(&build_dir)?;
        for (name, contents) in
            [("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "# Created by plimsoll.\n*\n")]
        {
            let path = root.join(name);
            if !path.exists() {
                atomic::write_unsynced(&path, contents.as_bytes())?;
            }
        }
        prune::mark_build_used(&build_dir)?;
        Ok(Cache {
            root: root.to_path_buf(),
            build_dir,
            build: Key::new("build").str(BUILD).finish(),
            cwd: std::env::current_dir()?,
            project: None,
            linters: Mutex::new(HashMap::new()),
            rules: plimsoll_rules::all().iter().map(|rule| (rule.meta.code, &rule.meta)).collect(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            write_error: Mutex::new(None),
        })
    }

    /// What `linter.lint_in` reports for `source`: from the cache when a valid entry exists, else linted
    /// and stored. `shown` is the path the report shows, `path` the file's place on disk.
    pub fn lint(
        &self,
        linter: &Linter,
        source: &SourceFile,
        format: Format,
        shown: &str,
        path: Option<&Path>,
        workspace: &dyn Workspace,
    ) -> FileReport {
        let Some(key) = self.lint_key(linter, source, format, shown) else {
            return linter.lint_in(source, format, &FileContext { path, workspace });
        };
        if let Some(report) = self.load_report(&key, workspace) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return report;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let recording = Recording::new(workspace);
        let report = linter.lint_in(source, format, &FileContext { path, workspace: &recording });
        if let Some(payload) = entry::encode_lint(&recording.into_reads(), &report) {
            self.store(Kind::Lint, &key, &payload);
        }
        report
    }

    /// `linter.project_facts` of a Kubernetes manifest (`None` for a file too large to read), with the
    /// digest of the facts that [`Cache::set_project`] combines.
    pub fn facts(
        &self,
        linter: &Linter,
        source: &SourceFile,
        shown: &str,
        path: Option<&Path>,
    ) -> Option<(Facts, Option<Digest>)> {
        let key = self.facts_key(linter, source, shown);
        if let Some(payload) = self.load(Kind::Facts, &key)
            && let Ok(facts) = serde_json::from_slice::<Facts>(&payload)
        {
            return Some((facts, Some(*blake3::hash(&payload).as_bytes())));
        }
        let facts = linter.project_facts(source, Format::Kubernetes, path)?;
        // Paths that are not UTF-8 do not serialise: those facts are not cached, nor then any Kubernetes
        // findings of the run (their key needs every file's facts).
        let Ok(payload) = serde_json::to_vec(&facts) else { return Some((facts, None)) };
        self.store(Kind::Facts, &key, &payload);
        Some((facts, Some(*blake3::hash(&payload).as_bytes())))
    }

    /// Takes the digests of every Kubernetes file's facts, in the run's order (which decides, say, which
    /// LimitRange default comes first): Kubernetes findings are keyed by them all. A `None` among them
    /// leaves Kubernetes findings uncached.
    pub fn set_project(&mut self, facts: impl IntoIterator<Item = Option<Digest>>) {
        let mut key = Key::new("project");
        for digest in facts {
            let Some(digest) = digest else {
                self.project = None;
                return;
            };
            key.digest(&digest);
        }
        self.project = Some(key.finish());
    }

    /// Prunes stale entries ([`prune`]), warns if entries could not be written, and with `verbose` says how
    /// many results were reused.
    pub fn finish(self, verbose: bool) {
        prune::prune(&self.root, &self.build_dir, SystemTime::now());
        let shown = self.root.display().to_string();
        let error = self.write_error.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(error) = error {
            notes::print(&[Note::warning(shown.clone(), format!("cannot write cache entries ({error})"))]);
        }
        if verbose {
            let hits = self.hits.into_inner();
            let total = hits + self.misses.into_inner();
            notes::print(&[Note::info(
                shown,
                format!("results of {hits} of {total} files reused from the cache"),
            )]);
        }
    }

    fn lint_key(&self, linter: &Linter, source: &SourceFile, format: Format, shown: &str) -> Option<Digest> {
        let digests = self.linter_digests(linter);
        let mut key = Key::new("lint");
        key.digest(&self.build)
            .digest(&digests.settings)
            .u8(key::format_code(format))
            .path(&self.cwd)
            .str(shown)
            .digest(&key::source(source));
        if format == Format::Kubernetes {
            key.digest(self.project.as_ref()?);
        }
        Some(key.finish())
    }

    fn facts_key(&self, linter: &Linter, source: &SourceFile, shown: &str) -> Digest {
        let digests = self.linter_digests(linter);
        Key::new("facts")
            .digest(&self.build)
            .digest(&digests.workload_kinds)
            .str(shown)
            .digest(&key::source(source))
            .finish()
    }

    fn linter_digests(&self, linter: &Linter) -> LinterDigests {
        let address = std::ptr::from_ref(linter) as usize;
        let mut linters = self.linters.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *linters.entry(address).or_insert_with(|| LinterDigests {
            settings: key::settings(linter.settings()),
            workload_kinds: key::workload_kinds(linter.settings()),
        })
    }

    /// A stored report whose files read are unchanged.
    fn load_report(&self, key: &Digest, workspace: &dyn Workspace) -> Option<FileReport> {
        let payload = self.load(Kind::Lint, key)?;
        let (reads, report) = entry::decode_lint(&payload, &self.rules)?;
        recording::still_valid(&reads, workspace).then_some(report)
    }

    /// The payload of the entry for `key`, if there is a valid one; marks it used.
    fn load(&self, kind: Kind, key: &Digest) -> Option<Vec<u8>> {
        let mut file = File::open(self.entry_path(key)).ok()?;
        let meta = file.metadata().ok()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes).ok()?;
        let payload = entry::unframe(kind, key, &bytes)?.to_vec();
        prune::mark_entry_used(&file, &meta, SystemTime::now());
        Some(payload)
    }

    fn store(&self, kind: Kind, key: &Digest, payload: &[u8]) {
        let path = self.entry_path(key);
        let bytes = entry::frame(kind, key, payload);
        let written = atomic::write_unsynced(&path, &bytes).or_else(|err| {
            // The entry's subdirectory is made when first needed (or again, after pruning emptied it).
            if err.kind() != io::ErrorKind::NotFound {
                return Err(err);
            }
            std::fs::create_dir_all(path.parent().unwrap_or(&self.build_dir))?;
            atomic::write_unsynced(&path, &bytes)
        });
        if let Err(err) = written {
            let mut first = self.write_error.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            first.get_or_insert_with(|| io_message(&err));
        }
    }

    fn entry_path(&self, key: &Digest) -> PathBuf {
        let name = blake3::Hash::from_bytes(*key).to_hex();
        self.build_dir.join(&name[..2]).join(&name[2..])
    }
}

#[cfg(test)]
mod tests;
