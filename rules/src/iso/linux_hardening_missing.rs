use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Profile, Setting};
use plimsoll_yaml::Tree;

use crate::support::pods;
use crate::support::security_context::{self, Contexts, PodContainer};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers that set none of the Linux hardening controls:
    /// - a seccomp profile of type `RuntimeDefault` or `Localhost` (the container's `seccompProfile`, the
    ///   pod's, or the legacy seccomp annotations);
    /// - an AppArmor profile of type `RuntimeDefault` or `Localhost` (the `appArmorProfile` field of the
    ///   container or the pod, or the legacy `container.apparmor.security.beta.kubernetes.io/<container>`
    ///   annotation);
    /// - SELinux options (`seLinuxOptions` of the container, else of the pod) other than an unconfined type;
    /// - at least one dropped capability (`capabilities.drop` not empty, with no `ALL` added back).
    ///
    /// Any one of them satisfies the rule, which reports at the container's name. Profiles set to
    /// `Unconfined` and the unconfined SELinux types (`spc_t`, …) do not count: `seccomp-disabled` (ISO023)
    /// and `mandatory-access-control-disabled` (ISO030) report them. Privileged containers are not
    /// checked (the runtime applies none of these controls to them, and `privileged-container` reports
    /// them), nor are Windows containers and containers without an `image` in a Kustomize patch.
    ///
    /// The rule is off by default: every container it reports also lacks a seccomp profile, which
    /// `seccomp-profile-missing` (ISO043) reports, and keeps its capabilities, which
    /// `capabilities-not-dropped` (ISO025) reports. It is the looser policy of Polaris' `linuxHardening`:
    /// enable it when any one control per container is the bar.
    ///
    /// ## Why is this bad?
    /// Seccomp, AppArmor, SELinux and capabilities each shrink what a compromised process can ask of the
    /// kernel, and they hold when other defences fail: a kernel bug reached through a filtered system
    /// call, a mount denied by the AppArmor profile, a host file kept out of reach by its SELinux label.
    /// A container that configures none of them depends on the nodes alone: Kubernetes applies no seccomp
    /// filter unless told to, and AppArmor and SELinux confine containers only on nodes whose operating
    /// system enables them.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: Linux kernel security constraints for pods and containers](https://kubernetes.io/docs/concepts/security/linux-kernel-security-constraints/)
    /// - [Restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - [Restrict a container's access to resources with AppArmor](https://kubernetes.io/docs/tutorials/security/apparmor/)
    /// - [Configure a security context: SELinux labels and capabilities](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    code: "ISO049",
    name: "linux-hardening-missing",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["linuxHardening"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        for PodContainer { model, contexts, .. } in security_context::containers(ctx, &pod) {
            let privileged = model.runtime.privileged.value() == Some(&true);
            if model.partial || model.windows || privileged {
                continue;
            }
            if confined(&model.runtime.seccomp)
                || confined(&model.runtime.apparmor)
                || has_selinux_options(tree, contexts, model)
                || drops_capabilities(model)
            {
                continue;
            }
            r.report(
                model.anchor,
                "Container is hardened by none of seccomp, AppArmor, SELinux or dropped capabilities",
            )
            .help(
                "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec and \
                 `capabilities.drop: [ALL]` in the container's `securityContext`.",
            );
        }
    }
}

/// A profile of the runtime's or of the node's own (`Localhost`), not `Unconfined`.
fn confined(profile: &Setting<Profile>) -> bool {
    matches!(profile.value(), Some(Profile::RuntimeDefault | Profile::Custom(_)))
}

/// `seLinuxOptions` with at least one field, and not a type that runs unconfined.
fn has_selinux_options(tree: &Tree, contexts: Contexts, container: &Container) -> bool {
    let options = contexts.field(tree, "seLinuxOptions");
    options.is_some_and(|o| !tree.entries(o).is_empty()) && container.runtime.selinux_disabled.is_none()
}

/// Some capability dropped, and not all of them added back.
fn drops_capabilities(container: &Container) -> bool {
    let caps = &container.runtime.capabilities;
    !caps.dropped.is_empty() && !caps.added.iter().any(|c| c.value == "ALL")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, assert_windows_containers_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn containers_without_any_control_point_at_their_name() {
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container is hardened by none of seccomp, AppArmor, SELinux or dropped capabilities"
        );
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext:\n            capabilities: {drop: [NET_RAW]}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["init"]);
    }

    #[test]
    fn unconfined_profiles_and_empty_settings_do_not_count() {
        for context in [
            "seccompProfile: {type: Unconfined}",
            "appArmorProfile: {type: Unconfined}",
            "seLinuxOptions: {type: spc_t}",
            "seLinuxOptions: {}",
            "capabilities: {drop: []}",
            "capabilities: {drop: [ALL], add: [ALL]}",
            "runAsNonRoot: true",
        ] {
            let yaml = pod("", &format!("      securityContext:\n        {context}\n"));
            assert_eq!(k8s_spans(&RULE, &yaml), ["app"], "{context}");
        }
        let unconfined = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\nspec:\n  containers:\n    - name: app\n      image: x:1\n";
        assert_eq!(k8s_spans(&RULE, unconfined), ["app"]);
    }

    #[test]
    fn any_one_control_at_either_level_satisfies_the_rule() {
        for context in [
            "seccompProfile: {type: RuntimeDefault}",
            "seccompProfile: {type: Localhost, localhostProfile: profiles/app.json}",
            "appArmorProfile: {type: RuntimeDefault}",
            "seLinuxOptions: {level: \"s0:c123,c456\"}",
            "capabilities: {drop: [NET_RAW]}",
        ] {
            assert_k8s_clean(&RULE, &pod("", &format!("      securityContext:\n        {context}\n")));
        }
        for context in ["seccompProfile: {type: RuntimeDefault}", "seLinuxOptions: {type: container_t}"] {
            assert_k8s_clean(&RULE, &pod(&format!("  securityContext:\n    {context}\n"), ""));
        }
        let annotated = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: runtime/default\nspec:\n  containers:\n    - name: app\n      image: x:1\n";
        assert_k8s_clean(&RULE, annotated);
        let legacy = annotated.replace(
            "container.apparmor.security.beta.kubernetes.io/app",
            "seccomp.security.alpha.kubernetes.io/pod",
        );
        assert_k8s_clean(&RULE, &legacy);
    }

    #[test]
    fn the_containers_own_unconfined_profile_wins_over_the_pods() {
        let yaml = pod(
            "  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n",
            "      securityContext:\n        seccompProfile: {type: Unconfined}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
    }

    #[test]
    fn privileged_containers_and_patches_are_not_checked() {
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        privileged: true\n"));
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: [--verbose]\n";
        assert_k8s_clean(&RULE, patch);
        assert_windows_containers_clean(&RULE);
    }
}
