use plimsoll_kubernetes::{Object, project::labels, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::Tree;

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags workloads (Pods, Deployments, DaemonSets, Jobs and every other kind that runs pods) placed
    /// in the `kube-system` namespace, unless they declare themselves cluster components: a system
    /// priority class (`priorityClassName: system-cluster-critical` or `system-node-critical`), the
    /// add-on manager's labels (`addonmanager.kubernetes.io/mode`, `kubernetes.io/cluster-service:
    /// "true"`), kubeadm's `tier: control-plane` label on a static pod, or the name of a core component
    /// (`kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `etcd`, `kube-proxy`, `coredns`,
    /// `kube-dns`, alone or followed by `-` and a node's name).
    ///
    /// Other kinds are not reported: Roles, RoleBindings and ConfigMaps in `kube-system` (EKS's
    /// `aws-auth`, the extension API server's authentication reader) are routinely how add-ons and
    /// cloud providers are configured. The rule is off by default: most workloads placed in
    /// `kube-system` are add-ons installed by the cluster's operators (network and storage drivers,
    /// cloud load balancer controllers, the metrics server). Enable it where application teams write
    /// manifests, and suppress it, with a reason, on the add-ons you run there.
    ///
    /// ## Why is this bad?
    /// `kube-system` holds the cluster's own components and their ServiceAccounts, several of which can
    /// read every Secret or create pods anywhere; any workload in the namespace can run as one of them
    /// just by naming it, and can mount the namespace's Secrets. The namespace is also usually exempt
    /// from Pod Security admission and from policy engines such as Gatekeeper and Kyverno, so that the
    /// cluster keeps working when a policy is wrong. An application placed there escapes the controls
    /// that apply to every other namespace, and a compromise of it starts next to the most privileged
    /// credentials of the cluster.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: report-generator
    ///   namespace: kube-system
    /// spec:
    ///   selector:
    ///     matchLabels: {app: report-generator}
    ///   template:
    ///     metadata:
    ///       labels: {app: report-generator}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: example/report-generator:2.1
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: report-generator
    ///   namespace: reporting
    /// spec:
    ///   selector:
    ///     matchLabels: {app: report-generator}
    ///   template:
    ///     metadata:
    ///       labels: {app: report-generator}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: example/report-generator:2.1
    /// ```
    ///
    /// ## References
    /// - [Namespaces: initial namespaces](https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces)
    /// - [Guaranteed scheduling for critical add-on pods](https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-addon-pods/)
    /// - [Pod Security admission: exemptions](https://kubernetes.io/docs/concepts/security/pod-security-admission/#exemptions)
    code: "NET016",
    name: "workload-in-kube-system",
    family: Net,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0037"],
    checks: [Check::Kubernetes(check)],
}

/// The priority classes Kubernetes reserves for the components a cluster cannot work without.
const SYSTEM_PRIORITY_CLASSES: [&str; 2] = ["system-cluster-critical", "system-node-critical"];

/// The components kubeadm and most distributions run in `kube-system`; static pods carry their node's
/// name after the component's (`kube-apiserver-control-plane-1`).
const CORE_COMPONENTS: [&str; 7] = [
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "etcd",
    "kube-proxy",
    "coredns",
    "kube-dns",
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let Some(namespace) = pod.object.namespace.as_ref().filter(|n| n.value == "kube-system") else {
            continue;
        };
        let priority = tree.get(pod.spec, "priorityClassName").and_then(|p| string(tree, p));
        if priority.is_some_and(|p| SYSTEM_PRIORITY_CLASSES.contains(&p.value.as_str()))
            || declares_component(tree, pod.object, pod.metadata)
            || pod.object.name.as_ref().is_some_and(|n| is_core_component(&n.value))
        {
            continue;
        }
        let kind = &pod.object.kind.value;
        let message = match &pod.object.name {
            Some(name) => format!(
                "{kind} `{}` runs its pods in `kube-system`, among the cluster's own components",
                name.value
            ),
            None => format!("{kind} runs its pods in `kube-system`, among the cluster's own components"),
        };
        r.report(namespace.range, message).help(
            "Give the workload a namespace of its own; keep `kube-system` for the cluster's components, and \
             suppress this finding with a reason on the add-ons you install there.",
        );
    }
}

