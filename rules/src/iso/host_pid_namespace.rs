use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::{help, pods};

declare_rule! {
    /// ## What it does
    /// Flags containers that share the host's process ID namespace: Compose `pid: host`, Kubernetes
    /// `hostPID: true` in the pod spec.
    ///
    /// ## Why is this bad?
    /// The container sees every process of the host and of the other containers. Command lines, readable by
    /// anyone in `/proc/<pid>/cmdline`, often carry passwords and tokens; processes of the container's own
    /// user also expose their environment variables and open files under `/proc/<pid>/`. Root in the
    /// container holds `KILL` by default and can signal host processes (stop the host's daemons), and with
    /// `SYS_PTRACE` attach to them and run code in them, wherever the host's AppArmor or SELinux policy does
    /// not block it. With enough privilege, `nsenter --target 1` or `/proc/1/root` hands it the host's
    /// filesystem and a root shell: a host PID namespace is the first step of most container escapes.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   monitor:
    ///     image: example/monitor:3.2
    ///     pid: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   monitor:
    ///     image: example/monitor:3.2
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: monitor
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///     - name: monitor
    ///       image: example/monitor:3.2
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: monitor
    /// spec:
    ///   containers:
    ///     - name: monitor
    ///       image: example/monitor:3.2
    /// ```
    ///
    /// ## References
    /// - [pid_namespaces(7)](https://man7.org/linux/man-pages/man7/pid_namespaces.7.html)
    /// - [Compose file reference: pid](https://docs.docker.com/reference/compose-file/services/#pid)
    /// - [Kubernetes Pod Security Standards: host namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.16 "Ensure that the host's process namespace is not shared"
    code: "ISO017",
    name: "host-pid-namespace",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: [
        "4f31dd9f-2cc3-4751-9b53-67e4af83dac0", "302736f4-b16c-41b8-befe-c0baffa0bd9d", "CKV_K8S_17",
        "KSV-0010", "host-pid", "hostPIDSet",
    ],
    checks: [Check::Container(check), Check::Kubernetes(check_kubernetes)],
}

const MESSAGE: &str = "Container shares the host's PID namespace";

const KUBERNETES_HELP: &str = "Remove `hostPID: true`; to share processes between the pod's containers, use \
             `shareProcessNamespace: true`.";

fn check(container: &Container, r: &mut Reporter) {
    // A pod field: `check_kubernetes` reports it once per pod, with or without containers.
    if container.format == Format::Kubernetes {
        return;
    }
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::Pid) {
        r.report(shared.range, MESSAGE).help(help::for_format(
            container.format,
            "Give the container a PID namespace of its own.",
            "Remove `pid: host`; to share processes with one other service, use `pid: \"service:<name>\"`.",
            KUBERNETES_HELP,
        ));
    }
}

fn check_kubernetes(ctx: &KubernetesCtx, r: &mut Reporter) {
    for range in pods::switched_on(ctx, "hostPID") {
        r.report(range, MESSAGE).help(KUBERNETES_HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn host_pid_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    pid: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["pid: host"]);
        let yaml = "services:\n  a:\n    image: x:1\n    pid: 'host'\n  b:\n    image: y:1\n    pid: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["pid: 'host'", "pid: host"]);
    }

    #[test]
    fn through_a_yaml_anchor() {
        let yaml = "x-debug: &debug\n  pid: host\nservices:\n  a:\n    image: x:1\n    <<: *debug\n";
        assert_eq!(compose_spans(&RULE, yaml), ["pid: host"]);
    }

    #[test]
    fn own_or_shared_with_a_service_passes() {
        for mode in ["\"service:app\"", "\"container:abc\"", "${PID_MODE}"] {
            assert_compose_clean(&RULE, &format!("services:\n  a:\n    image: x:1\n    pid: {mode}\n"));
        }
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    ipc: host\n");
    }

    #[test]
    fn kubernetes_pod_field_points_at_the_setting() {
        let yaml = pod("  hostPID: true\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostPID: true"]);
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostPID: true\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: a\n          image: x:1\n        - name: b\n          image: y:1\n";
        // One pod field, one finding, however many containers the pod runs.
        assert_eq!(k8s_spans(&RULE, yaml), ["hostPID: true"]);
        // A patch that only switches the field on is reported too.
        let patch = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      hostPID: true\n";
        assert_eq!(k8s_spans(&RULE, patch), ["hostPID: true"]);
    }

    #[test]
    fn kubernetes_own_namespace_passes() {
        assert_k8s_clean(&RULE, &pod("  hostPID: false\n", ""));
        assert_k8s_clean(&RULE, &pod("", ""));
        assert_k8s_clean(&RULE, &pod("  hostPID: \"true\"\n", ""));
        // Set on the container instead of the pod, the field means nothing.
        assert_k8s_clean(&RULE, &pod("", "      hostPID: true\n"));
    }
}
