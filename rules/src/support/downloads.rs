//! Commands that download: `curl` and `wget` (also `busybox wget`), which URLs they fetch and where the
//! content goes (standard output or a file), and the commands that verify a download (checksums and
//! signatures).

use plimsoll_shell::{Command, CommandId, Script, Word};

use crate::support::shells::basename;

/// A `curl` or `wget` invocation.
#[derive(Clone, Debug)]
pub struct Download<'a> {
    /// The word naming the downloader.
    pub word: &'a Word,
    /// `curl` or `wget`.
    pub tool: &'static str,
    /// The operands (and `--url` values) it fetches.
    pub urls: Vec<&'a Word>,
    pub output: Output,
}

/// Where a download is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Stdout,
    /// A file, as written in the command (`/tmp/install.sh`, `$DIR/x.tgz`).
    File(String),
    /// Cannot tell (`curl -OJ`, a URL ending in `/`).
    Unknown,
}

/// `curl` options that take a value (the next word, or the rest of a short-option cluster).
const CURL_SHORT_VALUES: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";
const CURL_LONG_VALUES: &[&str] = &[
    "abstract-unix-socket",
    "alt-svc",
    "aws-sigv4",
    "cacert",
    "capath",
    "cert",
    "cert-type",
    "ciphers",
    "config",
    "connect-timeout",
    "connect-to",
    "continue-at",
    "cookie",
    "cookie-jar",
    "create-file-mode",
    "data",
    "data-ascii",
    "data-binary",
    "data-raw",
    "data-urlencode",
    "dns-servers",
    "doh-url",
    "dump-header",
    "etag-compare",
    "etag-save",
    "expect100-timeout",
    "form",
    "form-string",
    "ftp-port",
    "header",
    "hsts",
    "interface",
    "json",
    "key",
    "key-type",
    "limit-rate",
    "local-port",
    "login-options",
    "max-filesize",
    "max-redirs",
    "max-time",
    "noproxy",
    "oauth2-bearer",
    "output",
    "output-dir",
    "pass",
    "pinnedpubkey",
    "preproxy",
    "proto",
    "proto-default",
    "proto-redir",
    "proxy",
    "proxy-user",
    "quote",
    "range",
    "referer",
    "request",
    "resolve",
    "retry",
    "retry-delay",
    "retry-max-time",
    "socks4",
    "socks4a",
    "socks5",
    "socks5-hostname",
    "speed-limit",
    "speed-time",
    "stderr",
    "time-cond",
    "tls-max",
    "trace",
    "trace-ascii",
    "unix-socket",
    "upload-file",
    "url",
    "url-query",
    "user",
    "user-agent",
    "variable",
    "write-out",
];
/// `wget` options that take a value.
const WGET_SHORT_VALUES: &str = "aABDeiIloOPQRtTUwX";
const WGET_LONG_VALUES: &[&str] = &[
    "accept",
    "append-output",
    "base",
    "bind-address",
    "body-data",
    "body-file",
    "ca-certificate",
    "ca-directory",
    "certificate",
    "certificate-type",
    "directory-prefix",
    "domains",
    "execute",
    "header",
    "http-password",
    "http-user",
    "input-file",
    "level",
    "limit-rate",
    "load-cookies",
    "method",
    "output-document",
    "output-file",
    "password",
    "post-data",
    "post-file",
    "private-key",
    "private-key-type",
    "quota",
    "referer",
    "reject",
    "restrict-file-names",
    "save-cookies",
    "timeout",
    "tries",
    "user",
    "user-agent",
    "wait",
];

/// One option of a downloader's command line: its name (a letter or a long name) and its value.
struct Opt<'a> {
    name: &'a str,
    value: Option<&'a str>,
}

/// Splits a downloader's arguments into options (with their values) and operands.
fn split<'a>(args: &'a [Word], short_values: &str, long_values: &[&str]) -> (Vec<Opt<'a>>, Vec<&'a Word>) {
    let (mut options, mut operands) = (Vec::new(), Vec::new());
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "--" {
            operands.extend(words.by_ref());
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None if long_values.contains(&long) => (long, words.next().map(|w| w.text.as_str())),
                None => (long, None),
            };
            options.push(Opt { name, value });
            continue;
        }
        let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) else {
            operands.push(word);
            continue;
        };
        for (at, letter) in cluster.char_indices() {
            let name = &cluster[at..at + letter.len_utf8()];
            if short_values.contains(letter) {
                let rest = &cluster[at + letter.len_utf8()..];
                let value = if rest.is_empty() { words.next().map(|w| w.text.as_str()) } else { Some(rest) };
                options.push(Opt { name, value });
                break;
            }
            options.push(Opt { name, value: None });
        }
    }
    (options, operands)
}

