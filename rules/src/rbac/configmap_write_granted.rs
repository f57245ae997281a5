use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update`, `patch`, `delete` or `deletecollection`
    /// on every ConfigMap (no `resourceNames`). Opt-in.
    ///
    /// ## Why is this bad?
    /// ConfigMaps configure other workloads: the files and environment of the pods that mount them, the
    /// settings of controllers, and on EKS the `aws-auth` mapping of IAM identities to Kubernetes groups.
    /// Whoever can write every ConfigMap of a namespace can change how its workloads behave, point them at
    /// other endpoints or switch off their checks. The rule is opt-in because many controllers write
    /// ConfigMaps legitimately; leader election, the most common reason, belongs in
    /// `coordination.k8s.io` Leases today.
    ///
    /// Rules limited with `resourceNames` pass. Writes to `aws-auth` are RBAC014 (on by default) and are
    /// not repeated here; a `*` verb or resource is reported by RBAC001.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: controller
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "create", "update"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: controller
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["controller-state"]
    ///     verbs: ["get", "update"]
    ///   - apiGroups: ["coordination.k8s.io"]
    ///     resources: ["leases"]
    ///     verbs: ["get", "create", "update"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: ConfigMaps](https://kubernetes.io/docs/concepts/configuration/configmap/)
    /// - [Kubernetes: Leases, leader election](https://kubernetes.io/docs/concepts/architecture/leases/)
    code: "RBAC015",
    name: "configmap-write-granted",
    family: Rbac,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0049"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::CONFIGMAP_WRITE, |role, rule, hit| {
        if rule.is_named() {
            return;
        }
        // RBAC014 reports a Role in kube-system that can write every ConfigMap there.
        let kube_system = !role.cluster && role.namespace() == Some("kube-system");
        let writes = hit.verbs.iter().any(|v| matches!(v.value.as_str(), "update" | "patch"));
        if kube_system && writes {
            return;
        }
        r.report(
            hit.resource.range,
            format!("{} can {} every ConfigMap {}, changing how other workloads are configured", role.kind(), hit.verb_list(), role.scope()),
        )
        .help("Limit ConfigMap writes with `resourceNames` to the ConfigMaps the workload owns; use `coordination.k8s.io` Leases for leader election");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn writing_every_configmap() {
        let yaml = role(
            "  - apiGroups: [\"\"]\n    resources: [\"configmaps\", secrets]\n    verbs: [get, update, delete]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["configmaps"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `update` and `delete` every ConfigMap in its namespace, changing how other workloads are configured"
        );
        assert_eq!(
            k8s_spans(
                &RULE,
                &cluster_role("- apiGroups: ['']\n  resources: [configmaps]\n  verbs: [create]\n")
            ),
            ["configmaps"]
        );
    }

    #[test]
    fn named_reading_kube_system_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [state]\n    verbs: [update]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, list, watch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: ['*']\n"),
        );
        let kube_system = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: kube-system\nrules:\n  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [update]\n";
        assert_k8s_clean(&RULE, kube_system);
        // `create` alone in kube-system is not RBAC014's: reported here.
        assert_eq!(k8s_spans(&RULE, &kube_system.replace("[update]", "[create]")), ["configmaps"]);
    }
}
