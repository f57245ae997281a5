use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::help;
use crate::support::host_paths::dangerous_device;

declare_rule! {
    /// ## What it does
    /// Flags host devices and device cgroup rules given to a container. That is each `devices:` entry
    /// (`/dev/snd`, `/dev/sda:/dev/xvda:r`, CDI names such as `nvidia.com/gpu=all`) and each
    /// `device_cgroup_rules` entry (`c 189:* rwm`). The finding points at the host device path, or at the
    /// rule.
    ///
    /// Devices that give more than the hardware they drive get a message that says what they give: `/dev`
    /// itself, `/dev/mem`, `/dev/kmem` and `/dev/port` (physical and kernel memory, I/O ports), `/dev/kmsg`
    /// (the kernel log), `/dev/cpu/*/msr` (CPU registers), `/dev/watchdog*`, and disks and partitions
    /// (`/dev/sd*`, `/dev/hd*`, `/dev/vd*`, `/dev/xvd*`, `/dev/nvme*`, `/dev/mmcblk*`, `/dev/dm-*`, `/dev/md*`,
    /// `/dev/loop*`, `/dev/nbd*`, `/dev/rbd*`, `/dev/zd*`, `/dev/sg*`, `/dev/mapper/*`, `/dev/disk/*`); so do
    /// cgroup rules for every device (`a`, or `*` as the major number), every block device, and the memory
    /// devices (`c 1:1`, `c 1:2`, `c 1:4`, `c 1:11`). `/dev/fuse`, `/dev/kvm`, `/dev/net/tun`, GPUs, sound,
    /// video and serial devices are ordinary hardware: reported, with the plain message.
    ///
    /// ## Why is this bad?
    /// A device node is a door into the kernel that namespaces do not partition: a container given a disk
    /// reads and rewrites the host's files regardless of their permissions, one given `/dev/mem` reads and
    /// writes the host's memory, and every driver reached this way is kernel code the container can probe
    /// for bugs. A device cgroup rule is broader still: the container may create (`mknod`) and use any device
    /// the rule matches, including devices attached later. Pass the specific devices a service needs, with
    /// the narrowest permissions, and review each one.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   recorder:
    ///     image: example/recorder:1.0
    ///     devices:
    ///       - /dev/sda:/dev/sda
    ///     device_cgroup_rules:
    ///       - "a *:* rwm"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   recorder:
    ///     image: example/recorder:1.0
    ///     volumes:
    ///       - /srv/recordings:/recordings
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: devices](https://docs.docker.com/reference/compose-file/services/#devices)
    /// - [Docker: access to devices](https://docs.docker.com/reference/cli/docker/container/run/#device)
    /// - [Docker: device cgroup rules](https://docs.docker.com/reference/cli/docker/container/run/#device-cgroup-rule)
    /// - CIS Docker Benchmark v1.6.0, 5.18 "Ensure that host devices are not directly exposed to containers"
    code: "ISO027",
    name: "host-device-exposed",
    family: Iso,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

const HARDWARE: &str = "direct access to host hardware";

fn check(container: &Container, r: &mut Reporter) {
    for device in &container.runtime.devices {
        let value = device.value.trim();
        let (message, rule) = if let Some(rule) = CgroupRule::parse(value) {
            let what = rule.dangerous().unwrap_or("host devices");
            (format!("Device cgroup rule `{value}` lets the container create and use {what}"), true)
        } else if value.contains('$') {
            (
                format!(
                    "A host device chosen by a variable is passed to the container, giving it {HARDWARE}"
                ),
                false,
            )
        } else if value.starts_with('/') {
            let what = dangerous_device(value).map_or(HARDWARE, |d| d.what);
            (format!("Host device `{value}` is passed to the container, giving it {what}"), false)
        } else {
            // A CDI device name (`vendor.com/class=name`).
            (format!("Device `{value}` is passed to the container, giving it {HARDWARE}"), false)
        };
        let help = if rule {
            help::for_format(
                container.format,
                "Remove the rule.",
                "Remove the rule, or narrow it to the device numbers and permissions the service needs \
                 (`c 188:0 rw` rather than `c 188:* rwm`); prefer listing the device under `devices:`.",
                "Remove the rule; request the hardware through a device plugin resource instead.",
            )
        } else {
            help::for_format(
                container.format,
                "Remove the device.",
                "Remove the device unless the service needs it; pass the specific device (a partition, not a disk or \
                 `/dev`) with the narrowest permissions (`/dev/ttyUSB0:/dev/ttyUSB0:r`).",
                "Request the hardware through a device plugin resource (`resources.limits`) instead of passing host \
                 device nodes.",
            )
        };
        r.report(device.range, message).help(help);
    }
}

/// A device cgroup rule: `type major:minor permissions`, as `c 1:3 mr` or `a *:* rwm`.
struct CgroupRule<'a> {
    kind: char,
    major: &'a str,
    minor: &'a str,
    permissions: &'a str,
}

