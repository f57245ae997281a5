use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags workloads, Services, Secrets, ConfigMaps, ServiceAccounts, Roles and other namespaced objects
    /// that are placed in the `default` namespace: `metadata.namespace: default`, or no namespace at all
    /// (the object then goes to the namespace it is applied in, `default` unless told otherwise).
    ///
    /// Kubernetes' own objects there (the `default` ServiceAccount, the `kubernetes` Service, the
    /// `kube-root-ca.crt` ConfigMap) are not reported. The rule is off by default: manifests are often
    /// given their namespace when applied (`kubectl apply -n`, Kustomize's `namespace:`).
    ///
    /// ## Why is this bad?
    /// Namespaces are where Kubernetes draws its security boundaries: RBAC Roles, Pod Security admission
    /// levels, NetworkPolicies, ResourceQuotas and LimitRanges all apply per namespace. Everything left in
    /// `default` shares one set of them, usually the most permissive one since nobody set it up, and a
    /// permission granted there for one application reaches every other application's Secrets and pods.
    /// A namespace per application keeps those boundaries meaningful.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: api-keys
    ///   namespace: default
    /// stringData:
    ///   stripe: "see vault"
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: api-keys
    ///   namespace: payments
    /// stringData:
    ///   stripe: "see vault"
    /// ```
    ///
    /// ## References
    /// - [Namespaces](https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/)
    /// - [Multi-tenancy: namespaces](https://kubernetes.io/docs/concepts/security/multi-tenancy/#namespaces)
    code: "ISO047",
    name: "default-namespace-used",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_21", "KSV-0110", "use-namespace"],
    checks: [Check::Kubernetes(check)],
}

/// Namespaced kinds of the core APIs that applications create. Custom resources are left out: whether one
/// is namespaced is only known to its CRD.
const NAMESPACED: [&str; 22] = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "PodTemplate",
    "DeploymentConfig",
    "Rollout",
    "Service",
    "Secret",
    "ConfigMap",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "Ingress",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
];

/// Objects Kubernetes itself keeps in every namespace, `default` included.
fn built_in(kind: &str, name: &str) -> bool {
    matches!(
        (kind, name),
        ("ServiceAccount", "default") | ("Service", "kubernetes") | ("ConfigMap", "kube-root-ca.crt")
    )
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let help = "Set `metadata.namespace` to a namespace of the application's own.";
    for object in pods::objects_of_kind(ctx, &NAMESPACED) {
        let name = object.name.as_ref().map_or("", |n| n.value.as_str());
        if built_in(&object.kind.value, name) {
            continue;
        }
        match &object.namespace {
            Some(namespace) if namespace.value == "default" => {
                r.report(
                    namespace.range,
                    format!("{} is placed in the `default` namespace", object.kind.value),
                )
                .help(help);
            }
            Some(_) => {}
            None => {
                r.report(
                    object.anchor,
                    format!(
                        "{} sets no namespace, so it lands in the namespace it is applied in, usually `default`",
                        object.kind.value
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
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn default_and_missing_namespaces() {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["default"]);
        assert_eq!(lint_k8s(&RULE, yaml)[0].message, "ConfigMap is placed in the `default` namespace");
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["web"]);
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "Deployment sets no namespace, so it lands in the namespace it is applied in, usually `default`"
        );
    }

    #[test]
    fn named_namespaces_cluster_objects_and_built_ins_pass() {
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n");
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        assert_k8s_clean(
            &RULE,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n",
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: default\n",
        );
        assert_k8s_clean(&RULE, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");
    }
}
