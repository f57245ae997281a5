//! The run-wide step before linting: every Kubernetes file's facts (LimitRanges, NetworkPolicies,
//! ServiceAccounts, pods) are gathered, so checks of one file can join objects of the others.

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Project, Run};
use rayon::prelude::*;

use crate::discover::{Input, Target};
use crate::read;

/// Reads the Kubernetes targets (they stay loaded for linting, so each is read once) and joins their facts.
/// Unreadable files keep their path: linting them reports the error.
pub fn gather(linter: &Linter, targets: Vec<Target>) -> (Vec<Target>, Run) {
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
            let facts = match &target.input {
                Input::Loaded(source) => {
                    let path = (target.path != "-").then(|| std::path::Path::new(&target.path));
                    linter.project_facts(source, target.format, path)
                }
                Input::Path(_) => None,
            };
            (target, facts)
        })
        .unzip();
    (targets, Run { project: Project::new(facts.into_iter().flatten()) })
}
