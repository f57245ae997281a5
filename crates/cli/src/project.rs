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
pub fn gather(linter: &Linter, targets: Vec<Target>, cache: Option<&mut Cache>) -> (Vec<Target>, Run) {
    let shared = cache.as_deref();
    let (targets, facts): (Vec<Target>, Vec<_>) = targets
        .into_par_iter()
        .map(|mut target| {
            if target.format != Format::Kubernetes {
                return (target, None);
            }
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
                Input::Path(file) => read::source(file).ok().and_then(|source| facts_of(&source)),
            };
            (target, facts)
        })
        .unzip();
    let facts: Vec<_> = facts.into_iter().flatten().collect();
    if let Some(cache) = cache {
        cache.set_project(facts.iter().map(|(_, digest)| *digest));
    }
    (targets, Run { project: Project::new(facts.into_iter().map(|(facts, _)| facts)) })
}
