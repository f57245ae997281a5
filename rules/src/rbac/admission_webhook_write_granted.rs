use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles that grant `create`, `update`, `patch`, `delete` or `deletecollection` on
    /// `mutatingwebhookconfigurations`, `validatingwebhookconfigurations` or the admission policies and
    /// policy bindings of `admissionregistration.k8s.io`, without limiting them to named objects.
    ///
    /// ## Why is this bad?
    /// Admission control sees every object written to the API server. A mutating webhook receives those
    /// objects, Secrets included, and can rewrite them: inject a container into every new pod, or swap an
    /// image. Deleting or loosening validating webhooks and admission policies switches off the guards
    /// (policy engines, image verification) that stop everything else. These configurations belong to the
    /// component that owns them, limited to its own objects.
    ///
    /// A rule limited with `resourceNames` to the component's own configurations passes (the usual way
    /// for a webhook to rotate its certificate). Namespaced Roles cannot grant these cluster-scoped
    /// resources. A `*` verb or resource that implies it is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: injector
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["get", "create", "patch"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: injector
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     resourceNames: ["injector-webhook"]
    ///     verbs: ["get", "patch"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Dynamic admission control](https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/)
    /// - [Kubernetes: RBAC good practices, control admission webhooks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks)
    code: "RBAC011",
    name: "admission-webhook-write-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_155", "KSV-0114"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::WEBHOOKS, |role, _, hit| {
        let resource = &hit.resource.value;
        let effect = if resource.starts_with("mutating") {
            "which can rewrite any object sent to the API server"
        } else {
            "which can switch off admission checks"
        };
        r.report(hit.resource.range, format!("{} can {} `{resource}`, {effect}", role.kind(), hit.verb_list()))
            .help("Grant admission configuration changes only to the component that owns it, limited with `resourceNames` to its own objects");
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn webhooks_and_policies() {
        let yaml = cluster_role(
            "  - apiGroups: [admissionregistration.k8s.io]\n    resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies]\n    verbs: [get, list, update, delete]\n",
        );
        assert_eq!(
            k8s_spans(&RULE, &yaml),
            [
                "mutatingwebhookconfigurations",
                "validatingwebhookconfigurations",
                "validatingadmissionpolicies"
            ]
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "ClusterRole can `update` and `delete` `mutatingwebhookconfigurations`, which can rewrite any object sent to the API server"
        );
        assert_eq!(
            found[1].message,
            "ClusterRole can `update` and `delete` `validatingwebhookconfigurations`, which can switch off admission checks"
        );
    }

    #[test]
    fn named_reading_roles_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [admissionregistration.k8s.io]\n    resources: [validatingwebhookconfigurations]\n    resourceNames: [gatekeeper]\n    verbs: [get, update]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [admissionregistration.k8s.io]\n    resources: [mutatingwebhookconfigurations]\n    verbs: [get, list, watch]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [admissionregistration.k8s.io]\n    resources: [mutatingwebhookconfigurations]\n    verbs: [create]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [admissionregistration.k8s.io]\n    resources: ['*']\n    verbs: [create]\n",
            ),
        );
    }
}
