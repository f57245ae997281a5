use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that run privileged: Compose `privileged: true`, Kubernetes
    /// `securityContext.privileged: true`.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every kernel capability, every host device and no seccomp, AppArmor or
    /// SELinux confinement: it can mount the host's disks, load kernel modules and reach the host's
    /// processes. Escaping to the host is a matter of a few commands, so a compromise of the container is a
    /// compromise of the machine. Grant the specific capability or device the workload needs instead.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   agent:
    ///     image: example/agent:1.4
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:1.4
    ///       securityContext:
    ///         privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:1.4
    ///       securityContext:
    ///         capabilities:
    ///           add: [NET_BIND_SERVICE]
    /// ```
    ///
    /// ## References
    /// - [Docker: runtime privilege and Linux capabilities](https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities)
    /// - [Kubernetes: security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Kubernetes Pod Security Standards: privileged containers](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.5 "Ensure that privileged containers are not used"
    code: "ISO011",
    name: "privileged-container",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: [
        "ae5b6871-7f45-42e0-bb4c-ab300c4d2026", "privileged-container", "container-security-context-privileged",
        "runAsPrivileged", "CKV_K8S_16", "KSV-0017",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if let Setting::Explicit(true, range) = container.runtime.privileged {
        r.report(range, "Container runs privileged, with full access to the host").help(help::for_format(
            container.format,
            "Remove `privileged: true`.",
            "Remove `privileged: true`; add only the capabilities (`cap_add`) or devices (`devices`) the service needs.",
            "Set `securityContext.privileged: false`; add only the capabilities the container needs.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_k8s, pod};

    #[test]
    fn privileged_services() {
        let yaml = "services:\n  a:\n    image: x:1\n    privileged: true\n";
        assert_eq!(compose_spans(&RULE, yaml), ["privileged: true"]);
        let yaml = "services:\n  a:\n    image: x:1\n    privileged: ${PRIV:-true}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["privileged: ${PRIV:-true}"]);
    }

    #[test]
    fn through_extends_and_anchors() {
        // Both services are privileged by the same line, which is reported once.
        let yaml = "x-base: &base\n  privileged: true\nservices:\n  base:\n    image: x:1\n    <<: *base\n  child:\n    extends: base\n";
        assert_eq!(compose_spans(&RULE, yaml), ["privileged: true"]);
        let yaml = "services:\n  base:\n    image: x:1\n  child:\n    extends: base\n    privileged: true\n";
        assert_eq!(compose_spans(&RULE, yaml), ["privileged: true"]);
    }

    #[test]
    fn unprivileged_and_unknown_pass() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    privileged: false\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    privileged: ${PRIV}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    privileged: yes\n");
    }

    #[test]
    fn kubernetes_privileged_containers() {
        let yaml = pod("", "      securityContext:\n        privileged: true\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["privileged: true"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some("Set `securityContext.privileged: false`; add only the capabilities the container needs.")
        );
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: setup\n          image: busybox:1.36\n          securityContext: {privileged: true}\n      containers:\n        - name: agent\n          image: example/agent:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["privileged: true"]);
    }

    #[test]
    fn kubernetes_unprivileged_and_invalid_values_pass() {
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        privileged: false\n"));
        assert_k8s_clean(&RULE, &pod("", ""));
        // The API server takes only a boolean; a string is rejected, not run privileged.
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        privileged: \"true\"\n"));
        // `privileged` is a container field: at pod level it means nothing.
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    privileged: true\n", ""));
    }
}
