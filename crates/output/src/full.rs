//! The graphical terminal report, drawn by miette from a thin [`miette::Diagnostic`] view of ours.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};
use plimsoll_diagnostic::{Diagnostic, Severity};
use plimsoll_span::{LineCol, TextRange};

use crate::printable::printable_source;
use crate::{FileFindings, RenderOptions, printable};

pub(crate) fn write(
    out: &mut dyn Write,
    files: &[FileFindings<'_>],
    options: RenderOptions,
) -> io::Result<()> {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Links would write OSC-8 escapes even into pipes and files; the code is in the header anyway.
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(options.width);
    let mut buffer = String::new();
    for file in files {
        let text = printable_source(file.text());
        for diagnostic in file.sorted() {
            buffer.clear();
            let view = View::new(file, &text, diagnostic);
            handler
                .render_report(&mut buffer, &view)
                .map_err(|_| io::Error::other("cannot render finding"))?;
            writeln!(out, "{buffer}")?;
        }
    }
    Ok(())
}

/// A file's text for miette, reporting positions the way every other format does: miette's own `str` source
/// counts columns in bytes, which would disagree with the concise and JSON output on any non-ASCII line.
struct Source<'a> {
    file: &'a FileFindings<'a>,
    /// The file's text made safe for the terminal, with the same offsets and columns.
    text: &'a str,
    /// An end-of-file anchor drawn at the end of the last line (see [`eof_display_offset`]): the offset it is
    /// drawn at and its real position, which the `[path:line:col]` header keeps showing.
    moved_anchor: Option<(usize, LineCol)>,
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette's `str` source scans from the start of the text for every span, which is quadratic in a
        // large file with many findings; it reads only the lines around the span from a window holding
        // them (plus a line either side, so the window's edges never look like the file's).
        let index = self.file.line_index();
        let first = index.line_of(span.offset() as u32).saturating_sub(context_lines_before + 1);
        let last = index.line_of((span.offset() + span.len()) as u32) + context_lines_after + 1;
        let window_start = index.line_start(first) as usize;
        let window_end = (index.line_start(last + 1) as usize).min(self.text.len());
        let window = &self.text[window_start..window_end];
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let data_start = (window_start + inner.span().offset()) as u32;
        let mut line = self.file.line_index().line_of(data_start);
        // miette uses the column only for a span read without context (the `[path:line:col]` header).
        let mut column = 0;
        if context_lines_before == 0 {
            column = self.file.line_col(data_start).column as usize - 1;
            let moved = self.moved_anchor.filter(|&(at, _)| at == span.offset() && span.is_empty());
            if let Some((_, real)) = moved {
                (line, column) = (real.line as usize - 1, real.column as usize - 1);
            }
        }
        Ok(Box::new(MietteSpanContents::new_named(
            printable(self.file.path()).into_owned(),
            inner.data(),
            SourceSpan::new((data_start as usize).into(), inner.span().len()),
            line,
            column,
            first + inner.line_count(),
        )))
    }
}

/// miette draws nothing for an empty range just past a final newline (no line holds it), so such an anchor
/// ("missing at the end of the file") is drawn at the end of the last line instead.
fn eof_display_offset(text: &str, range: TextRange) -> Option<usize> {
    if !range.is_empty() || (range.start as usize) < text.len() {
        return None;
    }
    let last_line = text.strip_suffix('\n')?;
    Some(last_line.strip_suffix('\r').unwrap_or(last_line).len())
}

/// One of our diagnostics as miette sees it.
struct View<'a> {
    diagnostic: &'a Diagnostic,
    source: Source<'a>,
}

