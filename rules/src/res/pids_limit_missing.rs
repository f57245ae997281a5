use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::{help, limits};

declare_rule! {
    /// ## What it does
    /// Flags containers without a limit on their number of processes: a Compose service with neither
    /// `pids_limit` nor `deploy.resources.limits.pids`, or with `-1` or `0`, which Docker reads as unlimited.
    ///
    /// ## Why is this bad?
    /// Process IDs are a host-wide resource shared by every container. Without a limit a fork bomb, a
    /// runaway worker pool or a thread leak in one container takes all of them, and then no process on the
    /// host can start: not the other containers' processes, not `sshd`, not the tools an administrator would
    /// use to recover. A limit of a few hundred confines the damage to the container that misbehaves (size it
    /// above the threads the service really runs: every thread takes an ID).
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) are not checked for a missing limit; an unlimited value is reported
    /// wherever it is written.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     pids_limit: -1
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     pids_limit: 200
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: pids_limit](https://docs.docker.com/reference/compose-file/services/#pids_limit)
    /// - [Linux kernel: process number controller](https://docs.kernel.org/admin-guide/cgroup-v1/pids.html)
    /// - CIS Docker Benchmark v1.6.0, 5.29 "Ensure that the PIDs cgroup limit is used"
    code: "RES003",
    name: "pids-limit-missing",
    family: Res,
    severity: Warning,
    formats: [Compose],
    aliases: ["221e0658-cb2a-44e3-b08a-db96a341d6fa"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let limit = &container.runtime.resources.pids_limit;
    let message = match limit {
        Setting::Unset { .. } if container.partial => return,
        Setting::Unset { .. } => "Container has no limit on its number of processes".to_string(),
        Setting::Explicit(value, _) if limits::pids_unlimited(value) => {
            format!("Container's PIDs limit `{value}` allows an unlimited number of processes")
        }
        _ => return,
    };
    r.report(limit.range(), message).help(help::for_format(
        container.format,
        "Limit its number of processes.",
        "Set `pids_limit` (or `deploy.resources.limits.pids`) to a positive number above the threads the service runs, e.g. `200`.",
        "Set the kubelet's `podPidsLimit`: Kubernetes limits processes per pod, not per container.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn services_without_a_limit_point_at_their_key() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    pids_limit: 100\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
        assert_eq!(lint_compose(&RULE, yaml)[0].message, "Container has no limit on its number of processes");
    }

    #[test]
    fn unlimited_values_point_at_the_value() {
        let yaml = "services:\n  api:\n    image: a:1\n    pids_limit: -1\n";
        assert_eq!(compose_spans(&RULE, yaml), ["-1"]);
        assert_eq!(
            lint_compose(&RULE, yaml)[0].message,
            "Container's PIDs limit `-1` allows an unlimited number of processes"
        );
        let yaml = "services:\n  api:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          pids: 0\n";
        assert_eq!(compose_spans(&RULE, yaml), ["0"]);
        // Explicit even in a service completed elsewhere.
        assert_eq!(
            compose_spans(&RULE, "services:\n  api:\n    pids_limit: '${PIDS:--1}'\n"),
            ["'${PIDS:--1}'"]
        );
    }

    #[test]
    fn limits_unknown_values_and_partial_services_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          pids: 512\n",
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    image: a:1\n    pids_limit: ${PIDS}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    environment: [A=1]\n");
        assert!(lint_compose(&RULE, "services:\n  a:\n    extends: {file: b.yml, service: a}\n").is_empty());
    }
}
