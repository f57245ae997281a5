use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::k8s_resources::{self, Resource};
use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers (init containers included) without `resources.limits.ephemeral-storage`,
    /// when no LimitRange of their namespace in the same file gives containers a default one (`default` or
    /// `max` under `type: Container`).
    ///
    /// Ephemeral containers cannot set resources and are not reported; nor are the containers of a
    /// Kustomize patch that names no image, which the patched object completes. A `sizeLimit` on an
    /// `emptyDir` volume does not count: it caps that volume, not the container's logs or writable layer.
    ///
    /// The rule is off by default: few workloads set the limit, and the kubelet does evict a pod once the
    /// node's disk runs short; the limit decides whether that pod is the one that filled it.
    ///
    /// ## Why is this bad?
    /// Everything a container writes outside its volumes (its writable layer, its logs) and its `emptyDir`
    /// volumes lands on the node's own disk, shared with every other pod, the images and the kubelet. A
    /// container that writes without bound (a debug log left on, a cache that never expires, an attacker
    /// filling `/tmp`) fills the disk: the node reports disk pressure, stops accepting pods, garbage-collects
    /// images and evicts pods, other teams' workloads included. With a limit the kubelet evicts the
    /// container's pod once it goes over, before the node is affected, and the scheduler counts the
    /// request (which defaults to the limit) against the node's disk.
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
    ///               ephemeral-storage: 256Mi
    ///             limits:
    ///               memory: 512Mi
    ///               ephemeral-storage: 1Gi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: local ephemeral storage](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage)
    /// - [Kubernetes: node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/)
    code: "RES012",
    name: "ephemeral-storage-limit-missing",
    family: Res,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["container-ephemeral-storage-request-and-limit"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let resource = Resource::EphemeralStorage;
    for pod in pods::pod_specs(ctx) {
        let namespace = k8s_resources::namespace(pod.object);
        let defaulted = k8s_resources::default_limit(ctx, namespace, resource).is_some();
        for item in k8s_resources::containers(tree, pod.spec) {
            if defaulted
                || k8s_resources::written(tree, item, "limits", resource).is_some()
                || k8s_resources::model_container(ctx, &pod, item).is_some_and(|c| c.partial)
            {
                continue;
            }
            r.report(pods::container_anchor(tree, item), "Container has no ephemeral-storage limit").help(
                "Set `resources.limits.ephemeral-storage` to what the container may write to the node's disk \
                 (writable layer, logs, `emptyDir` volumes), e.g. `1Gi`.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn containers_without_a_limit_point_at_their_name() {
        let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: export\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n        - name: fetch\n          image: x:1\n          resources:\n            requests: {ephemeral-storage: 1Gi}\n      containers:\n        - name: export\n          image: x:1\n          resources:\n            limits: {ephemeral-storage: 2Gi}\n      volumes:\n        - name: scratch\n          emptyDir: {sizeLimit: 1Gi}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["fetch"]);
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found[0].message, "Container has no ephemeral-storage limit");
        assert!(found[0].help.as_deref().is_some_and(|h| h.contains("`resources.limits.ephemeral-storage`")));
    }

    #[test]
    fn a_limit_range_in_the_file_gives_a_default() {
        for section in ["default", "max"] {
            let limit_range = format!(
                "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: storage\nspec:\n  limits:\n    - type: Container\n      {section}:\n        ephemeral-storage: 2Gi\n---\n"
            );
            assert_k8s_clean(&RULE, &format!("{limit_range}{}", pod("", "")));
        }
        // A default request is no limit.
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: storage\nspec:\n  limits:\n    - type: Container\n      defaultRequest:\n        ephemeral-storage: 2Gi\n---\n";
        assert_eq!(k8s_spans(&RULE, &format!("{limit_range}{}", pod("", ""))), ["app"]);
    }

    #[test]
    fn ephemeral_containers_and_patches_are_skipped() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: x:1\n      resources: {limits: {ephemeral-storage: 1Gi}}\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n";
        assert_k8s_clean(&RULE, yaml);
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env: [{name: A, value: b}]\n";
        assert_k8s_clean(&RULE, patch);
    }
}
