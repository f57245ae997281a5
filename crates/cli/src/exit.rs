use std::process::ExitCode;

/// The process outcome, in order of precedence: a run that hit an error exits 2 even if it also found
/// problems, because its report is incomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Findings at or above `--fail-on`.
    Findings = 1,
    /// Usage, configuration, I/O or internal error (clap's own usage errors exit 2 as well).
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
