//! System directories of a Linux container's filesystem that an image should not work in or mount over,
//! and absolute-path normalisation to compare against them (`/proc/`, `//proc`, `/x/../proc` are `/proc`).

/// A system directory and what it is, as findings name it.
#[derive(Debug, PartialEq, Eq)]
pub struct SystemPath {
    pub path: &'static str,
    /// The directory's whole tree counts (`/proc/self` as well as `/proc`); otherwise only the directory.
    pub subtree: bool,
    pub what: &'static str,
}

const fn tree(path: &'static str, what: &'static str) -> SystemPath {
    SystemPath { path, subtree: true, what }
}

const fn exact(path: &'static str, what: &'static str) -> SystemPath {
    SystemPath { path, subtree: false, what }
}

const PROC: SystemPath = tree("/proc", "the kernel's process filesystem, which the runtime mounts");
const SYS: SystemPath = tree("/sys", "the kernel's sysfs, which the runtime mounts");
const DEV: SystemPath = tree("/dev", "the device filesystem, which the runtime mounts");
const BOOT: SystemPath = tree("/boot", "the host's boot files, unused in a container");

/// Where a `WORKDIR` does not belong: the kernel filesystems the runtime mounts at start (work done there at
/// build time is hidden at run time, and relative paths then reach kernel interfaces) and the boot and
/// filesystem-repair directories, which have no role in a container.
const WORKDIR_PATHS: &[SystemPath] = &[
    PROC,
    SYS,
    DEV,
    BOOT,
    tree("/initrd", "the boot-time initial ramdisk mount point, unused in a container"),
    tree("/lost+found", "the filesystem checker's recovery directory"),
];

const PROGRAMS: &str = "the system's programs and libraries";

/// What a `VOLUME` must not cover: the root, the kernel filesystems (a volume there masks the interface the
/// runtime mounts, or the container fails to start), the system's configuration, programs and libraries
/// (a volume freezes them outside the image, so image updates and security fixes no longer reach containers
/// that reuse the volume, and whatever a compromised process writes there persists), and the Docker socket
/// (declaring it announces that the container expects control of the Docker daemon).
const VOLUME_PATHS: &[SystemPath] = &[
    exact("/", "the whole root filesystem"),
    PROC,
    SYS,
    DEV,
    BOOT,
    exact("/etc", "the system configuration, including the user database"),
    exact("/usr", PROGRAMS),
    exact("/bin", PROGRAMS),
    exact("/sbin", PROGRAMS),
    exact("/lib", PROGRAMS),
    exact("/lib32", PROGRAMS),
    exact("/lib64", PROGRAMS),
    exact("/libx32", PROGRAMS),
    exact("/var/run/docker.sock", "the Docker daemon socket, root on the host"),
    exact("/run/docker.sock", "the Docker daemon socket, root on the host"),
];

/// The system directory a `WORKDIR` path falls in.
pub fn workdir_in_system_directory(path: &str) -> Option<&'static SystemPath> {
    find(WORKDIR_PATHS, path)
}

/// The system directory a `VOLUME` path covers.
pub fn volume_on_system_directory(path: &str) -> Option<&'static SystemPath> {
    find(VOLUME_PATHS, path)
}

fn find(table: &'static [SystemPath], path: &str) -> Option<&'static SystemPath> {
    let path = normalize(path)?;
    table.iter().find(|p| {
        path == p.path || (p.subtree && path.strip_prefix(p.path).is_some_and(|rest| rest.starts_with('/')))
    })
}

/// An absolute POSIX path with `.`, `..`, repeated and trailing slashes resolved (`..` stops at the root);
/// `None` for relative and Windows paths.
pub fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize("/proc/").as_deref(), Some("/proc"));
        assert_eq!(normalize("//proc//self/./").as_deref(), Some("/proc/self"));
        assert_eq!(normalize("/app/../../proc").as_deref(), Some("/proc"));
        assert_eq!(normalize("/").as_deref(), Some("/"));
        assert_eq!(normalize("app"), None);
        assert_eq!(normalize("C:\\app"), None);
    }

    #[test]
    fn workdirs() {
        let dir = |p: &str| workdir_in_system_directory(p).map(|s| s.path);
        assert_eq!(dir("/proc"), Some("/proc"));
        assert_eq!(dir("/sys/fs/cgroup"), Some("/sys"));
        assert_eq!(dir("/lost+found"), Some("/lost+found"));
        assert_eq!(dir("/processes"), None);
        assert_eq!(dir("/app/proc"), None);
        assert_eq!(dir("/"), None);
        assert_eq!(dir("/etc/nginx"), None);
    }

    #[test]
    fn volumes() {
        let dir = |p: &str| volume_on_system_directory(p).map(|s| s.path);
        assert_eq!(dir("/"), Some("/"));
        assert_eq!(dir("/sys/fs/cgroup"), Some("/sys"));
        assert_eq!(dir("/etc/"), Some("/etc"));
        assert_eq!(dir("/etc/letsencrypt"), None);
        assert_eq!(dir("/usr/local/data"), None);
        assert_eq!(dir("/var/run/docker.sock"), Some("/var/run/docker.sock"));
        assert_eq!(dir("/var/lib/docker"), None);
        assert_eq!(dir("/data"), None);
    }
}
