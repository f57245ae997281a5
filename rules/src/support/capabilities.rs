//! Linux capabilities: the set a container runtime grants by default, and the capabilities whose grant opens
//! a way out of the container or into the host, with the reason for each.
//!
//! The default set is Docker's (and containerd's): the Kubernetes Pod Security Standards "baseline" allowed
//! list plus `NET_RAW`. Adding one of those changes nothing unless the service first drops them, so they are
//! never reported.
//!
//! Capabilities outside the default set that are not listed here are left out on purpose: their effect stays
//! inside the container or amounts to resource use (`SYS_NICE`, `SYS_RESOURCE`, `IPC_LOCK`, `IPC_OWNER`,
//! `LEASE`, `LINUX_IMMUTABLE`, `SYS_PACCT`, `SYS_TTY_CONFIG`, `WAKE_ALARM`, `BLOCK_SUSPEND`,
//! `CHECKPOINT_RESTORE`, `NET_BROADCAST`), or they only matter under a security module hosts rarely run
//! (`MAC_OVERRIDE`, used by Smack).
//!
//! The configuration widens and narrows the table (`Settings::dangerous_capabilities`,
//! `Settings::allowed_capabilities`): [`reported_as_dangerous`] is the one place that combines them, so
//! `dangerous-capability-added` and the rules that defer to it agree on every capability. Configured names
//! are normalised as the files' are (`cap_net_raw`, `CAP_NET_RAW` and `NET_RAW` are one capability), and
//! an allowed capability is never reported, even when it is also configured as dangerous.

use plimsoll_linter::Settings;
use plimsoll_model::{Capabilities, Container, Namespace};

/// Docker's default capabilities (`docker run` without `--cap-add`/`--cap-drop`).
pub const DEFAULT: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Whether the Pod Security Standards baseline level lets a container add `name`: the container runtimes'
/// default set without `NET_RAW`. (The restricted level allows only `NET_BIND_SERVICE`.)
pub fn in_baseline(name: &str) -> bool {
    name != "NET_RAW" && DEFAULT.contains(&name)
}

/// When a capability is dangerous.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Whatever else the container is given.
    Always,
    /// Only while the container shares this namespace with the host; in a namespace of its own the
    /// capability acts on the container alone.
    SharingHost(Namespace),
}

/// A capability that breaks the container's isolation, and how.
#[derive(Debug, PartialEq, Eq)]
pub struct Dangerous {
    /// The name without `CAP_`, upper case.
    pub name: &'static str,
    pub when: When,
    /// What it lets the container do, completing "which lets it …".
    pub reason: &'static str,
}

const fn always(name: &'static str, reason: &'static str) -> Dangerous {
    Dangerous { name, when: When::Always, reason }
}

const fn sharing(name: &'static str, namespace: Namespace, reason: &'static str) -> Dangerous {
    Dangerous { name, when: When::SharingHost(namespace), reason }
}

/// The table, by name.
pub const DANGEROUS: &[Dangerous] = &[
    always("ALL", "use every capability the kernel has, nearly what `privileged` grants"),
    always("SYS_ADMIN", "mount filesystems, create namespaces and escape through cgroup release agents"),
    always("SYS_MODULE", "load modules into the host's kernel, running any code there"),
    always(
        "SYS_RAWIO",
        "perform raw I/O on ports, memory devices and disks, reaching host memory and storage",
    ),
    always(
        "DAC_READ_SEARCH",
        "read any file of the host's filesystems through `open_by_handle_at` (the \"shocker\" escape)",
    ),
    always("BPF", "load eBPF programs that read kernel memory and widen the kernel's attack surface"),
    always("PERFMON", "monitor performance events system-wide, observing the host's processes"),
    always("MAC_ADMIN", "change the AppArmor or SELinux policy that confines the host and every container"),
    always("SYS_TIME", "set the clock that the host and every container share"),
    always(
        "SYSLOG",
        "read and clear the host's kernel log, whose addresses defeat kernel address randomisation",
    ),
    always("AUDIT_CONTROL", "change or switch off the host's kernel auditing, hiding activity from it"),
    always("AUDIT_READ", "read the host's audit event stream"),
    sharing(
        "SYS_PTRACE",
        Namespace::Pid,
        "trace host processes and inject code into them, running it as their user on the host",
    ),
    sharing("SYS_BOOT", Namespace::Pid, "reboot or power off the host"),
    sharing(
        "NET_ADMIN",
        Namespace::Network,
        "reconfigure the host's interfaces, routes and firewall and intercept its traffic",
    ),
];

