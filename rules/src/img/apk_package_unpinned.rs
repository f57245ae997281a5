use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `apk add` installs without a version constraint: `curl` rather than `curl~8.11`
    /// or `curl=8.11.1-r0`.
    ///
    /// Constraints that pin are `=version` (exact), `~version` (that version series: `~8.11` accepts any
    /// 8.11.x) and upper bounds (`<9`). A lower bound alone (`>8`) still admits every new release and is
    /// reported. `.apk` files are accepted; the value of `--virtual`/`-t` and `--repository`/`-X` is not a
    /// package; words built from variables are not judged.
    ///
    /// ## Why is this bad?
    /// Without a constraint, apk installs whatever the repository serves on the day of the build: builds of
    /// the same Dockerfile differ, a regression or a compromised release flows into the image unreviewed,
    /// and nothing in the source records what the image contains.
    ///
    /// Alpine keeps only the latest build of each package in a branch, so an exact `=1.2.3-r0` pin fails to
    /// install as soon as a rebuild (`-r1`) or a security release supersedes it. The fuzzy `~1.2` form pins
    /// the series and keeps accepting its fixes. This rule is informational.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.21
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.21
    /// RUN apk add --no-cache curl~8.11
    /// ```
    ///
    /// ## References
    /// - [apk-world(5): constraints](https://man.archlinux.org/man/apk-world.5.en)
    /// - [Alpine Package Keeper](https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper)
    code: "IMG014",
    name: "apk-package-unpinned",
    family: Img,
    severity: Info,
    formats: [Dockerfile],
    aliases: ["DL3018", "d3499f6d-1651-41bb-a9a7-de925fea487b"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Apk], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!(
        "Pin the version series: `{name}~<major>.<minor>` accepts that series' fixes (Alpine drops superseded \
         builds, so an exact `{name}=<version>` breaks sooner)."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn one_finding_per_unpinned_package() {
        let text = "FROM alpine:3.21\nRUN apk add --no-cache --virtual .build-deps gcc~14.2 musl-dev \\\n    -X https://dl-cdn.alpinelinux.org/alpine/edge/testing make\n";
        assert_eq!(spans(&RULE, text), ["musl-dev", "make"]);
        assert_eq!(messages(&RULE, text)[0], "Package `musl-dev` is installed without a version pin");
    }

    #[test]
    fn constraints() {
        assert_clean(&RULE, "FROM a:1\nRUN apk add curl=8.11.1-r0 'git<3' bash~5.2 py3-pip@community~24\n");
        let text = "FROM a:1\nRUN apk add 'curl>8' tini@edge\n";
        assert_eq!(spans(&RULE, text), ["'curl>8'", "tini@edge"]);
        assert_eq!(messages(&RULE, text)[0], "Package `curl` is not pinned: `>8` admits every new release");
    }

    #[test]
    fn an_unquoted_constraint_is_a_redirection() {
        let text = "FROM a:1\nRUN apk add curl>8.0\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "curl");
        assert_eq!(
            found[0].message,
            "Package `curl` is installed without a version: the unquoted `>8.0` is a shell redirection"
        );
        assert_eq!(found[0].labels[0].range.slice(text), ">8.0");
        assert!(found[0].help.as_deref().unwrap_or("").starts_with("Quote the word"));
    }

    #[test]
    fn not_packages() {
        assert_clean(&RULE, "FROM a:1\nRUN apk add --allow-untrusted /tmp/pkg.apk\n");
        assert_clean(&RULE, "FROM a:1\nRUN apk add -t .deps $BUILD_DEPS && apk del .deps\n");
        assert_clean(&RULE, "FROM a:1\nRUN apk update && apk upgrade && apk --print-arch\n");
        assert_clean(&RULE, "FROM a:1\nRUN apk add '!busybox-extras'\n");
    }

    #[test]
    fn wrappers_and_onbuild() {
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN apk --no-cache add tzdata\n"), ["tzdata"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"apk\", \"add\", \"jq\"]\n"), ["\"jq\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'apk add jq'\n"), ["jq"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sudo apk add jq\n"), ["jq"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN <<EOF\nset -eux\napk add --no-cache \\\n  jq\nEOF\n"), ["jq"]);
    }
}
