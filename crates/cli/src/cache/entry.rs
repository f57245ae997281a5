//! One cache entry on disk: a versioned header, the key it answers, its payload and a checksum of all of
//! it. A file that is truncated, damaged, written by another format version or copied under another key's
//! name does not verify and is a miss.
//!
//! ```text
//! "PLIMSOLL" | format version u32 | kind u8 | key [32] | payload (u32 length, bytes) | BLAKE3 of the above [32]
//! ```
//!
//! A lint entry's payload is the report of one file and the other files its checks read:
//!
//! ```text
//! reads: count, each path, present u8, [digest of the content]
//! diagnostics: count, each rule code, severity u8, message, range, labels, help, fix
//! related: count, each path    skipped: count, each note
//! ```

use std::collections::HashMap;
use std::path::PathBuf;

use plimsoll_diagnostic::{Diagnostic, Edit, Fix, Label, RuleMeta, Severity};
use plimsoll_linter::FileReport;
use plimsoll_span::TextRange;

use super::codec::{Reader, Writer};
use super::key::{Digest, severity_code};

const MAGIC: &[u8; 8] = b"PLIMSOLL";
/// Bumped whenever the layout of any entry changes; entries of other versions are misses.
pub const FORMAT_VERSION: u32 = 1;

/// What an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A file's findings ([`encode_lint`]).
    Lint = 1,
    /// A Kubernetes file's project facts, as JSON.
    Facts = 2,
}

/// The bytes of an entry answering `key` with `payload`.
pub fn frame(kind: Kind, key: &Digest, payload: &[u8]) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.raw(MAGIC);
    writer.u32(FORMAT_VERSION);
    writer.u8(kind as u8);
    writer.digest(key);
    writer.bytes(payload);
    let mut bytes = writer.into_bytes();
    let checksum = blake3::hash(&bytes);
    bytes.extend_from_slice(checksum.as_bytes());
    bytes
}

/// The payload of an entry, if `bytes` is a whole, undamaged entry of this format answering `key`.
pub fn unframe<'a>(kind: Kind, key: &Digest, bytes: &'a [u8]) -> Option<&'a [u8]> {
    let body_len = bytes.len().checked_sub(32)?;
    let (body, checksum) = bytes.split_at(body_len);
    if blake3::hash(body).as_bytes() != checksum {
        return None;
    }
    let mut reader = Reader::new(body);
    let header_matches = reader.take(MAGIC.len())? == MAGIC
        && reader.u32()? == FORMAT_VERSION
        && reader.u8()? == kind as u8
        && reader.digest()? == *key;
    if !header_matches {
        return None;
    }
    let payload = reader.bytes()?;
    reader.is_done().then_some(payload)
}

/// Another file a check read while linting (a Compose service's Dockerfile), and what it held then: the
/// entry stands only while every such file still holds the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    pub path: PathBuf,
    /// `None`: the file was missing or unreadable.
    pub content: Option<Digest>,
}

/// The payload of a lint entry; `None` when a path is not UTF-8 (such a file is linted every time).
pub fn encode_lint(reads: &[Read], report: &FileReport) -> Option<Vec<u8>> {
    let FileReport { diagnostics, related, skipped } = report;
    let mut w = Writer::default();
    w.count(reads.len());
    for read in reads {
        w.str(read.path.to_str()?);
        match &read.content {
            None => w.u8(0),
            Some(digest) => {
                w.u8(1);
                w.digest(digest);
            }
        }
    }
    w.count(diagnostics.len());
    for diagnostic in diagnostics {
        encode_diagnostic(&mut w, diagnostic);
    }
    w.count(related.len());
    for path in related {
        w.str(path.to_str()?);
    }
    w.count(skipped.len());
    for note in skipped {
        w.str(note);
    }
    Some(w.into_bytes())
}

/// Reads a lint entry's payload back. `rules` finds each finding's rule by code; a code this build does not
/// know makes the entry unusable.
pub fn decode_lint(
    payload: &[u8],
    rules: &HashMap<&'static str, &'static RuleMeta>,
) -> Option<(Vec<Read>, FileReport)> {
    let mut r = Reader::new(payload);
    let reads = (0..r.count()?)
        .map(|_| {
            let path = PathBuf::from(r.str()?);
            let content = match r.u8()? {
                0 => None,
                1 => Some(r.digest()?),
                _ => return None,
            };
            Some(Read { path, content })
        })
        .collect::<Option<Vec<_>>>()?;
    let diagnostics = (0..r.count()?).map(|_| decode_diagnostic(&mut r, rules)).collect::<Option<_>>()?;
    let related = (0..r.count()?).map(|_| Some(PathBuf::from(r.str()?))).collect::<Option<_>>()?;
    let skipped = (0..r.count()?).map(|_| Some(r.str()?.to_string())).collect::<Option<_>>()?;
    r.is_done().then_some((reads, FileReport { diagnostics, related, skipped }))
}

fn encode_diagnostic(w: &mut Writer, diagnostic: &Diagnostic) {
    // Every field by name: a field added to `Diagnostic` does not compile until it is stored.
    let Diagnostic { rule, severity, message, range, labels, help, fix } = diagnostic;
    w.str(rule.code);
    w.u8(severity_code(*severity));
    w.str(message);
    encode_range(w, *range);
    w.count(labels.len());
    for Label { range, message } in labels {
        encode_range(w, *range);
        w.str(message);
    }
    w.opt_str(help.as_deref());
    match fix {
        None => w.u8(0),
        Some(Fix { title, edits }) => {
            w.u8(1);
            w.str(title);
            w.count(edits.len());
            for Edit { range, replacement } in edits {
                encode_range(w, *range);
                w.str(replacement);
            }
        }
    }
}

