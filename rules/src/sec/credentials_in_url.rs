use plimsoll_dockerfile::{Body, CommandForm, DWord, Healthcheck, Keyword};
use plimsoll_linter::{Check, CommandCtx, DockerfileCtx, InstructionCtx, Reporter, declare_rule};
use plimsoll_shell::Command;
use plimsoll_span::TextRange;

use crate::support::env_settings::{self, BuildVariable};
use crate::support::file_writes;
use crate::support::urls::{self, Url};
use crate::support::word_parts::part_range;

declare_rule! {
    /// ## What it does
    /// Flags URLs that carry credentials, `scheme://user:password@host`, in `RUN` commands, `ADD` sources,
    /// `ENV` and `ARG` values, `LABEL` values, `CMD`/`ENTRYPOINT`/`HEALTHCHECK` commands and files written
    /// during the build:
    /// - a literal password (`https://deploy:s3cret@git.example.com/…`), or a literal access token used as
    ///   the user name (`https://ghp_…@github.com`, `https://glpat-…@gitlab.com`,
    ///   `https://<token>:x-oauth-basic@…`);
    /// - a credential taken from a build variable (`https://oauth2:${TOKEN}@…`, `https://${GITHUB_TOKEN}@…`)
    ///   when that variable is an `ARG` or `ENV` of the Dockerfile: an `ARG` value used by a `RUN` is
    ///   recorded in the image history, and an `ENV` value is stored in the image configuration. A user name
    ///   alone is only flagged when the variable's name says it is a secret (`TOKEN`, `PASS`, `SECRET`,
    ///   `KEY`, `AUTH`, `PAT`, `CRED`).
    ///
    /// Variables set inside the `RUN` itself (for example read from a secret mount) are not flagged, nor are
    /// placeholders (`<password>`, `{{ password }}`, `****`) and anonymous FTP logins.
    ///
    /// ## Why is this bad?
    /// Everything in a Dockerfile and in the image's history and configuration is readable by anyone who can
    /// pull the image or read the repository. Tools also copy such URLs into files that stay in the image
    /// (`git clone` writes the remote URL, credentials included, into `.git/config`). A leaked registry or
    /// repository credential lets an attacker read private code or publish malicious packages.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine/git:2.45.2
    /// ARG GITHUB_TOKEN
    /// RUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/acme/private.git /src
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// # syntax=docker/dockerfile:1
    /// FROM alpine/git:2.45.2
    /// RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    ///     git -c "http.extraheader=Authorization: Bearer ${GITHUB_TOKEN}" \
    ///     clone https://github.com/acme/private.git /src
    /// ```
    ///
    /// ## References
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Dockerfile reference: ARG (do not use for secrets)](https://docs.docker.com/reference/dockerfile/#arg)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC003",
    name: "credentials-in-url",
    family: Sec,
    severity: Error,
    formats: [Dockerfile],
    aliases: [],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(
            &[Keyword::Add, Keyword::Copy, Keyword::Env, Keyword::Arg, Keyword::Label, Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck],
            check_instruction,
        ),
    ],
}

/// Token prefixes of well-known forges, recognisable when a token is used as a URL's user name.
const TOKEN_PREFIXES: &[&str] =
    &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "glptt-", "gldt-"];

/// Words in a variable name that say it holds a secret.
const SECRET_NAME_PARTS: &[&str] = &["TOKEN", "PASS", "SECRET", "KEY", "AUTH", "PAT", "CRED"];

/// Where a text sits, for resolving the variables its URLs use.
struct Place<'a> {
    doc: &'a DockerfileCtx<'a>,
    index: usize,
    /// Variables the `RUN` sets itself (or gets from a secret mount): not build variables.
    local: &'a dyn Fn(&str) -> bool,
}

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    let local = |name: &str| is_run_local(ctx, name);
    let place = Place { doc: ctx.doc, index: ctx.index, local: &local };
    let command = ctx.command;
    for word in &command.words {
        check_text(&place, &word.text, word.range, r);
    }
    for assignment in &command.assignments {
        if let Some(value) = &assignment.value {
            check_text(&place, &value.text, value.range, r);
        }
    }
    for write in file_writes::of_command(ctx.script, ctx.id, ctx.doc.text) {
        check_write(&place, &write, r);
    }
}

