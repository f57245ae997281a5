use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, ImageRole, ImageUse, Port, Protocol};

use crate::support::help;
use crate::support::ports::{RiskyHit, risky_ports, serves_git_over_ssh, with_protocol};

declare_rule! {
    /// ## What it does
    /// Flags containers that expose a port of a remote-administration or cleartext-login service, alone or
    /// inside a port range: a Dockerfile `EXPOSE`, a Compose `ports:` or `expose:` item, a Kubernetes
    /// `containerPort`.
    ///
    /// The ports:
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
    /// variables substituted; an `EXPOSE` in a build stage that does not ship is not reported. For a Compose
    /// service, they are the container ports of its `ports:` (published on the host, which the message
    /// says) and `expose:` items, with `${VAR:-default}` defaults; the ports the Dockerfile of a `build:`
    /// section exposes are reported at `build:`. For a Kubernetes container, they are the `containerPort`s
    /// of its `ports:` (published on the node when a `hostPort` is set, which the message says); 10250 is
    /// not reported there, since the node's kubelet does not run in a pod and a pod's port 10250 is its own
    /// (metrics-server serves its API on it).
    ///
    /// ## Why is this bad?
    /// These services give whoever reaches them a shell, a desktop, control of the Docker daemon or the
    /// node (root on the host), or they send passwords in cleartext. A container should not run them: shell
    /// access belongs to `docker exec`/`kubectl exec`, which go through the runtime's authentication and
    /// audit. Declaring the port also invites publishing it (`docker run -P` publishes every exposed port),
    /// and a published port is reachable from outside the host: a published Docker API (`2375:2375`) is
    /// root on the host for anyone on the network.
    ///
    /// The services an image exists to provide (databases, caches, brokers, etcd) are not listed: their
    /// exposure is a deployment decision. For the same reason port 22 of a service running a git forge
    /// image (`gitea/gitea`, `gogs/gogs`, `gitlab/gitlab-ce`, `forgejo`) is not reported: its SSH server runs
    /// git for push and pull, not a shell. 514/tcp is not listed either: rsh is extinct, and the port is
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
    /// In Compose (`docker compose exec app sh` gives the shell instead):
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:4.0
    ///     ports:
    ///       - "8080:8080"
    ///       - "2222:22"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:4.0
    ///     ports:
    ///       - "8080:8080"
    /// ```
    ///
    /// In a Kubernetes manifest (`kubectl exec` gives the shell instead):
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:4.0
    ///       ports:
    ///         - containerPort: 8080
    ///         - containerPort: 22
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:4.0
    ///       ports:
    ///         - containerPort: 8080
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
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["CKV_DOCKER_1", "DS-0004", "5907595b-5b6d-4142-b173-dbb0e73fbff8", "ssh-port"],
    checks: [Check::Container(check)],
}

/// The SSH port, which git forges serve git on.
const GIT_SSH_PORT: u16 = 22;

/// The kubelet's port: the node's own service, not one a pod's container provides.
const KUBELET_PORT: u16 = 10250;

/// How many services a range finding names before summarising the rest.
const LISTED: usize = 3;