impl<'a> View<'a> {
    fn new(file: &'a FileFindings<'a>, text: &'a str, diagnostic: &'a Diagnostic) -> View<'a> {
        let range = file.clamp(diagnostic.range);
        let moved_anchor =
            eof_display_offset(file.text(), range).map(|shown_at| (shown_at, file.line_col(range.start)));
        View { diagnostic, source: Source { file, text, moved_anchor } }
    }

    fn span(&self, range: TextRange) -> SourceSpan {
        let file = self.source.file;
        let range = file.clamp(range);
        match eof_display_offset(file.text(), range) {
            Some(shown_at) => SourceSpan::new(shown_at.into(), 0),
            None => SourceSpan::new((range.start as usize).into(), range.len() as usize),
        }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(&self.diagnostic.message))
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    /// The header line: `warning[ISO001]: container-runs-as-root`, so the severity reads as a word and not
    /// only as an icon or a color.
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let d = self.diagnostic;
        Some(Box::new(format!("{}[{}]: {}", d.severity, d.rule.code, d.rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic.help.as_deref().map(|help| Box::new(printable(help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // The primary label has no text: the message is printed right above the snippet.
        let primary = LabeledSpan::new_primary_with_span(None, self.span(self.diagnostic.range));
        let secondary = self.diagnostic.labels.iter().map(|label| {
            LabeledSpan::new_with_span(Some(printable(&label.message).into()), self.span(label.range))
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_span::TextRange;

    use crate::test_support::{
        ERROR_RULE, INFO_RULE, WARNING_RULE, assert_golden, diag, render, render_with,
    };
    use crate::{FileFindings, OutputFormat, RenderOptions};

    #[test]
    fn snippet_with_code_severity_position_labels_and_help() {
        let text = "FROM café:latest\nRUN echo 😀 && sudo apt-get install -y x\nUSER root\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let diagnostics = vec![
            diag(&WARNING_RULE, at("sudo"), at("sudo") + 4, "Uses sudo")
                .with_help("Drop `sudo`: RUN already runs as the build user.")
                .with_label(TextRange::from_usize(at("USER"), at("USER") + 9), "user set here"),
            diag(&ERROR_RULE, at("latest"), at("latest") + 6, "Tag is latest"),
        ];
        let files = vec![FileFindings::new("dir/Dockerfile", text, &diagnostics)];
        assert_golden("full_report.txt", &render(files, 1, OutputFormat::Full));
    }

    #[test]
    fn empty_ranges_and_crlf() {
        let text = "FROM a\r\nRUN é\r\n";
        let diagnostics = vec![
            diag(&INFO_RULE, text.len(), text.len(), "Anchored at the end of the file"),
            diag(&WARNING_RULE, 0, 0, "Anchored at the start"),
        ];
        let files = vec![FileFindings::new("crlf", text, &diagnostics)];
        assert_golden("full_empty_ranges.txt", &render(files, 1, OutputFormat::Full));
    }

    #[test]
    fn empty_text_and_out_of_range_offsets_do_not_panic() {
        let diagnostics =
            vec![diag(&WARNING_RULE, 0, 0, "Empty file"), diag(&ERROR_RULE, 50, 60, "Past the end")];
        let out = render(vec![FileFindings::new("empty", "", &diagnostics)], 1, OutputFormat::Full);
        assert!(out.contains("Empty file") && out.contains("Past the end"), "{out}");
        let text = "no newline at end";
        let diagnostics = vec![diag(&INFO_RULE, text.len(), text.len(), "End")];
        let out = render(vec![FileFindings::new("f", text, &diagnostics)], 1, OutputFormat::Full);
        assert!(out.contains("[f:1:18]"), "{out}");
    }

    #[test]
    fn no_escape_sequences_without_color() {
        let text = "FROM a\n";
        let diagnostics = vec![diag(&WARNING_RULE, 0, 4, "x").with_help("y")];
        let plain = render(vec![FileFindings::new("f", text, &diagnostics)], 1, OutputFormat::Full);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        let options = RenderOptions { color: true, ..RenderOptions::default() };
        let colored =
            render_with(vec![FileFindings::new("f", text, &diagnostics)], 1, OutputFormat::Full, options);
        assert!(colored.contains("\u{1b}["), "{colored}");
        assert!(!colored.contains("\u{1b}]8;"), "no hyperlinks: {colored}");
    }

    #[test]
    fn control_characters_from_the_file_do_not_reach_the_terminal() {
        let text = "FROM a\nRUN \u{1b}]0;pwned\u{7}\u{1b}[2J sudo x\rhidden\n";
        let sudo = text.find("sudo").unwrap();
        let diagnostics = vec![
            diag(&WARNING_RULE, sudo, sudo + 4, "Uses sudo after `\u{1b}[2J`")
                .with_help("No \u{1b}[31m here")
                .with_label(TextRange::from_usize(4, 7), "label \u{9b}"),
        ];
        let out = render(vec![FileFindings::new("evil\u{1b}[1m", text, &diagnostics)], 1, OutputFormat::Full);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(out.contains("[evil\\u{1b}[1m:2:"), "{out}");
    }

    #[test]
    fn summary_when_nothing_was_found() {
        assert_eq!(render(Vec::new(), 4, OutputFormat::Full), "No problems found in 4 files checked.\n");
    }
}
