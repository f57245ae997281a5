use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;
use crate::support::host_paths::{BOUND_ELSEWHERE, finding_range, mount_sensitive, quoted};

declare_rule! {
    /// ## What it does
    /// Flags host paths mounted into a container that give it control of the host or its secrets: Compose
    /// bind mounts, and Kubernetes `hostPath` volumes that a container's `volumeMounts` names.
    ///
    /// Paths are compared after resolving `.`, `..` and extra slashes (`/etc/../root/` is `/root`); a parent directory
    /// of a listed path counts too (`/var/lib` contains `/var/lib/docker`). The list, with the reason for
    /// each, is in `rules/src/support/host_paths.rs`:
    /// - `/`, `/etc`, and the files of `/etc` that decide who is root and what runs as root: `shadow`,
    ///   `passwd`, `group`, `sudoers`, PAM and polkit, cron, systemd and init scripts, shell profiles,
    ///   `ld.so.preload`, `ssh`, `kubernetes`, the container runtime's configuration, kernel modules, udev
    ///   rules, package sources, `sysctl`, `hosts` and `resolv.conf`;
    /// - programs and libraries: `/usr`, `/bin`, `/sbin`, `/lib*`, `/usr/bin`, `/usr/lib*`, `/usr/local/bin`…,
    ///   kernel modules (`/lib/modules`) and `/boot`;
    /// - kernel interfaces: `/proc`, `/proc/sys`, `/sys`, `/sys/kernel`, `/sys/fs/cgroup`, `/dev`, `/dev/shm`
    ///   and dangerous devices (`/dev/mem`, disks);
    /// - runtime and orchestrator state: `/var/lib/docker`, `/var/lib/containerd`, `/var/lib/containers`,
    ///   `/var/lib/kubelet`, `/var/lib/etcd`, `/var/lib/rancher`, and the log directories the kubelet reads;
    /// - host service sockets other than the container runtime's: the system D-Bus (`/run/dbus`), systemd,
    ///   `/run/user/<uid>`;
    /// - home directories (`/root`, `/home/<user>`, macOS `/Users/<user>`, `~`) and the credentials in them
    ///   (`.ssh`, `.aws`, `.kube`, `.docker`, `.gnupg`, `.config/gcloud`, `.netrc`…), and the shell startup
    ///   files and `.gitconfig` that run commands.
    ///
    /// Read-write mounts of all of these are reported (in Kubernetes, a `volumeMounts` entry without
    /// `readOnly: true`). Read-only mounts are reported only where reading is
    /// enough to do harm: `/`, `/etc`, `/etc/shadow`, `/etc/ssh`, `/etc/kubernetes`, `/proc` (host processes,
    /// and their files through `/proc/<pid>/root`), runtime and orchestrator state, homes and credentials, and
    /// the paths a read-only mount does not protect (devices and sockets). Read-only mounts of files
    /// containers conventionally read (`/etc/passwd`, `/etc/hosts`, `/sys`, `/lib/modules`, `/var/log`) are
    /// not reported, and `/etc/localtime`, `/etc/timezone`, `/usr/share/zoneinfo`, `/etc/ssl/certs` and an
    /// application's own directories (`/etc/nginx`, `/var/log/nginx`, `/home/me/project`) are not on the
    /// list at all. The container runtime's socket and `/run` are reported by ISO012 instead.
    ///
    /// Relative paths (`./data`) and Windows paths are not checked, nor is a host path that depends on a
    /// variable without a default. In a Kubernetes manifest the finding points at the volume's
    /// `hostPath.path`, once for all the containers that mount it the same way; a `hostPath` volume that no
    /// container mounts is not reported here.
    ///
    /// ## Why is this bad?
    /// A bind mount is the host's own file, not a copy: a container that can write to the host's `/etc`, its
    /// programs, its cron jobs or root's `authorized_keys` makes the host run its commands as root, so a
    /// compromise of the container becomes a compromise of the host. Read-only mounts of secrets (password
    /// hashes, SSH and cloud credentials, other containers' files, the cluster's certificates) hand them to
    /// whoever compromises the container. Monitoring agents that need the host's `/` or `/proc` are the usual
    /// exception: suppress the finding there, with the reason.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    ///     volumes:
    ///       - /etc:/host/etc
    ///       - ~/.ssh:/root/.ssh:ro
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   backup:
    ///     image: example/backup:2.0
    ///     volumes:
    ///       - /etc/localtime:/etc/localtime:ro
    ///       - /srv/app/data:/data:ro
    ///     secrets:
    ///       - deploy_key
    /// secrets:
    ///   deploy_key:
    ///     file: ./deploy_key
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: backup
    /// spec:
    ///   containers:
    ///     - name: backup
    ///       image: example/backup:2.0
    ///       volumeMounts:
    ///         - name: host-etc
    ///           mountPath: /host/etc
    ///   volumes:
    ///     - name: host-etc
    ///       hostPath:
    ///         path: /etc
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: backup
    /// spec:
    ///   containers:
    ///     - name: backup
    ///       image: example/backup:2.0
    ///       volumeMounts:
    ///         - name: localtime
    ///           mountPath: /etc/localtime
    ///           readOnly: true
    ///         - name: deploy-key
    ///           mountPath: /run/secrets/deploy
    ///           readOnly: true
    ///   volumes:
    ///     - name: localtime
    ///       hostPath:
    ///         path: /etc/localtime
    ///     - name: deploy-key
    ///       secret:
    ///         secretName: deploy-key
    /// ```
    ///
    /// ## References
    /// - [Docker: bind mounts](https://docs.docker.com/engine/storage/bind-mounts/)
    /// - [Kubernetes: hostPath volumes](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    /// - CIS Docker Benchmark v1.6.0, 5.6 "Ensure sensitive host system directories are not mounted on containers"
    code: "ISO013",
    name: "sensitive-host-path-mounted",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: ["1c1325ff-831d-43a1-973e-839ae57dfcc0", "sensitive-host-mounts", "KSV-0121"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    for mount in &container.runtime.mounts {
        let Some((sensitive, source)) = mount_sensitive(mount) else { continue };
        let path = quoted(&source.value);
        let contains =
            sensitive.contains.as_ref().map_or(String::new(), |inner| format!(" and contains `{inner}`"));
        let message = match (mount.read_only, sensitive.risk.readable) {
            (true, Some(readable)) => {
                format!("Host path {path} is mounted read-only{contains}, which still {readable}")
            }
            _ => {
                format!("Host path {path} is mounted read-write{contains}, which {}", sensitive.risk.writable)
            }
        };
        let help = if mount.read_only {
            help::for_format(
                container.format,
                "Do not mount the host path.",
                "Remove the mount, or mount only the specific files the service needs; pass secrets with \
                 `secrets:` instead.",
                "Remove the `hostPath` volume, or mount only the specific files the workload needs; pass secrets \
                 with a Secret instead.",
            )
        } else {
            help::for_format(
                container.format,
                "Do not mount the host path.",
                "Remove the mount, or mount only the specific files the service needs, read-only (`:ro`, or \
                 `read_only: true` in the long syntax).",
                "Remove the `hostPath` volume, or mount only the specific files the workload needs with \
                 `readOnly: true`; prefer a ConfigMap, Secret or PersistentVolume.",
            )
        };
        let range = finding_range(container.format, mount, source);
        let emit = r.report(range, message).help(help);
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

    fn messages(yaml: &str) -> Vec<String> {
        lint_compose(&RULE, yaml).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn writable_system_paths_point_at_the_source() {
        let yaml = service("      - /etc:/host/etc\n      - /lib/modules:/lib/modules\n      - /:/rootfs\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/etc", "/lib/modules", "/"]);
        assert_eq!(
            messages(&yaml)[..2],
            [
                "Host path `/etc` is mounted read-write, which lets the container change the host's users, \
                 passwords, services and scheduled jobs",
                "Host path `/lib/modules` is mounted read-write, which lets the container plant kernel modules that \
                 the host loads",
            ]
        );
    }

    #[test]
    fn read_only_is_reported_only_where_reading_hurts() {
        let yaml = service(
            "      - /etc:/host/etc:ro\n      - /proc:/host/proc:ro\n      - /etc/passwd:/etc/passwd:ro\n      - /sys:/host/sys:ro\n      - /var/lib/docker/containers:/var/lib/docker/containers:ro\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["/etc", "/proc", "/var/lib/docker/containers"]);
        assert_eq!(
            messages(&yaml)[0],
            "Host path `/etc` is mounted read-only, which still exposes the host's password hashes and private keys"
        );
        // Devices and sockets ignore read-only mounts.
        let yaml = service("      - /dev:/dev:ro\n      - /var/run/dbus:/var/run/dbus:ro\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/dev", "/var/run/dbus"]);
    }

    #[test]
    fn long_syntax_and_named_volumes_bound_to_host_directories() {
        let yaml = service(
            "      - type: bind\n        source: /var/lib/kubelet\n        target: /kubelet\n        read_only: true\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["/var/lib/kubelet"]);
        let yaml = "services:\n  app:\n    image: x:1\n    volumes:\n      - hostetc:/x\nvolumes:\n  hostetc:\n    driver_opts:\n      type: none\n      o: bind\n      device: /etc\n";
        assert_eq!(compose_spans(&RULE, yaml), ["hostetc:/x"]);
        let found = lint_compose(&RULE, yaml);
        let labels: Vec<_> =
            found[0].labels.iter().map(|l| (l.range.slice(yaml), l.message.as_str())).collect();
        assert_eq!(labels, [("/etc", "the host path this volume binds")]);
    }

    #[test]
    fn normalised_paths_and_parent_directories() {
        let yaml = service("      - /etc/../root/:/r\n      - /var/lib:/host/var/lib\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/etc/../root/", "/var/lib"]);
        assert_eq!(
            messages(&yaml),
            [
                "Host path `/etc/../root/` (`/root`) is mounted read-write, which lets the container change the \
                 user's shell startup files and SSH keys, to run commands as that user",
                "Host path `/var/lib` is mounted read-write and contains `/var/lib/docker`, which lets the container \
                 change other containers' files and images, and Docker's own state",
            ]
        );
    }

    #[test]
    fn homes_and_credentials() {
        let yaml = service(
            "      - ~/.ssh:/root/.ssh:ro\n      - ~/.aws:/root/.aws\n      - /home/alice:/home/alice\n",
        );
        assert_eq!(compose_spans(&RULE, &yaml), ["~/.ssh", "~/.aws", "/home/alice"]);
        assert_eq!(
            messages(&yaml)[0],
            "Host path `~/.ssh` is mounted read-only, which still exposes the user's SSH private keys"
        );
        // A shell profile only matters when it can be changed.
        assert_compose_clean(
            &RULE,
            &service("      - ~/.bashrc:/root/.bashrc:ro\n      - ~/.gitconfig:/root/.gitconfig:ro\n"),
        );
        assert_eq!(
            compose_spans(&RULE, &service("      - ~/.gitconfig:/root/.gitconfig\n")),
            ["~/.gitconfig"]
        );
    }

    #[test]
    fn dangerous_devices_and_shared_memory() {
        let yaml = service("      - /dev/sda:/dev/sda\n      - /dev/shm:/dev/shm\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["/dev/sda", "/dev/shm"]);
    }

    #[test]
    fn conventional_and_application_paths_pass() {
        assert_compose_clean(
            &RULE,
            &service(
                "      - /etc/localtime:/etc/localtime:ro\n      - /etc/localtime:/etc/localtime\n      - /etc/timezone:/etc/timezone:ro\n      - /usr/share/zoneinfo:/usr/share/zoneinfo:ro\n      - /etc/hosts:/etc/hosts:ro\n      - /etc/ssl/certs:/etc/ssl/certs:ro\n      - /etc/pihole/:/etc/pihole/\n      - /etc/letsencrypt:/etc/letsencrypt:ro\n      - /var/log/nginx:/var/log/nginx\n      - /var/log:/var/log:ro\n      - /lib/modules:/lib/modules:ro\n      - /sys/fs/cgroup:/sys/fs/cgroup:ro\n      - /run/udev:/run/udev:ro\n      - /dev/bus/usb:/dev/bus/usb\n      - /home/me/projects/site:/var/www\n      - ~/minecraft_data:/data\n      - /srv/data:/data\n      - ./config:/etc\n      - data:/etc\n      - C:\\Windows:C:\\host\n",
            ),
        );
    }

    #[test]
    fn sockets_are_left_to_iso012_and_unknown_paths_are_not_guessed() {
        assert_compose_clean(
            &RULE,
            &service("      - /var/run/docker.sock:/var/run/docker.sock\n      - /run:/run\n"),
        );
        assert_compose_clean(
            &RULE,
            &service("      - ${HOST_ETC}:/host/etc\n      - $HOME/.ssh:/root/.ssh\n"),
        );
        assert_eq!(
            compose_spans(&RULE, &service("      - ${HOST_ETC:-/etc}:/host/etc\n")),
            ["${HOST_ETC:-/etc}:/host/etc"]
        );
    }

    /// A Pod whose container `app` has `mounts` (volumeMounts items) and whose spec has `volumes` (items).
    fn k8s(mounts: &str, volumes: &str) -> String {
        pod(&format!("  volumes:\n{volumes}"), &format!("      volumeMounts:\n{mounts}"))
    }

    #[test]
    fn kubernetes_host_paths_point_at_the_host_path() {
        let yaml = k8s(
            "        - name: etc\n          mountPath: /host/etc\n        - name: kubelet\n          mountPath: /var/lib/kubelet\n          readOnly: true\n",
            "    - name: etc\n      hostPath:\n        path: /etc\n    - name: kubelet\n      hostPath: {path: \"/var/lib/kubelet\", type: Directory}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["/etc", "/var/lib/kubelet"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Host path `/etc` is mounted read-write, which lets the container change the host's users, passwords, \
             services and scheduled jobs"
        );
        assert!(found[0].help.as_deref().unwrap().contains("`readOnly: true`"));
        assert_eq!(
            found[1].message,
            "Host path `/var/lib/kubelet` is mounted read-only, which still exposes other pods' secrets and \
             service-account tokens, and the kubelet's credentials"
        );
        assert!(found.iter().all(|d| d.labels.is_empty()));
    }

    #[test]
    fn kubernetes_read_only_where_reading_is_harmless_passes() {
        assert_k8s_clean(
            &RULE,
            &k8s(
                "        - name: sys\n          mountPath: /host/sys\n          readOnly: true\n        - name: tz\n          mountPath: /etc/localtime\n        - name: sock\n          mountPath: /var/run/docker.sock\n        - name: cache\n          mountPath: /etc\n",
                "    - name: sys\n      hostPath: {path: /sys}\n    - name: tz\n      hostPath: {path: /etc/localtime}\n    - name: sock\n      hostPath: {path: /var/run/docker.sock}\n    - name: cache\n      emptyDir: {}\n",
            ),
        );
        // Not mounted by any container: a pod-level matter.
        assert_k8s_clean(&RULE, &pod("  volumes:\n    - name: root\n      hostPath: {path: /}\n", ""));
    }
}
