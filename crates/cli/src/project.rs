//! The run-wide step before linting: every Kubernetes file's facts (LimitRanges, NetworkPolicies,
//! ServiceAccounts, pods) are gathered, so checks of one file can join objects of the others.

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Project, Run};
use rayon::prelude::*;

use crate::discover::{Input, Target};
use crate::read;

/// Reads the Kubernetes targets and joins their facts. Nothing read here is kept: holding every manifest
/// (or its tree) until it is linted would make memory grow with the repository; a file is read and parsed
/// again when linted, from the page cache. Unreadable files keep their path: linting them reports the
/// error.
pub fn gather(linter: &Linter, targets: Vec<Target>) -> (Vec<Target>, Run) {
    let (targets, facts): (Vec<Target>, Vec<_>) = targets
        .into_par_iter()
        .map(|mut target| {
            if target.format != Format::Kubernetes {
                return (target, None);
            }
            let path = (target.path != "-").then(|| std::path::Path::new(&target.path));
            let facts = match &mut target.input {
                Input::Loaded(source) => {
                    let facts = linter.project_facts(source, target.format, path);
                    source.forget_parse();
                    facts
                }
                Input::Path(file) => read::source(file)
                    .ok()
                    .and_then(|source| linter.project_facts(&source, target.format, path)),
            };
            (target, facts)
        })
        .unzip();
    (targets, Run { project: Project::new(facts.into_iter().flatten()) })
}
