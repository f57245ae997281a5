use plimsoll_diagnostic::Format;
use plimsoll_dockerfile::{Body, DWord, Keyword};
use plimsoll_linter::{Check, ComposeCtx, InstructionCtx, Reporter, declare_rule};
use plimsoll_model::Container;

use crate::support::env_secrets::{self, SecretValue};
use crate::support::{help, secrets};

declare_rule! {
    /// ## What it does
    /// Flags variables whose name says they hold a secret, where the value leaks or can be guessed:
    /// Dockerfile `ARG` and `ENV` instructions, Compose `build.args` and `environment`, and the `env` of
    /// Kubernetes containers set to a placeholder (`value: changeme`).
    ///
    /// Secret names are `*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, `*_PRIVATE_KEY`,
    /// `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `NPM_TOKEN`, `VAULT_TOKEN`, `COMPOSER_AUTH`, and the same
    /// names behind the `VITE_`, `REACT_APP_` and `NEXT_PUBLIC_` prefixes of front-end builds.
    ///
    /// An `ARG` is flagged with or without a default, since the value passed with `--build-arg` is what
    /// leaks. An `ENV` is flagged when it stores something: not when its value is empty (`ENV TOKEN=`), a
    /// path (`ENV JWT_SECRET=/run/secrets/jwt`), a URL without credentials or a switch (`true`, `0`). A
    /// global `ARG` before the first `FROM` is flagged only when no stage declares it again. An `ENV` whose
    /// value is a placeholder (`ENV PASSWORD=changeme`, `ENV TOKEN=XXXXXXXX`) declares a runtime setting; it
    /// is reported as a guessable default the image ships.
    ///
    /// Names that describe secrets without holding one are not flagged: `*_FILE` and `*_PATH` variables
    /// (`POSTGRES_PASSWORD_FILE`), identifiers (`AWS_ACCESS_KEY_ID`, `KEY_ID`, `*_USERNAME`), public keys
    /// and key servers (`GPG_KEYS`, `PUBLIC_KEY`, `KEYSERVER`), and settings about secrets
    /// (`MYSQL_ALLOW_EMPTY_PASSWORD`, `TOKEN_URL`, `MAX_TOKENS`).
    ///
    /// In a Compose file, a service's secret-named variables are flagged when:
    /// - a `build.args` entry takes its value from the environment (`NPM_TOKEN: ${NPM_TOKEN}`, `- NPM_TOKEN`,
    ///   `${NPM_TOKEN:-}`): whatever the environment holds at build time is written to the image history;
    /// - an `environment` entry is set to a placeholder (`DB_PASSWORD: changeme`, `API_TOKEN: <token>`): the
    ///   container runs with a password anyone can guess unless someone remembers to replace it. Templates
    ///   that another tool fills in (`{{ db_password }}`) are not placeholders.
    ///
    /// An `environment` entry taken from the environment (`DB_PASSWORD: ${DB_PASSWORD}`) is the right way to
    /// give a container a secret at run time and is not flagged, nor is an empty value.
    ///
    /// In a Kubernetes manifest, a container's `env` entry with a secret's name is flagged when its `value:`
    /// is a placeholder (`DB_PASSWORD` = `changeme`, `<password>`). `valueFrom` (a Secret's key) is the right
    /// way and has no value in the file; a `$(OTHER_VARIABLE)` reference and an empty value are not flagged.
    ///
    /// When the value is itself a hardcoded credential, `SEC002` (`hardcoded-secret`) reports it instead, so
    /// one variable gets one finding: this rule is about the name, `SEC002` about a literal value.
    ///
    /// ## Why is this bad?
    /// Build argument values are recorded in the image history (`docker history` shows them on every `RUN`
    /// that sees them) and in `mode=max` provenance attestations; `ENV` values are part of the image
    /// configuration (`docker inspect`). Anyone who can pull the image, or read the build cache, reads the
    /// secret. BuildKit secret mounts expose a secret to one `RUN` without writing it anywhere, and secrets
    /// the application needs belong to the runtime (`docker run -e`, Compose or Kubernetes secrets).
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       args:
    ///         NPM_TOKEN: ${NPM_TOKEN}
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     build:
    ///       context: .
    ///       secrets: [npm_token]
    /// secrets:
    ///   npm_token:
    ///     environment: NPM_TOKEN
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       env:
    ///         - name: POSTGRES_PASSWORD
    ///           value: changeme
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       env:
    ///         - name: POSTGRES_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: db
    ///               key: password
    /// ```
    ///
    /// ## References
    /// - [Docker build checks: SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Compose: secrets in builds](https://docs.docker.com/reference/compose-file/build/#secrets)
    /// - [Kubernetes: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - [Docker: provenance attestations and build arguments](https://docs.docker.com/build/metadata/attestations/slsa-provenance/#max)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC001",
    name: "secret-in-arg-or-env",
    family: Sec,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["DL3064", "DS-0031", "SecretsUsedInArgOrEnv", "CIS-DI-0010"],
    checks: [
        Check::Instruction(&[Keyword::Arg, Keyword::Env], check),
        Check::Compose(compose_build_arguments),
        Check::Container(guessable_environment),
    ],
}

