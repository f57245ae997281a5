use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};
use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::env_settings::{self, BuildVariable};
use crate::support::file_writes::{self, FileWrite, key_value};
use crate::support::urls;

declare_rule! {
    /// ## What it does
    /// Flags `RUN` commands that store a credential in the image:
    /// - `aws configure set aws_secret_access_key|aws_session_token …`;
    /// - `gcloud auth activate-service-account --key-file …` (and `gcloud auth login --cred-file`);
    /// - `az login -p|--password|--federated-token …`, `doctl auth init -t|--access-token …`;
    /// - `docker`/`podman`/`buildah`/`skopeo`/`nerdctl`/`oras`/`crane`/`helm registry` `login` with
    ///   `-p`/`--password` or `--password-stdin`, and `gh auth login --with-token`;
    /// - `npm`/`pnpm`/`yarn config set` of an auth token (`//registry/:_authToken`, `_auth`, `_password`,
    ///   `npmAuthToken`), `composer config http-basic.*|github-oauth.*|gitlab-token.*|bearer.*` and
    ///   `poetry config http-basic.*|pypi-token.*`;
    /// - `git config` of a URL that carries credentials (`url."https://${TOKEN}@github.com/".insteadOf`);
    /// - credential lines written into `.npmrc`, `.yarnrc.yml`, `.netrc`, `.git-credentials`, `.pypirc` or
    ///   `.aws/credentials` with `echo`, `printf`, `tee` or a heredoc.
    ///
    /// A command is accepted when its credential is obtained during the `RUN` (read from a secret mount,
    /// `RUN --mount=type=secret`, or from a variable the Dockerfile does not declare as `ARG` or `ENV`)
    /// **and** the same `RUN` removes what the tool wrote (`rm ~/.npmrc`, `docker logout`,
    /// `gcloud auth revoke`, `git config --unset …`): a secret mount keeps the value out of the Dockerfile
    /// and the history, but not out of the file the tool saves in the layer. A key file read from a path
    /// that is not mounted for the step is a file of the image and is flagged.
    ///
    /// Not flagged: a `${VAR}` reference written in single quotes, as in
    /// `echo '//…/:_authToken=${NPM_TOKEN}' > .npmrc`, which the tool expands when it runs, so no secret is
    /// stored; and `git config credential.helper store`, which saves nothing until a credential is used.
    ///
    /// ## Why is this bad?
    /// These tools save the credential in a file under the home directory (`~/.aws/credentials`,
    /// `~/.docker/config.json`, `~/.npmrc`, …). That file becomes part of the layer, and anyone who can pull
    /// the image can extract it, even if a later instruction deletes it. A literal value is also in the
    /// Dockerfile, and a value passed as a build argument is recorded in the image history.
    ///
    /// Mount the credential only for the step that needs it, where the tool reads it
    /// (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`), or remove what the tool wrote before
    /// the `RUN` ends.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// ARG NPM_TOKEN
    /// RUN npm config set //registry.npmjs.org/:_authToken "${NPM_TOKEN}" && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// # syntax=docker/dockerfile:1
    /// FROM node:22-alpine
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [npm: .npmrc auth-related configuration](https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC005",
    name: "credential-setup-in-run",
    family: Sec,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DS-0031"],
    checks: [Check::RunCommand(check)],
}

/// Where a tool stores the credential, and how the same `RUN` can remove it again.
struct Store {
    /// As shown in messages.
    shown: &'static str,
    /// An `rm` argument containing one of these removes the store.
    fragments: &'static [&'static str],
    /// Later commands of the same program that remove the credential (`logout`, `config --unset`).
    cleanup: &'static [&'static str],
    /// How to give the tool the credential without storing it.
    help: &'static str,
}

