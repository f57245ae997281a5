use plimsoll_diagnostic::Fix;
use plimsoll_dockerfile::Keyword;
use plimsoll_linter::{Check, CommandCtx, InstructionCtx, Reporter, declare_rule};
use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::env_settings::{self, EnvSetting, is_off, is_on};
use crate::support::file_writes::{self, FileWrite, key_value};
use crate::support::option_removal::{remove_option, remove_option_with_value, remove_short_option};
use crate::support::options;

declare_rule! {
    /// ## What it does
    /// Flags build steps that turn off TLS certificate verification:
    /// - command options: `curl -k`/`--insecure`, `wget --no-check-certificate`,
    ///   `apk --no-check-certificate`, `pip --trusted-host` (also `uv`), `npm`/`yarn`/`pnpm`
    ///   `--strict-ssl=false` and `config set strict-ssl false`, `git config http.sslVerify false` and
    ///   `git -c http.sslVerify=false`, `yum`/`dnf` `--setopt=sslverify=0`,
    ///   `composer config disable-tls true` and `secure-http false`, `conda config --set ssl_verify false`
    ///   and `conda --insecure`, `bundle config ssl_verify_mode 0`, `go get -insecure`,
    ///   `aws --no-verify-ssl`, `helm`/`kubectl --insecure-skip-tls-verify`,
    ///   `podman`/`buildah`/`skopeo --tls-verify=false`, `apt-get -o Acquire::https::Verify-Peer=false`;
    /// - environment settings in `ENV`, `ARG`, command prefixes and `export`: `PYTHONHTTPSVERIFY=0`,
    ///   `NODE_TLS_REJECT_UNAUTHORIZED=0`, `NPM_CONFIG_STRICT_SSL=false` (any case), `YARN_STRICT_SSL` and
    ///   `YARN_ENABLE_STRICT_SSL=false`, `GIT_SSL_NO_VERIFY` (any value: git only checks that it is set),
    ///   `PIP_TRUSTED_HOST`, `UV_INSECURE_HOST`, `CONDA_SSL_VERIFY=false`, `GOINSECURE`, `GOFLAGS=-insecure`,
    ///   `BUNDLE_SSL_VERIFY_MODE=0` and `SSL_NO_VERIFY_HOSTNAME` (apk);
    /// - the same settings written into configuration files with `echo`, `printf`, `tee`, heredocs,
    ///   `sed -i` or `COPY <<EOF`: `sslverify=0` in yum/dnf/zypper repository files, `strict-ssl=false` in
    ///   `.npmrc`/`.yarnrc`, `insecure` in `.curlrc`, `check_certificate=off` in `.wgetrc`, `trusted-host` in
    ///   `pip.conf`, `sslVerify=false` in git configuration, `ssl_verify: false` in `.condarc`,
    ///   `Verify-Peer "false"` in APT configuration, `ssl_verify_mode: 0` in `.gemrc`.
    ///
    /// ## Why is this bad?
    /// Without certificate verification a client accepts any server that answers, so anyone on the network
    /// path can impersonate the registry, repository or download site and serve their own packages, scripts
    /// or binaries to the build. Settings made with `ENV` or written into configuration files stay in the
    /// image and weaken every container started from it as well.
    ///
    /// When a server uses a private certificate authority, trust that CA instead: copy its certificate into
    /// the image's trust store and run `update-ca-certificates`, or point the tool at it (`curl --cacert`,
    /// `PIP_CERT`, `NODE_EXTRA_CA_CERTS`, `GIT_SSL_CAINFO`).
    ///
    /// ## Fix
    /// Removes a command option written as a plain word, with its value and one blank: `curl -k` (just the
    /// letter in `-fsSLk`), `wget --no-check-certificate`, `pip --trusted-host HOST`,
    /// `git -c http.sslVerify=false`, `--setopt=sslverify=0`, `-o Acquire::https::Verify-Peer=false`, and
    /// the other options above. Settings made with `config` subcommands, environment variables and
    /// configuration files get no fix: removing a command or a line is not a mechanical edit. A server that
    /// really has an untrusted certificate then fails the build, which is the point: trust its CA instead.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    /// RUN curl -k -o /tmp/tool.tgz https://downloads.example.com/tool.tgz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
    /// RUN update-ca-certificates
    /// ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt
    /// RUN curl -o /tmp/tool.tgz https://downloads.example.com/tool.tgz
    /// ```
    ///
    /// ## References
    /// - [curl: --insecure](https://curl.se/docs/manpage.html#-k)
    /// - [Node.js: NODE_TLS_REJECT_UNAUTHORIZED](https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue)
    /// - [git-config: http.sslVerify](https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify)
    /// - [pip: --trusted-host](https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host)
    code: "IMG010",
    name: "tls-verification-disabled",
    family: Img,
    severity: Error,
    formats: [Dockerfile],
    aliases: [
        "CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12",
        "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16",
    ],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(&[Keyword::Env, Keyword::Arg], check_instruction_settings),
        Check::Instruction(&[Keyword::Copy, Keyword::Add], check_copied_files),
    ],
}

