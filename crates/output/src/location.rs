//! Where a finding is, as the CI formats need it: a region of 1-based lines and character columns, and the
//! file's path relative to the project root.

use std::path::{Component, Path};

use plimsoll_span::TextRange;

use crate::FileFindings;

/// A range as 1-based lines and character columns, the end exclusive (SARIF's convention and ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Region {
    /// The region of `range` in `file`. A range that ends with a line break would end at column 1 of the
    /// next line, and viewers would highlight that line too; it ends at the end of its last line instead.
    pub fn of(file: &FileFindings<'_>, range: TextRange) -> Region {
        let mut range = file.clamp(range);
        // A finding at the very end of a file that ends with a line break would sit on a line past the last
        // one, which CI viewers cannot show; it goes at the end of the last line instead.
        if range.is_empty() && range.start as usize == file.text().len() {
            let at = without_line_break(file.text()).len() as u32;
            range = TextRange::new(at, at);
        }
        let start = file.line_col(range.start);
        let mut end = file.line_col(range.end);
        if end.line > start.line && end.column == 1 {
            end = file.line_col(without_line_break(&file.text()[..range.end as usize]).len() as u32);
        }
        Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    pub fn is_single_line(&self) -> bool {
        self.start_line == self.end_line
    }
}

fn without_line_break(text: &str) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.strip_suffix('\r').unwrap_or(text)
}

/// A file's path as CI systems want it: `/`-separated, relative to the project root when it is under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReportPath {
    pub text: String,
    /// False for an absolute path outside the root (or any absolute path when there is no root).
    pub relative: bool,
}

/// `path` as shown to the user, made relative to `root` when it is an absolute path under it; a leading
/// `./` goes too, so `./Dockerfile`, `Dockerfile` and `/repo/Dockerfile` (run in `/repo`) are one file.
pub(crate) fn report_path(path: &str, root: Option<&Path>) -> ReportPath {
    let as_path = Path::new(path);
    if as_path.is_absolute() || is_windows_absolute(path) {
        let under_root = root.and_then(|root| as_path.strip_prefix(root).ok());
        return match under_root {
            Some(relative) => ReportPath { text: slashes(&relative.to_string_lossy()), relative: true },
            None => ReportPath { text: slashes(path), relative: false },
        };
    }
    let mut text = slashes(path);
    while let Some(rest) = text.strip_prefix("./") {
        text = rest.trim_start_matches('/').to_string();
    }
    // `.` alone (or a path that was only `./`) names the root itself; keep something a viewer can show.
    if text.is_empty() || Path::new(&text).components().all(|c| c == Component::CurDir) {
        text = ".".to_string();
    }
    ReportPath { text, relative: true }
}

fn slashes(path: &str) -> String {
    path.replace('\\', "/")
}

/// `C:\…` or `C:/…`: absolute on Windows, whatever platform renders the report.
fn is_windows_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{WARNING_RULE, diag};

    #[test]
    fn regions_do_not_spill_onto_the_next_line() {
        let text = "FROM a\r\nRUN é\nUSER x";
        let diagnostics = vec![diag(&WARNING_RULE, 0, 0, "x")];
        let file = FileFindings::new("f", text, &diagnostics);
        let whole_first_line = Region::of(&file, TextRange::from_usize(0, 8));
        assert_eq!(whole_first_line, Region { start_line: 1, start_column: 1, end_line: 1, end_column: 7 });
        let two_lines = Region::of(&file, TextRange::from_usize(0, 15));
        assert_eq!(two_lines, Region { start_line: 1, start_column: 1, end_line: 2, end_column: 6 });
        let into_third = Region::of(&file, TextRange::from_usize(8, 16));
        assert_eq!(into_third, Region { start_line: 2, start_column: 1, end_line: 3, end_column: 2 });
        let at_end = Region::of(&file, TextRange::from_usize(99, 99));
        assert_eq!(at_end, Region { start_line: 3, start_column: 7, end_line: 3, end_column: 7 });
        let after_final_break = FileFindings::new("f", "FROM a\r\n", &diagnostics);
        let eof = Region::of(&after_final_break, TextRange::from_usize(8, 8));
        assert_eq!(eof, Region { start_line: 1, start_column: 7, end_line: 1, end_column: 7 });
        let empty_at_line_start = Region::of(&file, TextRange::from_usize(8, 8));
        assert!(empty_at_line_start.is_single_line());
    }

    #[test]
    fn paths_become_relative_to_the_root() {
        let root = Path::new("/repo");
        let relative = |text: &str| ReportPath { text: text.to_string(), relative: true };
        assert_eq!(report_path("/repo/app/Dockerfile", Some(root)), relative("app/Dockerfile"));
        assert_eq!(report_path("./app/Dockerfile", Some(root)), relative("app/Dockerfile"));
        assert_eq!(report_path(".//app\\Dockerfile", None), relative("app/Dockerfile"));
        assert_eq!(report_path("../other/Dockerfile", Some(root)), relative("../other/Dockerfile"));
        assert_eq!(report_path("./", None), relative("."));
        let outside = report_path("/elsewhere/Dockerfile", Some(root));
        assert_eq!(outside, ReportPath { text: "/elsewhere/Dockerfile".to_string(), relative: false });
        assert!(!report_path("C:\\work\\Dockerfile", None).relative);
        assert_eq!(report_path("C:\\work\\Dockerfile", None).text, "C:/work/Dockerfile");
    }
}
