use plimsoll_kubernetes::{boolean, integer, value_range};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Setting, User, UserRef};
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;
use crate::support::security_context::{self, PodContainer};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers whose user ID or group ID may be one the node uses: an effective
    /// `runAsUser` or `runAsGroup` (the container's, else the pod's) from 1 to 10000, or none set, which
    /// leaves the IDs to the image.
    ///
    /// A value written is reported at the value (a pod-level one once for the pod); IDs left unset are
    /// reported at the container's name. ID 0 is not reported here: a root user is
    /// `container-runs-as-root`'s finding (ISO001) and a root group `container-runs-with-root-group`'s
    /// (ISO002). Not checked: pods with a user namespace of their own (`hostUsers: false`, whose IDs map to
    /// unprivileged ones on the node), Windows pods and containers, values that are not numbers, and
    /// containers without an `image` in a Kustomize patch. Images documented to run as a user above 10000
    /// (distroless `nonroot` tags and Chainguard images, 65532) satisfy the rule without `runAsUser` and
    /// `runAsGroup`.
    ///
    /// The rule is off by default: which IDs a node uses depends on the node, and many images expect
    /// the user they were built with.
    ///
    /// ## Why is this bad?
    /// Without a user namespace, a container's user and group IDs are the node's: UID 1000 in the
    /// container is the same UID as the node's first human user, and a group ID may be that of a group
    /// that owns devices or configuration. A process that escapes the container, or reaches the node's
    /// files through a mounted directory, acts as that user or group on the node. Linux distributions give
    /// their users and system accounts IDs below 10000, so running containers above 10000 keeps them
    /// clear of every account the node may have.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsUser: 1000
    ///     runAsGroup: 1000
    ///   containers:
    ///     - name: web
    ///       image: example/web:2.4
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
    ///     runAsUser: 10001
    ///     runAsGroup: 10001
    ///   containers:
    ///     - name: web
    ///       image: example/web:2.4
    /// ```
    ///
    /// ## References
    /// - [Configure a security context for a pod or container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Kubernetes: user namespaces](https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/)
    /// - [Kubesec: containers[].securityContext.runAsUser](https://kubesec.io/basics/containers-securitycontext-runasuser/)
    code: "ISO050",
    name: "user-id-not-high",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["container-security-context-user-group-id", "CKV_K8S_40", "KSV-0020", "KSV-0021"],
    checks: [Check::Kubernetes(check)],
}

/// The highest ID a node's own accounts are expected to use.
const HIGHEST_NODE_ID: i64 = 10000;

const UNSET_HELP: &str = "Set `securityContext.runAsUser` and `runAsGroup` to IDs above 10000, such as 10001, \
                          in the pod spec or the container.";

/// What an effective `runAsUser` or `runAsGroup` says.
enum Id {
    /// Written, from 1 to 10000: the ID and where it is written.
    Low(i64, NodeId),
    /// Not written at either level.
    Unset,
    /// Above 10000, root (other rules' finding), or not a number.
    Fine,
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let own_user_namespace =
            tree.get(pod.spec, "hostUsers").and_then(|n| boolean(tree, n)) == Some(false);
        if own_user_namespace || pods::is_windows(tree, pod.spec) {
            continue;
        }
        for PodContainer { model: container, contexts, .. } in security_context::containers(ctx, &pod) {
            let user_node = contexts.field(tree, "runAsUser");
            if container.windows || user_node.and_then(|n| integer(tree, n)) == Some(0) {
                continue;
            }
            let high_image_user = image_uid(container).is_some_and(|uid| i64::from(uid) > HIGHEST_NODE_ID);
            let user = id(tree, user_node);
            let group = id(tree, contexts.field(tree, "runAsGroup"));
            if let Id::Low(uid, node) = user {
                r.report(
                    value_range(tree, node),
                    format!("Container runs as user ID {uid}, which a user of the node may have"),
                )
                .help("Set `runAsUser` to an ID above 10000 that no user of the nodes has, such as 10001.");
            }
            if let Id::Low(gid, node) = group {
                r.report(
                    value_range(tree, node),
                    format!("Container runs with group ID {gid}, which a group of the node may have"),
                )
                .help("Set `runAsGroup` to an ID above 10000 that no group of the nodes has, such as 10001.");
            }
            // Unset IDs may come from the object a patch completes, or from an image known to run high.
            if container.partial || high_image_user {
                continue;
            }
            let unset = match (&user, &group) {
                (Id::Unset, Id::Unset) => {
                    "Neither `runAsUser` nor `runAsGroup` is set, so the container runs with its image's IDs, \
                     usually below 10000"
                }
                (Id::Unset, _) => {
                    "No `runAsUser` is set, so the container runs with its image's user ID, usually below 10000"
                }
                (_, Id::Unset) => {
                    "No `runAsGroup` is set, so the container runs with its user's primary group in the image, or \
                     root when the image has no entry for the user"
                }
                _ => continue,
            };
            r.report(container.anchor, unset).help(UNSET_HELP);
        }
    }
}

