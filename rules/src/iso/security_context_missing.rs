use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;
use crate::support::security_context;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes pod specs without a `securityContext`, and containers (init and ephemeral ones
    /// included) without one of their own. A `securityContext` that is empty (`{}`) or `null` sets nothing
    /// and counts as missing.
    ///
    /// The pod's context is reported at the workload's name, a container's at its name; an empty one at
    /// its `securityContext` key. A pod's context does not stand in for its containers': capabilities,
    /// `privileged`, `allowPrivilegeEscalation` and `readOnlyRootFilesystem` exist only at the container
    /// level. Windows pods (`spec.os.name: windows`, a Windows node selector) and Windows containers are not
    /// checked, nor are containers without an `image` in a Kustomize patch (the object it patches may set
    /// the context), nor the pod spec of a patch whose containers are all such overrides.
    ///
    /// The rule is off by default: a missing context is not a weakness in itself, and the rules about
    /// what it leaves at its default already report each consequence where it matters
    /// (`container-runs-as-root`, `privilege-escalation-allowed`, `capabilities-not-dropped`,
    /// `seccomp-profile-missing`, `root-filesystem-writable`). Enable it to require that every pod and
    /// container states its security settings explicitly.
    ///
    /// ## Why is this bad?
    /// Without a `securityContext`, Kubernetes starts the container with the runtime's defaults: the
    /// image's user (root for most images), every default capability, privilege escalation through setuid
    /// binaries allowed, no seccomp filter and a writable root filesystem. A manifest that says nothing
    /// about these settings leaves them to whoever builds the image and runs the nodes, and reviewers
    /// cannot tell a deliberate choice from an omission.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:2.1
    ///           securityContext: {}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api}
    ///     spec:
    ///       securityContext:
    ///         runAsNonRoot: true
    ///         seccompProfile:
    ///           type: RuntimeDefault
    ///       containers:
    ///         - name: api
    ///           image: example/api:2.1
    ///           securityContext:
    ///             allowPrivilegeEscalation: false
    ///             capabilities:
    ///               drop: [ALL]
    /// ```
    ///
    /// ## References
    /// - [Configure a security context for a pod or container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Pod Security Standards](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    code: "ISO048",
    name: "security-context-missing",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_29", "CKV_K8S_30", "KSV-0118"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let containers: Vec<_> = security_context::containers(ctx, &pod).collect();
        // A patch that only overrides fields of its containers leaves the pod's context to the object it
        // patches; a Windows pod has no Linux settings to make.
        let exempt = containers.iter().all(|c| c.model.partial || c.model.windows);
        let pod_context = tree.get(pod.spec, "securityContext");
        if !exempt && security_context::is_empty(tree, pod_context) {
            let (range, message) = match pod_context {
                Some(_) => (
                    security_context::key_or(tree, pod.spec, pod.anchor()),
                    "Pod's `securityContext` is empty, so its containers get no pod-wide user, group or seccomp \
                     defaults",
                ),
                None => (
                    pod.anchor(),
                    "Pod sets no `securityContext`, so its containers get no pod-wide user, group or seccomp \
                     defaults",
                ),
            };
            r.report(range, message).help(
                "Set the pod's `securityContext`, with at least `runAsNonRoot: true` and `seccompProfile: {type: \
                 RuntimeDefault}`.",
            );
        }
        for container in containers {
            let (model, own) = (container.model, container.contexts.container);
            if model.partial || model.windows || !security_context::is_empty(tree, own) {
                continue;
            }
            let (range, message) = match own {
                Some(_) => (
                    security_context::key_or(tree, container.item, model.anchor),
                    "Container's `securityContext` is empty, leaving its capabilities, privilege escalation and \
                     root filesystem to the defaults",
                ),
                None => (
                    model.anchor,
                    "Container sets no `securityContext`, leaving its capabilities, privilege escalation and root \
                     filesystem to the defaults",
                ),
            };
            r.report(range, message).help(
                "Set the container's `securityContext`, with at least `allowPrivilegeEscalation: false` and \
                 `capabilities: {drop: [ALL]}`.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    const POD_CONTEXT: &str = "  securityContext:\n    runAsNonRoot: true\n";
    const CONTAINER_CONTEXT: &str = "      securityContext:\n        allowPrivilegeEscalation: false\n";

    #[test]
    fn missing_contexts_point_at_the_pod_and_the_container() {
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["web", "app"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Pod sets no `securityContext`, so its containers get no pod-wide user, group or seccomp defaults"
        );
        assert_eq!(
            found[1].message,
            "Container sets no `securityContext`, leaving its capabilities, privilege escalation and root \
             filesystem to the defaults"
        );
        assert_eq!(k8s_spans(&RULE, &pod(POD_CONTEXT, "")), ["app"]);
        assert_eq!(k8s_spans(&RULE, &pod("", CONTAINER_CONTEXT)), ["web"]);
    }

    #[test]
    fn empty_and_null_contexts_point_at_their_key() {
        let yaml = pod("  securityContext: {}\n", "      securityContext:\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["securityContext", "securityContext"]);
        let found = lint_k8s(&RULE, &yaml);
        assert!(found[0].message.starts_with("Pod's `securityContext` is empty"), "{}", found[0].message);
        assert!(
            found[1].message.starts_with("Container's `securityContext` is empty"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn every_container_list_and_workload_kind() {
        let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          securityContext: {runAsNonRoot: true}\n          initContainers:\n            - name: migrate\n              image: example/migrate:1\n          containers:\n            - name: job\n              image: example/job:1\n              securityContext: {readOnlyRootFilesystem: true}\n          ephemeralContainers:\n            - name: debug\n              image: busybox:1.36\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["migrate", "debug"]);
    }

    #[test]
    fn set_contexts_windows_and_patches_pass() {
        assert_k8s_clean(&RULE, &pod(POD_CONTEXT, CONTAINER_CONTEXT));
        assert_k8s_clean(&RULE, &pod("  os: {name: windows}\n", ""));
        assert_k8s_clean(&RULE, &pod("  nodeSelector: {kubernetes.io/os: windows}\n", ""));
        let windows_image =
            pod(POD_CONTEXT, "").replace("nginx:1.27", "mcr.microsoft.com/windows/servercore:ltsc2022");
        assert_k8s_clean(&RULE, &windows_image);
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: [--verbose]\n";
        assert_k8s_clean(&RULE, patch);
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n",
        );
    }
}