const AWS: Store = Store {
    shown: "~/.aws/credentials",
    fragments: &[".aws"],
    cleanup: &[],
    help: "Mount the credentials for this step only: `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials …`.",
};
const GCLOUD: Store = Store {
    shown: "~/.config/gcloud",
    fragments: &[".config/gcloud", ".config"],
    cleanup: &["revoke"],
    help: "Mount the key with `RUN --mount=type=secret,id=gcp,target=/run/secrets/gcp.json` and run `gcloud auth revoke` in the same `RUN`, or use `GOOGLE_APPLICATION_CREDENTIALS` pointing at the mounted key.",
};
const AZURE: Store = Store {
    shown: "~/.azure",
    fragments: &[".azure"],
    cleanup: &["logout"],
    help: "Read the secret from `RUN --mount=type=secret,…` and run `az logout` (or remove `~/.azure`) in the same `RUN`.",
};
const DOCTL: Store = Store {
    shown: "~/.config/doctl",
    fragments: &["doctl"],
    cleanup: &["remove"],
    help: "Pass the token with `RUN --mount=type=secret,id=do,env=DIGITALOCEAN_ACCESS_TOKEN` instead of storing it.",
};
const DOCKER: Store = Store {
    shown: "~/.docker/config.json",
    fragments: &[".docker"],
    cleanup: &["logout"],
    help: "Mount a registry configuration for this step only (`RUN --mount=type=secret,id=docker,target=/root/.docker/config.json`).",
};
const CONTAINERS: Store = Store {
    shown: "the containers auth.json",
    fragments: &["auth.json", "containers"],
    cleanup: &["logout"],
    help: "Mount an auth file for this step only (`RUN --mount=type=secret,id=auth,target=/run/containers/0/auth.json`).",
};
const HELM: Store = Store {
    shown: "~/.config/helm/registry/config.json",
    fragments: &["helm"],
    cleanup: &["logout"],
    help: "Mount a registry configuration for this step only (`RUN --mount=type=secret,…`) and log out in the same `RUN`.",
};
const GH: Store = Store {
    shown: "~/.config/gh",
    fragments: &[".config/gh", ".config"],
    cleanup: &["logout"],
    help: "Pass the token with `RUN --mount=type=secret,id=gh,env=GH_TOKEN` instead of `gh auth login`.",
};
const NPM: Store = Store {
    shown: "~/.npmrc",
    fragments: &["npmrc"],
    cleanup: &["delete", "rm", "logout"],
    help: "Mount the configuration for this step only: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`.",
};
const YARN: Store = Store {
    shown: "~/.yarnrc.yml",
    fragments: &["yarnrc"],
    cleanup: &["unset"],
    help: "Pass the token with `RUN --mount=type=secret,id=npm,env=YARN_NPM_AUTH_TOKEN` instead of storing it.",
};
const GIT: Store = Store {
    shown: "the git configuration",
    fragments: &["gitconfig", ".git/config", ".git"],
    cleanup: &["--unset", "--unset-all", "--remove-section", "unset", "remove-section"],
    help: "Pass the token with `RUN --mount=type=secret,…,env=TOKEN` and an `http.extraheader` given with `git -c`, which is not saved.",
};
const COMPOSER: Store = Store {
    shown: "Composer's auth.json",
    fragments: &["auth.json", "composer"],
    cleanup: &["--unset"],
    help: "Mount the credentials for this step only: `RUN --mount=type=secret,id=composer_auth,target=/root/.composer/auth.json …`.",
};
const POETRY: Store = Store {
    shown: "Poetry's auth.toml",
    fragments: &["pypoetry"],
    cleanup: &["--unset"],
    help: "Pass the credentials with `RUN --mount=type=secret,…,env=POETRY_HTTP_BASIC_<REPO>_PASSWORD` instead of `poetry config`.",
};

/// How a setup command gets the credential.
enum Value<'a> {
    /// Text on the command line (or echoed into it).
    Text(&'a Word),
    /// A file it reads (`--key-file`, `cat file | docker login --password-stdin`): its path and whether the
    /// path is computed (`$DIR/key.json`).
    File(&'a str, bool),
}

/// A command that stores a credential.
struct Setup<'a> {
    what: String,
    values: Vec<Value<'a>>,
    store: &'static Store,
}

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    if let Some(setup) = command_setup(ctx) {
        let source = classify(ctx, &setup.values);
        if let Some(message) = verdict(ctx, Subject::Command(&setup.what), setup.store, source) {
            r.report(ctx.command.range, message).help(setup.store.help);
        }
    }
    for write in file_writes::of_command(ctx.script, ctx.id, ctx.doc.text) {
        check_file(ctx, &write, r);
    }
}

