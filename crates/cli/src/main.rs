//! `plimsoll`: a security linter for container infrastructure. `check` lints files, `rules` lists the rules,
//! `rule ID` explains one, `config` shows the settings that apply, `server` is the language server, `merge`
//! joins the reports of sharded runs.

mod args;
mod atomic;
mod baseline;
mod cache;
mod check;
mod config_cmd;
mod discover;
mod exit;
mod lint;
mod merge;
mod notes;
mod ordered;
mod project;
mod read;
mod related;
mod report_targets;
mod rule_cmd;
mod rules_cmd;
mod selectors;
mod shard;

use std::process::ExitCode;

// tree-sitter and the syntax trees allocate many small objects per file; mimalloc serves them markedly faster
// than the system allocator (measured on the Dockerfile corpus).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

use crate::args::{BaselineCommand, Cli, Command};
use crate::exit::Exit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Panics while linting a file are caught per file (see `lint`); this catches the rest, so a bug anywhere
    // still ends in exit code 2 and a message rather than Rust's default 101.
    let run = std::panic::catch_unwind(move || match cli.command {
        Command::Check(args) => check::run(args, None),
        Command::Baseline(BaselineCommand::Create(args) | BaselineCommand::Update(args))
            if args.shard.is_some() =>
        {
            shard::refuse_for_baseline()
        }
        Command::Baseline(command) => match command {
            BaselineCommand::Create(args) => check::run(args, Some(check::BaselineAction::Create)),
            BaselineCommand::Update(args) => check::run(args, Some(check::BaselineAction::Update)),
        },
        Command::Rules(args) => rules_cmd::run(&args),
        Command::Rule(args) => rule_cmd::run(&args),
        Command::Config(command) => config_cmd::run(command),
        Command::Server(_) => server(),
        Command::Merge(args) => merge::run(&args),
    });
    let exit = run.unwrap_or_else(|payload| {
        notes::error(format_args!(
            "internal error ({}); please report this bug",
            plimsoll_linter::panic_message(&*payload)
        ));
        Exit::Error
    });
    exit.into()
}

/// `plimsoll server`: exit 0 after the client's `shutdown` and `exit`, 1 after an `exit` without
/// `shutdown` (as the protocol asks), 2 if the server could not run.
fn server() -> Exit {
    match plimsoll_server::run_stdio() {
        Ok(true) => Exit::Clean,
        Ok(false) => Exit::Findings,
        Err(message) => {
            notes::error(message);
            Exit::Error
        }
    }
}
