use plimsoll_kubernetes::{boolean, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose pod spec sets no `priorityClassName` (or an empty one), so their pods get the
    /// cluster's default priority.
    ///
    /// Not reported: workloads in a file that also defines a PriorityClass with `globalDefault: true`
    /// (their pods get that class), and Kustomize patches (a Deployment, StatefulSet, DaemonSet or
    /// ReplicaSet without `spec.selector`), whose base may set the class.
    ///
    /// The rule is off by default: which workloads deserve a priority is a cluster-wide decision, and a
    /// cluster without PriorityClasses treats every pod alike anyway.
    ///
    /// ## Why is this bad?
    /// Priority decides who gives way when the cluster is short of resources: the scheduler evicts
    /// lower-priority pods to make room for a pending higher-priority one, and the kubelet evicts
    /// lower-priority pods first when a node runs out of memory or disk. Pods without a class have priority
    /// 0 (or the global default), so a critical service (ingress, DNS, an admission webhook, a payment API)
    /// is preempted or evicted as readily as a batch job, and anyone allowed to use a higher class can push
    /// it off its nodes.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ingress
    /// spec:
    ///   selector:
    ///     matchLabels: {app: ingress}
    ///   template:
    ///     metadata:
    ///       labels: {app: ingress}
    ///     spec:
    ///       containers:
    ///         - name: ingress
    ///           image: example/ingress:1.9
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ingress
    /// spec:
    ///   selector:
    ///     matchLabels: {app: ingress}
    ///   template:
    ///     metadata:
    ///       labels: {app: ingress}
    ///     spec:
    ///       priorityClassName: business-critical
    ///       containers:
    ///         - name: ingress
    ///           image: example/ingress:1.9
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: pod priority and preemption](https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/)
    /// - [Kubernetes: node-pressure eviction](https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#pod-selection-for-kubelet-eviction)
    code: "RES017",
    name: "priority-class-missing",
    family: Res,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["priority-class-name", "priorityClassNotSet"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    if defines_a_global_default(ctx) {
        return;
    }
    for pod in pods::pod_specs(ctx) {
        let class = tree.get(pod.spec, "priorityClassName").and_then(|n| string(tree, n));
        if class.is_some_and(|c| !c.value.trim().is_empty())
            || plimsoll_kubernetes::is_patch(tree, pod.object)
        {
            continue;
        }
        r.report(
            pod.anchor(),
            "`priorityClassName` is not set, so the pods run at the cluster's default priority",
        )
        .help(
            "Set `priorityClassName` in the pod spec to a PriorityClass that says how important the workload \
             is.",
        );
    }
}

/// A PriorityClass with `globalDefault: true` gives its priority to every pod that names no class.
fn defines_a_global_default(ctx: &KubernetesCtx) -> bool {
    let tree = ctx.tree;
    pods::objects_of_kind(ctx, &["PriorityClass"])
        .any(|class| tree.get(class.node, "globalDefault").and_then(|n| boolean(tree, n)) == Some(true))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn workloads_without_a_class_point_at_their_name() {
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["web"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "`priorityClassName` is not set, so the pods run at the cluster's default priority"
        );
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          priorityClassName: \"\"\n          containers:\n            - name: task\n              image: x:1\n";
        assert_eq!(k8s_spans(&RULE, cron), ["nightly"]);
    }

    #[test]
    fn a_class_or_a_global_default_passes() {
        assert_k8s_clean(&RULE, &pod("  priorityClassName: high\n", ""));
        let default = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: normal\nvalue: 1000\nglobalDefault: true\n---\n";
        assert_k8s_clean(&RULE, &format!("{default}{}", pod("", "")));
        let not_default = default.replace("globalDefault: true", "globalDefault: false");
        assert_eq!(k8s_spans(&RULE, &format!("{not_default}{}", pod("", ""))), ["web"]);
    }

    #[test]
    fn patches_are_completed_by_their_base() {
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: x:2\n";
        assert_k8s_clean(&RULE, patch);
        let whole =
            patch.replace("spec:\n  template", "spec:\n  selector: {matchLabels: {app: api}}\n  template");
        assert_eq!(k8s_spans(&RULE, &whole), ["api"]);
    }
}
