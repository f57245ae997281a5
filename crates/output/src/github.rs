//! GitHub Actions annotations: one workflow command per finding, which GitHub shows on the run's summary
//! page and on the pull request's diff.
//!
//! ```text
//! ::warning file=app/Dockerfile,line=3,endLine=3,col=1,endColumn=10,title=ISO001 container-runs-as-root::Container runs as root …
//! ```
//!
//! - The level is `error`, `warning` or `notice` (for info). `file` is relative to the project root
//!   (see [`crate::Report::with_root`]). `col` and `endColumn` are given only when the finding starts and
//!   ends on one line, as GitHub ignores them otherwise; columns count characters, the end is exclusive.
//! - The message is followed by the help on a new line. Properties escape `%`, CR, LF, `:` and `,`; the
//!   message escapes `%`, CR and LF (GitHub's rules), after control and bidi characters from the linted
//!   files have been made visible (see [`crate::printable`]), so no finding can inject a workflow command.
//! - GitHub shows at most [`ANNOTATIONS_PER_LEVEL`] annotations of each level per step (and 50 per job).
//!   Past that, findings are written as plain `level: path:line:col: CODE message` log lines, and a final
//!   notice annotation (kept within the notices' budget) says how many findings there are in all and how
//!   to see them. The last line is the summary.

use std::io::{self, Write};
use std::path::PathBuf;

use plimsoll_diagnostic::Severity;

use crate::location::{Region, report_path};
use crate::{FileFindings, Summary, printable};

/// How many annotations of one level GitHub shows per step; further ones are dropped silently.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

fn level(severity: Severity) -> (&'static str, usize) {
    match severity {
        Severity::Error => ("error", 0),
        Severity::Warning => ("warning", 1),
        Severity::Info => ("notice", 2),
    }
}

/// The report's writer. How many findings of each level there are decides which become annotations, so each
/// finding is kept, rendered both ways (without the files' texts), until the end.
pub(crate) struct Stream {
    root: Option<PathBuf>,
    findings: Vec<Rendered>,
}

/// One finding as an annotation and as the plain log line it becomes past GitHub's budget.
struct Rendered {
    slot: usize,
    annotation: String,
    log_line: String,
}

impl Stream {
    pub fn new(root: Option<PathBuf>) -> Stream {
        Stream { root, findings: Vec::new() }
    }

    pub fn file(&mut self, file: &FileFindings<'_>) {
        let path = report_path(file.path(), self.root.as_deref()).text;
        for diagnostic in file.sorted() {
            let region = Region::of(file, diagnostic.range);
            let (name, slot) = level(diagnostic.severity);
            let code = diagnostic.rule.code;
            let message = printable(&diagnostic.message).replace('\n', " ");
            let shown_path = printable(&path).replace('\n', " ");
            let (line, column) = (region.start_line, region.start_column);
            let log_line = format!("{name}: {shown_path}:{line}:{column}: {code} {message}");
            let mut command = format!("::{name} file={},line={}", property(&path), region.start_line);
            command += &format!(",endLine={}", region.end_line);
            if region.is_single_line() {
                command += &format!(",col={},endColumn={}", region.start_column, region.end_column);
            }
            let title = format!("{code} {}", diagnostic.rule.name);
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push('\n');
                message.push_str(help);
            }
            let annotation = format!("{command},title={}::{}", property(&title), data(&message));
            self.findings.push(Rendered { slot, annotation, log_line });
        }
    }

    pub fn finish(self, out: &mut dyn Write, summary: Summary) -> io::Result<()> {
        let overflows =
            [summary.errors, summary.warnings, summary.infos].iter().any(|&n| n > ANNOTATIONS_PER_LEVEL);
        // The closing notice must itself be shown, so it takes one of the notices' places.
        let budgets = [
            ANNOTATIONS_PER_LEVEL,
            ANNOTATIONS_PER_LEVEL,
            if overflows { ANNOTATIONS_PER_LEVEL - 1 } else { ANNOTATIONS_PER_LEVEL },
        ];
        let mut annotated = [0; 3];
        let mut held_back = 0;
        for finding in &self.findings {
            if annotated[finding.slot] == budgets[finding.slot] {
                held_back += 1;
                writeln!(out, "{}", finding.log_line)?;
            } else {
                annotated[finding.slot] += 1;
                writeln!(out, "{}", finding.annotation)?;
            }
        }
        if held_back > 0 {
            let message = format!(
                "{summary} GitHub shows at most {ANNOTATIONS_PER_LEVEL} annotations of each level per step, so \
                 {held_back} of them are only listed in this log. Upload `--format sarif` to code scanning, or \
                 run `plimsoll check --format full`, to see every finding."
            );
            writeln!(
                out,
                "::notice title={}::{}",
                property("plimsoll: more findings than annotations"),
                data(&message)
            )?;
        }
        writeln!(out, "{summary}")
    }
}

/// A command's message: `%`, CR and LF escaped, after controls and bidi characters are made visible.
pub fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// A command's property value: as [`data`], and `:` and `,` too, which would end the value.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{INFO_RULE, WARNING_RULE, assert_golden, diag, files, hostile_cases, render};
    use crate::{FileFindings, OutputFormat};

    #[test]
    fn escaping() {
        assert_eq!(data("100% done\r\nnext: a, b"), "100%25 done\\u{d}%0Anext: a, b");
        assert_eq!(property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(data("x\u{1b}[2J\u{202e}"), "x\\u{1b}[2J\\u{202e}");
        // A message cannot start a command of its own: its line breaks are escaped.
        assert!(!data("ok\n::error::injected").contains('\n'));
    }

    #[test]
    fn annotations_with_titles_and_regions() {
        let cases = hostile_cases();
        assert_golden("github_report.txt", &render(files(&cases), 3, OutputFormat::Github));
    }

    #[test]
    fn clean_run_prints_only_the_summary() {
        assert_eq!(render(Vec::new(), 2, OutputFormat::Github), "No problems found in 2 files checked.\n");
    }

    #[test]
    fn past_the_limit_findings_go_to_the_log_and_a_notice_says_so() {
        let text = "x\n".repeat(30);
        let mut diagnostics: Vec<_> =
            (0..12).map(|line| diag(&WARNING_RULE, line * 2, line * 2 + 1, "w")).collect();
        diagnostics.extend((12..24).map(|line| diag(&INFO_RULE, line * 2, line * 2 + 1, "i")));
        let out = render(vec![FileFindings::new("Dockerfile", &text, &diagnostics)], 1, OutputFormat::Github);
        let count = |prefix: &str| out.lines().filter(|line| line.starts_with(prefix)).count();
        assert_eq!(count("::warning "), 10);
        assert_eq!(count("warning: Dockerfile:"), 2);
        assert_eq!(count("::notice file="), 9, "one notice is kept for the summary");
        assert_eq!(count("notice: Dockerfile:"), 3);
        let notice = out.lines().find(|line| line.starts_with("::notice title=")).unwrap();
        assert!(notice.contains("Found 24 problems") && notice.contains("5 of them"), "{notice}");
        assert!(notice.contains("--format sarif"), "{notice}");
        assert_eq!(
            out.lines().last(),
            Some("Found 24 problems (12 warnings, 12 info) in 1 of 1 file checked.")
        );
        assert_golden("github_overflow.txt", &out);
    }
}
