use plimsoll_dockerfile::{Body, Keyword};
use plimsoll_linter::{Check, CommandCtx, InstructionCtx, Reporter, declare_rule};

use crate::support::downloads;
use crate::support::env_settings::{self, EnvSetting};
use crate::support::urls::{self, Url};
use crate::support::word_parts::part_range;

declare_rule! {
    /// ## What it does
    /// Flags code, packages and package indexes fetched over unencrypted `http://` (also `ftp://` and the
    /// unauthenticated `git://`):
    /// - `curl` and `wget` downloads, and `ADD http://…` without `--checksum`;
    /// - package tools given such a URL: `git clone`/`fetch`/`remote add`, `pip install --index-url`,
    ///   `--extra-index-url`, `-f`/`--find-links` and direct `pip install http://…` (also `uv`),
    ///   `npm`/`yarn`/`pnpm config set registry`, `--registry`, `gem sources -a`, `gem install --source`,
    ///   `bundle config`, `conda -c`, `helm repo add`, `rpm`/`yum`/`dnf`/`zypper` package and `.repo` URLs,
    ///   `yum-config-manager --add-repo`, `rpm --import` and `apt-key adv --fetch-keys`;
    /// - index settings in `ENV`, `ARG` and `RUN` environments: `PIP_INDEX_URL`, `PIP_EXTRA_INDEX_URL`,
    ///   `PIP_FIND_LINKS`, `UV_INDEX_URL`, `UV_EXTRA_INDEX_URL`, `UV_DEFAULT_INDEX`, `NPM_CONFIG_REGISTRY`,
    ///   `YARN_REGISTRY`, `YARN_NPM_REGISTRY_SERVER` and `GOPROXY` (also `go env -w`).
    ///
    /// Not flagged: addresses that never leave the build machine (`localhost`, `127.0.0.0/8`, `[::1]`,
    /// link-local `169.254.0.0/16` such as cloud metadata services, `host.docker.internal`); proxy settings
    /// (`--proxy http://…`, `npm config set proxy`), which tunnel HTTPS; a `curl`/`wget` download that a
    /// later command of the same `RUN` checks with `sha256sum` or a signature; and APT and Alpine (`apk`)
    /// repositories over HTTP: their indexes are signed and every package is checked against them, so plain
    /// HTTP does not let an attacker change what is installed. Disabling those signature checks
    /// (`[trusted=yes]`, `--allow-unauthenticated`, `--allow-untrusted`) is what breaks that protection, and
    /// `package-signature-check-disabled` (IMG011) reports it.
    ///
    /// ## Why is this bad?
    /// Anyone on the network path (a compromised Wi-Fi, router, proxy or CI neighbour) can read and replace
    /// plain-HTTP responses, so the build installs whatever they choose: a modified binary, a malicious
    /// package, a different signing key. Nothing in the build notices. HTTPS authenticates the server and
    /// protects the content in transit; a pinned checksum protects it end to end.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// RUN pip install --index-url http://pypi.internal.example/simple flask
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// RUN pip install --index-url https://pypi.internal.example/simple flask
    /// ```
    ///
    /// ## References
    /// - [pip: --index-url](https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-i)
    /// - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    /// - [Debian wiki: SecureApt](https://wiki.debian.org/SecureApt) (why signed APT repositories tolerate HTTP)
    code: "IMG007",
    name: "plain-http-download",
    family: Img,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(&[Keyword::Add], check_add),
        Check::Instruction(&[Keyword::Env, Keyword::Arg], check_instruction_settings),
    ],
}

/// Package tools whose URL arguments are fetched: any argument that is an insecure URL (or ends in one
/// after `=`) is reported, except proxy settings.
const PACKAGE_TOOLS: &[&str] = &[
    "git",
    "pip",
    "uv",
    "npm",
    "yarn",
    "pnpm",
    "gem",
    "bundle",
    "bundler",
    "conda",
    "mamba",
    "micromamba",
    "rpm",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "zypper",
    "yum-config-manager",
    "apt-key",
];

/// Environment settings that name package indexes or module proxies.
const INDEX_SETTINGS: &[&str] = &[
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_INDEX",
    "UV_FIND_LINKS",
    "NPM_CONFIG_REGISTRY",
    "YARN_REGISTRY",
    "YARN_NPM_REGISTRY_SERVER",
    "GOPROXY",
];

const DOWNLOAD_HELP: &str =
    "Use `https://`, or check the download against a pinned checksum (`sha256sum -c`) before using it.";
const INDEX_HELP: &str = "Use an `https://` URL for the index or repository.";

