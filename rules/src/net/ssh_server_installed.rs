use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Ecosystem, Kind};

declare_rule! {
    /// ## What it does
    /// Flags operating-system packages that put an SSH server into the image: `openssh-server` and
    /// `dropbear` with any package manager, the Debian meta-package `ssh` (client and server), Alpine's and
    /// openSUSE's `openssh` (which pull in the server) and Debian's `tinysshd`. Client-only packages
    /// (`openssh-client`, `openssh-clients`, Debian's and Red Hat's `openssh`) are not reported, nor are
    /// installs in build stages that the final image does not build on.
    ///
    /// ## Why is this bad?
    /// An SSH daemon in a container is a second, long-lived entry point with its own credentials, host keys
    /// baked into the image (identical in every container started from it), and a service that must be
    /// patched and supervised next to the application. It bypasses the runtime's own access control and
    /// audit: `docker exec` and `kubectl exec` already give operators a shell, and `docker cp`/`kubectl cp`
    /// move files. The CIS Docker Benchmark asks that sshd not run within containers.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-client
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 5.7 "Ensure sshd is not run within containers"
    /// - [docker container exec](https://docs.docker.com/reference/cli/docker/container/exec/)
    code: "NET002",
    name: "ssh-server-installed",
    family: Net,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [],
    checks: [Check::RunCommand(check)],
}

/// Whether a package of the ecosystem installs an SSH server.
fn is_ssh_server(ecosystem: Ecosystem, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "openssh-server" | "dropbear" => true,
        // Debian's `ssh` is a meta-package for client and server; Debian splits dropbear in two.
        "ssh" | "dropbear-bin" | "dropbear-run" | "tinysshd" => ecosystem == Ecosystem::Debian,
        "openssh-server-pam" => ecosystem == Ecosystem::Alpine,
        // Alpine's and openSUSE's `openssh` depend on the server; elsewhere `openssh` is the common files.
        "openssh" => matches!(ecosystem, Ecosystem::Alpine | Ecosystem::Suse),
        _ => false,
    }
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(op) = packages::parse(ctx.command).filter(|op| op.manager.is_system()) else { return };
    if !packages::ships(ctx) {
        return;
    }
    let ecosystem = op.manager.ecosystem();
    for (word, kind) in op.installed() {
        let Kind::Named { name, .. } = kind else { continue };
        if is_ssh_server(ecosystem, name) {
            r.report(word.range, format!("Package `{name}` installs an SSH server in the image")).help(
                "Remove the SSH server: open a shell with `docker exec` or `kubectl exec` and copy files with \
                 `docker cp`; install only the client package (`openssh-client`) if the image needs `ssh`.",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn servers_through_every_manager() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl openssh-server=1:9.2p1-2\n";
        assert_eq!(spans(&RULE, text), ["openssh-server=1:9.2p1-2"]);
        assert_eq!(messages(&RULE, text), ["Package `openssh-server` installs an SSH server in the image"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt-get install -y ssh\n"), ["ssh"]);
        assert_eq!(
            spans(&RULE, "FROM alpine:3\nRUN apk add --no-cache openssh dropbear\n"),
            ["openssh", "dropbear"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN yum install -y openssh-server-8.0p1\n"),
            ["openssh-server-8.0p1"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN zypper -n in openssh\n"), ["openssh"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD RUN sudo dnf install -y openssh-server\n"),
            ["openssh-server"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN [\"apk\", \"add\", \"openssh-server\"]\n"),
            ["\"openssh-server\""]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN <<EOF\napt-get install -y \\\n  openssh-server\nEOF\n"),
            ["openssh-server"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN sh -c 'apt-get install -y \"openssh-server\"'\n"),
            ["\"openssh-server\""]
        );
    }

    #[test]
    fn only_stages_that_ship() {
        let build = "FROM debian:12 AS build\nRUN apt-get install -y openssh-server\nFROM debian:12\nCOPY --from=build /out /out\n";
        assert_clean(&RULE, build);
        let base = "FROM debian:12 AS base\nRUN apt-get install -y openssh-server\nFROM base\nRUN true\n";
        assert_eq!(spans(&RULE, base), ["openssh-server"]);
    }

    #[test]
    fn clients_and_other_managers_pass() {
        assert_clean(&RULE, "FROM debian:12\nRUN apt-get install -y openssh-client openssh-sftp-server\n");
        assert_clean(&RULE, "FROM fedora:41\nRUN dnf install -y openssh openssh-clients\n");
        assert_clean(&RULE, "FROM alpine:3\nRUN apk add openssh-client && apk del openssh-server\n");
        assert_clean(&RULE, "FROM a:1\nRUN pip install ssh && npm install ssh\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get install -y $SSH_PKG && echo openssh-server\n");
    }
}
