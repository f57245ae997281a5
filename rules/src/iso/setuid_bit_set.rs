use plimsoll_dockerfile::Keyword;
use plimsoll_linter::{Check, CommandCtx, InstructionCtx, Reporter, declare_rule};

use crate::support::file_modes::{self, ModeUse};
use crate::support::word_parts::part_range;

declare_rule! {
    /// ## What it does
    /// Flags build steps that give files the setuid or setgid bit: `chmod u+s`, `chmod +s`, `chmod 4755`,
    /// `chmod 6755` (also through `find … -exec chmod`), `install -m 4755` and `COPY`/`ADD --chmod=4755`;
    /// and `setcap` granting a file a capability that amounts to root (`cap_sys_admin`, `cap_setuid`,
    /// `cap_setgid`, `cap_dac_override`, `cap_dac_read_search`, `cap_chown`, `cap_fowner`, `cap_sys_ptrace`,
    /// `cap_sys_module`, `cap_sys_rawio`, `cap_setfcap`, `cap_setpcap`, `cap_bpf`, `cap_net_admin`, or all
    /// capabilities with `=ep`).
    ///
    /// The setgid bit alone is flagged only on files in a `bin`, `sbin` or `libexec` directory: on a
    /// directory (`chmod g+s /srv/shared`, `mkdir -m 2775`, `find -type d -exec chmod g+s`) it only makes new
    /// files inherit the directory's group, a common and harmless pattern. `setcap cap_net_bind_service=+ep`
    /// (bind ports below 1024 without root) and `cap_net_raw` (`ping`) are not flagged.
    ///
    /// ## Why is this bad?
    /// A setuid or setgid executable runs with its owner's or group's privileges whoever starts it; owned by
    /// root, it is a ready-made path from any compromised process in the container to root, and every bug in
    /// it becomes a privilege escalation. File capabilities are the same in finer grain. Containers rarely
    /// need either: run the program as the right user, or grant a capability to the container at run time
    /// when it is truly needed.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// COPY backup-tool /usr/local/bin/backup-tool
    /// RUN chmod u+s /usr/local/bin/backup-tool
    /// USER 10001
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// COPY --chown=10001:10001 backup-tool /usr/local/bin/backup-tool
    /// RUN chmod 0755 /usr/local/bin/backup-tool
    /// USER 10001
    /// ```
    ///
    /// ## References
    /// - [chmod(1): setuid and setgid](https://man7.org/linux/man-pages/man1/chmod.1.html)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    /// - CIS Docker Benchmark v1.6.0, 4.8 "Ensure setuid and setgid permissions are removed"
    code: "ISO007",
    name: "setuid-bit-set",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["CIS-DI-0008"],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(&[Keyword::Copy, Keyword::Add], check_copy),
    ],
}

const HELP: &str = "Remove the bit (`chmod a-s`) and run the program as the user it needs, or grant a single \
                    capability to the container at run time (`--cap-add`) if it is truly required.";

/// Capabilities that let a process become root or bypass the kernel's access checks.
const ROOT_EQUIVALENT: &[&str] = &[
    "cap_sys_admin",
    "cap_setuid",
    "cap_setgid",
    "cap_dac_override",
    "cap_dac_read_search",
    "cap_chown",
    "cap_fowner",
    "cap_sys_ptrace",
    "cap_sys_module",
    "cap_sys_rawio",
    "cap_setfcap",
    "cap_setpcap",
    "cap_bpf",
    "cap_net_admin",
];

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    if let Some(usage) = file_modes::mode_use(ctx.command) {
        check_mode(ctx, &usage, r);
    }
    if ctx.command.program_name() == Some("setcap") {
        check_setcap(ctx, r);
    }
}

fn check_mode(ctx: &CommandCtx, usage: &ModeUse, r: &mut Reporter) {
    let Some(grants) = file_modes::grants(usage.mode.text()) else { return };
    // The setuid bit means nothing on a directory; the setgid bit there only sets new files' group.
    if usage.directories {
        return;
    }
    let bit = if grants.setuid {
        "setuid"
    } else if grants.setgid && usage.targets.iter().any(|t| in_program_directory(&t.text)) {
        "setgid"
    } else {
        return;
    };
    let message =
        format!("`{} {}` sets the {bit} bit on {}", usage.tool, usage.mode.text(), usage.described_targets());
    r.report(usage.mode.range(ctx.doc.text), message).help(HELP);
}

/// A path inside a directory of programs (`/usr/bin/x`, `/usr/local/sbin/x`, `/usr/libexec/x`).
fn in_program_directory(path: &str) -> bool {
    ["/bin/", "/sbin/", "/libexec/"].iter().any(|dir| path.contains(dir) && !path.ends_with('/'))
}

/// `setcap [-q] [-v] [-n rootid] CAPS FILE [CAPS FILE …]`; `-r FILE` removes.
fn check_setcap(ctx: &CommandCtx, r: &mut Reporter) {
    let args = ctx.command.program_args();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        match word.text.as_str() {
            "-r" => return,
            "-n" => i += 2,
            text if text.starts_with('-') => i += 1,
            _ => {
                let file = args.get(i + 1).map_or("a file", |f| f.text.as_str());
                if let Some((part, capability)) = root_equivalent_grant(&word.text) {
                    let range = part_range(ctx.doc.text, word.range, &word.text, part);
                    let message = format!("`setcap` grants `{capability}` to `{file}`");
                    r.report(range, message).help(
                        "Run the program as a user that does not need the capability, or grant it to the container \
                         at run time (`--cap-add`) only where it is required.",
                    );
                }
                i += 2;
            }
        }
    }
}

