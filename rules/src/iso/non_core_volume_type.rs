use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags pod volumes of a type the Pod Security Standards restricted level does not allow: a volume
    /// that names its storage in the pod (`nfs`, `iscsi`, `gitRepo`, `flexVolume`, a cloud disk…) rather
    /// than `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`,
    /// `projected` or `secret`.
    ///
    /// `hostPath` volumes are reported by `host-path-volume` (ISO040). The rule is off by default; enable
    /// it for workloads that must meet the restricted level.
    ///
    /// ## Why is this bad?
    /// A pod that names its storage directly (an NFS server and path, an iSCSI target, a Ceph monitor, a
    /// cloud disk id) makes the node mount it with the node's own credentials and kernel drivers, outside
    /// the PersistentVolume objects through which cluster administrators grant storage. Some of these
    /// types do more than mount: `flexVolume` runs a driver binary on the node as root, and `gitRepo`
    /// (deprecated) runs `git` on the node against a repository the pod chooses, which has been used to
    /// run code on the node. The restricted level allows only the core volume types and storage requested
    /// through PersistentVolumeClaims or CSI.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:3.1
    ///       volumeMounts:
    ///         - name: shared
    ///           mountPath: /shared
    ///   volumes:
    ///     - name: shared
    ///       nfs:
    ///         server: nfs.example.internal
    ///         path: /exports/shared
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:3.1
    ///       volumeMounts:
    ///         - name: shared
    ///           mountPath: /shared
    ///   volumes:
    ///     - name: shared
    ///       persistentVolumeClaim:
    ///         claimName: shared
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Volume Types (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Kubernetes volume types](https://kubernetes.io/docs/concepts/storage/volumes/#volume-types)
    code: "ISO044",
    name: "non-core-volume-type",
    family: Iso,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["KSV-0028"],
    checks: [Check::Kubernetes(check)],
}

/// The volume types of the pod API that the restricted level forbids, `hostPath` aside. Keys that are not
/// volume types (a typo, an extension) are dropped by the API server and are not reported.
const FORBIDDEN: [&str; 20] = [
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "iscsi",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let Some(volumes) = tree.get(pod.spec, "volumes") else { continue };
        for &volume in tree.items(volumes) {
            for entry in tree.entries(volume) {
                let Some(kind) = tree.key_text(entry).filter(|k| FORBIDDEN.contains(k)) else { continue };
                let name = tree.get(volume, "name").and_then(|n| string(tree, n));
                let message = match name {
                    Some(name) => format!(
                        "Volume `{}` is of type `{kind}`, which the restricted Pod Security level does not allow",
                        name.value
                    ),
                    None => format!(
                        "Volume is of type `{kind}`, which the restricted Pod Security level does not allow"
                    ),
                };
                let help = if kind == "gitRepo" {
                    "Clone the repository in an init container into an `emptyDir` volume; `gitRepo` is \
                     deprecated and runs `git` on the node."
                        .to_string()
                } else {
                    format!(
                        "Request the storage through a `persistentVolumeClaim` (backed by a PersistentVolume \
                         or a CSI driver) instead of a `{kind}` volume in the pod."
                    )
                };
                r.report(tree.node(entry.key).range, message).help(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn forbidden_types_point_at_their_key() {
        let yaml = pod(
            "  volumes:\n    - name: shared\n      nfs: {server: nfs, path: /x}\n    - name: repo\n      gitRepo:\n        repository: https://example.com/r.git\n    - name: cfg\n      configMap: {name: c}\n",
            "",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["nfs", "gitRepo"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Volume `shared` is of type `nfs`, which the restricted Pod Security level does not allow"
        );
        assert!(found[1].help.as_deref().is_some_and(|h| h.contains("init container")));
    }

    #[test]
    fn core_types_host_path_and_unknown_keys_pass() {
        let yaml = pod(
            "  volumes:\n    - {name: a, configMap: {name: c}}\n    - {name: b, csi: {driver: d}}\n    - {name: c, downwardAPI: {items: []}}\n    - {name: d, emptyDir: {}}\n    - {name: e, ephemeral: {}}\n    - {name: f, image: {reference: x}}\n    - {name: g, persistentVolumeClaim: {claimName: g}}\n    - {name: h, projected: {sources: []}}\n    - {name: i, secret: {secretName: s}}\n    - {name: j, hostPath: {path: /x}}\n    - {name: k, nsf: {}}\n",
            "",
        );
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn persistent_volumes_may_name_their_storage() {
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv\nspec:\n  nfs:\n    server: nfs\n    path: /x\n",
        );
    }
}
