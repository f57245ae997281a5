use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers placed under a custom parent control group: Compose `cgroup_parent`. Opt-in.
    ///
    /// ## Why is this bad?
    /// The runtime normally puts each container in a cgroup of its own under its own parent (`/docker` or
    /// `system.slice/docker-<id>.scope`), where its limits and accounting are the runtime's. A custom parent
    /// moves the container elsewhere in the host's hierarchy: it then shares that parent's limits, or the
    /// lack of them, with whatever else lives there — a host service's slice, another tenant's group — and
    /// resource use escapes the accounting and limits set for containers. The parent must exist and be
    /// managed on purpose; the setting is a deliberate host integration rather than a default, which is why
    /// the CIS benchmark asks to confirm each use.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   batch:
    ///     image: example/batch:1.7
    ///     cgroup_parent: system.slice
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   batch:
    ///     image: example/batch:1.7
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           cpus: "2"
    ///           memory: 1G
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: cgroup_parent](https://docs.docker.com/reference/compose-file/services/#cgroup_parent)
    /// - CIS Docker Benchmark v1.6.0, 5.25 "Ensure that cgroup usage is confirmed"
    code: "ISO026",
    name: "cgroup-parent-set",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Compose],
    aliases: ["4d9f44c6-2f4a-4317-9bb5-267adbea0232"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let Some(parent) = &container.runtime.cgroup_parent else { return };
    // Empty is the runtime's default; a variable without a default may well be empty.
    if parent.value.trim().is_empty() || parent.value.contains('$') {
        return;
    }
    r.report(parent.range, "Container is placed under a custom parent cgroup instead of the runtime's own").help(
        help::for_format(
            container.format,
            "Leave the cgroup placement to the runtime.",
            "Remove `cgroup_parent` and limit the service with `deploy.resources.limits`, unless the parent is \
             a cgroup managed for it with limits of its own.",
            "Leave the cgroup placement to the kubelet.",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn a_custom_parent_points_at_its_value() {
        let yaml = "services:\n  a:\n    image: x:1\n    cgroup_parent: m-executor-abcd\n";
        assert_eq!(compose_spans(&RULE, yaml), ["m-executor-abcd"]);
        let yaml = "services:\n  a:\n    image: x:1\n    cgroup_parent: \"${PARENT:-/batch}\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"${PARENT:-/batch}\""]);
    }

    #[test]
    fn no_parent_passes() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup: private\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup_parent:\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup_parent: \"\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup_parent: ${PARENT}\n");
    }
}
