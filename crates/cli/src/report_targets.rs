//! `--format FORMAT[=PATH]`: which reports a run writes, and where. Several may be given
//! (`--format sarif=results.sarif --format gitlab=gl-code-quality.json --format full`); at most one writes
//! to standard output. Reports are written as files are linted (the run never holds every file), and files
//! are written through a temporary file in the same directory, renamed into place when the run ends, so a
//! failure never leaves a half-written report where CI looks for one.

use std::collections::HashSet;
use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use plimsoll_diagnostic::RuleMeta;
use plimsoll_output::{FileFindings, OutputFormat, Preamble, RenderOptions, ReportWriter, Summary};

use crate::atomic::AtomicFile;

/// One `--format` value: a format and the file it goes to (standard output when `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: OutputFormat,
    pub path: Option<PathBuf>,
}

impl ReportTarget {
    /// Parses `FORMAT` or `FORMAT=PATH` (clap's value parser).
    pub fn parse(value: &str) -> Result<ReportTarget, String> {
        let (name, path) = match value.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (value, None),
        };
        let format: OutputFormat = name.trim().parse()?;
        let path = match path {
            None => None,
            Some("") => {
                return Err(format!("`{value}` names no file after `=` (use `{name}` for standard output)"));
            }
            // `-` is the usual spelling of standard output.
            Some("-") => None,
            Some(path) => Some(PathBuf::from(path)),
        };
        Ok(ReportTarget { format, path })
    }
}

impl fmt::Display for ReportTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}={}", self.format, path.display()),
            None => write!(f, "{}", self.format),
        }
    }
}

/// Checks before linting that the targets can be written: at most one to standard output, no file named
/// twice, and every file in an existing directory and not a directory itself.
pub fn validate(targets: &[ReportTarget]) -> Result<(), String> {
    let to_stdout: Vec<String> =
        targets.iter().filter(|t| t.path.is_none()).map(ToString::to_string).collect();
    if to_stdout.len() > 1 {
        return Err(format!(
            "only one report can go to standard output, but {} would (`{}`); give the others a file: \
             `--format {}=PATH`",
            to_stdout.len(),
            to_stdout.join("`, `"),
            to_stdout[1]
        ));
    }
    let mut seen = HashSet::new();
    for path in targets.iter().filter_map(|t| t.path.as_deref()) {
        if !seen.insert(path) {
            return Err(format!("`{}` is named by two `--format` options", path.display()));
        }
        if path.is_dir() {
            return Err(format!("cannot write a report to `{}`: it is a directory", path.display()));
        }
        let directory = parent(path);
        if !directory.is_dir() {
            return Err(format!(
                "cannot write a report to `{}`: the directory `{}` does not exist",
                path.display(),
                directory.display()
            ));
        }
    }
    Ok(())
}

/// Whether any report goes to standard output (otherwise the run prints its summary on standard error).
pub fn writes_stdout(targets: &[ReportTarget]) -> bool {
    targets.iter().any(|target| target.path.is_none())
}

/// Every report of a run, written file by file.
pub struct Outputs {
    reports: Vec<Output>,
}

struct Output {
    writer: ReportWriter,
    sink: Sink,
    /// The first error writing this report; nothing more is written to it.
    failed: Option<io::Error>,
}

enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile, PathBuf),
}

impl Sink {
    fn out(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(out) => out,
            Sink::File(out, _) => out,
        }
    }
}

impl Outputs {
    /// Opens every target (files as temporaries) and writes the reports' beginnings. Colors go to standard
    /// output only.
    pub fn open(
        targets: &[ReportTarget],
        stdout_options: RenderOptions,
        rules: Vec<&'static RuleMeta>,
        root: Option<PathBuf>,
    ) -> io::Result<Outputs> {
        let mut reports = Vec::with_capacity(targets.len());
        for target in targets {
            let (options, sink) = match &target.path {
                Some(path) => {
                    let file = AtomicFile::create(path).map_err(|err| annotate(err, path))?;
                    (RenderOptions { color: false, ..stdout_options }, Sink::File(file, path.clone()))
                }
                None => (stdout_options, Sink::Stdout(BufWriter::new(io::stdout()))),
            };
            let preamble = Preamble { options, rules: rules.clone(), root: root.clone() };
            reports.push(Output { writer: ReportWriter::new(target.format, preamble), sink, failed: None });
        }
        let mut outputs = Outputs { reports };
        outputs.each(|writer, out| writer.begin(out));
        Ok(outputs)
    }