impl<'a> CgroupRule<'a> {
    fn parse(value: &'a str) -> Option<CgroupRule<'a>> {
        let mut words = value.split_whitespace();
        let kind = match words.next()? {
            "a" => 'a',
            "b" => 'b',
            "c" => 'c',
            _ => return None,
        };
        let (major, minor) = words.next()?.split_once(':')?;
        let permissions = words.next()?;
        let number = |s: &str| s == "*" || (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()));
        let valid = number(major)
            && number(minor)
            && !permissions.is_empty()
            && permissions.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
            && words.next().is_none();
        valid.then_some(CgroupRule { kind, major, minor, permissions })
    }

    /// What the rule gives that is worth naming, when it allows reading or writing.
    fn dangerous(&self) -> Option<&'static str> {
        if !self.permissions.contains(['r', 'w']) {
            return None;
        }
        match (self.kind, self.major, self.minor) {
            ('a', _, _) => Some("every host device, including disks and physical memory"),
            ('b', "*", _) => Some("every host block device, including disks"),
            ('c', "*", _) => Some("every host character device, including physical memory"),
            ('b', _, _) => {
                Some("host disks, whose files it can read and change regardless of their permissions")
            }
            ('c', "1", "1" | "2" | "4" | "*") => Some("the host's physical and kernel memory"),
            ('c', "1", "11") => Some("the kernel log"),
            ('c', "202", _) => Some("the CPUs' model-specific registers, which control the kernel"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    fn messages(yaml: &str) -> Vec<String> {
        lint_compose(&RULE, yaml).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn devices_point_at_the_host_path() {
        let yaml = "services:\n  a:\n    image: x:1\n    devices:\n      - /dev/snd\n      - /dev/sda:/dev/xvda:r\n      - \"/dev/mem:/dev/mem\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["/dev/snd", "/dev/sda", "/dev/mem"]);
        assert_eq!(
            messages(yaml),
            [
                "Host device `/dev/snd` is passed to the container, giving it direct access to host hardware",
                "Host device `/dev/sda` is passed to the container, giving it a host disk, whose files it can read \
                 and change regardless of their permissions",
                "Host device `/dev/mem` is passed to the container, giving it the host's physical memory",
            ]
        );
    }

    #[test]
    fn cdi_names_and_variables() {
        let yaml = "services:\n  a:\n    image: x:1\n    devices:\n      - nvidia.com/gpu=all\n      - ${GPU}:/dev/dri\n      - ${DISK:-/dev/nvme0n1}:/dev/disk0\n";
        assert_eq!(
            messages(yaml),
            [
                "Device `nvidia.com/gpu=all` is passed to the container, giving it direct access to host hardware",
                "A host device chosen by a variable is passed to the container, giving it direct access to host \
                 hardware",
                "Host device `/dev/nvme0n1` is passed to the container, giving it a host disk, whose files it can read \
                 and change regardless of their permissions",
            ]
        );
    }

    #[test]
    fn device_cgroup_rules_point_at_the_rule() {
        let yaml = "services:\n  a:\n    image: x:1\n    device_cgroup_rules:\n      - 'c 189:* rwm'\n      - \"a *:* rwm\"\n      - b 8:* r\n      - c 1:1 m\n";
        assert_eq!(compose_spans(&RULE, yaml), ["'c 189:* rwm'", "\"a *:* rwm\"", "b 8:* r", "c 1:1 m"]);
        assert_eq!(
            messages(yaml),
            [
                "Device cgroup rule `c 189:* rwm` lets the container create and use host devices",
                "Device cgroup rule `a *:* rwm` lets the container create and use every host device, including disks \
                 and physical memory",
                "Device cgroup rule `b 8:* r` lets the container create and use host disks, whose files it can read \
                 and change regardless of their permissions",
                "Device cgroup rule `c 1:1 m` lets the container create and use host devices",
            ]
        );
    }

    #[test]
    fn through_extends() {
        let yaml =
            "services:\n  base:\n    image: x:1\n    devices: [/dev/kvm]\n  child:\n    extends: base\n";
        assert_eq!(compose_spans(&RULE, yaml), ["/dev/kvm"]);
    }

    #[test]
    fn services_without_devices_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: x:1\n    volumes:\n      - /dev/snd:/dev/snd\n",
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    devices: []\n");
    }
}
