//! Host paths given to a container (Compose bind mounts, Kubernetes `hostPath` volumes, devices): how the
//! host resolves them, which are container runtime API sockets, which give control of the host or expose
//! its secrets, and which devices are especially dangerous.
//!
//! Paths are compared after normalisation: `.`, `..`, repeated and trailing slashes resolved, `/var/run`
//! read as `/run` (a symlink to it on every current distribution), `~` kept as the home directory of
//! whoever starts the containers. Relative paths (`./data`, resolved against the project directory) and
//! Windows paths are not judged, except Windows named pipes.
//!
//! The tables say what a path gives a container in words that complete "Host path `/etc` is mounted
//! read-write, which …" and "… is mounted read-only, which still …", whatever the file format.

use plimsoll_diagnostic::Format;
use plimsoll_model::{Mount, MountKind};
use plimsoll_span::{Spanned, TextRange};

/// A mount that reaches a container runtime's API (ISO012).
#[derive(Debug)]
pub struct SocketMount<'m> {
    pub socket: RuntimeSocket,
    /// The path that shows it: the host side, else the container side.
    pub path: &'m Spanned<String>,
    /// Recognised by the container side only (the host side is unknown or unremarkable).
    pub on_target: bool,
}

/// The runtime socket a bind mount (or Windows named-pipe mount) reaches, by its host side first.
pub fn mount_socket(mount: &Mount) -> Option<SocketMount<'_>> {
    if !matches!(mount.kind, MountKind::Bind | MountKind::Other) {
        return None;
    }
    if let Some(source) = &mount.source
        && let Some(socket) = runtime_socket(&source.value)
    {
        return Some(SocketMount { socket, path: source, on_target: false });
    }
    let target = mount.target.as_ref()?;
    runtime_socket_target(&target.value).map(|socket| SocketMount { socket, path: target, on_target: true })
}

/// A bind mount of a sensitive host path that is worth reporting as mounted (ISO013): read-write, or
/// read-only when reading is enough to hurt. Runtime sockets are [`mount_socket`]'s and not repeated here.
pub fn mount_sensitive(mount: &Mount) -> Option<(Sensitive, &Spanned<String>)> {
    if mount.kind != MountKind::Bind || mount_socket(mount).is_some() {
        return None;
    }
    let source = mount.source.as_ref()?;
    let sensitive = sensitive_host_path(&source.value)?;
    (!mount.read_only || sensitive.risk.readable.is_some()).then_some((sensitive, source))
}

/// Where a finding about a mount's host path points: the path in the mount entry, or the entry itself when
/// the path is written elsewhere (a named volume whose `driver_opts` bind a host directory), so that each
/// service gets its own finding and its own suppressions.
pub fn mount_range(mount: &Mount, path: &Spanned<String>) -> TextRange {
    if mount.range.contains_range(path.range) { path.range } else { mount.range }
}

/// Where a finding about a container's mount points: in a Kubernetes manifest, the path itself (the
/// `hostPath.path` of the volume, which every container mounting it shares, or the `mountPath`); otherwise
/// [`mount_range`].
pub fn finding_range(format: Format, mount: &Mount, path: &Spanned<String>) -> TextRange {
    if format == Format::Kubernetes { path.range } else { mount_range(mount, path) }
}

/// The label on the host path when a finding points at the mount entry instead (see [`mount_range`]).
pub const BOUND_ELSEWHERE: &str = "the host path this volume binds";

/// A path for a message: as written, with what it resolves to when that differs (`/etc/../root` (`/root`)).
pub fn quoted(path: &str) -> String {
    match resolved(path) {
        Some(resolved) => format!("`{path}` (`{resolved}`)"),
        None => format!("`{path}`"),
    }
}

/// What a sensitive host path gives a container, completing "…, which " in a finding.
#[derive(Debug, PartialEq, Eq)]
pub struct Risk {
    /// What a read-write mount gives.
    pub writable: &'static str,
    /// What a read-only mount still gives, when that matters; `None` when reading the path is harmless (or
    /// conventional and harmless enough: `/etc/passwd`, `/sys`, `/lib/modules`).
    pub readable: Option<&'static str>,
}

#[derive(Debug)]
struct Entry {
    /// Normalised path; `*` matches any one component.
    path: &'static str,
    /// Paths below it count as well (`/etc/cron.d/job` as well as `/etc/cron.d`).
    subtree: bool,
    risk: Risk,
}

const fn exact(path: &'static str, writable: &'static str, readable: Option<&'static str>) -> Entry {
    Entry { path, subtree: false, risk: Risk { writable, readable } }
}

const fn tree(path: &'static str, writable: &'static str, readable: Option<&'static str>) -> Entry {
    Entry { path, subtree: true, risk: Risk { writable, readable } }
}

const PROGRAMS: &str = "lets the container replace programs and libraries that the host runs as root";
const CRON: &str = "lets the container schedule commands that the host runs as root";
const SERVICES: &str = "lets the container install services that the host starts as root";
const SHELLS: &str = "lets the container run commands in the host's login shells, including root's";
const LOADER: &str = "lets the container load its own libraries into every program the host runs";
const SUDO: &str = "lets the container give any host user root through `sudo` or polkit";
const RUNTIME_CONFIG: &str = "lets the container reconfigure the container runtime, which runs as root";
const MODULES: &str =
    "lets the container choose the kernel modules the host loads and the commands run with them";
