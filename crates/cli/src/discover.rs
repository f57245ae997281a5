//! Which files a `check` run lints, and as what: explicit files always (kind from the name, else from the
//! content), directories by a parallel `.gitignore`-aware walk (kind from the name, else, for YAML and JSON,
//! from the content). Each file's configuration adds names (`[files] dockerfile = [...]`) and, in the walk
//! only, paths to skip (`[files] exclude`): a file named on the command line is linted even if excluded, as
//! in ruff. `--kind` keeps only files of some kinds, silently.
//!
//! The walk does not follow symbolic links unless asked (`--follow-symlinks`): a link can lead out of the
//! tree or back into it. A link named on the command line is an explicit input and is linted. What cannot
//! be read (a directory or file without permission) is reported with its path and the system's reason, and
//! the rest is still linted; the run then exits 2, as its report is incomplete.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};
use plimsoll_config::Resolver;
use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, SourceFile, is_yaml_or_json, kind_from_content, kind_from_name};

use crate::args::CheckArgs;
use crate::notes::{Note, io_message};
use crate::read;

/// How inputs are found: the command line's choices.
pub struct Options<'a> {
    /// The file name standard input stands for (`--stdin-filename`).
    pub stdin_filename: Option<&'a str>,
    /// Walker threads; 0 lets the walker choose.
    pub threads: usize,
    /// Whether the walk follows symbolic links (`--follow-symlinks`).
    pub follow_symlinks: bool,
    /// The only kinds to lint (`--kind`); empty for every kind.
    pub kinds: &'a [Format],
}

impl<'a> Options<'a> {
    pub fn new(args: &'a CheckArgs, threads: usize) -> Options<'a> {
        Options {
            stdin_filename: args.stdin_filename.as_deref(),
            threads,
            follow_symlinks: args.follow_symlinks,
            kinds: &args.kind,
        }
    }

    fn wants(&self, format: Format) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&format)
    }
}

/// `--kind NAME` (clap's value parser): the names `plimsoll rules` shows in its formats column.
pub fn parse_kind(name: &str) -> Result<Format, String> {
    const KINDS: [Format; 4] = [Format::Dockerfile, Format::Compose, Format::Kubernetes, Format::Iam];
    KINDS.into_iter().find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
        let names: Vec<&str> = KINDS.iter().map(|kind| kind.as_str()).collect();
        format!("unknown kind `{name}` (expected one of: {})", names.join(", "))
    })
}

/// One file to lint.
pub struct Target {
    /// The path as the report shows it.
    pub path: String,
    pub format: Format,
    pub input: Input,
}

pub enum Input {
    /// Read when linted, on a worker thread, from the path the report shows, which names the file.
    Shown,
    /// Read when linted, on a worker thread, from this path, which the shown one does not name exactly (it is
    /// not UTF-8).
    Path(PathBuf),
    /// Already read to sniff its kind (standard input, files whose name says nothing). Boxed: a run holds
    /// a target per file, nearly all of them paths.
    Loaded(Box<SourceFile>),
}

impl Target {
    /// The file at `path`, shown in the report as [`display`] shows it.
    pub fn file(path: &Path, format: Format) -> Target {
        let shown = display(path);
        Target { input: Input::file(path, &shown), path: shown, format }
    }

    /// The file to read when linted, unless it is read already.
    pub fn file_path(&self) -> Option<&Path> {
        match &self.input {
            Input::Shown => Some(Path::new(&self.path)),
            Input::Path(path) => Some(path),
            Input::Loaded(_) => None,
        }
    }
}

impl Input {
    /// The file at `path`, which the report shows as `shown`. The path is not kept when the shown one names
    /// the same file, as it does unless the path is not UTF-8: a run holds an input per file.
    pub fn file(path: &Path, shown: &str) -> Input {
        if path.to_str().is_some_and(|text| without_dot_slash(text) == shown) {
            Input::Shown
        } else {
            Input::Path(path.to_path_buf())
        }
    }
}

#[derive(Default)]
pub struct Discovery {
    /// Sorted by path, without duplicates (`check . Dockerfile` lints `Dockerfile` once).
    pub targets: Vec<Target>,
    /// Skipped and missing inputs, in the order of the arguments.
    pub notes: Vec<Note>,
    /// Inputs named on the command line and skipped by `--kind`.
    pub filtered: usize,
}

