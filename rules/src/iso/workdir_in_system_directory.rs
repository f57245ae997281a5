use plimsoll_dockerfile::{Body, Keyword};
use plimsoll_linter::{Check, InstructionCtx, Reporter, declare_rule};

use crate::support::system_paths::{normalize, workdir_in_system_directory};

declare_rule! {
    /// ## What it does
    /// Flags `WORKDIR` paths in `/proc`, `/sys`, `/dev`, `/boot`, `/initrd` or `/lost+found`, after variable
    /// substitution and path normalisation (`/x/../proc` is `/proc`).
    ///
    /// ## Why is this bad?
    /// `/proc`, `/sys` and `/dev` are kernel filesystems the runtime mounts when the container starts:
    /// whatever a build step writes there is hidden at run time, and a process whose working directory is
    /// inside them reaches kernel interfaces with every relative path it opens or writes. `/boot`, `/initrd`
    /// and `/lost+found` belong to booting and repairing a host filesystem and have no role in a container.
    /// A working directory there is a mistake, or an attempt to reach the host's kernel settings.
    ///
    /// `/`, `/etc`, `/usr` and `/root` are common, legitimate working directories and are not flagged.
    /// Relative `WORKDIR`s and paths that depend on a variable without a value are not checked.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.22
    /// WORKDIR /proc/app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.22
    /// WORKDIR /app
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
    /// - [Filesystem Hierarchy Standard 3.0](https://refspecs.linuxfoundation.org/FHS_3.0/fhs-3.0.html)
    code: "ISO009",
    name: "workdir-in-system-directory",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DS-0030"],
    checks: [Check::Instruction(&[Keyword::Workdir], check)],
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    let Body::Workdir(word) = &ctx.instruction.body else { return };
    let expanded = ctx.expand(&word.text);
    if !expanded.complete {
        return;
    }
    let Some(dir) = workdir_in_system_directory(&expanded.text) else { return };
    let message = if normalize(&expanded.text).as_deref() == Some(dir.path) {
        format!("Working directory is `{}`, {}", dir.path, dir.what)
    } else {
        format!("Working directory `{}` is inside `{}`, {}", expanded.text, dir.path, dir.what)
    };
    r.report(word.range, message).help("Work in an application directory such as `/app` or `/srv/app`.");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn system_directories_point_at_the_path() {
        assert_eq!(spans(&RULE, "FROM a:1\nWORKDIR /proc\n"), ["/proc"]);
        assert_eq!(spans(&RULE, "FROM a:1\nWORKDIR /sys/fs/cgroup/\n"), ["/sys/fs/cgroup/"]);
        assert_eq!(spans(&RULE, "FROM a:1\nWORKDIR \"/dev/shm\"\n"), ["\"/dev/shm\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nWORKDIR /app/../boot\n"), ["/app/../boot"]);
        assert_eq!(spans(&RULE, "FROM a:1\nworkdir /lost+found\n"), ["/lost+found"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD WORKDIR /initrd\n"), ["/initrd"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nWORKDIR /proc/\n"),
            ["Working directory is `/proc`, the kernel's process filesystem, which the runtime mounts"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nWORKDIR /dev/app\n"),
            [
                "Working directory `/dev/app` is inside `/dev`, the device filesystem, which the runtime mounts"
            ]
        );
    }

    #[test]
    fn variables_are_substituted() {
        assert_eq!(spans(&RULE, "FROM a:1\nARG DIR=/proc/self\nWORKDIR $DIR\n"), ["$DIR"]);
        assert_eq!(spans(&RULE, "FROM a:1\nENV BASE=/sys\nWORKDIR ${BASE}/x\n"), ["${BASE}/x"]);
        assert_clean(&RULE, "FROM a:1\nARG DIR\nWORKDIR /proc/$DIR/../../app\n");
    }

    #[test]
    fn ordinary_directories_pass() {
        for dir in
            ["/", "/app", "/usr/src/app", "/etc/nginx", "/root", "/processes", "/srv/proc", "app", "C:\\app"]
        {
            assert_clean(&RULE, &format!("FROM a:1\nWORKDIR {dir}\n"));
        }
    }
}