/// Whether the `RUN` gives `name` its value itself: an assignment, `export`, `read` or `env=` secret mount.
fn is_run_local(ctx: &CommandCtx, name: &str) -> bool {
    let from_secret = ctx.instruction.flags.iter().filter(|f| f.name.value == "mount").any(|f| {
        let options = f.options();
        options.iter().any(|o| o.key.value == "type" && o.value.as_ref().is_some_and(|v| v.value == "secret"))
            && options
                .iter()
                .any(|o| o.key.value == "env" && o.value.as_ref().is_some_and(|v| v.value == name))
    });
    let assigned = |c: &Command| {
        c.assignments.iter().any(|a| a.name == name)
            || env_settings::of_command(c).iter().any(|s| s.name == name)
            || (c.name() == Some("read") && c.args().iter().any(|w| w.text == name))
    };
    from_secret || ctx.script.commands[..=ctx.id].iter().any(assigned)
}

fn check_instruction(ctx: &InstructionCtx, r: &mut Reporter) {
    let place = Place { doc: ctx.doc, index: ctx.index, local: &|_| false };
    let check_words = |words: &[DWord], r: &mut Reporter| {
        for word in words {
            check_text(&place, &word.text, word.range, r);
        }
    };
    match &ctx.instruction.body {
        Body::Add(copy) | Body::Copy(copy) => {
            check_words(&copy.sources, r);
            for write in file_writes::of_copy(ctx.instruction) {
                check_write(&place, &write, r);
            }
        }
        Body::Env(_) | Body::Arg(_) => {
            for setting in env_settings::of_instruction(ctx.instruction) {
                check_text(&place, setting.value, setting.value_range(ctx.doc.text), r);
            }
        }
        Body::Label(pairs) => {
            for pair in pairs {
                check_text(&place, &pair.value.text, pair.value.range, r);
            }
        }
        Body::Cmd(form) | Body::Entrypoint(form) | Body::Healthcheck(Healthcheck::Cmd(form)) => {
            check_form(&place, form, r);
        }
        _ => {}
    }
}

fn check_form(place: &Place, form: &CommandForm, r: &mut Reporter) {
    let Some(script) = form.script() else { return };
    for command in &script.commands {
        for word in &command.words {
            check_text(place, &word.text, word.range, r);
        }
    }
}

fn check_write(place: &Place, write: &file_writes::FileWrite, r: &mut Reporter) {
    for url in urls::find_all(&write.content) {
        if let Some(finding) = judge(place, &write.content, &url) {
            let part = url.userinfo.clone().unwrap_or(url.range.clone());
            if let Some(range) = write.range_of(place.doc.text, part) {
                emit(r, range, finding);
            }
        }
    }
}

/// What is wrong with a URL's credentials.
enum Finding {
    LiteralPassword(String),
    LiteralToken(String),
    Variable { url: String, name: String, kind: BuildVariable },
}

fn check_text(place: &Place, text: &str, range: TextRange, r: &mut Reporter) {
    if !text.contains("://") || !text.contains('@') {
        return;
    }
    for url in urls::find_all(text) {
        if let Some(finding) = judge(place, text, &url) {
            let part = url.userinfo.clone().unwrap_or(url.range.clone());
            emit(r, part_range(place.doc.text, range, text, part), finding);
        }
    }
}