const PACKAGES: &str = "lets the container point the host's package manager at packages of its choosing";
const KERNEL: &str = "lets the container change the host's kernel settings, including the crash handler the \
                      kernel runs as root";
const SYSFS: &str = "lets the container change kernel and device settings, including helpers the kernel runs as \
                     root";
const DBUS: &str = "lets the container call the host's system D-Bus, through which root controls systemd and \
                    other services";
const SYSTEMD: &str = "lets the container control systemd, which starts programs as root on the host";
const USER_RUNTIME: &str = "lets the container reach the user's session services and any rootless Docker or \
                            Podman socket";
const LOGS: &str = "lets the container tamper with the host's logs and, on Kubernetes nodes, plant links the \
                    kubelet follows to read any host file";

/// Host paths that give a container control of the host, or its secrets. Ordered so that, for a directory
/// that merely contains some of them (`/var/lib`), the first one it contains is the one worth naming.
const SENSITIVE: &[Entry] = &[
    exact(
        "/",
        "gives the container the host's whole filesystem, and with it root on the host",
        Some(
            "exposes every file on the host, including password hashes, private keys and other containers' data",
        ),
    ),
    // System configuration. Other directories of `/etc` (`/etc/nginx`, `/etc/letsencrypt`, `/etc/pihole`)
    // are the configuration of one application, commonly shared with its container on purpose.
    exact(
        "/etc",
        "lets the container change the host's users, passwords, services and scheduled jobs",
        Some("exposes the host's password hashes and private keys"),
    ),
    exact(
        "/etc/shadow",
        "lets the container set the password of any host user",
        Some("exposes the host's password hashes"),
    ),
    exact(
        "/etc/gshadow",
        "lets the container set the password of any host group",
        Some("exposes the host's group password hashes"),
    ),
    exact("/etc/passwd", "lets the container add users to the host, including a second root", None),
    exact("/etc/group", "lets the container add host users to any group, including `root` and `sudo`", None),
    exact("/etc/sudoers", SUDO, None),
    tree("/etc/sudoers.d", SUDO, None),
    tree("/etc/polkit-1", SUDO, None),
    tree(
        "/etc/pam.d",
        "lets the container change how the host authenticates users, up to root logins without a password",
        None,
    ),
    tree(
        "/etc/security",
        "lets the container change how the host authenticates users, up to root logins without a password",
        None,
    ),
    exact("/etc/crontab", CRON, None),
    tree("/etc/cron.d", CRON, None),
    tree("/etc/cron.hourly", CRON, None),
    tree("/etc/cron.daily", CRON, None),
    tree("/etc/cron.weekly", CRON, None),
    tree("/etc/cron.monthly", CRON, None),
    tree("/etc/systemd", SERVICES, None),
    tree("/etc/init.d", SERVICES, None),
    tree("/etc/init", SERVICES, None),
    exact("/etc/rc.local", SERVICES, None),
    exact("/etc/profile", SHELLS, None),
    tree("/etc/profile.d", SHELLS, None),
    exact("/etc/bash.bashrc", SHELLS, None),
    exact("/etc/bashrc", SHELLS, None),
    exact("/etc/environment", SHELLS, None),
    tree("/etc/zsh", SHELLS, None),
    exact("/etc/ld.so.preload", LOADER, None),
    exact("/etc/ld.so.conf", LOADER, None),
    tree("/etc/ld.so.conf.d", LOADER, None),
    tree(
        "/etc/ssh",
        "lets the container change the host's SSH server configuration and keys",
        Some("exposes the host's SSH private keys"),
    ),
    tree(
        "/etc/kubernetes",
        "lets the container change the node's Kubernetes configuration, certificates and static pods",
        Some("exposes the cluster's administrator credentials and certificate keys"),
    ),
    tree("/etc/docker", RUNTIME_CONFIG, None),
    tree("/etc/containerd", RUNTIME_CONFIG, None),
    tree("/etc/containers", RUNTIME_CONFIG, None),
    tree("/etc/crio", RUNTIME_CONFIG, None),
    tree("/etc/modprobe.d", MODULES, None),
    tree("/etc/modules-load.d", MODULES, None),
    exact("/etc/modules", MODULES, None),
    tree("/etc/udev", "lets the container add device rules that run commands as root on the host", None),
    tree("/etc/apt", PACKAGES, None),
    tree("/etc/yum.repos.d", PACKAGES, None),
    tree("/etc/dnf", PACKAGES, None),
    tree("/etc/zypp", PACKAGES, None),
    exact("/etc/sysctl.conf", "lets the container choose the kernel settings the host applies at boot", None),
    tree("/etc/sysctl.d", "lets the container choose the kernel settings the host applies at boot", None),
    exact("/etc/hosts", "lets the container redirect the host's name resolution", None),
    exact("/etc/resolv.conf", "lets the container redirect the host's name resolution", None),
    // Programs and libraries. `/usr/share`, `/usr/src` and `/usr/local` data directories are left out.
    exact("/usr", PROGRAMS, None),
    exact("/usr/local", PROGRAMS, None),
    tree("/lib/modules", "lets the container plant kernel modules that the host loads", None),
    tree("/usr/lib/modules", "lets the container plant kernel modules that the host loads", None),
    tree("/bin", PROGRAMS, None),
    tree("/sbin", PROGRAMS, None),
    tree("/lib", PROGRAMS, None),
    tree("/lib32", PROGRAMS, None),
    tree("/lib64", PROGRAMS, None),
    tree("/libx32", PROGRAMS, None),
    tree("/usr/bin", PROGRAMS, None),
    tree("/usr/sbin", PROGRAMS, None),
    tree("/usr/lib", PROGRAMS, None),
    tree("/usr/lib32", PROGRAMS, None),
    tree("/usr/lib64", PROGRAMS, None),
    tree("/usr/libx32", PROGRAMS, None),
    tree("/usr/libexec", PROGRAMS, None),
    tree("/usr/local/bin", PROGRAMS, None),
    tree("/usr/local/sbin", PROGRAMS, None),
    tree("/usr/local/lib", PROGRAMS, None),
    tree("/boot", "lets the container replace the host's kernel and boot configuration", None),
    // Kernel interfaces. A read-only `/sys` is what monitoring agents conventionally mount, and exposes
    // hardware facts rather than secrets; a read-only `/proc` still reaches host processes' files.
    exact("/proc", KERNEL, Some("exposes the host's processes and, through `/proc/<pid>/root`, their files")),
    tree("/proc/sys", KERNEL, None),
    exact("/proc/sysrq-trigger", "lets the container crash or reboot the host", None),
    exact("/sys", SYSFS, None),
    tree("/sys/kernel", SYSFS, None),
    tree("/sys/module", "lets the container change the parameters of loaded kernel modules", None),
    tree(
        "/sys/fs/cgroup",
        "lets the container change the host's resource controls and, with cgroup v1, run commands on the host \
         as root",
        None,
    ),
    exact(
        "/dev",
        "gives the container the host's device nodes, writable as far as its device cgroup allows",
        Some("gives the container the host's device nodes, as read-only mounts do not apply to devices"),
    ),
    exact(
        "/dev/shm",
        "shares the memory where host processes exchange data",
        Some("exposes the memory where host processes exchange data"),
    ),
    // Container runtime and orchestrator state.
    tree(
        "/var/lib/docker",
        "lets the container change other containers' files and images, and Docker's own state",
        Some("exposes other containers' files, volumes and configuration, with their secrets"),
    ),
    tree(
        "/var/lib/containerd",
        "lets the container change other containers' files and images",
        Some("exposes other containers' files and secrets"),
    ),
    tree(
        "/var/lib/containers",
        "lets the container change other containers' files and images",
        Some("exposes other containers' files and secrets"),
    ),
    tree(
        "/var/lib/kubelet",
        "lets the container change other pods' volumes and the kubelet's configuration",
        Some("exposes other pods' secrets and service-account tokens, and the kubelet's credentials"),
    ),
    tree(
        "/var/lib/etcd",
        "lets the container rewrite the cluster's datastore",
        Some("exposes the cluster's datastore, with every Secret"),
    ),
    tree(
        "/var/lib/rancher",
        "lets the container change the k3s or RKE2 cluster's state, certificates and tokens",
        Some("exposes the k3s or RKE2 cluster's tokens and certificate keys"),
    ),
    // The whole log directory, and the ones the kubelet reads; an application's own log directory
    // (`/var/log/nginx`) is a common and harmless mount. Log shippers read them all, read-only.
    exact("/var/log", LOGS, None),
    tree("/var/log/pods", LOGS, None),
    tree("/var/log/containers", LOGS, None),
    tree("/var/spool/cron", CRON, None),
    // Sockets other than the container runtime's (those are `runtime_socket`'s): read-only does not
    // protect a socket.
    tree("/run/dbus", DBUS, Some(DBUS)),
    exact("/run/systemd", SYSTEMD, Some(SYSTEMD)),
    exact("/run/systemd/private", SYSTEMD, Some(SYSTEMD)),
    exact("/run/user", USER_RUNTIME, Some(USER_RUNTIME)),
    exact("/run/user/*", USER_RUNTIME, Some(USER_RUNTIME)),
    exact(
        "/home",
        "lets the container change every user's shell startup files and SSH keys, to run commands as them",
        Some("exposes every user's SSH keys and credentials"),
    ),
    exact(
        "/Users",
        "lets the container change every user's shell startup files and SSH keys, to run commands as them",
        Some("exposes every user's SSH keys and credentials"),
    ),
];

