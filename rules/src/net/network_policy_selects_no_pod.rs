use plimsoll_kubernetes::project::Selector;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes NetworkPolicies whose `podSelector` matches the pods of no workload in the files
    /// linted together, when those files define workloads in the policy's namespace.
    ///
    /// ## Why is this bad?
    /// A NetworkPolicy only isolates the pods it selects. One that selects nothing, usually because of a
    /// typo in a label, leaves the pods it was written for open to every connection while the policy
    /// reads as protection. Namespaces where the run defines no workload, or custom resources that an
    /// operator may turn into pods, are not reported: their pods are deployed from elsewhere. An empty `podSelector` selects every pod of the namespace and is never
    /// reported.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: postgress}
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   serviceName: postgres
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres}
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:17.2
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: postgres}
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   serviceName: postgres
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres}
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:17.2
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: network policies](https://kubernetes.io/docs/concepts/services-networking/network-policies/)
    code: "NET022",
    name: "network-policy-selects-no-pod",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["dangling-networkpolicy", "networkpolicy-targets-pod"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for object in ctx.manifest.objects.iter().filter(|o| o.kind.value == "NetworkPolicy") {
        let Some(entry) = tree.path(object.node, &["spec"]).and_then(|s| tree.entry(s, "podSelector")) else {
            continue;
        };
        let selector = Selector::read(tree, entry.value).ignoring_controller_labels();
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        if selector.is_empty()
            || !ctx.project.knows_pods_of(namespace)
            || ctx.project.selects_a_pod(namespace, &selector)
        {
            continue;
        }
        r.report(
            tree.node(entry.key).range,
            "NetworkPolicy's `podSelector` matches no pod, so it isolates nothing",
        )
        .help("Make the selector match the labels of the pod template the policy should protect");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans_in};

    fn policy(selector: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: shop}}\nspec:\n  podSelector: {selector}\n  policyTypes: [Ingress]\n"
        )
    }

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: front}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";

    #[test]
    fn selectors_matching_nothing_point_at_the_key() {
        assert_eq!(k8s_spans_in(&RULE, &policy("{matchLabels: {app: wbe}}"), &[WEB]), ["podSelector"]);
        let expression = "{matchExpressions: [{key: tier, operator: In, values: [back]}]}";
        assert_eq!(k8s_spans_in(&RULE, &policy(expression), &[WEB]), ["podSelector"]);
    }

    #[test]
    fn matching_empty_and_unmanaged_selectors_pass() {
        assert!(k8s_spans_in(&RULE, &policy("{matchLabels: {app: web}}"), &[WEB]).is_empty());
        assert!(k8s_spans_in(&RULE, &policy("{}"), &[WEB]).is_empty(), "every pod");
        let hash = "{matchLabels: {app: web, pod-template-hash: 5d8f7}}";
        assert!(k8s_spans_in(&RULE, &policy(hash), &[WEB]).is_empty(), "a label controllers add");
        let elsewhere = WEB.replace("namespace: shop", "namespace: blog");
        assert!(k8s_spans_in(&RULE, &policy("{matchLabels: {app: wbe}}"), &[&elsewhere]).is_empty());
        assert_k8s_clean(&RULE, &policy("{matchLabels: {app: wbe}}"));
        let operator = "apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: main, namespace: shop}\n";
        let alertmanager = policy("{matchLabels: {app.kubernetes.io/name: alertmanager}}");
        assert!(k8s_spans_in(&RULE, &alertmanager, &[WEB, operator]).is_empty(), "pods an operator runs");
    }
}
