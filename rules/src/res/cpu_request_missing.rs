use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::k8s_resources::{self, Resource};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers (init containers included) that reserve no CPU: no
    /// `resources.requests.cpu` once the API server has completed the pod, or a request of zero.
    ///
    /// The request is looked for where the API server takes it from: the container's
    /// `resources.requests.cpu`; else its `resources.limits.cpu`, which the request copies; else a
    /// pod-level `spec.resources` (requests or limits), which reserves for all the pod's containers; else a
    /// LimitRange of the namespace whose `type: Container` limits give a `default` or `max` CPU (in any
    /// file linted together; objects without a namespace meet in their directory) or a `defaultRequest`
    /// or `min` CPU (in the same file). Ephemeral containers cannot set resources and are not reported;
    /// nor are the containers of a Kustomize patch that names no image, which the patched object completes.
    ///
    /// An init container that runs to completion before the others start is not reported when another
    /// container of the pod requests CPU: the pod reserves the larger of its init containers' requests and
    /// the sum of its other containers', so the init container runs within that reservation. Sidecars
    /// (init containers with `restartPolicy: Always`) run next to the others and are checked like them.
    ///
    /// Windows containers are reported too: the scheduler places them by their requests as well.
    ///
    /// ## Why is this bad?
    /// The scheduler places pods by their requests. A container that requests no CPU counts as free: nodes
    /// are packed with pods whose real needs nobody reserved, and when they all get busy every workload of
    /// the node slows down, health checks time out and the node's own services (the kubelet, the container
    /// runtime) compete for what is left. Under contention the container itself gets the smallest CPU share
    /// there is. Requests are also what teams that leave out CPU limits (to avoid throttling) rely on to
    /// share CPU fairly.
    ///
    /// ## Example
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
    ///             limits:
    ///               memory: 512Mi
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
    ///               cpu: 250m
    ///             limits:
    ///               memory: 512Mi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Kubernetes: pod quality of service classes](https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/)
    /// - [Kubernetes: configure default CPU requests and limits for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/cpu-default-namespace/)
    code: "RES010",
    name: "cpu-request-missing",
    family: Res,
    severity: Info,
    formats: [Kubernetes],
    aliases: [
        "CKV_K8S_10",
        "KSV-0015",
        "cpuRequestsMissing",
        "unset-cpu-requirements",
        "container-resources",
    ],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for (range, message) in k8s_resources::request_gaps(ctx, Resource::Cpu) {
        r.report(range, message).help(
            "Set `resources.requests.cpu` to the CPU the container needs under normal load, e.g. `250m`.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in, lint_k8s, pod};

    #[test]
    fn containers_without_a_request_point_at_their_name() {
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: migrate\n              image: x:1\n          containers:\n            - name: report\n              image: x:1\n              resources:\n                requests: {memory: 1Gi}\n            - name: sidecar\n              image: y:1\n              resources: {requests: {cpu: 50m}}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["report"], "the sidecar's request covers the init container");
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found[0].message, "Container has no CPU request");
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Set `resources.requests.cpu` to the CPU the container needs under normal load, e.g. `250m`."
            )
        );
    }

    #[test]
    fn init_containers_run_within_the_pod_reservation_unless_none_is_made() {
        let init = "  initContainers:\n    - name: init\n      image: busybox:1.36\n";
        let yaml = pod(init, "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["init", "app"]);
        let yaml = pod(init, "      resources:\n        requests:\n          cpu: 100m\n");
        assert_k8s_clean(&RULE, &yaml);
        // A sidecar runs next to the app containers and needs its own request.
        let sidecar =
            "  initContainers:\n    - name: proxy\n      image: envoy:1.31\n      restartPolicy: Always\n";
        let yaml = pod(sidecar, "      resources:\n        requests:\n          cpu: 100m\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["proxy"]);
    }

    #[test]
    fn a_limit_is_copied_to_the_request() {
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        limits:\n          cpu: 500m\n"));
        let yaml = pod("", "      resources:\n        limits:\n          cpu: \"0\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container's CPU request defaults to its limit `0`, which reserves no CPU"
        );
    }

    #[test]
    fn a_zero_request_reserves_nothing() {
        let yaml = pod(
            "",
            "      resources:\n        requests:\n          cpu: 0m\n        limits:\n          cpu: 1\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["0m"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container's CPU request `0m` reserves no CPU");
        // Unreadable values are left alone.
        assert_k8s_clean(
            &RULE,
            &pod("", "      resources:\n        requests:\n          cpu: \"{{ .Values.cpu }}\"\n"),
        );
    }

    #[test]
    fn pod_level_resources_and_limit_ranges_count() {
        assert_k8s_clean(&RULE, &pod("  resources:\n    requests:\n      cpu: \"1\"\n", ""));
        assert_k8s_clean(&RULE, &pod("  resources:\n    limits:\n      cpu: \"1\"\n", ""));
        for section in ["defaultRequest", "default", "max", "min"] {
            let limit_range = format!(
                "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      {section}:\n        cpu: 200m\n---\n"
            );
            assert_k8s_clean(&RULE, &format!("{limit_range}{}", pod("", "")));
        }
        // A LimitRange of another namespace, or for memory only, gives no CPU request.
        let other = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: other\nspec:\n  limits:\n    - type: Container\n      defaultRequest: {cpu: 200m}\n---\n";
        assert_eq!(k8s_spans(&RULE, &format!("{other}{}", pod("", ""))), ["app"]);
        let memory = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      default: {memory: 1Gi}\n---\n";
        assert_eq!(k8s_spans(&RULE, &format!("{memory}{}", pod("", ""))), ["app"]);
        // In another file of the run, a default limit is the default request.
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      default: {cpu: 500m}\n";
        assert!(k8s_spans_in(&RULE, &pod("", ""), &[limit_range]).is_empty());
    }

    #[test]
    fn ephemeral_containers_and_patches_are_skipped_windows_is_not() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: x:1\n      resources: {requests: {cpu: 100m}}\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n";
        assert_k8s_clean(&RULE, yaml);
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env: [{name: A, value: b}]\n";
        assert_k8s_clean(&RULE, patch);
        assert_eq!(k8s_spans(&RULE, &pod("  os: {name: windows}\n", "")), ["app"]);
    }
}
