use std::collections::HashMap;

use plimsoll_dockerfile::{Base, Body, CopyAdd, DWord};
use plimsoll_linter::{Check, DockerfileCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;

use crate::support::{credential_files, secrets};

declare_rule! {
    /// ## What it does
    /// Flags `COPY` and `ADD` instructions that put a credential file into the image:
    ///
    /// - by the source's name: SSH private keys (`id_rsa`, `id_ed25519`, anything under `.ssh/` but
    ///   `known_hosts`, `config`, `authorized_keys` and `*.pub`) and whole `.ssh`, `.aws`, `.docker`,
    ///   `.kube`, `.gnupg` directories; `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `.pgpass`,
    ///   `.my.cnf`, `.htpasswd`, `.docker/config.json`, `.aws/credentials`, `.kube/config`, `kubeconfig`;
    ///   `credentials.json`, `client_secret*.json`, `service-account*.json`; `.env` and `.env.*`;
    ///   `secrets.json`/`secrets.yaml`; `ipsec.secrets`, `chap-secrets`; SSH host keys (`ssh_host_*_key`);
    ///   Maven `.m2/settings.xml`, Cargo and Composer credentials, `credentials.tfrc.json`; key files
    ///   (`*.key`, `privkey.pem`, `*-key.pem`, `*_key.pem`) and keystores (`*.p12`, `*.pfx`, `*.jks`,
    ///   `*.keystore`, `*.ppk`);
    /// - by the destination, when the source's name does not tell (`COPY deploy_key /root/.ssh/id_rsa`,
    ///   `COPY <<EOF /root/.npmrc`, `COPY auth.json /root/.docker/config.json`);
    /// - by a credential variable that points at the copied file: `ENV GOOGLE_APPLICATION_CREDENTIALS`,
    ///   `KUBECONFIG`, `NETRC`, `*_PASSWORD_FILE`, `*_TOKEN_FILE`… set to the path a `COPY` writes
    ///   (`COPY gcp.json /app/`), or into a directory a `COPY` fills (`COPY . /app` with
    ///   `GOOGLE_APPLICATION_CREDENTIALS=/app/gcp.json`, relative paths read from the last `WORKDIR`), and
    ///   copies whose destination is such a variable (`COPY sa.json $GOOGLE_APPLICATION_CREDENTIALS`).
    ///
    /// Templates and public halves are not flagged (`.env.example`, `.env.sample`, `.npmrc.template`,
    /// `id_rsa.pub`), nor certificates and CA bundles (`cert.pem`, `ca.pem`), nor repository signing keys
    /// (`Release.key`, `nginx_signing.key`). Remote sources (`ADD https://…`) are checked by destination
    /// only. `COPY --from=` sources are checked in the final stage, where they end up in the image; in
    /// earlier stages the copy that first brought the file in is the one reported.
    ///
    /// ## Why is this bad?
    /// Every file copied into an image layer stays in the image, even when a later `RUN rm` hides it:
    /// anyone who can pull the image (or read a build stage's cache) extracts the key, token or password
    /// with `docker save`. Credentials a build step needs belong in a secret or SSH mount, which is never
    /// written to a layer; credentials the application needs are provided at run time.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// COPY .npmrc package.json package-lock.json ./
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// COPY package.json package-lock.json ./
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## References
    /// - [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
    /// - [Docker: SSH mounts](https://docs.docker.com/reference/dockerfile/#run---mounttypessh)
    /// - [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC004",
    name: "credential-file-copied",
    family: Sec,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["DS-0031", "CIS-DI-0010"],
    checks: [Check::Dockerfile(check)],
}

fn check(doc: &DockerfileCtx, r: &mut Reporter) {
    let final_stage = doc.analysis.final_stage().map(|s| s.index);
    let workdirs = Workdirs::new(doc);
    let envs: Vec<Vec<CredentialEnv>> = doc
        .analysis
        .stages
        .iter()
        .map(|s| credential_envs(doc, s.index, &workdirs.last_of(s.index)))
        .collect();
    for (index, top) in doc.file.instructions.iter().enumerate() {
        let instruction = top.effective();
        let (Body::Copy(copy) | Body::Add(copy)) = &instruction.body else { continue };
        let stage = doc.analysis.stage_of(index);
        if instruction.flag("from").is_some() && stage.map(|s| s.index) != final_stage {
            continue;
        }
        let envs = stage.map_or(&[][..], |s| &envs[s.index]);
        check_copy(doc, index, copy, &workdirs.at[index], envs, r);
    }
}

/// A credential-path variable (`GOOGLE_APPLICATION_CREDENTIALS`, `*_PASSWORD_FILE`…) and the path it holds.
struct CredentialEnv {
    var: String,
    /// Absolute and normalised.
    path: String,
    value: DWord,
}

/// The credential-path variables a stage sets, itself or through the stages it builds on; relative paths
/// are read from the stage's last working directory, where the container starts.
fn credential_envs(doc: &DockerfileCtx, stage: usize, workdir: &str) -> Vec<CredentialEnv> {
    let mut out = Vec::new();
    for s in doc.analysis.lineage(stage) {
        for index in s.body.clone() {
            let Body::Env(pairs) = &doc.file.instructions[index].body else { continue };
            for pair in pairs.iter().filter(|p| secrets::is_secret_file_name(&p.key.text)) {
                let value = doc.analysis.expand_at(doc.file, index, &pair.value.text);
                if value.complete && !value.text.is_empty() {
                    let path = resolve(workdir, &value.text);
                    out.push(CredentialEnv { var: pair.key.text.clone(), path, value: pair.value.clone() });
                }
            }
        }
    }
    out
}

fn check_copy(
    doc: &DockerfileCtx,
    index: usize,
    copy: &CopyAdd,
    workdir: &str,
    envs: &[CredentialEnv],
    r: &mut Reporter,
) {
    let expand = |word: &DWord| doc.analysis.expand_at(doc.file, index, &word.text).text;
    let dest = copy.dest.as_ref().map(|d| (d, expand(d)));
    let into_directory =
        dest.as_ref().is_some_and(|(_, d)| d.ends_with('/') || d == ".") || copy.sources.len() > 1;
    let mut destination_reported = false;
    for source in &copy.sources {
        let path = expand(source);
        let heredoc = source.text.starts_with("<<");
        let remote = path.contains("://") || path.starts_with("git@");
        if !heredoc && !remote {
            if let Some(what) = credential_files::classify(&path) {
                let message = format!("Credential file `{}` ({what}) is copied into the image", source.text);
                report(r, source.range, &message, what);
                continue;
            }
            if credential_files::is_template(&path) {
                continue;
            }
        }
        let Some((dest_word, dest_path)) = &dest else { continue };
        let dest_dir = dest_path.trim_end_matches('/');
        let file_name =
            if heredoc || remote { "" } else { path.trim_end_matches('/').rsplit('/').next().unwrap_or("") };
        let written = if into_directory { format!("{dest_dir}/{file_name}") } else { dest_path.clone() };
        if !destination_reported && let Some(what) = credential_files::classify(&written) {
            destination_reported = true;
            let message = format!("Credential file `{}` ({what}) is written into the image", dest_word.text);
            report(r, dest_word.range, &message, what);
            continue;
        }
        if heredoc || remote {
            continue;
        }
        // `COPY key.json $GOOGLE_APPLICATION_CREDENTIALS`, the variable set elsewhere (a build argument, the
        // base image).
        let named = dest_word.text.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
        if dest_word.text.starts_with('$') && dest_path.contains('$') && secrets::is_secret_file_name(named) {
            let message = format!(
                "Credential file `{}` is copied into the image, where `{named}` points to it",
                source.text
            );
            r.report(source.range, message).help(LINKED_HELP);
            continue;
        }
        // `COPY key.json /app/` (or `/app/key.json`) with `ENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json`.
        let candidates = [resolve(workdir, &written), resolve(workdir, &format!("{dest_dir}/{file_name}"))];
        if let Some(env) = envs.iter().find(|e| candidates.contains(&e.path)) {
            let message = format!(
                "Credential file `{}` is copied into the image, where `{}` points to it",
                source.text, env.var
            );
            r.report(source.range, message)
                .help(LINKED_HELP)
                .label(env.value.range, "the credential path is set here");
            continue;
        }
        // `COPY . /app` with `ENV GOOGLE_APPLICATION_CREDENTIALS=/app/key.json`: the key comes with the context.
        let directory = path == "." || path.ends_with('/');
        let inside = format!("{}/", resolve(workdir, dest_dir).trim_end_matches('/'));
        if directory && let Some(env) = envs.iter().find(|e| e.path.starts_with(&inside)) {
            let message = format!(
                "`{}` points to `{}`, inside the directory this copies, so the credential file is in the image",
                env.var, env.value.text
            );
            r.report(source.range, message)
                .help(LINKED_HELP)
                .label(env.value.range, "the credential path is set here");
        }
    }
}

const LINKED_HELP: &str = "Provide the file when the container starts (a mounted secret or volume at that path), or \
                           mount it for the build step that needs it with `RUN --mount=type=secret,id=…,target=…`; \
                           keep it out of the build context with `.dockerignore`.";

fn report(r: &mut Reporter, at: TextRange, message: &str, what: &str) {
    let help = if what.starts_with("SSH") {
        "Use `RUN --mount=type=ssh` for the steps that need the key (`docker build --ssh default`) and keep the \
         key out of the build context with `.dockerignore`."
    } else if what == "dotenv file" {
        "Provide the variables when the container starts (`docker run --env-file`, Compose `env_file:`) and add \
         the file to `.dockerignore`."
    } else {
        "Mount the file only for the step that needs it with `RUN --mount=type=secret,id=…,target=…` (or provide \
         it at run time) and keep it out of the build context with `.dockerignore`."
    };
    r.report(at, message).help(help);
}

/// The working directory at each instruction. A stage built on an image starts in that image's working
/// directory, which the file does not tell: it is written `/?` (and `/?N` after a `WORKDIR` that cannot be
/// resolved), so paths relative to it still compare equal within the stage and never match a real path.
struct Workdirs {
    at: Vec<String>,
    last: HashMap<usize, String>,
}

impl Workdirs {
    fn new(doc: &DockerfileCtx) -> Workdirs {
        let mut at = Vec::with_capacity(doc.file.instructions.len());
        let mut last: HashMap<usize, String> = HashMap::new();
        for (index, instruction) in doc.file.instructions.iter().enumerate() {
            let Some(stage) = doc.analysis.stage_of(index) else {
                at.push("/?".to_string());
                continue;
            };
            let start = match stage.base {
                Base::Stage(parent) => last.get(&parent).cloned().unwrap_or_else(|| "/?".to_string()),
                Base::Image { .. } => "/?".to_string(),
            };
            let current = last.entry(stage.index).or_insert(start);
            if let Body::Workdir(dir) = &instruction.body {
                let dir = doc.analysis.expand_at(doc.file, index, &dir.text);
                *current = if dir.complete { resolve(current, &dir.text) } else { format!("/?{index}") };
            }
            at.push(current.clone());
        }
        Workdirs { at, last }
    }

    fn last_of(&self, stage: usize) -> String {
        self.last.get(&stage).cloned().unwrap_or_else(|| "/?".to_string())
    }
}

/// An absolute, normalised path for `path` seen from `workdir`.
fn resolve(workdir: &str, path: &str) -> String {
    if path.starts_with('/') { normalize(path) } else { normalize(&format!("{workdir}/{path}")) }
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint, messages, spans};

    #[test]
    fn credential_sources_point_at_the_source() {
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY id_rsa /root/.ssh/id_rsa\n"), ["id_rsa"]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY .npmrc package.json ./\n"), [".npmrc"]);
        assert_eq!(spans(&RULE, "FROM a:1\nADD --chown=app .env /app/\n"), [".env"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY [\"certs/server.key\", \"/etc/ssl/\"]\n"),
            ["\"certs/server.key\""]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY .ssh /root/.ssh\n"), [".ssh"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nONBUILD COPY .aws/credentials /root/.aws/\n"),
            [".aws/credentials"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY a b \\\n  service-account.json /app/\n"),
            ["service-account.json"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nCOPY id_ed25519 /k\n"),
            ["Credential file `id_ed25519` (SSH private key) is copied into the image"]
        );
    }

    #[test]
    fn sources_through_variables() {
        assert_eq!(spans(&RULE, "FROM a:1\nARG KEY=id_rsa\nCOPY $KEY /root/\n"), ["$KEY"]);
        assert_clean(&RULE, "FROM a:1\nARG KEY\nCOPY $KEY /app/\n");
    }

    #[test]
    fn credential_destinations_point_at_the_destination() {
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY deploy_key /root/.ssh/id_rsa\n"), ["/root/.ssh/id_rsa"]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY keys/github /root/.ssh/\n"), ["/root/.ssh/"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY auth.json /kaniko/.docker/config.json\n"),
            ["/kaniko/.docker/config.json"]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1\nARG NPM_TOKEN\nCOPY <<EOF /root/.npmrc\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nEOF\n"
            ),
            ["/root/.npmrc"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nADD https://example.com/k /root/.ssh/id_rsa\n"),
            ["/root/.ssh/id_rsa"]
        );
        assert_eq!(
            messages(&RULE, "FROM a:1\nCOPY prod.yaml /root/.kube/config\n"),
            ["Credential file `/root/.kube/config` (kubeconfig file) is written into the image"]
        );
    }

    #[test]
    fn credential_variables_pointing_at_copied_files() {
        let text = "FROM a:1\nWORKDIR /app\nCOPY gcp.json ./gcp.json\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/gcp.json\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "gcp.json");
        assert_eq!(found[0].labels[0].range.slice(text), "/app/gcp.json");
        assert_eq!(
            spans(&RULE, "FROM a:1\nENV DB_PASSWORD_FILE=/etc/app/db.txt\nCOPY db.txt /etc/app/\n"),
            ["db.txt"]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1 AS base\nENV KUBECONFIG=/cfg/k.yaml\nFROM base\nCOPY k.yaml /cfg/k.yaml\n"
            ),
            ["k.yaml"]
        );
        assert_clean(
            &RULE,
            "FROM a:1\nENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json\nCOPY app.json /app/\n",
        );
        assert_clean(&RULE, "FROM a:1\nENV DB_PASSWORD_FILE=/run/secrets/db\nCOPY . /app\n");
        assert_clean(&RULE, "FROM a:1\nCOPY /src /src\nENV GOOGLE_APPLICATION_CREDENTIALS=./app/gcp.json\n");
    }

    #[test]
    fn credential_variables_pointing_into_copied_directories() {
        let text = "FROM a:1\nWORKDIR /app\nCOPY . .\nENV GOOGLE_APPLICATION_CREDENTIALS=\"./news-extraction.json\"\n";
        assert_eq!(spans(&RULE, text), ["."]);
        assert_eq!(
            messages(&RULE, text),
            [
                "`GOOGLE_APPLICATION_CREDENTIALS` points to `./news-extraction.json`, inside the directory this copies, \
              so the credential file is in the image"
            ]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY . .\nENV KUBECONFIG=kube/config.yaml\n"), ["."]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY conf/ /etc/app/\nENV NETRC=/etc/app/netrc\n"), ["conf/"]);
        assert_clean(
            &RULE,
            "FROM a:1\nCOPY . /app\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json\n",
        );
    }

    #[test]
    fn destinations_named_by_credential_variables() {
        assert_eq!(
            spans(&RULE, "FROM a:1\nARG KUBECONFIG\nCOPY ./cluster.yaml $KUBECONFIG\n"),
            ["./cluster.yaml"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY ./sa.json ${GOOGLE_APPLICATION_CREDENTIALS}\n"),
            ["./sa.json"]
        );
        assert_clean(&RULE, "FROM a:1\nARG CONFIG_DIR\nCOPY ./app.yaml $CONFIG_DIR\n");
    }

    #[test]
    fn copies_between_stages_count_in_the_final_stage_only() {
        assert_eq!(
            spans(
                &RULE,
                "FROM a:1 AS build\nRUN ssh-keygen -f /k/id_rsa\nFROM b:1\nCOPY --from=build /k/id_rsa /k/\n"
            ),
            ["/k/id_rsa"]
        );
        assert_clean(&RULE, "FROM a:1 AS certs\nCOPY --from=other /tls/server.key /k/\nFROM b:1\nRUN true\n");
    }

    #[test]
    fn templates_public_files_and_certificates_pass() {
        assert_clean(
            &RULE,
            "FROM a:1\nCOPY .env.example .env\nCOPY id_rsa.pub /root/.ssh/authorized_keys\nCOPY known_hosts /root/.ssh/\n\
             COPY ssh_config /root/.ssh/config\nCOPY cert.pem ca.pem /etc/ssl/\nCOPY nginx_signing.key /tmp/\n\
             COPY . /app\nCOPY package.json .\nADD https://example.com/Release.key /tmp/\nCOPY <<EOF /app/config.ini\nx=1\nEOF\n",
        );
    }
}
