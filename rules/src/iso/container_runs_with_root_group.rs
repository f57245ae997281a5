use plimsoll_diagnostic::Format;
use plimsoll_kubernetes::values::{integer, value_range};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{Container, Setting, UserRef};

use crate::support::{help, pods};

declare_rule! {
    /// ## What it does
    /// Flags containers whose user is not root but whose group is: `USER app:0`, `USER 1000:root`, Compose
    /// `user: "1000:0"`, Kubernetes `securityContext.runAsGroup: 0`. (A root user is
    /// `container-runs-as-root`'s finding.)
    ///
    /// ## Why is this bad?
    /// The process's group decides what it can do with group-owned files, and most of a Linux filesystem is
    /// owned by group `root`: files such as `/etc/sudoers` (mode 0440) become readable, every directory made
    /// group-writable for group 0 becomes writable, and so do host files and devices that a volume or bind
    /// mount exposes with root-group permissions. Running as a non-root user gives up most of its benefit
    /// when the group stays root.
    ///
    /// OpenShift runs containers under an arbitrary UID whose group is always 0, and Red Hat's guidelines
    /// make the application's directories group-owned by 0 and group-writable (`chgrp -R 0 … && chmod -R
    /// g=u …`) for that reason. The platform supplies the group itself, so the image needs only
    /// `USER 1001`; the `:0` in `USER 1001:0` changes nothing on OpenShift and grants the root group
    /// everywhere else. The rule therefore still reports it.
    ///
    /// `USER 1000` (or `user: "1000"`) without a group takes the user's primary group from the image's
    /// `/etc/passwd`, or 0 when the UID has no entry there; plimsoll cannot see the image's files, so that case
    /// is not reported. A Compose service is checked on its own `user:`; the `USER` of a Dockerfile it builds
    /// is checked in that Dockerfile.
    ///
    /// In Kubernetes the container's `runAsGroup` wins over the pod's, and a pod-level value is reported once
    /// for the pod. It is reported unless the same container's `runAsUser` is `0`, including when no
    /// `runAsUser` is set (the image's user then runs with GID 0). GID 0 among the supplementary groups
    /// (`supplementalGroups`, `fsGroup`) is `privileged-group-added`'s finding.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.22
    /// RUN adduser -D -u 10001 app
    /// USER app:root
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.22
    /// RUN addgroup -g 10001 app && adduser -D -u 10001 -G app app
    /// USER 10001:10001
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     user: "10001:0"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     user: "10001:10001"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   securityContext:
    ///     runAsUser: 10001
    ///     runAsGroup: 0
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
    ///   securityContext:
    ///     runAsUser: 10001
    ///     runAsGroup: 10001
    ///   containers:
    ///     - name: api
    ///       image: example/api:2.1
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    /// - [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [OpenShift: creating images](https://docs.openshift.com/container-platform/latest/openshift_images/create-images.html), "Support arbitrary user ids"
    code: "ISO002",
    name: "container-runs-with-root-group",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["KSV-0116"],
    checks: [Check::Container(check), Check::Kubernetes(check_kubernetes)],
}

const KUBERNETES_HELP: &str = "Set `securityContext.runAsGroup` to a non-zero GID.";

fn check(container: &Container, r: &mut Reporter) {
    // Kubernetes sets the group in a field of its own, which `check_kubernetes` points at.
    if container.format == Format::Kubernetes {
        return;
    }
    let Setting::Explicit(user, range) = &container.user else { return };
    if user.user.is_root() == Some(true) {
        return;
    }
    let group = match &user.group {
        Some(UserRef::Id(0)) => "GID 0",
        Some(UserRef::Name(name)) if name == "root" => "group `root`",
        _ => return,
    };
    r.report(*range, format!("Container runs with the root group ({group})")).help(help::for_format(
        container.format,
        "Give the user a group of its own, `USER 10001:10001`, and grant that group write access only where the \
         application writes.",
        "Set a non-zero group in `user:`, such as `user: \"10001:10001\"`.",
        KUBERNETES_HELP,
    ));
}

