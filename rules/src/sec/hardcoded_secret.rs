use plimsoll_diagnostic::Format;
use plimsoll_dockerfile::{Body, DWord, Keyword};
use plimsoll_linter::{
    Check, CommandCtx, ComposeCtx, DockerfileCtx, InstructionCtx, KubernetesCtx, Reporter, declare_rule,
};
use plimsoll_model::Container;
use plimsoll_span::TextRange;

use crate::support::env_secrets::{self, SecretValue};
use crate::support::secret_arguments::{self, Given, inner, named_literal};
use crate::support::{help, secrets, yaml_tokens};

declare_rule! {
    /// ## What it does
    /// Flags credentials written into a Dockerfile, a Compose file or a Kubernetes manifest, such as a
    /// Kubernetes container's `env` entry with a literal `value:`:
    ///
    /// - tokens recognised by their format anywhere in a Dockerfile instruction (`ENV`, `ARG`, `LABEL`, `RUN`
    ///   and its heredoc scripts, `COPY <<EOF` bodies, `CMD`) or in any value of a Compose file
    ///   (`environment`, `command`, `labels`, `x-` extensions, interpolation defaults) or a Kubernetes
    ///   manifest (`env`, `args`, annotations, ConfigMap data, a Secret's `stringData`): AWS access key IDs
    ///   (`AKIA…`), AWS secret access keys
    ///   written after an AWS key name, GitHub (`ghp_…`, `github_pat_…`), GitLab (`glpat-…`), Slack tokens
    ///   and webhook URLs, Stripe live keys, Google API keys, npm, PyPI and Docker Hub tokens, OpenAI and
    ///   Anthropic API keys, Hugging Face, Vault, DigitalOcean, Shopify, Square, SendGrid, Mailchimp and
    ///   Terraform Cloud tokens, Azure storage account keys, passwords in connection strings and URL queries
    ///   (`Server=db;Password=…`, `?user=app&password=…`), JSON Web Tokens and private key blocks
    ///   (`-----BEGIN … PRIVATE KEY-----` followed by key material);
    /// - a literal value given to a variable or option whose name says it holds a secret: `ARG`/`ENV`
    ///   (`ENV DB_PASSWORD=s3cret`), shell assignments (`export API_KEY=…`, `TOKEN=… ./deploy`), options
    ///   (`--password=…`, `--api-key …`, `docker login -p …`, `curl -u user:password`) and
    ///   `config set` commands (`npm config set //registry.npmjs.org/:_authToken …`), and in Compose the
    ///   `environment` and `build.args` of a service, in map or list form (`DB_PASSWORD: s3cret`,
    ///   `- DB_PASSWORD=s3cret`), including interpolation defaults (`${DB_PASSWORD:-s3cret}`), and in
    ///   Kubernetes the `env` of a container (`- name: DB_PASSWORD` with `value: s3cret`).
    ///
    /// Placeholders are not secrets and are skipped: empty values, variable references (`$TOKEN`), `<token>`,
    /// `changeme`, `example`, `your-token-here`, repeated characters (`xxxx…`, `0000…`), AWS's documented
    /// example keys (`AKIAIOSFODNN7EXAMPLE`), and JSON Web Tokens of Supabase's public `anon` role. Comments
    /// are not scanned: they are not part of the image. A Compose value taken from the environment
    /// (`DB_PASSWORD: ${DB_PASSWORD}`, or `DB_PASSWORD` without a value) is the right way to pass a secret and
    /// is never reported; so is a Kubernetes `valueFrom` (`secretKeyRef`), which has no value in the file, and
    /// a `$(OTHER_VARIABLE)` reference.
    ///
    /// A secret-named `ARG`/`ENV` (or Compose variable) without a literal credential is `SEC001`'s
    /// (`secret-in-arg-or-env`); this rule reports the variables whose value is the secret itself, and
    /// `SEC001` then stays silent about them.
    /// The finding points at the secret's characters and the message shows only its first four characters.
    ///
    /// ## Why is this bad?
    /// A credential in a Dockerfile is in version control, in the image history or configuration and in
    /// every copy of the image: anyone who can read the repository or pull the image can use it. In a
    /// Compose file it is in version control and in every copy of the project, and `docker inspect` shows
    /// the environment of the running container. It is exploitable as written and must be revoked, not just
    /// removed.
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
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     environment:
    ///       DATABASE_PASSWORD: Tr0ub4dor-3
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     environment:
    ///       DATABASE_PASSWORD: ${DATABASE_PASSWORD:?set DATABASE_PASSWORD}
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:2.1
    ///       env:
    ///         - name: DATABASE_PASSWORD
    ///           value: Tr0ub4dor-3
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:2.1
    ///       env:
    ///         - name: DATABASE_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: api-database
    ///               key: password
    /// ```
    ///
    /// ## References
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Kubernetes: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - [Kubernetes: good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Compose: secrets](https://docs.docker.com/compose/how-tos/use-secrets/) and
    ///   [interpolation](https://docs.docker.com/reference/compose-file/interpolation/)
    /// - [GitHub: about secret scanning patterns](https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns)
    /// - [AWS: managing access keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC002",
    name: "hardcoded-secret",
    family: Sec,
    severity: Error,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["a88baa34-e2ad-44ea-ad6f-8cac87bc7c71", "CIS-DI-0010", "env-var-secret", "sensitiveContainerEnvVar"],
    checks: [
        Check::Dockerfile(token_formats),
        Check::Instruction(&[Keyword::Arg, Keyword::Env], secret_variables),
        Check::RunCommand(secret_arguments),
        Check::Compose(compose_token_formats),
        Check::Kubernetes(kubernetes_token_formats),
        Check::Container(container_variables),
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
            r.report(at, token_message(token.kind, at.slice(doc.text))).help(HELP);
        }
    }
}