/// Home directories: root's, Linux and macOS users', and `~`.
const HOMES: &[&str] = &["/root", "/home/*", "/Users/*", "~"];

const HOME: Risk = Risk {
    writable: "lets the container change the user's shell startup files and SSH keys, to run commands as that user",
    readable: Some("exposes the user's SSH keys and credentials"),
};

const HOME_SHELL: &str = "lets the container run commands in the user's shells";

/// Files in a home directory that hold credentials or run commands; other directories of a home (projects,
/// data) are the user's to share.
const HOME_FILES: &[Entry] = &[
    tree(
        ".ssh",
        "lets the container add SSH keys that log in as the user",
        Some("exposes the user's SSH private keys"),
    ),
    tree(
        ".gnupg",
        "lets the container change the user's GnuPG keys and trust",
        Some("exposes the user's GnuPG private keys"),
    ),
    tree(
        ".aws",
        "lets the container change the user's AWS credentials and the commands the AWS tools run",
        Some("exposes the user's AWS credentials"),
    ),
    tree(
        ".azure",
        "lets the container change the user's Azure credentials",
        Some("exposes the user's Azure credentials"),
    ),
    tree(
        ".config/gcloud",
        "lets the container change the user's Google Cloud credentials",
        Some("exposes the user's Google Cloud credentials"),
    ),
    tree(
        ".kube",
        "lets the container change the user's cluster credentials and the commands `kubectl` runs",
        Some("exposes the user's Kubernetes cluster credentials"),
    ),
    tree(
        ".docker",
        "lets the container change the user's registry credentials and the helpers `docker` runs",
        Some("exposes the user's registry credentials"),
    ),
    exact(
        ".netrc",
        "lets the container change the user's stored passwords",
        Some("exposes the user's stored passwords"),
    ),
    exact(
        ".git-credentials",
        "lets the container change the user's stored passwords",
        Some("exposes the user's stored passwords"),
    ),
    exact(".gitconfig", "lets the container make `git` run commands of its choosing for the user", None),
    tree(".config/git", "lets the container make `git` run commands of its choosing for the user", None),
    exact(".bashrc", HOME_SHELL, None),
    exact(".bash_profile", HOME_SHELL, None),
    exact(".bash_login", HOME_SHELL, None),
    exact(".profile", HOME_SHELL, None),
    exact(".zshrc", HOME_SHELL, None),
    exact(".zprofile", HOME_SHELL, None),
];