fn id(tree: &Tree, node: Option<NodeId>) -> Id {
    let Some(node) = node else { return Id::Unset };
    match integer(tree, node) {
        Some(value) if (1..=HIGHEST_NODE_ID).contains(&value) => Id::Low(value, node),
        _ => Id::Fine,
    }
}

/// The numeric user an image is documented to run as (`65532 (nonroot)` for distroless `nonroot` tags),
/// when no `runAsUser` is set.
fn image_uid(container: &Container) -> Option<u32> {
    match &container.user {
        Setting::Inherited(User { user: UserRef::Name(name), .. }, _) => {
            name.split_whitespace().next()?.parse().ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn context(fields: &str) -> String {
        pod("", &format!("      securityContext: {{{fields}}}\n"))
    }

    #[test]
    fn low_ids_point_at_their_value() {
        let yaml = context("runAsUser: 1000, runAsGroup: 10000");
        assert_eq!(k8s_spans(&RULE, &yaml), ["1000", "10000"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Container runs as user ID 1000, which a user of the node may have");
        assert_eq!(
            found[1].message,
            "Container runs with group ID 10000, which a group of the node may have"
        );
        assert_eq!(k8s_spans(&RULE, &context("runAsUser: 10001, runAsGroup: 1")), ["1"]);
    }

    #[test]
    fn pod_level_ids_are_reported_once_and_containers_override_them() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 999\n    runAsGroup: 20000\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: y:1\n    - name: c\n      image: z:1\n      securityContext:\n        runAsUser: 20000\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["999"]);
    }

    #[test]
    fn unset_ids_point_at_the_container() {
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Neither `runAsUser` nor `runAsGroup` is set, so the container runs with its image's IDs, usually below \
             10000"
        );
        let found = lint_k8s(&RULE, &context("runAsUser: 10001"));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "No `runAsGroup` is set, so the container runs with its user's primary group in the image, or root when \
             the image has no entry for the user"
        );
        let found = lint_k8s(&RULE, &context("runAsNonRoot: true, runAsGroup: 10001"));
        assert_eq!(
            found[0].message,
            "No `runAsUser` is set, so the container runs with its image's user ID, usually below 10000"
        );
    }

    #[test]
    fn high_ids_root_unknown_values_and_user_namespaces_pass() {
        assert_k8s_clean(&RULE, &context("runAsUser: 10001, runAsGroup: 65534"));
        assert_k8s_clean(
            &RULE,
            &pod("  securityContext:\n    runAsUser: 20000\n    runAsGroup: 20000\n", ""),
        );
        // Root is container-runs-as-root's finding, a root group container-runs-with-root-group's.
        assert_k8s_clean(&RULE, &context("runAsUser: 0"));
        assert_k8s_clean(&RULE, &context("runAsUser: 10001, runAsGroup: 0"));
        assert_k8s_clean(&RULE, &context("runAsUser: \"${UID}\", runAsGroup: \"${GID}\""));
        assert_k8s_clean(&RULE, &pod("  hostUsers: false\n", "      securityContext: {runAsUser: 1000}\n"));
    }

    #[test]
    fn images_known_to_run_high_windows_and_patches_pass() {
        let distroless = pod("", "").replace("nginx:1.27", "gcr.io/distroless/static-debian12:nonroot");
        assert_k8s_clean(&RULE, &distroless);
        let bitnami = pod("", "").replace("nginx:1.27", "bitnami/redis:7.4");
        assert_eq!(k8s_spans(&RULE, &bitnami), ["app"], "Bitnami images run as 1001");
        assert_k8s_clean(&RULE, &pod("  os: {name: windows}\n", ""));
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: [--verbose]\n";
        assert_k8s_clean(&RULE, patch);
    }
}
