use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags packages that `pip install` (also `pip3`, `pip3.12`, `python -m pip`, `uv pip install`)
    /// installs without pinning their version: `flask` or `flask>=3` rather than `flask==3.1.0`.
    ///
    /// Specifiers that pin are those that bound the version from above: `==` (also `==3.1.*`), `===`, the
    /// compatible release `~=` and upper bounds (`>=3,<4`). A lower bound alone (`>=3`) admits every future
    /// release, so it is reported. VCS URLs pin with a tag or commit (`git+https://…/repo@v1.2`; a branch such
    /// as `@main` does not pin), and so do archive URLs, except the moving archive of a branch
    /// (`…/archive/refs/heads/main.zip`). Requirements and constraints files (`-r`, `-c`), local paths
    /// (`.`, `-e .`), wheels and words built from variables are not judged.
    ///
    /// `pip`, `setuptools` and `wheel` are not reported: upgrading the installer toolchain first is the
    /// documented way to use pip (`python -m pip install --upgrade pip setuptools wheel`), and it does not
    /// decide the application's dependencies.
    ///
    /// ## Why is this bad?
    /// Without a pin, pip installs whatever PyPI serves on the day of the build. Builds of the same Dockerfile
    /// differ, a breaking release fails the build or the application, and a compromised or typo-squatted
    /// release flows straight into the image. Pin exact versions, ideally in a requirements file with hashes
    /// (`pip install --require-hashes -r requirements.txt`), which also pins the dependencies' dependencies.
    ///
    /// A shell detail: an unquoted `pip install flask>=3` is `pip install flask` with its output redirected to
    /// a file named `=3`; such findings say so.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// RUN pip install --no-cache-dir flask gunicorn
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir --require-hashes -r requirements.txt
    /// ```
    ///
    /// ## References
    /// - [pip: repeatable installs](https://pip.pypa.io/en/stable/topics/repeatable-installs/)
    /// - [pip: secure installs (hash-checking mode)](https://pip.pypa.io/en/stable/topics/secure-installs/)
    /// - [Version specifiers](https://packaging.python.org/en/latest/specifications/version-specifiers/)
    code: "IMG018",
    name: "pip-package-unpinned",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DL3013", "02d9c71f-3ee8-4986-9c27-1a20d0d19bfc"],
    checks: [Check::RunCommand(check)],
}

/// The installer toolchain, upgraded before use as pip's documentation shows.
const TOOLCHAIN: &[&str] = &["pip", "setuptools", "wheel"];

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Pip, Manager::UvPip], TOOLCHAIN, help);
}

fn help(package: &Unpinned) -> String {
    let vcs = ["git+", "hg+", "svn+", "bzr+"].iter().any(|scheme| package.name.starts_with(scheme));
    if package.name.contains("://") && !vcs {
        return "Download the archive of a tag or a commit (`…/archive/refs/tags/<tag>.zip`) instead of a \
                branch's."
            .to_string();
    }
    if vcs {
        return "Pin the revision with a tag or a commit: `git+https://…/repo@<tag-or-commit>`.".to_string();
    }
    format!(
        "Pin the version: `{}==<version>`, or install from a requirements file with pinned versions and \
         hashes (`pip install --require-hashes -r requirements.txt`).",
        package.name
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn unpinned_and_lower_bound_only() {
        let text = "FROM python:3.13\nRUN pip install --no-cache-dir flask 'gunicorn>=22' requests==2.32.3 'uvicorn[standard]~=0.30'\n";
        assert_eq!(spans(&RULE, text), ["flask", "'gunicorn>=22'"]);
        assert_eq!(
            messages(&RULE, text),
            [
                "Package `flask` is installed without a version pin",
                "Package `gunicorn` is not pinned: `>=22` admits every new release",
            ]
        );
    }

    #[test]
    fn every_spelling_of_pip() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN pip3 install black\n"), ["black"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN python3 -m pip install --user black\n"), ["black"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN /opt/venv/bin/pip3.12 install black\n"), ["black"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN uv pip install --system ruff\n"), ["ruff"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN [\"pip\", \"install\", \"black\"]\n"), ["\"black\""]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c \"pip install black\"\n"), ["black"]);
    }

    #[test]
    fn option_values_files_and_paths_are_not_judged() {
        assert_clean(
            &RULE,
            "FROM a:1\nRUN pip install -r requirements.txt -c constraints.txt -i https://pypi.org/simple --target /opt/lib .\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN pip install -e . && pip install ./dist/app-1.0-py3-none-any.whl /src\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN pip install \"django==${DJANGO_VERSION}\" $EXTRA\n");
        assert_clean(&RULE, "FROM a:1\nRUN pip install https://example.com/app-1.0.tar.gz\n");
        let text = "FROM a:1\nRUN pip install https://github.com/org/app/archive/refs/heads/master.zip\n";
        assert_eq!(spans(&RULE, text), ["https://github.com/org/app/archive/refs/heads/master.zip"]);
        let help = lint(&RULE, text)[0].help.clone().unwrap_or_default();
        assert!(help.starts_with("Download the archive of a tag"), "{help}");
        assert_clean(&RULE, "FROM a:1\nRUN pip uninstall -y flask && pip download flask\n");
    }

    #[test]
    fn vcs_urls_need_a_tag_or_commit() {
        assert_clean(&RULE, "FROM a:1\nRUN pip install git+https://github.com/org/repo@v1.2.0#egg=repo\n");
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1\nRUN pip install git+https://github.com/org/repo.git -e git+https://github.com/org/b@main#egg=b\n"
            ),
            ["git+https://github.com/org/repo.git", "git+https://github.com/org/b@main#egg=b"]
        );
        let text = "FROM a:1\nRUN pip install git+https://github.com/org/b@main\n";
        assert_eq!(
            messages(&RULE, text),
            ["Package `git+https://github.com/org/b` is not pinned: branch `main` moves with every commit"]
        );
        let help = lint(&RULE, text)[0].help.clone().unwrap_or_default();
        assert!(help.starts_with("Pin the revision"), "{help}");
    }

    #[test]
    fn the_installer_toolchain_is_not_reported() {
        assert_clean(&RULE, "FROM a:1\nRUN pip install --upgrade pip setuptools wheel\n");
        assert_clean(&RULE, "FROM a:1\nRUN python -m pip install -U pip\n");
    }

    #[test]
    fn an_unquoted_specifier_is_a_redirection() {
        let text = "FROM a:1\nRUN pip install flask>=3.0\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "flask");
        assert_eq!(
            found[0].message,
            "Package `flask` is installed without a version: the unquoted `>=3.0` is a shell redirection"
        );
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap_or("")
                .starts_with("Quote the word so that the shell passes the constraint on (`'flask>=3.0'`)")
        );
    }
}
