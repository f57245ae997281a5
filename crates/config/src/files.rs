//! `[files]`: which paths the walk skips and which names mark a kind of file, each glob relative to the
//! configuration file that wrote it.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use plimsoll_diagnostic::Format;

use crate::layer::Layer;
use crate::resolve::{accumulated, last};

#[derive(Clone, Debug, Default)]
pub struct FilePatterns {
    exclude: Vec<Pattern>,
    kinds: Vec<(Format, Pattern)>,
}

#[derive(Clone, Debug)]
struct Pattern {
    base: PathBuf,
    matcher: GlobMatcher,
}

impl Pattern {
    /// Matches the path relative to the base, or its last component alone (so `vendor` skips every
    /// `vendor` directory and `*.docker` names files at any depth).
    fn matches(&self, path: &Path) -> bool {
        path.strip_prefix(&self.base).is_ok_and(|relative| self.matcher.is_match(relative))
            || path.file_name().is_some_and(|name| self.matcher.is_match(name))
    }
}

pub const KIND_KEYS: &[(&str, Format)] = &[
    ("files.dockerfile", Format::Dockerfile),
    ("files.compose", Format::Compose),
    ("files.kubernetes", Format::Kubernetes),
    ("files.iam", Format::Iam),
];

impl FilePatterns {
    pub fn new(layers: &[&Layer]) -> FilePatterns {
        let patterns = |layer: &Layer, value: &crate::layer::Value| -> Vec<Pattern> {
            value
                .items()
                .iter()
                // Validated when parsed.
                .filter_map(|item| Glob::new(&item.text).ok())
                .map(|glob| Pattern { base: layer.dir.clone(), matcher: glob.compile_matcher() })
                .collect()
        };
        let exclude = accumulated(layers, "files.exclude")
            .into_iter()
            .flat_map(|(layer, value)| patterns(layer, value))
            .collect();
        let kinds = KIND_KEYS
            .iter()
            .filter_map(|(key, format)| {
                last(layers, key).map(|(layer, value)| (format, patterns(layer, value)))
            })
            .flat_map(|(format, patterns)| patterns.into_iter().map(move |p| (*format, p)))
            .collect();
        FilePatterns { exclude, kinds }
    }

    /// Whether the walk skips `path` (absolute, normalised).
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.iter().any(|p| p.matches(path))
    }

    /// The kind `[files]` gives `path` (absolute, normalised), if any.
    pub fn kind_of(&self, path: &Path) -> Option<Format> {
        self.kinds.iter().find(|(_, p)| p.matches(path)).map(|(format, _)| *format)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rules;

    #[test]
    fn excludes_and_kinds_relative_to_their_file() {
        let base =
            crate::parse::parse("[files]\nexclude = [\"vendor\"]\n", "b", "/repo".into(), &rules()).unwrap();
        let child = crate::parse::parse(
            "[files]\nextend-exclude = [\"gen/**\"]\ndockerfile = [\"*.docker\", \"build/*.image\"]\n",
            "c",
            "/repo/team".into(),
            &rules(),
        )
        .unwrap();
        let files = FilePatterns::new(&[&base, &child]);
        assert!(files.is_excluded(Path::new("/repo/a/vendor")));
        assert!(files.is_excluded(Path::new("/repo/team/gen/x/Dockerfile")));
        assert!(!files.is_excluded(Path::new("/repo/gen/x/Dockerfile")));
        assert_eq!(files.kind_of(Path::new("/repo/team/deep/app.docker")), Some(Format::Dockerfile));
        assert_eq!(files.kind_of(Path::new("/repo/team/build/app.image")), Some(Format::Dockerfile));
        assert_eq!(files.kind_of(Path::new("/repo/build/app.image")), None);
        let replaced = crate::parse::parse("[files]\nexclude = []\n", "d", "/repo".into(), &rules()).unwrap();
        assert!(!FilePatterns::new(&[&base, &replaced]).is_excluded(Path::new("/repo/vendor")));
    }
}