/// A sensitive host path a mount covers.
#[derive(Debug, PartialEq, Eq)]
pub struct Sensitive {
    pub risk: &'static Risk,
    /// Set when the mounted path is a parent directory of the sensitive one (`/var/lib` contains
    /// `/var/lib/docker`): the sensitive path, for the message.
    pub contains: Option<String>,
}

/// The sensitive host path `path` is, is inside, or contains. Container runtime sockets and the directories
/// that hold them are [`runtime_socket`]'s, checked first by the rules.
pub fn sensitive_host_path(path: &str) -> Option<Sensitive> {
    let parts = components(path)?;
    if let Some(found) = in_home(&parts) {
        return found;
    }
    let best = SENSITIVE
        .iter()
        .filter(|e| {
            let pattern = split(e.path);
            matches(&pattern, &parts) || (e.subtree && within(&pattern, &parts))
        })
        .max_by_key(|e| split(e.path).len());
    if let Some(entry) = best {
        return Some(Sensitive { risk: &entry.risk, contains: None });
    }
    if let Some(device) = parts.strip_prefix(&["dev"]).and_then(dangerous_device_parts) {
        return Some(Sensitive { risk: &device.risk, contains: None });
    }
    SENSITIVE
        .iter()
        .find(|e| within(&parts, &split(e.path)))
        .map(|e| Sensitive { risk: &e.risk, contains: Some(shown(e.path)) })
}

/// Paths in a home directory: `Some(None)` for a home's ordinary contents, which are not judged.
fn in_home(parts: &[&str]) -> Option<Option<Sensitive>> {
    let (home, rest) = HOMES.iter().find_map(|home| {
        let pattern = split(home);
        within(&pattern, parts).then(|| parts.split_at(pattern.len()))
    })?;
    if rest.is_empty() {
        return Some(Some(Sensitive { risk: &HOME, contains: None }));
    }
    let found = HOME_FILES.iter().find(|e| {
        let pattern = split(e.path);
        matches(&pattern, rest) || (e.subtree && within(&pattern, rest))
    });
    if let Some(entry) = found {
        return Some(Some(Sensitive { risk: &entry.risk, contains: None }));
    }
    let contained = HOME_FILES.iter().find(|e| within(rest, &split(e.path)));
    Some(
        contained
            .map(|e| Sensitive { risk: &e.risk, contains: Some(format!("{}/{}", display(home), e.path)) }),
    )
}

/// How a container runtime's API socket is reached through a mount.
#[derive(Debug, PartialEq, Eq)]
pub struct RuntimeSocket {
    /// The socket, as the message names it ("the Docker daemon's API socket").
    pub what: &'static str,
    /// What the socket gives whoever can connect to it.
    pub gives: Gives,
    /// The mounted path is a directory that holds the socket (`/var/run`).
    pub directory: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gives {
    /// A runtime that runs as root: starting a privileged container with the host's root filesystem is one
    /// API call away.
    HostRoot,
    /// A rootless runtime: everything its user can do.
    UserPrivileges,
    /// A socket recognised by its name only, wherever it lives.
    RuntimeControl,
}

impl Gives {
    /// Completes "gives the container …".
    pub fn as_str(self) -> &'static str {
        match self {
            Gives::HostRoot => "root on the host",
            Gives::UserPrivileges => "the privileges of the host user who runs it",
            Gives::RuntimeControl => "control of the container runtime, and usually root on the host",
        }
    }
}

struct Socket {
    path: &'static str,
    what: &'static str,
    gives: Gives,
}

const fn socket(path: &'static str, what: &'static str, gives: Gives) -> Socket {
    Socket { path, what, gives }
}

