use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `apt-get install`, `apt install` or `aptitude install` installs without a version:
    /// `curl` rather than `curl=7.88.1-10+deb12u8` or `curl=7.88.*`.
    ///
    /// A version pin is `name=version`; a trailing `*` pins a series (`name=1.2.*`). `.deb` files are
    /// accepted. `name/release` and `-t release` choose a release, not a version, so they still count as
    /// unpinned. Words built from variables (`$PACKAGES`, `curl=$CURL_VERSION`) are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, apt installs whatever the mirror serves on the day of the build. Two builds of the
    /// same Dockerfile then differ, a regression or a compromised release flows into the image unreviewed,
    /// and nothing in the source records what the image contains. A pin turns a version change into a
    /// reviewed diff.
    ///
    /// Pins have a cost: Debian and Ubuntu mirrors keep only the current version of each package in a
    /// release, so an exact pin fails to install once a security update supersedes it. Pin a series
    /// (`=1.2.*`) to keep receiving its point releases, and rebuild regularly. This rule is informational:
    /// teams that rely on the base image's release for their OS packages can leave it off.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.*
    /// ```
    ///
    /// ## References
    /// - [apt-get(8): install](https://manpages.debian.org/bookworm/apt/apt-get.8.en.html)
    /// - [Dockerfile best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
    code: "IMG013",
    name: "apt-package-unpinned",
    family: Img,
    severity: Info,
    formats: [Dockerfile],
    aliases: ["DL3008", "965a08d7-ef86-4f14-8792-4a3b2098937e"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::AptGet, Manager::Apt, Manager::Aptitude], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!(
        "Pin the version: `{name}=<version>` (`apt-cache policy {name}` lists them), or a series such as \
         `{name}=1.2.*` so that point releases still install."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn one_finding_per_unpinned_package() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39.5-0+deb12u1 \\\n    ca-certificates\n";
        assert_eq!(spans(&RULE, text), ["curl", "ca-certificates"]);
        assert_eq!(messages(&RULE, text)[0], "Package `curl` is installed without a version pin");
        let found = lint(&RULE, text);
        assert!(found[0].help.as_deref().unwrap_or("").contains("`curl=<version>`"));
    }

    #[test]
    fn option_values_are_not_packages() {
        let text = "FROM ubuntu:24.04\nRUN apt-get -o Dpkg::Options::=--force-confold install -t noble-backports -y vim\n";
        assert_eq!(spans(&RULE, text), ["vim"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN apt install -qq -y --option=A::B=c nano\n"), ["nano"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN aptitude -y install htop\n"), ["htop"]);
    }

    #[test]
    fn a_release_is_not_a_version() {
        let text = "FROM debian:12\nRUN apt-get install -y git/bookworm-backports\n";
        assert_eq!(spans(&RULE, text), ["git/bookworm-backports"]);
        assert_eq!(
            messages(&RULE, text),
            ["Package `git` is not pinned: `bookworm-backports` admits every new release"]
        );
    }

    #[test]
    fn pinned_files_variables_and_patterns_pass() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get install -y curl=7.88.1-10 'libssl3=3.0.*' libc6:i386=2.36-9\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN apt-get install -y ./pkg.deb /tmp/x_1.0_amd64.deb\n");
        assert_clean(&RULE, "FROM a:1\nARG PKGS\nRUN apt-get install -y $PKGS \"curl=${CURL_VERSION}\"\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get purge -y curl && apt-get install -y nano- && apt-get update\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN apt-get install -y && apt-get -f install\n");
        assert_clean(&RULE, "FROM a:1\nRUN echo apt-get install curl\n");
    }

    #[test]
    fn wrappers_exec_form_shell_strings_and_onbuild() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sudo apt-get install -y curl\n"), ["curl"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"),
            ["\"curl\""]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN bash -c \"apt-get install -y curl\"\n"), ["curl"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata\n"),
            ["tzdata"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN <<EOF\napt-get install -y \\\n  jq\nEOF\n"), ["jq"]);
    }
}
