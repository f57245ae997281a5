//! Keeping the cache from growing without bound. Entries are never updated in place (a changed input makes a
//! new key), so old ones only go stale; the policy removes what no run has used for a while:
//!
//! - Another build's directory (another version, or a development build of other sources) once no run of
//!   that build has used it for [`BUILD_UNUSED_FOR`]: a developer who rebuilds all day keeps a day of builds,
//!   and two binaries used side by side keep theirs.
//! - An entry of this build once no run has used it for [`ENTRY_UNUSED_FOR`] (edited files, other settings,
//!   deleted files). A hit marks an entry used by setting its modification time, at most once a day per
//!   entry, so a warm run writes almost nothing; access times are not used (file systems mount `noatime`).
//! - Temporary files older than [`TEMPORARY_AGE`], left by a run that was killed while writing.
//!
//! The scan of this build's entries runs at most once per [`PRUNE_EVERY`]; checking the other builds costs a
//! directory listing and runs every time.

use std::fs::{self, File, Metadata};
use std::path::Path;
use std::time::{Duration, SystemTime};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);
pub const BUILD_UNUSED_FOR: Duration = DAY;
pub const ENTRY_UNUSED_FOR: Duration = Duration::from_secs(7 * 24 * 60 * 60);
pub const PRUNE_EVERY: Duration = DAY;
/// How stale an entry's mark of use may get before a hit renews it.
const REFRESH_AFTER: Duration = DAY;
const TEMPORARY_AGE: Duration = Duration::from_secs(60 * 60);

/// A build directory's mark of its last run: its modification time.
pub const LAST_USED: &str = "last-used";
/// The mark of the last scan of a build directory's entries.
const LAST_PRUNED: &str = "last-pruned";

/// Marks the build directory used by this run.
pub fn mark_build_used(build_dir: &Path) -> std::io::Result<()> {
    fs::write(build_dir.join(LAST_USED), b"")
}

/// Marks an entry that a run used, when its mark is older than [`REFRESH_AFTER`].
pub fn mark_entry_used(file: &File, meta: &Metadata, now: SystemTime) {
    if age(meta, now) > REFRESH_AFTER {
        // Only ever a later removal depends on it: on failure, the entry is linted again in a week.
        let _ = file.set_modified(now);
    }
}

/// Applies the policy to the cache under `root`, whose current build directory is `build_dir`.
pub fn prune(root: &Path, build_dir: &Path, now: SystemTime) {
    remove_unused_builds(root, build_dir, now);
    let pruned = build_dir.join(LAST_PRUNED);
    let due = fs::metadata(&pruned).map_or(true, |meta| age(&meta, now) >= PRUNE_EVERY);
    if due {
        remove_unused_entries(build_dir, now);
        let _ = fs::write(&pruned, b"");
    }
}

fn remove_unused_builds(root: &Path, build_dir: &Path, now: SystemTime) {
    let Ok(dirs) = fs::read_dir(root) else { return };
    for dir in dirs.flatten() {
        let path = dir.path();
        if path == build_dir {
            continue;
        }
        // Only directories this cache made: they carry the mark. Anything else in `root` is left alone.
        let Ok(used) = fs::metadata(path.join(LAST_USED)) else { continue };
        if age(&used, now) > BUILD_UNUSED_FOR {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn remove_unused_entries(build_dir: &Path, now: SystemTime) {
    let Ok(shards) = fs::read_dir(build_dir) else { return };
    for shard in shards.flatten() {
        if !shard.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(entries) = fs::read_dir(shard.path()) else { continue };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            let name = entry.file_name();
            let temporary = name.to_string_lossy().ends_with(".tmp");
            let limit = if temporary { TEMPORARY_AGE } else { ENTRY_UNUSED_FOR };
            if meta.is_file() && age(&meta, now) > limit {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// How long ago the file was modified; a time in the future (clock skew) counts as now.
fn age(meta: &Metadata, now: SystemTime) -> Duration {
    meta.modified().ok().and_then(|modified| now.duration_since(modified).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_removes_what_was_not_used() {
        let root = std::env::temp_dir().join(format!("plimsoll-prune-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let (current, other, foreign) = (root.join("current"), root.join("other"), root.join("not-ours"));
        for dir in [current.join("ab"), other.join("cd"), foreign.clone()] {
            fs::create_dir_all(dir).unwrap();
        }
        mark_build_used(&current).unwrap();
        mark_build_used(&other).unwrap();
        fs::write(current.join("ab/used"), b"x").unwrap();
        fs::write(current.join("ab/old"), b"x").unwrap();
        fs::write(current.join("ab/.old.1.tmp"), b"x").unwrap();
        fs::write(foreign.join("file"), b"x").unwrap();
        let start = SystemTime::now();

        // Half an hour later nothing is old, but the scan is done and marked.
        prune(&root, &current, start + Duration::from_secs(1800));
        assert!(other.exists() && current.join("ab/old").exists() && current.join("ab/.old.1.tmp").exists());
        assert!(current.join(LAST_PRUNED).exists());

        // Within the day, the entries are not scanned again.
        prune(&root, &current, start + 2 * TEMPORARY_AGE);
        assert!(current.join("ab/.old.1.tmp").exists(), "scanned less than a day ago");

        // Two days later: the other build is gone, and so is the temporary; this build's entries stay (not
        // a week old yet).
        prune(&root, &current, start + 2 * DAY);
        assert!(!other.exists(), "another build unused for two days");
        assert!(foreign.join("file").exists(), "a directory the cache did not make");
        assert!(!current.join("ab/.old.1.tmp").exists(), "a temporary left by a killed run");
        assert!(current.join("ab/old").exists());

        // A run uses one entry on day 5; on day 8 the other one has gone unused for over a week.
        let used = fs::File::open(current.join("ab/used")).unwrap();
        mark_entry_used(&used, &used.metadata().unwrap(), start + 5 * DAY);
        mark_build_used(&current).unwrap();
        prune(&root, &current, start + 8 * DAY);
        assert!(current.join("ab/used").exists(), "used three days ago");
        assert!(!current.join("ab/old").exists(), "unused for eight days");
        assert!(current.exists(), "the current build is never removed");
        fs::remove_dir_all(&root).unwrap();
    }
}