/// Finds the files to lint under `paths` (`-` is standard input).
pub fn discover(paths: &[PathBuf], options: &Options<'_>, configs: &Arc<Resolver>) -> Discovery {
    let mut discovery = Discovery::default();
    let mut stdin_read = false;
    for path in paths {
        if path.as_os_str() == "-" {
            // Standard input can be read once; a repeated `-` would only see its end.
            if !std::mem::replace(&mut stdin_read, true) {
                stdin(options, &mut discovery);
            }
            continue;
        }
        let shown = display(path);
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, options, configs, &mut discovery),
            Ok(_) => explicit(path, shown, options, configs, &mut discovery),
            Err(err) => discovery.notes.push(Note::error(shown, io_message(&err))),
        }
    }
    discovery.targets.sort_by(|a, b| a.path.cmp(&b.path));
    discovery.targets.dedup_by(|a, b| a.path == b.path);
    discovery
}

/// The path as people typed it, minus a leading `./` (so `./Dockerfile` and `Dockerfile` read the same).
pub fn display(path: &Path) -> String {
    without_dot_slash(&path.to_string_lossy()).to_string()
}

fn without_dot_slash(text: &str) -> &str {
    let mut shown = text;
    while let Some(rest) = shown.strip_prefix("./").filter(|rest| !rest.is_empty()) {
        shown = rest.trim_start_matches('/');
    }
    shown
}

fn stdin(options: &Options<'_>, discovery: &mut Discovery) {
    let stdin_filename = options.stdin_filename;
    let shown = stdin_filename.unwrap_or("-").to_string();
    let source = match read::stdin() {
        Ok(source) => source,
        Err(err) => return discovery.notes.push(Note::error(shown, io_message(&err))),
    };
    let format = stdin_filename.and_then(|name| kind_from_name(Path::new(name)));
    let format = format.or_else(|| kind_from_content(&source.text));
    add(shown, format, Input::Loaded(Box::new(source)), options, discovery);
}

/// The kind the configuration governing `path` gives it (`[files]`), else the kind its name implies.
fn kind_by_name(path: &Path, configs: &Resolver) -> Option<Format> {
    let configured = configs.for_file(path, Format::Kubernetes).files.kind_of(&configs.absolute(path));
    configured.or_else(|| kind_from_name(path))
}

/// Whether the walk skips `path` (`[files] exclude` of the configuration governing its directory).
fn excluded(path: &Path, configs: &Resolver) -> bool {
    configs.for_file(path, Format::Kubernetes).files.is_excluded(&configs.absolute(path))
}

fn explicit(
    path: &Path,
    shown: String,
    options: &Options<'_>,
    configs: &Resolver,
    discovery: &mut Discovery,
) {
    if let Some(format) = kind_by_name(path, configs) {
        let input = Input::file(path, &shown);
        return add(shown, Some(format), input, options, discovery);
    }
    let sniffed = read::source(path).and_then(|source| {
        let format = match source.too_large {
            Some(_) => kind_from_content(&read::head(path)?),
            None => kind_from_content(&source.text),
        };
        Ok((format, source))
    });
    match sniffed {
        // The text is read again when linted: holding every sniffed file until then would make memory grow
        // with the number of files.
        Ok((format, _)) => add(shown.clone(), format, Input::file(path, &shown), options, discovery),
        Err(err) => discovery.notes.push(Note::error(shown, io_message(&err))),
    }
}

/// Adds an explicit input, or says once why it is skipped. With `--kind`, inputs of other kinds (or of
/// none) are skipped without a word: a pre-commit hook for Kubernetes is handed every YAML file.
fn add(path: String, format: Option<Format>, input: Input, options: &Options<'_>, discovery: &mut Discovery) {
    if !options.kinds.is_empty() && !format.is_some_and(|format| options.wants(format)) {
        discovery.filtered += 1;
        return;
    }
    match format {
        Some(format) if Linter::supports(format) => discovery.targets.push(Target { path, format, input }),
        Some(format) => discovery
            .notes
            .push(Note::warning(path, format!("{} are not linted yet; skipped", format.plural_name()))),
        None => discovery.notes.push(Note::warning(
            path,
            "not a Dockerfile, Compose file, Kubernetes manifest or IAM policy; skipped",
        )),
    }
}

