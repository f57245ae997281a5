use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::capabilities;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers that add a capability outside the Pod Security Standards baseline set
    /// (`securityContext.capabilities.add`), such as `NET_RAW` or `SYS_NICE`.
    ///
    /// The baseline set is the container runtimes' default without `NET_RAW`: `AUDIT_WRITE`, `CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`,
    /// `SETPCAP`, `SETUID` and `SYS_CHROOT`. Names are compared without case and without a `CAP_` prefix.
    /// Capabilities that open a way out of the container (`SYS_ADMIN`, `ALL`, `NET_ADMIN` with the host's
    /// network…) are reported by `dangerous-capability-added` (ISO024) instead, so each added capability
    /// is reported once; that includes the capabilities the `dangerous` option of `[capabilities]` lists.
    /// Capabilities the `[capabilities] allowed` option lists are not reported (names compared the same
    /// way).
    ///
    /// ## Why is this bad?
    /// Every capability beyond the default set widens what a compromised process can do to the kernel and
    /// its neighbours: `NET_RAW` crafts packets to spoof addresses and poison neighbours' ARP and DNS,
    /// `SYS_PTRACE` inspects other processes, `SYS_RESOURCE` and `SYS_NICE` escape resource controls. The
    /// Pod Security Standards baseline level, the one most clusters enforce, rejects pods that add any
    /// capability outside the set, so such a workload also fails admission there.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: pinger
    /// spec:
    ///   containers:
    ///     - name: pinger
    ///       image: example/pinger:2.0
    ///       securityContext:
    ///         capabilities:
    ///           add: [NET_RAW]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: pinger
    /// spec:
    ///   containers:
    ///     - name: pinger
    ///       image: example/pinger:2.0
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Capabilities (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Set capabilities for a container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    code: "ISO041",
    name: "capability-outside-baseline",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0022", "CKV_K8S_25", "KSV-0119", "KSV-0106"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.format != Format::Kubernetes {
        return;
    }
    for added in &container.runtime.capabilities.added {
        let name = added.value.as_str();
        if capabilities::in_baseline(name)
            || capabilities::is_allowed(name, r.settings())
            || capabilities::reported_as_dangerous(name, container, r.settings()).is_some()
        {
            continue;
        }
        r.report(
            added.range,
            format!("Container adds `{name}`, a capability outside the Pod Security Standards baseline set"),
        )
        .help(format!(
            "Remove `{name}` from `securityContext.capabilities.add`; Pod Security admission at the baseline \
             level rejects the pod while it is there."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn adding(caps: &str) -> String {
        pod("", &format!("      securityContext:\n        capabilities:\n          add: {caps}\n"))
    }

    #[test]
    fn capabilities_beyond_baseline_point_at_their_item() {
        let yaml = adding("[NET_RAW, CHOWN, cap_sys_nice, \"CAP_IPC_LOCK\"]");
        assert_eq!(k8s_spans(&RULE, &yaml), ["NET_RAW", "cap_sys_nice", "CAP_IPC_LOCK"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container adds `NET_RAW`, a capability outside the Pod Security Standards baseline set"
        );
    }

    #[test]
    fn dangerous_capabilities_are_left_to_iso024() {
        assert_k8s_clean(&RULE, &adding("[SYS_ADMIN, ALL, SYS_MODULE]"));
        // NET_ADMIN is only dangerous with the host's network; in the pod's own network it is reported here.
        assert_eq!(k8s_spans(&RULE, &adding("[NET_ADMIN, SYS_PTRACE]")), ["NET_ADMIN", "SYS_PTRACE"]);
        let host = pod(
            "  hostNetwork: true\n",
            "      securityContext:\n        capabilities:\n          add: [NET_ADMIN, SYS_PTRACE]\n",
        );
        assert_eq!(k8s_spans(&RULE, &host), ["SYS_PTRACE"]);
    }

    #[test]
    fn baseline_capabilities_and_other_formats_pass() {
        assert_k8s_clean(&RULE, &adding("[AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD]"));
        assert_k8s_clean(&RULE, &adding("[NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]"));
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        capabilities:\n          drop: [NET_RAW]\n"),
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cap_add: [NET_RAW]\n");
    }

    #[test]
    fn configured_capabilities() {
        use plimsoll_diagnostic::Format;

        use crate::testing::{capability_settings, spans_with};
        let yaml = adding("[NET_RAW, SYS_NICE, IPC_LOCK]");
        // Allowed: not reported; configured as dangerous: left to ISO024.
        let settings = capability_settings(&["sys_nice"], &["CAP_NET_RAW"]);
        assert_eq!(spans_with(&RULE, Format::Kubernetes, &yaml, settings), ["IPC_LOCK"]);
    }
}
