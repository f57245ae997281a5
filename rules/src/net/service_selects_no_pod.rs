use plimsoll_kubernetes::project::Selector;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes Services whose `selector` matches the pods of no workload in the files linted
    /// together, when those files define workloads in the Service's namespace.
    ///
    /// ## Why is this bad?
    /// A Service that selects nothing sends its traffic nowhere, usually because of a typo in a label. Worse,
    /// any pod that later carries those labels, from any workload in the namespace, starts receiving the
    /// Service's traffic and the credentials sent with it. Services of namespaces where the run defines no
    /// workload, or custom resources that an operator may turn into pods (a Prometheus Operator
    /// `Alertmanager`), are not reported: their pods are deployed from elsewhere. Labels that controllers add to
    /// the pods they create (`statefulset.kubernetes.io/pod-name`, `pod-template-hash`, `job-name`, …)
    /// match any pod of the workload.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: wbe}
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
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
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Services](https://kubernetes.io/docs/concepts/services-networking/service/)
    code: "NET021",
    name: "service-selects-no-pod",
    family: Net,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["dangling-service", "service-targets-pod"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for object in ctx.manifest.objects.iter().filter(|o| o.kind.value == "Service") {
        let Some(entry) = tree.path(object.node, &["spec"]).and_then(|s| tree.entry(s, "selector")) else {
            continue;
        };
        let match_labels = plimsoll_kubernetes::project::labels(tree, entry.value);
        // Controllers label their pods themselves: a Service may select one StatefulSet pod by name.
        let selector = Selector { match_labels, expressions: Vec::new() }.ignoring_controller_labels();
        // An empty selector is how a Service with hand-managed endpoints is written.
        if selector.is_empty() {
            continue;
        }
        let namespace = object.namespace.as_ref().map(|n| n.value.as_str());
        if !ctx.project.knows_pods_of(namespace) || ctx.project.selects_a_pod(namespace, &selector) {
            continue;
        }
        let wanted: Vec<String> = selector.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        r.report(
            tree.node(entry.key).range,
            format!("Service selector `{}` matches no pod", wanted.join(",")),
        )
        .help("Make the selector match the labels of the pod template it should send traffic to.");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers: [{name: a, image: x:1}]\n";

    fn service(selector: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {selector}\n  ports: [{{port: 80}}]\n"
        )
    }

    #[test]
    fn selectors_matching_no_pod_point_at_the_key() {
        assert_eq!(k8s_spans_in(&RULE, &service("{app: wbe}"), &[DEPLOYMENT]), ["selector"]);
        assert_eq!(k8s_spans_in(&RULE, &service("{app: web, tier: back}"), &[DEPLOYMENT]), ["selector"]);
        let same_file = format!("{}---\n{DEPLOYMENT}", service("{app: api}"));
        assert_eq!(k8s_spans(&RULE, &same_file), ["selector"]);
    }

    #[test]
    fn matching_empty_and_unknown_namespaces_pass() {
        assert!(k8s_spans_in(&RULE, &service("{app: web}"), &[DEPLOYMENT]).is_empty());
        assert!(k8s_spans_in(&RULE, &service("{}"), &[DEPLOYMENT]).is_empty());
        let one_pod = service("{app: web, statefulset.kubernetes.io/pod-name: web-0}");
        assert!(k8s_spans_in(&RULE, &one_pod, &[DEPLOYMENT]).is_empty(), "labels the controller adds");
        assert_k8s_clean(&RULE, &service("{app: nothing-here}"));
    }
}
