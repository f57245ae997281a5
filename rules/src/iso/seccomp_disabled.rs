use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Profile, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that run without seccomp filtering: Compose `security_opt: ["seccomp:unconfined"]`
    /// (or `seccomp=unconfined`).
    ///
    /// ## Why is this bad?
    /// The runtime's default seccomp profile blocks a few dozen system calls that containers have no use for
    /// and that a large share of kernel privilege-escalation exploits go through: `keyctl` and `add_key`,
    /// `bpf`, `userfaultfd`, `perf_event_open`, `kexec_load`, `init_module`, and the creation of new
    /// namespaces with `unshare` or `clone`. Unconfined, the whole kernel interface is reachable from the
    /// container, so a kernel bug that the profile would have kept out of reach becomes a path to the host.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:./seccomp/app.json
    /// ```
    ///
    /// ## References
    /// - [Docker: seccomp security profiles](https://docs.docker.com/engine/security/seccomp/)
    /// - [Kubernetes: restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - CIS Docker Benchmark v1.6.0, 5.22 "Ensure that the default seccomp profile is not disabled"
    code: "ISO023",
    name: "seccomp-disabled",
    family: Iso,
    severity: Error,
    formats: [Compose],
    aliases: ["404fde2c-bc4b-4371-9747-7054132ac953", "KSV-0104"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let (Setting::Explicit(Profile::Unconfined, range) | Setting::Inherited(Profile::Unconfined, range)) =
        container.runtime.seccomp
    else {
        return;
    };
    r.report(range, "Container runs without a seccomp profile, with every system call available").help(
        help::for_format(
            container.format,
            "Keep the runtime's default seccomp profile.",
            "Remove `seccomp:unconfined`; if the default profile blocks a call the service needs, use a copy of \
             it that allows just that call (`seccomp:./profile.json`).",
            "Set `securityContext.seccompProfile.type: RuntimeDefault`, or `Localhost` with a profile that \
             allows just the calls the container needs.",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn unconfined_points_at_the_option() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt:\n      - seccomp:unconfined\n";
        assert_eq!(compose_spans(&RULE, yaml), ["seccomp:unconfined"]);
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt: [\"seccomp=unconfined\", no-new-privileges]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"seccomp=unconfined\""]);
    }

    #[test]
    fn the_last_seccomp_option_wins() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt:\n      - seccomp:./p.json\n      - seccomp:unconfined\n";
        assert_eq!(compose_spans(&RULE, yaml), ["seccomp:unconfined"]);
    }

    #[test]
    fn default_and_custom_profiles_pass() {
        for option in
            ["seccomp:default", "seccomp=./profile.json", "seccomp:${PROFILE}", "apparmor:unconfined"]
        {
            assert_compose_clean(
                &RULE,
                &format!("services:\n  a:\n    image: x:1\n    security_opt:\n      - {option}\n"),
            );
        }
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n");
    }
}
