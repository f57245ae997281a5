//! Container ports that expose a remote-administration or cleartext-login service, with the reason for
//! each.
//!
//! The table lists services that hand whoever reaches them a shell, a desktop, control of a daemon or the
//! host, or credentials in cleartext. It deliberately leaves out the services an image exists to provide
//! (databases, caches, message brokers, etcd): `EXPOSE 5432` on a PostgreSQL image is the point of the
//! image, and whether such a port is reachable is a deployment question. Left out on purpose:
//!
//! - 514/tcp: rsh in the r-services family, but in practice syslog over TCP (rsyslog, syslog-ng images
//!   expose `514/tcp` and `514/udp`); rsh itself is extinct, and its siblings 512 and 513 stay listed.
//! - 2379/2380 (etcd): the port an etcd image exists to serve.
//! - 6000 (X11): rarely served over TCP, and commonly reused by unrelated applications.
//!
//! Git forges (Gitea, Gogs, GitLab, Forgejo) serve port 22 as their product: their SSH server runs git
//! with forced commands for push and pull, not a shell, so a container running one of these images is not
//! reported for it.
//!
//! It also reads how a port is published on the host: on which addresses and host ports.

use std::net::IpAddr;

use plimsoll_model::{ImageRef, Port, Protocol, Published};

/// A port (or run of ports) and the service behind it.
#[derive(Debug)]
pub struct RiskyPort {
    pub first: u16,
    pub last: u16,
    pub protocols: &'static [Protocol],
    /// The service, as the message names it (`SSH`).
    pub service: &'static str,
    /// What to do instead, for the finding's help.
    pub instead: &'static str,
}

const TCP: &[Protocol] = &[Protocol::Tcp];
const TCP_UDP: &[Protocol] = &[Protocol::Tcp, Protocol::Udp];

const fn port(
    first: u16,
    last: u16,
    protocols: &'static [Protocol],
    service: &'static str,
    instead: &'static str,
) -> RiskyPort {
    RiskyPort { first, last, protocols, service, instead }
}

const REMOTE_SHELL: &str =
    "Use `docker exec` or `kubectl exec` for shell access and remove the login service from the image.";
const DOCKER_API: &str = "Do not expose the Docker daemon: controlling it is root on the host. Build with BuildKit or a rootless builder instead of a reachable daemon.";
const FILE_SHARING: &str = "Serve the files over an authenticated, encrypted protocol (HTTPS, SFTP), or keep the port on an internal network and do not declare it in the image.";
const REMOTE_DESKTOP: &str = "Do not ship a remote desktop server in the image; if one is needed for debugging, bind it to localhost and reach it through an SSH or `kubectl port-forward` tunnel.";

/// The table, by port.
pub const RISKY_PORTS: &[RiskyPort] = &[
    port(21, 21, TCP, "FTP, which sends credentials in cleartext", FILE_SHARING),
    port(22, 22, TCP, "SSH, a remote shell into the container", REMOTE_SHELL),
    port(23, 23, TCP, "Telnet, a cleartext remote shell", REMOTE_SHELL),
    port(
        111,
        111,
        TCP_UDP,
        "the RPC port mapper, a reconnaissance and amplification target",
        "Use NFSv4, which needs only port 2049, and do not expose rpcbind.",
    ),
    port(
        135,
        135,
        TCP_UDP,
        "the Microsoft RPC endpoint mapper, a remote-administration entry point",
        FILE_SHARING,
    ),
    port(139, 139, TCP, "the NetBIOS session service for SMB file sharing", FILE_SHARING),
    port(445, 445, TCP, "SMB file sharing, with a history of wormable flaws", FILE_SHARING),
    port(512, 512, TCP, "rexec, which sends credentials in cleartext", REMOTE_SHELL),
    port(513, 513, TCP, "rlogin, a cleartext remote shell", REMOTE_SHELL),
    port(
        2375,
        2375,
        TCP,
        "the Docker daemon API without TLS, root on the host to anyone who reaches it",
        DOCKER_API,
    ),
    port(2376, 2376, TCP, "the Docker daemon API, root on the host to its clients", DOCKER_API),
    port(3389, 3389, TCP_UDP, "RDP, a remote desktop", REMOTE_DESKTOP),
    port(4243, 4243, TCP, "the Docker daemon API on its legacy port, root on the host", DOCKER_API),
    port(5900, 5903, TCP, "VNC, a remote desktop often left without a password", REMOTE_DESKTOP),
    port(5985, 5985, TCP, "WinRM over HTTP, remote administration of Windows", REMOTE_SHELL),
    port(5986, 5986, TCP, "WinRM over HTTPS, remote administration of Windows", REMOTE_SHELL),
    port(
        10250,
        10250,
        TCP,
        "the kubelet API, which runs commands in every pod on the node",
        "Do not expose the kubelet API from a container; node components belong to the node, not to an image.",
    ),
];

