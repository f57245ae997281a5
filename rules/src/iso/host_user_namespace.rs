use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Namespace};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that opt out of user-namespace remapping: Compose `userns_mode: host`.
    ///
    /// ## Why is this bad?
    /// When the Docker daemon runs with user-namespace remapping (`userns-remap`), root in a container is an
    /// unprivileged UID on the host, so whatever escapes the container — through a mounted host path, a
    /// writable device or a kernel bug — arrives without privileges. `userns_mode: host` turns that off for
    /// the service: its root is the host's root again. On a daemon without remapping the setting changes
    /// nothing yet, but it marks the service as one that must run without the protection and removes it
    /// the day remapping is turned on.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    ///     userns_mode: host
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    /// ```
    ///
    /// ## References
    /// - [Docker: isolate containers with a user namespace](https://docs.docker.com/engine/security/userns-remap/)
    /// - [Compose file reference: userns_mode](https://docs.docker.com/reference/compose-file/services/#userns_mode)
    /// - CIS Docker Benchmark v1.6.0, 5.31 "Ensure that the host's user namespaces are not shared"
    code: "ISO019",
    name: "host-user-namespace",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: ["8af7162d-6c98-482f-868e-0d33fb675ca8"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for shared in container.runtime.host_namespaces.iter().filter(|h| h.namespace == Namespace::User) {
        r.report(shared.range, "Container shares the host's user namespace, so its root is the host's root")
            .help(help::for_format(
                container.format,
                "Run the container in a user namespace of its own.",
                "Remove `userns_mode: host`; if the service needs host UIDs for a bind mount, change the \
                 ownership of that directory instead.",
                "Set `hostUsers: false` on the pod so that it runs in a user namespace of its own.",
            ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn host_user_namespace_points_at_the_setting() {
        let yaml = "services:\n  a:\n    image: x:1\n    userns_mode: host\n";
        assert_eq!(compose_spans(&RULE, yaml), ["userns_mode: host"]);
        let yaml = "services:\n  a:\n    image: x:1\n    userns_mode: \"${USERNS:-host}\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["userns_mode: \"${USERNS:-host}\""]);
    }

    #[test]
    fn other_modes_pass() {
        for mode in ["\"\"", "${USERNS}", "private"] {
            assert_compose_clean(
                &RULE,
                &format!("services:\n  a:\n    image: x:1\n    userns_mode: {mode}\n"),
            );
        }
    }
}
