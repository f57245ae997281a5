use plimsoll_kubernetes::project::Selector;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags the `podSelector` of a Kubernetes NetworkPolicy's `ingress.from` or `egress.to` peer that
    /// matches the pods of no workload of the policy's namespace in the files linted together, when those
    /// files define workloads in that namespace. Peers that also have a `namespaceSelector` select pods of
    /// other namespaces and are not checked.
    ///
    /// ## Why is this bad?
    /// A peer that selects nothing allows nothing: the traffic the rule was written for is dropped, and the
    /// usual fix under pressure is to widen the policy until it works — often to every pod. A typo in a
    /// label also waits for the first pod that happens to carry it, which then gets the access. Namespaces
    /// where the run defines no workload, or custom resources that an operator may turn into pods
    /// (a Prometheus Operator `Alertmanager`), are not reported: some of their pods are deployed from
    /// elsewhere.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: postgres}
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: api-server}
    /// ---
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
    ///           image: ghcr.io/example/api:1.4.2
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
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels: {app: api}
    /// ---
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
    ///           image: ghcr.io/example/api:1.4.2
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: network policies, behaviour of `to` and `from` selectors](https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors)
    code: "NET023",
    name: "network-policy-peer-selects-no-pod",
    family: Net,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["dangling-networkpolicypeer-podselector"],
    checks: [Check::Kubernetes(check)],
}

/// The rule lists of a policy and the peer list of each.
const DIRECTIONS: [(&str, &str); 2] = [("ingress", "from"), ("egress", "to")];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for object in ctx.manifest.objects.iter().filter(|o| o.kind.value == "NetworkPolicy") {
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        if !ctx.project.knows_pods_of(namespace) {
            continue;
        }
        let Some(spec) = tree.get(object.node, "spec") else { continue };
        for (direction, peers) in DIRECTIONS {
            let rules = tree.get(spec, direction).map(|l| tree.items(l)).unwrap_or_default();
            let peers = rules.iter().filter_map(|&rule| tree.get(rule, peers)).flat_map(|l| tree.items(l));
            for &peer in peers {
                if tree.get(peer, "namespaceSelector").is_some() {
                    continue;
                }
                let Some(entry) = tree.entry(peer, "podSelector") else { continue };
                let selector = Selector::read(tree, entry.value).ignoring_controller_labels();
                if selector.is_empty() || ctx.project.selects_a_pod(namespace, &selector) {
                    continue;
                }
                r.report(
                    tree.node(entry.key).range,
                    format!("This `{direction}` peer's `podSelector` matches no pod of the namespace, so it allows nothing"),
                )
                .help("Make the selector match the labels of the pod template the traffic should come from or go to");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans_in, lint_k8s_in};

    fn policy(rules: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: shop}}\nspec:\n  podSelector: {{}}\n{rules}"
        )
    }

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n";

    #[test]
    fn peers_matching_nothing_point_at_their_selector() {
        let yaml = policy(
            "  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: wbe}}\n        - podSelector: {matchLabels: {app: web}}\n  egress:\n    - to:\n        - podSelector: {matchLabels: {app: db}}\n",
        );
        assert_eq!(k8s_spans_in(&RULE, &yaml, &[WEB]), ["podSelector", "podSelector"]);
        let found = lint_k8s_in(&RULE, &yaml, &[WEB]);
        assert!(found[0].message.starts_with("This `ingress` peer's"));
        assert!(found[1].message.starts_with("This `egress` peer's"));
    }

    #[test]
    fn other_namespaces_empty_selectors_and_unmanaged_namespaces_pass() {
        let yaml = policy(
            "  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: prometheus}}\n          namespaceSelector: {matchLabels: {name: monitoring}}\n        - podSelector: {}\n        - ipBlock: {cidr: 10.0.0.0/8}\n",
        );
        assert!(k8s_spans_in(&RULE, &yaml, &[WEB]).is_empty());
        let typo = policy("  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: wbe}}\n");
        assert_k8s_clean(&RULE, &typo);
    }
}
