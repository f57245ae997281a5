//! `plimsoll merge FILE... [--output PATH]`: joins the reports of a sharded run (`check --shard K/N`) into
//! the report one unsharded run would have written, byte for byte: our JSON reports into one JSON report,
//! SARIF logs into one log with one run (GitHub code scanning takes one run per tool and upload).
//!
//! Files are ordered by path and each file keeps the order of its findings, as `check` writes them; SARIF
//! rules are deduplicated by id and sorted, and every result's `ruleIndex` points into the merged list.
//! Neither format carries counts to recompute (the summary line belongs to the human formats). A file
//! linted by several shards (a Compose file included from files in different shards is linted by each
//! includer's shard) has its findings once. Mixed formats, reports of different plimsoll versions (SARIF
//! names the tool's version; our JSON report only its own document version) and anything `check` did not
//! write are refused.

mod ordered_json;
mod report;
mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Exit;
use crate::notes;
use ordered_json::Json;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The reports to merge: all `--format json` or all `--format sarif`, from one plimsoll version.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Write the merged report to this file instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// A report read back, with the file it came from for messages.
struct Input {
    path: String,
    json: Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Json,
    Sarif,
}

impl Kind {
    fn of(json: &Json) -> Option<Kind> {
        if json.get("runs").is_some() && json.get("$schema").is_some() {
            Some(Kind::Sarif)
        } else if json.get("diagnostics").is_some() && json.get("version").is_some() {
            Some(Kind::Json)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Json => "a JSON report",
            Kind::Sarif => "a SARIF log",
        }
    }
}

pub fn run(args: &MergeArgs) -> Exit {
    match merge(&args.files).and_then(|merged| write(&merged, args.output.as_deref())) {
        Ok(()) => Exit::Clean,
        Err(message) => {
            notes::error(message);
            Exit::Error
        }
    }
}

/// The merged report, rendered as `check` renders reports: pretty-printed, ending with a newline.
fn merge(files: &[PathBuf]) -> Result<Vec<u8>, String> {
    let inputs = files.iter().map(|path| read(path)).collect::<Result<Vec<_>, _>>()?;
    let first = &inputs[0];
    let kind = Kind::of(&first.json).ok_or_else(|| not_a_report(&first.path))?;
    for input in &inputs[1..] {
        let other = Kind::of(&input.json).ok_or_else(|| not_a_report(&input.path))?;
        if other != kind {
            return Err(format!(
                "cannot merge {} ({}) with {} ({}): give reports of one format",
                kind.name(),
                first.path,
                other.name(),
                input.path
            ));
        }
    }
    let merged = match kind {
        Kind::Json => report::merge(inputs)?,
        Kind::Sarif => sarif::merge(inputs)?,
    };
    let mut bytes = serde_json::to_vec_pretty(&merged).map_err(|err| err.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn read(path: &Path) -> Result<Input, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {shown}: {}", notes::io_message(&err)))?;
    let json = serde_json::from_str(&text).map_err(|err| format!("{shown} is not JSON: {err}"))?;
    Ok(Input { path: shown, json })
}

fn not_a_report(path: &str) -> String {
    format!("{path} is neither a JSON report nor a SARIF log written by `plimsoll check`")
}

/// Checks that every input has the same value at `keys` (a version), naming the first that differs.
fn same_everywhere(inputs: &[Input], keys: &[&str], what: &str) -> Result<(), String> {
    let first = inputs[0].json.at(keys);
    for input in &inputs[1..] {
        let value = input.json.at(keys);
        if value != first {
            let show = |value: Option<&Json>| value.map_or("none".to_string(), describe);
            return Err(format!(
                "cannot merge reports of different {what}: {} has {}, {} has {}",
                inputs[0].path,
                show(first),
                input.path,
                show(value)
            ));
        }
    }
    Ok(())
}

fn describe(value: &Json) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The items of every input (a finding, a SARIF result) in file order. `file_of` names the file an item
/// belongs to, as a key that sorts like the paths `check` sorts. Each file's items keep their report's
/// order; a file that several inputs report (each includer's shard lints an included Compose file) is
/// taken from the first, plus any item a later one adds.
fn by_file(
    inputs: impl IntoIterator<Item = Vec<Json>>,
    file_of: impl Fn(&Json) -> Result<String, String>,
) -> Result<Vec<Json>, String> {
    let mut files: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    for items in inputs {
        let mut this_input: BTreeMap<String, Vec<Json>> = BTreeMap::new();
        for item in items {
            this_input.entry(file_of(&item)?).or_default().push(item);
        }
        for (file, items) in this_input {
            match files.get_mut(&file) {
                None => {
                    files.insert(file, items);
                }
                Some(merged) => {
                    if *merged != items {
                        let new: Vec<Json> =
                            items.into_iter().filter(|item| !merged.contains(item)).collect();
                        merged.extend(new);
                    }
                }
            }
        }
    }
    Ok(files.into_values().flatten().collect())
}

/// Writes through a temporary file (as `check` writes reports), or to standard output.
fn write(bytes: &[u8], output: Option<&Path>) -> Result<(), String> {
    match output {
        Some(path) => crate::atomic::write(path, bytes)
            .map_err(|err| format!("cannot write {}: {}", path.display(), notes::io_message(&err))),
        None => {
            let mut stdout = io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                // A closed pipe (`plimsoll merge … | head`) is the reader's choice.
                Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the report: {}", notes::io_message(&err)))
                }
                _ => Ok(()),
            }
        }
    }
}
