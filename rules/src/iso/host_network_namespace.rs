use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::{help, pods};

declare_rule! {
    /// ## What it does
    /// Flags containers that share the host's network namespace: Compose `network_mode: host`, Kubernetes
    /// `hostNetwork: true` in the pod spec.
    ///
    /// ## Why is this bad?
    /// The container uses the host's network stack instead of one of its own. It can listen on every
    /// interface of the host, and whatever it listens on is reachable from the host's networks: `ports:`
    /// no longer applies. It reaches every service the host binds to `127.0.0.1` only — databases, admin
    /// consoles, a Docker daemon listening on TCP, and abstract UNIX sockets such as the containerd shim API
    /// that CVE-2020-15257 turned into root on the host. With `NET_RAW`, which Docker grants by default, it
    /// can capture the traffic of the host and of every other container. The separation Compose networks
    /// give between services no longer applies to it, and Kubernetes NetworkPolicies do not reliably restrict
    /// a pod on the host's network (the Kubernetes documentation leaves their effect on such pods undefined).
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   dashboard:
    ///     image: example/dashboard:3.0
    ///     network_mode: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   dashboard:
    ///     image: example/dashboard:3.0
    ///     ports:
    ///       - "127.0.0.1:8080:8080"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dashboard
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: dashboard
    ///       image: example/dashboard:3.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dashboard
    /// spec:
    ///   containers:
    ///     - name: dashboard
    ///       image: example/dashboard:3.0
    /// ```
    ///
    /// ## References
    /// - [Docker: host network driver](https://docs.docker.com/engine/network/drivers/host/)
    /// - [Compose file reference: network_mode](https://docs.docker.com/reference/compose-file/services/#network_mode)
    /// - [Kubernetes Pod Security Standards: host namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.10 "Ensure that the host's network namespace is not shared"
    code: "ISO016",
    name: "host-network-namespace",
    family: Iso,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: [
        "071a71ff-f868-47a4-ac0b-3c59e4ab5443", "6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a", "CKV_K8S_19",
        "KSV-0009", "host-network", "hostNetworkSet",
    ],
    checks: [Check::Container(check), Check::Kubernetes(check_kubernetes)],
}

const MESSAGE: &str = "Container shares the host's network namespace";

const KUBERNETES_HELP: &str = "Remove `hostNetwork: true` and expose the container through a Service.";

fn check(container: &Container, r: &mut Reporter) {
    // A pod field: `check_kubernetes` reports it once per pod, with or without containers.
    if container.format == Format::Kubernetes {
        return;
    }
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::Network) {
        r.report(shared.range, MESSAGE).help(help::for_format(
            container.format,
            "Give the container a network of its own.",
            "Remove `network_mode: host` and publish the ports the service needs under `ports:` (prefixed with \
             `127.0.0.1:` when only the host should reach them).",
            KUBERNETES_HELP,
        ));
    }
}

fn check_kubernetes(ctx: &KubernetesCtx, r: &mut Reporter) {
    for range in pods::switched_on(ctx, "hostNetwork") {
        r.report(range, MESSAGE).help(KUBERNETES_HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn host_network_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    network_mode: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["network_mode: host"]);
        let yaml = "services:\n  a:\n    image: x:1\n    network_mode: \"host\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["network_mode: \"host\""]);
        let yaml = "services:\n  a:\n    image: x:1\n    network_mode: ${NET:-host}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["network_mode: ${NET:-host}"]);
    }

    #[test]
    fn inherited_through_extends_is_reported_once() {
        let yaml =
            "services:\n  base:\n    image: x:1\n    network_mode: host\n  child:\n    extends: base\n";
        assert_eq!(compose_spans(&RULE, yaml), ["network_mode: host"]);
    }

    #[test]
    fn other_network_modes_pass() {
        for mode in ["bridge", "none", "service:db", "container:vpn", "${NET}", "hostile"] {
            assert_compose_clean(
                &RULE,
                &format!("services:\n  a:\n    image: x:1\n    network_mode: {mode}\n"),
            );
        }
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    pid: host\n");
    }

    #[test]
    fn kubernetes_pod_field_points_at_the_setting() {
        let yaml = pod("  hostNetwork: true\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostNetwork: true"]);
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: a\n          image: x:1\n        - name: b\n          image: y:1\n";
        // One pod field, one finding, however many containers the pod runs.
        assert_eq!(k8s_spans(&RULE, yaml), ["hostNetwork: true"]);
        // A patch that only switches the field on is reported too.
        let patch = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      hostNetwork: true\n";
        assert_eq!(k8s_spans(&RULE, patch), ["hostNetwork: true"]);
    }

    #[test]
    fn kubernetes_own_namespace_passes() {
        assert_k8s_clean(&RULE, &pod("  hostNetwork: false\n", ""));
        assert_k8s_clean(&RULE, &pod("", ""));
        assert_k8s_clean(&RULE, &pod("  hostNetwork: \"true\"\n", ""));
        // Set on the container instead of the pod, the field means nothing.
        assert_k8s_clean(&RULE, &pod("", "      hostNetwork: true\n"));
    }
}