/// A risky port inside a declared port or range: the port number and its table row.
#[derive(Debug)]
pub struct RiskyHit {
    pub port: u16,
    pub risk: &'static RiskyPort,
}

/// The risky ports a declared port (or range) includes, in port order; empty when the port depends on a
/// variable.
pub fn risky_ports(declared: &Port) -> Vec<RiskyHit> {
    let (Some(start), Some(end)) = (declared.start, declared.end) else { return Vec::new() };
    let mut hits = Vec::new();
    for risk in RISKY_PORTS.iter().filter(|r| r.protocols.contains(&declared.protocol)) {
        for port in risk.first.max(start)..=risk.last.min(end) {
            hits.push(RiskyHit { port, risk });
        }
    }
    hits
}

/// Images (by the last component of their repository path) whose SSH server serves git, not shells.
const GIT_FORGES: &[&str] = &["gitea", "gogs", "gitlab-ce", "gitlab-ee", "forgejo"];

/// Whether `image` is a git forge whose port 22 is git over SSH (`gitea/gitea`, `gogs/gogs`,
/// `gitlab/gitlab-ce`, `codeberg.org/forgejo/forgejo`).
pub fn serves_git_over_ssh(image: &ImageRef) -> bool {
    GIT_FORGES.contains(&image.name())
}

/// Whether a published port listens on every network interface of the host: no host address, or the
/// unspecified address (`0.0.0.0`, `::`, `[::]`). An address that depends on a variable is not guessed.
pub fn on_all_interfaces(published: &Published) -> bool {
    let Some(ip) = &published.host_ip else { return true };
    let ip = ip.value.trim();
    let bare = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
    bare.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified())
}

/// The first and last host port a published port binds (`8080` → 8080–8080, `8000-8010`), when written as
/// numbers; `None` when the runtime picks the port or it depends on a variable.
pub fn host_ports(published: &Published) -> Option<(u16, u16)> {
    let text = published.host_port.as_ref()?.value.trim();
    let (first, last) = text.split_once('-').unwrap_or((text, text));
    let (first, last) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    (first <= last).then_some((first, last))
}

/// `22`, `20-25` or `53/udp`: a container port (or range) as a message names it; `None` when unknown.
pub fn container_port_text(port: &Port) -> Option<String> {
    let (start, end) = (port.start?, port.end?);
    let number = if start == end { start.to_string() } else { format!("{start}-{end}") };
    Some(with_protocol(number, port.protocol))
}

