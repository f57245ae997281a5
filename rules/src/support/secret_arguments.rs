//! Secrets given to shell commands in their words: `NAME=value` assignments and `env`/`export` words,
//! options (`--password=…`, `--api-key …`), `docker login -p …`, `curl -u user:password` and `config set`
//! commands (`npm config set //registry.npmjs.org/:_authToken …`), with the exact source range of each
//! literal value. Values that come from variables are never reported.

use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::secrets;

/// A literal secret a command is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// `value` given to the variable, setting or option `name` (an option's name starts with `-`).
    Named { range: TextRange, name: String, value: String },
    /// The password of `curl`'s `user:password` option.
    Password { range: TextRange, option: String, password: String },
}

/// A secret-named variable or option given a literal that no token format already covers (some formats,
/// such as AWS secret keys, are only recognised after their variable's name, so the pair is scanned).
pub fn named_literal(name: &str, value: &str) -> bool {
    secrets::is_secret_name(name)
        && secrets::is_literal_secret(value)
        && secrets::find_tokens(&format!("{name}={value}")).is_empty()
}

/// Shell assignments, options and `config set` commands of one simple command that give a secret-named
/// setting a literal; `text` is the whole file.
pub fn in_command(text: &str, command: &Command) -> Vec<Given> {
    let mut out = Vec::new();
    for assignment in &command.assignments {
        if let Some(value) = &assignment.value
            && !value.dynamic
            && named_literal(&assignment.name, &value.text)
        {
            let range = inner(text, value.range, &value.text, 0..value.text.len());
            out.push(named(range, &assignment.name, &value.text));
        }
    }
    // `env NAME=value cmd`, `sudo -E env NAME=value cmd`: the wrapper's own words before the program.
    let wrapper = &command.words[..command.words.len() - command.program().len()];
    for word in wrapper.iter().filter(|w| w.text.contains('=') && !w.text.starts_with('-')) {
        key_value_word(text, word, secrets::is_secret_name, &mut out);
    }
    let args = command.program_args();
    if matches!(command.program_name(), Some("export" | "declare" | "typeset" | "local" | "readonly")) {
        for word in args.iter().filter(|w| !w.text.starts_with('-')) {
            key_value_word(text, word, secrets::is_secret_name, &mut out);
        }
        return out;
    }
    secret_options(text, args, &mut out);
    login_password(text, command.program_name(), args, &mut out);
    curl_user(text, command.program_name(), args, &mut out);
    config_set(text, args, &mut out);
    out
}

fn named(range: TextRange, name: &str, value: &str) -> Given {
    Given::Named { range, name: name.to_string(), value: value.to_string() }
}

/// `NAME=value` in one word: the value, when `secret_name` says the name is a secret's.
fn key_value_word(text: &str, word: &Word, secret_name: impl Fn(&str) -> bool, out: &mut Vec<Given>) {
    let Some((name, value)) = word.text.split_once('=') else { return };
    let literal = secrets::is_literal_secret(value) && secrets::find_tokens(value).is_empty();
    if !word.dynamic && literal && secret_name(name) {
        let start = name.len() + 1;
        out.push(named(inner(text, word.range, &word.text, start..word.text.len()), name, value));
    }
}

/// `--password=value` and `--api-key value`.
fn secret_options(text: &str, args: &[Word], out: &mut Vec<Given>) {
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
                out.push(named(at, &format!("--{name}"), value));
            }
            None => {
                if let Some(value) = args.get(i + 1).filter(|v| !v.dynamic && !v.text.starts_with('-'))
                    && named_literal(name, &value.text)
                {
                    let at = inner(text, value.range, &value.text, 0..value.text.len());
                    out.push(named(at, &word.text, &value.text));
                }
            }
            _ => {}
        }
    }
}

/// `docker login -p value` (and podman, buildah, skopeo, helm registry, oras, crane, nerdctl).
fn login_password(text: &str, program: Option<&str>, args: &[Word], out: &mut Vec<Given>) {
    let registry_cli = matches!(
        program,
        Some("docker" | "podman" | "buildah" | "skopeo" | "helm" | "oras" | "crane" | "nerdctl")
    );
    if !registry_cli || !args.iter().any(|w| w.text == "login") {
        return;
    }
    let Some(i) = args.iter().position(|w| w.text == "-p") else { return };
    if let Some(value) = args.get(i + 1).filter(|v| !v.dynamic && secrets::is_literal_secret(&v.text)) {
        out.push(named(inner(text, value.range, &value.text, 0..value.text.len()), "-p", &value.text));
    }
}

/// `curl -u user:password`, `--user user:password`, `--user=user:password` (without a password curl prompts
/// for it).
fn curl_user(text: &str, program: Option<&str>, args: &[Word], out: &mut Vec<Given>) {
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
            let range = inner(text, holder.range, &holder.text, start..holder.text.len());
            out.push(Given::Password { range, option: option.to_string(), password: password.to_string() });
        }
    }
}

/// `npm config set //registry.npmjs.org/:_authToken value`, `aws configure set aws_secret_access_key
/// value`, `poetry config pypi-token.pypi value`.
fn config_set(text: &str, args: &[Word], out: &mut Vec<Given>) {
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
        key_value_word(text, key, secret_key, out);
        return;
    }
    if let Some(value) = rest.next().filter(|v| !v.dynamic)
        && secret_key(&key.text)
        && secrets::is_literal_secret(&value.text)
        && secrets::find_tokens(&value.text).is_empty()
    {
        out.push(named(inner(text, value.range, &value.text, 0..value.text.len()), &key.text, &value.text));
    }
}

/// The source range of `value[part]`, where `value` is the text of the word at `range` after quote removal:
/// exact when the source differs from the value only by quotes (`KEY="a b"`, `--user='u:p'`), the whole
/// word otherwise (escape sequences).
pub fn inner(text: &str, range: TextRange, value: &str, part: std::ops::Range<usize>) -> TextRange {
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