/// Secret-named Compose build arguments whose value comes from the environment at build time.
fn compose_build_arguments(ctx: &ComposeCtx, r: &mut Reporter) {
    for container in &ctx.compose.model.containers {
        for var in &container.build_args {
            let name = &var.name.value;
            let from_environment = var.value.as_ref().is_none_or(|v| v.range.slice(ctx.text).contains('$'));
            // A default that is itself a credential is `SEC002`'s.
            let hardcoded = matches!(
                env_secrets::classify(var),
                Some(SecretValue::Hardcoded { .. } | SecretValue::Token { .. })
            );
            if !secrets::is_secret_name(name) || !from_environment || hardcoded {
                continue;
            }
            let id = name.to_ascii_lowercase();
            r.report(var.name.range, format!("Secret passed as build argument `{name}`")).help(format!(
                "Pass it as a build secret instead: list `{id}` under the service's `build.secrets`, declare it at \
                 the top level (`secrets: {{{id}: {{environment: {name}}}}}`) and read it with \
                 `RUN --mount=type=secret,id={id}`; build argument values stay in the image history."
            ));
        }
    }
}

/// Secret-named environment variables of a Compose service (or Kubernetes container) set to a placeholder.
fn guessable_environment(container: &Container, r: &mut Reporter) {
    // A Dockerfile's `ENV` is checked as an instruction, where it is written.
    if container.format == Format::Dockerfile {
        return;
    }
    for var in &container.env {
        let Some(SecretValue::Guessable { range }) = env_secrets::classify(var) else { continue };
        let name = &var.name.value;
        r.report(range, format!("Secret environment variable `{name}` has a guessable value")).help(
            help::for_format(
                container.format,
                "Remove the default so the secret must be provided when the container starts.",
                &format!(
                    "Take it from the environment, `{name}: ${{{name}:?set {name}}}`, with the value in an `.env` \
                     file kept out of version control, or use Compose `secrets:`."
                ),
                "Store it in a Secret and reference it with `valueFrom.secretKeyRef`.",
            ),
        );
    }
}

