//! Shell code parsed into the simple commands it runs.
//!
//! Rules ask "which commands run, with which arguments" — never grep raw text. A [`Script`] is a flat list
//! of [`Command`]s in source order, each with its argv [`Word`]s and exact byte ranges, found through `&&`,
//! `||`, `;`, pipelines, subshells, `$(…)`, `<(…)`, `if`/`for`/`while` bodies, functions, the script of
//! `sh -c '…'` and shell heredocs such as `bash <<EOF`. Parsing is total: broken shell yields the commands
//! that could be recognised plus [`Script::errors`].

mod ast;
mod parse;

pub use ast::{Assignment, Command, CommandId, Context, Pipeline, Redirect, Script, Word, basename};
pub use parse::{ParseOptions, parse_argv, parse_script};
