use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags pods that run as their namespace's `default` ServiceAccount: `serviceAccountName` (or the
    /// deprecated `serviceAccount`) is unset or `default`.
    ///
    /// The rule is off by default: it asks for a ServiceAccount per workload, a convention many projects
    /// leave to their deployment tooling.
    ///
    /// ## Why is this bad?
    /// Every pod of a namespace that names no ServiceAccount shares the `default` one. Permissions granted
    /// to it for one workload (a RoleBinding added to make something work) silently apply to every other
    /// workload of the namespace, and audit logs cannot tell them apart. A ServiceAccount of its own per
    /// workload keeps each one's API permissions to what it needs and makes them reviewable.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: reporter
    /// spec:
    ///   containers:
    ///     - name: reporter
    ///       image: example/reporter:1.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: reporter
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: reporter
    /// spec:
    ///   serviceAccountName: reporter
    ///   containers:
    ///     - name: reporter
    ///       image: example/reporter:1.0
    /// ```
    ///
    /// ## References
    /// - [Configure service accounts for pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/)
    /// - [RBAC good practices: least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    code: "SEC011",
    name: "default-service-account",
    family: Sec,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["default-service-account"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let help = "Create a ServiceAccount for the workload and set `serviceAccountName`, so that its API \
                permissions are its own.";
    for pod in pods::pod_specs(ctx) {
        // `serviceAccountName` wins over the deprecated `serviceAccount`; an empty name is no name.
        let named = ["serviceAccountName", "serviceAccount"].iter().find_map(|key| {
            tree.get(pod.spec, key).and_then(|n| string(tree, n)).filter(|n| !n.value.is_empty())
        });
        match named {
            Some(name) if name.value == "default" => {
                r.report(name.range, "Pod runs as the namespace's `default` service account").help(help);
            }
            Some(_) => {}
            None => {
                r.report(
                    pod.anchor(),
                    "Pod runs as the namespace's `default` service account, since it names none",
                )
                .help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn unnamed_and_default_accounts() {
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["web"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Pod runs as the namespace's `default` service account, since it names none"
        );
        assert_eq!(k8s_spans(&RULE, &pod("  serviceAccountName: default\n", "")), ["default"]);
        assert_eq!(k8s_spans(&RULE, &pod("  serviceAccount: \"default\"\n", "")), ["default"]);
        assert_eq!(k8s_spans(&RULE, &pod("  serviceAccountName: \"\"\n", "")), ["web"]);
    }

    #[test]
    fn named_accounts_pass() {
        assert_k8s_clean(&RULE, &pod("  serviceAccountName: web\n", ""));
        assert_k8s_clean(&RULE, &pod("  serviceAccount: web\n", ""));
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n");
    }
}
