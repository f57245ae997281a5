use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that share the host's cgroup namespace: Compose `cgroup: host`.
    ///
    /// ## Why is this bad?
    /// In a private cgroup namespace, Docker's default on cgroup v2 hosts, the container's view of the
    /// control-group hierarchy (`/proc/self/cgroup`, `/sys/fs/cgroup`) starts at its own cgroup. In the host's
    /// namespace it sees the host's whole hierarchy: the path and ID of every container and the layout of
    /// the host's services, which is the reconnaissance cgroup-based escapes start from. A container that
    /// can also write to the cgroup filesystem (privileged, or with `SYS_ADMIN`) acts on the host's
    /// hierarchy rather than a subtree of its own.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   runner:
    ///     image: example/runner:4.1
    ///     cgroup: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   runner:
    ///     image: example/runner:4.1
    ///     cgroup: private
    /// ```
    ///
    /// ## References
    /// - [cgroup_namespaces(7)](https://man7.org/linux/man-pages/man7/cgroup_namespaces.7.html)
    /// - [Compose file reference: cgroup](https://docs.docker.com/reference/compose-file/services/#cgroup)
    code: "ISO021",
    name: "host-cgroup-namespace",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::Cgroup) {
        r.report(shared.range, "Container shares the host's cgroup namespace").help(help::for_format(
            container.format,
            "Give the container a cgroup namespace of its own.",
            "Remove `cgroup: host`, or set `cgroup: private`.",
            "Give the container a cgroup namespace of its own.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn host_cgroup_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    cgroup: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["cgroup: host"]);
    }

    #[test]
    fn private_and_parent_settings_pass() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup: private\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup_parent: host\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    cgroup: ${CG}\n");
    }
}
