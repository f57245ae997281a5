use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose processes may gain privileges: a Compose service without
    /// `security_opt: ["no-new-privileges:true"]`, or with `no-new-privileges:false`.
    ///
    /// ## Why is this bad?
    /// Without the kernel's `no_new_privs` flag, running a setuid or setgid binary, or one with file
    /// capabilities, raises the privileges of the process that runs it. A compromised application running as
    /// an unprivileged user can then become root inside the container through `sudo`, `su`, a setuid helper
    /// left in the image or one it writes itself, and continue from there toward the host. With the flag
    /// set, `execve` never grants more privileges than the caller already has, at no cost to applications
    /// that do not rely on setuid binaries.
    ///
    /// A service with no `security_opt` at all necessarily lacks the flag, so this rule also covers KICS'
    /// "Security Opt Not Set". Services completed by another file (override files, `extends` from another
    /// file, services with neither `image` nor `build`) are only checked for an explicit
    /// `no-new-privileges:false`. A daemon-wide `"no-new-privileges": true` in `daemon.json` is not visible
    /// in the file; set the option on the service too so the file says what it relies on.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     security_opt:
    ///       - no-new-privileges:true
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [Linux kernel: no_new_privs](https://docs.kernel.org/userspace-api/no_new_privs.html)
    /// - CIS Docker Benchmark v1.6.0, 5.26 "Ensure that the container is restricted from acquiring additional privileges"
    code: "ISO022",
    name: "privilege-escalation-allowed",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: [
        "27fcc7d6-c49b-46e0-98f1-6c082a6a2750", "610e266e-6c12-4bca-9925-1ed0cd29742b",
        "5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d", "CKV_K8S_20", "KSV-0001", "privilege-escalation-container",
        "privilegeEscalationAllowed",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    match container.runtime.privilege_escalation {
        Setting::Explicit(true, range) | Setting::Inherited(true, range) => {
            r.report(
                range,
                "Privilege escalation is explicitly allowed, so setuid binaries can gain privileges",
            )
            .help(help::for_format(
                container.format,
                "Run the container with no-new-privileges.",
                "Change the option to `no-new-privileges:true`.",
                "Set `securityContext.allowPrivilegeEscalation: false`.",
            ));
        }
        Setting::Unset { anchor } if !container.partial => {
            r.report(anchor, "Privilege escalation is not disabled, so setuid binaries can gain privileges")
                .help(help::for_format(
                    container.format,
                    "Run the container with no-new-privileges.",
                    "Add `security_opt: [\"no-new-privileges:true\"]` to the service.",
                    "Set `securityContext.allowPrivilegeEscalation: false`.",
                ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn a_service_without_the_option_points_at_its_key() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    security_opt: [no-new-privileges:true]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
        let yaml = "services:\n  api:\n    image: a:1\n    security_opt:\n      - seccomp:./profile.json\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
    }

    #[test]
    fn an_explicit_false_points_at_the_option() {
        let yaml = "services:\n  api:\n    image: a:1\n    security_opt:\n      - no-new-privileges:false\n";
        assert_eq!(compose_spans(&RULE, yaml), ["no-new-privileges:false"]);
        let yaml = "services:\n  api:\n    image: a:1\n    security_opt: [\"no-new-privileges:FALSE\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"no-new-privileges:FALSE\""]);
        // Reported even where the rest of the definition lives elsewhere.
        let yaml = "services:\n  api:\n    security_opt: [\"no-new-privileges=false\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"no-new-privileges=false\""]);
    }

    #[test]
    fn every_spelling_of_the_option_counts() {
        for option in [
            "no-new-privileges",
            "no-new-privileges:true",
            "no-new-privileges=true",
            "\"no-new-privileges:1\"",
            "no-new-privileges:${NNP:-true}",
            "no-new-privileges:True",
        ] {
            assert_compose_clean(
                &RULE,
                &format!("services:\n  a:\n    image: x:1\n    security_opt:\n      - {option}\n"),
            );
        }
    }

    #[test]
    fn a_value_the_daemon_rejects_sets_nothing() {
        let yaml = "services:\n  api:\n    image: a:1\n    security_opt: [\"no-new-privileges:yes\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
    }

    #[test]
    fn inherited_through_extends_and_anchors() {
        let yaml = "x-hardening: &hardening\n  security_opt: [no-new-privileges:true]\nservices:\n  a:\n    image: x:1\n    <<: *hardening\n  b:\n    extends: a\n";
        assert_compose_clean(&RULE, yaml);
    }

    #[test]
    fn partial_services_are_skipped() {
        assert_compose_clean(&RULE, "services:\n  a:\n    environment:\n      A: 1\n");
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
        );
    }
}
