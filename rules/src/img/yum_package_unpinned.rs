use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `yum install` installs without a version: `nginx` rather than `nginx-1.20.1` or
    /// `nginx-1.20.*`, and modules that `yum module install` installs without a stream.
    ///
    /// A pinned package spec ends in a version (`name-version`, `name-version-release`, with an optional
    /// epoch and architecture, or a glob such as `name-1.20*`); a module spec names its stream
    /// (`nodejs:18`). `.rpm` files and URLs, groups (`@Development Tools`, `groupinstall`), capabilities
    /// (`'perl(JSON)'`) and words built from variables are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, yum installs whatever the repositories serve on the day of the build: builds of the
    /// same Dockerfile differ, a regression or a compromised release flows into the image unreviewed, and
    /// nothing in the source records what the image contains. Repositories drop superseded versions, so
    /// pinning a series (`name-1.20*`) keeps accepting its fixes. This rule is informational.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM rockylinux:8
    /// RUN yum install -y nginx && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM rockylinux:8
    /// RUN yum install -y nginx-1.14.1 && yum clean all
    /// ```
    ///
    /// ## References
    /// - [yum(8)](https://man7.org/linux/man-pages/man8/yum.8.html)
    /// - [DNF command reference: specifying packages](https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label)
    code: "IMG015",
    name: "yum-package-unpinned",
    family: Img,
    severity: Info,
    formats: [Dockerfile],
    aliases: ["DL3033", "6452c424-1d92-4deb-bb18-a03e95d579c4"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Yum], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!(
        "Pin the version: `{name}-<version>` (`yum --showduplicates list {name}` lists them), or a series such \
         as `{name}-1.2*`; for a module, name its stream: `{name}:<stream>`."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn unpinned_packages() {
        let text = "FROM centos:7\nRUN yum -y --setopt=tsflags=nodocs install epel-release java-11-openjdk-devel nginx-1.20.1 && yum clean all\n";
        assert_eq!(spans(&RULE, text), ["epel-release", "java-11-openjdk-devel"]);
        assert_eq!(messages(&RULE, text)[0], "Package `epel-release` is installed without a version pin");
        assert_eq!(spans(&RULE, "FROM a:1\nRUN yum module install -y nodejs\n"), ["nodejs"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN sudo yum install -y --enablerepo epel jq\n"), ["jq"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"yum\", \"install\", \"-y\", \"jq\"]\n"), ["\"jq\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN <<EOF\nyum install -y \\\n  jq\nEOF\n"), ["jq"]);
    }

    #[test]
    fn pinned_and_unjudged_specs() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN yum install -y nginx-1:1.20.1-1.el7.x86_64 'php-7.4*' nodejs-16.20.2-1nodesource\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN yum install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-7.noarch.rpm\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN yum groupinstall -y 'Development Tools' && yum install -y @base\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN yum module install -y nodejs:18/common && yum install -y 'perl(JSON)' $EXTRA\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN dnf install -y nginx\n");
    }
}
