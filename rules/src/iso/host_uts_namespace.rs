use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that share the host's UTS namespace: Compose `uts: host`.
    ///
    /// ## Why is this bad?
    /// The UTS namespace holds the hostname and NIS domain name. Sharing it shows the container the host's
    /// name, and a container that also holds `SYS_ADMIN` (or runs privileged) can rename the host:
    /// monitoring, logs, certificates and clustered software that identify the machine by its hostname
    /// then see another machine. Few workloads need it.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   agent:
    ///     image: example/agent:1.9
    ///     uts: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   agent:
    ///     image: example/agent:1.9
    ///     hostname: agent
    /// ```
    ///
    /// ## References
    /// - [uts_namespaces(7)](https://man7.org/linux/man-pages/man7/uts_namespaces.7.html)
    /// - [Compose file reference: uts](https://docs.docker.com/reference/compose-file/services/#uts)
    /// - CIS Docker Benchmark v1.6.0, 5.21 "Ensure that the host's UTS namespace is not shared"
    code: "ISO020",
    name: "host-uts-namespace",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::Uts) {
        r.report(shared.range, "Container shares the host's UTS namespace (hostname)").help(
            help::for_format(
                container.format,
                "Give the container a UTS namespace of its own.",
                "Remove `uts: host`; set the container's name with `hostname:` if the service needs one.",
                "Give the container a UTS namespace of its own; set `hostname` on the pod if it needs one.",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn host_uts_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    uts: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["uts: host"]);
    }

    #[test]
    fn a_private_uts_namespace_passes() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    hostname: web\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    uts: ${UTS}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    network_mode: host\n");
    }
}