/// Where a credential's value comes from.
enum Source {
    Literal,
    Build(String, BuildVariable),
    /// Computed during the `RUN`: read from a secret mount, or a variable the Dockerfile does not declare.
    Runtime,
    /// Read from a file of the image (a key file that is not mounted for this step).
    ImageFile(String),
    /// A value kept as a `${VAR}` reference that the tool expands when it runs: nothing secret is stored.
    Reference,
}

fn classify(ctx: &CommandCtx, values: &[Value]) -> Source {
    let mut literal = false;
    for value in values {
        match value {
            Value::Text(word) => {
                if !word.dynamic {
                    if word.text.contains('$') {
                        return Source::Reference;
                    }
                    literal = true;
                    continue;
                }
                if let Some(found) = build_variable_in(ctx, &word.text) {
                    return found;
                }
            }
            Value::File(path, computed) if !computed && !is_mounted(ctx, path) => {
                return Source::ImageFile(path.to_string());
            }
            Value::File(..) => {}
        }
    }
    if literal && values.iter().all(|v| matches!(v, Value::Text(w) if !w.dynamic)) {
        Source::Literal
    } else {
        Source::Runtime
    }
}

fn build_variable_in(ctx: &CommandCtx, text: &str) -> Option<Source> {
    env_settings::referenced_variables(text).into_iter().find_map(|(name, _)| {
        if is_run_local(ctx, name) {
            return None;
        }
        env_settings::build_variable(ctx.doc, ctx.index, name)
            .map(|kind| Source::Build(name.to_string(), kind))
    })
}

/// Whether the `RUN` gives `name` its value itself: an assignment, `export`, `read` or an `env=` secret.
fn is_run_local(ctx: &CommandCtx, name: &str) -> bool {
    let secret_env = mounts(ctx)
        .any(|(kind, options)| kind == "secret" && options.iter().any(|(k, v)| k == "env" && v == name));
    let assigned = |c: &Command| {
        c.assignments.iter().any(|a| a.name == name)
            || env_settings::of_command(c).iter().any(|s| s.name == name)
            || (c.name() == Some("read") && c.args().iter().any(|w| w.text == name))
    };
    secret_env || ctx.script.commands[..=ctx.id].iter().any(assigned)
}

/// The `--mount` flags of the `RUN`: their type and `key=value` options.
fn mounts<'a>(ctx: &CommandCtx<'a>) -> impl Iterator<Item = (String, Vec<(String, String)>)> + 'a {
    ctx.instruction.flags.iter().filter(|f| f.name.value == "mount").map(|f| {
        let options: Vec<(String, String)> = f
            .options()
            .into_iter()
            .map(|o| (o.key.value, o.value.map(|v| v.value).unwrap_or_default()))
            .collect();
        let kind = options.iter().find(|(k, _)| k == "type").map_or("bind".to_string(), |(_, v)| v.clone());
        (kind, options)
    })
}

/// Whether a path lies in a mount of this `RUN` (a secret's default target is `/run/secrets/<id>`).
fn is_mounted(ctx: &CommandCtx, path: &str) -> bool {
    path.starts_with("/run/secrets/")
        || mounts(ctx).any(|(_, options)| {
            options.iter().any(|(k, v)| {
                matches!(k.as_str(), "target" | "dst" | "destination")
                    && !v.is_empty()
                    && path.starts_with(v.as_str())
            })
        })
}

