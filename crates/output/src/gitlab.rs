//! The GitLab Code Quality report (`artifacts:reports:codequality`), a JSON array of issues with the fields
//! GitLab requires:
//!
//! ```json
//! [
//!   {
//!     "description": "ISO001: Container runs as root because no user is set",
//!     "check_name": "ISO001",
//!     "fingerprint": "3f2a…",
//!     "severity": "major",
//!     "location": { "path": "app/Dockerfile", "lines": { "begin": 3, "end": 3 } }
//!   }
//! ]
//! ```
//!
//! - `description` starts with the rule code, as GitLab's merge-request widget does not show `check_name`;
//!   control and bidi characters quoted from linted files are made visible ([`crate::printable`]).
//! - `fingerprint` is the line-independent [`crate::fingerprint`]: unique per finding (repeats are told
//!   apart by occurrence) and unchanged when code moves, so GitLab neither merges two findings nor reports
//!   a moved one as fixed and new.
//! - `severity`: error → `critical`, warning → `major`, info → `info`.
//! - `location.path` is relative to the project root (see [`crate::Report::with_root`]), `/`-separated;
//!   `lines` are 1-based and `end` is the last line the finding covers.
//!
//! Pretty-printed, UTF-8 without a byte-order mark (GitLab rejects one), ending with a newline; `[]` when
//! clean.

use std::io::{self, Write};
use std::path::PathBuf;

use plimsoll_diagnostic::Severity;
use serde::Serialize;

use crate::json_array::JsonArray;
use crate::location::{Region, report_path};
use crate::{FileFindings, printable};

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// The report's writer: a JSON array of issues, one element per finding.
pub(crate) struct Stream {
    array: JsonArray,
    root: Option<PathBuf>,
}

impl Stream {
    pub fn new(root: Option<PathBuf>) -> Stream {
        Stream { array: JsonArray::new("[]".to_string(), "[]"), root }
    }

    pub fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        self.array.begin(out)
    }

    pub fn file(&mut self, out: &mut dyn Write, file: &FileFindings<'_>) -> io::Result<()> {
        let path = report_path(file.path(), self.root.as_deref()).text;
        for (diagnostic, fingerprint) in file.fingerprints_at(&path) {
            let region = Region::of(file, diagnostic.range);
            let issue = Issue {
                description: format!("{}: {}", diagnostic.rule.code, printable(&diagnostic.message)),
                check_name: diagnostic.rule.code,
                fingerprint: fingerprint.to_string(),
                severity: severity(diagnostic.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines { begin: region.start_line, end: region.end_line },
                },
            };
            self.array.element(out, &issue)?;
        }
        Ok(())
    }

    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        self.array.finish(out)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use crate::test_support::{assert_golden, files, hostile_cases, render};
    use crate::{FileFindings, OutputFormat};

    #[test]
    fn issues_have_every_required_field_and_unique_fingerprints() {
        let cases = hostile_cases();
        let out = render(files(&cases), 3, OutputFormat::Gitlab);
        assert_golden("gitlab_report.json", &out);
        let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
        let issues = issues.as_array().unwrap();
        assert_eq!(issues.len(), 6);
        let prints: HashSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
        assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
        for issue in issues {
            for key in ["description", "check_name", "fingerprint", "severity"] {
                assert!(issue[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {issue}");
            }
            assert!(
                ["info", "minor", "major", "critical", "blocker"]
                    .contains(&issue["severity"].as_str().unwrap())
            );
            assert!(issue["location"]["lines"]["begin"].as_u64().is_some_and(|line| line >= 1));
            assert!(!issue["location"]["path"].as_str().unwrap().starts_with("./"));
        }
    }

    #[test]
    fn fingerprints_do_not_depend_on_lines() {
        let render_one = |text: &'static str| {
            let at = text.find("sudo").unwrap();
            let diagnostics =
                vec![crate::test_support::diag(&crate::test_support::WARNING_RULE, at, at + 4, "x")];
            let out =
                render(vec![FileFindings::new("Dockerfile", text, &diagnostics)], 1, OutputFormat::Gitlab);
            let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
            (issues[0]["fingerprint"].clone(), issues[0]["location"]["lines"]["begin"].clone())
        };
        let (before, line_before) = render_one("FROM a\nRUN sudo x\n");
        let (after, line_after) = render_one("FROM a\n\n# moved\nRUN sudo x\n");
        assert_eq!(before, after);
        assert_ne!(line_before, line_after);
    }

    #[test]
    fn empty_report_is_an_empty_array() {
        assert_eq!(render(Vec::new(), 2, OutputFormat::Gitlab), "[]\n");
    }
}