/// Verification turned off: where, what the message says, which tool (for the help's CA hint), and the
/// edit that removes the option when it is a plain option of the command.
struct Finding {
    range: TextRange,
    message: String,
    tool: &'static str,
    fix: Option<Fix>,
}

impl Finding {
    fn turns_off(range: TextRange, what: impl std::fmt::Display, tool: &'static str) -> Finding {
        Finding { range, message: format!("{what} turns off TLS certificate verification"), tool, fix: None }
    }
}

fn emit(r: &mut Reporter, finding: Finding) {
    let hint = match finding.tool {
        "curl" => "`curl --cacert ca.pem`",
        "wget" => "`wget --ca-certificate=ca.pem`",
        "apk" => "`/etc/apk/ca.pem`",
        "pip" => "`pip --cert ca.pem` or `PIP_CERT`",
        "uv" => "`SSL_CERT_FILE=ca.pem`",
        "npm" | "yarn" | "pnpm" => "`npm config set cafile ca.pem` or `NODE_EXTRA_CA_CERTS`",
        "node" => "`NODE_EXTRA_CA_CERTS=ca.pem`",
        "git" => "`git config http.sslCAInfo ca.pem` or `GIT_SSL_CAINFO`",
        "yum" => "`sslcacert=` in the repository file",
        "conda" => "`conda config --set ssl_verify /path/to/ca.pem`",
        "composer" => "`composer config -g cafile ca.pem`",
        "bundle" => "`BUNDLE_SSL_CA_CERT=ca.pem`",
        "aws" => "`aws --ca-bundle ca.pem`",
        "helm" | "kubectl" => "`--ca-file`/`--certificate-authority` with the CA certificate",
        "podman" => "`/etc/containers/certs.d/<registry>/ca.crt`",
        "apt" => "`Acquire::https::CaInfo`",
        _ => "`SSL_CERT_FILE=ca.pem`",
    };
    let emitted = r.report(finding.range, finding.message).help(format!(
        "Keep verification on; for a private CA, trust it instead ({hint}) or add it to the system store with `update-ca-certificates`."
    ));
    if let Some(fix) = finding.fix {
        emitted.fix(fix);
    }
}

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    let command = ctx.command;
    if let Some(name) = command.program_name() {
        for finding in command_findings(name, command, ctx.doc.text) {
            emit(r, finding);
        }
    }
    for setting in env_settings::of_command(command) {
        check_setting(&setting, r);
    }
    for write in file_writes::of_command(ctx.script, ctx.id, ctx.doc.text) {
        check_file(&write, ctx.doc.text, r);
    }
}

fn check_instruction_settings(ctx: &InstructionCtx, r: &mut Reporter) {
    for setting in env_settings::of_instruction(ctx.instruction) {
        check_setting(&setting, r);
    }
}

fn check_copied_files(ctx: &InstructionCtx, r: &mut Reporter) {
    for write in file_writes::of_copy(ctx.instruction) {
        check_file(&write, ctx.doc.text, r);
    }
}

/// curl's short options that take no value, which may come before `k` in a cluster (`-fsSLk`).
const CURL_FLAGS: &str = "0123456aBfgGiIjJlLMnNOpqRsSvVZ#";
/// conda's short options that take no value (`-yk`).
const CONDA_FLAGS: &str = "yqd";

