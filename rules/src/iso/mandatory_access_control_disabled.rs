use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Profile, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that run outside the host's mandatory access control: Compose
    /// `security_opt: ["apparmor:unconfined"]`, `label:disable`, or the unconfined SELinux type
    /// `label:type:spc_t`.
    ///
    /// ## Why is this bad?
    /// AppArmor and SELinux confine container processes independently of users and capabilities, which
    /// makes them the layer that still holds when another one fails. Docker's default AppArmor profile denies
    /// mounts, writes to `/proc/sys` and `/proc/sysrq-trigger`, most of `/sys` and tracing of processes
    /// outside the container. SELinux runs containers as `container_t` with a category pair of their own,
    /// so an escaped process still cannot touch host files or other containers' data; enforcing SELinux is
    /// what stopped the runc overwrite (CVE-2019-5736) on hosts that had it. Turning the layer off removes
    /// that protection for every other mistake in the file.
    ///
    /// A custom profile (`apparmor:my-profile`, `label:type:my_container_t`) is not reported.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     volumes:
    ///       - ./data:/data
    ///     security_opt:
    ///       - label:disable
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     volumes:
    ///       - ./data:/data:Z
    /// ```
    ///
    /// ## References
    /// - [Docker: AppArmor security profiles](https://docs.docker.com/engine/security/apparmor/)
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [Kubernetes Pod Security Standards: baseline](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.2 "Ensure that, if applicable, an AppArmor Profile is enabled" and
    ///   5.3 "Ensure that, if applicable, SELinux security options are set"
    code: "ISO030",
    name: "mandatory-access-control-disabled",
    family: Iso,
    severity: Error,
    formats: [Compose],
    aliases: ["KSV-0002", "KSV-0025"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if let Setting::Explicit(Profile::Unconfined, range) | Setting::Inherited(Profile::Unconfined, range) =
        container.runtime.apparmor
    {
        r.report(range, "Container runs without AppArmor confinement").help(help::for_format(
            container.format,
            "Keep the runtime's default AppArmor profile.",
            "Remove `apparmor:unconfined`; if the default profile blocks something the service needs, load a \
             profile that allows just that and name it with `apparmor:<profile>`.",
            "Set `appArmorProfile.type: RuntimeDefault`, or `Localhost` with a profile loaded on the nodes.",
        ));
    }
    if let Some(range) = container.runtime.selinux_disabled {
        r.report(range, "Container runs without SELinux confinement").help(help::for_format(
            container.format,
            "Keep the runtime's SELinux labelling.",
            "Remove the option; to give the service access to a bind mount, relabel it with a `:z` (shared) or \
             `:Z` (private) suffix on the volume instead.",
            "Remove the privileged `seLinuxOptions.type`; keep the runtime's default container type.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    fn service(options: &str) -> String {
        format!("services:\n  a:\n    image: x:1\n    security_opt:\n{options}")
    }

    #[test]
    fn apparmor_unconfined() {
        assert_eq!(compose_spans(&RULE, &service("      - apparmor:unconfined\n")), ["apparmor:unconfined"]);
        assert_eq!(
            compose_spans(&RULE, &service("      - \"apparmor=unconfined\"\n")),
            ["\"apparmor=unconfined\""]
        );
    }

    #[test]
    fn selinux_disabled_or_unconfined_type() {
        for option in ["label:disable", "label=disable", "label:type:spc_t", "label=type:spc_t"] {
            let yaml = service(&format!("      - {option}\n"));
            assert_eq!(compose_spans(&RULE, &yaml), [option]);
        }
        let found = lint_compose(&RULE, &service("      - label:disable\n"));
        assert_eq!(found[0].message, "Container runs without SELinux confinement");
    }

    #[test]
    fn both_layers_off_are_two_findings() {
        let yaml = service("      - apparmor:unconfined\n      - label:disable\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["apparmor:unconfined", "label:disable"]);
    }

    #[test]
    fn default_and_custom_profiles_pass() {
        for option in [
            "apparmor:docker-default",
            "apparmor=my-profile",
            "label:type:container_t",
            "label:level:s0:c100,c200",
            "apparmor:${PROFILE}",
            "seccomp:unconfined",
        ] {
            assert_compose_clean(&RULE, &service(&format!("      - {option}\n")));
        }
    }
}
