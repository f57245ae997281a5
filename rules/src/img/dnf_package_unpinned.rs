use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `dnf install`, `microdnf install` or `tdnf install` installs without a version:
    /// `nginx` rather than `nginx-1.24.0` or `nginx-1.24*`, and modules that `dnf module install` installs
    /// without a stream.
    ///
    /// A pinned package spec ends in a version (`name-version`, `name-version-release`, with an optional
    /// epoch and architecture, or a glob such as `name-1.24*`); a module spec names its stream
    /// (`nodejs:20`, also as `@nodejs:20`). `.rpm` files and URLs, groups (`@development-tools`),
    /// capabilities (`'dnf-command(config-manager)'`) and words built from variables are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, dnf installs whatever the repositories serve on the day of the build: builds of the
    /// same Dockerfile differ, a regression or a compromised release flows into the image unreviewed, and
    /// nothing in the source records what the image contains. Repositories drop superseded versions, so
    /// pinning a series (`name-1.24*`) keeps accepting its fixes. This rule is informational.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM fedora:41
    /// RUN dnf install -y nginx && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM fedora:41
    /// RUN dnf install -y nginx-1.26* && dnf clean all
    /// ```
    ///
    /// ## References
    /// - [DNF command reference: specifying packages](https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label)
    /// - [DNF command reference: module command](https://dnf.readthedocs.io/en/latest/command_ref.html#module-command-label)
    code: "IMG016",
    name: "dnf-package-unpinned",
    family: Img,
    severity: Info,
    formats: [Dockerfile],
    aliases: ["DL3041", "93d88cf7-f078-46a8-8ddc-178e03aeacf1"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Dnf, Manager::Microdnf, Manager::Tdnf], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!(
        "Pin the version: `{name}-<version>` (`dnf --showduplicates list {name}` lists them), or a series such \
         as `{name}-1.2*`; for a module, name its stream: `{name}:<stream>`."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn unpinned_packages_of_each_tool() {
        let text = "FROM fedora:41\nRUN dnf install -y --nodocs git-core python3-3.13.0 && dnf clean all\n";
        assert_eq!(spans(&RULE, text), ["git-core"]);
        assert_eq!(messages(&RULE, text), ["Package `git-core` is installed without a version pin"]);
        assert_eq!(
            spans(
                &RULE,
                "FROM ubi9-minimal\nRUN microdnf install -y --setopt=install_weak_deps=0 shadow-utils\n"
            ),
            ["shadow-utils"]
        );
        assert_eq!(spans(&RULE, "FROM photon:5.0\nRUN tdnf install -y tar\n"), ["tar"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN dnf module install -y nodejs/common\n"), ["nodejs/common"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"dnf\", \"install\", \"-y\", \"jq\"]\n"), ["\"jq\""]);
    }

    #[test]
    fn pinned_and_unjudged_specs() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN dnf install -y nginx-1.24.0-1.fc41 'java-21-openjdk-21.0.5*' @nodejs:20\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN dnf install -y 'dnf-command(config-manager)' @development-tools ./local.rpm\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN dnf module enable -y nodejs:20 && dnf module install -y nodejs:20/common\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN dnf group install -y 'Development Tools' && dnf makecache\n");
        assert_clean(&RULE, "FROM a:1\nRUN yum install -y nginx\n");
    }
}
