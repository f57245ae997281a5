use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::{help, limits};

declare_rule! {
    /// ## What it does
    /// Flags containers without a CPU limit: a Compose service with none of `cpus`, `cpu_quota` and
    /// `deploy.resources.limits.cpus`, a Kubernetes container without `resources.limits.cpu`, or a limit
    /// that means none (zero, and in Compose `-1`).
    ///
    /// `cpu_shares` does not count: it is a relative weight that only matters while CPUs are contended, and
    /// a container with the highest weight can still take every core. `cpuset` does not count either: it
    /// pins the container to some cores without capping how much of them it takes from the host's other
    /// processes on those cores. Compose files are checked whatever their `version`.
    ///
    /// In Kubernetes, a zero limit (`0`, `0m`) is accepted and means no limit; a negative one is rejected
    /// by the API server. A container (init containers included) is not reported when its pod sets a
    /// pod-level limit (`spec.resources.limits.cpu`), or when a LimitRange of its namespace, in any file
    /// linted together, gives containers a limit (`type: Container` with `default.cpu`, or `max.cpu`, which
    /// the default falls back to; objects without a namespace meet in their directory). Ephemeral containers cannot set resources and are not reported. `requests.cpu` is not a
    /// limit: like `cpu_shares`, it is a weight that only matters while CPUs are contended.
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
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: report
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:3.2
    ///           resources:
    ///             requests:
    ///               cpu: 500m
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: report
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:3.2
    ///           resources:
    ///             requests:
    ///               cpu: 500m
    ///             limits:
    ///               cpu: "1.5"
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: deploy.resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - [Kubernetes: resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Kubernetes: LimitRange](https://kubernetes.io/docs/concepts/policy/limit-range/)
    /// - [Docker: resource constraints, CPU](https://docs.docker.com/engine/containers/resource_constraints/#cpu)
    /// - CIS Docker Benchmark v1.6.0, 5.12 "Ensure that CPU priority is set appropriately on containers"
    ///   (it audits `cpu_shares`; a limit is the stronger control)
    code: "RES002",
    name: "cpu-limit-missing",
    family: Res,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: [
        "6b610c50-99fb-4ef0-a5f3-e312fd945bc3",
        "CKV_K8S_11",
        "KSV-0011",
        "cpuLimitsMissing",
        "container-resources",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let limit = &container.runtime.resources.cpu_limit;
    // Kubernetes rejects a negative limit; only zero runs unlimited.
    let unlimited = match container.format {
        Format::Kubernetes => limits::is_zero,
        _ => limits::cpu_unlimited,
    };
    let message = match limit {
        Setting::Unset { .. } if container.partial => return,
        Setting::Unset { .. } => "Container has no CPU limit".to_string(),
        Setting::Explicit(value, _) if unlimited(value) => {
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
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

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

    #[test]
    fn kubernetes_containers_without_a_limit_point_at_their_name() {
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: report\n              image: x:1\n              resources:\n                requests: {cpu: 500m}\n                limits: {memory: 1Gi}\n            - name: sidecar\n              image: y:1\n              resources: {limits: {cpu: 100m}}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["report"]);
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found[0].message, "Container has no CPU limit");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Set `resources.limits.cpu` to a positive quantity, e.g. `500m`.")
        );
    }

    #[test]
    fn kubernetes_zero_is_no_limit_and_negative_is_rejected() {
        let yaml = pod("", "      resources:\n        limits:\n          cpu: 0m\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0m"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container's CPU limit `0m` means no limit");
        // The API server refuses the pod: it never runs unlimited.
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        limits:\n          cpu: \"-1\"\n"));
    }

    #[test]
    fn kubernetes_limits_from_the_pod_or_a_limit_range_count() {
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        limits:\n          cpu: \"2\"\n"));
        assert_k8s_clean(&RULE, &pod("  resources:\n    limits:\n      cpu: 4\n", ""));
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      max:\n        cpu: \"1\"\n---\n";
        assert_k8s_clean(&RULE, &format!("{limit_range}{}", pod("", "")));
        // A limit for memory only leaves the CPU unlimited.
        let yaml = format!("{}{}", limit_range.replace("cpu", "memory"), pod("", ""));
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
    }
}
