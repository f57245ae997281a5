use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags mounts whose propagation lets mounts cross between the host and the container: Compose bind
    /// propagation `shared`/`rshared` or `slave`/`rslave`, and Kubernetes `mountPropagation: Bidirectional`
    /// or `HostToContainer` on a container's `volumeMounts`.
    ///
    /// `shared`, `rshared` and Kubernetes `Bidirectional` propagate both ways; `slave`, `rslave` and
    /// `HostToContainer` from the host into the container. Compose's short syntax (`/mnt:/mnt:rshared`) and
    /// long one (`bind: {propagation: rshared}`) are read; in Kubernetes the field applies to any volume
    /// type, and every volume mount is checked. The finding points at the propagation value.
    ///
    /// ## Why is this bad?
    /// By default a bind mount is `rprivate`: what the host mounts afterwards under that path stays out of
    /// the container, and what the container mounts stays in it. With `shared` propagation a mount made
    /// inside the container (a process with `CAP_SYS_ADMIN`, or a compromised storage plugin) appears on the
    /// host, where it can hide or replace the host's own files; with `slave` propagation the filesystems the
    /// host mounts later under that path (other containers' volumes, secrets, removable disks) appear in the
    /// container. Storage and monitoring agents sometimes need it (Kubernetes accepts `Bidirectional` only in
    /// privileged containers, such as CSI node plugins); other services do not.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:1.2
    ///     volumes:
    ///       - /mnt/data:/data:rshared
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:1.2
    ///     volumes:
    ///       - /mnt/data:/data
    /// ```

    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.2
    ///       volumeMounts:
    ///         - name: data
    ///           mountPath: /data
    ///           mountPropagation: Bidirectional
    ///   volumes:
    ///     - name: data
    ///       hostPath:
    ///         path: /mnt/data
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
    ///       image: example/app:1.2
    ///       volumeMounts:
    ///         - name: data
    ///           mountPath: /data
    ///   volumes:
    ///     - name: data
    ///       hostPath:
    ///         path: /mnt/data
    /// ```
    ///
    /// ## References
    /// - [Docker: bind propagation](https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation)
    /// - [Kubernetes: mount propagation](https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation)
    /// - CIS Docker Benchmark v1.6.0, 5.20 "Ensure that the host's mount propagation mode is not set to shared"
    code: "ISO014",
    name: "mount-propagation-shared",
    family: Iso,
    severity: Warning,
    formats: [Compose, Kubernetes],
    aliases: ["baa452f0-1f21-4a25-ace5-844e7a5f410d"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for mount in &container.runtime.mounts {
        let Some(propagation) = &mount.propagation else { continue };
        // Kubernetes spells them `Bidirectional` and `HostToContainer`.
        let crosses = match propagation.value.to_ascii_lowercase().as_str() {
            "shared" | "rshared" | "bidirectional" => {
                "makes mounts made in the container appear on the host, and the host's in the container"
            }
            "slave" | "rslave" | "hosttocontainer" => {
                "makes mounts the host makes later appear in the container"
            }
            _ => continue,
        };
        let shown = written(container.format, &propagation.value);
        r.report(propagation.range, format!("Mount propagation `{shown}` {crosses}")).help(
            help::for_format(
                container.format,
                "Remove the propagation option.",
                "Remove the propagation option; the default, `rprivate`, keeps the host's and the container's \
                 mounts apart.",
                "Remove `mountPropagation`; the default, `None`, keeps the host's and the container's mounts apart.",
            ),
        );
    }
}

/// The propagation as the file spells it: the Kubernetes lowering reads `Bidirectional` as the runtime's
/// `rshared` and `HostToContainer` as its `rslave`.
fn written(format: Format, propagation: &str) -> &str {
    match (format, propagation) {
        (Format::Kubernetes, "rshared") => "Bidirectional",
        (Format::Kubernetes, "rslave") => "HostToContainer",
        _ => propagation,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint_compose, lint_k8s, pod,
    };

    fn service(volumes: &str) -> String {
        format!("services:\n  app:\n    image: x:1\n    volumes:\n{volumes}")
    }

    #[test]
    fn short_syntax_points_at_the_option() {
        let yaml =
            service("      - /mnt:/mnt:rshared\n      - /srv:/srv:ro,slave\n      - ./a:/a:z,shared\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["rshared", "slave", "shared"]);
        let messages: Vec<_> = lint_compose(&RULE, &yaml).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages[..2],
            [
                "Mount propagation `rshared` makes mounts made in the container appear on the host, and the host's in \
                 the container",
                "Mount propagation `slave` makes mounts the host makes later appear in the container",
            ]
        );
    }

    #[test]
    fn long_syntax_points_at_the_value() {
        let yaml = service(
            "      - type: bind\n        source: /\n        target: /host\n        read_only: true\n        bind:\n          propagation: rslave\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["rslave"]);
    }

    #[test]
    fn private_and_default_propagation_pass() {
        assert_compose_clean(
            &RULE,
            &service(
                "      - /mnt:/mnt\n      - /srv:/srv:ro,rprivate\n      - /x:/x:private\n      - type: bind\n        source: /y\n        target: /y\n        bind:\n          propagation: ${PROPAGATION}\n",
            ),
        );
    }

    fn k8s(mounts: &str) -> String {
        pod(
            "  volumes:\n    - name: data\n      hostPath: {path: /mnt/data}\n    - name: cache\n      emptyDir: {}\n",
            &format!("      volumeMounts:\n{mounts}"),
        )
    }

    #[test]
    fn kubernetes_names_its_own_values() {
        let yaml = k8s(
            "        - name: data\n          mountPath: /data\n          mountPropagation: Bidirectional\n        - name: cache\n          mountPath: /cache\n          mountPropagation: \"HostToContainer\"\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["Bidirectional", "HostToContainer"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Mount propagation `Bidirectional` makes mounts made in the container appear on the host, and the \
             host's in the container"
        );
        assert_eq!(
            found[1].message,
            "Mount propagation `HostToContainer` makes mounts the host makes later appear in the container"
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("Remove `mountPropagation`"));
    }

    #[test]
    fn kubernetes_default_propagation_passes() {
        assert_k8s_clean(
            &RULE,
            &k8s(
                "        - name: data\n          mountPath: /data\n          mountPropagation: None\n        - name: cache\n          mountPath: /cache\n",
            ),
        );
    }
}
