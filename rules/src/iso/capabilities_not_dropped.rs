use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::{capabilities, help};

declare_rule! {
    /// ## What it does
    /// Flags containers that keep the runtime's default capabilities: a Compose service without
    /// `cap_drop: [ALL]`, a Kubernetes container without `securityContext.capabilities.drop: [ALL]` (or a
    /// drop list naming every default capability).
    ///
    /// ## Why is this bad?
    /// Docker starts every container with 14 capabilities, and most services need none of them. A
    /// compromised process running as root keeps them all: `DAC_OVERRIDE`, `FOWNER` and `CHOWN` ignore file
    /// permissions and ownership, `SETUID` and `SETGID` become any user, `NET_RAW` forges packets and spoofs
    /// ARP and DNS answers on the container's network, `MKNOD` creates device nodes, `SETFCAP` marks
    /// binaries with file capabilities. Dropping everything and adding back the one or two capabilities the
    /// service needs is the hardening baseline (the Pod Security Standards "restricted" profile requires
    /// it). Images whose entrypoint starts as root and then switches user (`gosu`, `su-exec`, the official
    /// database images) need `SETUID`, `SETGID` and often `CHOWN`, `DAC_OVERRIDE`, `FOWNER` added back.
    ///
    /// Privileged services are not checked (`privileged-container` reports them, and they keep every
    /// capability whatever `cap_drop` says), nor are services completed by another file (override files,
    /// `extends` from another file, services with neither `image` nor `build`) or Kubernetes containers
    /// without an `image` (patches). The finding points at the drop list when it drops only some
    /// capabilities, else at `capabilities:` or the container's name. The default set depends on the
    /// runtime (containerd grants Docker's 14, CRI-O fewer); dropping Docker's 14 one by one satisfies the
    /// rule, though the Pod Security Standards "restricted" profile accepts only a literal `ALL`. Dropping
    /// only `NET_RAW`, all that kube-linter's `drop-net-raw-capability` and Checkov's CKV_K8S_28 ask for, is
    /// reported as a partial drop.
    ///
    /// A default capability listed in the `[capabilities] allowed` option counts as dropped: keeping it is
    /// the same as adding it back after `drop: [ALL]`, which the configuration allows. With
    /// `[capabilities] allowed = ["CHOWN", "SETUID", "SETGID"]`, a drop list naming the 11 other default
    /// capabilities passes. (Names compared without case or `CAP_` prefix.)
    ///
    /// Windows containers (a Windows image, a Kubernetes pod for Windows nodes) are not checked: Windows
    /// has no such setting.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: example/web:2.4
    ///     user: "10001"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: example/web:2.4
    ///     user: "10001"
    ///     cap_drop: [ALL]
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: example/web:2.4
    ///       securityContext:
    ///         runAsUser: 10001
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: example/web:2.4
    ///       securityContext:
    ///         runAsUser: 10001
    ///         capabilities:
    ///           drop: [ALL]
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: cap_drop](https://docs.docker.com/reference/compose-file/services/#cap_drop)
    /// - [Docker: runtime privilege and Linux capabilities](https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities)
    /// - [Kubernetes Pod Security Standards: restricted](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - CIS Docker Benchmark v1.6.0, 5.4 "Ensure that Linux kernel capabilities are restricted within containers"
    code: "ISO025",
    name: "capabilities-not-dropped",
    family: Iso,
    severity: Info,
    formats: [Compose, Kubernetes],
    aliases: [
        "ce76b7d0-9e77-464d-b86f-c5c48e03e22d", "CKV_K8S_37", "KSV-0003", "insecureCapabilities", "KSV-0004",
        "KSV-0106", "CKV_K8S_28", "drop-net-raw-capability",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let caps = &container.runtime.capabilities;
    // Windows containers have no Linux capabilities to drop.
    if container.partial || container.windows || container.runtime.privileged.value() == Some(&true) {
        return;
    }
    let dropped = |name: &str| caps.dropped.iter().any(|d| d.value == name);
    // A variable may hold `ALL`: do not guess.
    // A default capability the configuration allows may be kept, as it may be added back.
    let settings = r.settings();
    if caps.drops_all()
        || capabilities::DEFAULT.iter().all(|c| dropped(c) || capabilities::is_allowed(c, settings))
        || caps.dropped.iter().any(|d| d.value.contains('$'))
    {
        return;
    }
    let message = if caps.dropped.is_empty() {
        "Container keeps the runtime's default capabilities"
    } else {
        "Container drops only some of the runtime's default capabilities"
    };
    r.report(caps.anchor, message).help(help::for_format(
        container.format,
        "Drop all capabilities and add back only those the workload needs.",
        "Set `cap_drop: [ALL]` and list in `cap_add` only what the service needs (often nothing, or \
         `NET_BIND_SERVICE` to listen on a port below 1024).",
        "Set `securityContext.capabilities.drop: [ALL]` and add back only what the container needs.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    #[test]
    fn services_without_cap_drop_point_at_their_key() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    cap_drop: [ALL]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
    }

    #[test]
    fn a_partial_drop_points_at_the_list() {
        let yaml = "services:\n  api:\n    image: a:1\n    cap_drop:\n      - NET_RAW\n";
        assert_eq!(compose_spans(&RULE, yaml), ["cap_drop:\n      - NET_RAW"]);
        assert_eq!(
            lint_compose(&RULE, yaml)[0].message,
            "Container drops only some of the runtime's default capabilities"
        );
    }

    #[test]
    fn dropping_everything_passes() {
        for drop in ["[ALL]", "[all]", "ALL", "[\"${DROP:-ALL}\"]", "[\"${DROP}\"]"] {
            assert_compose_clean(&RULE, &format!("services:\n  a:\n    image: x:1\n    cap_drop: {drop}\n"));
        }
        let every = "[AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW, \
                     SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]";
        assert_compose_clean(&RULE, &format!("services:\n  a:\n    image: x:1\n    cap_drop: {every}\n"));
    }

    #[test]
    fn inherited_drops_count() {
        let yaml = "services:\n  base:\n    image: x:1\n    cap_drop: [ALL]\n  child:\n    extends: base\n    cap_add: [CHOWN]\n";
        assert_compose_clean(&RULE, yaml);
    }

    #[test]
    fn privileged_and_partial_services_are_skipped() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    privileged: true\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    environment:\n      A: 1\n");
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
        );
    }

    #[test]
    fn kubernetes_missing_drop_points_at_the_capabilities_or_the_name() {
        assert_eq!(k8s_spans(&RULE, &pod("", "")), ["app"]);
        let yaml =
            pod("", "      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["capabilities"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].help.as_deref(),
            Some(
                "Set `securityContext.capabilities.drop: [ALL]` and add back only what the container needs."
            )
        );
    }

    #[test]
    fn kubernetes_partial_drop_points_at_the_list() {
        let yaml = pod("", "      securityContext:\n        capabilities:\n          drop: [NET_RAW]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["drop"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container drops only some of the runtime's default capabilities"
        );
    }

    #[test]
    fn kubernetes_drop_all_privileged_and_patches_pass() {
        for drop in ["[ALL]", "[\"ALL\"]", "\n            - all"] {
            let yaml =
                pod("", &format!("      securityContext:\n        capabilities:\n          drop: {drop}\n"));
            assert_k8s_clean(&RULE, &yaml);
        }
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        privileged: true\n"));
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: [--verbose]\n";
        assert_k8s_clean(&RULE, patch);
    }
}