/// "GitHub token `ghp_…` is hardcoded"; a private key is never shown.
fn token_message(kind: &str, secret: &str) -> String {
    match secrets::masked(secret).filter(|_| kind != "Private key") {
        Some(shown) => format!("{kind} `{shown}` is hardcoded"),
        None => format!("{kind} is hardcoded"),
    }
}

/// What to do about a credential in a Compose file or a Kubernetes manifest.
fn runtime_help(format: Format) -> String {
    help::for_format(
        format,
        HELP,
        "Revoke this credential (it is in version control), then take it from the environment (`${NAME}`, with \
         the value in an `.env` file kept out of version control) or from Compose `secrets:`.",
        "Revoke this credential (it is in version control), then store it in a Secret and reference it with \
         `valueFrom.secretKeyRef`.",
    )
}

/// Tokens of known formats in every value of a Compose file, where they are written.
fn compose_token_formats(ctx: &ComposeCtx, r: &mut Reporter) {
    for found in yaml_tokens::tokens(ctx.text, ctx.tree) {
        r.report(found.range, token_message(found.kind, found.range.slice(ctx.text)))
            .help(runtime_help(Format::Compose));
    }
}

/// What to do about a credential in a Kubernetes Secret object: the Secret is the right place, its manifest
/// in version control is not.
const SECRET_OBJECT_HELP: &str = "Revoke this credential (it is in version control), then create the Secret \
                                  outside version control (`kubectl create secret`), or commit it encrypted (Sealed \
                                  Secrets, SOPS) or as a reference to an external secret store.";

/// Tokens of known formats in every value of a Kubernetes manifest, where they are written.
fn kubernetes_token_formats(ctx: &KubernetesCtx, r: &mut Reporter) {
    for found in yaml_tokens::tokens(ctx.text, ctx.tree) {
        let in_secret = ctx
            .manifest
            .objects
            .iter()
            .any(|o| o.kind.value == "Secret" && ctx.tree.node(o.node).range.contains_range(found.range));
        let help = if in_secret { SECRET_OBJECT_HELP.to_string() } else { runtime_help(Format::Kubernetes) };
        r.report(found.range, token_message(found.kind, found.range.slice(ctx.text))).help(help);
    }
}