/// `name` is a core component's, or a static pod's of one.
fn is_core_component(name: &str) -> bool {
    CORE_COMPONENTS
        .iter()
        .any(|c| name.strip_prefix(c).is_some_and(|rest| rest.is_empty() || rest.starts_with('-')))
}

/// The object or its pod template carries the labels of a cluster add-on or of a control-plane static
/// pod.
fn declares_component(tree: &Tree, object: &Object, pod_metadata: Option<plimsoll_yaml::NodeId>) -> bool {
    [tree.get(object.node, "metadata"), pod_metadata].into_iter().flatten().any(|metadata| {
        let Some(map) = tree.get(metadata, "labels") else { return false };
        labels(tree, map).iter().any(|(key, value)| {
            key == "addonmanager.kubernetes.io/mode"
                || (key == "kubernetes.io/cluster-service" && value == "true")
                || (key == "tier" && value == "control-plane")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn deployment(metadata: &str, pod_spec: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reports\n  namespace: kube-system\n{metadata}spec:\n  selector:\n    matchLabels: {{app: reports}}\n  template:\n    metadata:\n      labels: {{app: reports}}\n    spec:\n{pod_spec}      containers:\n        - name: app\n          image: example/reports:2.1\n"
        )
    }

    #[test]
    fn workloads_in_kube_system_point_at_the_namespace() {
        let yaml = deployment("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["kube-system"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Deployment `reports` runs its pods in `kube-system`, among the cluster's own components"
        );
        let yaml = pod("", "").replace("  name: web\n", "  name: web\n  namespace: \"kube-system\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["kube-system"]);
        // A priority class of its own does not make a workload a cluster component.
        assert_eq!(k8s_spans(&RULE, &deployment("", "      priorityClassName: high\n")), ["kube-system"]);
    }

    #[test]
    fn declared_cluster_components_pass() {
        assert_k8s_clean(&RULE, &deployment("", "      priorityClassName: system-cluster-critical\n"));
        assert_k8s_clean(
            &RULE,
            &deployment("  labels:\n    addonmanager.kubernetes.io/mode: Reconcile\n", ""),
        );
        assert_k8s_clean(&RULE, &deployment("  labels:\n    kubernetes.io/cluster-service: \"true\"\n", ""));
        let static_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels: {component: kube-apiserver, tier: control-plane}\nspec:\n  priorityClassName: system-node-critical\n  containers: [{name: kube-apiserver, image: registry.k8s.io/kube-apiserver:v1.31.0}]\n";
        assert_k8s_clean(&RULE, static_pod);
        let patch = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-controller-manager\n  namespace: kube-system\nspec:\n  containers: [{name: kube-controller-manager}]\n";
        assert_k8s_clean(&RULE, patch);
        assert_k8s_clean(
            &RULE,
            &patch.replace("name: kube-controller-manager\n  namespace", "name: etcd-node-1\n  namespace"),
        );
        assert_eq!(
            k8s_spans(
                &RULE,
                &patch.replace("name: kube-controller-manager\n  namespace", "name: etcdctl\n  namespace")
            ),
            ["kube-system"]
        );
        let labelled_template = deployment("", "").replace(
            "labels: {app: reports}\n    spec",
            "labels: {app: reports, tier: control-plane}\n    spec",
        );
        assert_k8s_clean(&RULE, &labelled_template);
    }

    #[test]
    fn other_namespaces_and_kinds_pass() {
        assert_k8s_clean(&RULE, &deployment("", "").replace("kube-system", "reporting"));
        assert_k8s_clean(&RULE, &pod("", ""));
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata: {}\n",
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: auth-reader\n  namespace: kube-system\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}\nsubjects: []\n",
        );
    }
}
