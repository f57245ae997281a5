use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::{help, limits};

declare_rule! {
    /// ## What it does
    /// Flags containers without a CPU limit: a Compose service with none of `cpus`, `cpu_quota` and
    /// `deploy.resources.limits.cpus`, whatever the file's `version`, or with a limit of zero or `-1`, which
    /// Docker reads as no limit.
    ///
    /// `cpu_shares` does not count: it is a relative weight that only matters while CPUs are contended, and
    /// a container with the highest weight can still take every core. `cpuset` does not count either: it
    /// pins the container to some cores without capping how much of them it takes from the host's other
    /// processes on those cores.
    ///
    /// ## Why is this bad?
    /// Without a limit one container can use every core of the host: a busy loop, a crypto miner dropped by
    /// an attacker or a traffic spike starves the other containers and the host's own services, health
    /// checks time out and the outage spreads. A limit confines the damage to the container that misbehaves.
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) are not checked for a missing limit; a zero or negative limit is
    /// reported wherever it is written.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   worker:
    ///     image: example/worker:3.2
    ///     cpu_shares: 512
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   worker:
    ///     image: example/worker:3.2
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           cpus: "1.5"
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: deploy.resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - [Docker: resource constraints, CPU](https://docs.docker.com/engine/containers/resource_constraints/#cpu)
    /// - CIS Docker Benchmark v1.6.0, 5.12 "Ensure that CPU priority is set appropriately on containers"
    ///   (it audits `cpu_shares`; a limit is the stronger control)
    code: "RES002",
    name: "cpu-limit-missing",
    family: Res,
    severity: Warning,
    formats: [Compose],
    aliases: ["6b610c50-99fb-4ef0-a5f3-e312fd945bc3", "CKV_K8S_11", "KSV-0011", "cpuLimitsMissing"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let limit = &container.runtime.resources.cpu_limit;
    let message = match limit {
        Setting::Unset { .. } if container.partial => return,
        Setting::Unset { .. } => "Container has no CPU limit".to_string(),
        Setting::Explicit(value, _) if limits::cpu_unlimited(value) => {
            format!("Container's CPU limit `{value}` means no limit")
        }
        _ => return,
    };
    r.report(limit.range(), message).help(help::for_format(
        container.format,
        "Limit its CPU.",
        "Set `deploy.resources.limits.cpus` (or `cpus`) to a positive number of CPUs, e.g. `\"1.5\"`.",
        "Set `resources.limits.cpu` to a positive quantity, e.g. `500m`.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn services_without_a_limit_point_at_their_key() {
        let yaml =
            "services:\n  api:\n    image: a:1\n    cpu_shares: 1024\n  db:\n    image: b:1\n    cpus: 2\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
        assert_eq!(lint_compose(&RULE, yaml)[0].message, "Container has no CPU limit");
    }

    #[test]
    fn every_limit_key_counts() {
        for limit in [
            "cpus: 0.5",
            "cpu_quota: 50000",
            "deploy:\n      resources:\n        limits:\n          cpus: '2'",
        ] {
            assert_compose_clean(&RULE, &format!("services:\n  a:\n    image: a:1\n    {limit}\n"));
        }
        // Only a variable without a default: the limit exists, its value is unknown.
        assert_compose_clean(&RULE, "services:\n  a:\n    image: a:1\n    cpus: ${CPUS}\n");
    }

    #[test]
    fn zero_and_minus_one_are_no_limit() {
        let yaml = "services:\n  a:\n    image: a:1\n    cpus: 0\n";
        assert_eq!(compose_spans(&RULE, yaml), ["0"]);
        assert_eq!(lint_compose(&RULE, yaml)[0].message, "Container's CPU limit `0` means no limit");
        let yaml = "services:\n  a:\n    image: a:1\n    cpu_quota: -1\n";
        assert_eq!(compose_spans(&RULE, yaml), ["-1"]);
        let yaml = "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          cpus: \"${CPUS:-0.0}\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"${CPUS:-0.0}\""]);
    }

    #[test]
    fn through_extends_and_partial_services() {
        let yaml = "services:\n  base:\n    image: x:1\n    cpus: 1\n  child:\n    extends: base\n";
        assert!(lint_compose(&RULE, yaml).is_empty());
        assert_compose_clean(&RULE, "services:\n  a:\n    environment: [A=1]\n");
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
        );
    }
}