/// Options of the tool a command runs that turn verification off. `text` is the Dockerfile, for the fixes
/// that remove a plain option (settings made with a `config` subcommand are left alone: removing the
/// command is not a mechanical edit).
fn command_findings<'a>(name: &'a str, command: &'a Command, text: &str) -> Vec<Finding> {
    let mut args = command.program_args();
    let mut name = name;
    // `busybox wget …`
    if name == "busybox"
        && let Some((applet, rest)) = args.split_first()
    {
        name = &applet.text;
        args = rest;
    }
    let family = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let runs_pip = family.starts_with("python")
        && args.windows(2).any(|w| w[0].text == "-m" && w[1].text.starts_with("pip"));
    let tool = if runs_pip { "pip" } else { family };
    let option = |short: Option<char>, long: &[&str]| {
        command.find_option(short, long).map(|w| {
            let spelled = if w.text.starts_with("--") {
                w.text.split('=').next().unwrap_or(&w.text).to_string()
            } else {
                format!("-{}", short.unwrap_or('?'))
            };
            (w, spelled)
        })
    };
    // The word alone, or the short option's letter out of its cluster.
    let without = |w: &Word, letter: char, no_value: &str| {
        if w.text.starts_with("--") {
            remove_option(text, w, None)
        } else {
            remove_short_option(text, w, letter, no_value)
        }
    };
    let mut out = Vec::new();
    let mut found = |range: TextRange, what: String, tool: &'static str, fix: Option<Fix>| {
        out.push(Finding { fix, ..Finding::turns_off(range, what, tool) })
    };
    match tool {
        "curl" => {
            if let Some((w, spelled)) = option(Some('k'), &["insecure", "proxy-insecure", "doh-insecure"]) {
                found(w.range, format!("`curl {spelled}`"), "curl", without(w, 'k', CURL_FLAGS));
            }
        }
        "wget" => {
            if let Some((w, _)) = option(None, &["no-check-certificate"]) {
                found(w.range, "`wget --no-check-certificate`".into(), "wget", remove_option(text, w, None));
            }
            for w in args.iter().filter(|w| {
                w.text.strip_prefix("--check-certificate=").is_some_and(|v| is_off(v) || v == "quiet")
            }) {
                found(w.range, format!("`wget {}`", w.text), "wget", remove_option(text, w, None));
            }
            for (w, value) in options::values(args, &["-e", "--execute"]) {
                if key_value(value)
                    .is_some_and(|(k, v)| k.replace('-', "_") == "check_certificate" && is_off(v))
                {
                    let fix = remove_option_with_value(text, args, w, value);
                    found(w.range, format!("`wget -e {value}`"), "wget", fix);
                }
            }
        }
        "apk" => {
            if let Some((w, _)) = option(None, &["no-check-certificate"]) {
                found(w.range, "`apk --no-check-certificate`".into(), "apk", remove_option(text, w, None));
            }
        }
        "pip" | "uv" => {
            let tool = if tool == "uv" { "uv" } else { "pip" };
            // Each host is reported, so that fixing them all leaves none behind.
            let hosts = args.iter().take_while(|w| w.text != "--").filter_map(|w| {
                let spelled = w.text.split('=').next().unwrap_or(&w.text);
                matches!(spelled, "--trusted-host" | "--allow-insecure-host").then_some((w, spelled))
            });
            for (w, spelled) in hosts {
                // `--trusted-host=HOST` is one word; `--trusted-host HOST` goes with the host after it.
                let fix = if w.text.contains('=') {
                    remove_option(text, w, None)
                } else {
                    let at = args.iter().position(|a| std::ptr::eq(a, w));
                    at.and_then(|at| args.get(at + 1)).and_then(|host| remove_option(text, w, Some(host)))
                };
                found(w.range, format!("`{tool} {spelled}`"), tool, fix);
            }
            let configures = args.first().is_some_and(|w| w.text == "config");
            if configures
                && let Some(w) = config_setting(args, |k| k.ends_with("trusted-host"), |v| !v.is_empty())
            {
                found(w.range, format!("`{tool} config set {}`", key_of(w)), tool, None);
            }
        }
        "npm" | "pnpm" | "yarn" => {
            let tool = match tool {
                "npm" => "npm",
                "pnpm" => "pnpm",
                _ => "yarn",
            };
            if let Some(w) = args.iter().find(|w| w.text == "--no-strict-ssl") {
                found(w.range, format!("`{tool} --no-strict-ssl`"), tool, remove_option(text, w, None));
            }
            let is_strict_ssl = |k: &str| k == "strict-ssl" || k == "enablestrictssl";
            // `config set strict-ssl false`, or the `--strict-ssl=false` option of any subcommand.
            let configured =
                config_setting(config_arguments(args, &["config", "set", "c"]), is_strict_ssl, is_off);
            if let Some(w) = configured {
                let key = key_of(w).trim_start_matches('-');
                found(w.range, format!("`{tool}` setting `{key}` to false"), tool, None);
            } else if let Some((w, value)) =
                options::values(args, &["--strict-ssl"]).into_iter().find(|(_, v)| is_off(v))
            {
                let fix = remove_option_with_value(text, args, w, value);
                found(w.range, format!("`{tool}` setting `strict-ssl` to false"), tool, fix);
            }
        }
        "git" => {
            // `git config http.sslVerify false`, or `git -c http.sslVerify=false …` (also `clone -c`).
            let overridden = options::values(args, &["-c", "--config"]).into_iter().find(|(_, value)| {
                value
                    .split_once('=')
                    .is_some_and(|(k, v)| is_git_ssl_verify(&k.to_ascii_lowercase()) && is_off(v))
            });
            let configured = config_setting(config_arguments(args, &["config"]), is_git_ssl_verify, is_off);
            let setting = match (configured, overridden) {
                (Some(w), _) => Some((w, None)),
                (None, Some((w, value))) => Some((w, remove_option_with_value(text, args, w, value))),
                (None, None) => None,
            };
            if let Some((w, fix)) = setting {
                found(w.range, format!("`git` setting `{}` to false", key_of(w)), "git", fix);
            }
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" | "dnf-config-manager" => {
            for (w, value) in options::values(args, &["--setopt"]) {
                if key_value(value).is_some_and(|(k, v)| is_repo_key(k, "sslverify") && is_off(v)) {
                    let fix = remove_option_with_value(text, args, w, value);
                    found(w.range, format!("`--setopt={value}`"), "yum", fix);
                }
            }
        }
        "composer" => {
            let args = config_arguments(args, &["config"]);
            if let Some(w) = config_setting(args, |k| k == "disable-tls", is_on) {
                found(w.range, "`composer config disable-tls true`".into(), "composer", None);
            }
            if let Some(w) = config_setting(args, |k| k == "secure-http", is_off) {
                out.push(Finding {
                    range: w.range,
                    message: "`composer config secure-http false` lets Composer download over plain HTTP"
                        .into(),
                    tool: "composer",
                    fix: None,
                });
            }
        }
        "conda" | "mamba" | "micromamba" => {
            if let Some(w) =
                config_setting(config_arguments(args, &["config"]), |k| k == "ssl_verify", is_off)
            {
                found(w.range, format!("`{name}` setting `ssl_verify` to false"), "conda", None);
            }
            if let Some((w, spelled)) = option(Some('k'), &["insecure"]) {
                found(w.range, format!("`{name} {spelled}`"), "conda", without(w, 'k', CONDA_FLAGS));
            }
        }
        "bundle" | "bundler" => {
            let args = config_arguments(args, &["config"]);
            if let Some(w) = config_setting(args, |k| k == "ssl_verify_mode", |v| v == "0") {
                found(w.range, "`bundle config ssl_verify_mode 0`".into(), "bundle", None);
            }
        }
        "go" => {
            if args.first().is_some_and(|w| w.text == "get")
                && let Some(w) = args.iter().find(|w| w.text == "-insecure" || w.text == "--insecure")
            {
                found(w.range, "`go get -insecure`".into(), "go", remove_option(text, w, None));
            }
        }
        "aws" => {
            if let Some((w, _)) = option(None, &["no-verify-ssl"]) {
                found(w.range, "`aws --no-verify-ssl`".into(), "aws", remove_option(text, w, None));
            }
        }
        "helm" | "kubectl" | "oc" => {
            let tool = if tool == "helm" { "helm" } else { "kubectl" };
            if let Some(w) = args.iter().find(|w| {
                w.text == "--insecure-skip-tls-verify"
                    || w.text.strip_prefix("--insecure-skip-tls-verify=").is_some_and(is_on)
            }) {
                let fix = remove_option(text, w, None);
                found(w.range, format!("`{name} --insecure-skip-tls-verify`"), tool, fix);
            }
        }
        "podman" | "buildah" | "skopeo" => {
            for w in args.iter().filter(|w| {
                w.text
                    .split_once('=')
                    .is_some_and(|(k, v)| k.ends_with("tls-verify") && k.starts_with("--") && is_off(v))
            }) {
                found(w.range, format!("`{name} {}`", w.text), "podman", remove_option(text, w, None));
            }
        }
        "apt-get" | "apt" | "aptitude" => {
            for (w, value) in options::values(args, &["-o", "--option"]) {
                if key_value(value).is_some_and(|(k, v)| is_apt_verify_key(k) && is_off(v)) {
                    let fix = remove_option_with_value(text, args, w, value);
                    found(w.range, format!("`{name} -o {value}`"), "apt", fix);
                }
            }
        }
        _ => {}
    }
    out
}