    /// Writes one linted file's findings to every report.
    pub fn file(&mut self, file: &FileFindings<'_>) {
        self.each(|writer, out| writer.file(out, file));
    }

    /// Ends every report and puts the files in place. Returns the run's counts, or the first error (a
    /// closed standard output, as in `plimsoll check | head`, is the reader's choice and not an error).
    pub fn finish(self, files_checked: usize) -> io::Result<Summary> {
        let mut summary = None;
        let mut first_error = None;
        for mut report in self.reports {
            if report.failed.is_none() {
                match report.writer.finish(report.sink.out(), files_checked) {
                    Ok(counts) => summary = Some(counts),
                    Err(err) => report.failed = Some(err),
                }
            }
            let finished = match (report.failed, report.sink) {
                (Some(err), Sink::File(_, path)) => Err(annotate(err, &path)),
                (Some(err), Sink::Stdout(_)) => Err(err),
                (None, Sink::File(file, path)) => file.commit().map_err(|err| annotate(err, &path)),
                (None, Sink::Stdout(mut out)) => out.flush(),
            };
            match finished {
                Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
                    first_error.get_or_insert(err);
                }
                _ => {}
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(summary.unwrap_or_default()),
        }
    }

    fn each(&mut self, mut write: impl FnMut(&mut ReportWriter, &mut dyn Write) -> io::Result<()>) {
        for report in &mut self.reports {
            if report.failed.is_none()
                && let Err(err) = write(&mut report.writer, report.sink.out())
            {
                report.failed = Some(err);
            }
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn annotate(err: io::Error, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(format: OutputFormat, path: Option<&str>) -> ReportTarget {
        ReportTarget { format, path: path.map(PathBuf::from) }
    }

    #[test]
    fn parses_format_and_path() {
        assert_eq!(ReportTarget::parse("sarif"), Ok(target(OutputFormat::Sarif, None)));
        assert_eq!(
            ReportTarget::parse("sarif=out/a=b.sarif"),
            Ok(target(OutputFormat::Sarif, Some("out/a=b.sarif")))
        );
        assert_eq!(ReportTarget::parse("json=-"), Ok(target(OutputFormat::Json, None)));
        assert!(ReportTarget::parse("sarif=").unwrap_err().contains("names no file"));
        assert!(ReportTarget::parse("xml=a.xml").unwrap_err().contains("unknown format `xml`"));
    }

    #[test]
    fn rejects_two_stdout_reports_and_bad_paths() {
        let two =
            validate(&[target(OutputFormat::Full, None), target(OutputFormat::Json, None)]).unwrap_err();
        assert!(
            two.contains("only one report can go to standard output") && two.contains("--format json=PATH")
        );
        let missing = validate(&[target(OutputFormat::Sarif, Some("no/such/dir/x.sarif"))]).unwrap_err();
        assert!(missing.contains("`no/such/dir` does not exist"), "{missing}");
        let directory = validate(&[target(OutputFormat::Sarif, Some("."))]).unwrap_err();
        assert!(directory.contains("is a directory"), "{directory}");
        let twice =
            validate(&[target(OutputFormat::Json, Some("a")), target(OutputFormat::Sarif, Some("a"))]);
        assert!(twice.unwrap_err().contains("named by two"));
        assert_eq!(
            validate(&[target(OutputFormat::Json, Some("a.json")), target(OutputFormat::Full, None)]),
            Ok(())
        );
    }
}