/// What stores the credential: a command (`` `aws configure set` ``) or a file written by the build.
enum Subject<'a> {
    Command(&'a str),
    File(&'a str),
}

/// The message for a setup, or `None` when it is acceptable.
fn verdict(ctx: &CommandCtx, subject: Subject, store: &Store, source: Source) -> Option<String> {
    let message = match (subject, source) {
        (_, Source::Reference) => return None,
        (_, Source::Runtime) if cleaned_up(ctx, store) => return None,
        (Subject::Command(what), Source::ImageFile(path)) => {
            format!("{what} reads the credential from `{path}`, a file stored in the image")
        }
        (Subject::File(path), Source::ImageFile(_)) => {
            format!("A credential is written into `{path}` in the image")
        }
        (Subject::Command(what), Source::Literal) => {
            format!("{what} writes a literal credential into {} in the image", shown(store))
        }
        (Subject::Command(what), Source::Build(name, BuildVariable::Arg)) => {
            format!(
                "{what} stores build argument `{name}`, whose value is also recorded in the image history"
            )
        }
        (Subject::Command(what), Source::Build(name, BuildVariable::Env)) => {
            format!("{what} stores `ENV` variable `{name}`, whose value is also in the image configuration")
        }
        (Subject::Command(what), Source::Runtime) => {
            format!("{what} stores a credential in {}, which stays in the image layer", shown(store))
        }
        (Subject::File(path), Source::Literal) => {
            format!("A literal credential is written into `{path}` in the image")
        }
        (Subject::File(path), Source::Build(name, BuildVariable::Arg)) => format!(
            "Build argument `{name}` is written into `{path}`, and its value is also recorded in the image history"
        ),
        (Subject::File(path), Source::Build(name, BuildVariable::Env)) => {
            format!(
                "`ENV` variable `{name}` is written into `{path}`, and its value is also in the image configuration"
            )
        }
        (Subject::File(path), Source::Runtime) => {
            format!("A credential is written into `{path}`, which stays in the image layer")
        }
    };
    Some(message)
}

fn shown(store: &Store) -> String {
    if store.shown.starts_with("~/") { format!("`{}`", store.shown) } else { store.shown.to_string() }
}

/// Whether a later command of the same `RUN` removes the stored credential.
fn cleaned_up(ctx: &CommandCtx, store: &Store) -> bool {
    let program = ctx.command.program_name();
    ctx.script.commands.iter().skip(ctx.id + 1).any(|c| {
        let args = c.program_args();
        let removes = c.program_name() == Some("rm")
            && args.iter().any(|a| store.fragments.iter().any(|f| a.text.contains(f)));
        let logs_out =
            c.program_name() == program && args.iter().any(|a| store.cleanup.contains(&a.text.as_str()));
        removes || logs_out
    })
}

/// The value of an option: `-p X`, `--password X`, `--password=X`; the word holding it and the value.
fn option_value<'a>(args: &'a [Word], names: &[&str]) -> Option<(&'a Word, &'a str)> {
    args.iter().enumerate().find_map(|(i, w)| {
        let text = w.text.as_str();
        if names.contains(&text) {
            args.get(i + 1).map(|next| (next, next.text.as_str()))
        } else {
            names
                .iter()
                .filter(|n| n.starts_with("--"))
                .find_map(|n| text.strip_prefix(*n).and_then(|rest| rest.strip_prefix('=')))
                .map(|value| (w, value))
        }
    })
}

/// The words after a subcommand path (`auth init`), skipping options before it.
fn after<'a>(args: &'a [Word], path: &[&str]) -> Option<&'a [Word]> {
    let start = args.iter().position(|w| !w.text.starts_with('-'))?;
    let rest = &args[start..];
    (rest.len() >= path.len() && rest.iter().zip(path).all(|(w, p)| w.text == *p))
        .then(|| &rest[path.len()..])
}

