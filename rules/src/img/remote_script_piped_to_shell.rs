use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};
use plimsoll_shell::{Command, Context, Word};

use crate::support::downloads::{self, Download, Output};
use crate::support::shells::{self, ProgramSource, Runner};

declare_rule! {
    /// ## What it does
    /// Flags `RUN` instructions that download code with `curl` or `wget` and run it without verifying it:
    /// piped into a shell or interpreter (`curl … | sh`, `wget -qO- … | sudo -E bash -`,
    /// `curl … | python3 -`),
    /// run through a substitution (`bash <(curl …)`, `sh -c "$(curl …)"`, `. <(curl …)`, `eval "$(curl …)"`),
    /// or saved to a file that a later command of the same `RUN` runs (`curl -o x.sh … && sh x.sh`) with no
    /// checksum or signature check (`sha256sum -c`, `gpg --verify`, …) in between.
    ///
    /// Interpreters count only when they run what they read: `curl … | python3 -c 'import json…'` parses
    /// data and is not flagged. A downloaded file run directly by its path counts when it is a script
    /// (`./install.sh`, `./installer.run`); a downloaded binary (`./kubectl version`) is an unverified
    /// download but not a script run through a shell, and is left to other checks.
    ///
    /// ## Why is this bad?
    /// Whatever the server returns at build time runs as the build user, usually root. A compromised
    /// download site, a hijacked domain or a changed script silently changes what goes into the image, and
    /// the build cannot be reproduced or reviewed: the script is not in the repository and may differ on the
    /// next build. A truncated download can also run half a script.
    ///
    /// Download to a file, check it against a checksum (or signature) you pinned, then run it; better still,
    /// install the tool from a signed package or a pinned release artifact.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// ARG SETUP_SHA256=0b9e4f6b0f1fb7ac0bd0a9d4c0e1f2d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9
    /// RUN curl -fsSLo /tmp/setup.sh https://deb.nodesource.com/setup_22.x \
    ///  && echo "${SETUP_SHA256}  /tmp/setup.sh" | sha256sum -c - \
    ///  && bash /tmp/setup.sh
    /// ```
    ///
    /// ## References
    /// - [Docker: install using the convenience script](https://docs.docker.com/engine/install/debian/#install-using-the-convenience-script)
    ///   ("always examine scripts downloaded from the internet before running them")
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    code: "IMG006",
    name: "remote-script-piped-to-shell",
    family: Img,
    severity: Error,
    formats: [Dockerfile],
    aliases: [],
    checks: [Check::RunCommand(check)],
}

const HELP: &str = "Download to a file, verify it against a pinned checksum (`echo \"<sha256>  install.sh\" | \
                    sha256sum -c -`) or signature, then run it; or install the tool from a signed package.";

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let Some(download) = downloads::download(ctx.command) else { return };
    let tool = download.tool;
    if download.output == Output::Stdout {
        if let Some(runner) = ctx.script.downstream(ctx.id).find_map(stdin_runner) {
            let message = format!(
                "Script downloaded with `{tool}` is piped into `{}` without verification",
                runner.word.text
            );
            report(r, ctx.command, runner, message);
            return;
        }
        if let Some(runner) = substitution_runner(ctx) {
            let message = format!(
                "Script downloaded with `{tool}` is run by `{}` without verification",
                runner.word.text
            );
            report(r, ctx.command, runner, message);
            return;
        }
    }
    if let Output::File(path) = &download.output
        && let Some(runner) = runs_file_unverified(ctx, &download, path)
    {
        let message = format!(
            "File downloaded with `{tool}` is run by `{}` without a checksum or signature check",
            runner.word.text
        );
        report(r, ctx.command, runner, message);
    }
}

fn report(r: &mut Reporter, downloader: &Command, runner: Runner, message: String) {
    r.report(downloader.range, message).help(HELP).label(runner.word.range, "runs the downloaded code");
}

/// A shell or interpreter reading its program from standard input.
fn stdin_runner(command: &Command) -> Option<Runner<'_>> {
    shells::runner(command).filter(|r| r.source == ProgramSource::Stdin)
}

