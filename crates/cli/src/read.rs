//! Reading inputs without trusting their size: files over [`MAX_FILE_BYTES`] are never read whole.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use plimsoll_linter::{MAX_FILE_BYTES, SourceFile};

/// How much of an oversized file is read to tell its kind from its content.
const SNIFF_BYTES: u64 = 64 * 1024;

/// A file's content for the linter; an oversized file becomes [`SourceFile::too_large`] unread (the linter
/// reports it).
pub fn source(path: &Path) -> io::Result<SourceFile> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_FILE_BYTES {
        return Ok(SourceFile::too_large(size));
    }
    // Pipes and device files report size 0, and a file may grow while we read: bound the read itself too.
    bounded(file)
}

/// Standard input, bounded like a file.
pub fn stdin() -> io::Result<SourceFile> {
    bounded(io::stdin().lock())
}

fn bounded(mut reader: impl Read) -> io::Result<SourceFile> {
    let mut bytes = Vec::new();
    (&mut reader).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let rest = io::copy(&mut reader, &mut io::sink())?;
        return Ok(SourceFile::too_large(bytes.len() as u64 + rest));
    }
    Ok(SourceFile::from_bytes(bytes))
}

/// The start of a file, decoded leniently, for content sniffing when the whole file is too large to read.
pub fn head(path: &Path) -> io::Result<String> {
    let mut bytes = Vec::new();
    File::open(path)?.take(SNIFF_BYTES).read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