/// Where runtimes put their API sockets (under `/run`, which `/var/run` links to).
const SOCKETS: &[Socket] = &[
    socket("/run/docker.sock", "the Docker daemon's API socket", Gives::HostRoot),
    socket("/run/containerd/containerd.sock", "containerd's API socket", Gives::HostRoot),
    socket("/run/crio/crio.sock", "CRI-O's API socket", Gives::HostRoot),
    socket("/run/podman/podman.sock", "Podman's API socket", Gives::HostRoot),
    socket("/run/dockershim.sock", "the kubelet's dockershim socket", Gives::HostRoot),
    socket("/run/cri-dockerd.sock", "cri-dockerd's API socket", Gives::HostRoot),
    socket("/run/k3s/containerd/containerd.sock", "k3s's containerd API socket", Gives::HostRoot),
    socket(
        "/run/docker/containerd/containerd.sock",
        "the Docker daemon's containerd socket",
        Gives::HostRoot,
    ),
    socket("/run/user/*/docker.sock", "rootless Docker's API socket", Gives::UserPrivileges),
    socket("/run/user/*/podman/podman.sock", "rootless Podman's API socket", Gives::UserPrivileges),
];

/// Socket file names that mean a runtime's API wherever the file lives (Docker Desktop's
/// `~/.docker/run/docker.sock`, a socket mounted at `/tmp/docker.sock`).
const SOCKET_NAMES: &[(&str, &str)] = &[
    ("docker.sock", "a Docker API socket"),
    ("containerd.sock", "a containerd API socket"),
    ("crio.sock", "a CRI-O API socket"),
    ("podman.sock", "a Podman API socket"),
    ("dockershim.sock", "a dockershim socket"),
    ("cri-dockerd.sock", "a cri-dockerd socket"),
];

/// Windows named pipes of container runtimes (names compared in lower case, by prefix).
const PIPES: &[(&str, &str)] = &[
    ("docker_engine", "the Docker Engine's named pipe"),
    ("dockerdesktop", "Docker Desktop's engine pipe"),
    ("containerd-containerd", "containerd's named pipe"),
    ("podman-", "Podman's named pipe"),
];

/// The container runtime socket a host path is, or the runtime socket directory it is (`/run`,
/// `/run/containerd`; not `/`, which is [`sensitive_host_path`]'s).
pub fn runtime_socket(path: &str) -> Option<RuntimeSocket> {
    if let Some(found) = runtime_pipe(path) {
        return Some(found);
    }
    if let Some(parts) = components(path) {
        for s in SOCKETS {
            let pattern = split(s.path);
            if matches(&pattern, &parts) {
                return Some(RuntimeSocket { what: s.what, gives: s.gives, directory: false });
            }
        }
        let holder = SOCKETS
            .iter()
            .filter(|s| s.gives == Gives::HostRoot)
            .find(|s| !parts.is_empty() && within(&parts, &split(s.path)));
        if let Some(s) = holder {
            return Some(RuntimeSocket { what: s.what, gives: s.gives, directory: true });
        }
    }
    socket_by_name(path)
}

/// The runtime socket a path inside the container is named as (`/var/run/docker.sock`, `/docker.sock`): a
/// mount there provides a runtime API whatever its host side, which may depend on a variable
/// (`$XDG_RUNTIME_DIR/docker.sock`).
pub fn runtime_socket_target(path: &str) -> Option<RuntimeSocket> {
    runtime_pipe(path).or_else(|| socket_by_name(path))
}

fn socket_by_name(path: &str) -> Option<RuntimeSocket> {
    let name = path.trim_end_matches('/').rsplit(['/', '\\']).next()?;
    SOCKET_NAMES.iter().find(|(n, _)| *n == name).map(|(_, what)| RuntimeSocket {
        what,
        gives: Gives::RuntimeControl,
        directory: false,
    })
}

/// A Windows named pipe (`\\.\pipe\name`, also written `//./pipe/name`): not a file.
pub fn is_named_pipe(path: &str) -> bool {
    pipe_name(path).is_some()
}

fn pipe_name(path: &str) -> Option<String> {
    let path = path.replace('\\', "/").to_ascii_lowercase();
    path.strip_prefix("//./pipe/").map(str::to_string)
}

/// `\\.\pipe\docker_engine`, also written `//./pipe/docker_engine`.
fn runtime_pipe(path: &str) -> Option<RuntimeSocket> {
    let name = pipe_name(path)?;
    PIPES.iter().find(|(prefix, _)| name.starts_with(prefix)).map(|(_, what)| RuntimeSocket {
        what,
        gives: Gives::RuntimeControl,
        directory: false,
    })
}

/// A device that gives more than the hardware it drives.
#[derive(Debug)]
pub struct Device {
    /// Completes "gives the container …".
    pub what: &'static str,
    risk: Risk,
}

const fn device(what: &'static str, writable: &'static str, readable: &'static str) -> Device {
    Device { what, risk: Risk { writable, readable: Some(readable) } }
}

