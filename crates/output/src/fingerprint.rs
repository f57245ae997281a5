//! Fingerprints that identify a finding across edits: built from the rule, the file's path and the
//! normalised text of the lines the finding covers — never its line number — so code that moves keeps its
//! fingerprint, and baselines, SARIF `partialFingerprints` and GitLab Code Quality all agree on it.
//!
//! Two findings with the same rule, path and snippet (the same line repeated in a file) are told apart by
//! their order among such findings: the first is occurrence 0, the next occurrence 1, and so on.

use std::collections::HashMap;
use std::fmt;

use plimsoll_diagnostic::Diagnostic;
use plimsoll_span::TextRange;

use crate::FileFindings;

/// How many of the lines a finding covers go into its snippet: a finding over a whole Kubernetes object
/// is identified by its first lines, and an edit deep inside the object does not change it.
const SNIPPET_LINES: usize = 3;

/// A finding's fingerprint: 128 bits of FNV-1a, printed as 32 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub u128);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl std::str::FromStr for Fingerprint {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.len() != 32 {
            return Err(format!("`{text}` is not a fingerprint (32 hex digits)"));
        }
        u128::from_str_radix(text, 16).map(Fingerprint).map_err(|_| format!("`{text}` is not a fingerprint"))
    }
}

/// The whitespace-collapsed text of the (first few) lines `range` covers: what identifies the place of a
/// finding without its line number. Indentation and line-ending changes do not alter it.
pub fn snippet(text: &str, range: TextRange) -> String {
    let mut start = (range.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (range.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let covered = text.get(line_start..line_end).unwrap_or("");
    let mut out = String::new();
    for line in covered.lines().take(SNIPPET_LINES) {
        for word in line.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The fingerprint of a finding of `code` at `path` whose snippet is `snippet`, the `occurrence`-th such.
pub fn fingerprint(code: &str, path: &str, snippet: &str, occurrence: usize) -> Fingerprint {
    let mut hash = Fnv128::new();
    hash.write(code.as_bytes());
    hash.write(&[0]);
    // Windows and Unix spellings of one path are one file.
    hash.write(path.replace('\\', "/").as_bytes());
    hash.write(&[0]);
    hash.write(snippet.as_bytes());
    hash.write(&[0]);
    hash.write(occurrence.to_string().as_bytes());
    Fingerprint(hash.0)
}

impl FileFindings<'_> {
    /// The fingerprints of the file's findings, in the order of [`FileFindings::sorted`].
    pub fn fingerprints(&self) -> Vec<(&Diagnostic, Fingerprint)> {
        self.fingerprints_at(self.path())
    }

    /// The fingerprints with the file's path given as `path` (a report's project-relative path, a
    /// baseline's path relative to itself), so `./x`, `x` and `/repo/x` agree.
    pub fn fingerprints_at(&self, path: &str) -> Vec<(&Diagnostic, Fingerprint)> {
        let mut seen: HashMap<(&str, String), usize> = HashMap::new();
        self.sorted()
            .into_iter()
            .map(|diagnostic| {
                let code = diagnostic.rule.code;
                let snippet = snippet(self.text(), diagnostic.range);
                let occurrence = seen.entry((code, snippet.clone())).or_default();
                *occurrence += 1;
                (diagnostic, fingerprint(code, path, &snippet, *occurrence - 1))
            })
            .collect()
    }
}

/// FNV-1a with the 128-bit parameters: stable across Rust versions and platforms, unlike `std`'s hasher.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;

    fn new() -> Fnv128 {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{WARNING_RULE, diag};

    #[test]
    fn snippets_ignore_indentation_and_keep_at_most_three_lines() {
        let text = "a:\n  b:   c\n  d: e\n  f: g\n  h: i\n";
        let b = text.find("b:").unwrap();
        assert_eq!(snippet(text, TextRange::from_usize(b + 3, b + 4)), "b: c");
        assert_eq!(snippet(text, TextRange::from_usize(0, text.len())), "a: b: c d: e");
        assert_eq!(snippet(text, TextRange::from_usize(text.len(), text.len())), "");
        assert_eq!(snippet("x\ny", TextRange::new(7, 9)), "y", "out-of-range offsets are clamped");
        assert_eq!(snippet("é", TextRange::new(1, 1)), "é", "offsets inside a character are widened");
    }

    #[test]
    fn moving_code_keeps_fingerprints_and_repeats_are_told_apart() {
        let before = "FROM a\nRUN sudo x\nRUN sudo x\n";
        let after = "FROM a\n\n# a comment\n    RUN sudo x\nRUN sudo x\n";
        let at = |text: &str, n: usize| text.match_indices("sudo").nth(n).unwrap().0;
        let findings = |text: &'static str| {
            vec![
                diag(&WARNING_RULE, at(text, 0), at(text, 0) + 4, "x"),
                diag(&WARNING_RULE, at(text, 1), at(text, 1) + 4, "x"),
            ]
        };
        let (one, two) = (findings(before), findings(after));
        let prints = |text, found| {
            FileFindings::new("app/Dockerfile", text, found)
                .fingerprints()
                .into_iter()
                .map(|(_, f)| f)
                .collect::<Vec<_>>()
        };
        let (first, second) = (prints(before, &one), prints(after, &two));
        assert_eq!(first, second);
        assert_ne!(first[0], first[1]);
        assert_ne!(fingerprint("TST002", "a", "x", 0), fingerprint("TST002", "b", "x", 0));
        assert_eq!(fingerprint("TST002", "a\\b", "x", 0), fingerprint("TST002", "a/b", "x", 0));
        let printed = first[0].to_string();
        assert_eq!(printed.len(), 32);
        assert_eq!(printed.parse::<Fingerprint>(), Ok(first[0]));
        assert!("xyz".parse::<Fingerprint>().is_err());
    }

    #[test]
    fn the_hash_is_fixed() {
        // A change here invalidates every baseline users have written: only with a new baseline version.
        assert_eq!(fingerprint("ISO001", "Dockerfile", "FROM debian", 0).to_string(), {
            let mut h = Fnv128::new();
            h.write(b"ISO001\0Dockerfile\0FROM debian\0");
            h.write(b"0");
            format!("{:032x}", h.0)
        });
        let mut empty = Fnv128::new();
        empty.write(b"");
        assert_eq!(empty.0, Fnv128::OFFSET);
        let mut a = Fnv128::new();
        a.write(b"a");
        assert_eq!(format!("{:032x}", a.0), "d228cb696f1a8caf78912b704e4a8964");
    }
}
