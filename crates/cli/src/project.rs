//! The run-wide step before linting: every Kubernetes file's facts (LimitRanges, NetworkPolicies,
//! ServiceAccounts, pods) are gathered, so checks of one file can join objects of the others.

use std::sync::atomic::{AtomicU64, Ordering};

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Project, Run};
use rayon::prelude::*;

use crate::cache::Cache;
use crate::discover::{Input, Target};
use crate::read;

/// How many bytes of manifests keep their parsed trees from this pass to linting (a tree takes about three
/// times its text). Beyond it, files are parsed again when linted: slower, but memory stays bounded in a
/// large monorepo.
const KEEP_PARSED_BYTES: u64 = 128 * 1024 * 1024;

/// Reads the Kubernetes targets (they stay loaded for linting, so each is read once, and parsed once
/// within [`KEEP_PARSED_BYTES`]) and joins their facts. Unreadable files keep their path: linting them
/// reports the error. With a `cache`, facts of unchanged files are read from it instead of parsed, and the
/// cache learns the digest of the whole project, which keys Kubernetes findings.
pub fn gather(linter: &Linter, targets: Vec<Target>, cache: Option<&mut Cache>) -> (Vec<Target>, Run) {
    let kept = AtomicU64::new(0);
    let shared = cache.as_deref();
    let (targets, facts): (Vec<Target>, Vec<_>) = targets
        .into_par_iter()
        .map(|mut target| {
            if target.format != Format::Kubernetes {
                return (target, None);
            }
            if let Input::Path(path) = &target.input
                && let Ok(source) = read::source(path)
            {
                target.input = Input::Loaded(source);
            }
            let facts = match &mut target.input {
                Input::Loaded(source) => {
                    let path = (target.path != "-").then(|| std::path::Path::new(&target.path));
                    let facts = match shared {
                        Some(cache) => cache.facts(linter, source, &target.path, path),
                        None => linter.project_facts(source, target.format, path).map(|facts| (facts, None)),
                    };
                    let size = source.text.len() as u64;
                    if kept.fetch_add(size, Ordering::Relaxed) + size > KEEP_PARSED_BYTES {
                        source.forget_parse();
                    }
                    facts
                }
                Input::Path(_) => None,
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
