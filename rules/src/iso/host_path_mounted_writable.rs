use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, MountKind};

use crate::support::help;
use crate::support::host_paths::{
    BOUND_ELSEWHERE, finding_range, is_named_pipe, mount_sensitive, mount_socket, quoted,
};

declare_rule! {
    /// ## What it does
    /// Flags host paths mounted read-write: Compose bind mounts without `:ro`, and Kubernetes `hostPath`
    /// volumes mounted without `readOnly: true`.
    ///
    /// In Compose that is any host path mounted without `:ro` (or without `read_only: true` in the long
    /// syntax): project directories (`.:/app`), data directories (`/srv/data:/data`), home paths
    /// (`~/cache:/cache`), and named volumes whose `driver_opts` bind a host directory. In Kubernetes, any
    /// `volumeMounts` entry of a `hostPath` volume without `readOnly: true`; the finding points at the
    /// volume's `hostPath.path`. Mounts already reported as a runtime socket (ISO012) or a sensitive host
    /// path (ISO013) are not reported again, nor host paths that depend on a variable without a default,
    /// nor Windows named pipes. The finding points at the host path.
    ///
    /// The rule is off by default: writable bind mounts are the norm in development, and the finding asks to
    /// confirm that the service needs to write to the host.
    ///
    /// ## Why is this bad?
    /// A bind mount is the host's own directory: whatever a compromised container writes there lands on the
    /// host, where other programs and people pick it up. A writable project directory lets it plant Git hooks
    /// or change code that developers and CI later run; a writable data directory lets it plant files that
    /// host tools parse. A service that only reads the files should mount them read-only, and data a service
    /// owns is better kept in a named volume.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     volumes:
    ///       - ./site:/usr/share/nginx/html
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     volumes:
    ///       - ./site:/usr/share/nginx/html:ro
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
    ///       image: nginx:1.27
    ///       volumeMounts:
    ///         - name: site
    ///           mountPath: /usr/share/nginx/html
    ///   volumes:
    ///     - name: site
    ///       hostPath:
    ///         path: /srv/site
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
    ///       image: nginx:1.27
    ///       volumeMounts:
    ///         - name: site
    ///           mountPath: /usr/share/nginx/html
    ///           readOnly: true
    ///   volumes:
    ///     - name: site
    ///       hostPath:
    ///         path: /srv/site
    /// ```
    ///
    /// ## References
    /// - [Docker: bind mounts, read-only](https://docs.docker.com/engine/storage/bind-mounts/#use-a-read-only-bind-mount)
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    code: "ISO029",
    name: "host-path-mounted-writable",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Compose, Kubernetes],
    aliases: ["writable-host-mount"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for mount in &container.runtime.mounts {
        if mount.kind != MountKind::Bind || mount.read_only {
            continue;
        }
        let Some(source) = &mount.source else { continue };
        if is_named_pipe(&source.value) || mount_socket(mount).is_some() || mount_sensitive(mount).is_some() {
            continue;
        }
        let message = format!(
            "Host path {} is mounted read-write, so the container can change files on the host",
            quoted(&source.value)
        );
        let range = finding_range(container.format, mount, source);
        let emit = r.report(range, message).help(help::for_format(
            container.format,
            "Mount the host path read-only.",
            "Add `:ro` (or `read_only: true` in the long syntax) if the service only reads it; keep data the service \
             writes in a named volume.",
            "Set `readOnly: true` on the volume mount if the container only reads it; keep data it writes in a \
             PersistentVolume.",
        ));
        if range != source.range {
            emit.label(source.range, BOUND_ELSEWHERE);
        }
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
    fn writable_host_paths_point_at_the_source() {
        let yaml = service(
            "      - .:/app\n      - /srv/data:/data:rw\n      - ~/cache:/cache:z\n      - type: bind\n        source: ./conf\n        target: /conf\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), [".", "/srv/data", "~/cache", "./conf"]);
        assert_eq!(
            lint_compose(&RULE, &yaml)[1].message,
            "Host path `/srv/data` is mounted read-write, so the container can change files on the host"
        );
        let yaml = "services:\n  app:\n    image: x:1\n    volumes:\n      - data:/data\nvolumes:\n  data:\n    driver_opts:\n      type: none\n      o: bind\n      device: /srv/data\n";
        assert_eq!(compose_spans(&RULE, yaml), ["data:/data"]);
    }

    #[test]
    fn read_only_volumes_and_mounts_reported_elsewhere_pass() {
        assert_compose_clean(
            &RULE,
            &service(
                "      - .:/app:ro\n      - type: bind\n        source: ./conf\n        target: /conf\n        read_only: true\n      - data:/data\n      - /cache\n      - type: tmpfs\n        target: /tmp\n",
            ),
        );
        // ISO012 and ISO013 report these.
        assert_compose_clean(
            &RULE,
            &service("      - /var/run/docker.sock:/var/run/docker.sock\n      - /etc:/host/etc\n"),
        );
        // A named pipe is not a directory of files.
        assert_compose_clean(&RULE, &service("      - \\\\.\\pipe\\my_app:\\\\.\\pipe\\my_app\n"));
        // Unknown host paths are not guessed.
        assert_compose_clean(&RULE, &service("      - ${DATA_DIR}:/data\n"));
    }

    #[test]
    fn sensitive_paths_that_iso013_lets_pass_read_only_are_still_writable_here() {
        // `/etc/localtime` is not sensitive, but writing it still changes the host.
        assert_eq!(
            compose_spans(&RULE, &service("      - /etc/localtime:/etc/localtime\n")),
            ["/etc/localtime"]
        );
    }

    const VOLUMES: &str = "  volumes:\n    - name: data\n      hostPath:\n        path: /srv/data\n    - name: tmp\n      emptyDir: {}\n    - name: etc\n      hostPath: {path: /etc}\n";

    #[test]
    fn kubernetes_writable_host_paths_point_at_the_host_path() {
        let yaml = pod(VOLUMES, "      volumeMounts:\n        - name: data\n          mountPath: /data\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["/srv/data"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Host path `/srv/data` is mounted read-write, so the container can change files on the host"
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("Set `readOnly: true`"));
        // Written once, reported once, whatever the number of containers that write to it.
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: x:1\n      volumeMounts: [{name: data, mountPath: /a}]\n    - name: b\n      image: x:1\n      volumeMounts: [{name: data, mountPath: /b, readOnly: false}]\n    - name: c\n      image: x:1\n      volumeMounts: [{name: data, mountPath: /c, readOnly: true}]\n  volumes: [{name: data, hostPath: {path: /srv/data}}]\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["/srv/data"]);
    }

    #[test]
    fn kubernetes_read_only_other_volumes_and_sensitive_paths_pass() {
        assert_k8s_clean(
            &RULE,
            &pod(
                VOLUMES,
                "      volumeMounts:\n        - name: data\n          mountPath: /data\n          readOnly: true\n        - name: tmp\n          mountPath: /tmp\n        - name: etc\n          mountPath: /host/etc\n",
            ),
        );
        assert_k8s_clean(&RULE, &pod(VOLUMES, ""));
    }
}
