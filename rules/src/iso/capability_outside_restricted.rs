use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::{capabilities, pods};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers that add a capability other than `NET_BIND_SERVICE`
    /// (`securityContext.capabilities.add`), as the Pod Security Standards restricted level requires.
    ///
    /// Only the capabilities the baseline level still allows (`CHOWN`, `SETUID`, `DAC_OVERRIDE`…) are
    /// reported here: those outside the baseline set are reported by `capability-outside-baseline`
    /// (ISO041) or `dangerous-capability-added` (ISO024), so enabling all three covers the restricted
    /// control with one finding per capability; the control's other half, dropping `ALL`, is
    /// `capabilities-not-dropped`'s (ISO025). A baseline capability listed in the `[capabilities] dangerous`
    /// option is left to ISO024 as well, and one listed in `[capabilities] allowed` is not reported: the
    /// configuration says the workloads may add it (names compared without case or `CAP_` prefix). Pods that
    /// declare `spec.os.name: windows` are exempt, as in the standard. The rule is off by default; enable it for workloads that must meet the restricted
    /// level.
    ///
    /// ## Why is this bad?
    /// The restricted level expects a container to drop every capability and add back at most
    /// `NET_BIND_SERVICE`, so that a compromised process cannot change file ownership (`CHOWN`,
    /// `FOWNER`), read files regardless of permissions (`DAC_OVERRIDE`), switch users (`SETUID`, `SETGID`)
    /// or signal other processes (`KILL`). Adding these back after `drop: [ALL]` undoes most of the
    /// hardening, and Pod Security admission at the restricted level rejects the pod.
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
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [CHOWN, SETUID, SETGID, NET_BIND_SERVICE]
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
    ///       image: nginxinc/nginx-unprivileged:1.27
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Capabilities (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    code: "ISO042",
    name: "capability-outside-restricted",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0106"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for pod in pods::pod_specs(ctx) {
        if pods::is_windows(ctx.tree, pod.spec) {
            continue;
        }
        for container in pods::model_containers(ctx, &pod) {
            for added in &container.runtime.capabilities.added {
                let name = added.value.as_str();
                if name == "NET_BIND_SERVICE"
                    || !capabilities::in_baseline(name)
                    || capabilities::is_allowed(name, r.settings())
                    || capabilities::reported_as_dangerous(name, container, r.settings()).is_some()
                {
                    continue;
                }
                r.report(
                    added.range,
                    format!(
                        "Container adds `{name}`, which the restricted Pod Security level does not allow"
                    ),
                )
                .help(format!(
                    "Remove `{name}` from `securityContext.capabilities.add`; under the restricted level a \
                     container drops `ALL` and adds back at most `NET_BIND_SERVICE`."
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn adding(caps: &str) -> String {
        pod(
            "",
            &format!(
                "      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: {caps}\n"
            ),
        )
    }

    #[test]
    fn baseline_capabilities_but_net_bind_service_are_reported() {
        let yaml = adding("[NET_BIND_SERVICE, chown, CAP_SETUID]");
        assert_eq!(k8s_spans(&RULE, &yaml), ["chown", "CAP_SETUID"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container adds `CHOWN`, which the restricted Pod Security level does not allow"
        );
    }

    #[test]
    fn capabilities_outside_baseline_are_left_to_other_rules() {
        assert_k8s_clean(&RULE, &adding("[NET_RAW, SYS_ADMIN, ALL]"));
        assert_k8s_clean(&RULE, &adding("[NET_BIND_SERVICE]"));
        assert_k8s_clean(&RULE, &pod("", ""));
    }

    #[test]
    fn windows_pods_are_exempt() {
        let yaml = pod(
            "  os:\n    name: windows\n",
            "      securityContext:\n        capabilities:\n          add: [CHOWN]\n",
        );
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn configured_capabilities() {
        use plimsoll_diagnostic::Format;

        use crate::testing::{capability_settings, spans_with};
        let yaml = adding("[CHOWN, SETUID, KILL]");
        // Allowed: not reported; configured as dangerous: ISO024 reports it.
        let settings = capability_settings(&["kill"], &["CAP_CHOWN"]);
        assert_eq!(spans_with(&RULE, Format::Kubernetes, &yaml, settings), ["SETUID"]);
    }
}
