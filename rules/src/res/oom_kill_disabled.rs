use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::{help, limits};

declare_rule! {
    /// ## What it does
    /// Flags containers that turn off the kernel's OOM killer for themselves: Compose
    /// `oom_kill_disable: true`.
    ///
    /// ## Why is this bad?
    /// When memory runs out the kernel's OOM killer ends a process to free some. With the killer disabled for
    /// the container, its processes are never picked: inside its memory limit they hang waiting for memory
    /// instead of being restarted, and without a limit the container keeps growing while the kernel kills
    /// the host's other processes — other containers, the Docker daemon, `sshd` — to make room. Docker warns
    /// about the second case when it starts the container; the finding says so when the service has no
    /// memory limit.
    ///
    /// Hosts on cgroup v2 (most current distributions) ignore the setting with a warning, so it does not
    /// even work there; on cgroup v1 hosts it does. To make a service less likely to be picked than its
    /// neighbours, give it a memory limit sized for its peak and, if needed, a negative `oom_score_adj`.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   cache:
    ///     image: example/cache:7.2
    ///     oom_kill_disable: true
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   cache:
    ///     image: example/cache:7.2
    ///     mem_limit: 2g
    /// ```
    ///
    /// ## References
    /// - [Docker: resource constraints, memory](https://docs.docker.com/engine/containers/resource_constraints/#memory)
    /// - [Compose file reference: oom_kill_disable](https://docs.docker.com/reference/compose-file/services/#oom_kill_disable)
    code: "RES004",
    name: "oom-kill-disabled",
    family: Res,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let Some(range) = container.runtime.oom_kill_disable else { return };
    let unlimited = match &container.runtime.resources.memory_limit {
        Setting::Unset { .. } => !container.partial,
        Setting::Unknown(_) => false,
        Setting::Explicit(value, _) | Setting::Inherited(value, _) => limits::memory_unlimited(value),
    };
    let message = if unlimited {
        "Container disables the OOM killer and has no memory limit, so the host's processes get killed instead"
    } else {
        "Container disables the OOM killer, so it hangs instead of being restarted when it runs out of memory"
    };
    r.report(range, message).help(help::for_format(
        container.format,
        "Leave the OOM killer enabled.",
        "Remove `oom_kill_disable: true` and size the memory limit (`deploy.resources.limits.memory`) for the service's peak.",
        "Leave the OOM killer enabled and size `resources.limits.memory` for the container's peak.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    mem_limit: 1g\n    oom_kill_disable: true\n";
        assert_eq!(compose_spans(&RULE, yaml), ["oom_kill_disable: true"]);
        assert!(lint_compose(&RULE, yaml)[0].message.contains("hangs instead of being restarted"));
        let yaml = "services:\n  a:\n    image: x:1\n    oom_kill_disable: \"${NO_OOM:-true}\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["oom_kill_disable: \"${NO_OOM:-true}\""]);
    }

    #[test]
    fn without_a_memory_limit_the_host_pays() {
        for yaml in [
            "services:\n  a:\n    image: x:1\n    oom_kill_disable: true\n",
            "services:\n  a:\n    image: x:1\n    mem_limit: 0\n    oom_kill_disable: true\n",
        ] {
            assert!(lint_compose(&RULE, yaml)[0].message.contains("has no memory limit"), "{yaml}");
        }
        // A service completed elsewhere may have its limit there: no claim about it.
        let found = lint_compose(&RULE, "services:\n  a:\n    oom_kill_disable: true\n");
        assert!(found[0].message.contains("hangs"));
    }

    #[test]
    fn through_extends() {
        let yaml =
            "services:\n  base:\n    image: x:1\n    oom_kill_disable: true\n  child:\n    extends: base\n";
        assert_eq!(compose_spans(&RULE, yaml), ["oom_kill_disable: true"]);
    }

    #[test]
    fn enabled_or_unknown_passes() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    oom_kill_disable: false\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    oom_kill_disable: ${NO_OOM}\n");
        assert!(lint_compose(&RULE, "services:\n  a:\n    image: x:1\n").is_empty());
    }
}
