use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags gems that `gem install` (`gem i`) installs without a version: `bundler` rather than
    /// `bundler:2.5.22` or `bundler -v 2.5.22`.
    ///
    /// A version pins when it is exact or bounded from above (`2.5.22`, `'~> 2.5'`, `'< 3'`), given inline
    /// (`name:version`) or with `-v`/`--version`, which applies to every gem of the command. A lower bound
    /// alone (`'>= 2'`) admits every new release and is reported. `.gem` files and words built from variables
    /// are not judged; arguments after `--` go to native extension builds and are not gems.
    ///
    /// ## Why is this bad?
    /// Without a version, RubyGems installs whatever rubygems.org serves on the day of the build. Builds of
    /// the same Dockerfile differ, a breaking release fails the build, and a compromised or typo-squatted
    /// release flows straight into the image. Pin tools such as Bundler to the version your `Gemfile.lock`
    /// records (`BUNDLED WITH`), and install an application's gems with Bundler from a committed lockfile.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM ruby:3.3-slim
    /// RUN gem install bundler:2.5.22
    /// ```
    ///
    /// ## References
    /// - [gem install](https://guides.rubygems.org/command-reference/#gem-install)
    /// - [Bundler: Gemfile.lock](https://bundler.io/guides/rationale.html#checking-your-code-into-version-control)
    code: "IMG020",
    name: "gem-package-unpinned",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DL3028", "22cd11f7-9c6c-4f6e-84c0-02058120b341"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Gem], &[], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    format!("Pin the version: `gem install {name}:<version>` (or `-v <version>`).")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn unpinned_gems() {
        let text = "FROM ruby:3.3\nRUN gem install --no-document bundler rake:13.2.1\n";
        assert_eq!(spans(&RULE, text), ["bundler"]);
        assert_eq!(messages(&RULE, text), ["Package `bundler` is installed without a version pin"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN gem i -N rails -v '>= 7'\n"), ["rails"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD RUN gem install nokogiri -- --use-system-libraries\n"),
            ["nokogiri"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"gem\", \"install\", \"rake\"]\n"), ["\"rake\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN <<EOF\nsudo gem install \\\n  rake\nEOF\n"), ["rake"]);
    }

    #[test]
    fn pinned_files_and_other_subcommands() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN gem install bundler -v 2.5.22 && gem install rails --version '~> 7.1'\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN gem install ./pkg/app-1.0.gem \"bundler:${BUNDLER_VERSION}\"\n");
        assert_clean(&RULE, "FROM a:1\nRUN gem update --system && gem cleanup\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN gem install -i /gems -n /bin --source https://rubygems.org bundler:2.5.22\n",
        );
    }
}