/// In a capability text (`cap_net_bind_service,cap_setuid+ep`, `=ep`), the first root-equivalent capability
/// put in the permitted or effective set, as a range of the text and its name.
fn root_equivalent_grant(text: &str) -> Option<(std::ops::Range<usize>, &str)> {
    let mut start = 0;
    for clause in text.split_whitespace() {
        let clause_start = start + text[start..].find(clause).unwrap_or(0);
        start = clause_start + clause.len();
        let operator = clause.find(['=', '+', '-'])?;
        let (names, actions) = clause.split_at(operator);
        let grants =
            actions.split(['=', '+']).skip(1).any(|flags| flags.contains('p') || flags.contains('e'))
                && !actions.starts_with('-');
        if !grants {
            continue;
        }
        if names.is_empty() || names.eq_ignore_ascii_case("all") {
            return Some((clause_start..clause_start + clause.len(), "all capabilities"));
        }
        let mut at = clause_start;
        for name in names.split(',') {
            if ROOT_EQUIVALENT.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                return Some((at..at + name.len(), name));
            }
            at += name.len() + 1;
        }
    }
    None
}

fn check_copy(ctx: &InstructionCtx, r: &mut Reporter) {
    let Some(value) = ctx.instruction.flag("chmod").and_then(|f| f.value.as_ref()) else { return };
    let Some(grants) = file_modes::grants(&value.text) else { return };
    let bit = match (grants.setuid, grants.setgid) {
        (true, _) => "setuid",
        (false, true) => "setgid",
        _ => return,
    };
    let keyword = ctx.instruction.keyword.as_str();
    r.report(
        value.range,
        format!("`{keyword} --chmod={}` sets the {bit} bit on the copied files", value.text),
    )
    .help(HELP);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, run, spans};

    #[test]
    fn setuid_modes() {
        assert_eq!(spans(&RULE, &run("chmod u+s /usr/local/bin/tool")), ["u+s"]);
        assert_eq!(spans(&RULE, &run("chmod 4755 /usr/local/bin/tool")), ["4755"]);
        assert_eq!(spans(&RULE, &run("chmod +s /opt/app/helper")), ["+s"]);
        assert_eq!(spans(&RULE, &run("chmod 6755 /opt/x")), ["6755"]);
        assert_eq!(spans(&RULE, &run("install -Dm4755 tool /usr/bin/tool")), ["4755"]);
        assert_eq!(
            messages(&RULE, &run("chmod u+s /usr/local/bin/tool")),
            ["`chmod u+s` sets the setuid bit on `/usr/local/bin/tool`"]
        );
        assert_eq!(spans(&RULE, "FROM a\nCOPY --chmod=4755 tool /usr/bin/\n"), ["4755"]);
        assert_eq!(
            messages(&RULE, "FROM a\nCOPY --chmod=2755 tool /usr/bin/\n"),
            ["`COPY --chmod=2755` sets the setgid bit on the copied files"]
        );
    }

    #[test]
    fn setgid_only_on_programs() {
        assert_eq!(spans(&RULE, &run("chmod g+s /usr/bin/crontab")), ["g+s"]);
        assert_eq!(
            messages(&RULE, &run("chmod 2755 /usr/local/sbin/x")),
            ["`chmod 2755` sets the setgid bit on `/usr/local/sbin/x`"]
        );
        assert_clean(&RULE, &run("chmod g+s /srv/shared && chmod 2775 /var/www /data"));
        assert_clean(
            &RULE,
            &run("mkdir -m 2775 /x && install -d -m 2770 /y && find /app -type d -exec chmod g+s {} +"),
        );
        assert_clean(&RULE, &run("chmod g+s /usr/local/bin"));
    }

    #[test]
    fn removals_and_ordinary_modes_pass() {
        assert_clean(&RULE, &run("chmod a-s /usr/bin/* && chmod 0755 /x && chmod u-s,g-s /y && chmod +x /z"));
        assert_clean(&RULE, &run("find / -perm /6000 -type f -exec chmod a-s {} \\;"));
        assert_clean(&RULE, "FROM a\nCOPY --chmod=0755 tool /usr/bin/\n");
    }

    #[test]
    fn capabilities() {
        assert_eq!(spans(&RULE, &run("setcap cap_setuid+ep /usr/bin/python3")), ["cap_setuid"]);
        assert_eq!(
            spans(&RULE, &run("setcap 'cap_net_bind_service,cap_sys_admin=+ep' /usr/bin/x")),
            ["cap_sys_admin"]
        );
        assert_eq!(spans(&RULE, &run("setcap =ep /usr/bin/x")), ["=ep"]);
        assert_eq!(
            messages(&RULE, &run("setcap cap_dac_override+eip /opt/x")),
            ["`setcap` grants `cap_dac_override` to `/opt/x`"]
        );
        assert_clean(
            &RULE,
            &run("setcap cap_net_bind_service=+ep /usr/bin/node && setcap cap_net_raw+p /bin/ping"),
        );
        assert_clean(&RULE, &run("setcap -r /usr/bin/x && setcap cap_setuid-ep /usr/bin/y"));
    }

    #[test]
    fn nested_forms() {
        assert_eq!(spans(&RULE, "FROM a\nONBUILD RUN chmod u+s /usr/bin/x\n"), ["u+s"]);
        assert_eq!(spans(&RULE, &run("sudo sh -c 'chmod 4755 /usr/bin/x'")), ["4755"]);
        assert_eq!(spans(&RULE, &run("find /opt/bin -type f -exec chmod u+s {} +")), ["u+s"]);
    }
}