/// Literal credentials in the environment and build arguments of a Compose service (a Dockerfile's `ENV`
/// and `ARG` are checked as instructions, where they are written).
fn container_variables(container: &Container, r: &mut Reporter) {
    if container.format == Format::Dockerfile {
        return;
    }
    for var in container.env.iter().chain(&container.build_args) {
        let (message, range) = match env_secrets::classify(var) {
            Some(SecretValue::Token { kind, secret, range }) => (token_message(kind, &secret), range),
            Some(SecretValue::Hardcoded { range }) => {
                (named_message(&var.name.value, var.value.as_ref().map_or("", |v| v.value.as_str())), range)
            }
            Some(SecretValue::Guessable { .. }) | None => continue,
        };
        r.report(range, message).help(runtime_help(container.format));
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

/// Reports `value` given to the variable, setting or option `name` (an option's name starts with `-`).
fn report_named(r: &mut Reporter, at: TextRange, name: &str, value: &str) {
    r.report(at, named_message(name, value)).help(HELP);
}

fn named_message(name: &str, value: &str) -> String {
    let verb = if name.starts_with('-') { "is given" } else { "is set to" };
    match secrets::masked(value) {
        Some(shown) => format!("`{name}` {verb} a hardcoded secret `{shown}`"),
        None => format!("`{name}` {verb} a hardcoded secret"),
    }
}

/// Shell assignments, options and `config set` commands that give a secret-named setting a literal.
fn secret_arguments(ctx: &CommandCtx, r: &mut Reporter) {
    for given in secret_arguments::in_command(ctx.doc.text, ctx.command) {
        match given {
            Given::Named { range, name, value } => report_named(r, range, &name, &value),
            Given::Password { range, option, password } => {
                let message = match secrets::masked(&password) {
                    Some(shown) => format!("`{option}` is given a hardcoded password `{shown}`"),
                    None => format!("`{option}` is given a hardcoded password"),
                };
                r.report(range, message).help(HELP);
            }
        }
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

    mod compose {
        use super::super::RULE;
        use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

        const GHP: &str = "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";

        #[test]
        fn environment_and_build_arguments_in_both_forms() {
            let yaml = "services:\n  api:\n    image: a:1\n    environment:\n      DB_PASSWORD: Tr0ub4dor-3\n      \
                        API_KEY: \"k3y-v4lue-0123\"\n    build:\n      args:\n        - NPM_TOKEN=npm-s3cr3t\n";
            assert_eq!(compose_spans(&RULE, yaml), ["Tr0ub4dor-3", "k3y-v4lue-0123", "npm-s3cr3t"]);
            let found = lint_compose(&RULE, yaml);
            assert_eq!(found[1].message, "`API_KEY` is set to a hardcoded secret `k3y-…`");
            assert!(found[0].help.as_deref().unwrap().contains("`.env` file kept out of version control"));
            let list = "services:\n  db:\n    image: postgres:17\n    environment:\n      - POSTGRES_PASSWORD=postgres\n";
            assert_eq!(compose_spans(&RULE, list), ["postgres"]);
            let default = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${PG_PASS:-s3cr3t}\n";
            assert_eq!(compose_spans(&RULE, default), ["${PG_PASS:-s3cr3t}"]);
        }

        #[test]
        fn token_formats_in_any_value() {
            let yaml = format!(
                "x-ci:\n  token: {GHP}\nservices:\n  bot:\n    image: a:1\n    command: [\"bot\", \"--token={GHP}x\"]\n    \
                 labels:\n      - \"auth=Bearer {GHP}\"\n    environment:\n      GITHUB_TOKEN: ${{GH_TOKEN:-{GHP}}}\n"
            );
            assert_eq!(compose_spans(&RULE, &yaml), [GHP, &format!("{GHP}x"), GHP, GHP]);
            let found = lint_compose(&RULE, &yaml);
            assert_eq!(found[0].message, "GitHub token `ghp_…` is hardcoded");
        }

        #[test]
        fn aws_secret_keys_after_their_name() {
            let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY";
            let map = format!(
                "services:\n  a:\n    image: a:1\n    environment:\n      AWS_SECRET_ACCESS_KEY: '{key}'\n"
            );
            assert_eq!(compose_spans(&RULE, &map), [key]);
            assert_eq!(lint_compose(&RULE, &map)[0].message, "AWS secret access key `wJal…` is hardcoded");
            let list = format!(
                "services:\n  a:\n    image: a:1\n    environment:\n      - AWS_SECRET_ACCESS_KEY={key}\n"
            );
            assert_eq!(compose_spans(&RULE, &list), [key]);
            let default = format!(
                "services:\n  a:\n    image: a:1\n    environment:\n      AWS_SECRET_ACCESS_KEY: ${{AWS_KEY:-{key}}}\n"
            );
            assert_eq!(compose_spans(&RULE, &default), [format!("${{AWS_KEY:-{key}}}")]);
        }

        #[test]
        fn shared_definitions_are_reported_once() {
            let yaml = "x-env: &env\n  DB_PASSWORD: Tr0ub4dor-3\nservices:\n  a:\n    image: a:1\n    environment: *env\n  \
                        b:\n    image: b:1\n    environment: *env\n  c:\n    extends: a\n";
            assert_eq!(compose_spans(&RULE, yaml), ["Tr0ub4dor-3"]);
        }

        #[test]
        fn references_placeholders_comments_and_other_names_pass() {
            assert_compose_clean(
                &RULE,
                &format!(
                    "# GITHUB_TOKEN: {GHP}\nservices:\n  api:\n    image: a:1\n    environment:\n      DB_PASSWORD: ${{DB_PASSWORD}}\n      \
                     API_TOKEN:\n      SECRET_KEY: ${{SECRET_KEY:?set it}}\n      PASSWORD: changeme\n      JWT_SECRET: /run/secrets/jwt\n      \
                     POSTGRES_PASSWORD_FILE: /run/secrets/pg\n      DB_USER: admin\n      REDIS_PASSWORD: \"\"\n    \
                     build:\n      args:\n        - NPM_TOKEN\n        - GH_TOKEN=${{GH_TOKEN}}  # {GHP}\n"
                ),
            );
        }
    }

    mod kubernetes {
        use super::super::RULE;
        use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

        const GHP: &str = "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";

        fn env(entries: &str) -> String {
            pod("", &format!("      env:\n{entries}"))
        }

        #[test]
        fn literal_env_values_of_secret_names() {
            let yaml = env(
                "        - name: DB_PASSWORD\n          value: Tr0ub4dor-3\n        - {name: API_KEY, value: \"k3y-v4lue-0123\"}\n",
            );
            assert_eq!(k8s_spans(&RULE, &yaml), ["Tr0ub4dor-3", "k3y-v4lue-0123"]);
            let found = lint_k8s(&RULE, &yaml);
            assert_eq!(found[1].message, "`API_KEY` is set to a hardcoded secret `k3y-…`");
            assert!(found[0].help.as_deref().unwrap().contains("`valueFrom.secretKeyRef`"));
        }

        #[test]
        fn token_formats_in_any_value() {
            let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY";
            let yaml = pod(
                "",
                &format!(
                    "      args: [\"--token={GHP}\"]\n      env:\n        - name: GH\n          value: {GHP}\n        - name: AWS_SECRET_ACCESS_KEY\n          value: \"{key}\"\n"
                ),
            );
            assert_eq!(k8s_spans(&RULE, &yaml), [GHP, GHP, key]);
            let found = lint_k8s(&RULE, &yaml);
            assert_eq!(found[0].message, "GitHub token `ghp_…` is hardcoded");
            assert_eq!(found[2].message, "AWS secret access key `wJal…` is hardcoded");
            let config = format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  app.ini: |\n    token = {GHP}\n"
            );
            assert_eq!(k8s_spans(&RULE, &config), [GHP]);
        }

        #[test]
        fn secret_objects_say_where_the_secret_belongs() {
            let yaml =
                format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: gh\nstringData:\n  token: {GHP}\n");
            assert_eq!(k8s_spans(&RULE, &yaml), [GHP]);
            assert!(lint_k8s(&RULE, &yaml)[0].help.as_deref().unwrap().contains("`kubectl create secret`"));
        }

        #[test]
        fn references_placeholders_and_other_names_pass() {
            assert_k8s_clean(
                &RULE,
                &env(
                    "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n        - name: API_TOKEN\n          value: $(TOKEN_FROM_FILE)\n        - name: JWT_SECRET\n          value: /var/run/secrets/jwt\n        - name: DB_USER\n          value: admin\n        - name: PASSWORD\n          value: changeme\n        - name: REDIS_PASSWORD\n          value: \"\"\n",
                ),
            );
        }
    }
}
