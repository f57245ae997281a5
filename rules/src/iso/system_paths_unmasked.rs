use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that see the `/proc` and `/sys` paths the runtime normally hides or makes read-only:
    /// Compose `security_opt: ["systempaths=unconfined"]`, Kubernetes `securityContext.procMount: Unmasked`.
    ///
    /// ## Why is this bad?
    /// The runtime masks kernel interfaces a container has no business with (`/proc/kcore`, `/proc/keys`,
    /// `/proc/timer_list`, `/sys/firmware`, …) and mounts others read-only (`/proc/sys`,
    /// `/proc/sysrq-trigger`, `/proc/irq`, `/proc/bus`). Unmasked, root in the container reads the host's
    /// firmware tables and kernel state and can write host-wide kernel settings: `kernel.core_pattern` makes
    /// the host kernel run a program of the container's choosing as root on the host (a classic escape), and
    /// `/proc/sysrq-trigger` crashes or reboots the host. Only the host's AppArmor or SELinux policy, where
    /// one is loaded, still stands in the way.
    ///
    /// Current Kubernetes API servers accept `procMount: Unmasked` only in a pod with a user namespace of its
    /// own (`hostUsers: false`), where root in the container is not root on the host and the host-wide
    /// settings stay out of its reach; the Pod Security Standards "baseline" profile allows it there, the
    /// "restricted" profile never. The rule reports it either way: the unmasked paths still show the host's
    /// kernel state, and older clusters ran it without a user namespace.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   builder:
    ///     image: example/builder:3.0
    ///     security_opt:
    ///       - systempaths=unconfined
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   builder:
    ///     image: example/builder:3.0
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///     - name: builder
    ///       image: example/builder:3.0
    ///       securityContext:
    ///         procMount: Unmasked
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///     - name: builder
    ///       image: example/builder:3.0
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: security_opt](https://docs.docker.com/reference/compose-file/services/#security_opt)
    /// - [Kubernetes Pod Security Standards: /proc mount type](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - [proc(5): /proc/sys/kernel/core_pattern](https://man7.org/linux/man-pages/man5/proc_sys_kernel.5.html)
    code: "ISO031",
    name: "system-paths-unmasked",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: ["f922827f-aab6-447c-832a-e1ff63312bd3", "KSV-0027", "unsafe-proc-mount", "procMount"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let Some(range) = container.runtime.system_paths_unmasked else { return };
    r.report(
        range,
        "Container sees the kernel interfaces in /proc and /sys that the runtime masks or makes read-only",
    )
    .help(help::for_format(
        container.format,
        "Keep the runtime's masked and read-only system paths.",
        "Remove `systempaths=unconfined`.",
        "Remove `procMount: Unmasked` (or set it to `Default`).",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn unconfined_system_paths_point_at_the_option() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt:\n      - systempaths=unconfined\n";
        assert_eq!(compose_spans(&RULE, yaml), ["systempaths=unconfined"]);
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt: [\"systempaths:unconfined\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"systempaths:unconfined\""]);
    }

    #[test]
    fn other_options_pass() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt: [seccomp:unconfined, \"systempaths=${SP}\"]\n";
        assert_compose_clean(&RULE, yaml);
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    read_only: true\n");
    }

    #[test]
    fn kubernetes_unmasked_proc_mount_points_at_the_value() {
        let yaml = pod("  hostUsers: false\n", "      securityContext:\n        procMount: Unmasked\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["Unmasked"]);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1.36\n      securityContext: {procMount: \"Unmasked\"}\n  containers:\n    - name: app\n      image: x:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["Unmasked"]);
    }

    #[test]
    fn kubernetes_default_proc_mount_passes() {
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        procMount: Default\n"));
        assert_k8s_clean(&RULE, &pod("", ""));
        // A container field: at pod level it means nothing.
        assert_k8s_clean(&RULE, &pod("  securityContext:\n    procMount: Unmasked\n", ""));
    }
}
