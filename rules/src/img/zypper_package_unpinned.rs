use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `zypper install` (`zypper in`) installs without a version: `curl` rather than
    /// `curl=8.6.0`.
    ///
    /// Constraints that pin are `=version` and upper bounds (`<9`, `<=8.6`); a lower bound alone (`>=8`)
    /// still admits every new release and is reported. `.rpm` files and URLs, patterns and other resolvable
    /// kinds (`-t pattern`, `pattern:devel_basis`) and words built from variables are not judged. Global
    /// options before the subcommand (`zypper --non-interactive --root /mnt in …`) are read as zypper does.
    ///
    /// ## Why is this bad?
    /// Without a version, zypper installs whatever the repositories serve on the day of the build: builds of
    /// the same Dockerfile differ, a regression or a compromised release flows into the image unreviewed,
    /// and nothing in the source records what the image contains. This rule is informational.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl && zypper clean --all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install 'curl=8.6.0' && zypper clean --all
    /// ```
    ///
    /// ## References
    /// - [zypper(8)](https://en.opensuse.org/SDB:Zypper_manual)
    /// - [zypper usage: installing packages](https://en.opensuse.org/SDB:Zypper_usage#Installing_packages)
    code: "IMG017",
    name: "zypper-package-unpinned",
    family: Img,
    severity: Info,
    formats: [Dockerfile],
    aliases: ["DL3037", "562952e4-0348-4dea-9826-44f3a2c6117b"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Zypper], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!("Pin the version: `'{name}=<version>'` (`zypper search -s {name}` lists them).")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn unpinned_packages() {
        let text = "FROM opensuse/leap:15.6\nRUN zypper -n --gpg-auto-import-keys in -y --no-recommends -r repo-oss curl 'git=2.43.0'\n";
        assert_eq!(spans(&RULE, text), ["curl"]);
        assert_eq!(messages(&RULE, text), ["Package `curl` is installed without a version pin"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN zypper install -y 'vim>=9'\n"), ["'vim>=9'"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN zypper --root /x install tar\n"), ["tar"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"zypper\", \"install\", \"http\"]\n"), ["\"http\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'sudo zypper -n in tar'\n"), ["tar"]);
    }

    #[test]
    fn pinned_patterns_and_files() {
        assert_clean(&RULE, "FROM a:1\nRUN zypper in -y 'curl<9' git=2.43.0\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN zypper in -y -t pattern devel_basis && zypper in -y pattern:base\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN zypper in -y --allow-unsigned-rpm /tmp/x.rpm $PKGS\n");
        assert_clean(&RULE, "FROM a:1\nRUN zypper refresh && zypper dup -y && zypper rm -y vim\n");
    }
}
