//! How a container is run: privileges, kernel capabilities, host namespaces, security profiles, mounts,
//! devices and resource limits. A Dockerfile says none of this (its containers keep [`Runtime::unset`]);
//! Compose services and Kubernetes containers do.

use plimsoll_span::{Spanned, TextRange};

use crate::Setting;

#[derive(Clone, Debug)]
pub struct Runtime {
    /// `privileged: true` (Compose), `securityContext.privileged` (Kubernetes).
    pub privileged: Setting<bool>,
    /// Whether processes can gain privileges (setuid binaries, file capabilities): `false` with Compose's
    /// `security_opt: [no-new-privileges:true]` or Kubernetes' `allowPrivilegeEscalation: false`.
    pub privilege_escalation: Setting<bool>,
    pub capabilities: Capabilities,
    /// Namespaces shared with the host (only those set to the host's).
    pub host_namespaces: Vec<HostNamespace>,
    pub seccomp: Setting<Profile>,
    pub apparmor: Setting<Profile>,
    /// SELinux labelling turned off (`label:disable`) or a privileged SELinux type.
    pub selinux_disabled: Option<TextRange>,
    /// `/proc` and `/sys` paths unmasked (`systempaths=unconfined`, `procMount: Unmasked`).
    pub system_paths_unmasked: Option<TextRange>,
    pub read_only_root: Setting<bool>,
    pub mounts: Vec<Mount>,
    /// Host devices passed through (`/dev/kvm`, `/dev/sda:/dev/xvda:rwm`), and device cgroup rules.
    pub devices: Vec<Spanned<String>>,
    pub resources: Resources,
    pub sysctls: Vec<Sysctl>,
    /// The kernel's OOM killer is disabled for the container.
    pub oom_kill_disable: Option<TextRange>,
    /// Supplementary groups (`group_add`; Kubernetes `supplementalGroups` and `fsGroup`).
    pub groups: Vec<Spanned<String>>,
    /// A custom cgroup parent (`cgroup_parent`).
    pub cgroup_parent: Option<Spanned<String>>,
    /// Log rotation of the container's output (`logging.options.max-size`).
    pub log_rotation: Setting<String>,
    /// Process limits (`ulimits`: `nofile`, `nproc`, …) with their values as written.
    pub ulimits: Vec<Sysctl>,
    /// Whether a health check runs: `Explicit(false)` when one is disabled (`healthcheck: {disable: true}`,
    /// `test: ["NONE"]`).
    pub healthcheck: Setting<bool>,
    /// The restart policy as written (`unless-stopped`, `on-failure:5`).
    pub restart: Setting<String>,
    /// Secrets and configs mounted into the container, by name.
    pub secrets: Vec<Spanned<String>>,
    /// Files the environment is read from (`env_file`), relative to the Compose file.
    pub env_files: Vec<Spanned<String>>,
    /// Compose profiles that enable the service; empty when it always runs.
    pub profiles: Vec<Spanned<String>>,
}

impl Runtime {
    /// Nothing set: what a Dockerfile describes.
    pub fn unset(anchor: TextRange) -> Runtime {
        Runtime {
            privileged: Setting::Unset { anchor },
            privilege_escalation: Setting::Unset { anchor },
            capabilities: Capabilities { added: Vec::new(), dropped: Vec::new(), anchor },
            host_namespaces: Vec::new(),
            seccomp: Setting::Unset { anchor },
            apparmor: Setting::Unset { anchor },
            selinux_disabled: None,
            system_paths_unmasked: None,
            read_only_root: Setting::Unset { anchor },
            mounts: Vec::new(),
            devices: Vec::new(),
            resources: Resources {
                memory_limit: Setting::Unset { anchor },
                cpu_limit: Setting::Unset { anchor },
                pids_limit: Setting::Unset { anchor },
                block_io: Setting::Unset { anchor },
                memory_swap_limit: Setting::Unset { anchor },
                shm_size: Setting::Unset { anchor },
            },
            sysctls: Vec::new(),
            oom_kill_disable: None,
            groups: Vec::new(),
            cgroup_parent: None,
            log_rotation: Setting::Unset { anchor },
            ulimits: Vec::new(),
            healthcheck: Setting::Unset { anchor },
            restart: Setting::Unset { anchor },
            secrets: Vec::new(),
            env_files: Vec::new(),
            profiles: Vec::new(),
        }
    }
}

/// Kernel capabilities added to and dropped from the runtime's default set. Names are upper case without
/// the `CAP_` prefix (`SYS_ADMIN`, `ALL`); ranges point at the names as written.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub added: Vec<Spanned<String>>,
    pub dropped: Vec<Spanned<String>>,
    /// Where to point when nothing is dropped (the `cap_drop` key, or the container when absent).
    pub anchor: TextRange,
}

impl Capabilities {
    /// Normalises a capability name as written (`cap_sys_admin`, `SYS_ADMIN`) to `SYS_ADMIN`.
    pub fn normalise(name: &str) -> String {
        let upper = name.trim().to_ascii_uppercase();
        upper.strip_prefix("CAP_").map(str::to_string).unwrap_or(upper)
    }

    pub fn drops_all(&self) -> bool {
        self.dropped.iter().any(|c| c.value == "ALL")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Network,
    Pid,
    Ipc,
    Uts,
    User,
    Cgroup,
}

impl Namespace {
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Network => "network",
            Namespace::Pid => "PID",
            Namespace::Ipc => "IPC",
            Namespace::Uts => "UTS",
            Namespace::User => "user",
            Namespace::Cgroup => "cgroup",
        }
    }
}

/// A namespace the container shares with the host, and the setting that says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostNamespace {
    pub namespace: Namespace,
    pub range: TextRange,
}

/// A seccomp or AppArmor profile choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Profile {
    /// No confinement at all.
    Unconfined,
    /// The runtime's default profile.
    RuntimeDefault,
    /// A named or file-based custom profile.
    Custom(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    /// A host path (`./data:/data`, `type: bind`, Kubernetes `hostPath`).
    Bind,
    /// A named volume managed by the runtime.
    Volume,
    Tmpfs,
    /// Anything else (npipe, cluster volume, Kubernetes secret/configMap/emptyDir…).
    Other,
}

/// A filesystem mounted into the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub kind: MountKind,
    /// The host path or volume name, as resolved (`None` for an anonymous volume or tmpfs).
    pub source: Option<Spanned<String>>,
    /// The path inside the container.
    pub target: Option<Spanned<String>>,
    pub read_only: bool,
    /// Bind propagation (`shared`, `rshared`, `slave`, …), when set.
    pub propagation: Option<Spanned<String>>,
    /// The whole mount entry.
    pub range: TextRange,
}

/// Resource limits; `Unset` means no limit.
#[derive(Clone, Debug)]
pub struct Resources {
    /// The memory limit as written (`512m`, `1Gi`).
    pub memory_limit: Setting<String>,
    /// The CPU limit as written (`0.5`, `500m`).
    pub cpu_limit: Setting<String>,
    pub pids_limit: Setting<String>,
    /// Block-I/O weight or throttling, as the key that sets it.
    pub block_io: Setting<String>,
    /// Memory plus swap (`memswap_limit`).
    pub memory_swap_limit: Setting<String>,
    /// Size of `/dev/shm` (`shm_size`).
    pub shm_size: Setting<String>,
}

/// A kernel parameter set for the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sysctl {
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
}
