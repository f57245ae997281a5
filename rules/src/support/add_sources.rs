//! What an `ADD` source is, as BuildKit decides it: a URL it downloads, a Git repository it clones, a local
//! tar archive it extracts, a heredoc, or a plain local file or directory (which `COPY` copies the same way).
//!
//! Per the Dockerfile reference, a source is local unless it starts with `http://`, `https://` or `git@`;
//! BuildKit also clones `git://` and `ssh://` addresses, and an `http(s)://` URL is a Git repository when its
//! path ends in `.git`. Local tar archives (uncompressed, gzip, bzip2, xz, zstd) are extracted; BuildKit
//! recognises them by content, so the names here are the conventional ones, and a name with only a
//! compression suffix (`rootfs.gz`) is taken as a possible archive rather than flagged.

use plimsoll_dockerfile::{DWord, Instruction};

/// The kind of one `ADD` source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddSource {
    /// An `http://` or `https://` download.
    Http,
    /// A Git repository; `pinned` when the address itself names a full commit (`#<sha>`, `?commit=`).
    Git { pinned: bool },
    /// `<<EOF`: content written inline.
    Heredoc,
    /// A file or directory of the build context; `archive` when ADD would extract it.
    Local { archive: bool },
    /// Depends on a variable without a value.
    Unknown,
}

/// Names of tar archives, compressed or not, that `ADD` extracts (compared lower-case).
const TAR_SUFFIXES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".taz",
    ".tar.bz2",
    ".tbz2",
    ".tbz",
    ".tb2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tar.zstd",
    ".tzst",
];

/// Compression suffixes alone: the content may still be a tar, which ADD would extract.
const COMPRESSION_SUFFIXES: &[&str] = &[".gz", ".bz2", ".xz", ".zst"];

/// Classifies `source` (a word of `inst`, an `ADD`); `expanded` is its text after variable substitution and
/// `complete` whether every variable had a value.
pub fn classify(inst: &Instruction, source: &DWord, expanded: &str, complete: bool) -> AddSource {
    if inst.heredocs.iter().any(|h| h.marker == source.range) {
        return AddSource::Heredoc;
    }
    // BuildKit compares these prefixes case-sensitively: `HTTP://x` is a local path to it.
    if ["git@", "git://", "ssh://"].iter().any(|p| expanded.starts_with(p)) {
        return AddSource::Git { pinned: git_pins_commit(expanded) };
    }
    if expanded.starts_with("http://") || expanded.starts_with("https://") {
        let path = expanded.split(['?', '#']).next().unwrap_or(expanded);
        return if path.ends_with(".git") {
            AddSource::Git { pinned: git_pins_commit(expanded) }
        } else {
            AddSource::Http
        };
    }
    if !complete {
        return AddSource::Unknown;
    }
    let unpack = inst.flag("unpack").and_then(|f| f.value.as_ref()).is_none_or(|v| v.text != "false");
    let lower = expanded.to_ascii_lowercase();
    let archive =
        unpack && TAR_SUFFIXES.iter().chain(COMPRESSION_SUFFIXES).any(|suffix| lower.ends_with(suffix));
    AddSource::Local { archive }
}

/// Whether a Git address names a full commit: `#<sha>[:subdir]`, `?ref=<sha>`, or the `commit=`/`checksum=`
/// query that makes BuildKit verify the ref resolves to that commit.
fn git_pins_commit(address: &str) -> bool {
    let (rest, fragment) = match address.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (address, None),
    };
    if fragment.is_some_and(|f| is_full_commit(f.split(':').next().unwrap_or(f))) {
        return true;
    }
    let Some((_, query)) = rest.split_once('?') else { return false };
    query.split('&').any(|pair| match pair.split_once('=') {
        Some(("commit" | "checksum", value)) => !value.is_empty(),
        Some(("ref", value)) => is_full_commit(value),
        _ => false,
    })
}

/// A full SHA-1 (40) or SHA-256 (64) commit id.
fn is_full_commit(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use plimsoll_dockerfile::Body;

    use super::*;

    fn kinds(text: &str) -> Vec<AddSource> {
        let file = plimsoll_dockerfile::parse(text);
        let inst = file.instructions.last().unwrap().effective();
        let Body::Add(add) = &inst.body else { panic!("not an ADD: {text}") };
        add.sources.iter().map(|s| classify(inst, s, &s.text, !s.text.contains('$'))).collect()
    }

    #[test]
    fn remote_sources() {
        assert_eq!(kinds("ADD https://example.com/a.tar.gz /a\n"), [AddSource::Http]);
        assert_eq!(kinds("ADD HTTP://example.com/a /a\n"), [AddSource::Local { archive: false }]);
        assert_eq!(kinds("ADD https://example.com/${V}/a /a\n"), [AddSource::Http]);
        assert_eq!(
            kinds("ADD https://github.com/moby/buildkit.git#v0.10.1 /b\n"),
            [AddSource::Git { pinned: false }]
        );
        assert_eq!(kinds("ADD git@github.com:moby/buildkit.git /b\n"), [AddSource::Git { pinned: false }]);
        assert_eq!(kinds("ADD ssh://git@example.com/repo /b\n"), [AddSource::Git { pinned: false }]);
        let sha = "a".repeat(40);
        assert_eq!(
            kinds(&format!("ADD https://x.io/r.git#{sha}:docs /d\n")),
            [AddSource::Git { pinned: true }]
        );
        assert_eq!(
            kinds("ADD https://x.io/r.git?tag=v1&commit=66735c67 /d\n"),
            [AddSource::Git { pinned: true }]
        );
        assert_eq!(kinds("ADD https://x.io/r.git?branch=main /d\n"), [AddSource::Git { pinned: false }]);
    }

    #[test]
    fn local_sources() {
        assert_eq!(kinds("ADD app.jar /app/\n"), [AddSource::Local { archive: false }]);
        assert_eq!(kinds("ADD . /app\n"), [AddSource::Local { archive: false }]);
        assert_eq!(kinds("ADD dist.zip /app/\n"), [AddSource::Local { archive: false }]);
        assert_eq!(kinds("ADD rootfs.tar.xz /\n"), [AddSource::Local { archive: true }]);
        assert_eq!(kinds("ADD Release.TGZ *.tar.gz /x/\n"), [AddSource::Local { archive: true }; 2]);
        assert_eq!(kinds("ADD --unpack=false a.tar.gz /a\n"), [AddSource::Local { archive: false }]);
        assert_eq!(kinds("ADD <<EOF /x\nhi\nEOF\n"), [AddSource::Heredoc]);
        assert_eq!(kinds("ADD ${SRC} /x\n"), [AddSource::Unknown]);
    }
}
