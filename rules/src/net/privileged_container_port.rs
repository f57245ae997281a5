use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::ports::with_protocol;

/// Ports below this one are privileged: binding them takes root or `CAP_NET_BIND_SERVICE`, unless the
/// network namespace lowers `net.ipv4.ip_unprivileged_port_start`.
const FIRST_UNPRIVILEGED: u16 = 1024;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers that declare a privileged `containerPort`, below 1024, such as
    /// `containerPort: 80`. Windows containers are not reported: Windows has no privileged ports.
    ///
    /// A `hostPort` below 1024 is a different matter, reported by `privileged-port-published` (NET004).
    /// This rule is off by default and informational: many container runtimes now let any user of a
    /// container bind low ports in its own network namespace, so the port alone rarely forces root.
    ///
    /// ## Why is this bad?
    /// On Linux, only root or a process with the `NET_BIND_SERVICE` capability may listen on a port below
    /// 1024, unless the network namespace lowers `net.ipv4.ip_unprivileged_port_start` (recent Docker and
    /// containerd releases do so in each container, but not every runtime does, nor a pod on the node's
    /// network). An image built to listen on port 80 therefore tends to run as root or to keep a capability
    /// it would not otherwise need. Nothing outside the pod sees the container's port number: a Service
    /// can still offer port 80 to its clients with `targetPort: 8080`, so an unprivileged port costs
    /// nothing.
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
    ///         - containerPort: 80
    /// ```
    ///
    /// Use instead (with the server configured to listen on 8080, and a Service mapping port 80 to it):
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginxinc/nginx-unprivileged:1.27
    ///       ports:
    ///         - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Service: defining a Service (`port` and `targetPort`)](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
    /// - [capabilities(7): CAP_NET_BIND_SERVICE](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    /// - [Linux IP sysctls: ip_unprivileged_port_start](https://docs.kernel.org/networking/ip-sysctl.html)
    code: "NET017",
    name: "privileged-container-port",
    family: Net,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0117", "privileged-ports"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.format != Format::Kubernetes || container.windows {
        return;
    }
    for port in &container.ports {
        // Port 0 is not a valid container port; the API server rejects it.
        let Some(number) = port.start.filter(|&p| p > 0 && p < FIRST_UNPRIVILEGED) else { continue };
        r.report(
            port.range,
            format!(
                "Container port {} is a privileged port, below 1024, which takes root or `NET_BIND_SERVICE` to \
                 listen on",
                with_protocol(number.to_string(), port.protocol)
            ),
        )
        .help(
            "Make the container listen on a port above 1023 and let its Service offer the well-known port \
             (`port: 80`, `targetPort: 8080`).",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn privileged_container_ports_point_at_the_port() {
        let yaml = pod(
            "",
            "      ports:\n        - containerPort: 80\n        - containerPort: 8443\n        - containerPort: \"53\"\n          protocol: UDP\n        - name: https\n          containerPort: 443\n          hostPort: 443\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["80", "53", "443"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Container port 80 is a privileged port, below 1024, which takes root or `NET_BIND_SERVICE` to listen on"
        );
        assert!(found[1].message.starts_with("Container port 53/udp is"));
    }

    #[test]
    fn init_containers_and_host_network_pods_count() {
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: dns\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          ports: [{containerPort: 22}]\n      containers:\n        - name: dns\n          image: coredns/coredns:1.11.1\n          ports: [{containerPort: 5353}]\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["22"]);
    }

    #[test]
    fn high_ports_windows_and_compose_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("", "      ports:\n        - containerPort: 1024\n        - containerPort: 8080\n"),
        );
        assert_k8s_clean(
            &RULE,
            &pod("  os: {name: windows}\n", "      ports:\n        - containerPort: 80\n"),
        );
        assert_k8s_clean(
            &RULE,
            &pod("", "      ports:\n        - containerPort: 0\n        - containerPort: ${PORT}\n"),
        );
        assert_compose_clean(
            &RULE,
            "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n    expose: [\"80\"]\n",
        );
    }
}
