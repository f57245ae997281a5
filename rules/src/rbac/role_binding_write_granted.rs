use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update` or `patch` on `rolebindings` or
    /// `clusterrolebindings`.
    ///
    /// ## Why is this bad?
    /// A binding decides who holds a role. Whoever can write bindings can hand every permission it holds to
    /// any user, group or ServiceAccount, including ones an attacker controls, and add subjects to existing
    /// bindings of more powerful roles (`update`, `patch`). With `bind` (RBAC008) or through a role it may
    /// bind, that reaches any role in the cluster. Bindings are best managed by cluster administrators or
    /// GitOps tooling; a controller that must create them should hold exactly the permissions it hands
    /// out.
    ///
    /// `resourceNames` do not help (`create` cannot be limited by name, and a named binding can still get
    /// new subjects), so named bindings are reported too. Namespaced Roles can only grant it on
    /// `rolebindings`. A `*` verb or resource that implies it is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: deployer
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterrolebindings"]
    ///     verbs: ["get", "list", "create"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: deployer
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterrolebindings"]
    ///     verbs: ["get", "list"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, restrictions on role binding creation or update](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update)
    /// - [Kubernetes: RBAC good practices, privilege escalation risks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks)
    code: "RBAC010",
    name: "role-binding-write-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV2_K8S_1", "KSV-0051", "KSV-0052", "KSV-0055"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::BINDINGS_WRITE, |role, _, hit| {
        r.report(
            hit.resource.range,
            format!(
                "{} can {} `{}`, handing roles to any user or service account",
                role.kind(),
                hit.verb_list(),
                hit.resource.value
            ),
        )
        .help("Leave bindings to cluster administrators or GitOps tooling; a controller that must create them should hold only the permissions it hands out, without `bind` or `escalate`");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn writing_bindings() {
        let yaml = cluster_role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings, \"clusterrolebindings\"]\n    verbs: [get, create, patch]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["rolebindings", "clusterrolebindings"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[1].message,
            "ClusterRole can `create` and `patch` `clusterrolebindings`, handing roles to any user or service account"
        );
        let yaml = role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings, clusterrolebindings]\n    resourceNames: [app]\n    verbs: [update]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["rolebindings"]);
    }

    #[test]
    fn reading_other_groups_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings, clusterrolebindings]\n    verbs: [get, list, watch, delete]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [rolebindings]\n    verbs: [create]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterrolebindings]\n    verbs: [create]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings]\n    verbs: ['*']\n",
            ),
        );
    }
}
