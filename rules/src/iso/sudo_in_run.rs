use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags `sudo` (and `doas`) run by a `RUN` instruction.
    ///
    /// ## Why is this bad?
    /// Build steps already run as the current `USER`; `sudo` in a Dockerfile usually means the image keeps a
    /// sudo-capable user around at run time, which gives any compromised process a documented path back to
    /// root. It also has unpredictable TTY and signal behaviour. Run the privileged steps as `root` before
    /// switching `USER`, or use a tool such as `gosu`/`su-exec` in an entrypoint to drop privileges.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// RUN apt-get update
    /// USER app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
    code: "ISO004",
    name: "sudo-in-run",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [
        "DL3004", "CKV2_DOCKER_1", "DS-0010", "8ada6e80-0ade-439e-b176-0b28f6bce35a", "sudo_usage",
        "DKL-DI-0001",
    ],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(word) = ctx.command.words.first() else { return };
    if matches!(ctx.command.name(), Some("sudo" | "doas")) {
        r.report(word.range, format!("`{}` is used in a RUN instruction", word.text)).help(
            "Run privileged steps before switching `USER` (they run as root), and drop `sudo` from the image.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, spans};

    #[test]
    fn flags_the_sudo_word() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sudo apt-get install -y x\n"), ["sudo"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt-get update && \\\n    sudo -E make install\n"), ["sudo"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"sudo\", \"make\"]\n"), ["\"sudo\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'sudo make'\n"), ["sudo"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN /usr/bin/sudo true\n"), ["/usr/bin/sudo"]);
    }

    #[test]
    fn mentions_are_not_commands() {
        assert_clean(&RULE, "FROM a:1\nRUN apt-get install -y sudo\n");
        assert_clean(&RULE, "FROM a:1\nRUN echo \"use sudo\" && grep sudo /etc/group\n");
        assert_clean(&RULE, "FROM a:1\nCMD sudo -u app server\n");
    }
}