/// The entry for a normalised capability name (`SYS_ADMIN`), when the capability is dangerous for this
/// container.
pub fn dangerous_for(name: &str, container: &Container) -> Option<&'static Dangerous> {
    let entry = DANGEROUS.iter().find(|d| d.name == name)?;
    match entry.when {
        When::Always => Some(entry),
        When::SharingHost(namespace) => {
            container.runtime.host_namespaces.iter().any(|h| h.namespace == namespace).then_some(entry)
        }
    }
}

/// Why `dangerous-capability-added` reports a capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It is in the built-in table, and dangerous for this container.
    BuiltIn(&'static Dangerous),
    /// The configuration lists it as dangerous (`Settings::dangerous_capabilities`).
    Configured,
}

/// Whether `dangerous-capability-added` reports the normalised capability `name` added to `container`: not
/// when the configuration allows it; else when the built-in table says so, or the configuration lists it.
pub fn reported_as_dangerous(name: &str, container: &Container, settings: &Settings) -> Option<Verdict> {
    if is_allowed(name, settings) {
        return None;
    }
    if let Some(entry) = dangerous_for(name, container) {
        return Some(Verdict::BuiltIn(entry));
    }
    configured(name, &settings.dangerous_capabilities).then_some(Verdict::Configured)
}

/// Whether the configuration allows the normalised capability `name` (`Settings::allowed_capabilities`).
pub fn is_allowed(name: &str, settings: &Settings) -> bool {
    configured(name, &settings.allowed_capabilities)
}

/// Whether `list`, a configured list of capability names written in any case, with or without `CAP_`,
/// names the normalised `name`. Blank entries name nothing.
fn configured(name: &str, list: &[String]) -> bool {
    list.iter().any(|c| !c.trim().is_empty() && Capabilities::normalise(c) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_and_the_table_do_not_overlap() {
        for entry in DANGEROUS {
            assert!(!DEFAULT.contains(&entry.name), "{} is a default capability", entry.name);
            assert_eq!(entry.name, entry.name.to_ascii_uppercase());
            assert!(!entry.name.starts_with("CAP_"));
        }
    }

    #[test]
    fn the_default_set_is_the_baseline_list_plus_net_raw() {
        assert_eq!(DEFAULT.len(), 14);
        assert!(DEFAULT.contains(&"NET_RAW") && DEFAULT.contains(&"NET_BIND_SERVICE"));
    }

    fn settings(dangerous: &[&str], allowed: &[&str]) -> Settings {
        Settings {
            dangerous_capabilities: dangerous.iter().map(|c| c.to_string()).collect(),
            allowed_capabilities: allowed.iter().map(|c| c.to_string()).collect(),
            ..Settings::default()
        }
    }

    fn verdict(name: &str, settings: &Settings) -> Option<Verdict> {
        let mut verdict = None;
        crate::testing::with_k8s_ctx(&crate::testing::pod("", ""), |ctx| {
            let container = &ctx.manifest.model.containers[0];
            verdict = reported_as_dangerous(name, container, settings);
        });
        verdict
    }

    #[test]
    fn configured_names_are_normalised_and_blank_ones_ignored() {
        let settings = settings(&[" cap_net_raw ", "Sys_Nice", ""], &["CAP_SYS_ADMIN", " "]);
        assert_eq!(verdict("NET_RAW", &settings), Some(Verdict::Configured));
        assert_eq!(verdict("SYS_NICE", &settings), Some(Verdict::Configured));
        assert_eq!(verdict("SYS_ADMIN", &settings), None);
        assert!(is_allowed("SYS_ADMIN", &settings));
        assert!(!is_allowed("", &settings) && !configured("", &settings.dangerous_capabilities));
        assert_eq!(verdict("IPC_LOCK", &settings), None);
    }

    #[test]
    fn the_built_in_table_wins_over_the_configured_list_and_allowing_wins_over_both() {
        let both = settings(&["BPF", "NET_ADMIN"], &[]);
        assert!(matches!(verdict("BPF", &both), Some(Verdict::BuiltIn(entry)) if entry.name == "BPF"));
        // Dangerous only with the host's network by default; configured, it is dangerous everywhere.
        assert_eq!(verdict("NET_ADMIN", &settings(&[], &[])), None);
        assert_eq!(verdict("NET_ADMIN", &both), Some(Verdict::Configured));
        assert_eq!(verdict("BPF", &settings(&["BPF"], &["bpf"])), None);
    }
}
