use plimsoll_kubernetes::{boolean, entry_range};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Windows HostProcess containers: `securityContext.windowsOptions.hostProcess: true` in the pod
    /// spec or in a container.
    ///
    /// ## Why is this bad?
    /// A HostProcess container is not isolated at all: it runs as a process on the Windows node, in the
    /// node's network, with access to the node's filesystem and, typically, as `SYSTEM` or an
    /// administrator. Whoever controls it controls the node. It is the Windows counterpart of a privileged
    /// container, and the Pod Security Standards forbid it from the baseline level up; keep it to reviewed
    /// node-management DaemonSets in namespaces of their own.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   hostNetwork: true
    ///   securityContext:
    ///     windowsOptions:
    ///       hostProcess: true
    ///       runAsUserName: "NT AUTHORITY\\SYSTEM"
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:1.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: node-agent
    /// spec:
    ///   nodeSelector:
    ///     kubernetes.io/os: windows
    ///   containers:
    ///     - name: agent
    ///       image: example/agent:1.0
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: HostProcess](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Create a Windows HostProcess pod](https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/)
    code: "ISO045",
    name: "windows-host-process",
    family: Iso,
    severity: Error,
    formats: [Kubernetes],
    aliases: ["hostProcess", "KSV-0103"],
    checks: [Check::Kubernetes(check)],
}

/// The `hostProcess: true` entry of a securityContext, if it has one.
fn host_process(tree: &Tree, security: Option<NodeId>) -> Option<plimsoll_span::TextRange> {
    let options = tree.get(security?, "windowsOptions")?;
    let value = tree.get(options, "hostProcess")?;
    (boolean(tree, value) == Some(true)).then(|| entry_range(tree, options, "hostProcess")).flatten()
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let help = "Remove `hostProcess: true`; a HostProcess container runs on the node itself, so keep it to \
                reviewed node-management workloads in a namespace of their own.";
    for pod in pods::pod_specs(ctx) {
        if let Some(range) = host_process(tree, tree.get(pod.spec, "securityContext")) {
            r.report(
                range,
                "Pod runs its containers as Windows HostProcess containers, directly on the node",
            )
            .help(help);
        }
        for container in pods::containers(tree, pod.spec) {
            if let Some(range) = host_process(tree, tree.get(container, "securityContext")) {
                r.report(range, "Container runs as a Windows HostProcess container, directly on the node")
                    .help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn pod_and_container_host_process_point_at_the_entry() {
        let yaml = pod(
            "  securityContext:\n    windowsOptions:\n      hostProcess: true\n",
            "      securityContext:\n        windowsOptions: {hostProcess: true, runAsUserName: \"NT AUTHORITY\\\\SYSTEM\"}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostProcess: true", "hostProcess: true"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Pod runs its containers as Windows HostProcess containers, directly on the node"
        );
        assert_eq!(
            found[1].message,
            "Container runs as a Windows HostProcess container, directly on the node"
        );
    }

    #[test]
    fn false_absent_and_non_boolean_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("  securityContext:\n    windowsOptions:\n      hostProcess: false\n", ""),
        );
        assert_k8s_clean(
            &RULE,
            &pod("  securityContext:\n    windowsOptions:\n      runAsUserName: app\n", ""),
        );
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        windowsOptions:\n          hostProcess: \"true\"\n"),
        );
    }
}
