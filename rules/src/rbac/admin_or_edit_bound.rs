use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose `roleRef` is the built-in `admin` or `edit`
    /// ClusterRole, which read Secrets and run pods as any ServiceAccount of the namespace.
    ///
    /// ## Why is this bad?
    /// `edit` reads and writes Secrets, creates and changes workloads (and so runs pods as any
    /// ServiceAccount of the namespace, with that account's permissions) and opens shells in pods with
    /// `pods/exec`; `admin` adds roles and bindings within the namespace. Bound by a ClusterRoleBinding they
    /// apply in every namespace, `kube-system` included. They are meant for people administering a
    /// namespace, not for workloads; a workload should get a role with the permissions it uses. This is a
    /// note rather than a warning because binding them to a namespace's owners is their intended use.
    ///
    /// The names mean the built-in roles even when the file defines ClusterRoles of the same names (the API
    /// server restores built-in roles at startup), unless such a role opts out with
    /// `rbac.authorization.kubernetes.io/autoupdate: "false"`.
    /// Bindings of `cluster-admin` are RBAC017.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: app-edit
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: edit
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: app
    ///     namespace: shop
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: app-view
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: app
    ///     namespace: shop
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, user-facing roles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles)
    code: "RBAC018",
    name: "admin-or-edit-bound",
    family: Rbac,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["KSV-0111"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let roles = rbac::roles(ctx);
    for binding in rbac::bindings(ctx) {
        let Some(name) = rbac::built_in_role(&binding, &["admin", "edit"], &roles) else { continue };
        let what = match name.value.as_str() {
            "admin" => "managing roles and bindings, reading Secrets and running pods as any service account",
            "edit" => "reading Secrets and running pods as any service account",
            _ => continue,
        };
        let scope = if binding.cluster { "in every namespace" } else { "in its namespace" };
        r.report(name.range, format!("{} grants `{}` {scope}, including {what}", binding.kind(), name.value))
            .help("Bind `view`, or a role with only the permissions the subjects need; keep `admin` and `edit` for the people who run the namespace");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::binding;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    const SUBJECTS: &str = "  - kind: Group\n    name: dev\n";

    #[test]
    fn admin_and_edit() {
        let yaml = binding("RoleBinding", "ClusterRole", "edit", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &yaml), ["edit"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "RoleBinding grants `edit` in its namespace, including reading Secrets and running pods as any service account"
        );
        let yaml = binding("ClusterRoleBinding", "ClusterRole", "'admin'", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &yaml), ["admin"]);
        assert!(
            lint_k8s(&RULE, &yaml)[0]
                .message
                .starts_with("ClusterRoleBinding grants `admin` in every namespace")
        );
    }

    #[test]
    fn other_roles_pass() {
        assert_k8s_clean(&RULE, &binding("RoleBinding", "ClusterRole", "view", SUBJECTS));
        // A ClusterRole called `edit` in the file is still the built-in one, unless it opts out.
        let own = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: edit\nrules: []\n";
        let bound = binding("RoleBinding", "ClusterRole", "edit", SUBJECTS);
        assert_eq!(k8s_spans(&RULE, &format!("{own}---\n{bound}")), ["edit"]);
        let kept = own.replace(
            "name: edit",
            "name: edit\n  annotations: {rbac.authorization.kubernetes.io/autoupdate: \"false\"}",
        );
        assert_k8s_clean(&RULE, &format!("{kept}---\n{bound}"));
        assert_k8s_clean(&RULE, &binding("RoleBinding", "Role", "admin", SUBJECTS));
        assert_k8s_clean(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "cluster-admin", SUBJECTS));
    }
}
