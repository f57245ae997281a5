use std::io::{self, Write};

use crate::{FileFindings, printable};

/// One line per finding: `path:line:col: CODE message`, with a 1-based line and character column.
pub(crate) fn write(out: &mut dyn Write, files: &[FileFindings<'_>]) -> io::Result<()> {
    for file in files {
        for diagnostic in file.sorted() {
            let at = file.line_col(file.clamp(diagnostic.range).start);
            // A message is one sentence, but a rule could embed a newline; keep the one-line contract.
            let message = diagnostic.message.replace('\n', " ");
            let (path, message) = (printable(file.path()), printable(&message));
            writeln!(out, "{path}:{}:{}: {} {message}", at.line, at.column, diagnostic.rule.code)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::test_support::{ERROR_RULE, INFO_RULE, WARNING_RULE, diag, render};
    use crate::{FileFindings, OutputFormat};

    #[test]
    fn one_line_per_finding_with_character_columns() {
        let text = "FROM café:latest\r\nRUN echo 😀 && sudo x\n";
        let sudo = text.find("sudo").unwrap();
        let tag = text.find("latest").unwrap();
        let diagnostics = vec![
            diag(&WARNING_RULE, sudo, sudo + 4, "Uses sudo"),
            diag(&ERROR_RULE, tag, tag + 6, "Tag is latest"),
            diag(&INFO_RULE, text.len(), text.len(), "Ends\nhere \u{1b}[2J"),
        ];
        let files = vec![FileFindings::new("b/Dockerfile", text, &diagnostics)];
        let out = render(files, 3, OutputFormat::Concise);
        assert_eq!(
            out,
            "b/Dockerfile:1:11: TST003 Tag is latest\n\
             b/Dockerfile:2:15: TST002 Uses sudo\n\
             b/Dockerfile:3:1: TST001 Ends here \\u{1b}[2J\n\
             Found 3 problems (1 error, 1 warning, 1 info) in 1 of 3 files checked.\n"
        );
    }

    #[test]
    fn files_are_sorted_by_path() {
        let first = vec![diag(&WARNING_RULE, 0, 1, "x")];
        let second = vec![diag(&WARNING_RULE, 0, 1, "y")];
        let files = vec![FileFindings::new("z", "ab", &first), FileFindings::new("a", "ab", &second)];
        let out = render(files, 2, OutputFormat::Concise);
        assert!(out.starts_with("a:1:1: TST002 y\nz:1:1: TST002 x\n"), "{out}");
    }
}