fn walk(root: &Path, options: &Options<'_>, configs: &Arc<Resolver>, discovery: &mut Discovery) {
    let filter_configs = Arc::clone(configs);
    let targets = Mutex::new(Vec::new());
    let notes = Mutex::new(Vec::new());
    let charts = Mutex::new(BTreeSet::new());
    let wanted = |target: &Target| Linter::supports(target.format) && options.wants(target.format);
    WalkBuilder::new(root)
        // Dockerfiles live in hidden directories too (`.devcontainer/`); only `.git` itself is noise.
        .hidden(false)
        .filter_entry(move |entry| {
            entry.file_name() != ".git" && (entry.depth() == 0 || !excluded(entry.path(), &filter_configs))
        })
        // `.gitignore` is honoured in a tree that is not (yet) a repository, as people expect.
        .require_git(false)
        // When links are followed, the walker detects loops and reports them as errors (see `walk_error`).
        .follow_links(options.follow_symlinks)
        .threads(options.threads)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    // Unfollowed links are neither files nor directories here: they are skipped.
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        match kind_by_name(entry.path(), configs) {
                            Some(format) => {
                                let target = Target::file(entry.path(), format);
                                if wanted(&target) {
                                    lock(&targets).push(target);
                                }
                            }
                            None if is_yaml_or_json(entry.path()) => match helm_chart(entry.path()) {
                                Some(chart) => {
                                    lock(&charts).insert(chart);
                                }
                                None => match sniffed(entry.path()) {
                                    Ok(Some(target)) if wanted(&target) => lock(&targets).push(target),
                                    Ok(_) => {}
                                    Err(note) => lock(&notes).push(note),
                                },
                            },
                            None => {}
                        }
                    }
                    Ok(_) => {}
                    Err(err) => lock(&notes).push(walk_error(&err, root)),
                }
                WalkState::Continue
            })
        });
    discovery.targets.append(&mut into_inner(targets));
    let mut notes = into_inner(notes);
    // Helm templates would be Kubernetes manifests once rendered: a run for other kinds does not miss them.
    let charts = if options.wants(Format::Kubernetes) { into_inner(charts) } else { BTreeSet::new() };
    notes.extend(charts.into_iter().map(|chart| {
        Note::warning(
            display(&chart.join("templates")),
            "Helm templates are not plain YAML and are not linted; lint the rendered chart instead: \
             `helm template <chart> | plimsoll check -`",
        )
    }));
    // Walker threads finish in any order; sorting keeps stderr reproducible.
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    discovery.notes.append(&mut notes);
}

/// The chart directory when `path` is under a Helm chart's `templates/` (a directory next to a
/// `Chart.yaml`).
fn helm_chart(path: &Path) -> Option<PathBuf> {
    let templates = path.ancestors().skip(1).find(|dir| dir.file_name().is_some_and(|n| n == "templates"))?;
    let chart = templates.parent()?;
    chart.join("Chart.yaml").is_file().then(|| chart.to_path_buf())
}

/// A YAML or JSON file found by the walk, read now to learn its kind (a Kubernetes manifest, a Compose
/// file with another name); `None` for other YAML, which is not ours to lint. A file that cannot be read is
/// an error: it may well be a manifest, and the report would silently lack it.
fn sniffed(path: &Path) -> Result<Option<Target>, Note> {
    let unreadable = |err: std::io::Error| Note::error(display(path), io_message(&err));
    let source = read::source(path).map_err(unreadable)?;
    let format = match source.too_large {
        Some(_) => kind_from_content(&read::head(path).map_err(unreadable)?),
        None => kind_from_content(&source.text),
    };
    // Read again when linted (see `explicit`).
    drop(source);
    Ok(format.map(|format| Target::file(path, format)))
}

/// A poisoned lock only means another walker thread panicked after pushing; its data is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A walk error as `PATH: message`, with the innermost path the error names. An unreadable directory is an
/// error (its files are missing from the report); a link loop met with `--follow-symlinks` only a warning, as
/// the loop leads back to a directory the walk reads anyway, and so is a link to nothing.
fn walk_error(err: &ignore::Error, root: &Path) -> Note {
    fn describe(err: &ignore::Error, path: &Path) -> Note {
        match err {
            ignore::Error::WithPath { path, err } => describe(err, path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                describe(err, path)
            }
            ignore::Error::Loop { child, .. } => {
                Note::warning(display(child), "symbolic link loop; not followed")
            }
            ignore::Error::Io(err) if err.kind() == std::io::ErrorKind::NotFound && is_symlink(path) => {
                Note::warning(display(path), "symbolic link to nothing; skipped")
            }
            ignore::Error::Io(err) => Note::error(display(path), io_message(err)),
            other => Note::error(display(path), other.to_string()),
        }
    }
    describe(err, root)
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::display;
    use std::path::Path;

    #[test]
    fn display_strips_leading_dot_slash() {
        assert_eq!(display(Path::new("./Dockerfile")), "Dockerfile");
        assert_eq!(display(Path::new(".//a/Dockerfile")), "a/Dockerfile");
        assert_eq!(display(Path::new("../x/Dockerfile")), "../x/Dockerfile");
        assert_eq!(display(Path::new(".")), ".");
        assert_eq!(display(Path::new("./")), "./");
    }
}
