use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` or `get` on `pods/exec` (or `*/exec`), or `update` or
    /// `patch` on `pods/ephemeralcontainers`, which run commands inside running pods.
    ///
    /// ## Why is this bad?
    /// `kubectl exec` is a shell in the container: whoever holds the permission reads the container's
    /// mounted Secrets and service-account token, its memory and files, and acts with its network access
    /// and identity. Adding an ephemeral (debug) container to a pod does the same. Both bypass the review
    /// that changing a workload's definition gets. Interactive access belongs to people in a separate,
    /// audited role, not to workloads or CI accounts. The API server checks `create` for exec requests
    /// (older versions and WebSocket clients also `get`), so both verbs are flagged.
    ///
    /// A rule limited with `resourceNames` to named pods passes. A `*` verb or resource that implies
    /// `pods/exec` is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: ci
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: ci
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [Kubernetes: Debug running pods, ephemeral containers](https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container)
    code: "RBAC004",
    name: "pod-exec-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0053", "CKV2_K8S_2", "clusterrolePodExecAttach", "rolePodExecAttach"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::POD_EXEC, |role, _, hit| {
        let resource = &hit.resource.value;
        let message = if resource.ends_with("/ephemeralcontainers") {
            format!(
                "{} can add ephemeral containers to any pod {}, running commands in it",
                role.kind(),
                role.scope()
            )
        } else {
            format!("{} can run commands in any pod {} through `{resource}`", role.kind(), role.scope())
        };
        r.report(hit.resource.range, message).help(format!(
            "Remove `{resource}`; give interactive access to people through a separate, audited role rather than to workloads"
        ));
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn exec_and_ephemeral_containers() {
        let yaml =
            role("  - apiGroups: [\"\"]\n    resources: [pods, \"pods/exec\"]\n    verbs: [get, create]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["pods/exec"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can run commands in any pod in its namespace through `pods/exec`"
        );
        let yaml = cluster_role(
            "  - apiGroups: ['']\n    resources: ['*/exec', pods/ephemeralcontainers]\n    verbs: [get, patch]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["*/exec", "pods/ephemeralcontainers"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[1].message,
            "ClusterRole can add ephemeral containers to any pod in the cluster, running commands in it"
        );
    }

    #[test]
    fn other_verbs_names_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/exec]\n    verbs: [list]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/ephemeralcontainers]\n    verbs: [get]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [pods/exec]\n    resourceNames: [debug-0]\n    verbs: [create]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/exec]\n    verbs: ['*']\n"),
        );
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [create]\n"));
    }
}