/// The `curl`/`wget` a command runs, looking through wrappers and `busybox wget`.
pub fn download(command: &Command) -> Option<Download<'_>> {
    let mut program = command.program();
    let mut name = program.first().and_then(Word::literal).map(basename)?;
    if name == "busybox" && program.get(1).and_then(Word::literal) == Some("wget") {
        program = &program[1..];
        name = "wget";
    }
    let args = &program[1..];
    match name {
        "curl" => {
            let (options, operands) = split(args, CURL_SHORT_VALUES, CURL_LONG_VALUES);
            // `--url` values are fetched too, but only operand words are reported (an option value is not a
            // word of its own).
            let urls = operands;
            let named =
                |long: &str, short: &str| options.iter().rev().find(|o| o.name == long || o.name == short);
            let output = if let Some(file) = named("output", "o").and_then(|o| o.value) {
                if file == "-" { Output::Stdout } else { Output::File(file.to_string()) }
            } else if named("remote-name", "O").is_some() || named("remote-name-all", "").is_some() {
                if named("remote-header-name", "J").is_some() {
                    Output::Unknown
                } else {
                    urls.first().map_or(Output::Unknown, |url| remote_name(&url.text))
                }
            } else {
                stdout_redirect(command).map_or(Output::Stdout, Output::File)
            };
            Some(Download { word: &program[0], tool: "curl", urls, output })
        }
        "wget" => {
            let (options, urls) = split(args, WGET_SHORT_VALUES, WGET_LONG_VALUES);
            let named =
                |long: &str, short: &str| options.iter().rev().find(|o| o.name == long || o.name == short);
            let output = match named("output-document", "O").and_then(|o| o.value) {
                Some("-") => Output::Stdout,
                Some(file) => Output::File(file.to_string()),
                None => match urls.first().map(|url| remote_name(&url.text)) {
                    Some(Output::File(file)) => match named("directory-prefix", "P").and_then(|o| o.value) {
                        Some(dir) => Output::File(format!("{}/{file}", dir.trim_end_matches('/'))),
                        None => Output::File(file),
                    },
                    _ => Output::Unknown,
                },
            };
            Some(Download { word: &program[0], tool: "wget", urls, output })
        }
        _ => None,
    }
}

/// The file name a download of `url` is saved under by `curl -O` or `wget`.
fn remote_name(url: &str) -> Output {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    match path.rsplit('/').next() {
        Some(name) if !name.is_empty() => Output::File(name.to_string()),
        _ => Output::Unknown,
    }
}

/// The file a command's standard output is redirected to (`> file`, `>> file`).
fn stdout_redirect(command: &Command) -> Option<String> {
    command
        .redirects
        .iter()
        .rev()
        .find(|r| matches!(r.operator.as_str(), ">" | ">>" | "1>" | "1>>" | ">|" | "&>" | "&>>"))
        .and_then(|r| r.target.as_ref())
        .map(|t| t.text.clone())
}

/// Whether a command checks a checksum or a signature: `sha256sum` and friends (also when printing a digest
/// to compare), `gpg --verify`, `gpgv`, `cosign verify-blob`, `minisign -V`, `openssl dgst -verify`.
pub fn is_verification(command: &Command) -> bool {
    let Some(name) = command.program_name() else { return false };
    let args = command.program_args();
    let has = |flag: &str| args.iter().any(|a| a.text == flag || a.text.starts_with(&format!("{flag}=")));
    match name {
        "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "shasum" | "md5sum" | "b2sum"
        | "b3sum" | "rhash" | "gpgv" | "gpgv2" | "slsa-verifier" => true,
        "gpg" | "gpg2" => has("--verify") || has("--verify-files"),
        "cosign" => args.first().is_some_and(|a| a.text.starts_with("verify")),
        "minisign" | "signify" => has("-V"),
        "openssl" => has("-verify") || has("-signature"),
        "rpm" => has("-K") || has("--checksig"),
        _ => false,
    }
}