fn command_setup<'a>(ctx: &CommandCtx<'a>) -> Option<Setup<'a>> {
    let command = ctx.command;
    let name = command.program_name()?;
    let args = command.program_args();
    let setup = |what: &str, values: Vec<Value<'a>>, store: &'static Store| {
        Some(Setup { what: format!("`{what}`"), values, store })
    };
    match name {
        "aws" => {
            let rest = after(args, &["configure", "set"])?;
            let key = rest.first()?.text.to_ascii_lowercase();
            let key = key.rsplit('.').next().unwrap_or(&key);
            if !matches!(key, "aws_secret_access_key" | "aws_session_token") {
                return None;
            }
            setup(&format!("aws configure set {key}"), vec![Value::Text(rest.get(1)?)], &AWS)
        }
        "gcloud" => {
            let (word, path) = if after(args, &["auth", "activate-service-account"]).is_some() {
                option_value(args, &["--key-file"])?
            } else if after(args, &["auth", "login"]).is_some() {
                option_value(args, &["--cred-file"])?
            } else {
                return None;
            };
            setup("gcloud auth", vec![Value::File(path, word.dynamic)], &GCLOUD)
        }
        "az" => {
            after(args, &["login"])?;
            let (value, _) = option_value(args, &["-p", "--password", "--federated-token"])?;
            setup("az login", vec![Value::Text(value)], &AZURE)
        }
        "doctl" => {
            after(args, &["auth", "init"])?;
            let (value, _) = option_value(args, &["-t", "--access-token"])?;
            setup("doctl auth init", vec![Value::Text(value)], &DOCTL)
        }
        "docker" | "podman" | "buildah" | "skopeo" | "nerdctl" | "oras" | "crane" | "helm" | "gh" => {
            let (path, store): (&[&str], &'static Store) = match name {
                "helm" => (&["registry", "login"], &HELM),
                "crane" => (&["auth", "login"], &DOCKER),
                "gh" => (&["auth", "login"], &GH),
                "podman" | "buildah" | "skopeo" => (&["login"], &CONTAINERS),
                _ => (&["login"], &DOCKER),
            };
            after(args, path)?;
            let what = format!("{name} {}", path.join(" "));
            let values = if let Some((value, _)) = option_value(args, &["-p", "--password"]) {
                vec![Value::Text(value)]
            } else if args.iter().any(|w| w.text == "--password-stdin" || w.text == "--with-token") {
                stdin_values(ctx)
            } else {
                return None;
            };
            setup(&what, values, store)
        }
        "npm" | "pnpm" | "yarn" => {
            let rest = after(args, &["config", "set"]).or_else(|| after(args, &["set"]))?;
            let (key_word, value) = key_and_value(rest)?;
            let key = key_word.text.split('=').next().unwrap_or("").to_ascii_lowercase();
            let auth = ["_authtoken", "_auth", "_password", "npmauthtoken", "npmauthident"];
            if !auth.iter().any(|a| key.ends_with(a)) {
                return None;
            }
            let store = if key.starts_with("npmauth") { &YARN } else { &NPM };
            setup(&format!("{name} config set"), vec![Value::Text(value)], store)
        }
        "composer" | "poetry" => {
            let rest = after(args, &["config"])?;
            let key = rest.iter().find(|w| !w.text.starts_with('-'))?;
            let prefixes: &[&str] = if name == "composer" {
                &["http-basic.", "github-oauth.", "gitlab-token.", "gitlab-oauth.", "bearer."]
            } else {
                &["http-basic.", "pypi-token."]
            };
            if !prefixes.iter().any(|p| key.text.starts_with(p)) {
                return None;
            }
            let value = rest.iter().rev().find(|w| !w.text.starts_with('-'))?;
            let store = if name == "composer" { &COMPOSER } else { &POETRY };
            setup(&format!("{name} config {}", key.text), vec![Value::Text(value)], store)
        }
        "git" => {
            let rest = after(args, &["config"])?;
            // Removing the setting is the clean-up, not a setup.
            if rest.iter().any(|w| GIT.cleanup.contains(&w.text.as_str()) || w.text.starts_with("--get")) {
                return None;
            }
            let word = rest.iter().find(|w| {
                urls::find_all(&w.text).iter().any(|u| {
                    let password = u.password.as_ref().is_some_and(|p| !p.is_empty());
                    let variable = u.userinfo.as_ref().is_some_and(|i| w.text[i.clone()].contains('$'));
                    password || variable
                })
            })?;
            setup("git config", vec![Value::Text(word)], &GIT)
        }
        _ => None,
    }
}