fn judge(place: &Place, text: &str, url: &Url) -> Option<Finding> {
    let userinfo = &text[url.userinfo.clone()?];
    let user = &text[url.user.clone()?];
    let password = url.password.clone().map(|p| &text[p]);
    if matches!(user, "anonymous" | "ftp") {
        return None;
    }
    if userinfo.contains('$') {
        return build_variable(place, text, url, userinfo, password.is_some());
    }
    match password {
        Some("x-oauth-basic") if !user.is_empty() => Some(Finding::LiteralToken(masked_user(text, url))),
        Some(password) if !password.is_empty() && !is_placeholder(password) => {
            Some(Finding::LiteralPassword(url.masked(text)))
        }
        None if TOKEN_PREFIXES.iter().any(|p| user.starts_with(p)) => {
            Some(Finding::LiteralToken(masked_user(text, url)))
        }
        _ => None,
    }
}

/// A credential from a build variable; a user name alone only when the variable's name says it is secret.
fn build_variable(
    place: &Place,
    text: &str,
    url: &Url,
    userinfo: &str,
    has_password: bool,
) -> Option<Finding> {
    env_settings::referenced_variables(userinfo).into_iter().find_map(|(name, _)| {
        let upper = name.to_ascii_uppercase();
        let secret = has_password || SECRET_NAME_PARTS.iter().any(|part| upper.contains(part));
        if !secret || (place.local)(name) {
            return None;
        }
        let kind = env_settings::build_variable(place.doc, place.index, name)?;
        let url = format!("{}://{userinfo}@{}", &text[url.scheme.clone()], &text[url.host.clone()]);
        Some(Finding::Variable { url, name: name.to_string(), kind })
    })
}

fn masked_user(text: &str, url: &Url) -> String {
    format!("{}://****@{}", &text[url.scheme.clone()], &text[url.host.clone()])
}

/// `<password>`, `{{ password }}`, `****`, `xxxx`, `%s`: documentation placeholders, not credentials.
fn is_placeholder(password: &str) -> bool {
    (password.starts_with('<') && password.ends_with('>'))
        || (password.starts_with("{{") && password.ends_with("}}"))
        || password.chars().all(|c| c == '*')
        || password.chars().all(|c| c == 'x' || c == 'X')
        || password.starts_with('%')
}

