use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers without a seccomp profile: neither the container's nor the pod's
    /// `securityContext.seccompProfile` is set (nor the legacy seccomp annotations), so the container does
    /// not run with `RuntimeDefault` or a `Localhost` profile.
    ///
    /// A profile set in the pod's `securityContext` covers every container. Pods that declare
    /// `spec.os.name: windows` are exempt, as in the Pod Security Standards. A profile set to `Unconfined`
    /// is reported by `seccomp-disabled` (ISO023).
    ///
    /// ## Why is this bad?
    /// Unlike Docker, Kubernetes runs containers with no seccomp filter unless a profile is set (or the
    /// node's kubelet is started with `seccompDefault`): every one of the kernel's several hundred system
    /// calls stays reachable, including the rarely needed ones through which most kernel exploits and
    /// container escapes go. `RuntimeDefault` blocks those at no cost to ordinary workloads, and the Pod
    /// Security Standards restricted level requires it (or a `Localhost` profile).
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
    /// ```
    ///
    /// ## References
    /// - [Pod Security Standards: Seccomp (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - [Restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    code: "ISO043",
    name: "seccomp-profile-missing",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_31", "KSV-0030", "container-seccomp-profile"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for pod in pods::pod_specs(ctx) {
        if pods::is_windows(ctx.tree, pod.spec) {
            continue;
        }
        for container in pods::model_containers(ctx, &pod) {
            // Windows containers have no seccomp; a patch's container may get its profile from the object
            // it patches.
            if !container.runtime.seccomp.is_unset() || container.windows || container.partial {
                continue;
            }
            r.report(
                container.anchor,
                "No seccomp profile is set, so the container runs with every system call available",
            )
            .help(
                "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec (it covers every \
                 container), or `Localhost` with a profile of your own.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, pod};

    #[test]
    fn containers_without_a_profile_point_at_their_name() {
        assert_eq!(k8s_spans(&RULE, &pod("", "")), ["app"]);
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext:\n            seccompProfile: {type: RuntimeDefault}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["init"]);
    }

    #[test]
    fn a_pod_profile_covers_every_container() {
        let yaml = pod("  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n", "");
        assert_k8s_clean(&RULE, &yaml);
        let yaml = pod(
            "  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: profiles/app.json\n",
            "",
        );
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn unconfined_legacy_annotations_and_windows_are_not_reported_here() {
        let yaml = pod("", "      securityContext:\n        seccompProfile:\n          type: Unconfined\n");
        assert_k8s_clean(&RULE, &yaml);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n";
        assert_k8s_clean(&RULE, yaml);
        assert_k8s_clean(&RULE, &pod("  os:\n    name: windows\n", ""));
        assert_k8s_clean(&RULE, &pod("  nodeSelector: {kubernetes.io/os: windows}\n", ""));
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {limits: {memory: 1Gi}}\n";
        assert_k8s_clean(&RULE, patch);
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\n");
    }
}
