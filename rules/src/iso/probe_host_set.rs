use plimsoll_kubernetes::{boolean, entry_range, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags probes and lifecycle hooks that the kubelet sends to another host: a non-empty `host` in the
    /// `httpGet` or `tcpSocket` handler of `livenessProbe`, `readinessProbe`, `startupProbe`, or
    /// `lifecycle.postStart` / `lifecycle.preStop`.
    ///
    /// ## Why is this bad?
    /// The kubelet runs these checks from the node, with the node's network position, not from inside the
    /// pod. A `host` field turns that into a request to any address the pod's author chooses: services
    /// listening on the node's loopback, the cloud metadata endpoint, the control plane or other networks
    /// the node reaches and pods do not. Left empty, the handler targets the pod's own IP. The Pod Security
    /// Standards baseline level forbids the field (from Kubernetes 1.34).
    ///
    /// To send an HTTP virtual host name, set a `Host` header in `httpHeaders` instead.
    ///
    /// Pods with `hostNetwork: true` are not reported: they share the node's network, so the kubelet
    /// reaches nothing through them that the pod cannot reach itself (control-plane static pods probe
    /// `127.0.0.1` this way). Sharing the node's network is reported by `host-network-namespace` (ISO016).
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
    ///       livenessProbe:
    ///         httpGet:
    ///           host: 169.254.169.254
    ///           path: /latest/meta-data/
    ///           port: 80
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       livenessProbe:
    ///         httpGet:
    ///           path: /healthz
    ///           port: 80
    ///           httpHeaders:
    ///             - name: Host
    ///               value: web.example.com
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Host Probes / Lifecycle Hooks](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#http-probes)
    code: "ISO046",
    name: "probe-host-set",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: [],
    checks: [Check::Kubernetes(check)],
}

/// Where handlers live in a container: probes directly, hooks under `lifecycle`.
const HANDLERS: [&[&str]; 5] = [
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        if tree.get(pod.spec, "hostNetwork").and_then(|v| boolean(tree, v)) == Some(true) {
            continue;
        }
        for container in pods::containers(tree, pod.spec) {
            for path in HANDLERS {
                let Some(handler) = tree.path(container, path) else { continue };
                for action in ["httpGet", "tcpSocket"] {
                    let Some(action_node) = tree.get(handler, action) else { continue };
                    let Some(host) = tree.get(action_node, "host").and_then(|h| string(tree, h)) else {
                        continue;
                    };
                    if host.value.is_empty() {
                        continue;
                    }
                    let Some(range) = entry_range(tree, action_node, "host") else { continue };
                    let what = path.join(".");
                    r.report(
                        range,
                        format!("`{what}` is sent by the kubelet to `{}`, not to the pod", host.value),
                    )
                    .help(
                        "Remove `host` so the kubelet targets the pod's own IP; to send a virtual host name, \
                             set a `Host` header in `httpHeaders`.",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn probes_and_hooks_with_a_host_point_at_the_entry() {
        let yaml = pod(
            "",
            "      readinessProbe:\n        tcpSocket: {host: db.internal, port: 5432}\n      startupProbe:\n        httpGet:\n          host: \"10.0.0.1\"\n          port: 80\n      lifecycle:\n        preStop:\n          httpGet:\n            host: localhost\n            port: 8080\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["host: db.internal", "host: \"10.0.0.1\"", "host: localhost"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "`readinessProbe` is sent by the kubelet to `db.internal`, not to the pod"
        );
        assert_eq!(
            found[2].message,
            "`lifecycle.preStop` is sent by the kubelet to `localhost`, not to the pod"
        );
    }

    #[test]
    fn handlers_without_a_host_pass() {
        let yaml = pod(
            "",
            "      livenessProbe:\n        httpGet:\n          host: \"\"\n          path: /\n          port: 80\n          httpHeaders:\n            - {name: Host, value: example.com}\n      readinessProbe:\n        exec:\n          command: [check, --host, x]\n      lifecycle:\n        postStart:\n          exec: {command: [\"true\"]}\n",
        );
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn pods_in_the_host_network_are_left_to_iso016() {
        let probe = "      livenessProbe:\n        httpGet: {host: 127.0.0.1, path: /livez, port: 6443}\n";
        assert_k8s_clean(&RULE, &pod("  hostNetwork: true\n", probe));
        assert_eq!(k8s_spans(&RULE, &pod("  hostNetwork: false\n", probe)), ["host: 127.0.0.1"]);
    }

    #[test]
    fn init_containers_count() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: i\n      startupProbe:\n        tcpSocket:\n          host: 127.0.0.1\n          port: 1\n  containers: []\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["host: 127.0.0.1"]);
    }
}
