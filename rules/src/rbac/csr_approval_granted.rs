use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::rbac::{self, Hit, PolicyRule};

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles that can approve certificate signing requests: `update` or `patch` on
    /// `certificatesigningrequests/approval`, or `approve` on `signers` for every signer or for a built-in
    /// `kubernetes.io/` signer.
    ///
    /// ## Why is this bad?
    /// An approved request is signed into a client certificate. With the built-in
    /// `kubernetes.io/kube-apiserver-client` signer that certificate authenticates as any user and any
    /// group the request names, `system:masters` included, and it cannot be revoked before it expires;
    /// `kubernetes.io/kube-apiserver-client-kubelet` mints node identities. Approving requests is the
    /// control plane's job; a controller that approves its own requests should be limited to its own
    /// signer.
    ///
    /// The API server requires both permissions to approve: when a role limits `approve` to custom signers
    /// with `resourceNames` (none under `kubernetes.io/`), its `approval` grant passes. One finding is
    /// made per grant: at `certificatesigningrequests/approval` (with the signer grant as a label), else at
    /// `signers`. Namespaced Roles cannot grant these cluster-scoped resources. A `*` verb or resource that
    /// implies it is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]
    ///     verbs: ["update"]
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     verbs: ["approve"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["certificatesigningrequests/approval"]
    ///     verbs: ["update"]
    ///   - apiGroups: ["certificates.k8s.io"]
    ///     resources: ["signers"]
    ///     resourceNames: ["example.com/workload-signer"]
    ///     verbs: ["approve"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Certificates and certificate signing requests, authorization](https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization)
    /// - [Kubernetes: RBAC good practices, CSRs and certificate issuing](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing)
    code: "RBAC012",
    name: "csr-approval-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_156"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for role in rbac::roles(ctx) {
        let mut approvals: Vec<Hit> = Vec::new();
        let mut signers: Vec<(&PolicyRule, Hit)> = Vec::new();
        for rule in &role.rules {
            for hit in rbac::hits(&role, rule, &rbac::CSR_APPROVAL) {
                if hit.resource.value == "signers" {
                    signers.push((rule, hit));
                } else {
                    approvals.push(hit);
                }
            }
        }
        let dangerous: Vec<&Spanned<String>> = signers
            .iter()
            .filter(|(rule, _)| {
                !rule.is_named() || rule.resource_names.iter().any(|n| n.value.starts_with("kubernetes.io/"))
            })
            .map(|(_, hit)| hit.resource)
            .collect();
        let custom_signers_only = !signers.is_empty() && dangerous.is_empty();
        let help = "Leave approving requests for `kubernetes.io` signers to the control plane; limit `approve` on `signers` to your own signer with `resourceNames`";
        if !approvals.is_empty() {
            if custom_signers_only {
                continue;
            }
            for hit in &approvals {
                let emit = r
                    .report(
                        hit.resource.range,
                        format!(
                            "{} can approve certificate signing requests through `{}`, issuing credentials for any identity",
                            role.kind(),
                            hit.resource.value
                        ),
                    )
                    .help(help);
                if let Some(signer) = dangerous.first() {
                    emit.label(signer.range, "for the signers granted here");
                }
            }
        } else {
            for signer in dangerous {
                r.report(
                    signer.range,
                    format!(
                        "{} can `approve` certificate signing requests for built-in signers, issuing credentials for any identity",
                        role.kind()
                    ),
                )
                .help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    const APPROVAL: &str = "  - apiGroups: [certificates.k8s.io]\n    resources: [\"certificatesigningrequests/approval\"]\n    verbs: [update]\n";

    #[test]
    fn approval_with_any_or_builtin_signer() {
        let yaml = cluster_role(&format!(
            "{APPROVAL}  - apiGroups: [certificates.k8s.io]\n    resources: [signers]\n    verbs: [approve]\n"
        ));
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(&yaml), "certificatesigningrequests/approval");
        assert_eq!(found[0].labels[0].range.slice(&yaml), "signers");
        // The approval grant alone: the signer permission may come from another role.
        assert_eq!(k8s_spans(&RULE, &cluster_role(APPROVAL)), ["certificatesigningrequests/approval"]);
        // The signer grant alone, for a built-in signer.
        let yaml = cluster_role(
            "  - apiGroups: [certificates.k8s.io]\n    resources: [signers]\n    resourceNames: [\"kubernetes.io/kube-apiserver-client\"]\n    verbs: [approve]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["signers"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `approve` certificate signing requests for built-in signers, issuing credentials for any identity"
        );
    }

    #[test]
    fn custom_signers_roles_and_wildcards_pass() {
        let custom = "  - apiGroups: [certificates.k8s.io]\n    resources: [signers]\n    resourceNames: [example.com/signer]\n    verbs: [approve]\n";
        assert_k8s_clean(&RULE, &cluster_role(&format!("{APPROVAL}{custom}")));
        assert_k8s_clean(&RULE, &cluster_role(custom));
        assert_k8s_clean(&RULE, &role(APPROVAL));
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [certificates.k8s.io]\n    resources: [certificatesigningrequests]\n    verbs: [create, get, list, watch]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [certificates.k8s.io]\n    resources: ['*']\n    verbs: [update, approve]\n",
            ),
        );
    }
}
