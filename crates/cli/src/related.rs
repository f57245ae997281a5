//! Files a linted file pulls in (a Compose file's `include` and `extends.file`), linted as that format
//! whatever their names, once each, even when the walk found them too.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use plimsoll_config::path_key;
use plimsoll_diagnostic::Format;

use crate::discover::Target;

/// Collects what is still to lint: paths not seen before that name existing files. `seen` holds the key of
/// each displayed path already linted (or queued), normalised.
#[derive(Default)]
pub struct Related {
    seen: HashSet<u128>,
}

impl Related {
    pub fn new<'a>(linted: impl IntoIterator<Item = &'a str>) -> Related {
        Related { seen: linted.into_iter().map(|p| path_key(&normalise(Path::new(p)))).collect() }
    }

    /// A target for `path` when it is a file no earlier target was.
    pub fn target(&mut self, path: &Path, format: Format) -> Option<Target> {
        let path = normalise(path);
        if !path.is_file() || !self.seen.insert(path_key(&path)) {
            return None;
        }
        Some(Target::file(&path, format))
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (symbolic links are not followed, as the walk
/// does not follow them either). A `..` that climbs out of a relative path is kept.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(out.components().next_back(), Some(Component::RootDir)) {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_is_lexical() {
        let n = |p: &str| normalise(Path::new(p)).display().to_string();
        assert_eq!(n("a/./b/../c.yml"), "a/c.yml");
        assert_eq!(n("./compose.yaml"), "compose.yaml");
        assert_eq!(n("../x/../y.yml"), "../y.yml");
        assert_eq!(n("/a/../../b"), "/b");
        assert_eq!(n("a/../../b"), "../b");
    }

    #[test]
    fn each_existing_file_once() {
        let dir = std::env::temp_dir().join(format!("plimsoll-related-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("infra")).unwrap();
        std::fs::write(dir.join("infra/db.yml"), "services: {}\n").unwrap();
        let main = dir.join("compose.yaml").display().to_string();
        let mut related = Related::new([main.as_str()]);
        assert!(related.target(&dir.join("compose.yaml"), Format::Compose).is_none(), "already linted");
        let db = related.target(&dir.join("x/../infra/db.yml"), Format::Compose).expect("a new file");
        assert_eq!(db.path, dir.join("infra/db.yml").display().to_string());
        assert!(related.target(&dir.join("infra/./db.yml"), Format::Compose).is_none(), "queued once");
        assert!(related.target(&dir.join("missing.yml"), Format::Compose).is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
