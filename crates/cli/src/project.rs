//! The run-wide step before linting: every Kubernetes file's facts (LimitRanges, NetworkPolicies,
//! ServiceAccounts, pods) are gathered, so checks of one file can join objects of the others.

use std::path::Path;

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Project, Run, SourceFile};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::discover::{Input, Target};
use crate::read;

/// Reads the Kubernetes targets and joins their facts. Nothing read here is kept: holding every manifest
/// (or its tree) until it is linted would make memory grow with the repository; a file is read and parsed
/// again when linted, from the page cache. Unreadable files keep their path: linting them reports the
/// error. With a `cache`, facts of unchanged files are read from it instead of parsed, and the cache learns
/// the digest of the whole project, which keys Kubernetes findings.
pub fn gather(linter: &Linter, targets: &mut [Target], cache: Option<&mut Cache>) -> Run {
    let shared = cache.as_deref();
    // In place, and only the Kubernetes targets' facts: a run holds one target per file, and a second list
    // of them (or of a slot per target) would be the largest allocation of a big run.
    let facts: Vec<_> = targets
        .par_iter_mut()
        .filter(|target| target.format == Format::Kubernetes)
        .filter_map(|target| {
            let path = (target.path != "-").then(|| Path::new(&target.path));
            let facts_of = |source: &SourceFile| match shared {
                Some(cache) => cache.facts(linter, source, &target.path, path),
                None => linter.project_facts(source, target.format, path).map(|facts| (facts, None)),
            };
            let facts = match &mut target.input {
                Input::Loaded(source) => {
                    let facts = facts_of(source);
                    source.forget_parse();
                    facts
                }
                Input::Shown | Input::Path(_) => {
                    let file = target.file_path().unwrap_or(Path::new(&target.path));
                    read::source(file).ok().and_then(|source| facts_of(&source))
                }
            };
            // Most manifests say nothing other files need (CRDs, Services); only their digest is kept. The
            // others' facts are boxed until the project takes them, so this list stays small.
            facts.map(|(facts, digest)| ((!facts.is_empty()).then(|| Box::new(facts)), digest))
        })
        .collect();
    if let Some(cache) = cache {
        cache.set_project(facts.iter().map(|(_, digest)| *digest));
    }
    Run { project: Project::new(facts.into_iter().filter_map(|(facts, _)| facts.map(|facts| *facts))) }
}