/// The arguments after a configuration subcommand (`npm config set …`, `git config …`), found after the
/// global options (git's `-C dir` and `-c key=value` take a value); empty when the command does not
/// configure.
fn config_arguments<'a>(args: &'a [Word], subcommands: &[&str]) -> &'a [Word] {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        if matches!(word.text.as_str(), "-C" | "-c") {
            i += 2;
        } else if word.text.starts_with('-') {
            i += 1;
        } else if subcommands.contains(&word.text.as_str()) {
            return &args[i + 1..];
        } else {
            return &[];
        }
    }
    &[]
}

/// A `config set`-style setting among the arguments: `key value`, `key=value` or `--key=value`/`--key value`
/// (keys compared in lower case without leading dashes). Returns the word holding the key.
fn config_setting(args: &[Word], key: impl Fn(&str) -> bool, value: impl Fn(&str) -> bool) -> Option<&Word> {
    args.iter().enumerate().find_map(|(i, word)| {
        let (k, v) = match word.text.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (word.text.as_str(), args.get(i + 1).map(|w| w.text.as_str())),
        };
        let k = k.trim_start_matches('-').to_ascii_lowercase();
        (key(&k) && v.is_some_and(&value)).then_some(word)
    })
}

/// The key part of a `config_setting` word.
fn key_of(word: &Word) -> &str {
    word.text.split('=').next().unwrap_or(&word.text)
}

/// `http.sslVerify` and `http.<url>.sslVerify`.
fn is_git_ssl_verify(key: &str) -> bool {
    key.starts_with("http.") && key.ends_with(".sslverify")
}

/// `name` or `<repository>.name`, in any case.
fn is_repo_key(key: &str, name: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key == name || key.ends_with(&format!(".{name}"))
}

/// `Acquire::https::Verify-Peer`, `Acquire::https::<host>::Verify-Host`.
fn is_apt_verify_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("acquire::https") && (key.ends_with("::verify-peer") || key.ends_with("::verify-host"))
}

/// An environment variable that turns verification off, and for which values.
struct EnvRule {
    name: &'static str,
    /// npm and yarn read their settings in any case (`npm_config_strict_ssl`).
    any_case: bool,
    disables: fn(&str) -> bool,
    program: &'static str,
    tool: &'static str,
}

