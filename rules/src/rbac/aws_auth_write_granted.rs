use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{help, rbac};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that can write the EKS `aws-auth` ConfigMap: `update` or `patch` on
    /// `configmaps` named `aws-auth`, or on every ConfigMap from a Role in `kube-system`.
    ///
    /// ## Why is this bad?
    /// On Amazon EKS, the `aws-auth` ConfigMap in `kube-system` maps AWS IAM roles and users to Kubernetes
    /// users and groups. Whoever can write it can map an IAM identity it controls to `system:masters`
    /// and so take over the cluster, or lock out administrators and nodes. It should be managed with the
    /// cluster's infrastructure code (or replaced by EKS access entries), not by workloads.
    ///
    /// A Role in another namespace cannot reach it and passes, and so does `create` alone, which cannot
    /// change an existing `aws-auth`. Writes to ConfigMaps in general are
    /// RBAC015 (opt-in); a `*` verb or resource is reported by RBAC001.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: node-mapper
    ///   namespace: kube-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["aws-auth"]
    ///     verbs: ["get", "update", "patch"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: node-mapper
    ///   namespace: kube-system
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["aws-auth"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Amazon EKS: Grant IAM users access to Kubernetes with a ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
    /// - [Amazon EKS: Grant IAM users access to Kubernetes with EKS access entries](https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html)
    code: "RBAC014",
    name: "aws-auth-write-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["KSV-0115"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let help = "Manage `aws-auth` (or EKS access entries) from the cluster's infrastructure code; give workloads no write access to it";
    rbac::each_hit(ctx, &rbac::CONFIGMAP_WRITE, |role, rule, hit| {
        let in_kube_system = role.namespace() == Some("kube-system");
        if !role.cluster && role.namespace().is_some() && !in_kube_system {
            return;
        }
        if rule.is_named() {
            // `create` cannot be limited by name: only `update` and `patch` reach the named object.
            let verbs: Vec<&str> = hit
                .verbs
                .iter()
                .map(|v| v.value.as_str())
                .filter(|v| matches!(*v, "update" | "patch"))
                .collect();
            let Some(name) = rule.resource_names.iter().find(|n| n.value == "aws-auth") else { return };
            if verbs.is_empty() {
                return;
            }
            r.report(
                name.range,
                format!(
                    "{} can {} the `aws-auth` ConfigMap, which maps AWS IAM identities to Kubernetes groups",
                    role.kind(),
                    help::code_list(verbs)
                ),
            )
            .help(help);
        } else if !role.cluster && in_kube_system {
            // `create` alone cannot change an existing `aws-auth`.
            let verbs: Vec<&str> = hit
                .verbs
                .iter()
                .map(|v| v.value.as_str())
                .filter(|v| matches!(*v, "update" | "patch"))
                .collect();
            if verbs.is_empty() {
                return;
            }
            r.report(
                hit.resource.range,
                format!(
                    "Role can {} every ConfigMap in `kube-system`, `aws-auth` included, which maps AWS IAM identities to Kubernetes groups",
                    help::code_list(verbs)
                ),
            )
            .help(help);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::cluster_role;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn role_in(namespace: &str, rules: &str) -> String {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: {namespace}\nrules:\n{rules}"
        )
    }

    #[test]
    fn named_aws_auth_and_kube_system_configmaps() {
        let named = "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [\"aws-auth\"]\n    verbs: [get, create, patch]\n";
        assert_eq!(k8s_spans(&RULE, &role_in("kube-system", named)), ["aws-auth"]);
        assert_eq!(
            lint_k8s(&RULE, &cluster_role(named))[0].message,
            "ClusterRole can `patch` the `aws-auth` ConfigMap, which maps AWS IAM identities to Kubernetes groups"
        );
        // A Role without a namespace may be applied to kube-system.
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n"
            .to_string()
            + named;
        assert_eq!(k8s_spans(&RULE, &yaml), ["aws-auth"]);
        let every = "  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [update]\n";
        assert_eq!(k8s_spans(&RULE, &role_in("kube-system", every)), ["configmaps"]);
    }

    #[test]
    fn other_namespaces_reads_creates_and_general_writes_pass() {
        let named = "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [aws-auth]\n    verbs: [update]\n";
        assert_k8s_clean(&RULE, &role_in("shop", named));
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [aws-auth]\n    verbs: [get, create]\n",
            ),
        );
        // Every ConfigMap from a ClusterRole or another namespace: RBAC015 (opt-in).
        let every = "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [create, update]\n";
        assert_k8s_clean(&RULE, &cluster_role(every));
        assert_k8s_clean(&RULE, &role_in("shop", every));
        assert_k8s_clean(
            &RULE,
            &role_in(
                "kube-system",
                "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, create, delete]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role_in(
                "kube-system",
                "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [other]\n    verbs: [update]\n",
            ),
        );
    }
}