/// How a message names the unencrypted protocol a URL uses, unless its host is local.
fn insecure_protocol(url: &Url, text: &str) -> Option<&'static str> {
    let scheme = text[url.scheme.clone()].to_ascii_lowercase();
    let protocol = match scheme.rsplit('+').next().unwrap_or(&scheme) {
        "http" => "plain HTTP",
        "ftp" => "plain FTP",
        "git" => "the unauthenticated git protocol",
        _ => return None,
    };
    (!urls::is_local_host(&text[url.host.clone()])).then_some(protocol)
}

/// The URL as shown in a message (credentials masked).
fn shown(url: &Url, text: &str) -> String {
    if url.userinfo.is_some() { url.masked(text) } else { text[url.range.clone()].to_string() }
}

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    let source = ctx.doc.text;
    // A download checked against a checksum or signature later in the same `RUN` is protected end to end.
    if let Some(download) =
        downloads::download(ctx.command).filter(|_| !downloads::verified_later(ctx.script, ctx.id))
    {
        for word in &download.urls {
            // A URL from a build variable (`curl "$DOWNLOAD_URL"`) is judged by the variable's value.
            let expanded = if word.dynamic { ctx.expand(&word.text).text } else { word.text.clone() };
            let Some(url) = urls::at_start(&expanded) else { continue };
            let Some(protocol) = insecure_protocol(&url, &expanded) else { continue };
            let range = if expanded == word.text {
                part_range(source, word.range, &word.text, url.range.clone())
            } else {
                word.range
            };
            let message =
                format!("`{}` downloads `{}` over {protocol}", download.tool, shown(&url, &expanded));
            r.report(range, message).help(DOWNLOAD_HELP);
        }
    }
    if let Some(tool) = package_tool(ctx) {
        check_package_tool(ctx, tool, r);
    }
    for setting in env_settings::of_command(ctx.command) {
        check_setting(&setting, source, r);
    }
}

/// The package tool a command runs (`python3 -m pip` counts as `pip`).
fn package_tool<'a>(ctx: &CommandCtx<'a>) -> Option<&'a str> {
    let name = ctx.command.program_name()?;
    let tool = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let args = ctx.command.program_args();
    // `helm repo add name http://…`; other helm URLs are chart values, not fetches.
    let adds_helm_repo = tool == "helm" && args.len() > 1 && args[0].text == "repo" && args[1].text == "add";
    if PACKAGE_TOOLS.contains(&tool) || adds_helm_repo {
        return Some(tool);
    }
    let runs_pip_module = tool.starts_with("python")
        && args
            .windows(2)
            .any(|w| w[0].text == "-m" && w[1].text.trim_end_matches(|c: char| c.is_ascii_digit()) == "pip");
    runs_pip_module.then_some("pip")
}

fn check_package_tool(ctx: &CommandCtx, tool: &str, r: &mut Reporter) {
    let source = ctx.doc.text;
    let args = ctx.command.program_args();
    for (i, word) in args.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| args[p].text.as_str()).unwrap_or("");
        let (key, value_start) = match word.text.split_once('=') {
            Some((key, _)) if !key.contains("://") => (key, key.len() + 1),
            _ => ("", 0),
        };
        // Proxies carry HTTPS through a plain-HTTP tunnel: `--proxy http://…`, `config set proxy http://…`.
        if is_proxy_key(previous) || is_proxy_key(key) {
            continue;
        }
        let value = &word.text[value_start..];
        let Some(url) = urls::at_start(value) else { continue };
        let Some(protocol) = insecure_protocol(&url, value) else { continue };
        let part = url.range.start + value_start..url.range.end + value_start;
        let range = part_range(source, word.range, &word.text, part);
        let message = format!("`{tool}` fetches `{}` over {protocol}", shown(&url, value));
        r.report(range, message).help(INDEX_HELP);
    }
}

fn is_proxy_key(text: &str) -> bool {
    text.to_ascii_lowercase().contains("proxy")
}

fn check_setting(setting: &EnvSetting, source: &str, r: &mut Reporter) {
    let upper = setting.name.to_ascii_uppercase();
    // npm and yarn read their settings from the environment in any case (`npm_config_registry`).
    let case_insensitive = upper.starts_with("NPM_CONFIG_") || upper.starts_with("YARN_");
    let known = if case_insensitive {
        INDEX_SETTINGS.contains(&upper.as_str())
    } else {
        INDEX_SETTINGS.contains(&setting.name)
    };
    if !known {
        return;
    }
    for url in urls::find_all(setting.value) {
        if let Some(protocol) = insecure_protocol(&url, setting.value) {
            let range = setting.value_part_range(source, url.range.clone());
            let message =
                format!("`{}` points at `{}` over {protocol}", setting.name, shown(&url, setting.value));
            r.report(range, message).help(INDEX_HELP);
        }
    }
}

