//! Renders the findings of a run. One module per format, each with its contract in its module doc:
//!
//! - [`OutputFormat::Full`]: a graphical report per finding (miette) with the source snippet, then a summary;
//! - [`OutputFormat::Concise`]: one `path:line:col: CODE message` line per finding, then a summary;
//! - [`OutputFormat::Json`]: a versioned JSON document for machines (see [`json`]);
//! - [`OutputFormat::Sarif`]: SARIF 2.1.0 as GitHub code scanning accepts it: one run, every enabled rule
//!   with its documentation, full regions, repo-relative URIs, line-independent `partialFingerprints`, and
//!   `results: []` when clean (see [`sarif`]);
//! - [`OutputFormat::Github`]: GitHub Actions workflow commands (`::error file=…,line=…::…`), at most as many
//!   annotations as GitHub shows per step and then a summary (see [`github`]);
//! - [`OutputFormat::Gitlab`]: a GitLab Code Quality report with line-independent fingerprints (see
//!   [`gitlab`]);
//! - [`OutputFormat::Checkstyle`]: checkstyle 4.3 XML (see [`checkstyle`]);
//! - [`OutputFormat::Junit`]: JUnit XML as GitLab and Jenkins read it (see [`junit`]).
//!
//! Human formats never pass control characters from the linted files (or their names) to the terminal;
//! see [`printable`]. The XML formats write characters XML 1.0 forbids as visible escapes, so a control
//! character in a linted file cannot make the document invalid.
//!
//! Every format is byte-stable: files are ordered by path and findings by position, then code, whatever order
//! the caller (and its threads) produced them in; rules are ordered by code. Nothing depends on the clock,
//! the machine or the working directory, except that paths under [`Report::with_root`] are made relative.

pub mod checkstyle;
mod concise;
mod file;
pub mod fingerprint;
mod full;
pub mod github;
pub mod gitlab;
pub mod json;
mod json_array;
pub mod junit;
mod location;
mod printable;
pub mod sarif;
mod stream;
mod summary;
#[cfg(test)]
mod test_support;
mod xml;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::str::FromStr;

use plimsoll_diagnostic::RuleMeta;

pub use file::FileFindings;
pub use fingerprint::Fingerprint;
pub use printable::printable;
pub use stream::{Preamble, ReportWriter};
pub use summary::Summary;

/// The report formats of `plimsoll check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Full,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Checkstyle,
    Junit,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 8] = [
        OutputFormat::Full,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Checkstyle,
        OutputFormat::Junit,
    ];

    /// The name on the command line and in configuration.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Full => "full",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Checkstyle => "checkstyle",
            OutputFormat::Junit => "junit",
        }
    }

    /// What the format is for, for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            OutputFormat::Full => "source snippets with labels and help",
            OutputFormat::Concise => "one `path:line:col: CODE message` line per finding",
            OutputFormat::Json => "a versioned JSON document",
            OutputFormat::Sarif => "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers",
            OutputFormat::Github => "GitHub Actions annotations (workflow commands)",
            OutputFormat::Gitlab => "a GitLab Code Quality report",
            OutputFormat::Checkstyle => "checkstyle 4.3 XML",
            OutputFormat::Junit => "JUnit XML, one test case per finding",
        }
    }

    /// Whether the format is read by people (and so ends with the summary line and may use color).
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL.into_iter().find(|format| format.name().eq_ignore_ascii_case(name)).ok_or_else(
            || {
                let names: Vec<&str> = OutputFormat::ALL.iter().map(|format| format.name()).collect();
                format!("unknown format `{name}` (expected one of: {})", names.join(", "))
            },
        )
    }
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
    /// The rules the run enabled, sorted by code: SARIF describes each, whether it fired or not.
    rules: Vec<&'static RuleMeta>,
    /// The directory paths are relative to (the working directory): absolute paths under it are shown
    /// relative to it where CI systems expect repository-relative paths.
    root: Option<PathBuf>,
}

impl<'a> Report<'a> {
    /// `files` are the files with findings (others may be included; they render nothing); `files_checked` is
    /// how many files the run linted, for the summary line.
    pub fn new(mut files: Vec<FileFindings<'a>>, files_checked: usize) -> Report<'a> {
        files.sort_by(|a, b| a.path().cmp(b.path()));
        Report { files, files_checked, rules: Vec::new(), root: None }
    }

    /// The rules the run had enabled (SARIF lists them all, with their documentation). Rules of findings
    /// are described even when missing here.
    pub fn with_rules(mut self, rules: Vec<&'static RuleMeta>) -> Report<'a> {
        self.rules = rules;
        self
    }

    /// The directory the run's paths are relative to: SARIF, GitHub and GitLab report absolute paths under
    /// it relative to it, as those systems expect paths relative to the repository checked out there.
    pub fn with_root(mut self, root: impl Into<PathBuf>) -> Report<'a> {
        self.root = Some(root.into());
        self
    }

    pub fn files(&self) -> &[FileFindings<'a>] {
        &self.files
    }

    pub fn summary(&self) -> Summary {
        Summary::new(&self.files, self.files_checked)
    }

    /// Writes the whole report, summary included for the human formats.
    pub fn write(&self, out: &mut dyn Write, format: OutputFormat, options: RenderOptions) -> io::Result<()> {
        // Rules of findings are described even when the caller did not list them as enabled.
        let mut rules = self.rules.clone();
        rules.extend(self.files.iter().flat_map(|file| file.sorted()).map(|diagnostic| diagnostic.rule));
        let preamble = Preamble { options, rules, root: self.root.clone() };
        let mut writer = ReportWriter::new(format, preamble);
        writer.begin(out)?;
        for file in &self.files {
            writer.file(out, file)?;
        }
        writer.finish(out, self.files_checked).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::OutputFormat;

    #[test]
    fn format_names_parse_back() {
        for format in OutputFormat::ALL {
            assert_eq!(format.name().parse::<OutputFormat>(), Ok(format));
        }
        assert_eq!("SARIF".parse::<OutputFormat>(), Ok(OutputFormat::Sarif));
        let unknown = "xml".parse::<OutputFormat>().unwrap_err();
        assert!(unknown.contains("unknown format `xml`") && unknown.contains("checkstyle"), "{unknown}");
    }
}
