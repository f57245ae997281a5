use plimsoll_dockerfile::{Body, DWord, Keyword};
use plimsoll_linter::{Check, CommandCtx, DockerfileCtx, InstructionCtx, Reporter, declare_rule};
use plimsoll_shell::Word;
use plimsoll_span::TextRange;

use crate::support::secrets;

declare_rule! {
    /// ## What it does
    /// Flags credentials written into a Dockerfile:
    ///
    /// - tokens recognised by their format anywhere in an instruction (`ENV`, `ARG`, `LABEL`, `RUN` and its
    ///   heredoc scripts, `COPY <<EOF` bodies, `CMD`): AWS access key IDs (`AKIA…`), AWS secret access keys
    ///   written after an AWS key name, GitHub (`ghp_…`, `github_pat_…`), GitLab (`glpat-…`), Slack tokens
    ///   and webhook URLs, Stripe live keys, Google API keys, npm, PyPI and Docker Hub tokens, OpenAI and
    ///   Anthropic API keys, Hugging Face, Vault, DigitalOcean, Shopify, Square, SendGrid, Mailchimp and
    ///   Terraform Cloud tokens, Azure storage account keys, passwords in connection strings and URL queries
    ///   (`Server=db;Password=…`, `?user=app&password=…`), JSON Web Tokens and private key blocks
    ///   (`-----BEGIN … PRIVATE KEY-----` followed by key material);
    /// - a literal value given to a variable or option whose name says it holds a secret: `ARG`/`ENV`
    ///   (`ENV DB_PASSWORD=s3cret`), shell assignments (`export API_KEY=…`, `TOKEN=… ./deploy`), options
    ///   (`--password=…`, `--api-key …`, `docker login -p …`, `curl -u user:password`) and
    ///   `config set` commands (`npm config set //registry.npmjs.org/:_authToken …`).
    ///
    /// Placeholders are not secrets and are skipped: empty values, variable references (`$TOKEN`), `<token>`,
    /// `changeme`, `example`, `your-token-here`, repeated characters (`xxxx…`, `0000…`), AWS's documented
    /// example keys (`AKIAIOSFODNN7EXAMPLE`), and JSON Web Tokens of Supabase's public `anon` role. Comments
    /// are not scanned: they are not part of the image.
    ///
    /// A secret-named `ARG`/`ENV` without a literal value is `SEC001`'s (`secret-in-arg-or-env`); this rule
    /// reports the variables whose value is the secret itself, and `SEC001` then stays silent about them.
    /// The finding points at the secret's characters and the message shows only its first four characters.
    ///
    /// ## Why is this bad?
    /// A credential in a Dockerfile is in version control, in the image history or configuration and in
    /// every copy of the image: anyone who can read the repository or pull the image can use it. It is
    /// exploitable as written and must be revoked, not just removed.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// ENV DATABASE_PASSWORD=Tr0ub4dor-3
    /// RUN git clone https://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@github.com/acme/app.git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    ///     git clone "https://x-access-token:${GITHUB_TOKEN}@github.com/acme/app.git"
    /// ```
    ///
    /// ## References
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [GitHub: about secret scanning patterns](https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns)
    /// - [AWS: managing access keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC002",
    name: "hardcoded-secret",
    family: Sec,
    severity: Error,
    formats: [Dockerfile],
    aliases: ["a88baa34-e2ad-44ea-ad6f-8cac87bc7c71", "CIS-DI-0010"],
    checks: [
        Check::Dockerfile(token_formats),
        Check::Instruction(&[Keyword::Arg, Keyword::Env], secret_variables),
        Check::RunCommand(secret_arguments),
    ],
}

const HELP: &str = "Revoke this credential (it is in version control and in the image), then provide it with \
                    `RUN --mount=type=secret,id=…` at build time or as a runtime secret (`docker run -e`, Compose \
                    or Kubernetes secrets).";

/// Tokens of known formats, in the text of every instruction (heredoc bodies included, comments excluded).
fn token_formats(doc: &DockerfileCtx, r: &mut Reporter) {
    for instruction in &doc.file.instructions {
        let range = instruction.range;
        for token in secrets::find_tokens(range.slice(doc.text)) {
            let at = TextRange::from_usize(
                range.start as usize + token.range.start,
                range.start as usize + token.range.end,
            );
            if doc.file.comments.iter().any(|c| c.range.contains_range(at)) {
                continue;
            }
            let shown = if token.kind == "Private key" { None } else { secrets::masked(at.slice(doc.text)) };
            let message = match shown {
                Some(shown) => format!("{} `{shown}` is hardcoded", token.kind),
                None => format!("{} is hardcoded", token.kind),
            };
            r.report(at, message).help(HELP);
        }
    }
}