/// Whether a later command of the same script verifies a checksum or signature.
pub fn verified_later(script: &Script, id: CommandId) -> bool {
    script.commands.iter().skip(id + 1).any(is_verification)
}

/// Whether two paths as written name the same file (`./x.sh` and `x.sh`).
pub fn same_path(a: &str, b: &str) -> bool {
    fn normal(path: &str) -> &str {
        let mut path = path;
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        path
    }
    !a.is_empty() && normal(a) == normal(b)
}

#[cfg(test)]
mod tests {
    use plimsoll_dockerfile::{Body, parse};

    use super::*;

    /// (tool, urls, output) of each download in a RUN.
    fn downloads(run: &str) -> Vec<(String, Vec<String>, Output)> {
        let text = format!("FROM a\nRUN {run}\n");
        let file = parse(&text);
        let Body::Run(form) = &file.instructions[1].body else { panic!() };
        form.script()
            .unwrap()
            .commands
            .iter()
            .filter_map(download)
            .map(|d| (d.tool.to_string(), d.urls.iter().map(|u| u.text.clone()).collect(), d.output))
            .collect()
    }

    fn one(run: &str) -> (Vec<String>, Output) {
        let found = downloads(run);
        assert_eq!(found.len(), 1, "{run}");
        (found[0].1.clone(), found[0].2.clone())
    }

    fn file(path: &str) -> Output {
        Output::File(path.to_string())
    }

    #[test]
    fn curl_outputs() {
        assert_eq!(one("curl -fsSL https://x/i.sh"), (vec!["https://x/i.sh".into()], Output::Stdout));
        assert_eq!(one("curl -fsSLo /tmp/i.sh https://x/i.sh").1, file("/tmp/i.sh"));
        assert_eq!(one("curl --output=i.sh https://x/i.sh").1, file("i.sh"));
        assert_eq!(one("curl -o - https://x/i.sh").1, Output::Stdout);
        assert_eq!(one("curl -fsSLO https://x/dl/i.sh?v=1").1, file("i.sh"));
        assert_eq!(one("curl -OJ https://x/dl").1, Output::Unknown);
        assert_eq!(one("curl -s https://x/i.sh > /tmp/i.sh").1, file("/tmp/i.sh"));
        assert_eq!(
            one("curl -H 'Accept: x' -x http://proxy:3128 https://x/y").0,
            vec!["https://x/y".to_string()]
        );
    }

    #[test]
    fn wget_outputs() {
        assert_eq!(one("wget -qO- https://x/i.sh").1, Output::Stdout);
        assert_eq!(one("wget -O - https://x/i.sh").1, Output::Stdout);
        assert_eq!(one("wget --output-document=/tmp/a https://x/i.sh").1, file("/tmp/a"));
        assert_eq!(one("wget https://x/pkg/i.sh").1, file("i.sh"));
        assert_eq!(one("wget -P /tmp/ https://x/pkg/i.sh").1, file("/tmp/i.sh"));
        assert_eq!(one("wget https://x/").1, Output::Unknown);
        assert_eq!(one("busybox wget -q -O /a https://x/i.sh"), (vec!["https://x/i.sh".into()], file("/a")));
    }

    #[test]
    fn wrappers_and_non_downloads() {
        assert_eq!(one("sudo -E curl -L https://x").0, vec!["https://x".to_string()]);
        assert!(downloads("echo curl https://x && curlie https://x").is_empty());
    }

    #[test]
    fn verifications() {
        let text = "FROM a\nRUN echo \"abc  f\" | sha256sum -c - && gpg --verify f.asc f && gpg --import k && cosign verify-blob f && openssl dgst -sha256 f\n";
        let file = parse(text);
        let Body::Run(form) = &file.instructions[1].body else { panic!() };
        let verdicts: Vec<bool> = form.script().unwrap().commands.iter().map(is_verification).collect();
        assert_eq!(verdicts, [false, true, true, false, true, false]);
    }

    #[test]
    fn paths() {
        assert!(same_path("./install.sh", "install.sh"));
        assert!(same_path("/tmp/x", "/tmp/x"));
        assert!(!same_path("/tmp/x", "x"));
        assert!(!same_path("", ""));
    }
}
