use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose subjects include a namespace's `default`
    /// ServiceAccount.
    ///
    /// ## Why is this bad?
    /// Every pod that does not set `serviceAccountName` runs as its namespace's `default` ServiceAccount
    /// and, unless token mounting is switched off, carries its token. Permissions bound to `default` are
    /// therefore given to every such pod, including ones added later by anyone who can create pods
    /// there, rather than to the one workload that needed them. A dedicated ServiceAccount per workload
    /// keeps each workload's permissions to itself.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: app-reader
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: config-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: default
    ///     namespace: shop
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: app-reader
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: config-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: checkout
    ///     namespace: shop
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Configure service accounts for pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/)
    /// - [Kubernetes: Using RBAC authorization, service account permissions](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions)
    /// - CIS Kubernetes Benchmark, 5.1.5 "Ensure that default service accounts are not actively used"
    code: "RBAC020",
    name: "default-service-account-bound",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_42"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for binding in rbac::bindings(ctx) {
        for subject in &binding.subjects {
            let (Some(kind), Some(name)) = (&subject.kind, &subject.name) else { continue };
            if kind.value != "ServiceAccount" || name.value != "default" {
                continue;
            }
            let namespace = subject.namespace.as_ref().or(binding.object.namespace.as_ref());
            let of = namespace.map_or_else(String::new, |ns| format!(" of `{}`", ns.value));
            let role = binding
                .role_ref
                .name
                .as_ref()
                .map_or_else(|| "its role".to_string(), |n| format!("`{}`", n.value));
            r.report(
                name.range,
                format!(
                    "{} grants {role} to the `default` service account{of}, which every pod without `serviceAccountName` runs as",
                    binding.kind()
                ),
            )
            .help("Create a ServiceAccount for the workload, bind the role to it and set `serviceAccountName` in its pod spec");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::binding;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn default_service_account() {
        let yaml = binding("RoleBinding", "Role", "reader", "  - kind: ServiceAccount\n    name: default\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["default"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "RoleBinding grants `reader` to the `default` service account of `app`, which every pod without `serviceAccountName` runs as"
        );
        let yaml = binding(
            "ClusterRoleBinding",
            "ClusterRole",
            "view",
            "- {kind: ServiceAccount, name: \"default\", namespace: kube-system}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["default"]);
        assert!(lint_k8s(&RULE, &yaml)[0].message.contains("service account of `kube-system`"));
    }

    #[test]
    fn other_subjects_pass() {
        let subjects = "  - kind: ServiceAccount\n    name: app\n  - kind: User\n    name: default\n  - kind: Group\n    name: default\n";
        assert_k8s_clean(&RULE, &binding("RoleBinding", "Role", "reader", subjects));
    }
}
