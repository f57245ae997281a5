use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles that grant `get` or `create` on `nodes/proxy` (or `*/proxy`), which reaches the
    /// kubelet API of every node through the API server.
    ///
    /// ## Why is this bad?
    /// The kubelet API runs commands in any container of its node (`/exec`, `/run`), attaches to them and
    /// reads their logs; through `nodes/proxy` the API server forwards such requests with its own
    /// credentials, and the kubelet does not apply the finer-grained `pods/exec` check. A holder can run
    /// commands in every pod of the cluster, including control-plane and system pods, and such requests
    /// are not recorded as exec in the audit log. Monitoring agents that only need metrics should use
    /// `nodes/metrics` and `nodes/stats` instead.
    ///
    /// Namespaced Roles cannot grant `nodes/proxy` (nodes are cluster-scoped) and are not checked; the
    /// rule reports named nodes too, since one node's kubelet already reaches all of its pods. A `*` verb
    /// or resource that implies `nodes/proxy` is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics-reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/proxy"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics-reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes", "nodes/metrics", "nodes/stats"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, access to proxy subresource of Nodes](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes)
    /// - [Kubernetes: Kubelet authentication/authorization](https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/)
    code: "RBAC006",
    name: "node-proxy-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["KSV-0047", "CKV2_K8S_2"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::NODE_PROXY, |role, _, hit| {
        r.report(
            hit.resource.range,
            format!(
                "{} can reach every node's kubelet API through `{}`, running commands in any pod",
                role.kind(),
                hit.resource.value
            ),
        )
        .help("Remove `nodes/proxy`; to read node metrics grant `get` on `nodes/metrics` and `nodes/stats` instead");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn node_proxy() {
        let yaml = cluster_role(
            "  - apiGroups: [\"\"]\n    resources: [nodes, \"nodes/proxy\"]\n    verbs: [get, list]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["nodes/proxy"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can reach every node's kubelet API through `nodes/proxy`, running commands in any pod"
        );
        let yaml = cluster_role(
            "  - apiGroups: [\"\"]\n    resources: ['*/proxy']\n    resourceNames: [node-1]\n    verbs: [create]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["*/proxy"]);
    }

    #[test]
    fn roles_metrics_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [nodes/proxy]\n    verbs: [get]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [\"\"]\n    resources: [nodes/metrics, nodes/stats, services/proxy]\n    verbs: [get]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [nodes/proxy]\n    verbs: [list, watch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: ['*']\n    verbs: [get]\n"),
        );
    }
}
