//! The Kubernetes objects of the workspace on disk (LimitRanges, NetworkPolicies, ServiceAccounts, RBAC,
//! pods), so an open manifest is judged with the rest of its project as `plimsoll check` judges it: a
//! Deployment whose NetworkPolicy lives in another file is not reported as unprotected. Gathered once in
//! the background, refreshed per file when the editor reports a change on disk; the open buffer's own
//! objects always come from its unsaved text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use plimsoll_config::absolute;
use plimsoll_diagnostic::Format;
use plimsoll_kubernetes::project::Facts;
use plimsoll_linter::{Disk, Linter, Project, Workspace, is_yaml_or_json, kind_from_content};

use crate::jobs::buffer_source;

/// Facts by absolute path.
pub type DiskFacts = HashMap<PathBuf, Facts>;

/// How many YAML and JSON files a scan reads at most: a monorepo's manifests, without letting a workspace
/// opened at `/` read the whole disk.
const MAX_SCANNED_FILES: usize = 20_000;

/// The Kubernetes facts of every manifest under `roots`, honouring `.gitignore` as `plimsoll check` does.
pub fn scan(roots: &[PathBuf], linter: &Linter) -> DiskFacts {
    let mut facts = DiskFacts::new();
    let mut scanned = 0;
    for root in roots {
        for entry in ignore::WalkBuilder::new(root).build().flatten() {
            if scanned >= MAX_SCANNED_FILES {
                return facts;
            }
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) || !is_yaml_or_json(path) {
                continue;
            }
            scanned += 1;
            if let Some(found) = file_facts(path, linter) {
                facts.insert(absolute(path), found);
            }
        }
    }
    facts
}

/// The facts of one file on disk, if it is a Kubernetes manifest.
pub fn file_facts(path: &Path, linter: &Linter) -> Option<Facts> {
    let text = Disk.read(path)?;
    text_facts(&text, path, linter)
}

pub fn text_facts(text: &str, path: &Path, linter: &Linter) -> Option<Facts> {
    if kind_from_content(text) != Some(Format::Kubernetes) {
        return None;
    }
    linter.project_facts(&buffer_source(text), Format::Kubernetes, Some(path))
}

/// The project as seen while linting `own` (the buffer's facts, from its current text) at `path`: every
/// other file's facts from disk.
pub fn project_with(disk: &Arc<DiskFacts>, path: Option<&Path>, own: Option<Facts>) -> Project {
    let this = path.map(absolute);
    let others = disk.iter().filter(|(file, _)| Some(*file) != this.as_ref()).map(|(_, facts)| facts.clone());
    Project::new(others.chain(own))
}

#[cfg(test)]
mod tests {
    use plimsoll_linter::Settings;

    use super::*;

    #[test]
    fn scans_manifests_and_skips_other_files() {
        let dir = std::env::temp_dir().join(format!("plimsoll-server-scan-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("k8s")).unwrap();
        std::fs::write(
            dir.join("k8s/policy.yaml"),
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n",
        )
        .unwrap();
        std::fs::write(dir.join("values.yaml"), "replicas: 2\n").unwrap();
        std::fs::write(dir.join("Dockerfile"), "FROM busybox:1.37\n").unwrap();
        let linter = Linter::new(plimsoll_rules::all(), Settings::default());
        let facts = scan(std::slice::from_ref(&dir), &linter);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(facts.len(), 1, "{:?}", facts.keys());
        let policy = &facts[&absolute(&dir.join("k8s/policy.yaml"))];
        assert_eq!(policy.network_policies.len(), 1);
    }
}
