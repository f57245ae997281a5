use plimsoll_diagnostic::Severity;
use plimsoll_kubernetes::WorkloadKinds;
use plimsoll_model::Date;

use crate::{PathIgnore, RuleSelector, Selection};

/// Everything that changes what a lint run reports, resolved before the run (the CLI and the LSP server
/// build it from flags and configuration).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Which rules run.
    pub selection: Selection,
    /// Severities that replace the rules' defaults; when several selectors match a rule, the last one wins.
    pub severity_overrides: Vec<(RuleSelector, Severity)>,
    /// Registries images may come from (`docker.io`, `ghcr.io/my-org`, `*.example.com`). Empty: any.
    pub trusted_registries: Vec<String>,
    /// Images a Dockerfile may build on (`FROM`), as patterns written like references,
    /// `[registry/]repository[:tag][@digest]`, with `*` inside one part (`gcr.io/distroless/*`,
    /// `python:3.13-slim*`, `python@sha256:*`); shorthand and full Docker Hub names match each other, and a
    /// pattern without tag or digest allows them all. Read by IMG033 `base-image-not-allowed`. Empty: any.
    pub allowed_base_images: Vec<String>,
    /// Labels every image (Dockerfile `LABEL` in the final stage) and every Kubernetes workload
    /// (`metadata.labels`) must carry with a non-empty value (`org.opencontainers.image.source`, `owner`);
    /// keys compare exactly. Read by IMG034 `required-label-missing`. Empty: none.
    pub required_labels: Vec<String>,
    /// Capabilities to report whenever a container adds them, besides the built-in dangerous set (ISO024).
    /// Names in any case, with or without `CAP_`.
    pub dangerous_capabilities: Vec<String>,
    /// Capabilities never reported when added (a CNI plugin's `NET_ADMIN`, say), even when built in or
    /// listed as dangerous (ISO024, ISO041, ISO042), and that a container may keep without dropping (ISO025).
    /// Names in any case, with or without `CAP_`.
    pub allowed_capabilities: Vec<String>,
    /// The date end-of-life checks compare against (today, unless a test pins it).
    pub today: Date,
    /// Honour inline suppression comments.
    pub inline_ignores: bool,
    /// Custom Kubernetes resources that run pods, linted as workloads.
    pub workload_kinds: WorkloadKinds,
    /// Rules ignored by path (and, in IAM policies, by statement `Sid`).
    pub path_ignores: Vec<PathIgnore>,
}

impl Settings {
    /// The severity findings of `rule` get: the last matching override, or the rule's default.
    pub fn severity_of(&self, rule: &plimsoll_diagnostic::RuleMeta) -> Severity {
        self.severity_overrides
            .iter()
            .rev()
            .find(|(selector, _)| selector.matches(rule))
            .map_or(rule.severity, |&(_, severity)| severity)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            selection: Selection::default(),
            severity_overrides: Vec::new(),
            trusted_registries: Vec::new(),
            allowed_base_images: Vec::new(),
            required_labels: Vec::new(),
            dangerous_capabilities: Vec::new(),
            allowed_capabilities: Vec::new(),
            today: Date::today(),
            inline_ignores: true,
            workload_kinds: WorkloadKinds::default(),
            path_ignores: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_diagnostic::{Family, Format, RuleMeta};

    static RULE: RuleMeta = RuleMeta {
        code: "ISO001",
        name: "container-runs-as-root",
        family: Family::Iso,
        severity: Severity::Warning,
        default_enabled: true,
        formats: &[Format::Dockerfile],
        aliases: &["DL3002"],
        doc: "",
    };

    #[test]
    fn the_last_matching_severity_override_wins() {
        let mut settings = Settings::default();
        assert_eq!(settings.severity_of(&RULE), Severity::Warning);
        settings.severity_overrides = vec![
            (RuleSelector::parse("ISO"), Severity::Error),
            (RuleSelector::parse("DL3002"), Severity::Info),
        ];
        assert_eq!(settings.severity_of(&RULE), Severity::Info);
        settings.severity_overrides.truncate(1);
        assert_eq!(settings.severity_of(&RULE), Severity::Error);
        settings.severity_overrides = vec![(RuleSelector::parse("NET"), Severity::Error)];
        assert_eq!(settings.severity_of(&RULE), Severity::Warning);
    }
}
