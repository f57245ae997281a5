//! Renders the findings of a run. One module per format:
//!
//! - [`OutputFormat::Full`]: a graphical report per finding (miette) with the source snippet, then a summary;
//! - [`OutputFormat::Concise`]: one `path:line:col: CODE message` line per finding, then a summary;
//! - [`OutputFormat::Json`]: a versioned JSON document for machines (see [`json`] for the contract).
//!
//! Human formats never pass control characters from the linted files (or their names) to the terminal;
//! see [`printable`].
//!
//! Every format is byte-stable: files are ordered by path and findings by position, then code, whatever order
//! the caller (and its threads) produced them in.

mod concise;
mod file;
pub mod fingerprint;
mod full;
pub mod json;
mod printable;
mod summary;
#[cfg(test)]
mod test_support;

use std::io::{self, Write};

pub use file::FileFindings;
pub use fingerprint::Fingerprint;
pub use printable::printable;
pub use summary::Summary;

/// The report formats of `plimsoll check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Full,
    Concise,
    Json,
}

/// How the terminal formats look; ignored by machine formats.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// ANSI colors in the full format (the caller decides from `--color`, `NO_COLOR` and the terminal).
    pub color: bool,
    /// Width at which messages and help texts wrap in the full format.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, width: 100 }
    }
}

/// The findings of one run, ready to render in any format.
#[derive(Debug)]
pub struct Report<'a> {
    files: Vec<FileFindings<'a>>,
    files_checked: usize,
}

impl<'a> Report<'a> {
    /// `files` are the files with findings (others may be included; they render nothing); `files_checked` is
    /// how many files the run linted, for the summary line.
    pub fn new(mut files: Vec<FileFindings<'a>>, files_checked: usize) -> Report<'a> {
        files.sort_by(|a, b| a.path().cmp(b.path()));
        Report { files, files_checked }
    }

    pub fn files(&self) -> &[FileFindings<'a>] {
        &self.files
    }

    pub fn summary(&self) -> Summary {
        Summary::new(&self.files, self.files_checked)
    }

    /// Writes the whole report, summary included for the human formats.
    pub fn write(&self, out: &mut dyn Write, format: OutputFormat, options: RenderOptions) -> io::Result<()> {
        match format {
            OutputFormat::Full => {
                full::write(out, &self.files, options)?;
                writeln!(out, "{}", self.summary())
            }
            OutputFormat::Concise => {
                concise::write(out, &self.files)?;
                writeln!(out, "{}", self.summary())
            }
            OutputFormat::Json => json::write(out, &self.files),
        }
    }
}
