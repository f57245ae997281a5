use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags pods that declare a `hostPath` volume (`spec.volumes[*].hostPath`), whichever node directory
    /// it names and whether or not a container mounts it.
    ///
    /// ## Why is this bad?
    /// A hostPath volume hands the pod a directory of the node it happens to run on. Written to, it lets
    /// the pod plant files the node executes or trusts (cron jobs, kubelet configuration, binaries);
    /// read, it exposes the node's logs, credentials and other pods' secrets under `/var/lib/kubelet`. Even
    /// `readOnly` mounts have been escaped through symbolic links and sub-paths, and the data ties the pod
    /// to one node. The Pod Security Standards forbid hostPath volumes from the baseline level up.
    ///
    /// Paths that are dangerous in themselves are reported more specifically by `sensitive-host-path-mounted`
    /// (ISO013) and `container-runtime-socket-mounted` (ISO012); this rule reports every hostPath volume,
    /// as the baseline policy does.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: log-reader
    /// spec:
    ///   containers:
    ///     - name: reader
    ///       image: example/reader:1.2
    ///       volumeMounts:
    ///         - name: logs
    ///           mountPath: /logs
    ///   volumes:
    ///     - name: logs
    ///       hostPath:
    ///         path: /var/log
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: log-reader
    /// spec:
    ///   containers:
    ///     - name: reader
    ///       image: example/reader:1.2
    ///       volumeMounts:
    ///         - name: logs
    ///           mountPath: /logs
    ///   volumes:
    ///     - name: logs
    ///       persistentVolumeClaim:
    ///         claimName: logs
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: HostPath Volumes](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [Kubernetes volumes: hostPath](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    code: "ISO040",
    name: "host-path-volume",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["hostPathSet", "KSV-0023"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let Some(volumes) = tree.get(pod.spec, "volumes") else { continue };
        for &volume in tree.items(volumes) {
            let Some(key) = pods::key_range(tree, volume, "hostPath") else { continue };
            let path = tree.path(volume, &["hostPath", "path"]).and_then(|p| string(tree, p));
            let message = match path {
                Some(path) => {
                    format!("Pod mounts the node's directory `{}` through a hostPath volume", path.value)
                }
                None => "Pod mounts a directory of the node through a hostPath volume".to_string(),
            };
            r.report(key, message).help(
                "Use a volume that is not a node directory (`emptyDir`, `configMap`, `secret`, a \
                 `persistentVolumeClaim`); leave node access to reviewed system DaemonSets.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn every_host_path_volume_points_at_its_key() {
        let yaml = pod(
            "  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log\n    - name: tmp\n      emptyDir: {}\n    - name: sock\n      hostPath: {path: /run/containerd/containerd.sock, type: Socket}\n",
            "",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostPath", "hostPath"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Pod mounts the node's directory `/var/log` through a hostPath volume");
    }

    #[test]
    fn unmounted_volumes_and_controllers_count() {
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: example/agent:1\n      volumes:\n        - name: root\n          hostPath:\n            path: /\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["hostPath"]);
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n  volumes:\n    - name: x\n      hostPath: {}\n";
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "Pod mounts a directory of the node through a hostPath volume"
        );
    }

    #[test]
    fn other_volumes_and_objects_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("  volumes:\n    - name: data\n      persistentVolumeClaim: {claimName: data}\n", ""),
        );
        assert_k8s_clean(&RULE, &pod("", ""));
        // A PersistentVolume may use hostPath: it is the administrator's object, not a pod's.
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  hostPath:\n    path: /mnt/data\n",
        );
    }
}
