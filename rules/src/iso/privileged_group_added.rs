use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags supplementary groups (Compose `group_add`) that grant root-equivalent access: the root group
    /// (`0`, `root`), the groups that own a container or VM manager's socket (`docker`, `lxd`, `libvirt`),
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
    /// ## References
    /// - [Compose file reference: group_add](https://docs.docker.com/reference/compose-file/services/#group_add)
    /// - [Docker: Docker daemon attack surface](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    code: "ISO032",
    name: "privileged-group-added",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: [],
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
                &format!("Remove `{name}` from `supplementalGroups`; give the container a group of its own."),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

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
}
