//! Which configuration applies to a file: the nearest ancestor directory's `.plimsoll.toml` or
//! `plimsoll.toml` (`.plimsoll.toml` wins when both exist, as `.ruff.toml` wins over `ruff.toml`), else a
//! `.hadolint.yaml` there for Dockerfiles, else the parent directory's answer. Answers are cached per
//! directory, so a walk looks at each directory's config file names once, not once per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use plimsoll_diagnostic::{Format, RuleMeta};

use crate::error::ConfigError;
use crate::files::FilePatterns;
use crate::layer::Layer;
use crate::load::{absolute, load_chain, shown};

/// The configuration file names, in order of precedence within one directory.
pub const FILE_NAMES: &[&str] = &[".plimsoll.toml", "plimsoll.toml"];

/// One resolved configuration: the layers of a file and of those it extends, base first (none: the
/// defaults).
#[derive(Debug)]
pub struct Config {
    /// Distinct per loaded file (0: the defaults), so a run builds one linter per configuration in use.
    pub id: usize,
    pub layers: Vec<Layer>,
    pub files: FilePatterns,
}

impl Config {
    fn new(id: usize, layers: Vec<Layer>) -> Config {
        let files = FilePatterns::new(&layers.iter().collect::<Vec<_>>());
        Config { id, layers, files }
    }

    /// The file this configuration was found in (the last layer), if any.
    pub fn file(&self) -> Option<&Layer> {
        self.layers.last()
    }
}

/// How configuration is found.
pub enum Mode {
    /// The nearest ancestor's file, per linted file.
    Nearest,
    /// One file for every input (`--config`).
    Fixed(PathBuf),
    /// No configuration file at all (`--isolated`).
    Isolated,
}

#[derive(Clone)]
struct Found {
    general: Arc<Config>,
    /// Differs from `general` where a `.hadolint.yaml` is nearer than any plimsoll configuration.
    dockerfile: Arc<Config>,
}

pub struct Resolver {
    rules: Vec<&'static RuleMeta>,
    default: Arc<Config>,
    fixed: Option<Arc<Config>>,
    isolated: bool,
    /// Read by every walker thread for every file, written once per directory. Keyed by a digest of the
    /// absolute path ([`path_key`]), not the path: a big run meets tens of thousands of directories.
    directories: RwLock<HashMap<u128, Found>>,
    /// Configurations by file, so racing walker threads share one.
    loaded: Mutex<HashMap<PathBuf, Arc<Config>>>,
    errors: Mutex<Vec<ConfigError>>,
    /// Read once: asking the system for the working directory per file showed in a 10,000-file walk.
    cwd: PathBuf,
}

impl Resolver {
    /// A resolver; with [`Mode::Fixed`] the file is read now, and its errors returned.
    pub fn new(mode: Mode, rules: &[&'static RuleMeta]) -> Result<Resolver, ConfigError> {
        let mut resolver = Resolver {
            rules: rules.to_vec(),
            default: Arc::new(Config::new(0, Vec::new())),
            fixed: None,
            isolated: false,
            directories: RwLock::new(HashMap::new()),
            loaded: Mutex::new(HashMap::new()),
            errors: Mutex::new(Vec::new()),
            cwd: absolute(Path::new(".")),
        };
        match mode {
            Mode::Nearest => {}
            Mode::Isolated => resolver.isolated = true,
            Mode::Fixed(path) => {
                let path = absolute(&path);
                if !path.is_file() {
                    return Err(ConfigError::new(&shown(&path), "no such configuration file"));
                }
                resolver.fixed = Some(Arc::new(Config::new(1, load_chain(&path, rules)?)));
            }
        }
        Ok(resolver)
    }

    /// The configuration for a file of `format` at `path` (relative to the working directory or absolute).
    pub fn for_file(&self, path: &Path, format: Format) -> Arc<Config> {
        let path = self.absolute(path);
        let dir = path.parent().unwrap_or(&path);
        self.for_directory(dir, format)
    }

    /// The configuration for files of `format` directly in `dir`.
    pub fn for_directory(&self, dir: &Path, format: Format) -> Arc<Config> {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        if self.isolated {
            return self.default.clone();
        }
        let found = self.found(&self.absolute(dir));
        if format == Format::Dockerfile { found.dockerfile } else { found.general }
    }

    /// `path` made absolute against the working directory (as when the resolver was made) and normalised.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        absolute(&self.cwd.join(path))
    }

    /// The configuration the run's own settings come from (`fail-on`, Kubernetes facts shared by all files):
    /// the working directory's.
    pub fn root(&self) -> Arc<Config> {
        self.for_directory(Path::new("."), Format::Kubernetes)
    }

    /// Problems met so far, sorted and without repeats.
    pub fn errors(&self) -> Vec<ConfigError> {
        let mut errors = lock(&self.errors).clone();
        errors.sort();
        errors.dedup();
        errors
    }

