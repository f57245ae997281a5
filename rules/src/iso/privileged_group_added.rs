use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags supplementary groups (Compose `group_add`, Kubernetes `supplementalGroups` and `fsGroup`) that
    /// grant root-equivalent access: the root group (`0`, `root`), the groups that own a container or VM manager's socket (`docker`, `lxd`, `libvirt`),
    /// raw disk and memory devices (`disk`, `kmem`), and the groups `sudo` commonly trusts (`sudo`,
    /// `wheel`, `admin`).
    ///
    /// ## Why is this bad?
    /// Supplementary groups decide what a process may do with group-owned files and devices, and a few groups
    /// exist precisely to hand out root's power:
    ///
    /// - `docker`, `lxd`, `libvirt` own the sockets of daemons that run containers or VMs as root: whoever
    ///   can talk to them can start a privileged container or a VM with the host's disk, which is root on
    ///   the host.
    /// - `disk` reads and writes block devices directly, bypassing every file permission on them; `kmem`
    ///   reads kernel and physical memory.
    /// - `0` (`root`) owns most system files and any host path a mount exposes with root-group permissions.
    /// - `sudo`, `wheel` and `admin` may run anything as root wherever the image ships a `sudo`
    ///   configuration that trusts them.
    ///
    /// A service that runs as an unprivileged user but carries one of these groups has given back what the
    /// user change was meant to take away. Names are resolved in the image's `/etc/group`; numeric GIDs
    /// other than 0 differ from host to host and are not reported.
    ///
    /// Kubernetes takes numeric GIDs only, so there the rule reports GID 0: in the pod's
    /// `supplementalGroups`, and in its `fsGroup`, which the kubelet adds to every container's groups and
    /// gives the pod's volumes to. A pod-level list is reported once for the pod. A root primary group
    /// (`runAsGroup: 0`) is `container-runs-with-root-group`'s finding.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   ci-agent:
    ///     image: example/ci-agent:6.2
    ///     user: "10001"
    ///     group_add:
    ///       - docker
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   ci-agent:
    ///     image: example/ci-agent:6.2
    ///     user: "10001"
    ///     group_add:
    ///       - "10001"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-agent
    /// spec:
    ///   securityContext:
    ///     runAsUser: 10001
    ///     fsGroup: 0
    ///   containers:
    ///     - name: agent
    ///       image: example/ci-agent:6.2
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-agent
    /// spec:
    ///   securityContext:
    ///     runAsUser: 10001
    ///     fsGroup: 10001
    ///   containers:
    ///     - name: agent
    ///       image: example/ci-agent:6.2
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: group_add](https://docs.docker.com/reference/compose-file/services/#group_add)
    /// - [Kubernetes: configure a security context for a pod](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Docker: Docker daemon attack surface](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    code: "ISO032",
    name: "privileged-group-added",
    family: Iso,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: ["KSV-0116"],
    checks: [Check::Container(check)],
}

/// Each group with what membership grants, completing "which …".
const GROUPS: &[(&str, &str)] = &[
    ("0", "owns most system files and the host paths mounted with root-group permissions"),
    ("root", "owns most system files and the host paths mounted with root-group permissions"),
    ("docker", "controls the Docker daemon's socket and through it the host"),
    ("lxd", "controls the LXD daemon's socket and through it the host"),
    ("libvirt", "controls the libvirt daemon's socket, through which VMs get the host's disks"),
    ("disk", "reads and writes block devices directly, past every file permission on them"),
    ("kmem", "reads kernel and physical memory through /dev/mem and /dev/kmem"),
    ("sudo", "may run any command as root where the image configures sudo"),
    ("wheel", "may run any command as root where the image configures sudo"),
    ("admin", "may run any command as root where the image configures sudo"),
];

fn check(container: &Container, r: &mut Reporter) {
    for group in &container.runtime.groups {
        let name = group.value.trim();
        let Some((_, grants)) = GROUPS.iter().find(|(g, _)| *g == name) else { continue };
        r.report(group.range, format!("Container is added to the `{name}` group, which {grants}")).help(
            help::for_format(
                container.format,
                "Do not add the group; grant access to the specific file or device the workload needs.",
                &format!(
                    "Remove `{name}` from `group_add`; grant access to the specific file or device the service \
                     needs through a group of its own."
                ),
                "Use non-zero GIDs in `supplementalGroups` and `fsGroup`, groups of the pod's own.",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    fn service(groups: &str) -> String {
        format!("services:\n  a:\n    image: x:1\n    user: \"1000\"\n    group_add:\n{groups}")
    }

    #[test]
    fn privileged_groups_point_at_their_item() {
        let yaml = service("      - docker\n      - \"0\"\n      - video\n      - 0\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["docker", "\"0\"", "0"]);
        let yaml = "services:\n  a:\n    image: x:1\n    group_add: [disk, 'wheel', \"${G:-root}\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["disk", "'wheel'", "\"${G:-root}\""]);
    }

    #[test]
    fn the_message_says_what_the_group_grants() {
        let found = lint_compose(&RULE, &service("      - docker\n"));
        assert_eq!(
            found[0].message,
            "Container is added to the `docker` group, which controls the Docker daemon's socket and through it the host"
        );
    }

    #[test]
    fn ordinary_groups_pass() {
        assert_compose_clean(
            &RULE,
            &service("      - dialout\n      - video\n      - \"999\"\n      - users\n"),
        );
        assert_compose_clean(&RULE, &service("      - ${DOCKER_GID}\n      - dockerd\n      - Docker\n"));
    }

    #[test]
    fn kubernetes_root_gid_in_supplemental_groups_and_fs_group() {
        let yaml = pod("  securityContext:\n    supplementalGroups: [1000, 0]\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    fsGroup: 0\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: y:1\n";
        // One pod field, one finding.
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(yaml), "0");
        assert_eq!(found[0].range.start as usize, yaml.find("fsGroup: 0").unwrap_or_default() + 9);
        assert_eq!(
            found[0].help.as_deref(),
            Some("Use non-zero GIDs in `supplementalGroups` and `fsGroup`, groups of the pod's own.")
        );
    }

    #[test]
    fn kubernetes_other_groups_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("  securityContext:\n    supplementalGroups: [1000, 999]\n    fsGroup: 2000\n", ""),
        );
        // `runAsGroup` is the primary group: another rule's finding.
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    runAsGroup: 0\n", ""));
        // Groups are a pod field; a container's securityContext has none.
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        supplementalGroups: [0]\n"));
    }
}
