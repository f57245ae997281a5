use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};
use plimsoll_shell::Command;

use crate::support::packages::{self, Ecosystem, Operation};

declare_rule! {
    /// ## What it does
    /// Flags a package index refresh — `apt-get update`, `apt update`, `aptitude update`, `apk update`,
    /// `zypper refresh` — that no install or upgrade of the same package manager follows in the same `RUN`.
    ///
    /// A `RUN` that deletes the index before it ends (`rm -rf /var/lib/apt/lists/*`) leaves nothing to go
    /// stale, and one that runs a script after the refresh (`bash /tmp/setup.sh`, `curl … | sh`) may install
    /// with it: neither is reported. yum and dnf are not checked: they refresh expired metadata
    /// (`metadata_expire`) by themselves on every install, so their `makecache` cannot go stale this way.
    ///
    /// ## Why is this bad?
    /// Each `RUN` is a layer that the build cache reuses for as long as its text does not change. An index
    /// downloaded in a `RUN` of its own is frozen in that layer: months later, a changed install line in a
    /// later `RUN` still reads the old index, asks the mirror for package versions it no longer serves and
    /// fails, or silently installs versions without the security fixes published since. Refreshing and
    /// installing in one `RUN` makes the index as fresh as the packages that use it.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// - [Dockerfile best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    /// - CIS Docker Benchmark v1.6.0, 4.7 "Ensure update instructions are not used alone in the Dockerfile"
    code: "IMG012",
    name: "package-update-without-install",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [
        "CKV_DOCKER_5", "DS-0017", "9bae49be-0aa3-4de5-bab2-4c3a069e40cd", "apt-get-update_require_install",
        "CIS-DI-0007",
    ],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(update) = packages::parse(ctx.command) else { return };
    let ecosystem = update.manager.ecosystem();
    if update.operation != Operation::Refresh
        || !matches!(ecosystem, Ecosystem::Debian | Ecosystem::Alpine | Ecosystem::Suse)
    {
        return;
    }
    let later = || ctx.script.commands.iter().skip(ctx.id + 1);
    let used = later().filter_map(packages::parse).any(|later| {
        later.manager.ecosystem() == ecosystem
            && matches!(later.operation, Operation::Install | Operation::Upgrade | Operation::Fetch)
    });
    // A script run after the update may install with it (the dev container library scripts do); an index
    // deleted before the RUN ends cannot go stale in the layer.
    if used || later().any(runs_script) || later().any(|c| removes_index(c, ecosystem)) {
        return;
    }
    let program = ctx.command.program_name().unwrap_or_default();
    let help = match ecosystem {
        Ecosystem::Alpine => {
            "Drop `apk update` and install with `apk add --no-cache …`, which fetches a fresh \
                              index for the install and keeps none in the image."
                .to_string()
        }
        Ecosystem::Suse => {
            format!("Refresh and install in one RUN: `{program} refresh && {program} install -y …`.")
        }
        _ => format!(
            "Update and install in one RUN: `{program} update && {program} install -y … && rm -rf \
             /var/lib/apt/lists/*`."
        ),
    };
    r.report(
        update.command_range(),
        format!("`{program} {}` is not followed by an install in the same RUN", update.verb_text()),
    )
    .help(help);
}

/// Whether the command runs a script file: `bash /tmp/setup.sh`, `./install.sh`, `curl … | sh`, `. ./env.sh`.
fn runs_script(command: &Command) -> bool {
    let Some(name) = command.program_name() else { return false };
    if name.ends_with(".sh") || matches!(name, "." | "source") {
        return true;
    }
    if !SHELLS.contains(&name) {
        return false;
    }
    // A shell runs a script file unless `-c` gives it a string (whose commands are already in the script).
    let args = command.program_args();
    let inline = args
        .iter()
        .take_while(|a| a.text.starts_with('-'))
        .any(|a| !a.text.starts_with("--") && a.text.contains('c'));
    let reads_stdin = command.pipeline.is_some_and(|(_, position)| position > 0);
    !inline && (reads_stdin || args.iter().any(|a| !a.text.starts_with('-')))
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// Whether the command deletes the ecosystem's package index: `rm -rf /var/lib/apt/lists/*`.
fn removes_index(command: &Command, ecosystem: Ecosystem) -> bool {
    command.program_name() == Some("rm")
        && command.program_args().iter().any(|a| ecosystem.index_dirs().iter().any(|d| a.text.starts_with(d)))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fires, messages, spans};

    #[test]
    fn update_in_its_own_run() {
        let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n";
        assert_eq!(spans(&RULE, text), ["apt-get update"]);
        assert_eq!(messages(&RULE, text), ["`apt-get update` is not followed by an install in the same RUN"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.20\nRUN apk update\n"), ["apk update"]);
        assert_eq!(spans(&RULE, "FROM ubuntu:24.04\nRUN apt -qq update && echo done\n"), ["apt -qq update"]);
        assert_eq!(
            spans(&RULE, "FROM opensuse/leap:15.6\nRUN zypper --non-interactive ref\n"),
            ["zypper --non-interactive ref"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"apt-get\", \"update\"]\n"), ["\"apt-get\", \"update\""]);
    }

    #[test]
    fn wrappers_shells_and_onbuild() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sudo -E apt-get update\n"), ["apt-get update"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'apt-get update'\n"), ["apt-get update"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN apt-get update\n"), ["apt-get update"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN <<EOF\nset -e\napt-get update\necho ok\nEOF\n"),
            ["apt-get update"]
        );
    }

    #[test]
    fn install_or_upgrade_after_the_update() {
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update && apt-get install -y curl\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get update \\\n && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update; apt install -y git\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update && xargs -a /pkgs apt-get install -y\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update && apt-get build-dep -y python3\n");
        assert_clean(&RULE, "FROM a:1\nRUN apk update && apk add curl\n");
        assert_clean(&RULE, "FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n");
        assert_clean(&RULE, "FROM a:1\nRUN zypper ref && zypper -n in curl\n");
    }

    #[test]
    fn the_install_must_be_of_the_same_manager_and_after() {
        assert_fires(
            &RULE,
            "FROM a:1\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt-get update && pip install flask\n"), ["apt-get update"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN apt-get install -y curl && apt-get update\n"),
            ["apt-get update"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apk update && apt-get install -y x\n"), ["apk update"]);
    }

    #[test]
    fn scripts_may_install_and_a_deleted_index_cannot_go_stale() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get update && /bin/bash /tmp/library-scripts/common-debian.sh true\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN apk update && ash /tmp/setup.sh\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update && ./install-deps.sh\n");
        assert_clean(&RULE, "FROM a:1\nRUN apt-get update && curl -fsSL https://x/setup | bash -\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get update && apt-get purge -y x && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN apk update && rm -rf /var/cache/apk/*\n");
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt-get update && bash -c 'echo hi'\n"), ["apt-get update"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt-get update && rm -rf /tmp/*\n"), ["apt-get update"]);
    }

    #[test]
    fn yum_and_dnf_refresh_metadata_themselves() {
        assert_clean(&RULE, "FROM fedora:40\nRUN dnf makecache\nRUN dnf install -y git\n");
        assert_clean(&RULE, "FROM centos:7\nRUN yum makecache fast\n");
        assert_clean(&RULE, "FROM centos:7\nRUN yum update -y\n");
    }

    #[test]
    fn mentions_are_not_commands() {
        assert_clean(&RULE, "FROM a:1\nRUN echo apt-get update\n");
        assert_clean(&RULE, "FROM a:1\nCMD apt-get update\n");
    }
}
