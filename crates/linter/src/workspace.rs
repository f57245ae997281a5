//! The files around the one being linted: a Compose service's `build:` reads its Dockerfile. The CLI reads
//! them from disk, the LSP server from its open buffers and the disk, tests from memory.

use std::path::{Path, PathBuf};

use plimsoll_compose::{Build, BuiltImage, BuiltImages};
use plimsoll_dockerfile::Analysis;
use plimsoll_kubernetes::Project;
use plimsoll_model::Setting;

use crate::source::MAX_FILE_BYTES;

/// Reads other files of the project.
pub trait Workspace: Sync {
    /// The file's text, or `None` when it does not exist, cannot be read or is too large.
    fn read(&self, path: &Path) -> Option<String>;

    /// The Kubernetes objects of the whole run (LimitRanges, NetworkPolicies, ServiceAccounts, pods), for
    /// checks that join objects across files; `None` when only this file is known.
    fn kubernetes_project(&self) -> Option<&Project> {
        None
    }
}

/// The files of a run on disk, with the Kubernetes objects they define.
#[derive(Debug, Default)]
pub struct Run {
    pub project: Project,
}

impl Workspace for Run {
    fn read(&self, path: &Path) -> Option<String> {
        Disk.read(path)
    }

    fn kubernetes_project(&self) -> Option<&Project> {
        Some(&self.project)
    }
}

/// No other file can be read (standard input, a test).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoWorkspace;

impl Workspace for NoWorkspace {
    fn read(&self, _: &Path) -> Option<String> {
        None
    }
}

/// The file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl Workspace for Disk {
    fn read(&self, path: &Path) -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            return None;
        }
        Some(String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned())
    }
}

/// Where the linted file is and how to read its neighbours.
#[derive(Clone, Copy)]
pub struct FileContext<'a> {
    /// The file's path, when it has one (not for standard input without `--stdin-filename`).
    pub path: Option<&'a Path>,
    pub workspace: &'a dyn Workspace,
}

impl FileContext<'_> {
    pub fn detached() -> FileContext<'static> {
        FileContext { path: None, workspace: &NoWorkspace }
    }

    pub fn file_name(&self) -> Option<&str> {
        self.path.and_then(Path::file_name).and_then(|n| n.to_str())
    }
}

/// Answers Compose's "what does this `build:` produce" by reading and lowering the Dockerfile.
pub(crate) struct DockerfileBuilds<'a> {
    pub context: FileContext<'a>,
}

impl DockerfileBuilds<'_> {
    fn dockerfile_path(&self, build: &Build) -> Option<PathBuf> {
        let dir = self.context.path?.parent()?;
        Some(dir.join(&build.context).join(&build.dockerfile))
    }
}

impl BuiltImages for DockerfileBuilds<'_> {
    fn built_image(&self, build: &Build) -> Option<BuiltImage> {
        let (text, shown) = match &build.inline {
            Some(inline) => (inline.clone(), "dockerfile_inline".to_string()),
            None => {
                let path = self.dockerfile_path(build)?;
                (self.context.workspace.read(&path)?, path.display().to_string())
            }
        };
        // Only the built image's user and ports are asked for: the RUN scripts need not be parsed.
        let file = plimsoll_dockerfile::parse_outline(&text);
        let analysis = Analysis::new(&file);
        let stage = match &build.target {
            Some(target) => analysis.stage_named(target, analysis.stages.len())?,
            None => analysis.final_stage()?,
        };
        let container = plimsoll_dockerfile::container(&file, &analysis, stage);
        let user = match container.user {
            Setting::Explicit(user, _) | Setting::Inherited(user, _) => Some(user),
            Setting::Unset { .. } | Setting::Unknown(_) => None,
        };
        Some(BuiltImage { user, ports: container.ports, dockerfile: shown })
    }
}