/// `ARG`/`ENV` with a secret's name and a literal value.
fn secret_variables(ctx: &InstructionCtx, r: &mut Reporter) {
    let pairs: Vec<(&DWord, &DWord)> = match &ctx.instruction.body {
        Body::Env(pairs) => pairs.iter().map(|p| (&p.key, &p.value)).collect(),
        Body::Arg(args) => args.iter().filter_map(|a| a.default.as_ref().map(|d| (&a.name, d))).collect(),
        _ => return,
    };
    for (name, value) in pairs {
        if named_literal(&name.text, &value.text) {
            let at = inner(ctx.doc.text, value.range, &value.text, 0..value.text.len());
            report_named(r, at, &name.text, &value.text);
        }
    }
}

/// A secret-named variable or option given a literal that no token format already covers (some formats,
/// such as AWS secret keys, are only recognised after their variable's name, so the pair is scanned).
fn named_literal(name: &str, value: &str) -> bool {
    secrets::is_secret_name(name)
        && secrets::is_literal_secret(value)
        && secrets::find_tokens(&format!("{name}={value}")).is_empty()
}

/// Reports `value` given to the variable, setting or option `name` (an option's name starts with `-`).
fn report_named(r: &mut Reporter, at: TextRange, name: &str, value: &str) {
    let verb = if name.starts_with('-') { "is given" } else { "is set to" };
    let message = match secrets::masked(value) {
        Some(shown) => format!("`{name}` {verb} a hardcoded secret `{shown}`"),
        None => format!("`{name}` {verb} a hardcoded secret"),
    };
    r.report(at, message).help(HELP);
}

/// Shell assignments, options and `config set` commands that give a secret-named setting a literal.
fn secret_arguments(ctx: &CommandCtx, r: &mut Reporter) {
    let text = ctx.doc.text;
    let command = ctx.command;
    for assignment in &command.assignments {
        if let Some(value) = &assignment.value
            && !value.dynamic
            && named_literal(&assignment.name, &value.text)
        {
            report_named(
                r,
                inner(text, value.range, &value.text, 0..value.text.len()),
                &assignment.name,
                &value.text,
            );
        }
    }
    // `env NAME=value cmd`, `sudo -E env NAME=value cmd`: the wrapper's own words before the program.
    let wrapper = &command.words[..command.words.len() - command.program().len()];
    for word in wrapper.iter().filter(|w| w.text.contains('=') && !w.text.starts_with('-')) {
        key_value_word(text, word, secrets::is_secret_name, r);
    }
    let args = command.program_args();
    if matches!(command.program_name(), Some("export" | "declare" | "typeset" | "local" | "readonly")) {
        for word in args.iter().filter(|w| !w.text.starts_with('-')) {
            key_value_word(text, word, secrets::is_secret_name, r);
        }
        return;
    }
    secret_options(text, args, r);
    login_password(text, command.program_name(), args, r);
    curl_user(text, command.program_name(), args, r);
    config_set(text, args, r);
}

/// `NAME=value` in one word: reports the value when `secret_name` says the name is a secret's.
fn key_value_word(text: &str, word: &Word, secret_name: impl Fn(&str) -> bool, r: &mut Reporter) {
    let Some((name, value)) = word.text.split_once('=') else { return };
    let literal = secrets::is_literal_secret(value) && secrets::find_tokens(value).is_empty();
    if !word.dynamic && literal && secret_name(name) {
        let start = name.len() + 1;
        report_named(r, inner(text, word.range, &word.text, start..word.text.len()), name, value);
    }
}

