use plimsoll_dockerfile::{Body, Keyword};
use plimsoll_linter::{Check, InstructionCtx, Reporter, declare_rule};

use crate::support::stages;
use crate::support::system_paths::{normalize, volume_on_system_directory};

declare_rule! {
    /// ## What it does
    /// Flags `VOLUME` declarations, in the stages that make up the final image, on:
    /// - `/`, the whole filesystem;
    /// - `/proc`, `/sys`, `/dev` and anything under them, and `/boot`;
    /// - `/etc`, `/usr`, `/bin`, `/sbin`, `/lib`, `/lib32`, `/lib64`, `/libx32` themselves;
    /// - the Docker socket, `/var/run/docker.sock` and `/run/docker.sock`.
    ///
    /// ## Why is this bad?
    /// Each kind does damage of its own:
    /// - The kernel filesystems are mounted by the runtime; a volume there masks the kernel's interface
    ///   (the container sees a plain directory instead of `/proc` or `/sys`, or fails to start), and
    ///   `VOLUME /sys/fs/cgroup` is the sign of an image that expects the host's cgroups bind-mounted in.
    /// - A volume on the system's configuration or programs freezes them outside the image: Docker copies
    ///   the image's content into the volume once, and containers that reuse the volume (Compose keeps
    ///   anonymous volumes across `up`) no longer receive the image's updates and security fixes, while
    ///   anything a compromised process writes there (a changed `/etc/passwd`, a replaced binary) survives
    ///   the container being recreated.
    /// - Declaring the Docker socket announces that the container expects control of the Docker daemon,
    ///   which is root on the host.
    ///
    /// Subdirectories of `/etc` and `/usr` that hold data (`/etc/letsencrypt`, `/usr/share/nginx/html`)
    /// are common, deliberate volumes and are not flagged. Windows paths and paths that depend on a variable
    /// without a value are not checked.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:trixie-slim
    /// VOLUME ["/etc", "/var/lib/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:trixie-slim
    /// VOLUME ["/var/lib/app"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: VOLUME](https://docs.docker.com/reference/dockerfile/#volume)
    /// - CIS Docker Benchmark v1.6.0, 5.6 "Ensure sensitive host system directories are not mounted on containers"
    code: "ISO010",
    name: "volume-on-system-directory",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DKL-DI-0002"],
    checks: [Check::Instruction(&[Keyword::Volume], check)],
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    let Body::Volume(paths) = &ctx.instruction.body else { return };
    if !stages::ships(ctx) {
        return;
    }
    for word in paths {
        let expanded = ctx.expand(&word.text);
        if !expanded.complete {
            continue;
        }
        let Some(dir) = volume_on_system_directory(&expanded.text) else { continue };
        let message = if normalize(&expanded.text).as_deref() == Some(dir.path) {
            format!("Volume declared on `{}`, {}", dir.path, dir.what)
        } else {
            format!("Volume `{}` is inside `{}`, {}", expanded.text, dir.path, dir.what)
        };
        let help = if dir.path.ends_with("docker.sock") {
            "Remove the volume: an image should not expect the Docker socket. Builds that need a daemon can use \
             BuildKit or a rootless builder."
        } else {
            "Declare volumes only for the directories the application stores data in (`/var/lib/app`, `/data`)."
        };
        r.report(word.range, message).help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn system_directories_point_at_the_path() {
        assert_eq!(spans(&RULE, "FROM a:1\nVOLUME /\n"), ["/"]);
        assert_eq!(spans(&RULE, "FROM a:1\nVOLUME /data /etc/\n"), ["/etc/"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nVOLUME [\"/sys/fs/cgroup\", \"/data\"]\n"),
            ["\"/sys/fs/cgroup\""]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nVOLUME /var/run/docker.sock\n"), ["/var/run/docker.sock"]);
        assert_eq!(spans(&RULE, "FROM a:1\nVOLUME \\\n  /usr \\\n  /proc\n"), ["/usr", "/proc"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD VOLUME /dev\n"), ["/dev"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nVOLUME /etc\n"),
            ["Volume declared on `/etc`, the system configuration, including the user database"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nVOLUME /sys/fs/cgroup\n"),
            ["Volume `/sys/fs/cgroup` is inside `/sys`, the kernel's sysfs, which the runtime mounts"]
        );
    }

    #[test]
    fn variables_and_stages() {
        assert_eq!(spans(&RULE, "FROM a:1\nARG CONF=/etc\nVOLUME $CONF\n"), ["$CONF"]);
        assert_clean(&RULE, "FROM a:1\nARG DIR\nVOLUME $DIR\n");
        assert_clean(&RULE, "FROM a:1 AS build\nVOLUME /etc\nFROM a:1\nRUN true\n");
        assert_eq!(spans(&RULE, "FROM a:1 AS base\nVOLUME /etc\nFROM base\nRUN true\n"), ["/etc"]);
    }

    #[test]
    fn data_directories_pass() {
        let paths = [
            "/data",
            "/var/lib/mysql",
            "/etc/letsencrypt",
            "/usr/share/nginx/html",
            "/var/lib/docker",
            "/tmp",
        ];
        for path in paths {
            assert_clean(&RULE, &format!("FROM a:1\nVOLUME {path}\n"));
        }
        assert_clean(&RULE, "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nVOLUME C:\\\\data\n");
    }
}
