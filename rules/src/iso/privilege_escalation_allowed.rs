use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose processes may gain privileges: a Compose service without
    /// `security_opt: ["no-new-privileges:true"]`, or with `no-new-privileges:false`; a Kubernetes container
    /// whose `securityContext.allowPrivilegeEscalation` is not `false`.
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
    /// In Kubernetes, `allowPrivilegeEscalation` is a container field; left out, the kubelet does not set the
    /// flag. A container without an `image` is a patch completed by another file and is only checked for an
    /// explicit `true`. A privileged container cannot have the flag at all (the API server rejects
    /// `allowPrivilegeEscalation: false` next to `privileged: true`), so the help says to drop `privileged`
    /// first. The flag only stops `execve` from adding privileges: it takes nothing away from a container
    /// that already holds them, such as one granted `SYS_ADMIN` (Kubernetes documents escalation as always
    /// allowed for privileged and `SYS_ADMIN` containers); `privileged-container` and
    /// `dangerous-capability-added` report those.
    ///
    /// Windows containers (a Windows image, a Kubernetes pod for Windows nodes) are not checked: Windows
    /// has no such setting.
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
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:2.1
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:2.1
    ///       securityContext:
    ///         allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [Kubernetes: security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Kubernetes Pod Security Standards: privilege escalation](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Linux kernel: no_new_privs](https://docs.kernel.org/userspace-api/no_new_privs.html)
    /// - CIS Docker Benchmark v1.6.0, 5.26 "Ensure that the container is restricted from acquiring additional privileges"
    code: "ISO022",
    name: "privilege-escalation-allowed",
    family: Iso,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: [
        "27fcc7d6-c49b-46e0-98f1-6c082a6a2750", "610e266e-6c12-4bca-9925-1ed0cd29742b",
        "5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d", "CKV_K8S_20", "KSV-0001", "privilege-escalation-container",
        "privilegeEscalationAllowed",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    // Windows has no setuid binaries and no no-new-privileges flag.
    if container.windows {
        return;
    }
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
            // The API server refuses `allowPrivilegeEscalation: false` on a privileged container.
            let kubernetes = if container.runtime.privileged.value() == Some(&true) {
                "Remove `privileged: true`, then set `securityContext.allowPrivilegeEscalation: false`."
            } else {
                "Set `securityContext.allowPrivilegeEscalation: false`."
            };
            r.report(anchor, "Privilege escalation is not disabled, so setuid binaries can gain privileges")
                .help(help::for_format(
                    container.format,
                    "Run the container with no-new-privileges.",
                    "Add `security_opt: [\"no-new-privileges:true\"]` to the service.",
                    kubernetes,
                ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_k8s, pod};

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

    #[test]
    fn kubernetes_unset_points_at_the_container_name() {
        assert_eq!(k8s_spans(&RULE, &pod("", "")), ["app"]);
        // `allowPrivilegeEscalation` is a container field: at pod level the API server drops it.
        assert_eq!(
            k8s_spans(&RULE, &pod("  securityContext:\n    allowPrivilegeEscalation: false\n", "")),
            ["app"]
        );
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: migrate\n              image: example/migrate:1\n          containers:\n            - name: report\n              image: example/report:1\n              securityContext:\n                allowPrivilegeEscalation: false\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["migrate"]);
    }

    #[test]
    fn kubernetes_explicit_true_points_at_the_setting() {
        let yaml = pod("", "      securityContext:\n        allowPrivilegeEscalation: true\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["allowPrivilegeEscalation: true"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Privilege escalation is explicitly allowed, so setuid binaries can gain privileges"
        );
    }

    #[test]
    fn kubernetes_privileged_containers_get_help_that_validates() {
        let yaml = pod("", "      securityContext:\n        privileged: true\n");
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].help.as_deref(),
            Some("Remove `privileged: true`, then set `securityContext.allowPrivilegeEscalation: false`.")
        );
    }

    #[test]
    fn kubernetes_disabled_unknown_and_patches_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        allowPrivilegeEscalation: false\n"),
        );
        // A string is rejected by the API server: not a value to guess from.
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        allowPrivilegeEscalation: \"yes\"\n"),
        );
        // A patch without an image: the object it patches may set the field.
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env: [{name: A, value: b}]\n";
        assert_k8s_clean(&RULE, patch);
    }
}

#[cfg(test)]
mod windows {
    #[test]
    fn windows_containers_are_not_checked() {
        crate::testing::assert_windows_containers_clean(&super::RULE);
    }
}
