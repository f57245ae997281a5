//! Messages for people on stderr; stdout carries only the report.

use std::fmt;
use std::io::{self, Write};

use plimsoll_output::printable;

/// A warning or error about one input, collected during a parallel run and printed in input order so
/// stderr is as reproducible as stdout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub level: Level,
    pub path: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Said with `--verbose`: what was read but not checked.
    Info,
    /// Something was skipped; the exit code is unaffected.
    Warning,
    /// The report is incomplete; the run exits 2.
    Error,
}

impl Note {
    pub fn info(path: impl Into<String>, message: impl Into<String>) -> Note {
        Note { level: Level::Info, path: path.into(), message: message.into() }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Note {
        Note { level: Level::Warning, path: path.into(), message: message.into() }
    }

    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Note {
        Note { level: Level::Error, path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        // Paths and messages can quote untrusted names and content: no terminal controls pass through.
        write!(f, "{level}: {}: {}", printable(&self.path), printable(&self.message))
    }
}

pub fn print(notes: &[Note]) {
    let mut stderr = io::stderr().lock();
    for note in notes {
        // Nothing sensible is left to do when stderr itself is gone.
        let _ = writeln!(stderr, "{note}");
    }
}

/// A usage or internal error not tied to one input.
pub fn error(message: impl fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "error: {message}");
}

/// An I/O error as people read it: `No such file or directory`, without Rust's ` (os error 2)` suffix.
pub fn io_message(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}
