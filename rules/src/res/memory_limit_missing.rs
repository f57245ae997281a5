use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::{help, limits};

declare_rule! {
    /// ## What it does
    /// Flags containers without a memory limit: a Compose service with neither `mem_limit` nor
    /// `deploy.resources.limits.memory`, a Kubernetes container without `resources.limits.memory`, or a
    /// limit of zero (`0`, `0m`, `0Mi`), which Docker and Kubernetes read as no limit.
    ///
    /// ## Why is this bad?
    /// Without a limit a container can take all of the host's memory: a leak, a load spike or an attacker
    /// feeding it large inputs makes the kernel's OOM killer pick victims among the other containers and
    /// the host's own services. A limit confines the damage to the container that misbehaves.
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) are not checked for a missing limit; a zero limit is reported wherever it
    /// is written. A negative limit (`-1`) is not reported: Docker refuses to start the container, so it
    /// never runs unlimited. Compose files are checked whatever their `version`.
    ///
    /// A Kubernetes container (init containers included) is not reported when its pod sets a pod-level
    /// limit (`spec.resources.limits.memory`), or when a LimitRange of its namespace, in any file linted
    /// together, gives containers a limit (`type: Container` with `default.memory`, or `max.memory`, which
    /// the default falls back to; objects without a namespace meet in their directory).
    /// Ephemeral containers cannot set resources and are not reported. A request (`requests.memory`) is not
    /// a limit: it only reserves memory for scheduling.
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
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:2.1
    ///           resources:
    ///             requests:
    ///               memory: 256Mi
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:2.1
    ///           resources:
    ///             requests:
    ///               memory: 256Mi
    ///             limits:
    ///               memory: 512Mi
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: deploy.resources](https://docs.docker.com/reference/compose-file/deploy/#resources)
    /// - [Kubernetes: resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Kubernetes: LimitRange](https://kubernetes.io/docs/concepts/policy/limit-range/)
    /// - CIS Docker Benchmark v1.6.0, 5.11 "Ensure that the memory usage for containers is limited"
    code: "RES001",
    name: "memory-limit-missing",
    family: Res,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: [
        "bb9ac4f7-e13b-423d-a010-c74a1bfbe492",
        "CKV_K8S_13",
        "KSV-0018",
        "unset-memory-requirements",
        "memoryLimitsMissing",
        "container-resources",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let message = match &container.runtime.resources.memory_limit {
        Setting::Unset { .. } if container.partial => return,
        Setting::Unset { .. } => "Container has no memory limit".to_string(),
        Setting::Explicit(value, _) if limits::memory_unlimited(value) => {
            format!("Container's memory limit `{value}` means no limit")
        }
        _ => return,
    };
    let range = container.runtime.resources.memory_limit.range();
    r.report(range, message).help(help::for_format(
        container.format,
        "Limit its memory.",
        "Set `deploy.resources.limits.memory` (or `mem_limit`) to a positive size, e.g. `512M`.",
        "Set `resources.limits.memory` to a positive size, e.g. `512Mi`.",
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

    #[test]
    fn a_zero_limit_is_no_limit() {
        let yaml = "services:\n  a:\n    image: a:1\n    mem_limit: 0\n";
        assert_eq!(compose_spans(&RULE, yaml), ["0"]);
        assert_eq!(lint_compose(&RULE, yaml)[0].message, "Container's memory limit `0` means no limit");
        let yaml = "services:\n  a:\n    image: a:1\n    deploy:\n      resources:\n        limits:\n          memory: ${MEM:-0m}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["${MEM:-0m}"]);
        // A partial service (no image: completed elsewhere) still says zero.
        assert_eq!(compose_spans(&RULE, "services:\n  a:\n    mem_limit: 0\n"), ["0"]);
    }

    #[test]
    fn positive_unknown_and_rejected_limits_pass() {
        for value in ["512m", "${MEM}", "-1", "1g"] {
            let yaml = format!("services:\n  a:\n    image: a:1\n    mem_limit: {value}\n");
            assert!(lint_compose(&RULE, &yaml).is_empty(), "{value}");
        }
    }

    #[test]
    fn kubernetes_containers_without_a_limit_point_at_their_name() {
        let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: migrate\n          image: x:1\n      containers:\n        - name: \"db\"\n          image: postgres:17\n          resources:\n            requests: {memory: 1Gi}\n            limits: {cpu: 2}\n        - name: exporter\n          image: y:1\n          resources:\n            limits: {memory: 64Mi}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["migrate", "db"]);
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found[0].message, "Container has no memory limit");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Set `resources.limits.memory` to a positive size, e.g. `512Mi`.")
        );
    }

    #[test]
    fn kubernetes_zero_is_no_limit() {
        let yaml = pod("", "      resources:\n        limits:\n          memory: \"0\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container's memory limit `0` means no limit");
        let yaml = pod("", "      resources:\n        limits:\n          memory: 0Mi\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0Mi"]);
    }

    #[test]
    fn kubernetes_limits_from_the_pod_or_a_limit_range_count() {
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        limits:\n          memory: 512Mi\n"));
        assert_k8s_clean(&RULE, &pod("  resources:\n    limits:\n      memory: 1Gi\n", ""));
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      default:\n        memory: 256Mi\n---\n";
        assert_k8s_clean(&RULE, &format!("{limit_range}{}", pod("", "")));
        // A LimitRange does not override a zero limit that is written.
        let yaml =
            format!("{limit_range}{}", pod("", "      resources:\n        limits:\n          memory: 0\n"));
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        // Ephemeral containers cannot set resources.
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: x:1\n      resources: {limits: {memory: 1Gi}}\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n";
        assert_k8s_clean(&RULE, yaml);
    }
}
