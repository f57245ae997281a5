use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose `roleRef` is the built-in `cluster-admin`
    /// ClusterRole.
    ///
    /// ## Why is this bad?
    /// `cluster-admin` allows every verb on every resource. Bound by a ClusterRoleBinding it is full control
    /// of the cluster: every Secret, every node through privileged pods, and RBAC itself. Bound by a
    /// RoleBinding it is full control of the namespace, its Secrets, roles and bindings included.
    /// Workloads and automation practically never need it, and a compromised subject of the binding
    /// compromises everything it covers. Keep `cluster-admin` for break-glass access and bind a role with
    /// the permissions the subjects need.
    ///
    /// The name means the built-in role even when the file defines a ClusterRole called `cluster-admin`:
    /// the API server restores built-in roles to their default permissions at startup. Only a role that
    /// opts out of that (`rbac.authorization.kubernetes.io/autoupdate: "false"`) is judged by its own rules
    /// instead. Bindings of `admin` and `edit` are RBAC018.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-deployer
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: ci-deployer
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: deployer
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, user-facing roles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles)
    /// - [Kubernetes: RBAC good practices, least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    /// - CIS Kubernetes Benchmark, 5.1.1 "Ensure that the cluster-admin role is only used where required"
    code: "RBAC017",
    name: "cluster-admin-bound",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: [
        "cluster-admin-role-binding", "clusterrolebindingClusterAdmin", "rolebindingClusterAdminClusterRole",
        "KSV-0111",
    ],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let roles = rbac::roles(ctx);
    for binding in rbac::bindings(ctx) {
        let Some(name) = rbac::built_in_role(&binding, &["cluster-admin"], &roles) else { continue };
        let message = if binding.cluster {
            "ClusterRoleBinding grants `cluster-admin`, full control of the cluster, to its subjects"
        } else {
            "RoleBinding grants `cluster-admin` in its namespace, full control of everything there, roles and Secrets included"
        };
        let mut emit = r
            .report(name.range, message)
            .help("Bind a role with only the permissions the subjects need; keep `cluster-admin` for break-glass access");
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
    use crate::support::rbac::fixtures::{binding, cluster_role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    const SUBJECTS: &str = "  - kind: ServiceAccount\n    name: deployer\n    namespace: ci\n";

    #[test]
    fn cluster_admin_bindings() {
        let yaml = binding("ClusterRoleBinding", "ClusterRole", "cluster-admin", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &yaml), ["cluster-admin"]);
        let found = lint_k8s(&RULE, &yaml);
        assert!(yaml[..found[0].range.start as usize].ends_with("  name: "));
        assert_eq!(found[0].labels[0].range.slice(&yaml), "deployer");
        let yaml = binding("RoleBinding", "ClusterRole", "\"cluster-admin\"", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &yaml), ["cluster-admin"]);
        assert!(
            lint_k8s(&RULE, &yaml)[0]
                .message
                .starts_with("RoleBinding grants `cluster-admin` in its namespace")
        );
    }

    #[test]
    fn other_roles_and_own_roles_that_opt_out_pass() {
        assert_k8s_clean(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "view", SUBJECTS));
        // A namespaced Role that happens to be called cluster-admin.
        assert_k8s_clean(&RULE, &binding("RoleBinding", "Role", "cluster-admin", SUBJECTS));
        let own = cluster_role("  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [get]\n")
            .replace("name: r", "name: cluster-admin");
        // A file's own cluster-admin is restored to the built-in one, unless it opts out of that.
        let bound = binding("ClusterRoleBinding", "ClusterRole", "cluster-admin", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &format!("{bound}---\n{own}")), ["cluster-admin"]);
        let kept = own.replace(
            "name: cluster-admin",
            "name: cluster-admin\n  annotations:\n    rbac.authorization.kubernetes.io/autoupdate: \"false\"",
        );
        assert_k8s_clean(&RULE, &format!("{bound}---\n{kept}"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef: cluster-admin\n",
        );
    }
}
