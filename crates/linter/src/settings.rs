use plimsoll_kubernetes::WorkloadKinds;
use plimsoll_model::Date;

use crate::{PathIgnore, Selection};

/// Everything that changes what a lint run reports, resolved before the run (the CLI and the LSP server
/// build it from flags and configuration).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Which rules run.
    pub selection: Selection,
    /// Registries images may come from (`docker.io`, `ghcr.io/my-org`, `*.example.com`). Empty: any.
    pub trusted_registries: Vec<String>,
    /// The date end-of-life checks compare against (today, unless a test pins it).
    pub today: Date,
    /// Honour inline suppression comments.
    pub inline_ignores: bool,
    /// Custom Kubernetes resources that run pods, linted as workloads.
    pub workload_kinds: WorkloadKinds,
    /// Rules ignored by path (and, in IAM policies, by statement `Sid`).
    pub path_ignores: Vec<PathIgnore>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            selection: Selection::default(),
            trusted_registries: Vec::new(),
            today: Date::today(),
            inline_ignores: true,
            workload_kinds: WorkloadKinds::default(),
            path_ignores: Vec::new(),
        }
    }
}