fn check(ctx: &InstructionCtx, r: &mut Reporter) {
    match &ctx.instruction.body {
        Body::Arg(args) => {
            for arg in args {
                let name = &arg.name;
                if !secrets::is_secret_name(&name.text) || global_arg_declared_again(ctx, &name.text) {
                    continue;
                }
                let stores_nothing = arg.default.as_ref().is_some_and(|d| {
                    secrets::is_hardcoded(&name.text, &d.text)
                        || (!d.text.is_empty() && !d.text.contains('$') && secrets::is_inert_value(&d.text))
                });
                if stores_nothing {
                    continue;
                }
                let id = name.text.to_ascii_lowercase();
                r.report(name.range, format!("Secret passed as build argument `{}`", name.text)).help(format!(
                    "Use a build secret instead: `RUN --mount=type=secret,id={id},env={} …` with `docker build \
                     --secret id={id},env={}`; build argument values stay in the image history and provenance.",
                    name.text, name.text
                ));
            }
        }
        Body::Env(pairs) => {
            for pair in pairs {
                if !secrets::is_secret_name(&pair.key.text) || !env_stores_secret(ctx, &pair.key, &pair.value)
                {
                    continue;
                }
                // `ENV PASSWORD=changeme` declares a runtime setting: the real secret comes later, but the image
                // ships a default anyone can guess.
                if !pair.value.text.contains('$') && secrets::is_placeholder(&pair.value.text) {
                    let message = format!(
                        "Secret environment variable `{}` has a guessable default in the image",
                        pair.key.text
                    );
                    r.report(pair.key.range, message).help(
                        "Remove the default so the secret must be provided at run time (`docker run -e`, Compose or \
                         Kubernetes secrets), and make the entrypoint fail when it is unset.",
                    );
                    continue;
                }
                let message =
                    format!("Secret stored in the image's environment variable `{}`", pair.key.text);
                r.report(pair.key.range, message).help(format!(
                    "Provide `{}` when the container starts (`docker run -e`, Compose or Kubernetes secrets) and use \
                     `RUN --mount=type=secret` for build steps; `ENV` values are readable by anyone who can pull the \
                     image.",
                    pair.key.text
                ));
            }
        }
        _ => {}
    }
}

/// Whether `ENV key=value` puts something into the image that may be the secret: not an empty value, a
/// path or a switch, and not a literal credential (`SEC002` reports those).
fn env_stores_secret(ctx: &InstructionCtx, key: &DWord, value: &DWord) -> bool {
    if secrets::is_hardcoded(&key.text, &value.text) {
        return false;
    }
    if !value.text.contains('$') {
        return !secrets::is_inert_value(&value.text);
    }
    // `ENV TOKEN=$TOKEN` copies a build argument (whatever its default, the build may pass a secret) or a
    // base image's variable into the image.
    let expanded = ctx.expand(&value.text);
    let from_build_argument = expanded.via.iter().any(|&via| {
        ctx.doc
            .file
            .instructions
            .iter()
            .any(|i| i.range.contains_range(via) && i.effective().is(Keyword::Arg))
    });
    from_build_argument || !(expanded.complete && secrets::is_inert_value(&expanded.text))
}

