//! `plimsoll check`: discover, lint in parallel, report, and pick the exit code.

use std::io::{self, IsTerminal, Write};

use plimsoll_diagnostic::{RuleMeta, Severity};
use plimsoll_linter::Linter;
use plimsoll_output::{FileFindings, RenderOptions, Report};
use rayon::prelude::*;

use crate::args::{CheckArgs, ColorArg};
use crate::exit::Exit;
use crate::lint::{Linted, Outcome};
use crate::notes::{self, Level, Note};
use crate::related::Related;
use crate::{discover, lint, project, report_targets, selectors};

/// How many times files pulled in by other files (Compose `include`) are followed.
const MAX_INCLUDE_ROUNDS: usize = 16;

pub fn run(args: CheckArgs) -> Exit {
    let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
    let settings = match selectors::settings(&args, &rules) {
        Ok(settings) => settings,
        Err(message) => {
            notes::error(message);
            return Exit::Error;
        }
    };
    if let Err(message) = report_targets::validate(&args.format) {
        notes::error(message);
        return Exit::Error;
    }
    let threads = args.threads.map_or(0, |n| n.get());
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool,
        Err(err) => {
            notes::error(format_args!("cannot start worker threads: {err}"));
            return Exit::Error;
        }
    };

    let discovery = discover::discover(&args.paths, args.stdin_filename.as_deref(), threads);
    notes::print(&discovery.notes);
    let mut incomplete = discovery.notes.iter().any(|note| note.level == Level::Error);
    if discovery.targets.is_empty() && discovery.notes.is_empty() {
        // An empty run usually means a wrong path or an unusual file name; say so rather than pass quietly.
        let paths = args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        notes::print(&[Note::warning(
            paths,
            "no files to lint (Dockerfiles and Compose files are found by name: Dockerfile, Containerfile, \
             *.dockerfile, Dockerfile.*, compose.yaml, docker-compose.yml; Kubernetes manifests by content)",
        )]);
    }

    let linter = Linter::new(plimsoll_rules::all(), settings);
    let mut related = Related::new(discovery.targets.iter().map(|t| t.path.as_str()));
    let (mut targets, run) = pool.install(|| project::gather(&linter, discovery.targets));
    let mut checked = 0;
    let mut linted: Vec<Linted> = Vec::new();
    let mut failures: Vec<Note> = Vec::new();
    let mut skipped: Vec<Note> = Vec::new();
    // Included files can include more; each file is linted once, so this ends. The bound is a backstop.
    for _ in 0..MAX_INCLUDE_ROUNDS {
        if targets.is_empty() {
            break;
        }
        let outcomes: Vec<Outcome> = pool
            .install(|| targets.into_par_iter().map(|target| lint::lint(&linter, target, &run)).collect());
        targets = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Linted(mut file) => {
                    checked += 1;
                    if args.verbose {
                        skipped.extend(file.skipped.drain(..).map(|s| Note::info(file.path.as_str(), s)));
                    }
                    let format = file.format;
                    targets.extend(file.related.drain(..).filter_map(|path| related.target(&path, format)));
                    if !file.diagnostics.is_empty() {
                        linted.push(file);
                    }
                }
                Outcome::Failed(note) => failures.push(note),
            }
        }
    }
    // Later rounds append out of order; the report lists files by path.
    linted.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    notes::print(&skipped);
    notes::print(&failures);
    incomplete |= !failures.is_empty();

    let fail_on = Severity::from(args.fail_on);
    let failing = linted.iter().flat_map(|file| &file.diagnostics).any(|d| d.severity >= fail_on);
    let files = linted.iter().map(|f| FileFindings::new(f.path.as_str(), &f.text, &f.diagnostics)).collect();
    let enabled = linter.enabled_rules().iter().map(|rule| &rule.meta).collect();
    let mut report = Report::new(files, checked).with_rules(enabled);
    if let Ok(root) = std::env::current_dir() {
        report = report.with_root(root);
    }
    let options = RenderOptions { color: use_color(args.color), ..RenderOptions::default() };
    if let Err(err) = report_targets::write_all(&report, &args.format, options) {
        // A closed pipe (`plimsoll check | head`) is the reader's choice, not a failure worth a message.
        if err.kind() != io::ErrorKind::BrokenPipe {
            notes::error(format_args!("cannot write the report: {}", notes::io_message(&err)));
            return Exit::Error;
        }
    }
    if !report_targets::writes_stdout(&args.format) {
        // CI logs should say something even when every report went to a file.
        let _ = writeln!(io::stderr().lock(), "{}", report.summary());
    }

    if incomplete {
        Exit::Error
    } else if failing {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// `--color auto` colors only a terminal, and only when `NO_COLOR` is unset or empty (no-color.org);
/// an explicit `--color always` wins over `NO_COLOR`.
fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}
