use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` or `get` on `pods/attach` (or `*/attach`), which
    /// connects to the main process of running containers.
    ///
    /// ## Why is this bad?
    /// `kubectl attach` connects to a container's standard input and output: for a container started with
    /// `stdin` and a TTY (shells, REPLs, debug images) that is a shell in the container, with its Secrets,
    /// service-account token and network access; for any other it reads what the process prints. Like
    /// `pods/exec`, it bypasses the review that changing a workload's definition gets, so it belongs to
    /// people in a separate, audited role, not to workloads.
    ///
    /// A rule limited with `resourceNames` to named pods passes. A `*` verb or resource that implies
    /// `pods/attach` is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/attach"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: support
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [kubectl attach](https://kubernetes.io/docs/reference/kubectl/generated/kubectl_attach/)
    code: "RBAC005",
    name: "pod-attach-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0054", "clusterrolePodExecAttach", "rolePodExecAttach"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::POD_ATTACH, |role, _, hit| {
        let resource = &hit.resource.value;
        r.report(
            hit.resource.range,
            format!("{} can attach to the processes of any pod {} through `{resource}`", role.kind(), role.scope()),
        )
        .help(format!(
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
    fn attach() {
        let yaml = cluster_role(
            "  - apiGroups: [\"\"]\n    resources: [\"pods/attach\", pods/exec]\n    verbs: [create]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["pods/attach"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can attach to the processes of any pod in the cluster through `pods/attach`"
        );
        let yaml = role("- apiGroups: ['*']\n  resources: ['*/attach']\n  verbs: [get]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["*/attach"]);
    }

    #[test]
    fn other_verbs_names_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [pods/attach]\n    verbs: [list, watch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [pods/attach]\n    resourceNames: [console]\n    verbs: [create]\n",
            ),
        );
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: ['*']\n    verbs: [create]\n"));
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [apps]\n    resources: [pods/attach]\n    verbs: [create]\n"),
        );
    }
}