const ALL_DEVICES: Device = device(
    "every host device",
    "gives the container every host device",
    "gives the container every host device, as read-only mounts do not apply to devices",
);
const MEMORY: Device = device(
    "the host's physical memory",
    "gives the container the host's physical memory",
    "gives the container the host's physical memory, as read-only mounts do not apply to devices",
);
const KERNEL_MEMORY: Device = device(
    "the kernel's memory",
    "gives the container the kernel's memory",
    "gives the container the kernel's memory, as read-only mounts do not apply to devices",
);
const IO_PORTS: Device = device(
    "the host's I/O ports",
    "gives the container the host's I/O ports",
    "gives the container the host's I/O ports, as read-only mounts do not apply to devices",
);
const KMSG: Device = device(
    "the kernel log, which leaks kernel addresses and accepts forged messages",
    "gives the container the kernel log, which leaks kernel addresses and accepts forged messages",
    "gives the container the kernel log, which leaks kernel addresses",
);
const MSR: Device = device(
    "the CPUs' model-specific registers, which control the kernel",
    "gives the container the CPUs' model-specific registers, which control the kernel",
    "gives the container the CPUs' model-specific registers, as read-only mounts do not apply to devices",
);
const WATCHDOG: Device = device(
    "the hardware watchdog, which reboots the host when left unattended",
    "gives the container the hardware watchdog, which reboots the host when left unattended",
    "gives the container the hardware watchdog, which reboots the host when left unattended",
);
const DISK: Device = device(
    "a host disk, whose files it can read and change regardless of their permissions",
    "gives the container a host disk, whose files it can read and change regardless of their permissions",
    "gives the container a host disk, whose files it can read and change regardless of their permissions",
);

/// Block device names, as a name prefix followed by what may follow it.
const DISKS: &[(&str, Suffix)] = &[
    ("sd", Suffix::LettersDigits),
    ("hd", Suffix::LettersDigits),
    ("vd", Suffix::LettersDigits),
    ("xvd", Suffix::LettersDigits),
    ("nvme", Suffix::DigitsAndMore),
    ("mmcblk", Suffix::DigitsAndMore),
    ("dm-", Suffix::DigitsAndMore),
    ("md", Suffix::DigitsAndMore),
    ("loop", Suffix::DigitsAndMore),
    ("nbd", Suffix::DigitsAndMore),
    ("rbd", Suffix::DigitsAndMore),
    ("zd", Suffix::DigitsAndMore),
    ("sg", Suffix::DigitsAndMore),
];

#[derive(Clone, Copy, Debug)]
enum Suffix {
    /// `sda`, `sdb1`: lower-case letters then digits.
    LettersDigits,
    /// `nvme0n1p2`, `dm-3`: a digit first.
    DigitsAndMore,
}

/// The especially dangerous device a host path under `/dev` is: physical and kernel memory, I/O ports, the
/// kernel log, CPU registers, the watchdog, disks and partitions (`/dev/sda`, `/dev/nvme0n1p1`,
/// `/dev/mapper/*`, `/dev/disk/by-id/*`), and `/dev` itself. Ordinary hardware (`/dev/snd`, `/dev/dri`,
/// `/dev/net/tun`, `/dev/fuse`, `/dev/kvm`, serial ports) is not.
pub fn dangerous_device(path: &str) -> Option<&'static Device> {
    let parts = components(path)?;
    match parts.strip_prefix(&["dev"]) {
        Some([]) => Some(&ALL_DEVICES),
        Some(rest) => dangerous_device_parts(rest),
        None => None,
    }
}

fn dangerous_device_parts(rest: &[&str]) -> Option<&'static Device> {
    match rest {
        ["mem"] => Some(&MEMORY),
        ["kmem"] => Some(&KERNEL_MEMORY),
        ["port"] => Some(&IO_PORTS),
        ["kmsg"] => Some(&KMSG),
        ["cpu", ..] => Some(&MSR),
        ["mapper" | "disk", _, ..] => Some(&DISK),
        [name] if name.starts_with("watchdog") => Some(&WATCHDOG),
        [name] if is_disk(name) => Some(&DISK),
        _ => None,
    }
}

fn is_disk(name: &str) -> bool {
    DISKS.iter().any(|(prefix, suffix)| {
        let Some(rest) = name.strip_prefix(prefix) else { return false };
        match suffix {
            Suffix::LettersDigits => {
                let digits = rest.trim_start_matches(|c: char| c.is_ascii_lowercase());
                digits.len() < rest.len() && digits.chars().all(|c| c.is_ascii_digit())
            }
            Suffix::DigitsAndMore => {
                rest.starts_with(|c: char| c.is_ascii_digit())
                    && rest.chars().all(|c| c.is_ascii_alphanumeric())
            }
        }
    })
}

/// An absolute host path (`/…`) or one in the home directory (`~/…`, first component `~`), as the
/// components the host resolves, with `/var/run` read as `/run`; `None` for relative, Windows and
/// named-pipe paths and for `~user`.
pub fn components(path: &str) -> Option<Vec<&str>> {
    let mut parts = lexical(path)?;
    if parts.starts_with(&["var", "run"]) {
        parts.remove(0);
    }
    Some(parts)
}

