use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `delete` or `deletecollection` on `pods/log`. Opt-in.
    ///
    /// ## Why is this bad?
    /// Container logs are evidence: what a compromised workload did is often visible only there. A
    /// permission to delete them has no legitimate use, since Kubernetes serves `pods/log` read-only and
    /// logs go away with their pod; on a standard API server the grant therefore does nothing, which is why
    /// the rule is opt-in. It is still worth removing: it signals an intent to cover tracks and would take
    /// effect with an API server or aggregated API that supports it.
    ///
    /// Rules limited with `resourceNames` pass; a `*` verb or resource is reported by RBAC001.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: janitor
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods/log"]
    ///     verbs: ["get", "delete"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: janitor
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods/log"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Logging architecture](https://kubernetes.io/docs/concepts/cluster-administration/logging/)
    /// - [Kubernetes API: read log of the specified Pod](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#read-log-of-the-specified-pod)
    code: "RBAC016",
    name: "pod-log-delete-granted",
    family: Rbac,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0042"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::POD_LOG_DELETE, |role, _, hit| {
        r.report(
            hit.resource.range,
            format!(
                "{} can {} `{}`, erasing the record of what pods did",
                role.kind(),
                hit.verb_list(),
                hit.resource.value
            ),
        )
        .help("Grant `get` on `pods/log` only; keep logs in a central store that workloads cannot change");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::role;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn deleting_logs() {
        let yaml =
            role("  - apiGroups: [\"\"]\n    resources: [pods, \"pods/log\"]\n    verbs: [get, delete]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["pods/log"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `delete` `pods/log`, erasing the record of what pods did"
        );
        assert_eq!(
            k8s_spans(
                &RULE,
                &role("- apiGroups: ['']\n  resources: ['*/log']\n  verbs: [deletecollection]\n")
            ),
            ["*/log"]
        );
    }

    #[test]
    fn reading_named_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/log]\n    verbs: [get, list]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [pods/log]\n    resourceNames: [a]\n    verbs: [delete]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/log]\n    verbs: ['*']\n"),
        );
    }
}
