//! `plimsoll check`: discover, lint in parallel, report, and pick the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use plimsoll_config::{Config, Layer, Linters, Mode, Resolver};
use plimsoll_diagnostic::{Format, RuleMeta, Severity};
use plimsoll_linter::Linter;
use plimsoll_output::{FileFindings, RenderOptions};

use crate::args::{CheckArgs, ColorArg};
use crate::baseline::{self, Baseline};
use crate::cache::{self, Cache};
use crate::discover::Target;
use crate::exit::Exit;
use crate::lint::{Linted, Outcome};
use crate::notes::{self, Level, Note};
use crate::related::Related;
use crate::report_targets::Outputs;
use crate::{discover, lint, ordered, project, report_targets, selectors};

/// How many times files pulled in by other files (Compose `include`) are followed.
const MAX_INCLUDE_ROUNDS: usize = 16;

/// What a `baseline` subcommand does with the run's findings instead of reporting them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineAction {
    Create,
    Update,
}

/// Lints what `args` name and reports the findings as files are linted, or, with `baseline`, writes them to
/// the baseline.
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
    let mut cache =
        cache::chosen_dir(args.cache_dir.as_deref(), args.no_cache).and_then(|dir| Cache::open(&dir));
    let mut targets = discovery.targets;
    let run = pool.install(|| project::gather(&root_linter, &mut targets, cache.as_mut()));
    // After the project pass, so Kubernetes checks still join the facts of every shard's manifests.
    if let Some(shard) = args.shard {
        shard.select(&mut targets);
    }
    // Every file's linter is built before the first is linted, so the reports' preambles (SARIF's rules)
    // know every rule the run enables.
    let mut round = pair(targets, &mut linters, &configs);
    if configuration_failed(&configs) {
        return Exit::Error;
    }
    let mut sink = match baseline {
        Some(_) => Sink::Baseline(Vec::new()),
        None => {
            let options = RenderOptions { color: use_color(args.color), ..RenderOptions::default() };
            let root = std::env::current_dir().ok();
            match Outputs::open(&args.format, options, linters.enabled_rules(), root) {
                Ok(outputs) => Sink::Report(outputs),
                Err(err) => {
                    notes::error(format_args!("cannot write the report: {}", notes::io_message(&err)));
                    return Exit::Error;
                }
            }
        }
    };
    let mut tally = Tally::default();
    // Included files can include more; each file is linted once, so this ends. The bound is a backstop.
    // Files only other files pull in are linted in later rounds and so come after the others in the report.
    for _ in 0..MAX_INCLUDE_ROUNDS {
        if round.is_empty() {
            break;
        }
        let mut next: Vec<Target> = Vec::new();
        ordered::map_in_order(
            &pool,
            round,
            |(target, linter)| lint::lint(&linter, target, &run, cache.as_ref()),
            |outcome| match outcome {
                Outcome::Linted(mut file) => {
                    tally.checked += 1;
                    if args.verbose {
                        let skipped = file.skipped.drain(..).map(|s| Note::info(file.path.as_str(), s));
                        tally.skipped.extend(skipped);
                    }
                    let format = file.format;
                    next.extend(file.related.drain(..).filter_map(|path| related.target(&path, format)));
                    if let Some(accepted) = &accepted {
                        tally.held_back += accepted.filter(&mut file);
                    }
                    if file.diagnostics.is_empty() {
                        return;
                    }
                    // Each file fails at its own configuration's `fail-on` (teams in a monorepo differ);
                    // `--fail-on` wins.
                    let fail_on = args.fail_on.map(Severity::from).unwrap_or_else(|| {
                        linters
                            .fail_on(&config_of(&file.path, file.format, &configs))
                            .unwrap_or(Severity::Info)
                    });
                    tally.failing |= file.diagnostics.iter().any(|d| d.severity >= fail_on);
                    match &mut sink {
                        Sink::Report(outputs) => outputs.file(&FileFindings::new(
                            file.path.as_str(),
                            &file.text,
                            &file.diagnostics,
                        )),
                        Sink::Baseline(linted) => linted.push(file),
                    }
                }
                Outcome::Failed(note) => tally.failures.push(note),
            },
        );
        next.sort_by(|a, b| a.path.cmp(&b.path));
        round = pair(next, &mut linters, &configs);
        // Files pulled in by others (Compose `include`) can live under a configuration not read before.
        if configuration_failed(&configs) {
            return Exit::Error;
        }
    }
    if let Some(cache) = cache {
        cache.finish(args.verbose);
    }
    tally.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    notes::print(&tally.skipped);
    notes::print(&tally.failures);
    incomplete |= !tally.failures.is_empty();

    let outputs = match sink {
        Sink::Baseline(mut linted) => {
            let action = baseline.expect("a baseline sink only for baseline commands");
            return write_baseline(action, args.baseline.as_deref(), &mut linted, incomplete);
        }
        Sink::Report(outputs) => outputs,
    };
    if tally.held_back > 0 {
        let path = args.baseline.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        let findings = if tally.held_back == 1 { "finding is" } else { "findings are" };
        notes::print(&[Note::info(
            path,
            format!("{} {findings} in the baseline and not reported", tally.held_back),
        )]);
    }
    match outputs.finish(tally.checked) {
        Ok(summary) => {
            if !report_targets::writes_stdout(&args.format) {
                // CI logs should say something even when every report went to a file.
                let _ = writeln!(io::stderr().lock(), "{summary}");
            }
        }
        Err(err) => {
            notes::error(format_args!("cannot write the report: {}", notes::io_message(&err)));
            return Exit::Error;
        }
    }

    if incomplete {
        Exit::Error
    } else if tally.failing {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// Where linted files go: the reports, or, for `baseline create`/`update`, a list to write the baseline from.
enum Sink {
    Report(Outputs),
    Baseline(Vec<Linted>),
}

/// What a run counts and collects besides its reports.
#[derive(Default)]
struct Tally {
    checked: usize,
    /// Findings held back because the baseline holds them.
    held_back: usize,
    /// Whether a finding reached its file's `fail-on` severity.
    failing: bool,
    /// What was read but not checked, for `--verbose`.
    skipped: Vec<Note>,
    failures: Vec<Note>,
}

/// Each target with the linter of its configuration.
fn pair(targets: Vec<Target>, linters: &mut Linters, configs: &Resolver) -> Vec<(Target, Arc<Linter>)> {
    targets
        .into_iter()
        .map(|target| {
            let linter = linters.get(&config_of(&target.path, target.format, configs));
            (target, linter)
        })
        .collect()
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