const ENV_RULES: &[EnvRule] = &[
    EnvRule {
        name: "PYTHONHTTPSVERIFY",
        any_case: false,
        disables: |v| v == "0",
        program: "Python",
        tool: "python",
    },
    EnvRule {
        name: "NODE_TLS_REJECT_UNAUTHORIZED",
        any_case: false,
        disables: |v| v == "0",
        program: "Node.js",
        tool: "node",
    },
    EnvRule { name: "NPM_CONFIG_STRICT_SSL", any_case: true, disables: is_off, program: "npm", tool: "npm" },
    EnvRule { name: "YARN_STRICT_SSL", any_case: true, disables: is_off, program: "Yarn", tool: "yarn" },
    EnvRule {
        name: "YARN_ENABLE_STRICT_SSL",
        any_case: true,
        disables: is_off,
        program: "Yarn",
        tool: "yarn",
    },
    // git only checks that the variable is set.
    EnvRule { name: "GIT_SSL_NO_VERIFY", any_case: false, disables: |_| true, program: "git", tool: "git" },
    EnvRule {
        name: "PIP_TRUSTED_HOST",
        any_case: false,
        disables: |v| !v.is_empty(),
        program: "pip",
        tool: "pip",
    },
    EnvRule {
        name: "UV_INSECURE_HOST",
        any_case: false,
        disables: |v| !v.is_empty(),
        program: "uv",
        tool: "uv",
    },
    EnvRule { name: "CONDA_SSL_VERIFY", any_case: false, disables: is_off, program: "conda", tool: "conda" },
    EnvRule {
        name: "GOINSECURE",
        any_case: false,
        disables: |v| !v.is_empty(),
        program: "Go modules",
        tool: "go",
    },
    EnvRule {
        name: "GOFLAGS",
        any_case: false,
        disables: |v| v.split_whitespace().any(|f| f == "-insecure"),
        program: "Go",
        tool: "go",
    },
    EnvRule {
        name: "BUNDLE_SSL_VERIFY_MODE",
        any_case: false,
        disables: |v| v == "0",
        program: "Bundler",
        tool: "bundle",
    },
    // apk's built-in HTTP client checks that the variable is set.
    EnvRule {
        name: "SSL_NO_VERIFY_HOSTNAME",
        any_case: false,
        disables: |_| true,
        program: "apk",
        tool: "apk",
    },
];

fn check_setting(setting: &EnvSetting, r: &mut Reporter) {
    let rule = ENV_RULES.iter().find(|rule| {
        if rule.any_case { rule.name.eq_ignore_ascii_case(setting.name) } else { rule.name == setting.name }
    });
    if let Some(rule) = rule
        && (rule.disables)(setting.value)
    {
        let what = format!("`{}={}` for {}", setting.name, setting.value, rule.program);
        emit(r, Finding::turns_off(setting.range, what, rule.tool));
    }
}

/// A configuration file that can turn verification off, and the setting that does.
struct FileRule {
    file: fn(&str) -> bool,
    key: fn(&str) -> bool,
    disables: fn(&str) -> bool,
    tool: &'static str,
}

const FILE_RULES: &[FileRule] = &[
    FileRule {
        file: |p| {
            p.ends_with(".repo") || ["yum.conf", "dnf.conf", "zypp.conf"].iter().any(|f| p.ends_with(f))
        },
        key: |k| is_repo_key(k, "sslverify"),
        disables: is_off,
        tool: "yum",
    },
    FileRule { file: |p| p.ends_with("npmrc"), key: |k| k == "strict-ssl", disables: is_off, tool: "npm" },
    FileRule { file: |p| p.ends_with(".yarnrc"), key: |k| k == "strict-ssl", disables: is_off, tool: "yarn" },
    FileRule {
        file: |p| p.ends_with(".yarnrc.yml"),
        key: |k| k == "enablestrictssl",
        disables: is_off,
        tool: "yarn",
    },
    FileRule {
        file: |p| p.ends_with("curlrc"),
        key: |k| matches!(k, "insecure" | "-k" | "--insecure"),
        disables: |v| v.is_empty() || is_on(v),
        tool: "curl",
    },
    FileRule {
        file: |p| p.ends_with("wgetrc"),
        key: |k| k == "check_certificate" || k == "check-certificate",
        disables: is_off,
        tool: "wget",
    },
    FileRule {
        file: |p| p.ends_with("pip.conf") || p.ends_with("pip.ini"),
        key: |k| k == "trusted-host",
        disables: |v| !v.is_empty(),
        tool: "pip",
    },
    FileRule {
        file: |p| p.ends_with("gitconfig") || p.ends_with(".git/config"),
        key: |k| k == "sslverify",
        disables: is_off,
        tool: "git",
    },
    FileRule {
        file: |p| p.ends_with("condarc"),
        key: |k| k == "ssl_verify",
        disables: is_off,
        tool: "conda",
    },
    FileRule { file: |p| p.contains("/apt.conf"), key: is_apt_verify_key, disables: is_off, tool: "apt" },
    FileRule {
        file: |p| p.ends_with("gemrc"),
        key: |k| k == "ssl_verify_mode",
        disables: |v| v == "0",
        tool: "bundle",
    },
    FileRule {
        file: |p| p.ends_with(".bundle/config"),
        key: |k| k == "bundle_ssl_verify_mode",
        disables: |v| v == "0",
        tool: "bundle",
    },
];