/// `npm config set key value` or `npm config set key=value`.
fn key_and_value(rest: &[Word]) -> Option<(&Word, &Word)> {
    let mut words = rest.iter().filter(|w| !w.text.starts_with('-'));
    let key = words.next()?;
    if key.text.contains('=') && !key.text.ends_with('=') {
        return Some((key, key));
    }
    Some((key, words.next()?))
}

/// What a `--password-stdin` login reads: the command piped into it (`echo "$PASS" |`, `cat file |`) or a
/// redirect (`< file`, `<<< "$PASS"`).
fn stdin_values<'a>(ctx: &CommandCtx<'a>) -> Vec<Value<'a>> {
    let command = ctx.command;
    for redirect in &command.redirects {
        match (redirect.operator.as_str(), &redirect.target) {
            ("<", Some(file)) => return vec![Value::File(&file.text, file.dynamic)],
            ("<<<", Some(text)) => return vec![Value::Text(text)],
            _ => {}
        }
    }
    let Some((pipe, position)) = command.pipeline else { return Vec::new() };
    let Some(&writer) = position.checked_sub(1).and_then(|p| ctx.script.pipelines[pipe].commands.get(p))
    else {
        return Vec::new();
    };
    let writer = &ctx.script.commands[writer];
    match writer.program_name() {
        Some("echo" | "printf") => {
            writer.program_args().iter().filter(|w| !w.text.starts_with('-')).map(Value::Text).collect()
        }
        Some("cat") => writer.program_args().iter().map(|w| Value::File(&w.text, w.dynamic)).collect(),
        _ => Vec::new(),
    }
}

/// A credential file written by `echo`/`printf`/`tee`/a heredoc.
struct CredentialFile {
    /// The file's name ends with this.
    file: &'static str,
    /// The credential's value in a line, if the line holds one.
    value: fn(&str) -> Option<&str>,
    store: &'static Store,
}

const NETRC: Store = Store {
    shown: "`~/.netrc`",
    fragments: &["netrc"],
    cleanup: &[],
    help: "Mount the file for this step only: `RUN --mount=type=secret,id=netrc,target=/root/.netrc …`.",
};
const GIT_CREDENTIALS: Store = Store {
    shown: "`~/.git-credentials`",
    fragments: &["git-credentials"],
    cleanup: &[],
    help: "Mount the file for this step only: `RUN --mount=type=secret,id=git,target=/root/.git-credentials …`.",
};
const PYPIRC: Store = Store {
    shown: "`~/.pypirc`",
    fragments: &["pypirc"],
    cleanup: &[],
    help: "Mount the file for this step only: `RUN --mount=type=secret,id=pypirc,target=/root/.pypirc …`.",
};

const CREDENTIAL_FILES: &[CredentialFile] = &[
    CredentialFile {
        file: "npmrc",
        value: |line| {
            key_value(line)
                .filter(|(k, _)| ["_authToken", "_auth", "_password"].iter().any(|a| k.ends_with(a)))
                .map(|(_, v)| v)
        },
        store: &NPM,
    },
    CredentialFile {
        file: ".yarnrc.yml",
        value: |line| {
            key_value(line).filter(|(k, _)| matches!(*k, "npmAuthToken" | "npmAuthIdent")).map(|(_, v)| v)
        },
        store: &YARN,
    },
    CredentialFile {
        file: "netrc",
        value: |line| {
            let mut words = line.split_whitespace();
            words.find(|w| *w == "password")?;
            words.next()
        },
        store: &NETRC,
    },
    CredentialFile {
        file: ".git-credentials",
        value: |line| {
            let url = urls::find_all(line).into_iter().find(|u| u.password.is_some())?;
            url.password.map(|p| &line[p])
        },
        store: &GIT_CREDENTIALS,
    },
    CredentialFile {
        file: ".pypirc",
        value: |line| key_value(line).filter(|(k, _)| *k == "password").map(|(_, v)| v),
        store: &PYPIRC,
    },
    CredentialFile {
        file: ".aws/credentials",
        value: |line| {
            key_value(line)
                .filter(|(k, _)| matches!(*k, "aws_secret_access_key" | "aws_session_token"))
                .map(|(_, v)| v)
        },
        store: &AWS,
    },
];

