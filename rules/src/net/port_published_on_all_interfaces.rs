use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace, Port, Published};
use plimsoll_span::TextRange;

use crate::support::help;
use crate::support::ports::{container_port_text, on_all_interfaces, with_protocol};

declare_rule! {
    /// ## What it does
    /// Flags ports published on every network interface of the host: a Compose `ports:` item without a host
    /// address (`"8080:80"`, `"80"`, long syntax without `host_ip`), a Kubernetes `hostPort` without
    /// `hostIP`, or either one bound to the unspecified address `0.0.0.0`, `::` or `[::]`.
    ///
    /// ## Why is this bad?
    /// A port published without an address listens on every interface of the host: the public one as well as
    /// the private network, the VPN and localhost. An admin console, a database or a metrics endpoint meant
    /// for the machine itself becomes reachable by anyone who can reach the host. Host firewalls do not help:
    /// Docker writes its own iptables rules for published ports, ahead of the rules `ufw` or `firewalld`
    /// manage, so "ufw deny 5432" does not stop a published PostgreSQL. Binding the port to the address that
    /// should receive the traffic (`127.0.0.1` for the host itself, a private address for an internal
    /// network) is what limits who can connect. `expose:` is not publishing and is not reported.
    ///
    /// A service that is meant to be public — the reverse proxy that owns 80 and 443 — is the exception:
    /// suppress the finding on its `ports:` with a reason. The daemon can also default to another address
    /// (`"ip": "127.0.0.1"` in `daemon.json`), which the linter cannot see. Ports of a service on the host's
    /// network (`network_mode: host`) are not reported: Docker discards them.
    ///
    /// In Kubernetes, a `hostPort` opens the port on the node the pod runs on, on every interface of the
    /// node unless `hostIP` names one (`hostPort: 0`, the default, publishes nothing). A Service
    /// (`ClusterIP`, or a `LoadBalancer` where the port must be public) is the usual way in. Pods on the
    /// node's network (`hostNetwork: true`) are not reported: their ports are the node's own, and
    /// `host-network-namespace` reports the setting.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   db:
    ///     image: postgres:17
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       ports:
    ///         - containerPort: 5432
    ///           hostPort: 5432
    /// ```
    ///
    /// Use instead (and reach it through a Service):
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       ports:
    ///         - containerPort: 5432
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: configuration best practices, services](https://kubernetes.io/docs/concepts/configuration/overview/#services)
    /// - [Docker: packet filtering and firewalls](https://docs.docker.com/engine/network/packet-filtering-firewalls/)
    /// - [Compose file reference: ports](https://docs.docker.com/reference/compose-file/services/#ports)
    /// - CIS Docker Benchmark v1.6.0, 5.14 "Ensure that incoming container traffic is bound to a specific host
    ///   interface"
    code: "NET003",
    name: "port-published-on-all-interfaces",
    family: Net,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: ["451d79dc-0588-476a-ad03-3c7f0320abb3", "no-unbound-port-interfaces"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.runtime.host_namespaces.iter().any(|h| h.namespace == Namespace::Network) {
        return;
    }
    for port in &container.ports {
        let Some(published) = port.published.as_ref().filter(|p| on_all_interfaces(p)) else { continue };
        let Some(message) = message(port, published) else { continue };
        r.report(range(port, published), message).help(help::for_format(
            container.format,
            "Publish the port on one address.",
            &format!(
                "Bind it to the address that should receive the traffic, e.g. `{}` (long syntax: `host_ip: 127.0.0.1`); host firewalls such as ufw do not filter published ports.",
                example(port, published)
            ),
            "Remove the `hostPort` and reach the container through a Service, or set `hostIP` to one address.",
        ));
    }
}

/// The unspecified address when written, else the host port when written, else the whole item.
fn range(port: &Port, published: &Published) -> TextRange {
    published.host_ip.as_ref().or(published.host_port.as_ref()).map_or(port.range, |s| s.range)
}

/// `None` when neither port is known: a whole item from a variable (`- ${PORTS}`) may carry its own
/// address.
fn message(port: &Port, published: &Published) -> Option<String> {
    let message = match (&published.host_port, container_port_text(port)) {
        (Some(host), _) => {
            let (noun, verb) = if host.value.contains('-') { ("Ports", "are") } else { ("Port", "is") };
            let host = with_protocol(host.value.clone(), port.protocol);
            format!("{noun} {host} {verb} published on all of the host's network interfaces")
        }
        (None, Some(container)) => {
            format!(
                "Container port {container} is published on a random port on all of the host's network interfaces"
            )
        }
        (None, None) => return None,
    };
    Some(message)
}

/// The item rewritten with a loopback address: `127.0.0.1:8080:80`, `127.0.0.1::80/udp`.
fn example(port: &Port, published: &Published) -> String {
    let host = published.host_port.as_ref().map_or("", |h| h.value.as_str());
    match container_port_text(port) {
        Some(container) => format!("127.0.0.1:{host}:{container}"),
        None => format!("127.0.0.1:{host}:<port>"),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    fn service(ports: &str) -> String {
        format!("services:\n  web:\n    image: nginx:1.27\n    ports:\n{ports}")
    }

    #[test]
    fn ports_without_an_address_point_at_the_host_port() {
        let yaml = service("      - \"8080:80\"\n      - 9000:9000/udp\n      - \"127.0.0.1:5432:5432\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["8080", "9000"]);
        let messages: Vec<_> = lint_compose(&RULE, &yaml).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "Port 8080 is published on all of the host's network interfaces",
                "Port 9000/udp is published on all of the host's network interfaces",
            ]
        );
        let found = lint_compose(&RULE, &yaml);
        assert!(found[0].help.as_deref().unwrap().contains("`127.0.0.1:8080:80`"));
    }

    #[test]
    fn a_container_port_alone_gets_a_random_host_port() {
        let yaml = service("      - \"80\"\n      - 3000-3001\n      - \"7000-7001:7000-7001\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"80\"", "3000-3001", "7000-7001"]);
        assert_eq!(
            lint_compose(&RULE, &yaml)[2].message,
            "Ports 7000-7001 are published on all of the host's network interfaces"
        );
        assert_eq!(
            lint_compose(&RULE, &yaml)[0].message,
            "Container port 80 is published on a random port on all of the host's network interfaces"
        );
        assert!(lint_compose(&RULE, &yaml)[0].help.as_deref().unwrap().contains("`127.0.0.1::80`"));
    }

    #[test]
    fn unspecified_addresses_point_at_the_address() {
        let yaml =
            service("      - \"0.0.0.0:8080:80\"\n      - \"[::]:8443:443\"\n      - \"[::1]:9090:9090\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["0.0.0.0", "::"]);
    }

    #[test]
    fn long_syntax() {
        let yaml = service(
            "      - target: 80\n        published: \"8080\"\n      - target: 443\n        host_ip: 0.0.0.0\n        published: 8443\n      - target: 5432\n        host_ip: 10.0.0.5\n        published: 5432\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["\"8080\"", "0.0.0.0"]);
        let yaml = service("      - target: 80\n        protocol: tcp\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["target: 80\n        protocol: tcp"]);
    }

    #[test]
    fn variables() {
        // The default is what `docker compose up` uses.
        let yaml = service("      - \"${BIND:-0.0.0.0}:8080:80\"\n      - \"${WEB_PORT:-8080}:80\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"${BIND:-0.0.0.0}:8080:80\"", "\"${WEB_PORT:-8080}:80\""]);
        // A port from the environment is still published on every interface; an address is not guessed.
        let yaml = service("      - \"${WEB_PORT}:80\"\n      - \"${BIND}:8080:80\"\n      - ${PORTS}\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["${WEB_PORT}"]);
    }

    #[test]
    fn through_extends_and_anchors() {
        let yaml = "x-ports: &ports\n  ports: [\"8080:80\"]\nservices:\n  a:\n    image: x:1\n    <<: *ports\n  b:\n    extends: a\n";
        assert_eq!(compose_spans(&RULE, yaml), ["8080"]);
    }

    #[test]
    fn a_public_proxy_is_suppressed_with_a_reason() {
        let yaml = "services:\n  proxy:\n    image: traefik:3.1\n    # plimsoll: ignore[NET003] the public entry point\n    ports:\n      - \"80:80\"\n      - \"443:443\"\n  admin:\n    image: x:1\n    ports: [\"8080:8080\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["8080"]);
    }

    #[test]
    fn bound_exposed_and_host_network_ports_pass() {
        assert_compose_clean(&RULE, &service("      - \"127.0.0.1:8080:80\"\n      - \"[::1]:8443:443\"\n"));
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    expose: [\"9000\"]\n");
        assert!(
            lint_compose(
                &RULE,
                "services:\n  a:\n    image: x:1\n    network_mode: host\n    ports: [\"80:80\"]\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn kubernetes_host_ports_point_at_the_host_port_or_the_address() {
        let yaml = pod(
            "",
            "      ports:\n        - containerPort: 8080\n          hostPort: 80\n        - containerPort: 53\n          hostPort: 5353\n          protocol: UDP\n        - containerPort: 9090\n          hostPort: 9090\n          hostIP: 0.0.0.0\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["80", "5353", "0.0.0.0"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Port 80 is published on all of the host's network interfaces");
        assert_eq!(found[1].message, "Port 5353/udp is published on all of the host's network interfaces");
        assert!(found[0].help.as_deref().unwrap().starts_with("Remove the `hostPort`"));
    }

    #[test]
    fn kubernetes_bound_unpublished_and_host_network_ports_pass() {
        assert_k8s_clean(
            &RULE,
            &pod(
                "",
                "      ports:\n        - containerPort: 8080\n        - containerPort: 80\n          hostPort: 0\n        - containerPort: 9100\n          hostPort: 9100\n          hostIP: 127.0.0.1\n",
            ),
        );
        assert_k8s_clean(
            &RULE,
            &pod(
                "  hostNetwork: true\n",
                "      ports:\n        - containerPort: 9100\n          hostPort: 9100\n",
            ),
        );
    }
}