/// `--password=value` and `--api-key value`.
fn secret_options(text: &str, args: &[Word], r: &mut Reporter) {
    for (i, word) in args.iter().enumerate() {
        let Some(option) = word.text.strip_prefix("--") else { continue };
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (option, None),
        };
        // `--secret id=…,src=…` (BuildKit, buildah, podman) names a secret rather than giving one.
        if name == "secret" || !secrets::is_secret_name(name) {
            continue;
        }
        match inline {
            Some(value) if !word.dynamic && named_literal(name, value) => {
                let start = word.text.len() - value.len();
                let at = inner(text, word.range, &word.text, start..word.text.len());
                report_named(r, at, &format!("--{name}"), value);
            }
            None => {
                if let Some(value) = args.get(i + 1).filter(|v| !v.dynamic && !v.text.starts_with('-'))
                    && named_literal(name, &value.text)
                {
                    let at = inner(text, value.range, &value.text, 0..value.text.len());
                    report_named(r, at, &word.text, &value.text);
                }
            }
            _ => {}
        }
    }
}

/// `docker login -p value` (and podman, buildah, skopeo, helm registry, oras, crane, nerdctl).
fn login_password(text: &str, program: Option<&str>, args: &[Word], r: &mut Reporter) {
    let registry_cli = matches!(
        program,
        Some("docker" | "podman" | "buildah" | "skopeo" | "helm" | "oras" | "crane" | "nerdctl")
    );
    if !registry_cli || !args.iter().any(|w| w.text == "login") {
        return;
    }
    let Some(i) = args.iter().position(|w| w.text == "-p") else { return };
    if let Some(value) = args.get(i + 1).filter(|v| !v.dynamic && secrets::is_literal_secret(&v.text)) {
        report_named(r, inner(text, value.range, &value.text, 0..value.text.len()), "-p", &value.text);
    }
}

/// `curl -u user:password`, `--user user:password`, `--user=user:password` (without a password curl prompts
/// for it).
fn curl_user(text: &str, program: Option<&str>, args: &[Word], r: &mut Reporter) {
    if program != Some("curl") {
        return;
    }
    for (i, word) in args.iter().enumerate() {
        let (option, holder, credentials) = match word.text.as_str() {
            "-u" | "--user" => match args.get(i + 1) {
                Some(next) => (word.text.as_str(), next, next.text.as_str()),
                None => continue,
            },
            inline => match inline.strip_prefix("--user=") {
                Some(credentials) => ("--user", word, credentials),
                None => continue,
            },
        };
        if holder.dynamic {
            continue;
        }
        if let Some((_, password)) = credentials.split_once(':')
            && secrets::is_literal_secret(password)
        {
            let start = holder.text.len() - password.len();
            let at = inner(text, holder.range, &holder.text, start..holder.text.len());
            let message = match secrets::masked(password) {
                Some(shown) => format!("`{option}` is given a hardcoded password `{shown}`"),
                None => format!("`{option}` is given a hardcoded password"),
            };
            r.report(at, message).help(HELP);
        }
    }
}

/// `npm config set //registry.npmjs.org/:_authToken value`, `aws configure set aws_secret_access_key
/// value`, `poetry config pypi-token.pypi value`.
fn config_set(text: &str, args: &[Word], r: &mut Reporter) {
    let Some(at) = args.iter().position(|w| w.text == "config" || w.text == "configure") else { return };
    let mut rest = args[at + 1..].iter().filter(|w| !w.text.starts_with('-')).peekable();
    if rest.peek().is_some_and(|w| w.text == "set") {
        rest.next();
    }
    let Some(key) = rest.next().filter(|k| !k.dynamic) else { return };
    // The whole name (`aws_secret_access_key`), its last part (`//registry.npmjs.org/:_authToken`), or
    // Poetry's `pypi-token.<repository>`; not `credential.helper`.
    let secret_key = |name: &str| {
        secrets::is_secret_name(name)
            || name.rsplit([':', '.']).next().is_some_and(secrets::is_secret_name)
            || name.starts_with("pypi-token.")
    };
    if key.text.contains('=') {
        key_value_word(text, key, secret_key, r);
        return;
    }
    if let Some(value) = rest.next().filter(|v| !v.dynamic)
        && secret_key(&key.text)
        && secrets::is_literal_secret(&value.text)
        && secrets::find_tokens(&value.text).is_empty()
    {
        report_named(r, inner(text, value.range, &value.text, 0..value.text.len()), &key.text, &value.text);
    }
}

