use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose root filesystem is writable: a Compose service without `read_only: true`, a
    /// Kubernetes container without `securityContext.readOnlyRootFilesystem: true`. The finding points at the
    /// `false` setting when the file says so, and at the service's key or the container's name when it says
    /// nothing.
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) and Kubernetes containers without an `image` (patches) are not checked
    /// when they say nothing. A `read_only` that depends on a variable without a default counts as not set.
    ///
    /// ## Why is this bad?
    /// An attacker who gets code execution in a container with a writable root filesystem can replace the
    /// application's programs and libraries, drop tools, and leave changes that persist as long as the
    /// container does. A read-only root filesystem makes the image the only code the container runs, and
    /// makes the places the application writes explicit: mount a `tmpfs` for scratch space such as `/tmp`
    /// and a volume for the data it keeps.
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
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp
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
    ///         readOnlyRootFilesystem: true
    ///       volumeMounts:
    ///         - name: tmp
    ///           mountPath: /tmp
    ///   volumes:
    ///     - name: tmp
    ///       emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: read_only](https://docs.docker.com/reference/compose-file/services/#read_only)
    /// - [Kubernetes: security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - CIS Docker Benchmark v1.6.0, 5.13 "Ensure that the container's root filesystem is mounted as read only"
    code: "ISO028",
    name: "root-filesystem-writable",
    family: Iso,
    severity: Info,
    formats: [Compose, Kubernetes],
    aliases: [
        "CKV_K8S_22",
        "KSV-0014",
        "no-read-only-root-fs",
        "notReadOnlyRootFilesystem",
        "container-security-context-readonlyrootfilesystem",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    // Windows containers cannot run with a read-only root filesystem.
    if container.windows {
        return;
    }
    let range = match container.runtime.read_only_root {
        Setting::Explicit(false, range) | Setting::Inherited(false, range) => range,
        Setting::Unset { anchor } if !container.partial => anchor,
        _ => return,
    };
    r.report(range, "Container's root filesystem is writable").help(help::for_format(
        container.format,
        "Run the container with a read-only root filesystem.",
        "Set `read_only: true`, and mount a `tmpfs` (or a volume) for each path the service writes, such as `/tmp`.",
        "Set `securityContext.readOnlyRootFilesystem: true`, and mount an `emptyDir` for each path the container \
         writes, such as `/tmp`.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn unset_points_at_the_service_and_false_at_the_setting() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    read_only: false\n  web:\n    image: c:1\n    read_only: true\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api", "read_only: false"]);
    }

    #[test]
    fn interpolated_values_and_extends() {
        let yaml = "services:\n  a:\n    image: a:1\n    read_only: ${RO:-false}\n  b:\n    image: b:1\n    read_only: ${RO:-true}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["read_only: ${RO:-false}"]);
        // Without a default the value is only known when the service starts: no guess.
        assert_compose_clean(&RULE, "services:\n  a:\n    image: a:1\n    read_only: ${RO}\n");
        assert_compose_clean(
            &RULE,
            "services:\n  base:\n    image: a:1\n    read_only: true\n  child:\n    extends: base\n",
        );
    }

    #[test]
    fn partial_services_are_skipped_unless_explicit() {
        assert_compose_clean(&RULE, "services:\n  a:\n    environment:\n      A: 1\n");
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
        );
        assert_eq!(
            compose_spans(
                &RULE,
                "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n    read_only: false\n"
            ),
            ["read_only: false"]
        );
    }

    #[test]
    fn kubernetes_unset_points_at_the_name_and_false_at_the_setting() {
        assert_eq!(k8s_spans(&RULE, &pod("", "")), ["app"]);
        let yaml = pod("", "      securityContext:\n        readOnlyRootFilesystem: false\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["readOnlyRootFilesystem: false"]);
        // A container field: the pod's securityContext has no such setting.
        let yaml = pod("  securityContext:\n    readOnlyRootFilesystem: true\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
    }

    #[test]
    fn kubernetes_read_only_and_patches_pass() {
        assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        readOnlyRootFilesystem: true\n"));
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources: {limits: {memory: 1Gi}}\n";
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
