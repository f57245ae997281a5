//! The checkstyle XML report (format version 4.3, as ESLint, ShellCheck and hadolint write it), read by
//! Jenkins warnings-ng, SonarQube importers and reviewdog:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <checkstyle version="4.3">
//!   <file name="Dockerfile">
//!     <error line="3" column="1" severity="warning" message="…" source="plimsoll.ISO001"/>
//!   </file>
//! </checkstyle>
//! ```
//!
//! One `<file>` per file with findings, paths as shown; `line` and `column` are 1-based, columns count
//! characters; `severity` is `error`, `warning` or `info`; `source` is `plimsoll.` and the rule code. Text is
//! escaped by [`crate::xml`], so the document is well-formed XML 1.0 whatever the linted files contain.

use std::io::{self, Write};

use crate::location::Region;
use crate::{FileFindings, xml};

pub(crate) fn begin(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)
}

pub(crate) fn file(out: &mut dyn Write, file: &FileFindings<'_>) -> io::Result<()> {
    let diagnostics = file.sorted();
    if diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, r#"  <file name="{}">"#, xml::attribute(file.path()))?;
    for diagnostic in diagnostics {
        let region = Region::of(file, diagnostic.range);
        writeln!(
            out,
            r#"    <error line="{}" column="{}" severity="{}" message="{}" source="plimsoll.{}"/>"#,
            region.start_line,
            region.start_column,
            diagnostic.severity.as_str(),
            xml::attribute(&diagnostic.message),
            diagnostic.rule.code,
        )?;
    }
    writeln!(out, "  </file>")
}

pub(crate) fn finish(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</checkstyle>")
}

#[cfg(test)]
mod tests {
    use crate::OutputFormat;
    use crate::test_support::{assert_golden, files, hostile_cases, render};

    #[test]
    fn hostile_text_stays_well_formed() {
        let cases = hostile_cases();
        assert_golden("checkstyle_report.xml", &render(files(&cases), 3, OutputFormat::Checkstyle));
    }

    #[test]
    fn empty_report() {
        assert_golden("checkstyle_empty.xml", &render(Vec::new(), 4, OutputFormat::Checkstyle));
    }
}
