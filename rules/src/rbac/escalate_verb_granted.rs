use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{help, rbac};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant the `escalate` verb on `roles` or `clusterroles`.
    ///
    /// ## Why is this bad?
    /// The API server lets a user create or update a role only with permissions the user already holds,
    /// which stops RBAC from being a ladder. `escalate` switches that check off: its holder can write any
    /// permission into a role, for example `*` on `*`, and then use it through an existing binding (its
    /// own or one it can create). It is full control of the namespace, or of the cluster for
    /// ClusterRoles, in two requests. Whoever manages roles should hold the permissions they grant.
    ///
    /// `resourceNames` do not make it safe (a named role can still receive any permission), so named roles
    /// are reported too. Namespaced Roles can only grant it on `roles`. A `*` verb or resource that implies
    /// `escalate` is reported by RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: role-manager
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["get", "create", "update", "escalate"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: role-manager
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["get", "create", "update"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Using RBAC authorization, privilege escalation prevention](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping)
    /// - [Kubernetes: RBAC good practices, escalate verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb)
    code: "RBAC007",
    name: "escalate-verb-granted",
    family: Rbac,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_158", "KSV-0050"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for role in rbac::roles(ctx) {
        for rule in &role.rules {
            let hits = rbac::hits(&role, rule, &rbac::ESCALATE);
            for (verb, resources) in rbac::by_verb(&hits) {
                let names = help::code_list(resources.iter().map(|r| r.value.as_str()));
                r.report(
                    verb.range,
                    format!("{} can `escalate` {names}, writing permissions into roles that it does not hold", role.kind()),
                )
                .help("Remove `escalate`; whoever writes roles should hold the permissions they grant, which the API server then checks");
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
    fn escalate() {
        let yaml = cluster_role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles, clusterroles]\n    resourceNames: [app]\n    verbs: [update, \"escalate\"]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["escalate"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `escalate` `roles` and `clusterroles`, writing permissions into roles that it does not hold"
        );
        let yaml =
            role("  - apiGroups: ['*']\n    resources: [roles, clusterroles]\n    verbs: [escalate]\n");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `escalate` `roles`, writing permissions into roles that it does not hold"
        );
    }

    #[test]
    fn other_verbs_groups_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles]\n    verbs: [create, update]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [roles]\n    verbs: [escalate]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [escalate]\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: ['*']\n    verbs: [escalate]\n",
            ),
        );
    }
}
