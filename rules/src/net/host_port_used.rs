use plimsoll_kubernetes::{entry_range, integer};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags containers that bind a port of the node with `ports[*].hostPort` (any value but `0`).
    ///
    /// ## Why is this bad?
    /// A hostPort opens the container's port on the address of the node the pod lands on, beside the
    /// node's own services and outside the Service that should front it: the pod is reachable by anyone
    /// who can reach the node, and network policies and load balancers that assume traffic arrives through
    /// Services are bypassed. Only one pod per node can hold a given port, which also limits where the
    /// scheduler can place it. The Pod Security Standards disallow host ports from the baseline level up.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    ///           hostPort: 80
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Host Ports](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Kubernetes configuration good practices: Services](https://kubernetes.io/docs/concepts/configuration/overview/#services)
    code: "NET010",
    name: "host-port-used",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["hostPortSet", "CKV_K8S_26", "KSV-0024"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        for container in pods::containers(tree, pod.spec) {
            let Some(ports) = tree.get(container, "ports") else { continue };
            for &port in tree.items(ports) {
                let Some(value) = tree.get(port, "hostPort") else { continue };
                // `0` is the API's "no host port"; a value that is not a number is rejected by the API.
                let Some(number) = integer(tree, value).filter(|&n| n != 0) else { continue };
                let Some(range) = entry_range(tree, port, "hostPort") else { continue };
                r.report(range, format!("Container binds port {number} of the node with `hostPort`")).help(
                    "Remove `hostPort` and reach the pod through a Service (`ClusterIP`, or `NodePort` or \
                     `LoadBalancer` to expose it outside the cluster).",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn host_ports_point_at_the_entry() {
        let yaml = pod(
            "",
            "      ports:\n        - containerPort: 8080\n          hostPort: 80\n        - {containerPort: 53, hostPort: 53, protocol: UDP}\n        - containerPort: 9090\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostPort: 80", "hostPort: 53"]);
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container binds port 80 of the node with `hostPort`");
    }

    #[test]
    fn init_and_ephemeral_containers_count() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: i\n          ports: [{containerPort: 1, hostPort: 1}]\n      containers: []\n      ephemeralContainers:\n        - name: e\n          ports:\n            - containerPort: 2\n              hostPort: \"2\"\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["hostPort: 1", "hostPort: \"2\""]);
    }

    #[test]
    fn zero_and_absent_host_ports_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("", "      ports:\n        - containerPort: 80\n          hostPort: 0\n"),
        );
        assert_k8s_clean(&RULE, &pod("", "      ports:\n        - containerPort: 80\n"));
        // A Service's ports are not host ports.
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n      hostPort: 80\n",
        );
    }
}
