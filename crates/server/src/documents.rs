//! The open documents: their text as the editor has it, kept in step with incremental changes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use lsp_types::{TextDocumentContentChangeEvent, Uri};
use plimsoll_diagnostic::{Diagnostic, Format};
use plimsoll_span::LineIndex;

use crate::convert::{Encoding, Text};

/// One open document.
pub struct Document {
    /// Shared with lint jobs in flight; an edit copies it only while a job still reads the old text.
    pub text: Arc<String>,
    pub version: i32,
    pub language_id: String,
    /// The file it is, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// The generation: bumped by every change of the text or of what it is linted with. A lint result for
    /// an older generation is stale and dropped; shared with lint jobs, so a job overtaken before it starts
    /// is not run.
    pub latest: Arc<AtomicU64>,
    /// The format it was last linted as (`None`: not linted, not a format plimsoll reads).
    pub format: Option<Format>,
    /// The findings of the latest lint, when it was of the current generation's text.
    pub linted: Option<Linted>,
}

/// What a lint of one generation found.
#[derive(Clone)]
pub struct Linted {
    pub generation: u64,
    pub diagnostics: Arc<Vec<Diagnostic>>,
}

impl Document {
    pub fn new(
        text: String,
        version: i32,
        language_id: String,
        path: Option<PathBuf>,
        generation: u64,
    ) -> Document {
        Document {
            text: Arc::new(text),
            version,
            language_id,
            path,
            latest: Arc::new(AtomicU64::new(generation)),
            format: None,
            linted: None,
        }
    }

    /// Marks the document changed (its text, or what it is linted with).
    pub fn bump(&mut self, generation: u64) {
        self.latest.store(generation, Ordering::Release);
    }

    /// The current generation (only the main loop writes it).
    pub fn generation(&self) -> u64 {
        self.latest.load(Ordering::Acquire)
    }

    pub fn current(&self) -> Option<&Linted> {
        self.linted.as_ref().filter(|linted| linted.generation == self.generation())
    }

    /// Applies the client's changes in order: a change without a range replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, encoding: Encoding) {
        let text = Arc::make_mut(&mut self.text);
        for change in changes {
            match change.range {
                None => *text = change.text,
                Some(range) => {
                    let index = LineIndex::new(text);
                    let replaced = Text { text, index: &index, encoding }.text_range(range);
                    text.replace_range(replaced.as_usize(), &change.text);
                }
            }
        }
    }
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn insert(&mut self, uri: Uri, document: Document) {
        self.open.insert(uri, document);
    }

    pub fn remove(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.open.iter()
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.open.keys().cloned().collect()
    }

    /// The open documents that are files, by path: the buffers a Compose file's `build:` reads before the
    /// disk.
    pub fn buffers(&self) -> HashMap<PathBuf, Arc<String>> {
        self.open.values().filter_map(|doc| Some((doc.path.clone()?, doc.text.clone()))).collect()
    }
}

#[cfg(test)]
mod tests {
    use lsp_types::{Position, Range};

    use super::*;

    fn document(text: &str) -> Document {
        Document::new(text.to_string(), 1, "dockerfile".into(), None, 1)
    }

    fn change(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| Range {
                start: Position { line: l1, character: c1 },
                end: Position { line: l2, character: c2 },
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut doc = document("FROM alpine\nRUN apk add curl\n");
        doc.apply(
            vec![
                change(Some(((0, 5), (0, 11))), "alpine:3.20"),
                change(Some(((1, 0), (1, 0))), "USER app\n"),
                change(Some(((3, 0), (3, 0))), "CMD [\"sh\"]\n"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(doc.text.as_str(), "FROM alpine:3.20\nUSER app\nRUN apk add curl\nCMD [\"sh\"]\n");
    }

    #[test]
    fn utf16_ranges_replace_whole_characters() {
        let mut doc = document("LABEL a=\"😀x\"\n");
        // The emoji is two UTF-16 units: columns 9 and 10; `x` is at 11.
        doc.apply(vec![change(Some(((0, 9), (0, 11))), "y")], Encoding::Utf16);
        assert_eq!(doc.text.as_str(), "LABEL a=\"yx\"\n");
    }

    #[test]
    fn a_full_change_replaces_the_text_and_ranges_past_the_end_are_clamped() {
        let mut doc = document("FROM a\n");
        doc.apply(
            vec![change(None, "FROM b\n"), change(Some(((9, 0), (12, 4))), "USER x\n")],
            Encoding::Utf8,
        );
        assert_eq!(doc.text.as_str(), "FROM b\nUSER x\n");
    }
}
