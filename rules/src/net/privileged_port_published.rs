use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::help;
use crate::support::ports::{host_ports, with_protocol};

/// Ports below this one are privileged: only root (or `CAP_NET_BIND_SERVICE`) may bind them.
const FIRST_UNPRIVILEGED: u16 = 1024;

declare_rule! {
    /// ## What it does
    /// Flags ports published on a privileged host port, below 1024: a Compose `ports:` item such as
    /// `"80:8080"` or `"53:53/udp"` (long syntax: `published: 80`), or a Kubernetes `hostPort` below 1024.
    ///
    /// Only the host side counts: a container listening on port 80 published as `8080:80` is not reported,
    /// nor is a Kubernetes `containerPort: 80` without a `hostPort` (binding it inside the container is a
    /// matter of the container's own privileges).
    ///
    /// ## Why is this bad?
    /// Ports below 1024 are the ones only root may open on the host, and clients, monitoring and firewall
    /// rules treat them as the host's own system services: SSH, mail, DNS, the web server. Publishing one
    /// hands that identity to a container, often for a service that was meant to be part of the host network
    /// (a DNS resolver, a mail relay), and under rootless Docker it needs
    /// `net.ipv4.ip_unprivileged_port_start` lowered for every user of the host. Publishing on a high port
    /// keeps the privileged range for the host and leaves the choice of exposing it to a reverse proxy or a
    /// load balancer.
    ///
    /// The reverse proxy that owns 80 and 443 is the expected exception: suppress the finding on its
    /// `ports:` with a reason. Ports of a service on the host's network (`network_mode: host`) are not
    /// reported: Docker discards them; nor are those of a Kubernetes pod on the node's network
    /// (`hostNetwork: true`), which `host-network-namespace` reports.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:4.0
    ///     ports:
    ///       - "127.0.0.1:80:8080"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:4.0
    ///     ports:
    ///       - "127.0.0.1:8080:8080"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:4.0
    ///       ports:
    ///         - containerPort: 8080
    ///           hostPort: 80
    ///           hostIP: 127.0.0.1
    /// ```
    ///
    /// Use instead (a Service or an Ingress owns the privileged port):
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:4.0
    ///       ports:
    ///         - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: configuration best practices, services](https://kubernetes.io/docs/concepts/configuration/overview/#services)
    /// - [Compose file reference: ports](https://docs.docker.com/reference/compose-file/services/#ports)
    /// - [Docker: rootless mode, exposing privileged ports](https://docs.docker.com/engine/security/rootless/#exposing-privileged-ports)
    /// - CIS Docker Benchmark v1.6.0, 5.8 "Ensure that privileged ports are not mapped within containers"
    code: "NET004",
    name: "privileged-port-published",
    family: Net,
    severity: Info,
    formats: [Compose, Kubernetes],
    aliases: ["bc2908f3-f73c-40a9-8793-c1b7d5544f79"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.runtime.host_namespaces.iter().any(|h| h.namespace == Namespace::Network) {
        return;
    }
    for port in &container.ports {
        let Some(published) = &port.published else { continue };
        let Some(host) = &published.host_port else { continue };
        // Host port 0 asks the runtime for a random (high) port.
        let Some((first, last)) = host_ports(published).filter(|&(first, _)| first > 0) else { continue };
        if first >= FIRST_UNPRIVILEGED {
            continue;
        }
        let message = if first == last {
            format!(
                "Host port {} is a privileged port, below 1024",
                with_protocol(first.to_string(), port.protocol)
            )
        } else {
            format!(
                "Host ports {} include privileged ports, below 1024",
                with_protocol(format!("{first}-{last}"), port.protocol)
            )
        };
        r.report(host.range, message).help(help::for_format(
            container.format,
            "Publish the port on a host port above 1023.",
            "Publish on a host port above 1023 (e.g. `8080:80`) and let a reverse proxy or load balancer own the privileged port.",
            "Remove the `hostPort` and reach the container through a Service.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    fn service(ports: &str) -> String {
        format!("services:\n  dns:\n    image: example/dns:1\n    ports:\n{ports}")
    }

    #[test]
    fn privileged_host_ports_point_at_the_host_port() {
        let yaml = service("      - \"53:53/udp\"\n      - 127.0.0.1:80:8080\n      - \"8080:80\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["53", "80"]);
        let messages: Vec<_> = lint_compose(&RULE, &yaml).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "Host port 53/udp is a privileged port, below 1024",
                "Host port 80 is a privileged port, below 1024"
            ]
        );
    }

    #[test]
    fn ranges_and_long_syntax() {
        let yaml = service("      - \"1000-1100:1000-1100\"\n      - target: 443\n        published: 443\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["1000-1100", "443"]);
        assert_eq!(
            lint_compose(&RULE, &yaml)[0].message,
            "Host ports 1000-1100 include privileged ports, below 1024"
        );
        let yaml = service("      - \"${HTTP_PORT:-80}:80\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"${HTTP_PORT:-80}:80\""]);
    }

    #[test]
    fn high_random_unknown_and_host_network_ports_pass() {
        assert_compose_clean(
            &RULE,
            &service("      - \"1024:80\"\n      - \"80\"\n      - \"${HTTP_PORT}:80\"\n"),
        );
        assert_compose_clean(&RULE, &service("      - \"0:80\"\n"));
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    expose: [\"22\"]\n");
        assert!(
            lint_compose(
                &RULE,
                "services:\n  a:\n    image: x:1\n    network_mode: host\n    ports: [\"80:80\"]\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn kubernetes_privileged_host_ports_point_at_the_host_port() {
        let yaml = pod(
            "",
            "      ports:\n        - containerPort: 8053\n          hostPort: 53\n          protocol: UDP\n        - containerPort: 8443\n          hostPort: \"443\"\n        - containerPort: 80\n          hostPort: 8080\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["53", "443"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Host port 53/udp is a privileged port, below 1024");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Remove the `hostPort` and reach the container through a Service.")
        );
    }

    #[test]
    fn kubernetes_container_ports_and_host_network_pass() {
        assert_k8s_clean(
            &RULE,
            &pod(
                "",
                "      ports:\n        - containerPort: 80\n        - containerPort: 443\n          hostPort: 0\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &pod(
                "  hostNetwork: true\n",
                "      ports:\n        - containerPort: 80\n          hostPort: 80\n",
            ),
        );
    }
}