/// `bash <(curl …)`, `. <(curl …)`, `sh -c "$(curl …)"`, `eval "$(curl …)"`: the command containing the
/// download runs its output as the program.
fn substitution_runner<'a>(ctx: &CommandCtx<'a>) -> Option<Runner<'a>> {
    let command = ctx.command;
    if !matches!(command.context, Context::ProcessSubstitution | Context::CommandSubstitution) {
        return None;
    }
    let parent = &ctx.script.commands[command.parent?];
    let holds_download = |word: &Word| word.range.contains_range(command.range);
    if parent.name() == Some("eval") {
        let word = parent.args().iter().find(|w| holds_download(w) && is_whole_substitution(&w.text))?;
        return Some(Runner { word: &parent.words[0], source: ProgramSource::String(word) });
    }
    let runner = shells::runner(parent)?;
    match runner.source {
        ProgramSource::File(word) if holds_download(word) && word.text.starts_with("<(") => Some(runner),
        ProgramSource::String(word) if holds_download(word) && is_whole_substitution(&word.text) => {
            Some(runner)
        }
        _ => None,
    }
}

/// `$(…)` or `` `…` `` making up the whole word: its output is the program text, not part of it.
fn is_whole_substitution(text: &str) -> bool {
    (text.starts_with("$(") && text.ends_with(')'))
        || (text.len() > 1 && text.starts_with('`') && text.ends_with('`'))
}

/// A later command of the same `RUN` that runs the downloaded file, with no verification before it.
fn runs_file_unverified<'a>(ctx: &CommandCtx<'a>, download: &Download, path: &str) -> Option<Runner<'a>> {
    for command in ctx.script.commands.iter().skip(ctx.id + 1) {
        if downloads::is_verification(command) {
            return None;
        }
        // The same file downloaded again is a new download, judged on its own.
        if downloads::download(command).is_some_and(|d| d.output == download.output) {
            return None;
        }
        if let Some(runner) = shells::runner(command)
            && let ProgramSource::File(word) = runner.source
            && downloads::same_path(&word.text, path)
        {
            return Some(runner);
        }
        // A script run by its path (`./install.sh`). A downloaded binary run the same way (`./kubectl
        // version`) is an unverified download, but not a script run through a shell.
        if let Some(word) = command.program().first()
            && word.text.contains('/')
            && is_script_name(&word.text)
            && downloads::same_path(&word.text, path)
        {
            return Some(Runner { word, source: ProgramSource::File(word) });
        }
    }
    None
}

