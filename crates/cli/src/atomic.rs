//! Writing files so that readers never see half of one: the bytes go to a temporary file in the same
//! directory, which then replaces the target in one rename.

use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `bytes` atomically (on the same file system, as a rename in one directory is).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, true)
}

/// [`write`] without waiting for the bytes to reach the disk: for files that are checked when read (the
/// result cache's entries), where a crash may lose them but never passes off a partial one. Syncing every
/// entry would cost a cold run more than linting.
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, false)
}

fn replace(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| io::Error::other("not a file name"))?;
    let mut temporary = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let mut attempt = 0;
    let mut file = loop {
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
    let written = file.write_all(bytes).and_then(|()| if sync { file.sync_all() } else { Ok(()) });
    drop(file);
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write;

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
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
