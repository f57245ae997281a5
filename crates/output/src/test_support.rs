//! Hand-built diagnostics and a tiny golden-file helper for the format tests.

use std::path::PathBuf;

use plimsoll_diagnostic::{Diagnostic, Family, Format, RuleMeta, Severity};
use plimsoll_span::TextRange;

use crate::{FileFindings, OutputFormat, RenderOptions, Report};

const fn rule(code: &'static str, name: &'static str, severity: Severity) -> RuleMeta {
    RuleMeta {
        code,
        name,
        family: Family::Df,
        severity,
        default_enabled: true,
        formats: &[Format::Dockerfile],
        aliases: &[],
        doc: " ## What it does\n Tests things.",
    }
}

pub static INFO_RULE: RuleMeta = rule("TST001", "test-info", Severity::Info);
pub static WARNING_RULE: RuleMeta = rule("TST002", "test-warning", Severity::Warning);
pub static ERROR_RULE: RuleMeta = rule("TST003", "test-error", Severity::Error);

pub fn diag(rule: &'static RuleMeta, start: usize, end: usize, message: &str) -> Diagnostic {
    Diagnostic::new(rule, TextRange::from_usize(start, end), message)
}

pub fn render(files: Vec<FileFindings<'_>>, checked: usize, format: OutputFormat) -> String {
    render_with(files, checked, format, RenderOptions::default())
}

pub fn render_with(
    files: Vec<FileFindings<'_>>,
    checked: usize,
    format: OutputFormat,
    options: RenderOptions,
) -> String {
    let mut out = Vec::new();
    Report::new(files, checked).write(&mut out, format, options).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// Compares `actual` with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("cannot write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert!(
        actual == expected,
        "{} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}
