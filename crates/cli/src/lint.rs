//! Linting one discovered file, with a panic in any front end or rule contained to that file.

use std::panic::{AssertUnwindSafe, catch_unwind};

use std::path::{Path, PathBuf};

use plimsoll_diagnostic::{Diagnostic, Format};
use plimsoll_linter::{FileContext, Linter, Workspace, panic_message};

use crate::cache::Cache;
use crate::discover::{Input, Target};
use crate::notes::{Note, io_message};
use crate::read;

/// A linted file: what the report needs of it.
pub struct Linted {
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Files it pulls in, to lint as its format (see [`plimsoll_linter::FileReport::related`]).
    pub related: Vec<PathBuf>,
    pub format: Format,
    /// What was read but not checked, for `--verbose`.
    pub skipped: Vec<String>,
}

pub enum Outcome {
    Linted(Linted),
    /// Unreadable, or the linter panicked: the run's report is incomplete.
    Failed(Note),
}

/// Lints one target; with a `cache`, reuses the result of an earlier run when nothing it depends on changed.
pub fn lint(linter: &Linter, target: Target, workspace: &dyn Workspace, cache: Option<&Cache>) -> Outcome {
    let source = match target.input {
        Input::Loaded(source) => *source,
        Input::Shown | Input::Path(_) => {
            let file = target.file_path().unwrap_or(Path::new(&target.path));
            match read::source(file) {
                Ok(source) => source,
                Err(err) => return Outcome::Failed(Note::error(target.path, io_message(&err))),
            }
        }
    };
    // Standard input without `--stdin-filename` has no place on disk to read neighbouring files from.
    let path = (target.path != "-").then(|| Path::new(&target.path));
    let lint = || match cache {
        Some(cache) => cache.lint(linter, &source, target.format, &target.path, path, workspace),
        None => linter.lint_in(&source, target.format, &FileContext { path, workspace }),
    };
    // The linter is shared and immutable, and `source` is dropped if this panics: nothing observes a
    // half-updated value after the unwind. (A panic stores nothing in the cache.)
    match catch_unwind(AssertUnwindSafe(lint)) {
        Ok(report) => Outcome::Linted(Linted {
            path: target.path,
            text: source.text,
            diagnostics: report.diagnostics,
            related: report.related,
            format: target.format,
            skipped: report.skipped,
        }),
        Err(payload) => Outcome::Failed(Note::error(
            target.path,
            format!("internal error while linting ({}); please report this bug", panic_message(&*payload)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::Format;
    use plimsoll_linter::{Check, Linter, Reporter, Settings, SourceCtx, SourceFile};

    use super::{Outcome, lint};
    use crate::discover::{Input, Target};

    mod panicking {
        use super::*;

        plimsoll_linter::declare_rule! {
            /// ## What it does
            /// Panics, to show that one broken rule cannot take the run down with it.
            code: "TST999",
            name: "always-panics",
            family: Syn,
            severity: Error,
            formats: [Dockerfile],
            aliases: [],
            checks: [Check::Source(boom)],
        }

        fn boom(_: &SourceCtx, _: &mut Reporter) {
            panic!("boom");
        }
    }

    #[test]
    fn a_panic_while_linting_becomes_an_error_for_that_file() {
        let linter = Linter::new(&[&panicking::RULE], Settings::default());
        let target = Target {
            path: "Dockerfile".to_string(),
            format: Format::Dockerfile,
            input: Input::Loaded(Box::new(SourceFile::from_text("FROM alpine:3.20\n"))),
        };
        match lint(&linter, target, &plimsoll_linter::NoWorkspace, None) {
            Outcome::Failed(note) => {
                assert_eq!(
                    note.to_string(),
                    "error: Dockerfile: internal error while linting (boom); please report this bug"
                );
            }
            Outcome::Linted(_) => panic!("the panic was not caught"),
        }
    }
}
