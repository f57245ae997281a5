use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers without a memory limit: a Compose service with neither `mem_limit` nor
    /// `deploy.resources.limits.memory`, whatever the file's `version`.
    ///
    /// ## Why is this bad?
    /// Without a limit a container can take all of the host's memory: a leak, a load spike or an attacker
    /// feeding it large inputs makes the kernel's OOM killer pick victims among the other containers and
    /// the host's own services. A limit confines the damage to the container that misbehaves.
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) are not checked.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: deploy.resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - CIS Docker Benchmark v1.6.0, 5.11 "Ensure that the memory usage for containers is limited"
    code: "RES001",
    name: "memory-limit-missing",
    family: Res,
    severity: Warning,
    formats: [Compose],
    aliases: ["bb9ac4f7-e13b-423d-a010-c74a1bfbe492"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.partial {
        return;
    }
    if let Setting::Unset { anchor } = container.runtime.resources.memory_limit {
        r.report(anchor, "Container has no memory limit").help(help::for_format(
            container.format,
            "Limit its memory.",
            "Set `deploy.resources.limits.memory` (or `mem_limit`), e.g. `512M`.",
            "Set `resources.limits.memory`, e.g. `512Mi`.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn services_without_a_limit_point_at_their_key() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    mem_limit: 1g\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
    }

    #[test]
    fn any_limit_counts_and_partial_services_are_skipped() {
        assert_compose_clean(
            &RULE,
            "version: '3'\nservices:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n",
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    environment:\n      A: 1\n");
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
        );
    }
}