fn check_file(ctx: &CommandCtx, write: &FileWrite, r: &mut Reporter) {
    let Some(kind) = CREDENTIAL_FILES.iter().find(|k| write.path.ends_with(k.file)) else { return };
    for (range, line) in write.lines() {
        let Some(value) = (kind.value)(line).filter(|v| !v.is_empty()) else { continue };
        // `value` is a slice of `line`: its offset there locates it in the written content.
        let offset = range.start + (value.as_ptr() as usize - line.as_ptr() as usize);
        let source = if !value.contains('$') {
            Source::Literal
        } else if !write.expands_at(offset) {
            Source::Reference
        } else {
            build_variable_in(ctx, value).unwrap_or(Source::Runtime)
        };
        let Some(message) = verdict(ctx, Subject::File(write.path), kind.store, source) else { continue };
        let at: TextRange = write.range_of(ctx.doc.text, range).unwrap_or(ctx.command.range);
        r.report(at, message).help(kind.store.help);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fires, messages, run, spans};

    #[test]
    fn literal_credentials() {
        assert_eq!(
            spans(&RULE, &run("aws configure set aws_secret_access_key wJalrXUtnFEMI && aws s3 ls")),
            ["aws configure set aws_secret_access_key wJalrXUtnFEMI"]
        );
        assert_eq!(
            messages(&RULE, &run("aws configure set aws_secret_access_key wJalrXUtnFEMI")),
            [
                "`aws configure set aws_secret_access_key` writes a literal credential into `~/.aws/credentials` in the image"
            ]
        );
        assert_eq!(
            spans(&RULE, &run("docker login -u me -p s3cret registry.example")),
            ["docker login -u me -p s3cret registry.example"]
        );
        assert_eq!(
            spans(&RULE, &run("az login --service-principal -u id -p s3cret --tenant t")),
            ["az login --service-principal -u id -p s3cret --tenant t"]
        );
        assert_eq!(spans(&RULE, &run("doctl auth init -t dop_v1_abc")), ["doctl auth init -t dop_v1_abc"]);
        assert_eq!(
            spans(&RULE, &run("echo s3cret | docker login -u me --password-stdin")),
            ["docker login -u me --password-stdin"]
        );
        assert_eq!(
            spans(&RULE, &run("composer config -g github-oauth.github.com ghp_abc")),
            ["composer config -g github-oauth.github.com ghp_abc"]
        );
        assert_eq!(
            spans(&RULE, &run("poetry config http-basic.corp me s3cret")),
            ["poetry config http-basic.corp me s3cret"]
        );
    }

    #[test]
    fn build_arguments() {
        let text = "FROM node:22\nARG NPM_TOKEN\nRUN npm config set //registry.npmjs.org/:_authToken \"${NPM_TOKEN}\" && npm ci && rm ~/.npmrc\n";
        assert_eq!(
            messages(&RULE, text),
            [
                "`npm config set` stores build argument `NPM_TOKEN`, whose value is also recorded in the image history"
            ]
        );
        let text = "FROM a\nARG TOKEN\nRUN git config --global url.\"https://${TOKEN}@github.com/\".insteadOf \"https://github.com/\"\n";
        assert_fires(&RULE, text);
        let text =
            "FROM a\nENV AWS_SECRET=x\nRUN aws configure set default.aws_secret_access_key $AWS_SECRET\n";
        assert_eq!(
            messages(&RULE, text),
            [
                "`aws configure set aws_secret_access_key` stores `ENV` variable `AWS_SECRET`, whose value is also in the image configuration"
            ]
        );
    }

    #[test]
    fn secrets_must_also_be_cleaned_up() {
        let stored = "FROM a\nRUN --mount=type=secret,id=aws aws configure set aws_secret_access_key \"$(cat /run/secrets/aws)\" && aws s3 cp s3://b/k .\n";
        assert_eq!(
            messages(&RULE, stored),
            [
                "`aws configure set aws_secret_access_key` stores a credential in `~/.aws/credentials`, which stays in the image layer"
            ]
        );
        assert_clean(
            &RULE,
            "FROM a\nRUN --mount=type=secret,id=aws aws configure set aws_secret_access_key \"$(cat /run/secrets/aws)\" && aws s3 cp s3://b/k . && rm -rf ~/.aws\n",
        );
        assert_clean(
            &RULE,
            "FROM a\nRUN --mount=type=secret,id=t,env=TOKEN git config --global url.\"https://x:${TOKEN}@github.com/\".insteadOf https://github.com/ && go mod download && git config --global --remove-section url.\"https://x:${TOKEN}@github.com/\"\n",
        );
        assert_clean(
            &RULE,
            "FROM a\nRUN --mount=type=secret,id=gcp gcloud auth activate-service-account --key-file=/run/secrets/gcp && gsutil cp gs://b/k . && gcloud auth revoke --all\n",
        );
        assert_eq!(
            messages(
                &RULE,
                "FROM a\nCOPY key.json /tmp/key.json\nRUN gcloud auth activate-service-account --key-file /tmp/key.json && gcloud auth revoke\n"
            ),
            ["`gcloud auth` reads the credential from `/tmp/key.json`, a file stored in the image"]
        );
        assert_clean(
            &RULE,
            "FROM a\nRUN --mount=type=secret,id=dh cat /run/secrets/dh | docker login -u me --password-stdin && docker pull x && docker logout\n",
        );
    }

    #[test]
    fn credential_files() {
        let text = "FROM node:22\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm -f .npmrc\n";
        assert_eq!(spans(&RULE, text), ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}"]);
        assert_eq!(
            messages(&RULE, &run("echo 'machine github.com login me password ghp_abc' > ~/.netrc")),
            ["A literal credential is written into `~/.netrc` in the image"]
        );
        assert_eq!(
            spans(&RULE, &run("echo https://me:ghp_abc@github.com > ~/.git-credentials")),
            ["https://me:ghp_abc@github.com"]
        );
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "cat > ~/.aws/credentials <<EOF\n[default]\naws_access_key_id = AKIA\naws_secret_access_key = abc\nEOF"
                )
            ),
            ["aws_secret_access_key = abc"]
        );
        // npm expands `${NPM_TOKEN}` itself when it reads the file: nothing secret is written.
        assert_clean(
            &RULE,
            "FROM a\nARG NPM_TOKEN\nRUN echo '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' > .npmrc\n",
        );
        assert_clean(&RULE, &run("echo 'registry=https://r.example/' > .npmrc"));
    }

    #[test]
    fn other_commands_pass() {
        assert_clean(
            &RULE,
            &run("aws configure set region eu-west-1 && aws configure set aws_access_key_id AKIA"),
        );
        assert_clean(
            &RULE,
            &run("git config --global credential.helper store && git config --global user.name me"),
        );
        assert_clean(
            &RULE,
            &run("npm config set registry https://r.example/ && docker login registry.example"),
        );
        assert_clean(&RULE, &run("echo aws configure set aws_secret_access_key x"));
    }

    #[test]
    fn nested_forms() {
        assert_eq!(
            spans(&RULE, "FROM a\nONBUILD RUN doctl auth init -t dop_v1_abc\n"),
            ["doctl auth init -t dop_v1_abc"]
        );
        assert_eq!(
            spans(&RULE, &run("sh -c 'doctl auth init -t dop_v1_abc'")),
            ["doctl auth init -t dop_v1_abc"]
        );
    }
}
