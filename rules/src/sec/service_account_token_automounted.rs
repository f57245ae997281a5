use plimsoll_kubernetes::{Object, boolean, entry_range, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods::{self, PodSpec};

declare_rule! {
    /// ## What it does
    /// Flags pods that get a Kubernetes API token mounted: the pod spec does not set
    /// `automountServiceAccountToken: false`, and neither does its ServiceAccount when that is defined in
    /// the same file.
    ///
    /// An explicit `automountServiceAccountToken: true` is reported at the field; a pod that leaves it
    /// unset, at the workload's name.
    ///
    /// ## Why is this bad?
    /// Unless told otherwise, Kubernetes mounts a token of the pod's service account into every
    /// container, at `/var/run/secrets/kubernetes.io/serviceaccount`. Most workloads never call the
    /// Kubernetes API, but anyone who compromises one of their containers can read the token and act with
    /// the service account's permissions: list secrets, start pods, or probe the API server for
    /// weaknesses. Turning the mount off where it is not needed removes that credential from the
    /// container.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       automountServiceAccountToken: false
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - [Configure service accounts for pods: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - [Kubernetes security good practices: service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/)
    code: "SEC010",
    name: "service-account-token-automounted",
    family: Sec,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_38", "automountServiceAccountToken", "KSV-0036"],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount) unless \
                    the pod calls the Kubernetes API.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        if let Some(value) = tree.get(pod.spec, "automountServiceAccountToken") {
            if boolean(tree, value) == Some(true)
                && let Some(range) = entry_range(tree, pod.spec, "automountServiceAccountToken")
            {
                r.report(range, "Service account token is mounted into every container of the pod")
                    .help(HELP);
            }
            continue;
        }
        if service_account_opts_out(ctx, &pod) {
            continue;
        }
        r.report(
            pod.anchor(),
            "Service account token is mounted into every container, since `automountServiceAccountToken` is not \
             false",
        )
        .help(HELP);
    }
}

/// The pod's ServiceAccount is defined with `automountServiceAccountToken: false`, in the file or in
/// another file of the run.
fn service_account_opts_out(ctx: &KubernetesCtx, pod: &PodSpec) -> bool {
    let tree = ctx.tree;
    let name = ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|key| tree.get(pod.spec, key).and_then(|n| string(tree, n)))
        .map_or_else(|| "default".to_string(), |n| n.value);
    let in_file = pods::objects_of_kind(ctx, &["ServiceAccount"]).any(|account| {
        account.name.as_ref().is_some_and(|n| n.value == name)
            && same_namespace(account, pod.object)
            && tree.get(account.node, "automountServiceAccountToken").and_then(|v| boolean(tree, v))
                == Some(false)
    });
    let namespace = pod.object.namespace.as_ref().map(|n| n.value.as_str());
    in_file || ctx.project.service_account(namespace, &name).and_then(|a| a.automount) == Some(false)
}

/// Objects without a namespace land in the namespace they are applied to, so they match any.
fn same_namespace(a: &Object, b: &Object) -> bool {
    match (&a.namespace, &b.namespace) {
        (Some(a), Some(b)) => a.value == b.value,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in, lint_k8s, pod};

    #[test]
    fn unset_points_at_the_workload_and_true_at_the_field() {
        assert_eq!(k8s_spans(&RULE, &pod("", "")), ["web"]);
        let yaml = pod("  automountServiceAccountToken: true\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["automountServiceAccountToken: true"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Service account token is mounted into every container of the pod"
        );
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: job, image: x:1}]\n";
        assert_eq!(k8s_spans(&RULE, cron), ["nightly"]);
    }

    #[test]
    fn opting_out_in_the_pod_or_its_service_account() {
        assert_k8s_clean(&RULE, &pod("  automountServiceAccountToken: false\n", ""));
        let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-sa\nautomountServiceAccountToken: false\n---\n";
        let yaml = format!("{account}{}", pod("  serviceAccountName: web-sa\n", ""));
        assert_k8s_clean(&RULE, &yaml);
        let default_account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n---\n";
        assert_k8s_clean(&RULE, &format!("{default_account}{}", pod("", "")));
        let elsewhere = account.trim_end_matches("---\n");
        assert!(k8s_spans_in(&RULE, &pod("  serviceAccountName: web-sa\n", ""), &[elsewhere]).is_empty());
    }

    #[test]
    fn another_service_account_does_not_opt_out() {
        let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n  namespace: a\nautomountServiceAccountToken: false\n---\n";
        let yaml = format!("{account}{}", pod("  serviceAccountName: web-sa\n", ""));
        assert_eq!(k8s_spans(&RULE, &yaml), ["web"]);
        let yaml = format!(
            "{}{}",
            account.replace("name: other", "name: web-sa"),
            pod("  serviceAccountName: web-sa\n", "")
                .replace("  name: web\n", "  name: web\n  namespace: b\n")
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["web"], "a namesake in another namespace");
        // A pod's own `true` wins over its ServiceAccount's `false`.
        let yaml = format!(
            "{}{}",
            account.replace("name: other\n  namespace: a", "name: web-sa"),
            pod("  serviceAccountName: web-sa\n  automountServiceAccountToken: true\n", "")
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["automountServiceAccountToken: true"]);
    }

    #[test]
    fn objects_without_pods_pass() {
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n");
    }
}
