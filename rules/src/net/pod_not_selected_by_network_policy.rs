use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes workloads whose pods no NetworkPolicy of their namespace selects, when the files
    /// linted together use NetworkPolicies at all.
    ///
    /// ## Why is this bad?
    /// A pod that no NetworkPolicy selects accepts traffic from every pod in the cluster and can reach any
    /// of them: one compromised workload anywhere can talk to it. When a project writes NetworkPolicies,
    /// a workload they miss (a new Deployment whose labels match no policy, a policy in the wrong
    /// namespace) is usually an oversight. Policies are matched across every file of the run, by namespace
    /// and by `podSelector` (`matchLabels` and `matchExpressions`); objects without a namespace match each
    /// other. Runs without any NetworkPolicy are not reported: their network isolation is decided elsewhere.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels: {app: worker}
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:2.1
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels: {app: worker}
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:2.1
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: network policies](https://kubernetes.io/docs/concepts/services-networking/network-policies/)
    /// - [Kubernetes: default deny all ingress traffic](https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic)
    code: "NET020",
    name: "pod-not-selected-by-network-policy",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["non-isolated-pod", "pod-networkpolicy", "missingNetworkPolicy", "CKV2_K8S_6"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    if !ctx.project.uses_network_policies() {
        return;
    }
    for object in &ctx.manifest.objects {
        let Some(labels) = plimsoll_kubernetes::pod_labels(ctx.tree, object) else { continue };
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        if ctx.project.network_policy_selects(namespace, &labels) {
            continue;
        }
        let place = namespace.map_or_else(|| "its namespace".to_string(), |n| format!("namespace `{n}`"));
        r.report(
            object.anchor,
            format!("No NetworkPolicy of {place} selects this {}'s pods", object.kind.value),
        )
        .help(
            "Add a NetworkPolicy whose `podSelector` matches the pod's labels, or a default-deny policy \
                 (`podSelector: {}`) for the whole namespace.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in};

    const POLICY: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector:\n    matchLabels: {app: web}\n";

    fn deployment(namespace: &str, labels: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: {namespace}\nspec:\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers: [{{name: a, image: x:1}}]\n"
        )
    }

    #[test]
    fn pods_no_policy_selects_point_at_the_workload_name() {
        assert_eq!(k8s_spans_in(&RULE, &deployment("shop", "{app: api}"), &[POLICY]), ["api"]);
        assert_eq!(
            k8s_spans_in(&RULE, &deployment("other", "{app: web}"), &[POLICY]),
            ["api"],
            "another namespace"
        );
        let same_file = format!("{POLICY}---\n{}", deployment("shop", "{app: api}"));
        assert_eq!(k8s_spans(&RULE, &same_file), ["api"]);
    }

    #[test]
    fn selected_pods_and_runs_without_policies_pass() {
        assert!(k8s_spans_in(&RULE, &deployment("shop", "{app: web, tier: front}"), &[POLICY]).is_empty());
        let deny_all = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n";
        assert!(k8s_spans_in(&RULE, &deployment("shop", "{}"), &[deny_all]).is_empty());
        assert_k8s_clean(&RULE, &deployment("shop", "{app: api}"));
    }
}