/// The source range of `value[part]`, where `value` is the text of the word at `range` after quote removal:
/// exact when the source differs from the value only by quotes (`KEY="a b"`, `--user='u:p'`), the whole
/// word otherwise (escape sequences).
fn inner(text: &str, range: TextRange, value: &str, part: std::ops::Range<usize>) -> TextRange {
    let source = range.slice(text).as_bytes();
    let value = value.as_bytes();
    // Source offset of each byte of the value.
    let mut offsets = Vec::with_capacity(value.len());
    let mut at = 0;
    for &byte in value {
        while at < source.len() && source[at] != byte && matches!(source[at], b'"' | b'\'') {
            at += 1;
        }
        if source.get(at) != Some(&byte) {
            return range;
        }
        offsets.push(at);
        at += 1;
    }
    match (offsets.get(part.start), part.end.checked_sub(1).and_then(|last| offsets.get(last))) {
        (Some(&start), Some(&last)) if part.start < part.end => {
            let base = range.start as usize;
            TextRange::from_usize(base + start, base + last + 1)
        }
        _ => range,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn a_key_recognised_by_format_is_reported_once() {
        let text = "FROM a:1\nENV AWS_SECRET_ACCESS_KEY=kX9v2Lq7RtY0pWm3NbZ8sHc5DfJ1gA6uE4oI7yTe\n";
        assert_eq!(messages(&RULE, text), ["AWS secret access key `kX9v…` is hardcoded"]);
    }

    #[test]
    fn tokens_anywhere_in_instructions() {
        let ghp = "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";
        assert_eq!(spans(&RULE, &format!("FROM a:1\nENV GITHUB_TOKEN={ghp}\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nARG T=\"{ghp}\"\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nLABEL token={ghp}\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nRUN git clone https://{ghp}@github.com/a/b\n")), [ghp]);
        assert_eq!(
            spans(&RULE, &format!("FROM a:1\nRUN sh -c 'curl -H \"Authorization: token {ghp}\" x'\n")),
            [ghp]
        );
        assert_eq!(spans(&RULE, &format!("FROM a:1\nRUN [\"app\", \"--token\", \"{ghp}\"]\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nONBUILD RUN echo {ghp}\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nRUN apt-get update && \\\n    echo {ghp} > t\n")), [ghp]);
        assert_eq!(spans(&RULE, &format!("FROM a:1\nRUN <<EOF\nexport GH={ghp}\nEOF\n")), [ghp]);
        assert_eq!(
            messages(&RULE, &format!("FROM a:1\nENV T={ghp}\n")),
            ["GitHub token `ghp_…` is hardcoded"]
        );
    }

    #[test]
    fn private_keys_in_heredocs_and_echo() {
        let key = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
        let text = format!(
            "FROM a:1\nCOPY <<EOF /root/.ssh/id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n{key}\n-----END OPENSSH PRIVATE KEY-----\nEOF\n"
        );
        assert_eq!(spans(&RULE, &text), ["-----BEGIN OPENSSH PRIVATE KEY-----"]);
        assert_eq!(messages(&RULE, &text), ["Private key is hardcoded"]);
        let echo = format!("FROM a:1\nRUN echo \"-----BEGIN RSA PRIVATE KEY-----\\n{key}\" > /k\n");
        assert_eq!(spans(&RULE, &echo), ["-----BEGIN RSA PRIVATE KEY-----"]);
    }

    #[test]
    fn aws_keys_from_the_peer_fixtures() {
        let text = "FROM base\nENV AWS_ACCESS_KEY_ID=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY\"\nENV AWS_SECRET_ACCESS_KEY=\"AKIAIOSFODNN7EXAMPL3\"\n";
        assert_eq!(spans(&RULE, text), ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY", "AKIAIOSFODNN7EXAMPL3"]);
        assert_eq!(
            messages(&RULE, text),
            ["AWS secret access key `wJal…` is hardcoded", "AWS access key ID `AKIA…` is hardcoded"]
        );
        assert_clean(&RULE, "FROM base\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n");
    }

    #[test]
    fn literal_values_of_secret_names() {
        assert_eq!(spans(&RULE, "FROM baseImage\nARG password=pass!1213Fs\n"), ["pass!1213Fs"]);
        assert_eq!(spans(&RULE, "FROM a:1\nENV A=1 DB_PASSWORD=\"s3cr3t pass\"\n"), ["s3cr3t pass"]);
        assert_eq!(spans(&RULE, "FROM a:1\nENV MYSQL_PASSWD password2024\n"), ["password2024"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nENV API_KEY=abcdefgh12345678\n"),
            ["`API_KEY` is set to a hardcoded secret `abcd…`"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nARG password=hunter2\n"),
            ["`password` is set to a hardcoded secret"]
        );
    }

    #[test]
    fn shell_assignments_and_options() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN export API_KEY=abc123 && make\n"), ["abc123"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN DB_PASSWORD='hunter2' ./setup.sh\n"), ["hunter2"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN mysqladmin --password=hunter2 create db\n"), ["hunter2"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN cli --api-key \"k3y-v4lue\" sync\n"), ["k3y-v4lue"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN docker login -u bot -p hunter2 registry.io\n"), ["hunter2"]);
        assert_eq!(spans(&RULE, "FROM a:1\nRUN curl -u admin:Adm1nPass -o x https://h/x\n"), ["Adm1nPass"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN curl --user=\"admin:Adm1n Pass\" https://h/x\n"),
            ["Adm1n Pass"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN npm config set //registry.npmjs.org/:_authToken=abc123def\n"),
            ["abc123def"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN aws configure set aws_secret_access_key s3cr3tvalue\n"),
            ["s3cr3tvalue"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN poetry config pypi-token.pypi s3cr3tvalue\n"),
            ["s3cr3tvalue"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sudo -E env TOKEN=s3cr3tvalue ./x\n"), ["s3cr3tvalue"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nRUN docker login -u bot -p 'Sup3rS3cret' r.io\n"),
            ["`-p` is given a hardcoded secret"]
        );
    }

    #[test]
    fn shell_strings_and_heredoc_scripts() {
        assert_eq!(spans(&RULE, "FROM a:1\nRUN sh -c 'export API_KEY=abc123 && make'\n"), ["abc123"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN <<EOF\nset -e\nexport DB_PASSWORD=hunter2\nEOF\n"),
            ["hunter2"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nRUN [\"cli\", \"--password=hunter2\"]\n"), ["hunter2"]);
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD RUN TOKEN=t0k3n-value ./publish\n"), ["t0k3n-value"]);
    }

    #[test]
    fn escaped_values_point_at_the_whole_word() {
        let text = "FROM a:1\nENV DB_PASSWORD=\"pa\\\"ss\"\n";
        assert_eq!(spans(&RULE, text), ["\"pa\\\"ss\""]);
    }

    #[test]
    fn references_placeholders_and_non_secrets_pass() {
        assert_clean(
            &RULE,
            "FROM a:1\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN PASSWORD=changeme TOKEN=<token>\n\
             ENV AWS_SECRET_ACCESS_KEY=FAKE_TO_GENERATE_WARNING_OUTPUT\nENV MTP_SECRET 00000000000000000000000000000000\n\
             ENV POSTGRES_PASSWORD_FILE=/run/secrets/pg GPG_KEYS=B42F6819007F00F88E364FD4036A9C25BF357DD4\n\
             RUN --mount=type=secret,id=t TOKEN=$(cat /run/secrets/t) ./x --password-stdin --token \"$T\"\n\
             RUN echo $PASSWORD | docker login -u bot --password-stdin && curl -u \"$U:$P\" x && curl -u bot x\n\
             RUN git config --global url.\"https://${GIT_USER}:${GIT_TOKEN}@github.com\".insteadOf https://github.com\n\
             RUN docker build --secret id=npm,src=.npmrc . && SECRET_KEY_BASE_DUMMY=1 rails assets:precompile\n\
             RUN git config --global credential.helper store && gpg --batch --passphrase '' --quick-gen-key t\n\
             ENV STRIPE_PUBLISHABLE_KEY=pk_live_51HxxAbcDefGhiJklMnoPqrStu GF_AUTH_ANONYMOUS_ENABLED=true\n",
        );
    }

    #[test]
    fn comments_are_not_scanned() {
        assert_clean(
            &RULE,
            "FROM a:1\n# ENV GITHUB_TOKEN=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\nRUN true\n",
        );
        assert_clean(
            &RULE,
            "FROM a:1\nRUN apt-get update \\\n# 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\n && true\n",
        );
    }

    #[test]
    fn kics_fixture_formats() {
        let text = "FROM baseImage\nARG token=sq0atp-812erere3wewew45678901\nARG picaticKey=sk_live_123as6789o1234567890123a123a5678\n\
                    ARG amazonToken=amzn.mws.643a5678-8f9f-1a2b-5c3b-e3ea43f3f4b4\nARG mailChimp=f4f56af5a54a3eaeb3c3beb3cc2ccccc-us36\n\
                    ARG sgApiK=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\n";
        assert_eq!(spans(&RULE, text).len(), 5);
    }
}