fn check_file(write: &FileWrite, source: &str, r: &mut Reporter) {
    let rules: Vec<&FileRule> = FILE_RULES.iter().filter(|rule| (rule.file)(write.path)).collect();
    if rules.is_empty() {
        return;
    }
    for (range, line) in write.lines() {
        let Some((key, value)) = key_value(line) else { continue };
        let key_lower = key.to_ascii_lowercase();
        if let Some(rule) = rules.iter().find(|rule| (rule.key)(&key_lower) && (rule.disables)(value))
            && let Some(at) = write.range_of(source, range)
        {
            let what = format!("`{}` in `{}`", line.trim(), write.path);
            emit(r, Finding::turns_off(at, what, rule.tool));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fixed, assert_no_fix, messages, run, spans};

    /// Asserts that the fix turns `RUN before` into `RUN after`.
    #[track_caller]
    fn run_fixed(before: &str, after: &str) {
        assert_fixed(&RULE, &run(before), &run(after));
    }

    #[test]
    fn fixes_remove_the_option() {
        run_fixed("curl -k -o /tmp/a https://x.example/a", "curl -o /tmp/a https://x.example/a");
        run_fixed("curl -fsSLk https://x.example/a -o a", "curl -fsSL https://x.example/a -o a");
        run_fixed("curl --insecure https://x.example/a", "curl https://x.example/a");
        run_fixed("curl https://x.example/a --insecure && true", "curl https://x.example/a && true");
        run_fixed("wget --no-check-certificate https://x/a", "wget https://x/a");
        run_fixed("busybox wget --no-check-certificate https://x/a", "busybox wget https://x/a");
        run_fixed("wget --check-certificate=quiet https://x/a", "wget https://x/a");
        run_fixed("wget -e check_certificate=off https://x/a", "wget https://x/a");
        run_fixed("apk add --no-check-certificate curl", "apk add curl");
        run_fixed("pip install --trusted-host pypi.example x", "pip install x");
        run_fixed("python3 -m pip install --trusted-host=pypi.example x", "python3 -m pip install x");
        run_fixed("uv pip install --allow-insecure-host pypi.example x", "uv pip install x");
        run_fixed("pip install --trusted-host a.example --trusted-host=b.example x", "pip install x");
        run_fixed("npm ci --no-strict-ssl", "npm ci");
        run_fixed("npm install --strict-ssl=false", "npm install");
        run_fixed("npm install --strict-ssl false x", "npm install x");
        run_fixed("git -c http.sslVerify=false clone https://x/r", "git clone https://x/r");
        run_fixed("yum-config-manager --save --setopt=epel.sslverify=0", "yum-config-manager --save");
        run_fixed("dnf install --setopt sslverify=false x", "dnf install x");
        run_fixed("dnf install --setopt=\"epel.sslverify=0\" x", "dnf install x");
        run_fixed("conda install -yk numpy", "conda install -y numpy");
        run_fixed("go get -insecure example.com/x", "go get example.com/x");
        run_fixed("aws s3 cp --no-verify-ssl s3://b/k .", "aws s3 cp s3://b/k .");
        run_fixed("helm repo add x https://c --insecure-skip-tls-verify", "helm repo add x https://c");
        run_fixed("skopeo copy --src-tls-verify=false docker://a dir:b", "skopeo copy docker://a dir:b");
        run_fixed("apt-get -o Acquire::https::Verify-Peer=false update", "apt-get update");
        run_fixed("sh -c 'curl -k https://x'", "sh -c 'curl https://x'");
    }

    #[test]
    fn fixes_across_lines_and_titles() {
        assert_fixed(
            &RULE,
            "FROM a\nRUN curl -fsSL \\\n      --insecure \\\n      https://x/a\n",
            "FROM a\nRUN curl -fsSL \\\n      https://x/a\n",
        );
        assert_fixed(
            &RULE,
            "FROM a\nRUN curl https://x/a \\\n      --insecure\nUSER app\n",
            "FROM a\nRUN curl https://x/a\nUSER app\n",
        );
        assert_fixed(
            &RULE,
            "FROM a\nRUN curl -k https://x/a && wget --no-check-certificate https://x/b\n",
            "FROM a\nRUN curl https://x/a && wget https://x/b\n",
        );
        let found = crate::testing::lint(&RULE, &run("pip install --trusted-host pypi.example x"));
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.title.as_str()),
            Some("Remove `--trusted-host pypi.example`")
        );
        let found = crate::testing::lint(&RULE, &run("curl -sk https://x"));
        assert_eq!(found[0].fix.as_ref().map(|f| f.title.as_str()), Some("Remove `-k` from `-sk`"));
    }

    #[test]
    fn no_fix_where_the_edit_is_not_plainly_the_option() {
        assert_no_fix(&RULE, "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n");
        assert_no_fix(&RULE, &run("NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci"));
        assert_no_fix(&RULE, &run("git config --global http.sslVerify false"));
        assert_no_fix(&RULE, &run("npm config set strict-ssl false"));
        assert_no_fix(&RULE, &run("pip config set global.trusted-host pypi.example"));
        assert_no_fix(&RULE, &run("echo insecure >> ~/.curlrc"));
        assert_no_fix(&RULE, &run("curl \"-k\" https://x"));
        assert_no_fix(&RULE, &run("curl -ok https://x"));
        assert_no_fix(&RULE, "FROM a\nRUN [\"curl\", \"--insecure\", \"https://x\"]\n");
    }

    #[test]
    fn curl_and_wget() {
        assert_eq!(spans(&RULE, &run("curl -fsSLk https://x.example/a -o a")), ["-fsSLk"]);
        assert_eq!(spans(&RULE, &run("curl --insecure https://x.example/a")), ["--insecure"]);
        assert_eq!(
            spans(&RULE, &run("sudo curl --proxy-insecure -x https://p https://x")),
            ["--proxy-insecure"]
        );
        assert_eq!(
            messages(&RULE, &run("curl -sk https://x")),
            ["`curl -k` turns off TLS certificate verification"]
        );
        assert_eq!(spans(&RULE, &run("wget --no-check-certificate https://x/a")), ["--no-check-certificate"]);
        assert_eq!(
            spans(&RULE, &run("wget --check-certificate=quiet https://x/a")),
            ["--check-certificate=quiet"]
        );
        assert_eq!(
            spans(&RULE, &run("wget -e check_certificate=off https://x/a")),
            ["check_certificate=off"]
        );
        assert_eq!(
            spans(&RULE, &run("busybox wget --no-check-certificate https://x/a")),
            ["--no-check-certificate"]
        );
        assert_clean(&RULE, &run("curl -fsSL -K curl.cfg https://x"));
        assert_clean(&RULE, &run("echo curl -k https://x"));
    }

    #[test]
    fn package_tools() {
        assert_eq!(spans(&RULE, &run("apk add --no-check-certificate curl")), ["--no-check-certificate"]);
        assert_eq!(spans(&RULE, &run("pip install --trusted-host pypi.example x")), ["--trusted-host"]);
        assert_eq!(
            spans(&RULE, &run("python3 -m pip install --trusted-host=pypi.example x")),
            ["--trusted-host=pypi.example"]
        );
        assert_eq!(
            spans(&RULE, &run("pip config set global.trusted-host pypi.example")),
            ["global.trusted-host"]
        );
        assert_eq!(spans(&RULE, &run("npm config set strict-ssl false")), ["strict-ssl"]);
        assert_eq!(spans(&RULE, &run("npm set strict-ssl=false")), ["strict-ssl=false"]);
        assert_eq!(spans(&RULE, &run("npm install --strict-ssl=false")), ["--strict-ssl=false"]);
        assert_eq!(spans(&RULE, &run("npm ci --no-strict-ssl")), ["--no-strict-ssl"]);
        assert_eq!(spans(&RULE, &run("yarn config set enableStrictSsl false")), ["enableStrictSsl"]);
        assert_eq!(spans(&RULE, &run("yarn config set strict-ssl false -g")), ["strict-ssl"]);
        assert_eq!(spans(&RULE, &run("conda config --set ssl_verify False")), ["ssl_verify"]);
        assert_eq!(spans(&RULE, &run("composer config -g disable-tls true")), ["disable-tls"]);
        assert_eq!(
            messages(&RULE, &run("composer config -g secure-http false")),
            ["`composer config secure-http false` lets Composer download over plain HTTP"]
        );
        assert_eq!(spans(&RULE, &run("bundle config set --global ssl_verify_mode 0")), ["ssl_verify_mode"]);
        assert_eq!(spans(&RULE, &run("go get -insecure example.com/x")), ["-insecure"]);
        assert_clean(
            &RULE,
            &run("npm config set strict-ssl true && pip install x && conda config --set ssl_verify true"),
        );
        assert_clean(&RULE, &run("npm install strict-ssl false && yarn add strict-ssl false"));
        assert_clean(
            &RULE,
            &run("git commit -m 'http.sslVerify false' && composer require disable-tls true"),
        );
    }

    #[test]
    fn git() {
        assert_eq!(spans(&RULE, &run("git config --global http.sslVerify false")), ["http.sslVerify"]);
        assert_eq!(
            spans(&RULE, &run("git config --global http.https://x.example/.sslVerify 0")),
            ["http.https://x.example/.sslVerify"]
        );
        assert_eq!(
            spans(&RULE, &run("git -c http.sslVerify=false clone https://x/r")),
            ["http.sslVerify=false"]
        );
        assert_eq!(
            messages(&RULE, &run("git config --global http.sslverify false")),
            ["`git` setting `http.sslverify` to false turns off TLS certificate verification"]
        );
        assert_clean(&RULE, &run("git config --global http.sslVerify true"));
    }

    #[test]
    fn repository_managers_and_clients() {
        assert_eq!(
            spans(&RULE, &run("yum-config-manager --save --setopt=epel.sslverify=0")),
            ["--setopt=epel.sslverify=0"]
        );
        assert_eq!(spans(&RULE, &run("dnf install --setopt sslverify=false x")), ["sslverify=false"]);
        assert_eq!(spans(&RULE, &run("aws s3 cp --no-verify-ssl s3://b/k .")), ["--no-verify-ssl"]);
        assert_eq!(
            spans(&RULE, &run("helm repo add x https://c --insecure-skip-tls-verify")),
            ["--insecure-skip-tls-verify"]
        );
        assert_eq!(
            spans(&RULE, &run("skopeo copy --src-tls-verify=false docker://a dir:b")),
            ["--src-tls-verify=false"]
        );
        assert_eq!(
            spans(&RULE, &run("apt-get -o Acquire::https::Verify-Peer=false update")),
            ["Acquire::https::Verify-Peer=false"]
        );
        assert_clean(&RULE, &run("yum install --setopt=tsflags=nodocs x && podman pull --tls-verify=true x"));
    }

    #[test]
    fn environment_settings() {
        assert_eq!(
            spans(&RULE, "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"),
            ["NODE_TLS_REJECT_UNAUTHORIZED=0"]
        );
        assert_eq!(spans(&RULE, "FROM a\nENV PYTHONHTTPSVERIFY 0\n"), ["PYTHONHTTPSVERIFY 0"]);
        assert_eq!(
            spans(&RULE, "FROM a\nARG npm_config_strict_ssl=false\n"),
            ["npm_config_strict_ssl=false"]
        );
        assert_eq!(spans(&RULE, "FROM a\nENV GIT_SSL_NO_VERIFY=1\n"), ["GIT_SSL_NO_VERIFY=1"]);
        assert_eq!(spans(&RULE, "FROM a\nENV PIP_TRUSTED_HOST=\"a b\"\n"), ["PIP_TRUSTED_HOST=\"a b\""]);
        assert_eq!(
            spans(&RULE, "FROM a\nENV GOFLAGS=\"-mod=mod -insecure\"\n"),
            ["GOFLAGS=\"-mod=mod -insecure\""]
        );
        assert_eq!(
            messages(&RULE, "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"),
            ["`NODE_TLS_REJECT_UNAUTHORIZED=0` for Node.js turns off TLS certificate verification"]
        );
        assert_eq!(
            spans(&RULE, &run("NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci")),
            ["NODE_TLS_REJECT_UNAUTHORIZED=0"]
        );
        assert_eq!(
            spans(&RULE, &run("export GIT_SSL_NO_VERIFY=true && git clone https://x/r")),
            ["GIT_SSL_NO_VERIFY=true"]
        );
        assert_eq!(spans(&RULE, &run("go env -w GOINSECURE=example.com")), ["GOINSECURE=example.com"]);
        assert_eq!(spans(&RULE, "FROM a\nONBUILD ENV PYTHONHTTPSVERIFY=0\n"), ["PYTHONHTTPSVERIFY=0"]);
        assert_clean(
            &RULE,
            "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1 NPM_CONFIG_STRICT_SSL=true\n",
        );
        assert_clean(&RULE, "FROM a\nARG PIP_TRUSTED_HOST\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0; npm ci\n");
    }

    #[test]
    fn configuration_files() {
        assert_eq!(
            spans(&RULE, &run("echo -e \"[x]\\nbaseurl=https://r\\nsslverify=0\" > /etc/yum.repos.d/x.repo")),
            ["sslverify=0"]
        );
        assert_eq!(spans(&RULE, &run("echo 'strict-ssl=false' >> ~/.npmrc")), ["strict-ssl=false"]);
        assert_eq!(spans(&RULE, &run("echo insecure >> ~/.curlrc")), ["insecure"]);
        assert_eq!(
            spans(&RULE, &run("printf 'check_certificate = off\\n' > /etc/wgetrc")),
            ["check_certificate = off"]
        );
        assert_eq!(
            spans(&RULE, &run("cat <<EOF > /etc/pip.conf\n[global]\ntrusted-host = pypi.example\nEOF")),
            ["trusted-host = pypi.example"]
        );
        assert_eq!(
            spans(
                &RULE,
                &run("echo 'Acquire::https::Verify-Peer \"false\";' > /etc/apt/apt.conf.d/99insecure")
            ),
            ["Acquire::https::Verify-Peer \"false\";"]
        );
        assert_eq!(spans(&RULE, &run("sed -i 's/sslverify=1/sslverify=0/' /etc/yum.conf")), ["sslverify=0"]);
        assert_eq!(
            spans(&RULE, "FROM a\nCOPY <<EOF /root/.condarc\nssl_verify: false\nEOF\n"),
            ["ssl_verify: false"]
        );
        assert_eq!(
            messages(&RULE, &run("echo 'strict-ssl=false' >> ~/.npmrc")),
            ["`strict-ssl=false` in `~/.npmrc` turns off TLS certificate verification"]
        );
        assert_clean(
            &RULE,
            &run("echo 'sslverify=0' > /tmp/notes.txt && echo 'sslverify=1' > /etc/yum.repos.d/x.repo"),
        );
    }
}