/// The components with `.`, `..` and extra slashes resolved, nothing else.
fn lexical(path: &str) -> Option<Vec<&str>> {
    let (mut parts, rest) = match path.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => (vec!["~"], rest),
        Some(_) => return None,
        None if path.starts_with('/') && !path.starts_with("//./") => (Vec::new(), path),
        None => return None,
    };
    let home = !parts.is_empty();
    for component in rest.split('/') {
        match component {
            "" | "." => {}
            ".." if home && parts.len() == 1 => return None,
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Some(parts)
}

/// The path as written with `.`, `..` and extra slashes resolved, when that differs from what was written
/// in more than a trailing slash (`/etc/../root` is `/root`), for messages.
pub fn resolved(path: &str) -> Option<String> {
    let parts = lexical(path)?;
    let shown = display(&parts);
    let written = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    (shown != written).then_some(shown)
}

/// Components shown as a path.
fn display(parts: &[&str]) -> String {
    if parts.first() == Some(&"~") { parts.join("/") } else { format!("/{}", parts.join("/")) }
}

fn split(pattern: &str) -> Vec<&str> {
    if pattern == "~" {
        return vec!["~"];
    }
    pattern.split('/').filter(|c| !c.is_empty()).collect()
}

/// A pattern shown in a message, with `*` as `<user>` (or `<uid>` under `/run/user`).
fn shown(pattern: &str) -> String {
    let placeholder = if pattern.starts_with("/run/user") { "<uid>" } else { "<user>" };
    pattern.replace('*', placeholder)
}

/// `path` is `pattern` (`*` matching any one component).
fn matches(pattern: &[&str], path: &[&str]) -> bool {
    pattern.len() == path.len() && within(pattern, path)
}

/// `path` is `pattern` or below it.
fn within(pattern: &[&str], path: &[&str]) -> bool {
    pattern.len() <= path.len() && pattern.iter().zip(path).all(|(p, c)| *p == "*" || p == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writable(path: &str) -> Option<&'static str> {
        sensitive_host_path(path).map(|s| s.risk.writable)
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(components("/etc/../root/"), Some(vec!["root"]));
        assert_eq!(components("//var/run/./docker.sock"), Some(vec!["run", "docker.sock"]));
        assert_eq!(components("/"), Some(vec![]));
        assert_eq!(components("~/.ssh/"), Some(vec!["~", ".ssh"]));
        assert_eq!(components("~"), Some(vec!["~"]));
        assert_eq!(components("~/../etc"), None);
        assert_eq!(components("~bob/.ssh"), None);
        assert_eq!(components("./data"), None);
        assert_eq!(components("C:\\data"), None);
        assert_eq!(components("//./pipe/docker_engine"), None);
        assert_eq!(resolved("/etc/../root"), Some("/root".into()));
        assert_eq!(resolved("/etc/"), None);
        assert_eq!(resolved("/var/run/docker.sock"), None);
        assert_eq!(resolved("/var/run/../../etc"), Some("/etc".into()));
        assert_eq!(resolved("/"), None);
    }

    #[test]
    fn runtime_sockets() {
        let socket = |p: &str| runtime_socket(p).map(|s| (s.what, s.gives, s.directory));
        assert_eq!(
            socket("/var/run/docker.sock"),
            Some(("the Docker daemon's API socket", Gives::HostRoot, false))
        );
        assert_eq!(socket("/run//docker.sock/").map(|s| s.0), Some("the Docker daemon's API socket"));
        assert_eq!(socket("/run/containerd/containerd.sock").map(|s| s.0), Some("containerd's API socket"));
        assert_eq!(socket("/var/run/crio/crio.sock").map(|s| s.0), Some("CRI-O's API socket"));
        assert_eq!(socket("/run/user/1000/docker.sock").map(|s| s.1), Some(Gives::UserPrivileges));
        assert_eq!(
            socket("/run/user/1000/podman/podman.sock").map(|s| s.0),
            Some("rootless Podman's API socket")
        );
        assert_eq!(socket("/home/me/.docker/run/docker.sock").map(|s| s.1), Some(Gives::RuntimeControl));
        assert_eq!(socket("/var/run").map(|s| (s.0, s.2)), Some(("the Docker daemon's API socket", true)));
        assert_eq!(socket("/run/containerd").map(|s| (s.0, s.2)), Some(("containerd's API socket", true)));
        assert_eq!(socket("\\\\.\\pipe\\docker_engine").map(|s| s.0), Some("the Docker Engine's named pipe"));
        assert_eq!(socket("//./pipe/docker_engine").map(|s| s.0), Some("the Docker Engine's named pipe"));
        assert_eq!(socket("/"), None);
        assert_eq!(socket("/var"), None);
        assert_eq!(socket("/run/udev"), None);
        assert_eq!(socket("/run/user/1000"), None);
        assert_eq!(socket("/var/run/docker-host.sock"), None);
        assert_eq!(socket("/srv/app"), None);
        assert_eq!(socket("\\\\.\\pipe\\my_app"), None);
        assert!(
            is_named_pipe("\\\\.\\pipe\\my_app") && is_named_pipe("//./PIPE/x") && !is_named_pipe("/pipe/x")
        );
        assert_eq!(
            runtime_socket_target("/var/run/docker.sock").map(|s| s.what),
            Some("a Docker API socket")
        );
        assert_eq!(runtime_socket_target("/var/run"), None);
    }

    #[test]
    fn sensitive_paths() {
        assert!(writable("/").is_some());
        assert_eq!(
            writable("/etc/"),
            Some("lets the container change the host's users, passwords, services and scheduled jobs")
        );
        assert_eq!(
            writable("/etc/../etc/shadow"),
            Some("lets the container set the password of any host user")
        );
        assert_eq!(writable("/etc/cron.d/backup"), Some(CRON));
        assert_eq!(
            writable("/lib/modules"),
            Some("lets the container plant kernel modules that the host loads")
        );
        assert_eq!(writable("/usr/local/bin/tool"), Some(PROGRAMS));
        assert_eq!(writable("/proc/sys/kernel"), Some(KERNEL));
        assert_eq!(writable("/var/run/dbus"), Some(DBUS));
        assert_eq!(
            writable("/var/lib/docker/volumes/x/_data").map(|w| w.contains("other containers")),
            Some(true)
        );
        assert_eq!(writable("/dev/sda1"), Some(DISK.risk.writable));
        assert_eq!(writable("/dev/mem"), Some(MEMORY.risk.writable));
        // Application directories and conventional files are not sensitive.
        for path in [
            "/etc/localtime",
            "/etc/timezone",
            "/etc/nginx",
            "/etc/letsencrypt",
            "/etc/ssl/certs",
            "/usr/share/zoneinfo",
            "/usr/src",
            "/var/log/nginx",
            "/run/udev",
            "/dev/snd",
            "/dev/bus/usb",
            "/proc/cpuinfo",
            "/sys/class/net",
            "/srv/data",
            "/opt/app",
            "/home/me/projects/app",
            "/root/data",
            "~/minecraft_data",
            "/Users/me/code",
        ] {
            assert_eq!(sensitive_host_path(path), None, "{path}");
        }
    }

    #[test]
    fn read_only_matters_only_for_secrets_and_interfaces() {
        let readable = |p: &str| sensitive_host_path(p).and_then(|s| s.risk.readable);
        assert!(readable("/etc").is_some());
        assert!(readable("/etc/shadow").is_some());
        assert!(readable("/proc").is_some());
        assert!(readable("/dev").is_some());
        assert!(readable("/run/dbus/system_bus_socket").is_some());
        assert!(readable("/etc/passwd").is_none());
        assert!(readable("/lib/modules").is_none());
        assert!(readable("/sys").is_none());
        assert!(readable("/sys/fs/cgroup").is_none());
        assert!(readable("/var/log").is_none());
    }

    #[test]
    fn homes_and_their_credentials() {
        let found = |p: &str| sensitive_host_path(p).map(|s| (s.risk.writable, s.contains));
        assert_eq!(found("/root").map(|f| f.0), Some(HOME.writable));
        assert_eq!(found("/home/alice/").map(|f| f.0), Some(HOME.writable));
        assert_eq!(found("~").map(|f| f.0), Some(HOME.writable));
        assert_eq!(
            found("~/.ssh").map(|f| f.0),
            Some("lets the container add SSH keys that log in as the user")
        );
        assert_eq!(
            found("/root/.ssh/id_rsa").map(|f| f.0),
            Some("lets the container add SSH keys that log in as the user")
        );
        assert_eq!(found("/Users/bob/.aws").map(|f| f.0.contains("AWS")), Some(true));
        assert_eq!(
            found("/home/alice/.config"),
            Some((
                "lets the container change the user's Google Cloud credentials",
                Some("/home/alice/.config/gcloud".into())
            ))
        );
        assert!(found("/home").is_some());
    }

    #[test]
    fn parents_of_sensitive_paths() {
        let contains = |p: &str| sensitive_host_path(p).and_then(|s| s.contains);
        assert_eq!(contains("/var/lib"), Some("/var/lib/docker".into()));
        assert_eq!(contains("/var"), Some("/var/lib/docker".into()));
        assert_eq!(contains("/run/systemd"), None);
        assert_eq!(contains("/etc"), None);
    }

    #[test]
    fn devices() {
        let what = |p: &str| dangerous_device(p).map(|d| d.what);
        assert_eq!(what("/dev/mem"), Some(MEMORY.what));
        assert_eq!(what("/dev/kmsg"), Some(KMSG.what));
        assert_eq!(what("/dev"), Some(ALL_DEVICES.what));
        for disk in [
            "/dev/sda",
            "/dev/sdb1",
            "/dev/nvme0n1p2",
            "/dev/nvme0",
            "/dev/xvda",
            "/dev/vda",
            "/dev/dm-0",
            "/dev/mapper/vg-root",
            "/dev/disk/by-id/ata-x",
            "/dev/loop0",
            "/dev/md127",
            "/dev/sg0",
            "/dev/mmcblk0p1",
        ] {
            assert_eq!(what(disk), Some(DISK.what), "{disk}");
        }
        assert_eq!(what("/dev/cpu/0/msr"), Some(MSR.what));
        assert_eq!(what("/dev/watchdog0"), Some(WATCHDOG.what));
        for ordinary in [
            "/dev/snd",
            "/dev/dri/renderD128",
            "/dev/net/tun",
            "/dev/fuse",
            "/dev/kvm",
            "/dev/ttyUSB0",
            "/dev/ttyACM0",
            "/dev/video0",
            "/dev/bus/usb",
            "/dev/sdx-thing",
            "/dev/mapper",
            "/dev/nvidia0",
            "/dev/input",
        ] {
            assert_eq!(what(ordinary), None, "{ordinary}");
        }
        assert_eq!(what("/srv/mem"), None);
    }
}
