use plimsoll_dockerfile::Keyword;
use plimsoll_linter::{Check, CommandCtx, InstructionCtx, Reporter, declare_rule};

use crate::support::file_modes::{self, Grants};

declare_rule! {
    /// ## What it does
    /// Flags modes that make files or directories writable by every user: `chmod 777`, `chmod 666`,
    /// `chmod -R a+rwX`, `chmod o+w`, `chmod ugo=rwx` (also through `find … -exec chmod`), `install -m 777`,
    /// `mkdir -m 777` and `COPY`/`ADD --chmod=777`.
    ///
    /// Not flagged: modes with the sticky bit (`1777`, `a+rwxt`), the standard and safe mode for shared
    /// scratch directories such as `/tmp`; `chmod +w` without a `who` (the umask keeps others from
    /// writing); and device nodes under `/dev`, which are not part of the image.
    ///
    /// ## Why is this bad?
    /// A world-writable file can be changed by any process in the container, whatever user it runs as: a
    /// compromised unprivileged service can rewrite scripts, binaries or configuration that root or another
    /// service later runs, and so escalate its privileges or persist. A world-writable directory without the
    /// sticky bit also lets any user delete or replace the other users' files. Usually the intent is to
    /// let one application user write: give that user or group the permission instead.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// COPY . /app
    /// RUN chmod -R 777 /app
    /// USER 10001
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// COPY --chown=10001:0 . /app
    /// RUN chmod -R g=u /app
    /// USER 10001
    /// ```
    ///
    /// ## References
    /// - [chmod(1)](https://man7.org/linux/man-pages/man1/chmod.1.html)
    /// - [Dockerfile reference: COPY --chmod](https://docs.docker.com/reference/dockerfile/#copy---chown---chmod)
    code: "ISO006",
    name: "world-writable-permissions",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(&[Keyword::Copy, Keyword::Add], check_copy),
    ],
}

const HELP: &str = "Give write access only to the user or group that needs it (`chown app /data` with `chmod 755`, or \
                    `chmod g+w` for a shared group); use `1777` for a shared scratch directory.";

fn world_writable(grants: Grants) -> bool {
    grants.world_writable && !grants.sticky
}

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(usage) = file_modes::mode_use(ctx.command) else { return };
    let Some(grants) = file_modes::grants(usage.mode.text()) else { return };
    if !world_writable(grants)
        || (!usage.targets.is_empty() && usage.targets.iter().all(|t| t.text.starts_with("/dev/")))
    {
        return;
    }
    let message = format!(
        "`{} {}` makes {} writable by every user",
        usage.tool,
        usage.mode.text(),
        usage.described_targets()
    );
    r.report(usage.mode.range(ctx.doc.text), message).help(HELP);
}

fn check_copy(ctx: &InstructionCtx, r: &mut Reporter) {
    let Some(value) = ctx.instruction.flag("chmod").and_then(|f| f.value.as_ref()) else { return };
    let Some(grants) = file_modes::grants(&value.text) else { return };
    if world_writable(grants) {
        let keyword = ctx.instruction.keyword.as_str();
        r.report(
            value.range,
            format!("`{keyword} --chmod={}` makes the copied files writable by every user", value.text),
        )
        .help(HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, run, spans};

    #[test]
    fn chmod_modes() {
        assert_eq!(spans(&RULE, &run("chmod -R 777 /app")), ["777"]);
        assert_eq!(spans(&RULE, &run("chmod 0666 /etc/app.conf")), ["0666"]);
        assert_eq!(spans(&RULE, &run("chmod -R a+rwX /data")), ["a+rwX"]);
        assert_eq!(spans(&RULE, &run("chmod o+w /srv/x")), ["o+w"]);
        assert_eq!(spans(&RULE, &run("chmod ugo=rwx /srv/x")), ["ugo=rwx"]);
        assert_eq!(spans(&RULE, &run("sudo chmod \"777\" /x")), ["777"]);
        assert_eq!(
            messages(&RULE, &run("chmod -R 777 /app /data")),
            ["`chmod 777` makes `/app` and 1 more path writable by every user"]
        );
        assert_eq!(
            messages(&RULE, &run("chmod 777 /tmp")),
            ["`chmod 777` makes `/tmp` writable by every user"]
        );
    }

    #[test]
    fn other_commands() {
        assert_eq!(spans(&RULE, &run("install -d -m 0777 /var/cache/app")), ["0777"]);
        assert_eq!(spans(&RULE, &run("mkdir -pm777 /data")), ["777"]);
        assert_eq!(spans(&RULE, &run("find /app -type d -exec chmod 777 {} +")), ["777"]);
        assert_eq!(spans(&RULE, &run("ls /app | xargs chmod a+w")), ["a+w"]);
        assert_eq!(spans(&RULE, "FROM a\nCOPY --chmod=777 run.sh /usr/local/bin/\n"), ["777"]);
        assert_eq!(
            messages(&RULE, "FROM a\nADD --chmod=666 x /x\n"),
            ["`ADD --chmod=666` makes the copied files writable by every user"]
        );
    }

    #[test]
    fn safe_modes_pass() {
        assert_clean(&RULE, &run("chmod 1777 /tmp && chmod a+rwxt /shared && mkdir -m 1777 /scratch"));
        assert_clean(&RULE, &run("chmod 755 /app && chmod +x run.sh && chmod +w conf && chmod g+w /data"));
        assert_clean(&RULE, &run("chmod 775 /app && chmod o-w /x && chmod go+rX /www"));
        assert_clean(&RULE, &run("chmod 666 /dev/null /dev/tty"));
        assert_clean(&RULE, &run("chmod $MODE /x && chmod --reference=a b && echo chmod 777 /x"));
        assert_clean(&RULE, "FROM a\nCOPY --chmod=755 run.sh /usr/local/bin/\n");
    }

    #[test]
    fn nested_forms() {
        assert_eq!(spans(&RULE, "FROM a\nONBUILD RUN chmod 777 /app\n"), ["777"]);
        assert_eq!(spans(&RULE, "FROM a\nRUN [\"chmod\", \"777\", \"/app\"]\n"), ["777"]);
        assert_eq!(spans(&RULE, &run("sh -c 'chmod -R 777 /app'")), ["777"]);
        assert_eq!(spans(&RULE, "FROM a\nRUN set -e; \\\n    chmod \\\n      777 /app\n"), ["777"]);
    }
}
