use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};

use crate::support::packages::{self, Manager, Unpinned};

declare_rule! {
    /// ## What it does
    /// Flags Go packages fetched without a fixed version: `go install pkg@latest` (also `@upgrade`, `@patch`
    /// or a branch such as `@master`), and `go get pkg` without a version.
    ///
    /// `go install pkg@v1.2.3` (or a commit or pseudo-version) pins. `go install pkg` without a version is
    /// not reported: it builds the version the current module's `go.mod` requires. Local packages (`.`,
    /// `./...`) and words built from variables are not judged.
    ///
    /// ## Why is this bad?
    /// `@latest` and a bare `go get` resolve on the day of the build to whatever the module's newest release
    /// or branch head is. Builds of the same Dockerfile differ, a breaking release fails the build, and a
    /// compromised release flows straight into the image. A version makes the choice reviewable, and the Go
    /// checksum database then guarantees every build gets the same code.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM golang:1.23
    /// RUN go install golang.org/x/tools/gopls@v0.16.2
    /// ```
    ///
    /// ## References
    /// - [Go modules reference: go install](https://go.dev/ref/mod#go-install)
    /// - [Go modules reference: version queries](https://go.dev/ref/mod#version-queries)
    code: "IMG021",
    name: "go-package-unpinned",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DL3062"],
    checks: [Check::RunCommand(check)],
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    packages::report_unpinned(ctx, r, &[Manager::Go], &[], help);
}

fn help(package: &Unpinned) -> String {
    format!("Pin a version: `go install {}@v<version>` (a release tag or a commit).", package.name)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn latest_branches_and_bare_go_get() {
        let text = "FROM golang:1.23\nRUN go install -ldflags '-s -w' golang.org/x/tools/gopls@latest\n";
        assert_eq!(spans(&RULE, text), ["golang.org/x/tools/gopls@latest"]);
        assert_eq!(
            messages(&RULE, text),
            ["Package `golang.org/x/tools/gopls` is not pinned: `latest` admits every new release"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN go get -u github.com/x/y\n"), ["github.com/x/y"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN GO111MODULE=on go install github.com/x/y@master\n"),
            ["github.com/x/y@master"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD RUN [\"go\", \"get\", \"github.com/x/y\"]\n"),
            ["\"github.com/x/y\""]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1\nRUN <<EOF\nenv CGO_ENABLED=0 go install \\\n  github.com/x/y@latest\nEOF\n"
            ),
            ["github.com/x/y@latest"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN sh -c 'go install \"github.com/x/y@latest\"'\n"),
            ["\"github.com/x/y@latest\""]
        );
    }

    #[test]
    fn versions_go_mod_and_local_packages_pass() {
        assert_clean(&RULE, "FROM a:1\nRUN go install github.com/x/y@v1.2.3 github.com/x/z@3f2a9c1\n");
        assert_clean(
            &RULE,
            "FROM a:1\nRUN go install github.com/x/y/cmd/tool && go install ./cmd/... && go get -d ./...\n",
        );
        assert_clean(&RULE, "FROM a:1\nRUN go install \"github.com/x/y@${VERSION}\" && go build -o /app .\n");
    }
}