fn check(container: &Container, r: &mut Reporter) {
    // The image a Compose service runs as is; a Dockerfile building on a forge image may add its own sshd.
    let git_forge = container
        .image
        .as_ref()
        .filter(|i| i.role == ImageRole::Runtime)
        .and_then(ImageUse::image)
        .is_some_and(serves_git_over_ssh);
    for port in &container.ports {
        let mut hits = risky_ports(port);
        if git_forge {
            hits.retain(|h| h.port != GIT_SSH_PORT);
        }
        if container.format == Format::Kubernetes {
            hits.retain(|h| h.port != KUBELET_PORT);
        }
        let Some(first) = hits.first() else { continue };
        // Publishing puts the service on the host's network: worse than declaring it.
        let verb = if port.published.is_some() { "publishes" } else { "exposes" };
        let message = if port.start == port.end {
            format!("Container {verb} port {} ({})", number(first.port, port.protocol), first.risk.service)
        } else {
            format!(
                "Container {verb} ports {}, which include {}",
                range_text(port),
                listing(&hits, port.protocol)
            )
        };
        let compose = if port.published.is_some() {
            format!("{} Remove the item from `ports:`.", first.risk.instead)
        } else {
            format!(
                "{} Remove the port from `expose:` (or from the `EXPOSE` of the Dockerfile the service builds).",
                first.risk.instead
            )
        };
        r.report(port.range, message).help(help::for_format(
            container.format,
            &format!("{} Remove the port from `EXPOSE`.", first.risk.instead),
            &compose,
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
    use crate::testing::{
        assert_clean, assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, lint, lint_compose,
        lint_k8s, messages, pod, spans,
    };

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

    fn service(lines: &str) -> String {
        format!("services:\n  app:\n    image: example/app:1\n{lines}")
    }

    #[test]
    fn compose_published_ports_say_publishes() {
        let yaml =
            service("    ports:\n      - \"8080:8080\"\n      - \"2222:22\"\n      - 127.0.0.1:2375:2375\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"2222:22\"", "127.0.0.1:2375:2375"]);
        let found = lint_compose(&RULE, &yaml);
        assert_eq!(found[0].message, "Container publishes port 22 (SSH, a remote shell into the container)");
        assert!(found[0].help.as_deref().unwrap().ends_with("Remove the item from `ports:`."));
        assert_eq!(
            found[1].message,
            "Container publishes port 2375 (the Docker daemon API without TLS, root on the host to anyone who reaches it)"
        );
        // Long syntax and ranges; the container port is what identifies the service.
        let yaml = service(
            "    ports:\n      - target: 3389\n        published: 13389\n      - \"5000-5010:5895-5905\"\n",
        );
        assert_eq!(
            compose_spans(&RULE, &yaml),
            ["target: 3389\n        published: 13389", "\"5000-5010:5895-5905\""]
        );
        assert!(
            lint_compose(&RULE, &yaml)[1]
                .message
                .starts_with("Container publishes ports 5895-5905, which include 5900")
        );
    }

    #[test]
    fn compose_expose_says_exposes() {
        let yaml = service("    expose:\n      - \"22\"\n      - 111/udp\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"22\"", "111/udp"]);
        let found = lint_compose(&RULE, &yaml);
        assert_eq!(found[0].message, "Container exposes port 22 (SSH, a remote shell into the container)");
        assert!(found[0].help.as_deref().unwrap().contains("Remove the port from `expose:`"));
        let yaml = service("    expose: [\"${SSH_PORT:-22}\"]\n");
        assert_eq!(compose_spans(&RULE, &yaml), ["\"${SSH_PORT:-22}\""]);
    }

    #[test]
    fn git_forges_publish_git_over_ssh() {
        let yaml = "services:\n  git:\n    image: gitea/gitea:1.22\n    ports: [\"3000:3000\", \"2222:22\", \"5900:5900\"]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"5900:5900\""]);
        assert_compose_clean(&RULE, "services:\n  git:\n    image: gogs/gogs\n    ports: [\"10022:22\"]\n");
        // A Dockerfile building on a forge image keeps being checked: it may add an sshd of its own.
        assert_eq!(spans(&RULE, "FROM gitea/gitea:1.22\nEXPOSE 22\n"), ["22"]);
    }

    #[test]
    fn compose_ordinary_and_unknown_ports_pass() {
        // Host port 22 mapped to an ordinary container port is not an SSH server.
        assert_compose_clean(&RULE, &service("    ports: [\"22:8022\", \"8080:80\", \"53:53/udp\"]\n"));
        assert_compose_clean(
            &RULE,
            &service("    ports: [\"${SSH_PORT}:${SSH_PORT}\"]\n    expose: [\"22/udp\"]\n"),
        );
        assert!(lint_compose(&RULE, "services:\n  a:\n    image: x:1\n").is_empty());
    }

    #[test]
    fn kubernetes_container_ports() {
        let yaml = pod(
            "",
            "      ports:\n        - containerPort: 8080\n        - name: ssh\n          containerPort: 22\n        - containerPort: 5900\n          hostPort: 15900\n        - {containerPort: 111, protocol: UDP}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["22", "5900", "111"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Container exposes port 22 (SSH, a remote shell into the container)");
        assert!(found[0].help.as_deref().unwrap().ends_with("Remove the `containerPort`."));
        assert!(found[1].message.starts_with("Container publishes port 5900 (VNC"));
        assert!(found[2].message.starts_with("Container exposes port 111/udp"));
    }

    #[test]
    fn kubernetes_ordinary_forge_and_kubelet_ports_pass() {
        assert_k8s_clean(
            &RULE,
            &pod(
                "",
                "      ports:\n        - containerPort: 80\n        - containerPort: 22\n          protocol: UDP\n        - containerPort: 10250\n          name: https\n",
            ),
        );
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: gitea\n          image: gitea/gitea:1.22\n          ports:\n            - containerPort: 3000\n            - containerPort: 22\n";
        assert_k8s_clean(&RULE, yaml);
    }
}
