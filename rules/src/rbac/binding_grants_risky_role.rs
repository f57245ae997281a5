use plimsoll_kubernetes::grants::RoleSource;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::access;
use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose role grants a risky permission that the role's own
    /// findings do not show in the binding's file: a role defined in another file linted together, a
    /// ClusterRole whose `aggregationRule` collects the rules of other ClusterRoles, or the built-in `view`,
    /// `edit` or `admin` roles extended by ClusterRoles labelled `rbac.authorization.k8s.io/aggregate-to-…`.
    /// Risky permissions are those of the other RBAC rules (wildcards, escalating or binding roles,
    /// impersonation, `nodes/proxy`, webhooks, approving certificates, reading Secrets, `exec` or `attach`
    /// into pods, creating pods, writing bindings); the gravest is reported.
    ///
    /// ## Why is this bad?
    /// A binding is where a permission reaches a user, group or ServiceAccount. When the role is written
    /// elsewhere, or assembled from other roles by aggregation, the binding looks harmless where it is
    /// reviewed: binding `view` to a team reads as read-only access, yet one ClusterRole labelled
    /// `aggregate-to-view` that grants reading Secrets makes every `view` binding in the cluster a Secret
    /// reader. Roles defined in the binding's own file are reported on their rules instead.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: secret-reader
    ///   labels:
    ///     rbac.authorization.k8s.io/aggregate-to-view: "true"
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: developers
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: secret-reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["shop-tls"]
    ///     verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: developers
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: aggregated ClusterRoles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles)
    /// - [Kubernetes: RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    code: "RBAC052",
    name: "binding-grants-risky-role",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["clusterrolebindingPodExecAttach", "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for binding in rbac::bindings(ctx) {
        let (Some(kind), Some(name)) = (&binding.role_ref.kind, &binding.role_ref.name) else { continue };
        let namespace = binding.object.namespace.as_ref().map(|n| n.value.as_str());
        let role = ctx.project.role(&kind.value, &name.value, namespace);
        let (role_name, elsewhere) = match role {
            RoleSource::Defined { role, file } => (
                access::named_in(&ctx.project, &name.value, file),
                !ctx.project.is_this_file(file) || !role.aggregation.is_empty(),
            ),
            // `cluster-admin`, `admin` and `edit` bindings have their own rules; aggregation into them
            // adds nothing graver.
            RoleSource::BuiltIn => (format!("`{}`", name.value), name.value == "view"),
            RoleSource::Missing => continue,
        };
        if !elsewhere {
            continue;
        }
        let cluster_wide = binding.cluster && kind.value == "ClusterRole";
        let Some(power) = access::gravest(&ctx.project, role, &name.value, cluster_wide) else { continue };
        let via = power.aggregated_from.map_or_else(String::new, |(from, file)| {
            format!(" through {}", access::named_in(&ctx.project, &from.name.name, file))
        });
        let scope = if cluster_wide { "in the cluster" } else { "in its namespace" };
        let mut emit = r
            .report(
                name.range,
                format!("{} grants {} {role_name}, which allows {}{via}, {scope}", binding.kind(), kind.value, power.what),
            )
            .help("Bind a role with only the permissions the subjects need, or narrow the role where it is defined");
        for subject in &binding.subjects {
            if let Some(subject) = &subject.name {
                emit = emit.label(subject.range, "granted to");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{binding, cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans_in, lint_k8s_in};

    const SUBJECTS: &str = "  - kind: Group\n    name: dev\n";
    const SECRETS: &str = "  - apiGroups: ['']\n    resources: [secrets]\n    verbs: [get]\n";

    #[test]
    fn roles_of_other_files_are_evaluated() {
        let bound = binding("RoleBinding", "ClusterRole", "r", SUBJECTS);
        assert_eq!(k8s_spans_in(&RULE, &bound, &[&cluster_role(SECRETS)]), ["r"]);
        assert_eq!(
            lint_k8s_in(&RULE, &bound, &[&cluster_role(SECRETS)])[0].message,
            "RoleBinding grants ClusterRole `r` (in app/other-1.yaml), which allows reading Secrets, in its namespace"
        );
        let bound = binding("RoleBinding", "Role", "r", SUBJECTS);
        assert_eq!(
            k8s_spans_in(&RULE, &bound, &[&role("  - {apiGroups: ['*'], resources: ['*'], verbs: ['*']}\n")]),
            ["r"]
        );
    }

    #[test]
    fn cluster_scoped_permissions_need_a_cluster_role_binding() {
        let nodes = cluster_role("  - apiGroups: ['']\n    resources: [nodes/proxy]\n    verbs: [get]\n");
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "r", SUBJECTS), &[&nodes]).is_empty()
        );
        assert_eq!(
            k8s_spans_in(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "r", SUBJECTS), &[&nodes]),
            ["r"]
        );
    }

    #[test]
    fn aggregation_into_view_is_followed() {
        let labelled = cluster_role(SECRETS).replace(
            "name: r\n",
            "name: r\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}\n",
        );
        let bound = binding("ClusterRoleBinding", "ClusterRole", "view", SUBJECTS);
        let found = lint_k8s_in(&RULE, &bound, &[&labelled]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "ClusterRoleBinding grants ClusterRole `view`, which allows reading Secrets through `r` (in app/other-1.yaml), in the cluster"
        );
        // In one file: the role's rule is reported by secret-read-granted, the binding still here.
        assert_eq!(k8s_spans_in(&RULE, &format!("{labelled}---\n{bound}"), &[]), ["view"]);
    }

    #[test]
    fn roles_in_the_same_file_and_harmless_roles_pass() {
        let both =
            format!("{}---\n{}", cluster_role(SECRETS), binding("RoleBinding", "ClusterRole", "r", SUBJECTS));
        assert_k8s_clean(&RULE, &both);
        let pods = cluster_role("  - apiGroups: ['']\n    resources: [pods]\n    verbs: [get, list]\n");
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "r", SUBJECTS), &[&pods]).is_empty()
        );
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "view", SUBJECTS), &[]).is_empty()
        );
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "edit", SUBJECTS), &[]).is_empty()
        );
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "missing", SUBJECTS), &[]).is_empty()
        );
    }
}
