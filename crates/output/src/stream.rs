//! A report written file by file as a run lints, so the run never holds every file's text: each format
//! writes what it can as soon as a file is done. The output is byte for byte what [`crate::Report::write`]
//! writes for the same files in the same order (it is built on this writer).
//!
//! Two formats must know every finding before their first line and keep a compact rendering of each until
//! the end (never the files' texts): GitHub's annotations (how many of each level fit in GitHub's budget
//! decides how each is written) and JUnit (its root element counts the failures).

use std::io::{self, Write};
use std::path::PathBuf;

use plimsoll_diagnostic::RuleMeta;

use crate::json_array::JsonArray;
use crate::{
    FileFindings, OutputFormat, RenderOptions, Summary, checkstyle, concise, full, github, gitlab, json,
    junit, sarif,
};

/// What the run knows before its first file: how to render, which rules it enabled, which directory paths
/// are relative to.
#[derive(Clone, Debug)]
pub struct Preamble {
    pub options: RenderOptions,
    /// The rules the run enabled, which SARIF describes whether they fired or not.
    pub rules: Vec<&'static RuleMeta>,
    /// See [`crate::Report::with_root`].
    pub root: Option<PathBuf>,
}

/// One report target's writer: [`ReportWriter::begin`], then [`ReportWriter::file`] for each file in report
/// order (by path), then [`ReportWriter::finish`].
pub struct ReportWriter {
    state: State,
    summary: Summary,
    options: RenderOptions,
}

enum State {
    Full,
    Concise,
    Json(JsonArray),
    Sarif(sarif::Stream),
    Gitlab(gitlab::Stream),
    Github(github::Stream),
    Checkstyle,
    Junit(junit::Stream),
}

impl ReportWriter {
    pub fn new(format: OutputFormat, mut preamble: Preamble) -> ReportWriter {
        preamble.rules.sort_by_key(|rule| rule.code);
        preamble.rules.dedup_by_key(|rule| rule.code);
        let root = preamble.root.take();
        let state = match format {
            OutputFormat::Full => State::Full,
            OutputFormat::Concise => State::Concise,
            OutputFormat::Json => State::Json(json::stream()),
            OutputFormat::Sarif => State::Sarif(sarif::Stream::new(preamble.rules, root)),
            OutputFormat::Gitlab => State::Gitlab(gitlab::Stream::new(root)),
            OutputFormat::Github => State::Github(github::Stream::new(root)),
            OutputFormat::Checkstyle => State::Checkstyle,
            OutputFormat::Junit => State::Junit(junit::Stream::default()),
        };
        ReportWriter { state, summary: Summary::default(), options: preamble.options }
    }

    pub fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match &mut self.state {
            State::Json(array) => array.begin(out),
            State::Sarif(stream) => stream.begin(out),
            State::Gitlab(stream) => stream.begin(out),
            State::Checkstyle => checkstyle::begin(out),
            State::Full | State::Concise | State::Github(_) | State::Junit(_) => Ok(()),
        }
    }

    /// Writes one file's findings (a file without findings writes nothing but is not counted as checked:
    /// [`ReportWriter::finish`] takes that count).
    pub fn file(&mut self, out: &mut dyn Write, file: &FileFindings<'_>) -> io::Result<()> {
        self.summary.add(file);
        match &mut self.state {
            State::Full => full::write(out, std::slice::from_ref(file), self.options),
            State::Concise => concise::write(out, std::slice::from_ref(file)),
            State::Json(array) => json::file(array, out, file),
            State::Sarif(stream) => stream.file(out, file),
            State::Gitlab(stream) => stream.file(out, file),
            State::Github(stream) => {
                stream.file(file);
                Ok(())
            }
            State::Checkstyle => checkstyle::file(out, file),
            State::Junit(stream) => {
                stream.file(file);
                Ok(())
            }
        }
    }

    /// Ends the report; `files_checked` is how many files the run linted. Returns the run's counts.
    pub fn finish(mut self, out: &mut dyn Write, files_checked: usize) -> io::Result<Summary> {
        self.summary.files_checked = files_checked;
        let summary = self.summary;
        match self.state {
            State::Full | State::Concise => writeln!(out, "{summary}")?,
            State::Json(array) => {
                array.finish(out)?;
                writeln!(out)?;
            }
            State::Sarif(stream) => stream.finish(out)?,
            State::Gitlab(stream) => stream.finish(out)?,
            State::Github(stream) => stream.finish(out, summary)?,
            State::Checkstyle => checkstyle::finish(out)?,
            State::Junit(stream) => stream.finish(out, summary)?,
        }
        Ok(summary)
    }
}
