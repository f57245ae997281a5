use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::capabilities::{self, Dangerous, Verdict, When};
use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags kernel capabilities added to a container (Compose `cap_add`, Kubernetes
    /// `securityContext.capabilities.add`) that open a way out of it or act on the host: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`,
    /// `MAC_ADMIN`, `SYS_TIME`, `SYSLOG`, `AUDIT_CONTROL` and `AUDIT_READ` always; `SYS_PTRACE` and
    /// `SYS_BOOT` when the container shares the host's PID namespace (`hostPID`), and `NET_ADMIN` when it
    /// shares the host's network namespace (`hostNetwork`). Each capability is reported at its list item.
    ///
    /// ## Why is this bad?
    /// Capabilities split root's power into pieces; the runtime's default set keeps pieces that act inside
    /// the container. The listed ones undo the container's isolation: `SYS_ADMIN` mounts filesystems and
    /// is the usual route out through cgroup release agents, `SYS_MODULE` loads code into the host's
    /// kernel, `DAC_READ_SEARCH` reads any host file through `open_by_handle_at` (the "shocker" escape),
    /// `SYS_RAWIO` reaches host memory and disks, `BPF` and `PERFMON` read kernel memory and watch the
    /// host's processes, `MAC_ADMIN` rewrites the AppArmor or SELinux policy that confines everything, and
    /// `SYS_TIME`, `SYSLOG`, `AUDIT_CONTROL` and `AUDIT_READ` act on the clock, kernel log and audit trail
    /// the whole host shares. `SYS_PTRACE`, `SYS_BOOT` and `NET_ADMIN` act on the container's own
    /// namespaces — tracing its own processes, reconfiguring its own network, which VPN and debugging
    /// containers legitimately do — until those namespaces are the host's.
    ///
    /// The runtime's default capabilities (`CHOWN`, `NET_BIND_SERVICE`, `NET_RAW`, `SETUID`, …) are not
    /// reported, nor are capabilities whose effect stays inside the container (`SYS_NICE`, `SYS_RESOURCE`,
    /// `IPC_LOCK`, …); dropping what the service does not need is `capabilities-not-dropped`'s advice. The
    /// Pod Security Standards "baseline" profile forbids adding anything outside the default set, and
    /// "restricted" anything but `NET_BIND_SERVICE`; this rule reports only the capabilities above, which
    /// are the ones that break isolation.
    ///
    /// The configuration adjusts the list. Capabilities listed in `[capabilities] dangerous` are reported too,
    /// whatever namespaces the container shares, and the finding says the configuration listed them;
    /// capabilities listed in `[capabilities] allowed` (a CNI plugin's `NET_ADMIN`) are never
    /// reported, even when built in or also listed as dangerous. Configured names are compared like the
    /// files' ones: without case and without a `CAP_` prefix.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: example/web:2.4
    ///     cap_add:
    ///       - ALL
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: example/web:2.4
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: example/web:2.4
    ///       securityContext:
    ///         capabilities:
    ///           add: [SYS_ADMIN]
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
    ///       image: example/web:2.4
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// With `[capabilities] dangerous = ["NET_RAW"]`, a capability outside the built-in list is reported
    /// too:
    /// ```compose,bad,dangerous-capability=NET_RAW
    /// services:
    ///   probe:
    ///     image: example/probe:1.0
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_RAW]
    /// ```
    ///
    /// Use instead:
    /// ```compose,good,dangerous-capability=NET_RAW
    /// services:
    ///   probe:
    ///     image: example/probe:1.0
    ///     cap_drop: [ALL]
    /// ```
    ///
    /// A network plugin that must manage the node's network is not reported with
    /// `[capabilities] allowed = ["NET_ADMIN"]`:
    /// ```kubernetes,good,allowed-capability=NET_ADMIN
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cni
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: cni
    ///       image: example/cni:1.6
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_ADMIN]
    /// ```
    ///
    /// ## References
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    /// - [Docker: runtime privilege and Linux capabilities](https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities)
    /// - [Kubernetes Pod Security Standards: capabilities](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.4 "Ensure that Linux kernel capabilities are restricted within containers"
    code: "ISO024",
    name: "dangerous-capability-added",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: [
        "ce76b7d0-9e77-464d-b86f-c5c48e03e22d", "235236ee-ad78-4065-bd29-61b061f28ce0", "CKV_K8S_39",
        "KSV-0005", "KSV-0120", "dangerousCapabilities",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for added in &container.runtime.capabilities.added {
        match capabilities::reported_as_dangerous(&added.value, container, r.settings()) {
            Some(Verdict::BuiltIn(entry)) => {
                r.report(added.range, message(entry)).help(help_text(container.format, entry));
            }
            Some(Verdict::Configured) => {
                let name = &added.value;
                r.report(
                    added.range,
                    format!("Container is granted `{name}`, which the configuration lists as dangerous"),
                )
                .help(configured_help(container.format, name));
            }
            None => {}
        }
    }
}