/// Every container of every workload, with its effective `runAsGroup` (its own, else the pod's).
fn check_kubernetes(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for spec in pods::pod_specs(ctx).map(|pod| pod.spec) {
        let pod = tree.get(spec, "securityContext");
        for item in pods::containers(ctx.tree, spec) {
            let own = tree.get(item, "securityContext");
            let field = |key: &str| {
                own.and_then(|sc| tree.get(sc, key)).or_else(|| pod.and_then(|sc| tree.get(sc, key)))
            };
            let Some(group) = field("runAsGroup") else { continue };
            let root_user = field("runAsUser").and_then(|u| integer(tree, u)) == Some(0);
            if integer(tree, group) != Some(0) || root_user {
                continue;
            }
            r.report(value_range(tree, group), "Container runs with the root group (GID 0)")
                .help(KUBERNETES_HELP);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose,
        lint_k8s, messages, pod, spans,
    };

    #[test]
    fn root_group_with_a_non_root_user() {
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER app:root\n"), ["app:root"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER 1001:0\n"), ["1001:0"]);
        assert_eq!(
            messages(&RULE, "FROM alpine:3.22\nUSER 1001:0\n"),
            ["Container runs with the root group (GID 0)"]
        );
        assert_eq!(
            messages(&RULE, "FROM alpine:3.22\nUSER app:root\n"),
            ["Container runs with the root group (group `root`)"]
        );
    }

    #[test]
    fn variables_and_inheritance() {
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nARG GID=0\nUSER app:${GID}\n"), ["app:${GID}"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nARG UID\nUSER ${UID}:0\n"), ["${UID}:0"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22 AS base\nUSER 1001:0\nFROM base\nRUN true\n"), ["1001:0"]);
        assert_clean(&RULE, "FROM alpine:3.22\nARG GID\nUSER app:${GID}\n");
    }

    #[test]
    fn other_groups_root_users_and_missing_users_pass() {
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 10001:10001\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER app\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER app:rootless\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER root:root\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 0:0\n");
        assert_clean(&RULE, "FROM alpine:3.22\n");
        assert_clean(&RULE, "FROM alpine:3.22 AS build\nUSER 1001:0\nFROM alpine:3.22\nUSER 1001:1001\n");
    }

    #[test]
    fn compose_users() {
        let yaml = "services:\n  a:\n    image: x:1\n    user: \"10001:0\"\n  b:\n    image: x:1\n    user: app:root\n";
        assert_eq!(compose_spans(&RULE, yaml), ["10001:0", "app:root"]);
        let yaml = "services:\n  a:\n    image: x:1\n    user: ${UID:-1000}:${GID:-0}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["${UID:-1000}:${GID:-0}"]);
        assert_eq!(
            lint_compose(&RULE, yaml)[0].help.as_deref(),
            Some("Set a non-zero group in `user:`, such as `user: \"10001:10001\"`.")
        );
    }

    #[test]
    fn compose_other_groups_and_unknowns_pass() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"10001:10001\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"0:0\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: ${UID}:${GID}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"1000\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n");
    }

    #[test]
    fn kubernetes_run_as_group_0_points_at_the_value() {
        let yaml = pod("", "      securityContext:\n        runAsUser: 10001\n        runAsGroup: 0\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Container runs with the root group (GID 0)");
        assert_eq!(found[0].help.as_deref(), Some("Set `securityContext.runAsGroup` to a non-zero GID."));
        // Without a `runAsUser`, the image's user runs with GID 0.
        assert_eq!(k8s_spans(&RULE, &pod("", "      securityContext:\n        runAsGroup: 0\n")), ["0"]);
    }

    #[test]
    fn kubernetes_pod_group_once_and_container_over_pod() {
        let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsUser: 999\n        runAsGroup: 0\n      initContainers:\n        - name: init\n          image: busybox:1.36\n      containers:\n        - name: db\n          image: postgres:16\n        - name: exporter\n          image: example/exporter:1\n          securityContext:\n            runAsGroup: 65534\n";
        let found = lint_k8s(&RULE, yaml);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].range.start as usize, yaml.find("runAsGroup: 0").unwrap_or_default() + 12);
        let yaml = pod(
            "  securityContext:\n    runAsGroup: 1000\n",
            "      securityContext:\n        runAsGroup: 0\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
    }

    #[test]
    fn kubernetes_root_users_other_groups_and_supplementary_groups_pass() {
        // A root user is reported by container-runs-as-root.
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    runAsUser: 0\n    runAsGroup: 0\n", ""));
        assert_k8s_clean(
            &RULE,
            &pod("", "      securityContext:\n        runAsUser: 1000\n        runAsGroup: 1000\n"),
        );
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    runAsUser: 1000\n    fsGroup: 0\n", ""));
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        runAsUser: 1000\n"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  securityContext:\n    runAsGroup: 0\n",
        );
    }
}
