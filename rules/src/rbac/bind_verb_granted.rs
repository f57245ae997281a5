use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{help, rbac};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant the `bind` verb on `roles` or `clusterroles` for any role,
    /// or for `cluster-admin` by name.
    ///
    /// ## Why is this bad?
    /// The API server lets a user bind a role only when the user already holds every permission in it.
    /// `bind` switches that check off: together with the right to create RoleBindings or
    /// ClusterRoleBindings, its holder can bind any role, `cluster-admin` included, to itself or to a
    /// ServiceAccount it controls. The safe use is delegation of a few known roles, listed with
    /// `resourceNames` (for example `admin`, `edit` and `view` for namespace owners).
    ///
    /// A rule limited with `resourceNames` passes unless it names `cluster-admin`. Namespaced Roles can
    /// only grant it on `roles`. A `*` verb or resource that implies `bind` is reported by RBAC001 instead,
    /// at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: namespace-onboarding
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: namespace-onboarding
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     resourceNames: ["admin", "edit", "view"]
    ///     verbs: ["bind"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, restrictions on role binding creation or update](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update)
    /// - [Kubernetes: RBAC good practices, bind verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb)
    code: "RBAC008",
    name: "bind-verb-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_157", "KSV-0050"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for role in rbac::roles(ctx) {
        for rule in &role.rules {
            let cluster_admin = rule.resource_names.iter().find(|n| n.value == "cluster-admin");
            if rule.is_named() && cluster_admin.is_none() {
                continue;
            }
            let hits = rbac::hits(&role, rule, &rbac::BIND);
            for (verb, resources) in rbac::by_verb(&hits) {
                let names = help::code_list(resources.iter().map(|r| r.value.as_str()));
                let emit = match cluster_admin {
                    Some(name) => r
                        .report(verb.range, format!("{} can `bind` the `cluster-admin` role, granting full control of the cluster", role.kind()))
                        .label(name.range, "named here"),
                    None => r.report(
                        verb.range,
                        format!("{} can `bind` any role ({names}), granting permissions that it does not hold", role.kind()),
                    ),
                };
                emit.help("Limit `bind` with `resourceNames` to the roles that may be granted, never `cluster-admin`, or remove it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn bind() {
        let yaml = cluster_role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles, roles]\n    verbs: [get, bind]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["bind"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `bind` any role (`clusterroles` and `roles`), granting permissions that it does not hold"
        );
        let yaml = cluster_role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    resourceNames: [view, cluster-admin]\n    verbs: [bind]\n",
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].range.slice(&yaml), "bind");
        assert_eq!(found[0].labels[0].range.slice(&yaml), "cluster-admin");
        let yaml =
            role("  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles]\n    verbs: [bind]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["bind"]);
    }

    #[test]
    fn named_roles_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    resourceNames: [admin, edit, view]\n    verbs: [bind]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [bind]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [rolebindings]\n    verbs: [create, bind]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: ['*']\n",
            ),
        );
    }
}
