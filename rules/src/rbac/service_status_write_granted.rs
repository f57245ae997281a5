use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `update` or `patch` on `services/status` (or `*/status` in
    /// the core group).
    ///
    /// ## Why is this bad?
    /// A Service's status holds the IP addresses of its load balancer, and kube-proxy sends traffic for
    /// those addresses to the Service's pods from every node. Whoever can write the status can claim any
    /// IP address, an internal database or a public API, and receive the cluster's traffic to it
    /// (CVE-2020-8554, which Kubernetes mitigates only by restricting this permission). Only the cloud
    /// controller manager or a load-balancer controller needs it.
    ///
    /// `resourceNames` do not help (one Service is enough), so named Services are reported too. A `*` verb
    /// or resource that implies it is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["services", "services/status"]
    ///     verbs: ["get", "patch"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["services", "services/status"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes issue 97076: CVE-2020-8554, man in the middle using LoadBalancer or ExternalIPs](https://github.com/kubernetes/kubernetes/issues/97076)
    /// - [Kubernetes: Service, load balancer status](https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer)
    code: "RBAC013",
    name: "service-status-write-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV2_K8S_4"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::SERVICE_STATUS, |role, _, hit| {
        r.report(
            hit.resource.range,
            format!(
                "{} can {} `{}`, claiming load-balancer IPs to capture other traffic",
                role.kind(),
                hit.verb_list(),
                hit.resource.value
            ),
        )
        .help("Remove writes to `services/status`; only the cloud controller manager or a load-balancer controller needs them");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn service_status() {
        let yaml = role(
            "  - apiGroups: [\"\"]\n    resources: [services, \"services/status\"]\n    verbs: [get, patch, update]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["services/status"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `patch` and `update` `services/status`, claiming load-balancer IPs to capture other traffic"
        );
        assert_eq!(
            k8s_spans(
                &RULE,
                &cluster_role("- apiGroups: ['']\n  resources: ['*/status']\n  verbs: [update]\n")
            ),
            ["*/status"]
        );
    }

    #[test]
    fn reading_other_groups_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [services/status]\n    verbs: [get, list, watch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [apps]\n    resources: ['*/status']\n    verbs: [update]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [services]\n    verbs: [update, patch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [services/status]\n    verbs: ['*']\n"),
        );
    }
}