    fn found(&self, dir: &Path) -> Found {
        let key = path_key(dir);
        let cached =
            self.directories.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&key).cloned();
        if let Some(found) = cached {
            return found.clone();
        }
        // Not holding the lock while reading files or asking the parent: other threads go on, and the
        // worst a race costs is looking at the same names twice.
        let found = match FILE_NAMES.iter().map(|name| dir.join(name)).find(|path| path.is_file()) {
            Some(path) => {
                let config = self.load(&path, load_chain);
                Found { general: config.clone(), dockerfile: config }
            }
            None => {
                let parent = match dir.parent() {
                    Some(parent) => self.found(parent),
                    None => Found { general: self.default.clone(), dockerfile: self.default.clone() },
                };
                match crate::hadolint::FILE_NAMES
                    .iter()
                    .map(|name| dir.join(name))
                    .find(|path| path.is_file())
                {
                    Some(path) => {
                        let dockerfile = self.load(&path, |path, rules| {
                            let shown = shown(path);
                            let text = crate::load::read(path, &shown)?;
                            let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
                            Ok(vec![crate::hadolint::translate(&text, &shown, dir, rules)?])
                        });
                        Found { general: parent.general, dockerfile }
                    }
                    None => parent,
                }
            }
        };
        let mut directories = self.directories.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        directories.entry(key).or_insert(found).clone()
    }

    fn load(
        &self,
        path: &Path,
        read: impl FnOnce(&Path, &[&'static RuleMeta]) -> Result<Vec<Layer>, ConfigError>,
    ) -> Arc<Config> {
        if let Some(config) = lock(&self.loaded).get(path) {
            return config.clone();
        }
        let layers = read(path, &self.rules).unwrap_or_else(|error| {
            lock(&self.errors).push(error);
            Vec::new()
        });
        let mut loaded = lock(&self.loaded);
        let id = loaded.len() + 1;
        loaded.entry(path.to_path_buf()).or_insert_with(|| Arc::new(Config::new(id, layers))).clone()
    }
}

/// A path's key in a set or map that holds one per file or directory of a big run: the first 128 bits of a
/// BLAKE3 digest of the path, a fifth of a typical path's size. Two paths share one with a probability of
/// 2⁻¹²⁸.
pub fn path_key(dir: &Path) -> u128 {
    let digest = blake3::hash(dir.as_os_str().as_encoded_bytes());
    let mut first = [0; 16];
    first.copy_from_slice(&digest.as_bytes()[..16]);
    u128::from_le_bytes(first)
}

/// A poisoned lock only means another walker thread panicked; the map is still whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Source;
    use crate::testing::{TempTree, rules};

    fn source(config: &Config) -> Option<String> {
        config.file().map(|layer| match &layer.source {
            Source::File(f) | Source::Hadolint(f) => f.rsplit('/').take(2).collect::<Vec<_>>().join("<"),
            Source::CommandLine => "cli".into(),
        })
    }

    #[test]
    fn the_nearest_ancestor_wins_and_dotted_names_first() {
        let tree = TempTree::new(&[
            ("plimsoll.toml", "select = [\"ALL\"]\n"),
            ("a/.plimsoll.toml", "ignore = [\"ISO\"]\n"),
            ("a/plimsoll.toml", "ignore = [\"IMG\"]\n"),
            ("a/b/c/Dockerfile", ""),
            ("d/.hadolint.yaml", "ignored: [DL3002]\n"),
            ("d/e/Dockerfile", ""),
        ]);
        let resolver = Resolver::new(Mode::Nearest, &rules()).unwrap();
        let deep = resolver.for_file(&tree.path("a/b/c/Dockerfile"), Format::Dockerfile);
        assert_eq!(source(&deep).as_deref(), Some(".plimsoll.toml<a"));
        assert!(Arc::ptr_eq(&deep, &resolver.for_directory(&tree.path("a"), Format::Compose)));
        assert_eq!(
            source(&resolver.for_directory(&tree.path("x"), Format::Compose)).as_deref(),
            Some(&*format!("plimsoll.toml<{}", tree.name()))
        );
        // hadolint's file serves Dockerfiles only; other files see the plimsoll configuration above it.
        let docker = resolver.for_file(&tree.path("d/e/Dockerfile"), Format::Dockerfile);
        assert_eq!(source(&docker).as_deref(), Some(".hadolint.yaml<d"));
        let compose = resolver.for_file(&tree.path("d/e/compose.yaml"), Format::Compose);
        assert_eq!(source(&compose).as_deref(), Some(&*format!("plimsoll.toml<{}", tree.name())));
        assert!(resolver.errors().is_empty());
    }

    #[test]
    fn fixed_isolated_and_broken_configurations() {
        let tree = TempTree::new(&[
            ("plimsoll.toml", "select = [\"ALL\"]\n"),
            ("bad/plimsoll.toml", "selct = []\n"),
            ("other.toml", ""),
        ]);
        let fixed = Resolver::new(Mode::Fixed(tree.path("other.toml")), &rules()).unwrap();
        assert_eq!(fixed.for_file(&tree.path("bad/Dockerfile"), Format::Dockerfile).id, 1);
        let isolated = Resolver::new(Mode::Isolated, &rules()).unwrap();
        assert!(isolated.for_file(&tree.path("Dockerfile"), Format::Dockerfile).layers.is_empty());
        assert!(Resolver::new(Mode::Fixed(tree.path("missing.toml")), &rules()).is_err());
        let nearest = Resolver::new(Mode::Nearest, &rules()).unwrap();
        nearest.for_file(&tree.path("bad/Dockerfile"), Format::Dockerfile);
        nearest.for_file(&tree.path("bad/x/Dockerfile"), Format::Dockerfile);
        let errors = nearest.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .ends_with("plimsoll.toml:1:1: unknown key `selct` (did you mean `select`?)")
        );
    }
}