fn emit(r: &mut Reporter, range: TextRange, finding: Finding) {
    let literal_help = "Remove the credential from the URL and rotate it; pass credentials at build time with \
                        `RUN --mount=type=secret,id=…` or a credential helper.";
    match finding {
        Finding::LiteralPassword(url) => {
            r.report(range, format!("URL `{url}` contains a literal password")).help(literal_help);
        }
        Finding::LiteralToken(url) => {
            r.report(range, format!("URL `{url}` contains a literal access token")).help(literal_help);
        }
        Finding::Variable { url, name, kind } => {
            let (what, where_) = match kind {
                BuildVariable::Arg => ("build argument", "is recorded in the image history"),
                BuildVariable::Env => ("`ENV` variable", "is stored in the image configuration"),
            };
            r.report(range, format!("URL `{url}` embeds {what} `{name}`, whose value {where_}")).help(
                "Pass the credential with `RUN --mount=type=secret,id=…,env=NAME` instead of an `ARG` or `ENV`, \
                 and keep it out of URLs that tools save (use an `http.extraheader` or a credential helper).",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, run, spans};

    #[test]
    fn literal_passwords() {
        assert_eq!(
            spans(&RULE, &run("git clone https://deploy:s3cret@git.example.com/r.git")),
            ["deploy:s3cret"]
        );
        assert_eq!(
            messages(&RULE, &run("git clone https://deploy:s3cret@git.example.com/r.git")),
            ["URL `https://deploy:****@git.example.com` contains a literal password"]
        );
        assert_eq!(
            spans(&RULE, &run("pip install --index-url=\"https://u:p@pypi.example/simple\" x")),
            ["u:p"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nENV DATABASE_URL=postgres://app:hunter2@db:5432/app\n"),
            ["app:hunter2"]
        );
        assert_eq!(spans(&RULE, "FROM a\nARG REPO=https://u:p@r.example\n"), ["u:p"]);
        assert_eq!(spans(&RULE, "FROM a\nLABEL source=\"https://u:p@r.example/x\"\n"), ["u:p"]);
        assert_eq!(spans(&RULE, "FROM a\nADD https://u:p@r.example/x.tgz /x\n"), ["u:p"]);
        assert_eq!(spans(&RULE, "FROM a\nCMD [\"curl\", \"https://u:p@r.example/x\"]\n"), ["u:p"]);
        assert_eq!(spans(&RULE, "FROM a\nONBUILD RUN wget https://u:p@r.example/x\n"), ["u:p"]);
    }

    #[test]
    fn literal_tokens() {
        assert_eq!(
            messages(&RULE, &run("git clone https://ghp_abcdefABCDEF0123456789@github.com/o/r.git")),
            ["URL `https://****@github.com` contains a literal access token"]
        );
        assert_eq!(
            spans(&RULE, &run("git clone https://abc123:x-oauth-basic@github.com/o/r.git")),
            ["abc123:x-oauth-basic"]
        );
    }

    #[test]
    fn build_variables() {
        let text = "FROM a\nARG TOKEN\nRUN git clone https://oauth2:${TOKEN}@gitlab.example/o/r.git\n";
        assert_eq!(spans(&RULE, text), ["oauth2:${TOKEN}"]);
        assert_eq!(
            messages(&RULE, text),
            [
                "URL `https://oauth2:${TOKEN}@gitlab.example` embeds build argument `TOKEN`, whose value is recorded in the image history"
            ]
        );
        let text = "FROM a\nENV GITHUB_TOKEN=abc\nRUN git clone https://$GITHUB_TOKEN@github.com/o/r.git\n";
        assert_eq!(
            messages(&RULE, text),
            [
                "URL `https://$GITHUB_TOKEN@github.com` embeds `ENV` variable `GITHUB_TOKEN`, whose value is stored in the image configuration"
            ]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nARG PASS\nENV URL=https://user:${PASS}@r.example\n"),
            ["user:${PASS}"]
        );
    }

    #[test]
    fn variables_not_from_the_dockerfile_pass() {
        assert_clean(&RULE, &run("git clone https://oauth2:${TOKEN}@gitlab.example/o/r.git"));
        assert_clean(
            &RULE,
            "FROM a\nARG TOKEN\nRUN TOKEN=$(cat /run/secrets/t) && git clone https://x:${TOKEN}@h/r.git\n",
        );
        assert_clean(
            &RULE,
            "FROM a\nARG TOKEN\nRUN --mount=type=secret,id=t,env=TOKEN git clone https://x:${TOKEN}@h/r.git\n",
        );
        assert_clean(&RULE, "FROM a\nARG GIT_USER\nRUN git clone https://${GIT_USER}@h/r.git\n");
        assert_clean(&RULE, "FROM a AS build\nARG TOKEN\nFROM a\nRUN git clone https://x:${TOKEN}@h/r.git\n");
    }

    #[test]
    fn urls_without_credentials_pass() {
        assert_clean(&RULE, &run("git clone https://github.com/o/r.git && git clone git@github.com:o/r.git"));
        assert_clean(&RULE, &run("git clone ssh://git@github.com/o/r.git"));
        assert_clean(&RULE, &run("curl https://user@example.com/x"));
        assert_clean(&RULE, &run("wget ftp://anonymous:guest@ftp.example/x"));
        assert_clean(&RULE, &run("echo 'see https://user:<password>@host and https://u:****@h'"));
        assert_clean(&RULE, "FROM a\nENV EMAIL=me@example.com URL=https://example.com/@scope/pkg\n");
    }

    #[test]
    fn nested_forms_report_once() {
        assert_eq!(spans(&RULE, &run("sh -c 'git clone https://u:p@h/r.git'")), ["u:p"]);
        assert_eq!(spans(&RULE, &run("echo \"machine=https://u:p@h\" > /tmp/x")), ["u:p"]);
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "cat > ~/.config/pip/pip.conf <<EOF\n[global]\nindex-url = https://u:p@pypi.example/simple\nEOF"
                )
            ),
            ["u:p"]
        );
        assert_eq!(spans(&RULE, &run("export REPO=https://u:p@h/r.git")), ["u:p"]);
    }
}