/// A global `ARG` (before the first `FROM`) is only visible to `FROM` lines; a stage that needs it declares
/// it again, and that declaration is the one reported.
fn global_arg_declared_again(ctx: &InstructionCtx, name: &str) -> bool {
    if ctx.stage.is_some() || ctx.onbuild.is_some() {
        return false;
    }
    let doc = ctx.doc;
    doc.file.instructions.iter().enumerate().skip(ctx.index + 1).any(|(i, inst)| {
        doc.analysis.stage_of(i).is_some()
            && matches!(&inst.effective().body, Body::Arg(args) if args.iter().any(|a| a.name.text == name))
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fires, messages, spans};

    #[test]
    fn secret_build_arguments_point_at_the_name() {
        assert_eq!(spans(&RULE, "FROM a:1\nARG NPM_TOKEN\nRUN npm ci\n"), ["NPM_TOKEN"]);
        assert_eq!(spans(&RULE, "FROM a:1\nARG GITHUB_TOKEN=\"\"\n"), ["GITHUB_TOKEN"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG VERSION=1 AWS_SECRET_ACCESS_KEY\n"),
            ["AWS_SECRET_ACCESS_KEY"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD ARG DOCKER_PASSWORD\n"), ["DOCKER_PASSWORD"]);
        assert_eq!(spans(&RULE, "FROM a:1\narg vite_openai_api_key\n"), ["vite_openai_api_key"]);
        assert_eq!(
            messages(&RULE, "FROM a:1\nARG NPM_TOKEN\n"),
            ["Secret passed as build argument `NPM_TOKEN`"]
        );
    }

    #[test]
    fn secret_environment_variables() {
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\n"),
            ["NPM_TOKEN", "NPM_TOKEN"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nENV PASSWORD password\n"), ["PASSWORD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nENV A=1 \\\n    DB_PASSWORD=changeme\n"), ["DB_PASSWORD"]);
        assert_eq!(spans(&RULE, "FROM a:1\nENV TOKEN=00000000-0000-0000-0000-000000000000\n"), ["TOKEN"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG P=changeme\nENV MYSQL_ROOT_PASSWORD=${P}\n"),
            ["MYSQL_ROOT_PASSWORD"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG T=\nENV API_TOKEN=$T\n"),
            ["API_TOKEN"],
            "a build argument may carry it"
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nARG T\nENV API_TOKEN=$T\n"),
            ["Secret stored in the image's environment variable `API_TOKEN`"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nENV API_TOKEN=<token>\n"),
            ["Secret environment variable `API_TOKEN` has a guessable default in the image"]
        );
    }

    #[test]
    fn the_peers_fixtures_fire() {
        assert_fires(&RULE, "FROM scratch\nARG AWS_SECRET_ACCESS_KEY\n");
        assert_fires(&RULE, "FROM alpine\nENV passwd=banana secret=passwd\n");
        assert_fires(&RULE, "FROM a:1\nARG AWS_SECRET_ACCESS_KEY=FAKE_TO_GENERATE_WARNING_OUTPUT\n");
    }

    #[test]
    fn buildkit_and_hadolint_suppressions_apply() {
        assert_clean(&RULE, "# check=skip=SecretsUsedInArgOrEnv\nFROM a:1\nARG NPM_TOKEN\n");
        assert_clean(&RULE, "FROM a:1\n# hadolint ignore=DL3064\nARG NPM_TOKEN\n");
    }

    #[test]
    fn hardcoded_values_are_left_to_sec002() {
        assert_clean(&RULE, "FROM a:1\nARG password=pass!1213Fs\n");
        assert_clean(&RULE, "FROM a:1\nENV GITHUB_TOKEN=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\n");
        assert_clean(&RULE, "FROM a:1\nENV POSTGRES_PASSWORD=postgres\n");
    }

    #[test]
    fn values_that_store_nothing() {
        assert_clean(&RULE, "FROM a:1\nENV HUBOT_SLACK_TOKEN=\n");
        assert_clean(&RULE, "FROM a:1\nENV PASSWORD=\"\"\n");
        assert_clean(&RULE, "FROM a:1\nENV JWT_SECRET=/run/secrets/jwt\n");
        assert_clean(&RULE, "FROM a:1\nENV DIR=/run/secrets\nENV DB_PASSWORD=$DIR/db\n");
        assert_clean(&RULE, "FROM a:1\nARG BASIC_AUTH=false\n");
    }

    #[test]
    fn names_that_do_not_hold_secrets() {
        assert_clean(
            &RULE,
            "FROM a:1\nENV GPG_KEYS 0123ABCD\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pg\nARG USERNAME=app\n\
             ENV APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE=1 MYSQL_ALLOW_EMPTY_PASSWORD=yes\nARG AWS_ACCESS_KEY_ID\n\
             ENV TOKENIZERS_PARALLELISM=false NODE_TLS_REJECT_UNAUTHORIZED=0\nARG SECRET_KEY_BASE_DUMMY=1\n",
        );
    }

    #[test]
    fn global_arguments_are_reported_where_a_stage_declares_them() {
        let text = "ARG NPM_TOKEN\nFROM a:1\nARG NPM_TOKEN\nRUN npm ci\n";
        let found = crate::testing::lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.start, 27);
        assert_eq!(spans(&RULE, "ARG REGISTRY_TOKEN\nFROM a:1\n"), ["REGISTRY_TOKEN"]);
    }

    mod compose {
        use super::super::RULE;
        use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

        #[test]
        fn build_arguments_from_the_environment() {
            let yaml = "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n        \
                        GITHUB_TOKEN:\n        API_KEY: ${API_KEY:-}\n        VERSION: ${VERSION}\n";
            assert_eq!(compose_spans(&RULE, yaml), ["NPM_TOKEN", "GITHUB_TOKEN", "API_KEY"]);
            let found = lint_compose(&RULE, yaml);
            assert_eq!(found[0].message, "Secret passed as build argument `NPM_TOKEN`");
            assert_eq!(
                found[0].help.as_deref(),
                Some(
                    "Pass it as a build secret instead: list `npm_token` under the service's `build.secrets`, declare \
                     it at the top level (`secrets: {npm_token: {environment: NPM_TOKEN}}`) and read it with \
                     `RUN --mount=type=secret,id=npm_token`; build argument values stay in the image history."
                )
            );
            let list = "services:\n  web:\n    build:\n      context: .\n      args:\n        - NPM_TOKEN\n        - \"DB_PASSWORD=${DB_PASSWORD}\"\n";
            assert_eq!(compose_spans(&RULE, list), ["NPM_TOKEN", "DB_PASSWORD"]);
        }

        #[test]
        fn placeholder_environment_values() {
            let yaml = "services:\n  db:\n    image: mysql:8.4\n    environment:\n      MYSQL_ROOT_PASSWORD: example\n      \
                        API_TOKEN: \"<token>\"\n";
            assert_eq!(compose_spans(&RULE, yaml), ["example", "<token>"]);
            let found = lint_compose(&RULE, yaml);
            assert_eq!(
                found[0].message,
                "Secret environment variable `MYSQL_ROOT_PASSWORD` has a guessable value"
            );
            assert_eq!(
                found[0].help.as_deref(),
                Some(
                    "Take it from the environment, `MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD}`, \
                     with the value in an `.env` file kept out of version control, or use Compose `secrets:`."
                )
            );
            let list = "services:\n  db:\n    image: postgres:17\n    environment:\n      - POSTGRES_PASSWORD=changeme\n";
            assert_eq!(compose_spans(&RULE, list), ["changeme"]);
            let default = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${PG:-changeme}\n";
            assert_eq!(compose_spans(&RULE, default), ["${PG:-changeme}"]);
        }

        #[test]
        fn references_literals_templates_and_other_names_pass() {
            assert_compose_clean(
                &RULE,
                "services:\n  web:\n    image: a:1\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      API_TOKEN:\n      \
                 SECRET_KEY: Tr0ub4dor-3\n      REDIS_PASSWORD: \"\"\n      JWT_SECRET: /run/secrets/jwt\n      \
                 ADMIN_PASSWORD: \"{{ admin_password }}\"\n      AUTH_ENABLED: \"false\"\n      DB_USER: example\n    \
                 build:\n      context: .\n      args:\n        NPM_TOKEN: npm-s3cr3t-value\n        GITHUB_TOKEN: \"\"\n        \
                 VERSION: ${VERSION}\n        API_KEY: changeme\n",
            );
        }
    }

    mod kubernetes {
        use super::super::RULE;
        use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

        #[test]
        fn placeholder_env_values_point_at_the_value() {
            let yaml = pod(
                "",
                "      env:\n        - name: POSTGRES_PASSWORD\n          value: changeme\n        - {name: API_TOKEN, value: \"<token>\"}\n",
            );
            assert_eq!(k8s_spans(&RULE, &yaml), ["changeme", "<token>"]);
            let found = lint_k8s(&RULE, &yaml);
            assert_eq!(
                found[0].message,
                "Secret environment variable `POSTGRES_PASSWORD` has a guessable value"
            );
            assert_eq!(
                found[0].help.as_deref(),
                Some("Store it in a Secret and reference it with `valueFrom.secretKeyRef`.")
            );
        }

        #[test]
        fn references_empty_values_and_real_secrets_pass() {
            // A literal credential is `SEC002`'s.
            assert_k8s_clean(
                &RULE,
                &pod(
                    "",
                    "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n        - name: API_TOKEN\n          value: $(TOKEN)\n        - name: REDIS_PASSWORD\n          value: \"\"\n        - name: JWT_SECRET\n          value: Tr0ub4dor-3\n        - name: MODE\n          value: changeme\n",
                ),
            );
        }
    }
}
