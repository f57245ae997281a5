use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::k8s_resources::{self, Resource};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers (init containers included) that reserve no memory: no
    /// `resources.requests.memory` once the API server has completed the pod, or a request of zero.
    ///
    /// The request is looked for where the API server takes it from: the container's
    /// `resources.requests.memory`; else its `resources.limits.memory`, which the request copies; else a
    /// pod-level `spec.resources` (requests or limits), which reserves for all the pod's containers; else a
    /// LimitRange of the namespace whose `type: Container` limits give a `default` or `max` memory (in any
    /// file linted together; objects without a namespace meet in their directory) or a `defaultRequest`
    /// or `min` memory (in the same file). Ephemeral containers cannot set resources and are not reported;
    /// nor are the containers of a Kustomize patch that names no image, which the patched object completes.
    ///
    /// An init container that runs to completion before the others start is not reported when another
    /// container of the pod requests memory: the pod reserves the larger of its init containers' requests and
    /// the sum of its other containers', so the init container runs within that reservation. Sidecars
    /// (init containers with `restartPolicy: Always`) run next to the others and are checked like them.
    ///
    /// Since a limit gives the request its value, a container reported here has no memory limit either
    /// (`memory-limit-missing`, RES001). Windows containers are reported too: the scheduler places them by
    /// their requests, and Windows nodes, which do not overcommit memory, page to disk when they run short.
    ///
    /// ## Why is this bad?
    /// The scheduler places pods by their requests. A container that requests no memory counts as free, so
    /// nodes are packed with pods whose real needs nobody reserved. Memory cannot be throttled: when those
    /// pods grow, the node runs short, the kubelet evicts pods and the kernel's OOM killer ends processes,
    /// and neighbours that did reserve memory can be caught up in it. The pod's quality-of-service class
    /// also drops, making it the first to be evicted.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   selector:
    ///     matchLabels: {app: db}
    ///   serviceName: db
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers:
    ///         - name: db
    ///           image: postgres:17
    ///           resources:
    ///             requests:
    ///               cpu: 500m
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   selector:
    ///     matchLabels: {app: db}
    ///   serviceName: db
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers:
    ///         - name: db
    ///           image: postgres:17
    ///           resources:
    ///             requests:
    ///               cpu: 500m
    ///               memory: 1Gi
    ///             limits:
    ///               memory: 1Gi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Kubernetes: node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/)
    /// - [Kubernetes: configure default memory requests and limits for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/)
    code: "RES011",
    name: "memory-request-missing",
    family: Res,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_12", "KSV-0016", "memoryRequestsMissing", "container-resources"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for (range, message) in k8s_resources::request_gaps(ctx, Resource::Memory) {
        r.report(range, message)
            .help("Set `resources.requests.memory` to the memory the container needs, e.g. `256Mi`.");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in, lint_k8s, pod};

    #[test]
    fn containers_without_a_request_point_at_their_name() {
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    spec:\n      initContainers:\n        - name: setup\n          image: x:1\n          resources: {limits: {memory: 64Mi}}\n      containers:\n        - name: \"agent\"\n          image: x:1\n          resources:\n            requests: {cpu: 100m}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["agent"]);
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found[0].message, "Container has no memory request");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Set `resources.requests.memory` to the memory the container needs, e.g. `256Mi`.")
        );
    }

    #[test]
    fn zero_requests_reserve_nothing() {
        let yaml = pod("", "      resources:\n        requests:\n          memory: 0Mi\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0Mi"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container's memory request `0Mi` reserves no memory");
        let yaml = pod("", "      resources:\n        limits:\n          memory: 0\n");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container's memory request defaults to its limit `0`, which reserves no memory"
        );
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        requests:\n          memory: 128Mi\n"));
    }

    #[test]
    fn pod_level_resources_and_limit_ranges_count() {
        assert_k8s_clean(&RULE, &pod("  resources:\n    limits:\n      memory: 1Gi\n", ""));
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: shop\nspec:\n  limits:\n    - type: Container\n      max: {memory: 1Gi}\n";
        let workload = pod("", "").replace("name: web\n", "name: web\n  namespace: shop\n");
        assert!(k8s_spans_in(&RULE, &workload, &[limit_range]).is_empty());
        // A LimitRange for pods as a whole gives containers no default.
        let pods_only = limit_range.replace("type: Container", "type: Pod");
        assert_eq!(k8s_spans(&RULE, &format!("{pods_only}---\n{workload}")), ["app"]);
    }
}
