//! Finding out which other files a file's findings depend on: the linter reads them through a
//! [`Workspace`] (a Compose service's `build:` reads its Dockerfile), so a workspace that notes each read
//! knows them all, whatever the format and whatever future checks read.

use std::path::Path;
use std::sync::Mutex;

use plimsoll_linter::{Project, Workspace};

use super::entry::Read;
use super::key;

/// Passes reads to `inner` and notes what each returned.
pub struct Recording<'a> {
    inner: &'a dyn Workspace,
    reads: Mutex<Vec<Read>>,
}

impl<'a> Recording<'a> {
    pub fn new(inner: &'a dyn Workspace) -> Recording<'a> {
        Recording { inner, reads: Mutex::new(Vec::new()) }
    }

    pub fn into_reads(self) -> Vec<Read> {
        self.reads.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

// Every method of `Workspace` is forwarded here: one left to its default would make the cached run see
// another workspace than the uncached one.
impl Workspace for Recording<'_> {
    fn read(&self, path: &Path) -> Option<String> {
        let text = self.inner.read(path);
        let read = Read { path: path.to_path_buf(), content: key::read(text.as_deref()) };
        self.reads.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(read);
        text
    }

    fn kubernetes_project(&self) -> Option<&Project> {
        self.inner.kubernetes_project()
    }
}

/// Whether every file read when the entry was made still holds what it held then.
pub fn still_valid(reads: &[Read], workspace: &dyn Workspace) -> bool {
    reads.iter().all(|read| key::read(workspace.read(&read.path).as_deref()) == read.content)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Files in memory.
    struct Files(Vec<(PathBuf, String)>);

    impl Workspace for Files {
        fn read(&self, path: &Path) -> Option<String> {
            self.0.iter().find(|(p, _)| p == path).map(|(_, text)| text.clone())
        }
    }

    #[test]
    fn reads_are_noted_and_checked_again() {
        let files = Files(vec![("app/Dockerfile".into(), "FROM alpine\n".into())]);
        let recording = Recording::new(&files);
        assert_eq!(recording.read(Path::new("app/Dockerfile")).as_deref(), Some("FROM alpine\n"));
        assert_eq!(recording.read(Path::new("missing")), None);
        assert!(recording.kubernetes_project().is_none());
        let reads = recording.into_reads();
        assert_eq!(reads.len(), 2);
        assert!(still_valid(&reads, &files));
        let edited = Files(vec![("app/Dockerfile".into(), "FROM alpine\nUSER app\n".into())]);
        assert!(!still_valid(&reads, &edited), "the Dockerfile changed");
        let created =
            Files(vec![("app/Dockerfile".into(), "FROM alpine\n".into()), ("missing".into(), String::new())]);
        assert!(!still_valid(&reads, &created), "a file that was missing exists now");
    }

    #[test]
    fn the_run_project_is_passed_through() {
        let run = plimsoll_linter::Run::default();
        assert!(Recording::new(&run).kubernetes_project().is_some());
    }
}