/// Appends the protocol when it is not TCP, the default: `53` → `53/udp`.
pub fn with_protocol(ports: String, protocol: Protocol) -> String {
    match protocol {
        Protocol::Tcp => ports,
        other => format!("{ports}/{}", other.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_span::{Spanned, TextRange};

    use super::*;

    fn declared(start: u16, end: u16, protocol: Protocol) -> Port {
        Port { start: Some(start), end: Some(end), protocol, range: TextRange::default(), published: None }
    }

    fn ports(p: &Port) -> Vec<u16> {
        risky_ports(p).iter().map(|h| h.port).collect()
    }

    #[test]
    fn single_ports_and_protocols() {
        assert_eq!(ports(&declared(22, 22, Protocol::Tcp)), [22]);
        assert!(ports(&declared(22, 22, Protocol::Udp)).is_empty());
        assert_eq!(ports(&declared(111, 111, Protocol::Udp)), [111]);
        assert!(ports(&declared(514, 514, Protocol::Tcp)).is_empty());
        assert!(ports(&declared(8080, 8080, Protocol::Tcp)).is_empty());
    }

    #[test]
    fn ranges_include_every_risky_port() {
        assert_eq!(ports(&declared(20, 25, Protocol::Tcp)), [21, 22, 23]);
        assert_eq!(ports(&declared(5901, 5910, Protocol::Tcp)), [5901, 5902, 5903]);
        assert!(ports(&declared(8000, 9000, Protocol::Tcp)).is_empty());
    }

    #[test]
    fn unknown_ports_are_not_guessed() {
        let p = Port {
            start: None,
            end: None,
            protocol: Protocol::Tcp,
            range: TextRange::default(),
            published: None,
        };
        assert!(ports(&p).is_empty());
    }

    fn published(ip: Option<&str>, port: Option<&str>) -> Published {
        let spanned = |s: &str| Spanned::new(s.to_string(), TextRange::default());
        Published { host_ip: ip.map(spanned), host_port: port.map(spanned) }
    }

    #[test]
    fn unspecified_addresses_bind_every_interface() {
        for ip in [None, Some("0.0.0.0"), Some("::"), Some("[::]"), Some("0:0:0:0:0:0:0:0")] {
            assert!(on_all_interfaces(&published(ip, Some("80"))), "{ip:?}");
        }
        for ip in ["127.0.0.1", "::1", "[::1]", "192.168.1.10", "${BIND_IP}"] {
            assert!(!on_all_interfaces(&published(Some(ip), Some("80"))), "{ip}");
        }
    }

    #[test]
    fn git_forges_serve_git_over_ssh() {
        for image in [
            "gitea/gitea:1.22",
            "gogs/gogs",
            "gitlab/gitlab-ce:17.0.0-ce.0",
            "codeberg.org/forgejo/forgejo:9",
        ] {
            assert!(serves_git_over_ssh(&ImageRef::parse(image).unwrap()), "{image}");
        }
        for image in ["linuxserver/openssh-server", "ubuntu:24.04", "gitlab/gitlab-runner"] {
            assert!(!serves_git_over_ssh(&ImageRef::parse(image).unwrap()), "{image}");
        }
    }

    #[test]
    fn host_ports_as_numbers() {
        assert_eq!(host_ports(&published(None, Some("8080"))), Some((8080, 8080)));
        assert_eq!(host_ports(&published(None, Some("8000-8010"))), Some((8000, 8010)));
        assert_eq!(host_ports(&published(None, Some("${PORT}"))), None);
        assert_eq!(host_ports(&published(None, None)), None);
        assert_eq!(host_ports(&published(None, Some("90-80"))), None);
    }

    #[test]
    fn container_ports_as_messages_name_them() {
        let mut p = declared(53, 53, Protocol::Udp);
        assert_eq!(container_port_text(&p).as_deref(), Some("53/udp"));
        p.end = Some(54);
        assert_eq!(container_port_text(&p).as_deref(), Some("53-54/udp"));
        p.start = None;
        assert_eq!(container_port_text(&p), None);
    }

    #[test]
    fn the_table_is_sorted_and_well_formed() {
        for pair in RISKY_PORTS.windows(2) {
            assert!(pair[0].last < pair[1].first, "{} overlaps or precedes {}", pair[0].first, pair[1].first);
        }
        for row in RISKY_PORTS {
            assert!(row.first <= row.last && !row.protocols.is_empty());
            assert!(row.instead.ends_with('.'), "{}", row.first);
        }
    }
}
