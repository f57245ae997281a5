use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac::{self, Binding};

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose subjects include `system:anonymous`, or the groups
    /// `system:unauthenticated`, `system:authenticated`, `system:serviceaccounts` or `system:masters`.
    ///
    /// ## Why is this bad?
    /// These identities are assigned by the API server, not by an identity provider:
    /// `system:anonymous` and `system:unauthenticated` are every request without credentials, so their
    /// permissions are open to anyone who can reach the API server; `system:authenticated` is every user
    /// and ServiceAccount with any valid credential (on some managed clusters, any account of the cloud
    /// provider); `system:serviceaccounts` is every ServiceAccount of every namespace. Binding a role to
    /// them grants it far beyond the intended audience. `system:masters` bypasses authorization entirely
    /// and its certificates cannot be revoked: binding roles to it means credentials in that group are in
    /// use, which should be kept for break-glass access.
    ///
    /// The bindings a cluster ships with, of `system:basic-user`, `system:discovery` and
    /// `system:public-info-viewer`, pass.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: dashboard-viewers
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     apiGroup: rbac.authorization.k8s.io
    ///     name: system:authenticated
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: dashboard-viewers
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     apiGroup: rbac.authorization.k8s.io
    ///     name: platform-team
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, referring to subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
    /// - [Kubernetes: Authenticating, anonymous requests](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests)
    /// - [Kubernetes: RBAC good practices, least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    code: "RBAC019",
    name: "system-group-bound",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["KSV-0122", "KSV-01011", "KSV-0123"],
    checks: [Check::Kubernetes(check)],
}

/// ClusterRoles a cluster binds to these groups itself: discovery and public information.
const DEFAULT_PUBLIC_ROLES: &[&str] = &["system:basic-user", "system:discovery", "system:public-info-viewer"];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for binding in rbac::bindings(ctx) {
        let default_public =
            binding.cluster_role().is_some_and(|n| DEFAULT_PUBLIC_ROLES.contains(&n.value.as_str()));
        for subject in &binding.subjects {
            let (Some(kind), Some(name)) = (&subject.kind, &subject.name) else { continue };
            let who = match (kind.value.as_str(), name.value.as_str()) {
                ("User" | "Group", "system:anonymous") | ("Group", "system:unauthenticated") => {
                    "anyone who can reach the API server, without credentials"
                }
                ("Group", "system:authenticated") => {
                    "every user and service account with any valid credential"
                }
                ("Group", "system:serviceaccounts") => "every service account in the cluster",
                ("Group", "system:masters") => {
                    r.report(
                        name.range,
                        format!("{} names the group `system:masters`, whose members bypass authorization and cannot be revoked", binding.kind()),
                    )
                    .help("Bind roles to groups from your identity provider, and issue credentials in `system:masters` only for break-glass access");
                    continue;
                }
                _ => continue,
            };
            if default_public && name.value != "system:serviceaccounts" {
                continue;
            }
            r.report(
                name.range,
                format!("{} grants {} to `{}`: {who}", binding.kind(), role(&binding), name.value),
            )
            .help("Bind the role to named users, groups or service accounts instead");
        }
    }
}

/// `` `view` `` or `its role`.
fn role(binding: &Binding) -> String {
    binding.role_ref.name.as_ref().map_or_else(|| "its role".to_string(), |n| format!("`{}`", n.value))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::binding;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn broad_system_subjects() {
        let subjects = "  - kind: Group\n    name: system:authenticated\n  - kind: User\n    name: \"system:anonymous\"\n  - kind: Group\n    name: system:masters\n  - kind: Group\n    name: system:serviceaccounts\n";
        let yaml = binding("ClusterRoleBinding", "ClusterRole", "view", subjects);
        assert_eq!(
            k8s_spans(&RULE, &yaml),
            ["system:authenticated", "system:anonymous", "system:masters", "system:serviceaccounts"]
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "ClusterRoleBinding grants `view` to `system:authenticated`: every user and service account with any valid credential"
        );
        assert_eq!(
            found[2].message,
            "ClusterRoleBinding names the group `system:masters`, whose members bypass authorization and cannot be revoked"
        );
        let yaml =
            binding("RoleBinding", "Role", "reader", "  - kind: Group\n    name: system:unauthenticated\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["system:unauthenticated"]);
    }

    #[test]
    fn default_bindings_and_other_subjects_pass() {
        let public = "  - kind: Group\n    name: system:authenticated\n  - kind: Group\n    name: system:unauthenticated\n";
        assert_k8s_clean(
            &RULE,
            &binding("ClusterRoleBinding", "ClusterRole", "system:public-info-viewer", public),
        );
        assert_k8s_clean(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "system:discovery", public));
        let others = "  - kind: Group\n    name: system:serviceaccounts:shop\n  - kind: User\n    name: system:authenticated\n  - kind: ServiceAccount\n    name: system:masters\n    namespace: x\n  - kind: Group\n    name: dev\n";
        assert_k8s_clean(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "view", others));
    }
}
