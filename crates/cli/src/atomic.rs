//! Writing files so that readers never see half of one: the bytes go to a temporary file in the same
//! directory, which then replaces the target in one rename.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` atomically (on the same file system, as a rename in one directory is).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// [`write`] without waiting for the bytes to reach the disk: for files that are checked when read (the
/// result cache's entries), where a crash may lose them but never passes off a partial one. Syncing every
/// entry would cost a cold run more than linting.
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit_with(false)
}

/// A file written bit by bit that appears at its path whole, or not at all: [`AtomicFile::commit`] renames
/// it into place; dropped uncommitted, it is removed.
pub struct AtomicFile {
    temporary: PathBuf,
    target: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = path.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
        let mut temporary = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
        let mut attempt = 0;
        let file = loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary) {
                Ok(file) => break file,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                    temporary =
                        dir.join(format!(".{}.{}.{attempt}.tmp", name.to_string_lossy(), std::process::id()));
                }
                Err(err) => return Err(err),
            }
        };
        Ok(AtomicFile { temporary, target: path.to_path_buf(), file: Some(BufWriter::new(file)) })
    }

    /// Flushes the bytes to disk and moves the file into place.
    pub fn commit(self) -> io::Result<()> {
        self.commit_with(true)
    }

    fn commit_with(mut self, sync: bool) -> io::Result<()> {
        let file = self.file.take().expect("committed once");
        let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        if sync {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&self.temporary, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("not yet committed").write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("not yet committed").flush()
    }
}

impl Drop for AtomicFile {
    /// A failed commit or an abandoned write leaves no temporary file behind.
    fn drop(&mut self) {
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.temporary);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::{AtomicFile, write};

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("plimsoll-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("report.json");
        std::fs::write(&target, "old").unwrap();
        write(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(write(&dir.join("missing-dir/x"), b"x").is_err());

        // Written in parts, the old file stays until the commit; abandoned, nothing changes.
        let mut streamed = AtomicFile::create(&target).unwrap();
        streamed.write_all(b"part one, ").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        streamed.write_all(b"part two").unwrap();
        streamed.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "part one, part two");
        let mut abandoned = AtomicFile::create(&target).unwrap();
        abandoned.write_all(b"never seen").unwrap();
        drop(abandoned);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "part one, part two");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