/// Installer scripts and self-extracting installers by their extension.
fn is_script_name(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(extension, "sh" | "bash" | "zsh" | "py" | "pl" | "rb" | "js" | "php" | "run")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, run, spans};

    #[test]
    fn pipes_into_shells() {
        assert_eq!(spans(&RULE, &run("curl -fsSL https://x.io/i.sh | sh")), ["curl -fsSL https://x.io/i.sh"]);
        assert_eq!(
            spans(&RULE, &run("wget -qO- https://x.io/i.sh | bash -s -- -y")),
            ["wget -qO- https://x.io/i.sh"]
        );
        assert_eq!(
            spans(&RULE, &run("curl -sL https://x.io/s | sudo -E bash -")),
            ["curl -sL https://x.io/s"]
        );
        assert_eq!(spans(&RULE, &run("curl https://x.io/s | env zsh")), ["curl https://x.io/s"]);
        assert_eq!(
            spans(&RULE, &run("curl https://x.io/s | tee /tmp/s | /bin/dash")),
            ["curl https://x.io/s"]
        );
        assert_eq!(
            spans(&RULE, &run("busybox wget -O - https://x.io/s | busybox sh")),
            ["busybox wget -O - https://x.io/s"]
        );
        assert_eq!(
            messages(&RULE, &run("curl -fsSL https://x.io/i.sh | sudo sh")),
            ["Script downloaded with `curl` is piped into `sh` without verification"]
        );
    }

    #[test]
    fn labels_the_shell() {
        let text = run("curl -sL https://x.io/s | sudo -E bash -");
        let found = lint(&RULE, &text);
        assert_eq!(found[0].labels[0].range.slice(&text), "bash");
    }

    #[test]
    fn pipes_into_interpreters_that_run_their_input() {
        assert_eq!(spans(&RULE, &run("curl -sSL https://install.python-poetry.org | python3 -")).len(), 1);
        assert_eq!(spans(&RULE, &run("curl -sL https://x.io/get.py | python")).len(), 1);
        assert_eq!(spans(&RULE, &run("curl -sL https://x.io/i.pl | perl")).len(), 1);
        assert_clean(
            &RULE,
            &run("curl -s https://api.x.io/v | python3 -c 'import sys,json; print(json.load(sys.stdin))'"),
        );
        assert_clean(&RULE, &run("curl -s https://api.x.io/v | python3 -m json.tool"));
        assert_clean(&RULE, &run("curl -s https://x.io/f | perl -pe 's/a/b/' > f"));
    }

    #[test]
    fn substitutions() {
        assert_eq!(
            spans(&RULE, &run("bash <(curl -fsSL https://x.io/i.sh)")),
            ["curl -fsSL https://x.io/i.sh"]
        );
        assert_eq!(spans(&RULE, &run(". <(wget -qO- https://x.io/env)")), ["wget -qO- https://x.io/env"]);
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\""
                )
            ),
            ["curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh"]
        );
        assert_eq!(spans(&RULE, &run("eval \"$(curl -s https://x.io/env)\"")), ["curl -s https://x.io/env"]);
        assert_eq!(
            messages(&RULE, &run("bash <(curl -fsSL https://x.io/i.sh)")),
            ["Script downloaded with `curl` is run by `bash` without verification"]
        );
        assert_clean(&RULE, &run("diff <(curl -s https://x.io/a) <(curl -s https://x.io/b)"));
        assert_clean(&RULE, &run("sh -c \"echo $(curl -s https://x.io/v)\""));
        assert_clean(&RULE, &run("VERSION=$(curl -s https://x.io/latest) && echo $VERSION"));
    }

    #[test]
    fn download_then_run() {
        assert_eq!(
            spans(&RULE, &run("curl -fsSL https://get.docker.com -o get-docker.sh && sh get-docker.sh")),
            ["curl -fsSL https://get.docker.com -o get-docker.sh"]
        );
        assert_eq!(
            spans(&RULE, &run("wget https://x.io/dl/install.sh && chmod +x install.sh && ./install.sh")),
            ["wget https://x.io/dl/install.sh"]
        );
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "curl -sSo /tmp/get-pip.py https://bootstrap.pypa.io/get-pip.py; python3 /tmp/get-pip.py"
                )
            )
            .len(),
            1
        );
        assert_eq!(spans(&RULE, &run("curl -sL https://x.io/i.sh > i.sh && bash ./i.sh")).len(), 1);
        assert_eq!(
            messages(&RULE, &run("curl -fsSLO https://x.io/i.sh && bash i.sh")),
            ["File downloaded with `curl` is run by `bash` without a checksum or signature check"]
        );
    }

    #[test]
    fn verified_downloads_pass() {
        assert_clean(
            &RULE,
            &run("curl -fsSLo i.sh https://x.io/i.sh && echo \"$SHA  i.sh\" | sha256sum -c - && sh i.sh"),
        );
        assert_clean(
            &RULE,
            &run(
                "curl -fsSLO https://x.io/i.sh && curl -fsSLO https://x.io/i.sh.asc && gpg --verify i.sh.asc i.sh && bash i.sh",
            ),
        );
        assert_clean(
            &RULE,
            &run("curl -fsSLo /tmp/x.tgz https://x.io/x.tgz && tar xzf /tmp/x.tgz && sh other.sh"),
        );
    }

    #[test]
    fn other_uses_of_downloads_pass() {
        assert_clean(
            &RULE,
            &run("curl -fsSL https://x.io/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg"),
        );
        assert_clean(&RULE, &run("curl -fsSL https://x.io/x.tgz | tar xz -C /opt"));
        assert_clean(&RULE, &run("curl -fsSL https://x.io/i.sh | sh -c 'cat > /tmp/i.sh'"));
        assert_clean(&RULE, &run("curl -o /tmp/i.sh https://x.io/i.sh | sh"));
        assert_clean(&RULE, &run("echo 'curl https://x.io | sh'"));
        assert_clean(&RULE, &run("sh ./local-install.sh"));
    }

    #[test]
    fn nested_forms() {
        assert_eq!(
            spans(&RULE, &run("sh -c 'curl -fsSL https://x.io/i.sh | sh'")),
            ["curl -fsSL https://x.io/i.sh"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nRUN [\"/bin/sh\", \"-c\", \"curl -sL https://x.io/i | bash\"]\n"),
            ["curl -sL https://x.io/i"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nONBUILD RUN curl -sL https://x.io/i | sh\n"),
            ["curl -sL https://x.io/i"]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a\nRUN apt-get update && \\\n    curl -sL https://x.io/i \\\n      | bash -\n"
            ),
            ["curl -sL https://x.io/i"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nRUN <<EOF\nset -e\ncurl -sL https://x.io/i | sh\nEOF\n"),
            ["curl -sL https://x.io/i"]
        );
        assert_eq!(spans(&RULE, "FROM a\nARG URL\nRUN curl -sL \"$URL\" | sh\n"), ["curl -sL \"$URL\""]);
    }
}
