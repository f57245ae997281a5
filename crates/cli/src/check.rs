//! `plimsoll check`: discover, lint in parallel, report, and pick the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use plimsoll_config::{Config, Layer, Linters, Mode, Resolver};
use plimsoll_diagnostic::{Format, RuleMeta, Severity};
use plimsoll_linter::Linter;
use plimsoll_output::{FileFindings, RenderOptions, Report};
use rayon::prelude::*;

use crate::args::{CheckArgs, ColorArg};
use crate::baseline::{self, Baseline};
use crate::discover::Target;
use crate::exit::Exit;
use crate::lint::{Linted, Outcome};
use crate::notes::{self, Level, Note};
use crate::related::Related;
use crate::{discover, lint, project, report_targets, selectors};

/// How many times files pulled in by other files (Compose `include`) are followed.
const MAX_INCLUDE_ROUNDS: usize = 16;

/// What a `baseline` subcommand does with the run's findings instead of reporting them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineAction {
    Create,
    Update,
}

/// Lints what `args` name and reports the findings, or, with `baseline`, writes them to the baseline.
pub fn run(args: CheckArgs, baseline: Option<BaselineAction>) -> Exit {
    // A bad baseline is a usage error found before any linting.
    let accepted = match (&args.baseline, baseline) {
        (Some(path), None) => match Baseline::load(path) {
            Ok(accepted) => Some(accepted),
            Err(message) => {
                notes::error(message);
                return Exit::Error;
            }
        },
        _ => None,
    };
    let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
    let (cli, configs) = match configuration(&args, &rules) {
        Ok(found) => found,
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

    let discovery = discover::discover(&args.paths, &discover::Options::new(&args, threads), &configs);
    // A configuration error stops the run before anything is linted: linting with half a configuration
    // would report what the team meant to silence, or miss what it meant to check.
    if configuration_failed(&configs) {
        return Exit::Error;
    }
    notes::print(&discovery.notes);
    let mut incomplete = discovery.notes.iter().any(|note| note.level == Level::Error);
    if discovery.targets.is_empty() && discovery.notes.is_empty() && discovery.filtered == 0 {
        // An empty run usually means a wrong path or an unusual file name; say so rather than pass quietly.
        let paths = args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        notes::print(&[Note::warning(
            paths,
            "no files to lint (Dockerfiles and Compose files are found by name: Dockerfile, Containerfile, \
             *.dockerfile, Dockerfile.*, compose.yaml, docker-compose.yml; Kubernetes manifests by content)",
        )]);
    }

    let mut linters = Linters::new(plimsoll_rules::all(), cli);
    let root = configs.root();
    // Kubernetes facts join objects across files, so one linter reads them all: the working directory's.
    let root_linter = linters.get(&root);
    let mut related = Related::new(discovery.targets.iter().map(|t| t.path.as_str()));
    let (mut targets, run) = pool.install(|| project::gather(&root_linter, discovery.targets));
    // After the project pass, so Kubernetes checks still join the facts of every shard's manifests.
    if let Some(shard) = args.shard {
        shard.select(&mut targets);
    }
    let mut checked = 0;
    let mut linted: Vec<Linted> = Vec::new();
    let mut failures: Vec<Note> = Vec::new();
    let mut skipped: Vec<Note> = Vec::new();
    // Included files can include more; each file is linted once, so this ends. The bound is a backstop.
    for _ in 0..MAX_INCLUDE_ROUNDS {
        if targets.is_empty() {
            break;
        }
        let paired: Vec<(Target, Arc<Linter>)> = targets
            .into_iter()
            .map(|target| {
                let linter = linters.get(&config_of(&target.path, target.format, &configs));
                (target, linter)
            })
            .collect();
        // Files pulled in by others (Compose `include`) can live under a configuration not read before.
        if configuration_failed(&configs) {
            return Exit::Error;
        }
        let outcomes: Vec<Outcome> = pool.install(|| {
            paired.into_par_iter().map(|(target, linter)| lint::lint(&linter, target, &run)).collect()
        });
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

    if let Some(action) = baseline {
        return write_baseline(action, args.baseline.as_deref(), &mut linted, incomplete);
    }
    if let Some(accepted) = &accepted {
        let removed = accepted.filter(&mut linted);
        if removed > 0 {
            let path = args.baseline.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
            let findings = if removed == 1 { "finding is" } else { "findings are" };
            notes::print(&[Note::info(
                path,
                format!("{removed} {findings} in the baseline and not reported"),
            )]);
        }
    }

    // Each file fails at its own configuration's `fail-on` (teams in a monorepo differ); `--fail-on` wins.
    let failing = linted.iter().any(|file| {
        let fail_on = args.fail_on.map(Severity::from).unwrap_or_else(|| {
            linters.fail_on(&config_of(&file.path, file.format, &configs)).unwrap_or(Severity::Info)
        });
        file.diagnostics.iter().any(|d| d.severity >= fail_on)
    });
    let files = linted.iter().map(|f| FileFindings::new(f.path.as_str(), &f.text, &f.diagnostics)).collect();
    let enabled = linters.enabled_rules();
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

/// `baseline create`/`update`. An incomplete run (an unreadable file, a crash) writes nothing: its baseline
/// would lack that file's findings, and they would all come back as new later.
fn write_baseline(
    action: BaselineAction,
    path: Option<&std::path::Path>,
    linted: &mut [Linted],
    incomplete: bool,
) -> Exit {
    let path = path.unwrap_or(std::path::Path::new(baseline::DEFAULT_FILE));
    if incomplete {
        notes::error(format_args!("some files could not be linted; {} was not written", path.display()));
        return Exit::Error;
    }
    let written = match action {
        BaselineAction::Create => baseline::create(path, linted),
        BaselineAction::Update => baseline::update(path, linted),
    };
    match written {
        Ok(summary) => {
            notes::print(&[Note::info(path.display().to_string(), summary)]);
            Exit::Clean
        }
        Err(message) => {
            notes::error(message);
            Exit::Error
        }
    }
}

/// The command line's layer and the way configuration files are found (`--config`, `--isolated`), or a
/// usage error.
pub fn configuration(
    args: &CheckArgs,
    rules: &[&'static RuleMeta],
) -> Result<(Layer, Arc<Resolver>), String> {
    let cli = selectors::cli_layer(args, rules)?;
    let mode = match (&args.config, args.isolated) {
        (Some(path), _) => Mode::Fixed(path.clone()),
        (None, true) => Mode::Isolated,
        (None, false) => Mode::Nearest,
    };
    let configs = Resolver::new(mode, rules).map_err(|error| error.to_string())?;
    Ok((cli, Arc::new(configs)))
}

/// Prints the configuration errors met so far; whether there were any.
fn configuration_failed(configs: &Resolver) -> bool {
    let errors = configs.errors();
    for error in &errors {
        notes::error(error);
    }
    !errors.is_empty()
}

/// The configuration for a target: standard input's is the `--stdin-filename`'s directory's, else the
/// working directory's.
pub fn config_of(path: &str, format: Format, configs: &Resolver) -> Arc<Config> {
    if path == "-" {
        return configs.for_directory(Path::new("."), format);
    }
    configs.for_file(Path::new(path), format)
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