fn decode_diagnostic(r: &mut Reader, rules: &HashMap<&'static str, &'static RuleMeta>) -> Option<Diagnostic> {
    let rule = *rules.get(r.str()?)?;
    let severity = match r.u8()? {
        0 => Severity::Info,
        1 => Severity::Warning,
        2 => Severity::Error,
        _ => return None,
    };
    let message = r.str()?.to_string();
    let range = decode_range(r)?;
    let labels = (0..r.count()?)
        .map(|_| Some(Label { range: decode_range(r)?, message: r.str()?.to_string() }))
        .collect::<Option<_>>()?;
    let help = r.opt_str()?.map(str::to_string);
    let fix = match r.u8()? {
        0 => None,
        1 => {
            let title = r.str()?.to_string();
            let edits = (0..r.count()?)
                .map(|_| Some(Edit { range: decode_range(r)?, replacement: r.str()?.to_string() }))
                .collect::<Option<_>>()?;
            Some(Fix { title, edits })
        }
        _ => return None,
    };
    Some(Diagnostic { rule, severity, message, range, labels, help, fix })
}

fn encode_range(w: &mut Writer, range: TextRange) {
    w.u32(range.start);
    w.u32(range.end);
}

fn decode_range(r: &mut Reader) -> Option<TextRange> {
    let (start, end) = (r.u32()?, r.u32()?);
    // `TextRange::new` asserts the order; a damaged entry must not panic.
    (start <= end).then_some(TextRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> HashMap<&'static str, &'static RuleMeta> {
        plimsoll_rules::all().iter().map(|rule| (rule.meta.code, &rule.meta)).collect()
    }

    /// A report with every part a finding can have.
    fn report() -> FileReport {
        let rules = rules();
        let full = Diagnostic::new(rules["ISO001"], TextRange::new(3, 9), "runs as root")
            .with_label(TextRange::new(0, 2), "stage here")
            .with_label(TextRange::empty(11), "")
            .with_help("add `USER app`")
            .with_fix(Fix {
                title: "Add USER".into(),
                edits: vec![
                    Edit { range: TextRange::empty(9), replacement: "\nUSER app".into() },
                    Edit { range: TextRange::new(1, 2), replacement: String::new() },
                ],
            });
        let mut bare = Diagnostic::new(rules["IMG001"], TextRange::empty(0), "é ✓");
        bare.severity = Severity::Error;
        FileReport {
            diagnostics: vec![full, bare],
            related: vec![PathBuf::from("infra/db.yml")],
            skipped: vec!["a CustomResourceDefinition".into()],
        }
    }

    fn reads() -> Vec<Read> {
        vec![
            Read { path: "app/Dockerfile".into(), content: Some([4; 32]) },
            Read { path: "gone/Dockerfile".into(), content: None },
        ]
    }

    #[test]
    fn a_lint_entry_reads_back_exactly() {
        let payload = encode_lint(&reads(), &report()).unwrap();
        let key = [1; 32];
        let bytes = frame(Kind::Lint, &key, &payload);
        let (reads_back, report_back) =
            decode_lint(unframe(Kind::Lint, &key, &bytes).unwrap(), &rules()).unwrap();
        assert_eq!(reads_back, reads());
        let expected = report();
        assert_eq!(format!("{:?}", report_back.diagnostics), format!("{:?}", expected.diagnostics));
        for (back, original) in report_back.diagnostics.iter().zip(&expected.diagnostics) {
            assert!(std::ptr::eq(back.rule, original.rule), "the registry's own rule");
        }
        assert_eq!(report_back.related, expected.related);
        assert_eq!(report_back.skipped, expected.skipped);
    }

    #[test]
    fn damaged_foreign_and_other_version_entries_are_misses() {
        let payload = encode_lint(&reads(), &report()).unwrap();
        let key = [1; 32];
        let bytes = frame(Kind::Lint, &key, &payload);
        assert!(unframe(Kind::Lint, &key, &bytes).is_some());
        assert!(unframe(Kind::Lint, &[2; 32], &bytes).is_none(), "another key's entry");
        assert!(unframe(Kind::Facts, &key, &bytes).is_none(), "another kind");
        for len in [0, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(unframe(Kind::Lint, &key, &bytes[..len]).is_none(), "truncated to {len}");
        }
        for at in [0, 9, 13, 50, bytes.len() - 40, bytes.len() - 1] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            assert!(unframe(Kind::Lint, &key, &flipped).is_none(), "a bit flipped at {at}");
        }
        // A well-formed entry of another format version, checksum and all.
        let mut other = bytes[..bytes.len() - 32].to_vec();
        other[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        other.extend_from_slice(blake3::hash(&other).as_bytes());
        assert!(unframe(Kind::Lint, &key, &other).is_none(), "another format version");
    }

    #[test]
    fn a_payload_this_build_cannot_read_is_a_miss() {
        let mut unknown = report();
        unknown.diagnostics.truncate(1);
        let payload = encode_lint(&[], &unknown).unwrap();
        let mut known = rules();
        known.remove("ISO001");
        assert!(decode_lint(&payload, &known).is_none(), "a rule this build does not have");
        assert!(decode_lint(&payload[..payload.len() - 1], &rules()).is_none(), "short");
        let mut longer = payload.clone();
        longer.push(0);
        assert!(decode_lint(&longer, &rules()).is_none(), "trailing bytes");
    }
}