fn check_instruction_settings(ctx: &InstructionCtx, r: &mut Reporter) {
    for setting in env_settings::of_instruction(ctx.instruction) {
        check_setting(&setting, ctx.doc.text, r);
    }
}

fn check_add(ctx: &InstructionCtx, r: &mut Reporter) {
    let Body::Add(add) = &ctx.instruction.body else { return };
    if ctx.instruction.flag("checksum").is_some() {
        return;
    }
    for source in &add.sources {
        let expanded = ctx.expand(&source.text);
        let Some(url) = urls::at_start(&expanded.text) else { continue };
        let Some(protocol) = insecure_protocol(&url, &expanded.text) else { continue };
        let range = if expanded.text == source.text {
            part_range(ctx.doc.text, source.range, &source.text, url.range.clone())
        } else {
            source.range
        };
        let message = format!("`ADD` downloads `{}` over {protocol}", shown(&url, &expanded.text));
        r.report(range, message).help(
            "Use an `https://` URL, and pin the content with `ADD --checksum=sha256:…`, or download it with a checksum check in a `RUN`.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, run, spans};

    #[test]
    fn curl_and_wget_downloads() {
        assert_eq!(
            spans(&RULE, &run("curl -fsSLo /tmp/x.tgz http://x.example/x.tgz")),
            ["http://x.example/x.tgz"]
        );
        assert_eq!(spans(&RULE, &run("wget -q \"http://x.example/a.tgz\"")), ["http://x.example/a.tgz"]);
        assert_eq!(spans(&RULE, &run("wget ftp://ftp.example/pub/x.tgz")), ["ftp://ftp.example/pub/x.tgz"]);
        assert_eq!(spans(&RULE, &run("curl -fsSL HTTP://x.example/i.sh | sh")), ["HTTP://x.example/i.sh"]);
        assert_eq!(
            messages(&RULE, &run("curl -o x http://x.example/x")),
            ["`curl` downloads `http://x.example/x` over plain HTTP"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nARG V=1\nRUN wget http://x.example/$V/x.tgz\n"),
            ["http://x.example/$V/x.tgz"]
        );
        assert_eq!(spans(&RULE, "FROM a\nENV URL=http://x.example/x.tgz\nRUN wget \"$URL\"\n"), ["\"$URL\""]);
        assert_clean(&RULE, "FROM a\nARG URL\nRUN wget \"$URL\"\n");
    }

    #[test]
    fn credentials_are_masked_in_messages() {
        assert_eq!(
            messages(&RULE, &run("curl -o x http://u:secret@x.example/x")),
            ["`curl` downloads `http://u:****@x.example` over plain HTTP"]
        );
    }

    #[test]
    fn local_and_verified_downloads_pass() {
        assert_clean(&RULE, &run("curl -f http://localhost:8080/health"));
        assert_clean(&RULE, &run("curl -s http://169.254.169.254/latest/meta-data/"));
        assert_clean(&RULE, &run("wget -qO- http://127.0.0.1/x"));
        assert_clean(&RULE, &run("curl -x http://proxy.example:3128 https://x.example/y"));
        assert_clean(
            &RULE,
            &run("curl -fsSLo x.tgz http://x.example/x.tgz && echo \"$SHA  x.tgz\" | sha256sum -c -"),
        );
        assert_clean(&RULE, &run("curl -fsSL https://x.example/x"));
        assert_clean(&RULE, &run("echo http://x.example/y"));
    }

    #[test]
    fn package_tools() {
        assert_eq!(
            spans(&RULE, &run("pip install -i http://pypi.example/simple flask")),
            ["http://pypi.example/simple"]
        );
        assert_eq!(
            spans(&RULE, &run("pip3 install --extra-index-url=http://pypi.example/simple flask")),
            ["http://pypi.example/simple"]
        );
        assert_eq!(
            spans(&RULE, &run("python3 -m pip install http://x.example/p.whl")),
            ["http://x.example/p.whl"]
        );
        assert_eq!(
            spans(&RULE, &run("pip install git+http://x.example/r.git")),
            ["git+http://x.example/r.git"]
        );
        assert_eq!(
            spans(&RULE, &run("pip config set global.index-url http://p.example/simple")),
            ["http://p.example/simple"]
        );
        assert_eq!(spans(&RULE, &run("npm config set registry http://r.example/")), ["http://r.example/"]);
        assert_eq!(spans(&RULE, &run("yarn install --registry http://r.example")), ["http://r.example"]);
        assert_eq!(spans(&RULE, &run("gem sources -a http://g.example/")), ["http://g.example/"]);
        assert_eq!(spans(&RULE, &run("git clone http://git.example/r.git")), ["http://git.example/r.git"]);
        assert_eq!(spans(&RULE, &run("git clone git://git.example/r.git")), ["git://git.example/r.git"]);
        assert_eq!(
            spans(&RULE, &run("rpm -Uvh http://dl.example/epel-release.rpm")),
            ["http://dl.example/epel-release.rpm"]
        );
        assert_eq!(
            spans(&RULE, &run("yum-config-manager --add-repo http://r.example/x.repo")),
            ["http://r.example/x.repo"]
        );
        assert_eq!(
            spans(&RULE, &run("apt-key adv --fetch-keys http://k.example/key")),
            ["http://k.example/key"]
        );
        assert_eq!(
            spans(&RULE, &run("helm repo add charts http://c.example/charts")),
            ["http://c.example/charts"]
        );
        assert_clean(&RULE, &run("helm template x --set ingress.url=http://x.example"));
        assert_eq!(
            messages(&RULE, &run("pip install -i http://pypi.example/simple flask")),
            ["`pip` fetches `http://pypi.example/simple` over plain HTTP"]
        );
    }

    #[test]
    fn proxies_and_signed_repositories_pass() {
        assert_clean(&RULE, &run("npm config set proxy http://proxy.example:8080"));
        assert_clean(&RULE, &run("npm config set https-proxy=http://proxy.example:8080"));
        assert_clean(&RULE, &run("pip install --proxy http://proxy.example:3128 flask"));
        assert_clean(&RULE, &run("git config --global http.proxy http://proxy.example:3128"));
        assert_clean(&RULE, &run("apk add --repository http://dl-cdn.alpinelinux.org/alpine/edge/testing x"));
        assert_clean(
            &RULE,
            &run("echo 'deb http://deb.debian.org/debian bookworm main' > /etc/apt/sources.list"),
        );
        assert_clean(&RULE, &run("pip install -i https://pypi.example/simple flask"));
    }

    #[test]
    fn environment_settings() {
        assert_eq!(
            spans(&RULE, "FROM a\nENV PIP_INDEX_URL=http://p.example/simple\n"),
            ["http://p.example/simple"]
        );
        assert_eq!(spans(&RULE, "FROM a\nARG npm_config_registry=http://r.example\n"), ["http://r.example"]);
        assert_eq!(
            spans(&RULE, "FROM a\nENV GOPROXY=\"http://g.example,https://proxy.golang.org,direct\"\n"),
            ["http://g.example"]
        );
        assert_eq!(
            spans(&RULE, &run("PIP_INDEX_URL=http://p.example/simple pip install x")),
            ["http://p.example/simple"]
        );
        assert_eq!(spans(&RULE, &run("go env -w GOPROXY=http://g.example,direct")), ["http://g.example"]);
        assert_eq!(
            messages(&RULE, "FROM a\nENV PIP_INDEX_URL=http://p.example/simple\n"),
            ["`PIP_INDEX_URL` points at `http://p.example/simple` over plain HTTP"]
        );
        assert_clean(&RULE, "FROM a\nENV http_proxy=http://proxy.example:3128 HOME_URL=http://x.example\n");
    }

    #[test]
    fn add_from_http() {
        assert_eq!(spans(&RULE, "FROM a\nADD http://x.example/x.tgz /opt/\n"), ["http://x.example/x.tgz"]);
        assert_eq!(
            spans(&RULE, "FROM a\nONBUILD ADD http://x.example/x.tgz /opt/\n"),
            ["http://x.example/x.tgz"]
        );
        assert_eq!(
            spans(&RULE, "FROM a\nARG BASE=http://x.example\nADD ${BASE}/x.tgz /opt/\n"),
            ["${BASE}/x.tgz"]
        );
        assert_clean(&RULE, "FROM a\nADD --checksum=sha256:0000 http://x.example/x.tgz /opt/\n");
        assert_clean(&RULE, "FROM a\nADD https://x.example/x.tgz /opt/\n");
        assert_clean(&RULE, "FROM a\nADD http.conf /etc/\n");
    }

    #[test]
    fn nested_and_exec_forms() {
        assert_eq!(spans(&RULE, &run("sh -c 'wget http://x.example/x'")), ["http://x.example/x"]);
        assert_eq!(
            spans(&RULE, "FROM a\nRUN [\"curl\", \"-o\", \"x\", \"http://x.example/x\"]\n"),
            ["http://x.example/x"]
        );
    }
}