/// The remedy for a capability the user listed as dangerous: remove it, or, when the workload needs it,
/// allow it in the configuration rather than delisting it for every workload.
fn configured_help(format: Format, name: &str) -> String {
    help::for_format(
        format,
        "Grant only the capabilities the workload needs.",
        &format!(
            "Remove `{name}` from `cap_add`; if this service needs it, list it as an allowed capability in the \
             configuration."
        ),
        &format!(
            "Remove `{name}` from `securityContext.capabilities.add`; if this container needs it, list it as an \
             allowed capability in the configuration."
        ),
    )
}

fn message(entry: &Dangerous) -> String {
    match entry.when {
        When::Always => format!("Container is granted `{}`, which lets it {}", entry.name, entry.reason),
        When::SharingHost(namespace) => format!(
            "Container is granted `{}` while sharing the host's {} namespace, which lets it {}",
            entry.name,
            namespace.as_str(),
            entry.reason
        ),
    }
}

fn help_text(format: Format, entry: &Dangerous) -> String {
    let name = entry.name;
    match entry.when {
        When::Always => help::for_format(
            format,
            "Grant only the capabilities the workload needs.",
            &format!(
                "Remove `{name}` from `cap_add` and grant only the narrower capability or device the service \
                 needs; a workload that truly needs it belongs on a host of its own."
            ),
            &format!(
                "Remove `{name}` from `securityContext.capabilities.add` and grant only what the container \
                 needs; a workload that truly needs it belongs on nodes of its own."
            ),
        ),
        When::SharingHost(namespace) => {
            let (compose, kubernetes) = match namespace {
                Namespace::Network => ("network_mode: host", "hostNetwork: true"),
                _ => ("pid: host", "hostPID: true"),
            };
            help::for_format(
                format,
                "Remove the capability, or give the container its own namespace.",
                &format!(
                    "Remove `{name}` from `cap_add`, or give the service its own namespace (remove `{compose}`)."
                ),
                &format!(
                    "Remove `{name}` from `securityContext.capabilities.add`, or remove `{kubernetes}`."
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    fn service(lines: &str) -> String {
        format!("services:\n  a:\n    image: x:1\n{lines}")
    }

    #[test]
    fn breakout_capabilities_point_at_their_item() {
        let yaml = service("    cap_add:\n      - SYS_ADMIN\n      - NET_BIND_SERVICE\n      - ALL\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["SYS_ADMIN", "ALL"]);
        let yaml = service("    cap_add: [\"CAP_SYS_MODULE\", dac_read_search, 'SYS_RAWIO']\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"CAP_SYS_MODULE\"", "dac_read_search", "'SYS_RAWIO'"]);
        let yaml = service("    cap_add: [\"${CAP:-SYS_ADMIN}\"]\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"${CAP:-SYS_ADMIN}\""]);
    }

    #[test]
    fn messages_name_the_capability_and_its_effect() {
        let found = lint_compose(&RULE, &service("    cap_add: [SYS_TIME]\n"));
        assert_eq!(
            found[0].message,
            "Container is granted `SYS_TIME`, which lets it set the clock that the host and every container share"
        );
    }

    #[test]
    fn namespace_capabilities_only_with_the_host_namespace() {
        assert_compose_clean(&RULE, &service("    cap_add: [NET_ADMIN, SYS_PTRACE, SYS_BOOT]\n"));
        let yaml = service("    network_mode: host\n    cap_add: [NET_ADMIN, SYS_PTRACE]\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["NET_ADMIN"]);
        let yaml = service("    pid: host\n    cap_add: [NET_ADMIN, SYS_PTRACE, SYS_BOOT]\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["SYS_PTRACE", "SYS_BOOT"]);
        let found = lint_compose(&RULE, &service("    pid: host\n    cap_add: [SYS_PTRACE]\n"));
        assert!(found[0].message.contains("while sharing the host's PID namespace"), "{}", found[0].message);
    }

    #[test]
    fn default_and_contained_capabilities_pass() {
        let yaml =
            service("    cap_add: [NET_RAW, CHOWN, NET_BIND_SERVICE, SYS_NICE, IPC_LOCK, SYS_RESOURCE]\n");
        assert_compose_clean(&RULE, &yaml);
        assert_compose_clean(&RULE, &service("    cap_add: [\"${CAP}\"]\n"));
        assert_compose_clean(&RULE, &service("    cap_drop: [SYS_ADMIN, ALL]\n"));
    }

    #[test]
    fn capabilities_merged_across_extends_are_reported_once() {
        let yaml = "services:\n  base:\n    image: x:1\n    cap_add: [SYS_ADMIN]\n  child:\n    extends: base\n    cap_add: [BPF]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["SYS_ADMIN", "BPF"]);
    }

    fn k8s_caps(add: &str) -> String {
        pod("", &format!("      securityContext:\n        capabilities:\n          add: {add}\n"))
    }

    #[test]
    fn kubernetes_capabilities_point_at_their_item() {
        assert_eq!(
            k8s_spans(&RULE, &k8s_caps("[SYS_ADMIN, NET_BIND_SERVICE, \"CAP_SYS_MODULE\"]")),
            ["SYS_ADMIN", "CAP_SYS_MODULE"]
        );
        let yaml = k8s_caps("\n            - ALL\n            - BPF");
        assert_eq!(k8s_spans(&RULE, &yaml), ["ALL", "BPF"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some(
                "Remove `ALL` from `securityContext.capabilities.add` and grant only what the container needs; a \
                 workload that truly needs it belongs on nodes of its own."
            )
        );
    }

    #[test]
    fn kubernetes_namespace_capabilities_with_host_namespaces() {
        assert_k8s_clean(&RULE, &k8s_caps("[NET_ADMIN, SYS_PTRACE]"));
        let yaml = pod(
            "  hostNetwork: true\n",
            "      securityContext:\n        capabilities:\n          add: [NET_ADMIN, SYS_PTRACE]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["NET_ADMIN"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some(
                "Remove `NET_ADMIN` from `securityContext.capabilities.add`, or remove `hostNetwork: true`."
            )
        );
        let yaml = pod(
            "  hostPID: true\n",
            "      securityContext:\n        capabilities:\n          add: [SYS_PTRACE]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["SYS_PTRACE"]);
    }

    #[test]
    fn kubernetes_default_dropped_and_pod_level_capabilities_pass() {
        assert_k8s_clean(&RULE, &k8s_caps("[NET_RAW, CHOWN, NET_BIND_SERVICE, SYS_NICE]"));
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        capabilities:\n          drop: [SYS_ADMIN, ALL]\n"),
        );
        // Capabilities are a container field; the pod's securityContext has none.
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    capabilities:\n      add: [SYS_ADMIN]\n", ""));
    }

    mod configured {
        use plimsoll_diagnostic::Format;

        use super::{RULE, k8s_caps, service};
        use crate::testing::{capability_settings, lint_with, spans_with};

        #[test]
        fn dangerous_capabilities_from_the_configuration_are_reported_by_name() {
            let yaml = service("    cap_add: [net_raw, CAP_SYS_NICE, CHOWN, SYS_ADMIN]\n");
            let settings = capability_settings(&["CAP_NET_RAW", "sys_nice"], &[]);
            assert_eq!(
                spans_with(&RULE, Format::Compose, &yaml, settings.clone()),
                ["net_raw", "CAP_SYS_NICE", "SYS_ADMIN"]
            );
            let found = lint_with(&RULE, Format::Compose, &yaml, settings);
            assert_eq!(
                found[0].message,
                "Container is granted `NET_RAW`, which the configuration lists as dangerous"
            );
            assert!(found[0].help.as_deref().unwrap().starts_with("Remove `NET_RAW` from `cap_add`"));
            // The built-in reason wins for a built-in capability listed again.
            assert!(found[2].message.contains("which lets it mount filesystems"), "{}", found[2].message);
        }

        #[test]
        fn namespace_capabilities_configured_as_dangerous_are_reported_without_the_host_namespace() {
            let yaml = k8s_caps("[NET_ADMIN, SYS_PTRACE]");
            assert!(lint_with(&RULE, Format::Kubernetes, &yaml, capability_settings(&[], &[])).is_empty());
            let settings = capability_settings(&["NET_ADMIN"], &[]);
            assert_eq!(spans_with(&RULE, Format::Kubernetes, &yaml, settings), ["NET_ADMIN"]);
        }

        #[test]
        fn allowed_capabilities_are_never_reported() {
            let yaml = service("    network_mode: host\n    cap_add: [NET_ADMIN, SYS_ADMIN, BPF]\n");
            let settings = capability_settings(&["bpf"], &["cap_net_admin", "BPF"]);
            assert_eq!(spans_with(&RULE, Format::Compose, &yaml, settings), ["SYS_ADMIN"]);
            let yaml = k8s_caps("[ALL]");
            assert!(
                lint_with(&RULE, Format::Kubernetes, &yaml, capability_settings(&[], &["all"])).is_empty()
            );
        }
    }
}
