use std::fmt;

use plimsoll_diagnostic::Severity;

use crate::FileFindings;

/// Counts for the closing line of the human formats: `Found 5 problems (1 error, 3 warnings, 1 info) in 2 of
/// 12 files checked.` or `No problems found in 12 files checked.`
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files with at least one finding.
    pub files_with_problems: usize,
    /// Files the run linted.
    pub files_checked: usize,
}

impl Summary {
    pub fn new(files: &[FileFindings<'_>], files_checked: usize) -> Summary {
        let mut summary = Summary { files_checked, ..Summary::default() };
        for file in files {
            summary.add(file);
        }
        summary
    }

    /// Counts one more file's findings (not the file as checked: that count is the caller's).
    pub fn add(&mut self, file: &FileFindings<'_>) {
        let diagnostics = file.diagnostics();
        if !diagnostics.is_empty() {
            self.files_with_problems += 1;
        }
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let checked = plural(self.files_checked, "file", "files");
        if self.total() == 0 {
            return write!(f, "No problems found in {checked} checked.");
        }
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "info"),
        ]
        .into_iter()
        .filter(|&(count, _, _)| count > 0)
        .map(|(count, one, many)| plural(count, one, many))
        .collect();
        write!(
            f,
            "Found {} ({}) in {} of {checked} checked.",
            plural(self.total(), "problem", "problems"),
            parts.join(", "),
            self.files_with_problems,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn wording() {
        let none = Summary { files_checked: 12, ..Summary::default() };
        assert_eq!(none.to_string(), "No problems found in 12 files checked.");
        let one = Summary { files_checked: 1, ..Summary::default() };
        assert_eq!(one.to_string(), "No problems found in 1 file checked.");
        let some = Summary { errors: 1, warnings: 3, infos: 1, files_with_problems: 2, files_checked: 12 };
        assert_eq!(
            some.to_string(),
            "Found 5 problems (1 error, 3 warnings, 1 info) in 2 of 12 files checked."
        );
        let single = Summary { warnings: 1, files_with_problems: 1, files_checked: 1, ..Summary::default() };
        assert_eq!(single.to_string(), "Found 1 problem (1 warning) in 1 of 1 file checked.");
    }
}
