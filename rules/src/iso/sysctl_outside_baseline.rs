use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{pods, sysctls};

declare_rule! {
    /// ## What it does
    /// Flags sysctls in a Kubernetes pod's `securityContext.sysctls` that are not in the Pod Security
    /// Standards' safe set, which the "baseline" profile allows: `kernel.shm_rmid_forced`,
    /// `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`,
    /// `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.ip_local_reserved_ports` (Kubernetes 1.27),
    /// `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`,
    /// `net.ipv4.tcp_keepalive_probes` (1.29), `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem` (1.32),
    /// `net.ipv4.tcp_slow_start_after_idle` and `net.ipv4.tcp_notsent_lowat` (1.37). Sysctls that
    /// `unsafe-sysctl` reports for what they do (forwarding, `route_localnet`, proxy ARP) are left to it.
    ///
    /// ## Why is this bad?
    /// The safe set holds the sysctls shown to be isolated per pod and unable to starve the node or other
    /// pods; the rest were never audited for that. Namespaces enforcing the baseline profile reject the pod,
    /// and the kubelet refuses to start it unless the node lists the sysctl in `--allowed-unsafe-sysctls` —
    /// which then allows it for every pod scheduled there.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.core.somaxconn
    ///         value: "4096"
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: net.ipv4.tcp_keepalive_time
    ///         value: "600"
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Pod Security Standards, baseline sysctls](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Kubernetes: using sysctls in a cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
    code: "ISO053",
    name: "sysctl-outside-baseline",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0026", "unsafe-sysctls"],
    checks: [Check::Kubernetes(check)],
}

/// The Pod Security Standards' safe sysctls, up to Kubernetes 1.37.
const SAFE_SYSCTLS: [&str; 14] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let Some(list) = tree.path(pod.spec, &["securityContext", "sysctls"]) else { continue };
        for &item in tree.items(list) {
            let Some(name) = tree.get(item, "name").and_then(|n| string(tree, n)) else { continue };
            // The kubelet accepts `/` as the separator too.
            let normalised = name.value.trim().replace('/', ".");
            let value =
                tree.get(item, "value").and_then(|v| string(tree, v)).map(|v| v.value).unwrap_or_default();
            if SAFE_SYSCTLS.contains(&normalised.as_str())
                || sysctls::weakens_isolation(&normalised, &value).is_some()
            {
                continue;
            }
            r.report(
                name.range,
                format!("Sysctl `{}` is outside the Pod Security Standards' safe set, so baseline admission rejects the pod", name.value.trim()),
            )
            .help("Remove the sysctl, or allow it on dedicated nodes with the kubelet's `--allowed-unsafe-sysctls` and schedule the pod only there");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, pod};

    fn sysctls(items: &str) -> String {
        pod(&format!("  securityContext:\n    sysctls:\n{items}"), "")
    }

    #[test]
    fn sysctls_outside_the_safe_set_point_at_their_name() {
        let yaml = sysctls(
            "      - {name: net.core.somaxconn, value: '4096'}\n      - {name: kernel/msgmax, value: '65536'}\n      - {name: net.ipv4.tcp_syncookies, value: '1'}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["net.core.somaxconn", "kernel/msgmax"]);
    }

    #[test]
    fn safe_and_separately_reported_sysctls_pass() {
        assert_k8s_clean(
            &RULE,
            &sysctls(
                "      - {name: net/ipv4/tcp_keepalive_time, value: '600'}\n      - {name: net.ipv4.tcp_notsent_lowat, value: '16384'}\n",
            ),
        );
        assert_k8s_clean(&RULE, &sysctls("      - {name: net.ipv4.ip_forward, value: '1'}\n"));
        assert_k8s_clean(&RULE, &pod("", ""));
    }
}
