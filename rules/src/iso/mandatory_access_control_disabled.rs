use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Profile, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that run outside the host's mandatory access control: Compose
    /// `security_opt: ["apparmor:unconfined"]`, `label:disable`, or the unconfined SELinux type
    /// `label:type:spc_t`; Kubernetes `appArmorProfile.type: Unconfined` (or the legacy `unconfined`
    /// annotation) and `seLinuxOptions.type: spc_t`.
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
    /// In Kubernetes the container's `appArmorProfile` and `seLinuxOptions` win over the pod's; where no
    /// AppArmor field is set, the pod template's annotation
    /// `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` counts. Besides `spc_t`, the
    /// SELinux types that run unconfined are reported: `unconfined_t` and the container runtime's own
    /// `container_runtime_t` (formerly `docker_t`). The Pod Security Standards "baseline" profile is stricter:
    /// it allows only the `container_t`, `container_init_t`, `container_kvm_t` and `container_engine_t` types
    /// and no `seLinuxOptions.user` or `role`; other custom types, users and roles are custom policy, not
    /// disabled confinement, and are not reported here. A pod-level setting is reported once for the pod.
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
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    ///       securityContext:
    ///         appArmorProfile:
    ///           type: Unconfined
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
    ///       image: example/app:1.0
    ///       securityContext:
    ///         appArmorProfile:
    ///           type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - [Docker: AppArmor security profiles](https://docs.docker.com/engine/security/apparmor/)
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [Kubernetes: restrict a container's access to resources with AppArmor](https://kubernetes.io/docs/tutorials/security/apparmor/)
    /// - [Kubernetes: assign SELinux labels to a container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container)
    /// - [Kubernetes Pod Security Standards: baseline](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - CIS Docker Benchmark v1.6.0, 5.2 "Ensure that, if applicable, an AppArmor Profile is enabled" and
    ///   5.3 "Ensure that, if applicable, SELinux security options are set"
    code: "ISO030",
    name: "mandatory-access-control-disabled",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
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
            "Remove the unconfined `seLinuxOptions.type`; keep the runtime's default `container_t`.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

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

    #[test]
    fn kubernetes_apparmor_unconfined() {
        let yaml = pod("", "      securityContext:\n        appArmorProfile:\n          type: Unconfined\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["Unconfined"]);
        // The pod's profile, once for both containers.
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    appArmorProfile: {type: Unconfined}\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: y:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["Unconfined"]);
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n    spec:\n      containers:\n        - name: app\n          image: x:1\n        - name: other\n          image: y:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["unconfined"]);
        assert_eq!(lint_k8s(&RULE, yaml)[0].message, "Container runs without AppArmor confinement");
    }

    #[test]
    fn kubernetes_unconfined_selinux_types() {
        for ty in ["spc_t", "unconfined_t", "container_runtime_t"] {
            let yaml =
                pod("", &format!("      securityContext:\n        seLinuxOptions:\n          type: {ty}\n"));
            assert_eq!(k8s_spans(&RULE, &yaml), [ty]);
        }
        let yaml = pod("  securityContext:\n    seLinuxOptions:\n      type: spc_t\n", "");
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container runs without SELinux confinement");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some("Remove the unconfined `seLinuxOptions.type`; keep the runtime's default `container_t`.")
        );
    }

    #[test]
    fn kubernetes_default_and_custom_confinement_passes() {
        for context in [
            "appArmorProfile: {type: RuntimeDefault}",
            "appArmorProfile: {type: Localhost, localhostProfile: k8s-apparmor-example-deny-write}",
            "seLinuxOptions: {type: container_t, level: \"s0:c123,c456\"}",
            "seLinuxOptions: {type: container_init_t}",
            "seLinuxOptions: {type: my_custom_t}",
            "seLinuxOptions: {user: system_u, role: system_r}",
        ] {
            assert_k8s_clean(&RULE, &pod("", &format!("      securityContext:\n        {context}\n")));
        }
        // The container's own profile wins over the pod's.
        let yaml = pod(
            "  securityContext:\n    appArmorProfile: {type: Unconfined}\n",
            "      securityContext:\n        appArmorProfile: {type: RuntimeDefault}\n",
        );
        assert_k8s_clean(&RULE, &yaml);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: runtime/default\nspec:\n  containers:\n    - name: app\n      image: x:1\n";
        assert_k8s_clean(&RULE, yaml);
    }
}
