use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Kind};

declare_rule! {
    /// ## What it does
    /// Flags operating-system packages that install a privilege-escalation tool into the image: `sudo` (and
    /// its variants `sudo-ldap` and `sudo-rs`), `doas` and `opendoas`, with any package manager, in the final
    /// stage or a stage it builds on (build stages whose files are only copied out are not checked).
    ///
    /// ## Why is this bad?
    /// Containers should not need to become root once they run: the steps that need root belong in the
    /// build, before `USER` switches to an unprivileged user. A `sudo` binary with a `sudoers` rule left in
    /// the image hands any process that gets code execution in the container a documented path back to
    /// root, which undoes the unprivileged `USER`. Images that must drop privileges at start-up can use
    /// `gosu` or `su-exec` from an entrypoint running as root, which cannot go the other way.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends sudo \
    ///  && useradd -m app && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// RUN useradd -m app
    /// USER app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    /// - CIS Docker Benchmark v1.6.0, 4.1 "Ensure that a user for the container has been created"
    code: "ISO005",
    name: "sudo-installed",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [],
    checks: [Check::RunCommand(check)],
}

const ESCALATION: &[&str] = &["sudo", "sudo-ldap", "sudo-rs", "doas", "opendoas"];

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(op) = packages::parse(ctx.command).filter(|op| op.manager.is_system()) else { return };
    if !packages::ships(ctx) {
        return;
    }
    for (word, kind) in op.installed() {
        let Kind::Named { name, .. } = kind else { continue };
        if ESCALATION.iter().any(|e| e.eq_ignore_ascii_case(name)) {
            r.report(word.range, format!("Package `{name}` lets processes in the container become root"))
                .help(format!(
                    "Do the privileged steps as root before `USER` switches to an unprivileged user, and leave \
                     `{name}` out of the image; use `gosu` or `su-exec` in an entrypoint to drop privileges."
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn sudo_and_doas_through_every_manager() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl sudo\n";
        assert_eq!(spans(&RULE, text), ["sudo"]);
        assert_eq!(messages(&RULE, text), ["Package `sudo` lets processes in the container become root"]);
        assert_eq!(
            spans(&RULE, "FROM alpine:3\nRUN apk add --no-cache doas sudo=1.9.15-r0\n"),
            ["doas", "sudo=1.9.15-r0"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN yum install -y sudo-1.9.5p2\n"), ["sudo-1.9.5p2"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN microdnf install -y sudo && zypper in -y sudo\n"),
            ["sudo", "sudo"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD RUN [\"apt-get\", \"install\", \"-y\", \"sudo\"]\n"),
            ["\"sudo\""]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'apt-get install -y sudo'\n"), ["sudo"]);
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1\nRUN <<EOF\nenv DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n  'sudo'\nEOF\n"
            ),
            ["'sudo'"]
        );
    }

    #[test]
    fn only_stages_that_ship() {
        let build = "FROM alpine:3 AS build\nRUN apk add sudo\nFROM alpine:3\nCOPY --from=build /out /out\n";
        assert_clean(&RULE, build);
        let base = "FROM alpine:3 AS base\nRUN apk add sudo\nFROM base AS app\nUSER app\n";
        assert_eq!(spans(&RULE, base), ["sudo"]);
    }

    #[test]
    fn removal_use_and_mentions_pass() {
        assert_clean(&RULE, "FROM a:1\nRUN apt-get purge -y sudo && apk del sudo\n");
        assert_clean(&RULE, "FROM a:1\nRUN sudo apt-get install -y curl\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get install -y sudo- gosu su-exec\n");
        assert_clean(&RULE, "FROM a:1\nRUN pip install sudo && echo sudo\n");
    }
}