#[cfg(test)]
mod configured {
    use plimsoll_diagnostic::Format;

    use super::RULE;
    use crate::testing::{capability_settings, spans_with};

    /// A service dropping Docker's default capabilities but `kept`.
    fn dropping_all_but(kept: &[&str]) -> String {
        let dropped: Vec<&str> =
            crate::support::capabilities::DEFAULT.iter().copied().filter(|c| !kept.contains(c)).collect();
        format!("services:\n  db:\n    image: postgres:17\n    cap_drop: [{}]\n", dropped.join(", "))
    }

    #[test]
    fn allowed_default_capabilities_may_be_kept() {
        let yaml = dropping_all_but(&["CHOWN", "SETUID", "SETGID"]);
        let allowed = capability_settings(&[], &["chown", "CAP_SETUID", "SETGID"]);
        assert!(spans_with(&RULE, Format::Compose, &yaml, allowed.clone()).is_empty());
        let partly = capability_settings(&[], &["CHOWN", "SETUID"]);
        assert_eq!(
            spans_with(&RULE, Format::Compose, &yaml, partly),
            [
                "cap_drop: [AUDIT_WRITE, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETPCAP, SYS_CHROOT]"
            ]
        );
        // Allowing a capability does not excuse keeping the other defaults.
        let nothing_dropped = "services:\n  db:\n    image: postgres:17\n";
        assert_eq!(spans_with(&RULE, Format::Compose, nothing_dropped, allowed), ["db"]);
    }
}

#[cfg(test)]
mod windows {
    #[test]
    fn windows_containers_are_not_checked() {
        crate::testing::assert_windows_containers_clean(&super::RULE);
    }
}
