use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::{help, pods};

declare_rule! {
    /// ## What it does
    /// Flags containers that share the host's IPC namespace: Compose `ipc: host`, Kubernetes `hostIPC: true`
    /// in the pod spec.
    ///
    /// ## Why is this bad?
    /// The container shares the host's System V shared-memory segments, semaphores and message queues, and
    /// the host's `/dev/shm` is mounted into it. Root in the container is UID 0 and holds `DAC_OVERRIDE` by
    /// default, so it can read, rewrite and delete the shared memory of host processes and of other
    /// containers: database buffers, the frames of graphical applications, the queues processes use to talk
    /// to each other. Reading that memory leaks data; writing it corrupts or takes over the process that
    /// trusts it.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   worker:
    ///     image: example/worker:5.0
    ///     ipc: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   worker:
    ///     image: example/worker:5.0
    ///     ipc: "service:broker"
    ///   broker:
    ///     image: example/broker:5.0
    ///     ipc: shareable
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///     - name: worker
    ///       image: example/worker:5.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: example/worker:5.0
    /// ```
    ///
    /// ## References
    /// - [ipc_namespaces(7)](https://man7.org/linux/man-pages/man7/ipc_namespaces.7.html)
    /// - [Compose file reference: ipc](https://docs.docker.com/reference/compose-file/services/#ipc)
    /// - [Kubernetes Pod Security Standards: host namespaces](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.17 "Ensure that the host's IPC namespace is not shared"
    code: "ISO018",
    name: "host-ipc-namespace",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: [
        "baa3890f-bed7-46f5-ab8f-1da8fc91c729", "cd290efd-6c82-4e9d-a698-be12ae31d536", "CKV_K8S_18",
        "KSV-0008", "host-ipc", "hostIPCSet",
    ],
    checks: [Check::Container(check), Check::Kubernetes(check_kubernetes)],
}

const MESSAGE: &str = "Container shares the host's IPC namespace";

const KUBERNETES_HELP: &str = "Remove `hostIPC: true`; containers of one pod already share an IPC namespace.";

fn check(container: &Container, r: &mut Reporter) {
    // A pod field: `check_kubernetes` reports it once per pod, with or without containers.
    if container.format == Format::Kubernetes {
        return;
    }
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::Ipc) {
        r.report(shared.range, MESSAGE).help(help::for_format(
            container.format,
            "Give the container an IPC namespace of its own.",
            "Remove `ipc: host`; to share memory with another service, mark that one `ipc: shareable` and use \
             `ipc: \"service:<name>\"`.",
            KUBERNETES_HELP,
        ));
    }
}

fn check_kubernetes(ctx: &KubernetesCtx, r: &mut Reporter) {
    for range in pods::switched_on(ctx, "hostIPC") {
        r.report(range, MESSAGE).help(KUBERNETES_HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn host_ipc_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    ipc: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["ipc: host"]);
        let yaml = "services:\n  a:\n    image: x:1\n    ipc: ${IPC:-host}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["ipc: ${IPC:-host}"]);
    }

    #[test]
    fn private_shareable_and_service_ipc_pass() {
        for mode in ["private", "shareable", "\"service:broker\"", "\"container:x\"", "${IPC}", "none"] {
            assert_compose_clean(&RULE, &format!("services:\n  a:\n    image: x:1\n    ipc: {mode}\n"));
        }
    }

    #[test]
    fn kubernetes_pod_field_points_at_the_setting() {
        let yaml = pod("  hostIPC: true\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostIPC: true"]);
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostIPC: true\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: a\n          image: x:1\n        - name: b\n          image: y:1\n";
        // One pod field, one finding, however many containers the pod runs.
        assert_eq!(k8s_spans(&RULE, yaml), ["hostIPC: true"]);
        // A patch that only switches the field on is reported too.
        let patch = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      hostIPC: true\n";
        assert_eq!(k8s_spans(&RULE, patch), ["hostIPC: true"]);
    }

    #[test]
    fn kubernetes_own_namespace_passes() {
        assert_k8s_clean(&RULE, &pod("  hostIPC: false\n", ""));
        assert_k8s_clean(&RULE, &pod("", ""));
        assert_k8s_clean(&RULE, &pod("  hostIPC: \"true\"\n", ""));
        // Set on the container instead of the pod, the field means nothing.
        assert_k8s_clean(&RULE, &pod("", "      hostIPC: true\n"));
    }
}
