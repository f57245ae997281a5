//! `--format FORMAT[=PATH]`: which reports a run writes, and where. Several may be given
//! (`--format sarif=results.sarif --format gitlab=gl-code-quality.json --format full`); at most one writes
//! to standard output. Every report is rendered in full before anything is written, and files are written
//! through a temporary file in the same directory and renamed into place, so a failure never leaves a
//! half-written report where CI looks for one.

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use plimsoll_output::{OutputFormat, RenderOptions, Report};

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

/// Renders every report, then writes the files and finally standard output. `stdout_options` applies to
/// the report on standard output; files never get color.
pub fn write_all(
    report: &Report<'_>,
    targets: &[ReportTarget],
    stdout_options: RenderOptions,
) -> io::Result<()> {
    let mut rendered = Vec::with_capacity(targets.len());
    for target in targets {
        let options = if target.path.is_some() {
            RenderOptions { color: false, ..stdout_options }
        } else {
            stdout_options
        };
        let mut bytes = Vec::new();
        report.write(&mut bytes, target.format, options)?;
        rendered.push(bytes);
    }
    for (target, bytes) in targets.iter().zip(&rendered) {
        if let Some(path) = &target.path {
            crate::atomic::write(path, bytes).map_err(|err| annotate(err, path))?;
        }
    }
    for (target, bytes) in targets.iter().zip(&rendered) {
        if target.path.is_none() {
            let mut stdout = io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
        }
    }
    Ok(())
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
