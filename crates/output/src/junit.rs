//! The JUnit XML report, for CI systems that show test results (GitLab's `artifacts:reports:junit`,
//! Jenkins' `junit` step, Azure Pipelines):
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="plimsoll" tests="1" failures="1" errors="0">
//!   <testsuite name="Dockerfile" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase name="ISO001 container-runs-as-root at 3:1" classname="Dockerfile" file="Dockerfile" line="3">
//!       <failure message="Container runs as root …" type="ISO001">Dockerfile:3:1: ISO001 …</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One `<testsuite>` per file with findings and one failing `<testcase>` per finding; the test case's name
//! holds the rule and position, so a file's cases have distinct names (readers merge cases of one name).
//! The failure's body repeats the position, then the message and the help. A clean run has one passing
//! test case, because Jenkins fails a build whose report has no test at all. No `time` or `timestamp`
//! attributes: the report is byte-stable. Text is escaped by [`crate::xml`].

use std::fmt::Write;
use std::io;

use crate::location::Region;
use crate::{FileFindings, Summary, xml};

/// The report's writer. The root element counts every failure, so the test suites are kept (rendered, without
/// the files' texts) until the end.
#[derive(Default)]
pub(crate) struct Stream {
    suites: String,
}

impl Stream {
    pub fn file(&mut self, file: &FileFindings<'_>) {
        let diagnostics = file.sorted();
        if diagnostics.is_empty() {
            return;
        }
        let out = &mut self.suites;
        let path = xml::attribute(file.path());
        let count = diagnostics.len();
        let _ = writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{count}" failures="{count}" errors="0" skipped="0">"#
        );
        for diagnostic in diagnostics {
            let region = Region::of(file, diagnostic.range);
            let (line, column) = (region.start_line, region.start_column);
            let code = diagnostic.rule.code;
            let name = format!("{code} {} at {line}:{column}", diagnostic.rule.name);
            let _ = writeln!(
                out,
                r#"    <testcase name="{}" classname="{path}" file="{path}" line="{line}">"#,
                xml::attribute(&name)
            );
            let mut body = format!("{}:{line}:{column}: {code} {}", file.path(), diagnostic.message);
            if let Some(help) = &diagnostic.help {
                body.push('\n');
                body.push_str(help);
            }
            let _ = writeln!(
                out,
                r#"      <failure message="{}" type="{code}">{}</failure>"#,
                xml::attribute(&diagnostic.message),
                xml::content(&body)
            );
            let _ = writeln!(out, "    </testcase>");
        }
        let _ = writeln!(out, "  </testsuite>");
    }

    pub fn finish(self, out: &mut dyn io::Write, summary: Summary) -> io::Result<()> {
        let total = summary.total();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        if total == 0 {
            writeln!(out, r#"<testsuites name="plimsoll" tests="1" failures="0" errors="0">"#)?;
            writeln!(out, r#"  <testsuite name="plimsoll" tests="1" failures="0" errors="0" skipped="0">"#)?;
            writeln!(
                out,
                r#"    <testcase name="{}" classname="plimsoll"/>"#,
                xml::attribute(&summary.to_string())
            )?;
            writeln!(out, "  </testsuite>")?;
            return writeln!(out, "</testsuites>");
        }
        writeln!(out, r#"<testsuites name="plimsoll" tests="{total}" failures="{total}" errors="0">"#)?;
        out.write_all(self.suites.as_bytes())?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use crate::OutputFormat;
    use crate::test_support::{assert_golden, files, hostile_cases, render};

    #[test]
    fn one_suite_per_file_and_one_case_per_finding() {
        let cases = hostile_cases();
        assert_golden("junit_report.xml", &render(files(&cases), 3, OutputFormat::Junit));
    }

    #[test]
    fn a_clean_run_has_one_passing_case() {
        assert_golden("junit_empty.xml", &render(Vec::new(), 4, OutputFormat::Junit));
    }
}
