use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes workloads whose `serviceAccountName` names a ServiceAccount that the files linted
    /// together do not define, when those files define ServiceAccounts at all.
    ///
    /// ## Why is this bad?
    /// The pod does not start until a ServiceAccount of that name exists, and whoever creates one decides
    /// what the pod may do in the cluster: a typo can hand the workload an account made for something else,
    /// with its RBAC bindings. Runs that define no ServiceAccount are not reported (the accounts are managed
    /// elsewhere), nor is the namespace's `default` account, which always exists.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccountName: wbe
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/)
    code: "RBAC050",
    name: "service-account-not-found",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["non-existent-service-account"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    if !ctx.project.defines_service_accounts() {
        return;
    }
    let tree = ctx.tree;
    for object in &ctx.manifest.objects {
        let Some(spec) = object.pod_spec else { continue };
        // `serviceAccount` is the deprecated spelling, still honoured when the new one is absent.
        let Some(node) = tree.get(spec, "serviceAccountName").or_else(|| tree.get(spec, "serviceAccount"))
        else {
            continue;
        };
        let Some(name) = tree.text(node).filter(|n| !n.is_empty() && *n != "default") else { continue };
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        if ctx.project.has_service_account(namespace, name) {
            continue;
        }
        let place = namespace.map_or_else(String::new, |n| format!(" in namespace `{n}`"));
        r.report(
            plimsoll_kubernetes::value_range(tree, node),
            format!("ServiceAccount `{name}`{place} is not defined"),
        )
        .help("Define the ServiceAccount next to the workload, or correct the name to one that is defined.");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans_in};

    const ACCOUNT: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n";

    fn job(namespace: &str, field: &str) -> String {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: sync{namespace}}}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          {field}\n          containers: [{{name: a, image: x:1}}]\n"
        )
    }

    #[test]
    fn undefined_accounts_point_at_the_name() {
        assert_eq!(
            k8s_spans_in(&RULE, &job(", namespace: shop", "serviceAccountName: api"), &[ACCOUNT]),
            ["api"]
        );
        assert_eq!(
            k8s_spans_in(&RULE, &job("", "serviceAccount: web"), &[ACCOUNT]),
            ["web"],
            "another namespace"
        );
    }

    #[test]
    fn defined_default_and_unmanaged_accounts_pass() {
        assert!(
            k8s_spans_in(&RULE, &job(", namespace: shop", "serviceAccountName: web"), &[ACCOUNT]).is_empty()
        );
        assert!(
            k8s_spans_in(&RULE, &job(", namespace: shop", "serviceAccountName: default"), &[ACCOUNT])
                .is_empty()
        );
        assert_k8s_clean(&RULE, &job("", "serviceAccountName: api"));
    }
}
