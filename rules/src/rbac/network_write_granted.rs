use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant writing (`create`, `update`, `patch`, `delete`,
    /// `deletecollection`) `endpoints`, `endpointslices`, `networkpolicies` or `ingresses`, unless the rule
    /// is limited to named objects with `resourceNames`.
    ///
    /// ## Why is this bad?
    /// Endpoints and EndpointSlices say where a Service's traffic goes: whoever writes them can send any
    /// Service's traffic, with the credentials clients send along, to an address of their choosing
    /// (CVE-2021-25740 — Kubernetes 1.22 removed this permission from the built-in `edit` and `admin`
    /// roles for that reason). Deleting or rewriting a NetworkPolicy removes the isolation it gives, and an
    /// Ingress routes a host name's external traffic to any Service of the namespace. Controllers that
    /// manage these objects need the permission; applications do not. Writing `services` is left out:
    /// too many operators need it, and its dangerous fields are reported on the Service itself.
    ///
    /// A `*` verb or resource that implies it is reported by RBAC001 instead, at the `*`.
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
    ///     resources: ["endpoints"]
    ///     verbs: ["get", "update"]
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
    ///     resources: ["endpoints"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes issue 103675: CVE-2021-25740, Endpoint and EndpointSlice permissions allow cross-namespace forwarding](https://github.com/kubernetes/kubernetes/issues/103675)
    /// - [Kubernetes: RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    code: "RBAC021",
    name: "network-write-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0056"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::NETWORK_WRITE, |role, _, hit| {
        r.report(
            hit.resource.range,
            format!(
                "{} can {} `{}`, rerouting traffic or removing isolation",
                role.kind(),
                hit.verb_list(),
                hit.resource.value
            ),
        )
        .help("Grant only read access, or limit the rule with `resourceNames` to the objects the workload manages");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn network_objects_point_at_the_resource() {
        let yaml = role(
            "  - apiGroups: [\"\"]\n    resources: [pods, endpoints]\n    verbs: [get, update, patch]\n  - apiGroups: [discovery.k8s.io]\n    resources: [endpointslices]\n    verbs: [create]\n  - apiGroups: [networking.k8s.io]\n    resources: [networkpolicies, ingresses]\n    verbs: [delete]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["endpoints", "endpointslices", "networkpolicies", "ingresses"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `update` and `patch` `endpoints`, rerouting traffic or removing isolation"
        );
    }

    #[test]
    fn reads_named_objects_services_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [endpoints]\n    verbs: [get, list, watch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [endpoints]\n    resourceNames: [leader]\n    verbs: [update]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [services]\n    verbs: [create]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [endpoints]\n    verbs: ['*']\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [apps]\n    resources: [endpoints]\n    verbs: [update]\n"),
        );
    }
}
