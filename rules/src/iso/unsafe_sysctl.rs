use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::{help, sysctls};

declare_rule! {
    /// ## What it does
    /// Flags kernel parameters set for a container (Compose `sysctls`, Kubernetes `securityContext.sysctls`)
    /// that change who can reach what:
    /// packet forwarding (`net.ipv4.ip_forward`, `net.ipv4.conf.*.forwarding`,
    /// `net.ipv6.conf.*.forwarding`), routing of loopback addresses (`net.ipv4.conf.*.route_localnet`) and
    /// proxy ARP/NDP (`net.ipv4.conf.*.proxy_arp`, `net.ipv6.conf.*.proxy_ndp`), when switched on. Each
    /// is reported at its name.
    ///
    /// ## Why is this bad?
    /// A container attached to several networks keeps them apart only as long as it does not forward
    /// packets: with forwarding on, it becomes a router that peers on one network can use to reach the
    /// other, around the separation the networks were meant to give. `route_localnet` accepts packets for
    /// `127.0.0.0/8` from outside, exposing services that listen only on localhost (CVE-2020-8558 used it
    /// against Kubernetes nodes), and proxy ARP/NDP makes the container answer for addresses that are not
    /// its own, drawing their traffic through it. VPN gateways and routers need forwarding by design; keep
    /// them on networks of their own and say so with a suppression.
    ///
    /// Other sysctls are not reported. A container can only set namespaced ones, and the runtime refuses
    /// the rest (`vm.*`, most of `kernel.*`) instead of changing the host; the remaining network and IPC
    /// tuning (`net.core.somaxconn`, `net.ipv6.conf.all.disable_ipv6`, `kernel.shmmax`) stays inside the
    /// container, even where the Kubernetes Pod Security Standards leave it off their "safe" list.
    ///
    /// In Kubernetes, sysctls are set for the whole pod and reported once for it. The kubelet runs only the
    /// "safe" sysctls the Pod Security Standards "baseline" profile allows (`net.ipv4.ip_local_port_range`,
    /// `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_keepalive_time`, …) unless a node's
    /// `--allowed-unsafe-sysctls` lists more. That allow-list keeps out everything not yet shown to be
    /// harmless to other pods and to the node, which is most tuning; `sysctl-outside-baseline` reports the
    /// sysctls outside it, and this rule the settings above, which make the pod a router or answer for other
    /// hosts' addresses on every node that allows them.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   gateway:
    ///     image: example/gateway:1.2
    ///     sysctls:
    ///       - net.ipv4.ip_forward=1
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   gateway:
    ///     image: example/gateway:1.2
    ///     sysctls:
    ///       net.ipv4.ip_unprivileged_port_start: 0
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: gateway
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.ip_forward
    ///         value: "1"
    ///   containers:
    ///     - name: gateway
    ///       image: example/gateway:1.2
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: gateway
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.ip_unprivileged_port_start
    ///         value: "0"
    ///   containers:
    ///     - name: gateway
    ///       image: example/gateway:1.2
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: sysctls](https://docs.docker.com/reference/compose-file/services/#sysctls)
    /// - [Linux kernel: IP sysctl](https://docs.kernel.org/networking/ip-sysctl.html)
    /// - [Kubernetes: using sysctls in a Kubernetes cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
    code: "ISO033",
    name: "unsafe-sysctl",
    family: Iso,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for sysctl in &container.runtime.sysctls {
        let Some(value) = &sysctl.value else { continue };
        let name = sysctl.name.value.trim();
        let Some(reason) = sysctls::weakens_isolation(name, &value.value) else { continue };
        r.report(sysctl.name.range, format!("Sysctl `{name}` {reason}")).help(help::for_format(
            container.format,
            "Remove the sysctl unless the workload routes traffic by design.",
            &format!(
                "Remove `{name}` unless the service is a router or VPN gateway by design; then attach it only to \
                 the networks it must join."
            ),
            &format!(
                "Remove `{name}` from `securityContext.sysctls` unless the pod routes traffic by design; then \
                 isolate it with a NetworkPolicy."
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    #[test]
    fn list_and_map_forms_point_at_the_name() {
        let yaml = "services:\n  a:\n    image: x:1\n    sysctls:\n      - net.ipv4.ip_forward=1\n      - net.core.somaxconn=1024\n";
        assert_eq!(compose_spans(&RULE, yaml), ["net.ipv4.ip_forward"]);
        let yaml = "services:\n  a:\n    image: x:1\n    sysctls:\n      net.ipv4.conf.all.route_localnet: 1\n      net.ipv6.conf.all.forwarding: \"1\"\n";
        assert_eq!(
            compose_spans(&RULE, yaml),
            ["net.ipv4.conf.all.route_localnet", "net.ipv6.conf.all.forwarding"]
        );
    }

    #[test]
    fn the_message_says_what_the_setting_does() {
        let yaml = "services:\n  a:\n    image: x:1\n    sysctls: [net.ipv4.conf.eth0.proxy_arp=1]\n";
        let found = lint_compose(&RULE, yaml);
        assert_eq!(
            found[0].message,
            "Sysctl `net.ipv4.conf.eth0.proxy_arp` makes the container answer address lookups for other hosts, \
             drawing their traffic through it"
        );
    }

    #[test]
    fn switched_off_unknown_and_tuning_pass() {
        let yaml = "services:\n  a:\n    image: x:1\n    sysctls:\n      - net.ipv4.ip_forward=0\n      - net.ipv4.ip_forward=${FWD}\n      - net.ipv6.conf.all.disable_ipv6=1\n      - net.ipv4.conf.all.src_valid_mark=1\n";
        assert_compose_clean(&RULE, yaml);
        let yaml = "services:\n  a:\n    image: x:1\n    sysctls:\n      net.ipv4.ip_forward:\n      kernel.shmmax: 68719476736\n";
        assert_compose_clean(&RULE, yaml);
    }

    #[test]
    fn defaults_of_variables_are_used() {
        let yaml =
            "services:\n  a:\n    image: x:1\n    sysctls:\n      net.ipv4.ip_forward: ${FORWARD:-1}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["net.ipv4.ip_forward"]);
    }

    #[test]
    fn kubernetes_pod_sysctls_point_at_the_name_once_per_pod() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vpn\nspec:\n  template:\n    spec:\n      securityContext:\n        sysctls:\n          - name: net.ipv4.ip_forward\n            value: \"1\"\n          - name: net.core.somaxconn\n            value: \"1024\"\n          - {name: net.ipv4.conf.all.route_localnet, value: \"1\"}\n      containers:\n        - name: vpn\n          image: example/vpn:1\n        - name: exporter\n          image: example/exporter:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["net.ipv4.ip_forward", "net.ipv4.conf.all.route_localnet"]);
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].help.as_deref(),
            Some(
                "Remove `net.ipv4.ip_forward` from `securityContext.sysctls` unless the pod routes traffic by \
                 design; then isolate it with a NetworkPolicy."
            )
        );
    }

    #[test]
    fn kubernetes_switched_off_and_tuning_sysctls_pass() {
        let yaml = pod(
            "  securityContext:\n    sysctls:\n      - name: net.ipv4.ip_forward\n        value: \"0\"\n      - name: kernel.shm_rmid_forced\n        value: \"1\"\n      - name: net.ipv6.conf.all.forwarding\n",
            "",
        );
        assert_k8s_clean(&RULE, &yaml);
    }
}
