use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, MountKind};

use crate::support::help;
use crate::support::host_paths::{BOUND_ELSEWHERE, finding_range, mount_socket, quoted};

declare_rule! {
    /// ## What it does
    /// Flags mounts that give a container a container runtime's API socket, or the directory that holds it:
    /// a Compose `volumes:` entry, or a Kubernetes `hostPath` volume that a container mounts.
    ///
    /// Both Compose mount syntaxes are read (`/var/run/docker.sock:/var/run/docker.sock`; `type: bind`,
    /// `type: npipe`); in a Kubernetes manifest, the `hostPath.path` of every volume a container's
    /// `volumeMounts` names (other volume types, such as an `emptyDir` shared with a Docker-in-Docker sidecar,
    /// are not the host's socket). The rule knows:
    /// - the sockets of Docker (`/var/run/docker.sock`, `/run/docker.sock`), containerd
    ///   (`/run/containerd/containerd.sock`), CRI-O (`/var/run/crio/crio.sock`), Podman
    ///   (`/run/podman/podman.sock`), dockershim, cri-dockerd and k3s, and the rootless Docker and Podman
    ///   sockets under `/run/user/<uid>`;
    /// - the directories that hold them: `/run` and `/var/run` mounted whole, `/run/containerd`, `/run/crio`,
    ///   `/run/podman`, `/run/docker`;
    /// - any file named `docker.sock`, `containerd.sock`, `crio.sock`, `podman.sock`, `dockershim.sock` or
    ///   `cri-dockerd.sock`, on either side of the mount (Docker Desktop's `~/.docker/run/docker.sock`, or
    ///   `$XDG_RUNTIME_DIR/docker.sock:/var/run/docker.sock`, whose host side depends on a variable);
    /// - the Windows named pipes `\\.\pipe\docker_engine` (also written `//./pipe/docker_engine`),
    ///   Docker Desktop's and containerd's pipes.
    ///
    /// The finding points at the host path (at the container path when only that one tells); in a Kubernetes
    /// manifest, at the volume's `hostPath.path`, once however many containers mount it. A `hostPath` volume
    /// that no container mounts is not reported here. The host's `/`
    /// and `/run/user/<uid>` mounted whole are reported by ISO013 instead: the first is far more than a
    /// socket, the second holds a rootless socket only when its user runs one.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the runtime's API controls the runtime: one API call starts a privileged container
    /// with the host's root filesystem mounted, so a compromise of the container is root on the host (for a
    /// rootless runtime, everything its user can do). Mounting the socket read-only does not help: the API is
    /// reached by connecting to the socket, and a read-only mount does not stop connections, so `:ro` only
    /// looks safer. Mounting `/run` or `/var/run` whole hands over the same socket, and with it the host's
    /// other service sockets.
    ///
    /// Tools that need the Docker API (reverse proxies discovering services, CI runners, dashboards) are
    /// better served by a proxy that allows only the calls they make, or by the orchestrator's own API with
    /// narrow permissions. Where the socket is the point of the service, suppress the finding with the
    /// reason.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.2
    ///     environment:
    ///       CONTAINERS: 1
    ///     volumes:
    ///       # plimsoll: ignore[ISO012] the proxy only allows read access to the container list
    ///       - /var/run/docker.sock:/var/run/docker.sock
    ///   proxy:
    ///     image: traefik:v3.1
    ///     command: --providers.docker.endpoint=tcp://socket-proxy:2375
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///     - name: builder
    ///       image: docker:27-cli
    ///       volumeMounts:
    ///         - name: docker-sock
    ///           mountPath: /var/run/docker.sock
    ///   volumes:
    ///     - name: docker-sock
    ///       hostPath:
    ///         path: /var/run/docker.sock
    ///         type: Socket
    /// ```
    ///
    /// Use instead (build images without a daemon, and reach the cluster through a service account):
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   serviceAccountName: image-builder
    ///   containers:
    ///     - name: builder
    ///       image: gcr.io/kaniko-project/executor:v1.23.2
    ///       args: ["--context=git://github.com/acme/app.git", "--destination=registry.example.com/app:1.0"]
    /// ```
    ///
    /// ## References
    /// - [Docker: protect the Docker daemon socket](https://docs.docker.com/engine/security/protect-access/)
    /// - [Docker Engine security: attack surface of the daemon](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    /// - CIS Docker Benchmark v1.6.0, 5.32 "Ensure that the Docker socket is not mounted inside any containers"
    code: "ISO012",
    name: "container-runtime-socket-mounted",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: ["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b", "CKV_K8S_27", "KSV-0006", "docker-sock"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for mount in &container.runtime.mounts {
        // Only a `hostPath` volume is the host's: an `emptyDir` at `/var/run` is shared with a sidecar.
        if container.format == Format::Kubernetes && mount.kind != MountKind::Bind {
            continue;
        }
        let Some(found) = mount_socket(mount) else { continue };
        let socket = &found.socket;
        let path = quoted(&found.path.value);
        let subject = if found.on_target {
            format!("The mount at {path} provides {}", socket.what)
        } else if socket.directory {
            format!("Host directory {path} holds {}", socket.what)
        } else {
            format!("Host path {path} is {}", socket.what)
        };
        let read_only = if mount.read_only { ", even read-only," } else { "" };
        let message =
            format!("{subject}; mounting it{read_only} gives the container {}", socket.gives.as_str());
        let range = finding_range(container.format, mount, found.path);
        let emit = r.report(range, message).help(help::for_format(
            container.format,
            "Do not mount the runtime's socket.",
            "Remove the mount. A service that must manage containers should reach the API through a proxy that \
             allows only the calls it makes (such as `tecnativa/docker-socket-proxy`); `:ro` does not limit the \
             API.",
            "Remove the `hostPath` volume. A workload that must manage containers should use the Kubernetes API \
             through a service account with only the permissions it needs; `readOnly` does not limit the API.",
        ));
        if range != found.path.range {
            emit.label(found.path.range, BOUND_ELSEWHERE);
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

    fn messages(yaml: &str) -> Vec<String> {
        lint_compose(&RULE, yaml).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn docker_socket_short_syntax_points_at_the_host_path() {
        let yaml = service("      - /var/run/docker.sock:/var/run/docker.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
        assert_eq!(
            messages(&yaml),
            [
                "Host path `/var/run/docker.sock` is the Docker daemon's API socket; mounting it gives the container \
              root on the host"
            ]
        );
        let yaml = service("      - \"/run/docker.sock:/var/run/docker-host.sock\"\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/run/docker.sock"]);
    }

    #[test]
    fn read_only_does_not_help_and_says_so() {
        let yaml = service("      - /var/run/docker.sock:/var/run/docker.sock:ro\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
        assert!(messages(&yaml)[0].contains("mounting it, even read-only, gives"));
    }

    #[test]
    fn long_syntax_and_other_runtimes() {
        let yaml = service(
            "      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /run/containerd/containerd.sock\n        read_only: true\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["/run/containerd/containerd.sock"]);
        assert!(
            messages(&yaml)[0].starts_with("Host path `/run/containerd/containerd.sock` is containerd's API")
        );
        let yaml =
            service("      - /var/run/crio/crio.sock:/crio.sock\n      - /run/podman/podman.sock:/p.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/crio/crio.sock", "/run/podman/podman.sock"]);
        let yaml = service("      - /run/user/1000/podman/podman.sock:/var/run/docker.sock\n");
        assert_eq!(
            messages(&yaml),
            [
                "Host path `/run/user/1000/podman/podman.sock` is rootless Podman's API socket; mounting it gives the \
              container the privileges of the host user who runs it"
            ]
        );
    }

    #[test]
    fn directories_that_hold_the_socket() {
        let yaml =
            service("      - /var/run:/host/var/run\n      - /run/:/run\n      - /run/containerd:/c\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run", "/run/", "/run/containerd"]);
        assert_eq!(
            messages(&yaml)[0],
            "Host directory `/var/run` holds the Docker daemon's API socket; mounting it gives the container root \
             on the host"
        );
    }

    #[test]
    fn sockets_known_by_name_or_by_their_container_side() {
        let yaml = service("      - ~/.docker/run/docker.sock:/var/run/docker.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["~/.docker/run/docker.sock"]);
        // The host side depends on the environment: the container side tells.
        let yaml = service("      - $XDG_RUNTIME_DIR/docker.sock:/var/run/docker.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
        assert_eq!(
            messages(&yaml),
            [
                "The mount at `/var/run/docker.sock` provides a Docker API socket; mounting it gives the container \
              control of the container runtime, and usually root on the host"
            ]
        );
        let yaml = service("      - ${DOCKER_SOCK:-/var/run/docker.sock}:/tmp/d.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["${DOCKER_SOCK:-/var/run/docker.sock}:/tmp/d.sock"]);
        let yaml =
            service("      - type: bind\n        source: ${SOCK}\n        target: /var/run/docker.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
    }

    #[test]
    fn normalised_paths() {
        let yaml = service("      - /var/run/../run//docker.sock:/docker.sock\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/run/../run//docker.sock"]);
        assert!(
            messages(&yaml)[0]
                .starts_with("Host path `/var/run/../run//docker.sock` (`/var/run/docker.sock`) is")
        );
    }

    #[test]
    fn windows_named_pipes() {
        let yaml = service("      - \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\\\\.\\pipe\\docker_engine"]);
        let yaml = service("      - //./pipe/docker_engine://./pipe/docker_engine\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["//./pipe/docker_engine"]);
        let yaml = service(
            "      - type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["\\\\.\\pipe\\docker_engine"]);
    }

    #[test]
    fn named_volume_bound_to_the_socket_directory_points_at_each_service_mount() {
        let yaml = "services:\n  a:\n    image: x:1\n    volumes:\n      - run:/host-run\n  b:\n    image: x:1\n    volumes:\n      - run:/r\nvolumes:\n  run:\n    driver_opts:\n      type: none\n      o: bind\n      device: /var/run\n";
        assert_eq!(compose_spans(&RULE, yaml), ["run:/host-run", "run:/r"]);
    }

    #[test]
    fn through_anchors_and_extends() {
        let yaml = "x-sock: &sock\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\nservices:\n  a:\n    image: x:1\n    <<: *sock\n  b:\n    extends: a\n";
        assert_eq!(compose_spans(&RULE, yaml), ["/var/run/docker.sock"]);
    }

    #[test]
    fn other_mounts_pass() {
        assert_compose_clean(
            &RULE,
            &service(
                "      - ./data:/data\n      - data:/var/lib/data\n      - /run/udev:/run/udev:ro\n      - /var/run/dbus:/var/run/dbus\n      - /var/lib/docker-registry:/data\n      - /tmp\n",
            ),
        );
        // A named volume is not the host's socket, whatever its target.
        assert_compose_clean(&RULE, &service("      - sock:/var/run/docker.sock\n"));
        assert_compose_clean(
            &RULE,
            &service("      - type: volume\n        source: sock\n        target: /var/run/docker.sock\n"),
        );
        assert_compose_clean(&RULE, &service("      - type: tmpfs\n        target: /var/run\n"));
        // Mentioned elsewhere than a mount.
        assert_compose_clean(
            &RULE,
            "services:\n  app:\n    image: x:1\n    command: -H unix:///var/run/docker.sock\n    environment:\n      DOCKER_HOST: unix:///var/run/docker.sock\n",
        );
        // Commented out.
        assert_compose_clean(
            &RULE,
            &service("      - ./data:/data\n      # - /var/run/docker.sock:/var/run/docker.sock\n"),
        );
    }

    #[test]
    fn suppressed_with_a_reason() {
        let yaml = service(
            "      # plimsoll: ignore[ISO012] socket proxy, read access only\n      - /var/run/docker.sock:/var/run/docker.sock\n",
        );
        assert!(lint_compose(&RULE, &yaml).is_empty());
    }

    /// A Pod whose container `app` has `mounts` (volumeMounts items) and whose spec has `volumes` (items).
    fn k8s(mounts: &str, volumes: &str) -> String {
        pod(&format!("  volumes:\n{volumes}"), &format!("      volumeMounts:\n{mounts}"))
    }

    #[test]
    fn kubernetes_host_path_sockets_point_at_the_host_path() {
        let yaml = k8s(
            "        - name: sock\n          mountPath: /var/run/docker-host.sock\n",
            "    - name: sock\n      hostPath:\n        path: /var/run/docker.sock\n        type: Socket\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Host path `/var/run/docker.sock` is the Docker daemon's API socket; mounting it gives the container \
             root on the host"
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("Remove the `hostPath` volume."));
        assert!(found[0].labels.is_empty());
        let yaml = k8s(
            "        - name: run\n          mountPath: /host/run\n          readOnly: true\n",
            "    - name: run\n      hostPath:\n        path: \"/run/containerd\"\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["/run/containerd"]);
        assert!(lint_k8s(&RULE, &yaml)[0].message.contains("mounting it, even read-only, gives"));
    }

    #[test]
    fn kubernetes_socket_known_by_its_mount_path() {
        let yaml = k8s(
            "        - name: sock\n          mountPath: /var/run/docker.sock\n",
            "    - name: sock\n      hostPath:\n        path: /srv/engine/api\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["/var/run/docker.sock"]);
        assert!(
            lint_k8s(&RULE, &yaml)[0].message.starts_with("The mount at `/var/run/docker.sock` provides")
        );
    }

    #[test]
    fn kubernetes_volume_mounted_by_several_containers_is_one_finding() {
        let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          volumeMounts: [{name: sock, mountPath: /sock}]\n      containers:\n        - name: agent\n          image: example/agent:1.0\n          volumeMounts:\n            - {name: sock, mountPath: /sock}\n      volumes:\n        - name: sock\n          hostPath: {path: /run/crio/crio.sock}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["/run/crio/crio.sock"]);
    }

    #[test]
    fn kubernetes_other_volumes_and_unmounted_host_paths_pass() {
        // A Docker-in-Docker sidecar shares its own daemon's socket through an `emptyDir`.
        assert_k8s_clean(
            &RULE,
            &k8s(
                "        - name: dind\n          mountPath: /var/run\n        - name: conf\n          mountPath: /var/run/docker.sock\n",
                "    - name: dind\n      emptyDir: {}\n    - name: conf\n      configMap: {name: conf}\n",
            ),
        );
        // A volume no container mounts is a pod-level matter.
        assert_k8s_clean(
            &RULE,
            &pod("  volumes:\n    - name: sock\n      hostPath:\n        path: /var/run/docker.sock\n", ""),
        );
        assert_k8s_clean(
            &RULE,
            &k8s(
                "        - name: data\n          mountPath: /data\n",
                "    - name: data\n      hostPath:\n        path: /srv/data\n",
            ),
        );
    }
}
