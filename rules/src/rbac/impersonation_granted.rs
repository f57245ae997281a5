use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{help, rbac};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant the `impersonate` verb on `users`, `groups`,
    /// `serviceaccounts` or `uids` without limiting it to named identities with `resourceNames`.
    ///
    /// ## Why is this bad?
    /// Impersonation lets a request act as another identity (`kubectl --as`, `--as-group`). Unlimited
    /// `impersonate` on `users` or `groups` is full control of the cluster: its holder acts as any
    /// administrator or as a member of `system:masters`. On `serviceaccounts` it takes every permission of
    /// every ServiceAccount in reach. Tools that need impersonation (proxies, dashboards) should be limited
    /// to the identities they serve.
    ///
    /// A rule limited with `resourceNames` passes. Namespaced Roles can only grant it on `serviceaccounts`
    /// (users, groups and UIDs are cluster-wide). A `*` verb or resource that implies impersonation is
    /// reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: auth-proxy
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users", "groups"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: auth-proxy
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["groups"]
    ///     resourceNames: ["dev-team", "qa-team"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: User impersonation](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation)
    /// - [Kubernetes: RBAC good practices, impersonate verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb)
    code: "RBAC009",
    name: "impersonation-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["CKV2_K8S_3", "KSV-0043", "KSV-0050"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for role in rbac::roles(ctx) {
        for rule in &role.rules {
            let hits = rbac::hits(&role, rule, &rbac::IMPERSONATE);
            for (verb, resources) in rbac::by_verb(&hits) {
                let names = help::code_list(resources.iter().map(|r| r.value.as_str()));
                r.report(
                    verb.range,
                    format!("{} can `impersonate` any identity ({names}), acting with its permissions", role.kind()),
                )
                .help("Limit `impersonate` with `resourceNames` to the identities the tool acts for, or remove it");
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
    fn impersonation() {
        let yaml = cluster_role(
            "  - apiGroups: [\"\"]\n    resources: [users, groups, serviceaccounts]\n    verbs: [\"impersonate\"]\n  - apiGroups: [authentication.k8s.io]\n    resources: [uids]\n    verbs: [impersonate]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["impersonate", "impersonate"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `impersonate` any identity (`users`, `groups` and `serviceaccounts`), acting with its permissions"
        );
        let yaml = role(
            "  - apiGroups: [\"\"]\n    resources: [users, serviceaccounts]\n    verbs: [impersonate]\n",
        );
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `impersonate` any identity (`serviceaccounts`), acting with its permissions"
        );
    }

    #[test]
    fn named_identities_roles_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [\"\"]\n    resources: [users]\n    resourceNames: [jane]\n    verbs: [impersonate]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [users, groups]\n    verbs: [impersonate]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: ['*']\n    verbs: [impersonate]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [users]\n    verbs: [get, list]\n"),
        );
    }
}
