use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `get`, `list` or `watch` on `secrets` without limiting them
    /// to named Secrets with `resourceNames`.
    ///
    /// ## Why is this bad?
    /// Secrets hold the credentials of the namespace (or, for a ClusterRole, of the cluster): database
    /// passwords, API tokens, TLS keys, registry credentials and service-account tokens, which in turn
    /// carry their own permissions. `list` and `watch` return every Secret with its values, so they are as
    /// strong as `get` on each one; a compromised workload holding them can read every credential in
    /// reach. Workloads seldom need the API for this: Secrets mounted as volumes or environment variables
    /// need no RBAC permission at all.
    ///
    /// A rule limited with `resourceNames` reads only the named Secrets and passes. A `*` verb or resource
    /// that implies reading Secrets is reported by RBAC001 instead, at the `*`.
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
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list", "watch"]
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
    ///     resources: ["secrets"]
    ///     resourceNames: ["shop-db-credentials"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, listing Secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - [Kubernetes: Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - CIS Kubernetes Benchmark, 5.1.2 "Minimize access to secrets"
    code: "RBAC002",
    name: "secret-read-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["access-to-secrets", "CKV2_K8S_5", "KSV-0041", "KSV-0113"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::SECRETS_READ, |role, _, hit| {
        let message = if hit.has_verb("list") || hit.has_verb("watch") {
            format!("{} can {} every Secret {}, values included", role.kind(), hit.verb_list(), role.scope())
        } else {
            format!("{} can `get` any Secret {} by name", role.kind(), role.scope())
        };
        r.report(hit.resource.range, message).help(
            "Grant `get` on the Secrets the workload needs by name (`resourceNames`), or mount them into its pods, which needs no RBAC permission",
        );
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn reading_secrets() {
        let yaml =
            role("  - apiGroups: [\"\"]\n    resources: [configmaps, \"secrets\"]\n    verbs: [get, list]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["secrets"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `get` and `list` every Secret in its namespace, values included"
        );
        let yaml = cluster_role("  - apiGroups: ['*']\n    resources: [secrets]\n    verbs: [get, create]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["secrets"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `get` any Secret in the cluster by name"
        );
        // apiGroups left out: read as the core group.
        let yaml = cluster_role("  - resources: [secrets]\n    verbs: [watch]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["secrets"]);
    }

    #[test]
    fn named_other_group_writes_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [secrets]\n    resourceNames: [db]\n    verbs: [get]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [secrets]\n    verbs: [create, delete]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [external-secrets.io]\n    resources: [secrets]\n    verbs: [get]\n"),
        );
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: [Secrets]\n    verbs: [get]\n"));
        // Reported by RBAC001 at the `*`.
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: [secrets]\n    verbs: ['*']\n"));
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: ['*']\n    verbs: [get]\n"));
    }
}
