//! Test helpers: the real rule registry and throwaway directory trees.

use std::path::PathBuf;

use plimsoll_diagnostic::RuleMeta;

pub fn rules() -> Vec<&'static RuleMeta> {
    plimsoll_rules::all().iter().map(|rule| &rule.meta).collect()
}

/// A directory of files, removed when dropped.
pub struct TempTree {
    root: PathBuf,
}

impl TempTree {
    pub fn new(files: &[(&str, &str)]) -> TempTree {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("plimsoll-config-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(&root).unwrap();
        TempTree { root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        if relative.is_empty() { self.root.clone() } else { self.root.join(relative) }
    }

    /// The root directory's own name.
    pub fn name(&self) -> String {
        self.root.file_name().unwrap().to_string_lossy().into_owned()
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
