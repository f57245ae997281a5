use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Port, Protocol};

use crate::support::help;
use crate::support::ports::{RiskyHit, risky_ports};

declare_rule! {
    /// ## What it does
    /// Flags containers that expose a port of a remote-administration or cleartext-login service, alone or
    /// inside a port range:
    ///
    /// | Port | Service |
    /// | --- | --- |
    /// | 21/tcp | FTP (cleartext credentials) |
    /// | 22/tcp | SSH server |
    /// | 23/tcp | Telnet |
    /// | 111/tcp, 111/udp | RPC port mapper (rpcbind) |
    /// | 135/tcp, 135/udp | Microsoft RPC endpoint mapper |
    /// | 139/tcp, 445/tcp | NetBIOS session service and SMB |
    /// | 512/tcp, 513/tcp | rexec, rlogin |
    /// | 2375/tcp, 2376/tcp, 4243/tcp | Docker daemon API |
    /// | 3389/tcp, 3389/udp | RDP |
    /// | 5900–5903/tcp | VNC |
    /// | 5985/tcp, 5986/tcp | WinRM |
    /// | 10250/tcp | kubelet API |
    ///
    /// For a Dockerfile, the ports are the `EXPOSE`s of the final stage and the stages it builds on, with
    /// variables substituted; an `EXPOSE` in a build stage that does not ship is not reported.
    ///
    /// ## Why is this bad?
    /// These services give whoever reaches them a shell, a desktop, control of the Docker daemon or the
    /// node (root on the host), or they send passwords in cleartext. A container should not run them: shell
    /// access belongs to `docker exec`/`kubectl exec`, which go through the runtime's authentication and
    /// audit. Declaring the port also invites publishing it (`docker run -P` publishes every exposed port).
    ///
    /// The services an image exists to provide (databases, caches, brokers, etcd) are not listed: their
    /// exposure is a deployment decision. 514/tcp is not listed either: rsh is extinct, and the port is
    /// syslog over TCP in practice.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y openssh-server
    /// EXPOSE 22 8080
    /// CMD ["/usr/sbin/sshd", "-D"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM ubuntu:24.04
    /// COPY app /usr/local/bin/app
    /// EXPOSE 8080
    /// CMD ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.7 "Ensure sshd is not run within containers"
    /// - [Docker: protect the Docker daemon socket](https://docs.docker.com/engine/security/protect-access/)
    /// - [Kubernetes: kubelet authentication and authorization](https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/)
    code: "NET001",
    name: "risky-port-exposed",
    family: Net,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["CKV_DOCKER_1", "DS-0004", "5907595b-5b6d-4142-b173-dbb0e73fbff8"],
    checks: [Check::Container(check)],
}

/// How many services a range finding names before summarising the rest.
const LISTED: usize = 3;

fn check(container: &Container, r: &mut Reporter) {
    for port in &container.ports {
        let hits = risky_ports(port);
        let Some(first) = hits.first() else { continue };
        let message = if port.start == port.end {
            format!("Container exposes port {} ({})", number(first.port, port.protocol), first.risk.service)
        } else {
            format!(
                "Container exposes ports {}, which include {}",
                range_text(port),
                listing(&hits, port.protocol)
            )
        };
        r.report(port.range, message).help(help::for_format(
            container.format,
            &format!("{} Remove the port from `EXPOSE`.", first.risk.instead),
            &format!("{} Remove the port from `ports:`/`expose:`.", first.risk.instead),
            &format!("{} Remove the `containerPort`.", first.risk.instead),
        ));
    }
}

/// `22`, or `111/udp` when the protocol is not the default.
fn number(port: u16, protocol: Protocol) -> String {
    with_protocol(port.to_string(), protocol)
}

/// `20-25`, `100-200/udp`.
fn range_text(port: &Port) -> String {
    let (start, end) = (port.start.unwrap_or_default(), port.end.unwrap_or_default());
    with_protocol(format!("{start}-{end}"), port.protocol)
}

fn with_protocol(ports: String, protocol: Protocol) -> String {
    match protocol {
        Protocol::Tcp => ports,
        other => format!("{ports}/{}", other.as_str()),
    }
}

/// `22 (SSH, …) and 23 (Telnet, …)`, at most [`LISTED`] of them.
fn listing(hits: &[RiskyHit], protocol: Protocol) -> String {
    let mut parts: Vec<String> = hits
        .iter()
        .take(LISTED)
        .map(|h| format!("{} ({})", number(h.port, protocol), h.risk.service))
        .collect();
    if hits.len() > LISTED {
        parts.push(format!("{} more", hits.len() - LISTED));
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn risky_ports_point_at_the_port_word() {
        assert_eq!(spans(&RULE, "FROM a:1\nEXPOSE 22\n"), ["22"]);
        assert_eq!(spans(&RULE, "FROM a:1\nEXPOSE 8080 22/tcp 443\n"), ["22/tcp"]);
        assert_eq!(spans(&RULE, "FROM a:1\nexpose 2375 2376\n"), ["2375", "2376"]);
        assert_eq!(spans(&RULE, "FROM a:1\nEXPOSE \\\n  80 \\\n  5900\n"), ["5900"]);
        assert_eq!(spans(&RULE, "FROM a:1\nEXPOSE 111/udp\n"), ["111/udp"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nEXPOSE 22\n"),
            ["Container exposes port 22 (SSH, a remote shell into the container)"]
        );
        let found = lint(&RULE, "FROM a:1\nEXPOSE 22\n");
        assert!(found[0].help.as_deref().unwrap().starts_with("Use `docker exec` or `kubectl exec`"));
    }

    #[test]
    fn ranges_that_include_a_risky_port() {
        assert_eq!(spans(&RULE, "FROM a:1\nEXPOSE 20-25\n"), ["20-25"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nEXPOSE 20-25\n"),
            [
                "Container exposes ports 20-25, which include 21 (FTP, which sends credentials in cleartext), 22 (SSH, \
              a remote shell into the container) and 23 (Telnet, a cleartext remote shell)"
            ]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nEXPOSE 5900-5910\n"),
            [
                "Container exposes ports 5900-5910, which include 5900 (VNC, a remote desktop often left without a \
              password), 5901 (VNC, a remote desktop often left without a password), 5902 (VNC, a remote desktop \
              often left without a password) and 1 more"
            ]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nEXPOSE 100-200/udp\n"),
            [
                "Container exposes ports 100-200/udp, which include 111/udp (the RPC port mapper, a reconnaissance \
              and amplification target) and 135/udp (the Microsoft RPC endpoint mapper, a remote-administration \
              entry point)"
            ]
        );
    }

    #[test]
    fn variables_are_substituted() {
        assert_eq!(spans(&RULE, "FROM a:1\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}\n"), ["${SSH_PORT}"]);
        assert_clean(&RULE, "FROM a:1\nARG PORT\nEXPOSE $PORT\n");
    }

    #[test]
    fn only_ports_of_the_shipped_stages_count() {
        assert_clean(&RULE, "FROM a:1 AS build\nEXPOSE 22\nFROM a:1\nEXPOSE 8080\n");
        assert_eq!(spans(&RULE, "FROM a:1 AS base\nEXPOSE 22\nFROM base\nEXPOSE 8080\n"), ["22"]);
    }

    #[test]
    fn ordinary_ports_pass() {
        assert_clean(&RULE, "FROM a:1\nEXPOSE 80 443 5432 6379 8080-8090 2222 514/tcp 514/udp 22/udp 2379\n");
        assert_clean(&RULE, "FROM a:1\n");
    }
}
