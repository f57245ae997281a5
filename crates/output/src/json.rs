//! The JSON report, a contract for machines:
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [
//!     {
//!       "path": "Dockerfile",
//!       "code": "ISO001",
//!       "name": "container-runs-as-root",
//!       "severity": "warning",
//!       "message": "Container runs as root because no user is set",
//!       "help": "Add `USER 10001` (or a named unprivileged user) to the final stage.",
//!       "line": 3, "column": 1, "end_line": 3, "end_column": 17,
//!       "labels": [{ "message": "…", "line": 1, "column": 1, "end_line": 1, "end_column": 5 }]
//!     }
//!   ]
//! }
//! ```
//!
//! Lines and columns are 1-based; columns count characters (Unicode scalar values), not bytes or UTF-16
//! units. `end_line`/`end_column` point just after the last character of the range (exclusive), so an empty
//! range has `end_column == column`. `help` is a string or `null`. The order is stable: files by path, then
//! findings by position and code. The document is pretty-printed (two-space indent) and ends with a newline.

use std::io::{self, Write};

use plimsoll_diagnostic::{Diagnostic, Label};
use plimsoll_span::TextRange;
use serde::Serialize;

use crate::FileFindings;
use crate::json_array::JsonArray;

/// Bumped on any incompatible change to the document's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    position: Position,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten)]
    position: Position,
}

/// A range as 1-based line and character column, end exclusive.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl Position {
    fn of(file: &FileFindings<'_>, range: TextRange) -> Position {
        let range = file.clamp(range);
        let start = file.line_col(range.start);
        let end = file.line_col(range.end);
        Position { line: start.line, column: start.column, end_line: end.line, end_column: end.column }
    }
}

fn diagnostic<'a>(file: &'a FileFindings<'_>, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let label =
        |label: &'a Label| JsonLabel { message: &label.message, position: Position::of(file, label.range) };
    JsonDiagnostic {
        path: file.path(),
        code: diagnostic.rule.code,
        name: diagnostic.rule.name,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        position: Position::of(file, diagnostic.range),
        labels: diagnostic.labels.iter().map(label).collect(),
    }
}

/// The document's writer; each file's findings are elements of its `diagnostics` array.
pub(crate) fn stream() -> JsonArray {
    let empty = Document { version: VERSION, diagnostics: Vec::new() };
    let empty = serde_json::to_string_pretty(&empty).expect("the document serialises");
    JsonArray::new(empty, "\"diagnostics\": []")
}

pub(crate) fn file(array: &mut JsonArray, out: &mut dyn Write, file: &FileFindings<'_>) -> io::Result<()> {
    for found in file.sorted() {
        array.element(out, &diagnostic(file, found))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::test_support::{ERROR_RULE, INFO_RULE, WARNING_RULE, assert_golden, diag, render};
    use crate::{FileFindings, OutputFormat};
    use plimsoll_span::TextRange;

    #[test]
    fn shape_positions_and_order() {
        let text = "FROM café:latest\r\nRUN echo 😀 && sudo x\nUSER root";
        let at = |needle: &str| text.find(needle).unwrap();
        let diagnostics = vec![
            diag(&WARNING_RULE, at("sudo"), at("sudo") + 4, "Uses sudo")
                .with_help("Drop `sudo`.")
                .with_label(TextRange::from_usize(at("😀"), at("😀") + 4), "emoji here"),
            diag(&ERROR_RULE, at("café"), at(":latest"), "Café image"),
            diag(&INFO_RULE, text.len(), text.len(), "At the end"),
        ];
        let other = vec![diag(&WARNING_RULE, 0, 4, "First file")];
        let files = vec![
            FileFindings::new("b/Dockerfile", text, &diagnostics),
            FileFindings::new("a", "FROM", &other),
        ];
        assert_golden("json_report.json", &render(files, 2, OutputFormat::Json));
    }

    #[test]
    fn empty_report() {
        let out = render(Vec::new(), 0, OutputFormat::Json);
        assert_eq!(out, "{\n  \"version\": 1,\n  \"diagnostics\": []\n}\n");
    }

    #[test]
    fn parses_back_with_exclusive_end_columns() {
        let text = "é😀x";
        let diagnostics = vec![diag(&WARNING_RULE, 2, 6, "emoji")];
        let out = render(vec![FileFindings::new("f", text, &diagnostics)], 1, OutputFormat::Json);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let d = &value["diagnostics"][0];
        assert_eq!((d["column"].as_u64(), d["end_column"].as_u64()), (Some(2), Some(3)));
        assert!(d["help"].is_null());
        assert_eq!(d["labels"], serde_json::json!([]));
    }
}
