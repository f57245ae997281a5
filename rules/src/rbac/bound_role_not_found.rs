use plimsoll_kubernetes::grants::RoleSource;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose `roleRef` names a Role or ClusterRole that the files
    /// linted together do not define and that is not built into Kubernetes (`cluster-admin`, `admin`,
    /// `edit`, `view`, `system:…`, the control plane's Roles in `kube-system`), when the run manages such
    /// roles: it defines Roles in the binding's namespace, or ClusterRoles next to the binding.
    ///
    /// ## Why is this bad?
    /// The API server accepts a binding to a role that does not exist: it grants nothing until a role of
    /// that name is created, and then grants whatever that role says. A typo leaves the subjects without
    /// the access they were meant to have; worse, anyone allowed to create roles in the namespace later
    /// decides what the binding's subjects may do. Bindings whose roles the run does not manage are not
    /// reported (the roles are defined elsewhere).
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: configmap-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: web
    ///     namespace: shop
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: config-reader
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: web
    ///     namespace: shop
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RoleBinding and ClusterRoleBinding](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding)
    code: "RBAC053",
    name: "bound-role-not-found",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: [],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for binding in rbac::bindings(ctx) {
        let (Some(kind), Some(name)) = (&binding.role_ref.kind, &binding.role_ref.name) else { continue };
        let cluster = match kind.value.as_str() {
            "ClusterRole" => true,
            "Role" => false,
            _ => continue,
        };
        let namespace = binding.object.namespace.as_ref().map(|n| n.value.as_str());
        if !ctx.project.manages_roles(cluster, namespace) {
            continue;
        }
        if !matches!(ctx.project.role(&kind.value, &name.value, namespace), RoleSource::Missing) {
            continue;
        }
        let place = match (cluster, namespace) {
            (false, Some(namespace)) => format!(" in namespace `{namespace}`"),
            _ => String::new(),
        };
        r.report(
            name.range,
            format!(
                "{} `{}`{place} is not defined, so whoever creates it decides what this binding grants",
                kind.value, name.value
            ),
        )
        .help("Define the role next to the binding, or correct the name to one that is defined");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{binding, cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans_in};

    const SUBJECTS: &str = "  - kind: Group\n    name: dev\n";

    #[test]
    fn undefined_roles_point_at_the_name() {
        let roles = [cluster_role(""), role("")];
        let others: Vec<&str> = roles.iter().map(String::as_str).collect();
        assert_eq!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "Role", "'reader'", SUBJECTS), &others),
            ["reader"]
        );
        assert_eq!(
            k8s_spans_in(&RULE, &binding("ClusterRoleBinding", "ClusterRole", "reader", SUBJECTS), &others),
            ["reader"]
        );
        let two = format!("{}---\n{}", role(""), role("").replace("name: r", "name: s"));
        let blog = binding("RoleBinding", "Role", "r", SUBJECTS).replace("namespace: app", "namespace: blog");
        assert!(k8s_spans_in(&RULE, &blog, &[&two]).is_empty(), "the run manages no Role in blog");
        assert_eq!(k8s_spans_in(&RULE, &binding("RoleBinding", "Role", "t", SUBJECTS), &[&two]), ["t"]);
    }

    #[test]
    fn defined_built_in_and_unmanaged_roles_pass() {
        let roles = [cluster_role(""), role("")];
        let others: Vec<&str> = roles.iter().map(String::as_str).collect();
        assert!(k8s_spans_in(&RULE, &binding("RoleBinding", "Role", "r", SUBJECTS), &others).is_empty());
        assert!(
            k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", "r", SUBJECTS), &others).is_empty()
        );
        let kube_system =
            binding("RoleBinding", "Role", "extension-apiserver-authentication-reader", SUBJECTS)
                .replace("namespace: app", "namespace: kube-system");
        let system_role = role("").replace("namespace: app", "namespace: kube-system");
        assert!(k8s_spans_in(&RULE, &kube_system, &[&system_role]).is_empty());
        for built_in in ["view", "cluster-admin", "'system:auth-delegator'"] {
            assert!(
                k8s_spans_in(&RULE, &binding("RoleBinding", "ClusterRole", built_in, SUBJECTS), &others)
                    .is_empty()
            );
        }
        assert_k8s_clean(&RULE, &binding("RoleBinding", "Role", "reader", SUBJECTS));
        let only_cluster_roles = [cluster_role("")];
        let others: Vec<&str> = only_cluster_roles.iter().map(String::as_str).collect();
        assert!(k8s_spans_in(&RULE, &binding("RoleBinding", "Role", "reader", SUBJECTS), &others).is_empty());
    }
}
