use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `npm install` (`npm i`, `npm add`), `yarn add`, `yarn global add`, `pnpm add`,
    /// `pnpm install <pkg>` or `bun add` installs without pinning their version: `typescript` or
    /// `typescript@latest` rather than `typescript@5.6.3`.
    ///
    /// Versions and ranges that bound the version from above pin (`5.6.3`, `5.6`, `5.x`, `^5.6.3`, `~5.6`,
    /// `>=5 <6`); dist-tags (`latest`, `next`), `*` and lower bounds alone (`>=5`) do not. Git dependencies
    /// pin with a tag or commit (`github:org/repo#v1.2.0`; a branch such as `#main` does not), and so do
    /// tarballs, except a branch's moving archive (`…/tarball/main`). Local folders, words built from
    /// variables and the bare `npm install`/`npm ci`/`yarn`/`pnpm install`, which install what the lockfile
    /// records, are not judged. `npm install -g npm` (npm upgrading itself, as npm's documentation shows) is
    /// not reported.
    ///
    /// ## Why is this bad?
    /// Without a pin, the registry decides on the day of the build which release is installed. Builds of the
    /// same Dockerfile differ, a breaking release fails the build or the application, and a compromised or
    /// typo-squatted release flows straight into the image: npm packages run install scripts with the
    /// build's privileges. Pin the version, and for an application's dependencies commit a lockfile and
    /// install with `npm ci`, which also pins the dependencies' dependencies.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// RUN npm install -g typescript
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// RUN npm install -g typescript@5.6.3
    /// ```
    ///
    /// ## References
    /// - [npm install](https://docs.npmjs.com/cli/commands/npm-install)
    /// - [npm ci](https://docs.npmjs.com/cli/commands/npm-ci)
    /// - [yarn add](https://classic.yarnpkg.com/en/docs/cli/add), [pnpm add](https://pnpm.io/cli/add)
    code: "IMG019",
    name: "npm-package-unpinned",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DL3016", "e36d8880-3f78-4546-b9a1-12f0745ca0d5"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let managers = [Manager::Npm, Manager::Yarn, Manager::Pnpm, Manager::Bun];
    packages::report_unpinned(ctx, r, &managers, &["npm"], help);
}

fn help(package: &Unpinned) -> String {
    let name = package.name;
    if name.starts_with("http") && !name.starts_with("git") {
        return "Download the tarball of a tag or a commit instead of a branch's.".to_string();
    }
    if name.contains(['#', ':']) || (name.contains('/') && !name.starts_with('@')) {
        return format!("Pin the revision with a tag or a commit: `{name}#<tag-or-commit>`.");
    }
    let install = match package.manager {
        Manager::Yarn => "yarn add",
        Manager::Pnpm => "pnpm add",
        Manager::Bun => "bun add",
        _ => "npm install",
    };
    format!(
        "Pin the version: `{install} {name}@<version>`; for an application's dependencies, commit a lockfile \
         and install with `npm ci` (or the lockfile mode of your package manager)."
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn unpinned_and_tagged_packages() {
        let text = "FROM node:22\nRUN npm install -g --unsafe-perm true typescript @angular/cli@latest eslint@9.14.0\n";
        assert_eq!(spans(&RULE, text), ["typescript", "@angular/cli@latest"]);
        assert_eq!(
            messages(&RULE, text),
            [
                "Package `typescript` is installed without a version pin",
                "Package `@angular/cli` is not pinned: `latest` admits every new release",
            ]
        );
        let help = lint(&RULE, text)[0].help.clone().unwrap_or_default();
        assert!(help.starts_with("Pin the version: `npm install typescript@<version>`"), "{help}");
    }

    #[test]
    fn yarn_pnpm_and_bun() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN yarn global add @vue/cli\n"), ["@vue/cli"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN yarn add --dev jest@^29 prettier\n"), ["prettier"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN pnpm add -g --filter web zod\n"), ["zod"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN pnpm install tsx\n"), ["tsx"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN bun add -d vitest@latest\n"), ["vitest@latest"]);
        let help = lint(&RULE, "FROM a:1\nRUN yarn add lodash\n")[0].help.clone().unwrap_or_default();
        assert!(help.contains("`yarn add lodash@<version>`"), "{help}");
    }

    #[test]
    fn lockfile_installs_and_local_sources_pass() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN npm ci --omit=dev && npm install && yarn install --frozen-lockfile && yarn && pnpm install\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN npm install ./pkg.tgz ../lib file:../shared https://example.com/x-1.0.0.tgz\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN npm install -g npm@latest && npm install --prefix /app \"$PKG\" pm2@5.4.2\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN npm install --registry https://r.example.com -w api lodash@4.17.21\n",
        );
    }

    #[test]
    fn git_dependencies_need_a_tag_or_commit() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN npm install github:org/repo#v1.2.0 git+https://github.com/org/x.git#3f2a9c1\n",
        );
        let text = "FROM a:1\nRUN npm install org/repo git+https://github.com/org/x.git#main\n";
        assert_eq!(spans(&RULE, text), ["org/repo", "git+https://github.com/org/x.git#main"]);
        let help = lint(&RULE, text)[0].help.clone().unwrap_or_default();
        assert!(help.starts_with("Pin the revision"), "{help}");
        let text = "FROM a:1\nRUN npm install -g https://github.com/org/x/tarball/master\n";
        assert_eq!(spans(&RULE, text), ["https://github.com/org/x/tarball/master"]);
        let help = lint(&RULE, text)[0].help.clone().unwrap_or_default();
        assert!(help.starts_with("Download the tarball"), "{help}");
    }

    #[test]
    fn wrappers_shells_and_onbuild() {
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN npm i -g nodemon\n"), ["nodemon"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN [\"npm\", \"install\", \"-g\", \"nodemon\"]\n"),
            ["\"nodemon\""]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN su node -c 'npm install -g nodemon'\n"), ["nodemon"]);
    }
}
