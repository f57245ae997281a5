//! Byte offsets to LSP positions and back, in the encoding negotiated with the client, and plimsoll's
//! diagnostics as LSP diagnostics.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position,
    PositionEncodingKind, Range, Uri,
};
use plimsoll_diagnostic::{Diagnostic, Severity};
use plimsoll_span::{LineIndex, TextRange, Unit};

/// How LSP columns count characters. UTF-16 is the protocol's default; clients that offer UTF-8 save the
/// server a scan of each line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first of the client's offered encodings that the server speaks, preferring UTF-8, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn unit(self) -> Unit {
        match self {
            Encoding::Utf8 => Unit::Byte,
            Encoding::Utf16 => Unit::Utf16,
            Encoding::Utf32 => Unit::Char,
        }
    }
}

/// A text with its line index, for converting positions.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    pub fn position(&self, offset: u32) -> Position {
        let at = self.index.line_col_in(self.text, offset, self.encoding.unit());
        Position { line: at.line - 1, character: at.column - 1 }
    }

    pub fn range(&self, range: TextRange) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end) }
    }

    /// The byte offset of a position, clamped to its line (and a line past the end to the end of the text),
    /// never inside a character.
    pub fn offset(&self, position: Position) -> u32 {
        self.index.offset_in(self.text, position.line, position.character, self.encoding.unit())
    }

    pub fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        TextRange::new(start, end)
    }
}

/// One finding as the editor shows it: the help follows the message on its own line, labels become related
/// information in the same document, and the code links to the rule's page.
pub fn diagnostic(found: &Diagnostic, text: &Text, uri: &Uri) -> lsp_types::Diagnostic {
    let message = match &found.help {
        Some(help) => format!("{}\n{help}", found.message),
        None => found.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = found
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: text.range(label.range) },
            message: label.message.clone(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: text.range(found.range),
        severity: Some(severity(found.severity)),
        code: Some(NumberOrString::String(found.rule.code.to_string())),
        code_description: Uri::from_str(&found.rule.docs_url()).ok().map(|href| CodeDescription { href }),
        source: Some("plimsoll".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, encoding: Encoding, f: impl FnOnce(&Text)) {
        let index = LineIndex::new(text);
        f(&Text { text, index: &index, encoding });
    }

    #[test]
    fn columns_count_in_the_negotiated_unit() {
        let text = "FROM a\nRUN é😀x\n";
        let x = text.find('x').unwrap() as u32;
        at(text, Encoding::Utf16, |t| assert_eq!(t.position(x), Position { line: 1, character: 7 }));
        at(text, Encoding::Utf8, |t| assert_eq!(t.position(x), Position { line: 1, character: 10 }));
        at(text, Encoding::Utf32, |t| assert_eq!(t.position(x), Position { line: 1, character: 6 }));
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            at(text, encoding, |t| assert_eq!(t.offset(t.position(x)), x));
        }
    }

    #[test]
    fn positions_out_of_bounds_are_clamped() {
        let text = "ab\r\ncd";
        at(text, Encoding::Utf16, |t| {
            assert_eq!(t.offset(Position { line: 0, character: 99 }), 2);
            assert_eq!(t.offset(Position { line: 7, character: 0 }), text.len() as u32);
            // An offset past the end is the end.
            assert_eq!(t.position(99), Position { line: 1, character: 2 });
        });
    }

    #[test]
    fn negotiation_prefers_utf8_and_defaults_to_utf16() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf32);
    }
}
