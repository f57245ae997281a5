//! Secrets: which variable names say they hold one, which literal values are credentials by their
//! well-known formats (with the exact byte range of each), which values are placeholders rather than
//! real secrets, and how to show a secret in a message without repeating it.
//!
//! The name classifier reads a name as words (`AWS_SECRET_ACCESS_KEY`, `dbPassword`, `--api-key` all
//! split the same way) and decides on the last secret word: `GITHUB_TOKEN` holds a secret,
//! `GITHUB_TOKEN_FILE` names a file that holds one, `TOKEN_URL`, `GPG_KEY`, `PUBLIC_KEY`,
//! `AWS_ACCESS_KEY_ID` and `MYSQL_ALLOW_EMPTY_PASSWORD` hold neither.

use std::collections::HashSet;
use std::ops::Range;

/// What a variable or option name says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// The value is a secret: `NPM_TOKEN`, `DB_PASSWORD`, `API_KEY`, `apiKey`.
    Secret,
    /// The value is the path of a file holding a secret: `DB_PASSWORD_FILE`,
    /// `GOOGLE_APPLICATION_CREDENTIALS`, `KUBECONFIG`.
    SecretFile,
    /// Anything else, including settings about secrets (`TOKEN_TTL`) and identifiers (`AWS_ACCESS_KEY_ID`).
    Other,
}

/// Whether the value of a variable or option with this name is a secret.
pub fn is_secret_name(name: &str) -> bool {
    classify_name(name) == NameKind::Secret
}

/// Whether a variable with this name holds the path of a credential file.
pub fn is_secret_file_name(name: &str) -> bool {
    classify_name(name) == NameKind::SecretFile
}

/// Well-known variables whose value is a credential file's path, whatever their words say.
const CREDENTIAL_PATH_VARS: &[&str] = &[
    "GOOGLE_APPLICATION_CREDENTIALS",
    "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE",
    "KUBECONFIG",
    "NETRC",
    "PGPASSFILE",
    "NPM_CONFIG_USERCONFIG",
    "AZURE_CLIENT_CERTIFICATE_PATH",
];

/// Well-known variables and settings that hold a secret although their words do not say so (`_auth` is
/// npm's base64 `user:password`; the OCI CLI reads its private key from `OCI_CLI_KEY_CONTENT`; the Azure
/// Batch CLI its account key from `AZURE_BATCH_KEY`).
const SECRET_VARS: &[&str] = &[
    "DOCKER_AUTH_CONFIG",
    "_AUTH",
    "NPM_CONFIG__AUTH",
    "VAULT_DEV_ROOT_TOKEN_ID",
    "OCI_CLI_KEY_CONTENT",
    "AZURE_BATCH_KEY",
];

/// Families of secret variables named `<prefix><host or index>` (`TF_TOKEN_app_terraform_io`).
const SECRET_VAR_PREFIXES: &[&str] = &["TF_TOKEN_", "POETRY_PYPI_TOKEN_"];

/// Front-end build tools expose variables with these prefixes to the bundle; the rest of the name is what
/// counts (`VITE_OPENAI_API_KEY` is an API key).
const FRONTEND_PREFIXES: &[&[&str]] =
    &[&["vite"], &["react", "app"], &["next", "public"], &["expo", "public"]];

/// Words that hold a secret on their own (`PASSWORD`, `DB_PASSWORD`, `PGPASSWORD` as one word).
const STRONG_NOUNS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pword",
    "secret",
    "secrets",
    "token",
    "credential",
    "credentials",
    "creds",
    "apikey",
    "authkey",
];

/// Words that hold a secret after another word (`MYSQL_PWD`, `MAIL_PASS`, `GH_PAT`, `COMPOSER_AUTH`); alone
/// they mean something else (`PWD` is the working directory).
const QUALIFIED_NOUNS: &[&str] = &["pwd", "pass", "pat", "auth"];

/// Words before `key` that make it a secret key (`API_KEY`, `AWS_SECRET_ACCESS_KEY`, `RAILS_MASTER_KEY`);
/// other keys are identifiers or public (`GPG_KEY`, `PUBLIC_KEY`, `SORT_KEY`, `APT_KEY_…`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "secret",
    "private",
    "priv",
    "access",
    "encryption",
    "encrypt",
    "crypt",
    "crypto",
    "cipher",
    "signing",
    "master",
    "license",
    "licence",
    "client",
    "auth",
    "app",
    "account",
    "service",
    "role",
    "ssh",
    "deploy",
    "hmac",
    "jwt",
    "session",
    "cookie",
    "consumer",
    "subscription",
    "storage",
    "shared",
    "admin",
    "write",
    "ingest",
    "webhook",
    "fernet",
    "rsa",
    "ecdsa",
    "ed25519",
];

/// Words that, anywhere before the secret word, make the name a setting about secrets rather than a
/// secret (`MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`, `SKIP_AUTH`, `MAX_TOKEN…`).
const NEGATORS: &[&str] = &[
    "public",
    "publishable",
    "pub",
    "anon",
    "allow",
    "empty",
    "random",
    "generate",
    "gen",
    "enable",
    "enabled",
    "disable",
    "disabled",
    "skip",
    "no",
    "use",
    "with",
    "without",
    "require",
    "required",
    "reset",
    "max",
    "min",
    "num",
    "policy",
    "show",
    "hide",
    "has",
    "is",
    "ignore",
    "prompt",
    "insecure",
];

/// Words that may follow the secret word with the value still being the secret (`SECRET_KEY_BASE`,
/// `API_KEY_2`, `GOOGLE_CREDENTIALS_JSON`, `STRIPE_SECRET_KEY_LIVE`).
const VALUE_SUFFIXES: &[&str] = &[
    "base",
    "value",
    "val",
    "b64",
    "base64",
    "json",
    "raw",
    "plain",
    "plaintext",
    "str",
    "string",
    "data",
    "content",
    "contents",
    "hex",
    "pem",
    "live",
    "prod",
    "production",
    "dev",
    "development",
    "staging",
    "stage",
    "test",
    "local",
];

/// Words after the secret word that make the value a file's path (`DB_PASSWORD_FILE`, `TOKEN_PATH`).
const FILE_SUFFIXES: &[&str] = &["file", "path", "filename", "filepath", "location"];

/// Classifies a variable or option name.
pub fn classify_name(name: &str) -> NameKind {
    let upper = name.trim_start_matches('-').to_ascii_uppercase();
    if CREDENTIAL_PATH_VARS.contains(&upper.as_str()) {
        return NameKind::SecretFile;
    }
    if SECRET_VARS.contains(&upper.as_str()) || SECRET_VAR_PREFIXES.iter().any(|p| upper.starts_with(p)) {
        return NameKind::Secret;
    }
    let mut words = words(name);
    let has_prefix = |p: &&&[&str]| words.len() > p.len() && words.iter().zip(p.iter()).all(|(w, p)| w == p);
    if let Some(prefix) = FRONTEND_PREFIXES.iter().find(has_prefix) {
        words.drain(..prefix.len());
    }
    let Some(at) = (0..words.len()).rev().find(|&i| is_secret_word(&words, i)) else {
        return NameKind::Other;
    };
    if words[..at].iter().any(|w| NEGATORS.contains(&w.as_str())) {
        return NameKind::Other;
    }
    let rest = &words[at + 1..];
    if rest.iter().all(|w| is_value_suffix(w)) {
        NameKind::Secret
    } else if rest.len() == 1 && FILE_SUFFIXES.contains(&rest[0].as_str()) {
        NameKind::SecretFile
    } else {
        NameKind::Other
    }
}

fn is_value_suffix(word: &str) -> bool {
    VALUE_SUFFIXES.contains(&word)
        || word.bytes().all(|b| b.is_ascii_digit())
        || word.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_secret_word(words: &[String], i: usize) -> bool {
    let word = words[i].as_str();
    let previous = i.checked_sub(1).map(|p| words[p].as_str());
    if STRONG_NOUNS.contains(&word) {
        return true;
    }
    // One-word compounds: PGPASSWORD, AUTHTOKEN, CLIENTSECRET, PRIVATEKEY, TS_AUTHKEY.
    let compound = [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "secretkey",
        "accesskey",
        "authkey",
    ]
    .iter()
    .any(|noun| word.len() > noun.len() && word.ends_with(noun));
    if compound {
        return true;
    }
    match word {
        // nginx's PROXY_PASS and its relatives are upstream addresses.
        "pass" => previous.is_some_and(|p| !matches!(p, "proxy" | "fastcgi" | "uwsgi" | "grpc" | "scgi")),
        w if QUALIFIED_NOUNS.contains(&w) => previous.is_some(),
        "key" | "keys" => previous.is_some_and(|p| KEY_QUALIFIERS.contains(&p)),
        // AZURE_STORAGE_CONNECTION_STRING carries the account key.
        "string" => previous == Some("connection"),
        "connstr" => true,
        // The shared secret of Erlang and Elixir distribution (RABBITMQ_ERLANG_COOKIE, RELEASE_COOKIE).
        "cookie" => matches!(previous, Some("erlang" | "release")),
        _ => false,
    }
}

/// Splits a name into lower-case words at `_`, `-`, `.` and other punctuation, and at camelCase
/// boundaries (`dbPassword` → db, password; `APIKey` → api, key).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = segment.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (before, c) = (chars[i - 1], chars[i]);
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let boundary = c.is_ascii_uppercase()
                && (before.is_ascii_lowercase()
                    || before.is_ascii_digit()
                    || (before.is_ascii_uppercase() && next_lower));
            if boundary {
                out.push(chars[start..i].iter().collect::<String>().to_ascii_lowercase());
                start = i;
            }
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect::<String>().to_ascii_lowercase());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Values

/// Values that stand for "put the real secret here" or for nothing at all.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "apikey",
    "api_key",
    "changeme",
    "changeit",
    "example",
    "sample",
    "dummy",
    "fake",
    "test",
    "testing",
    "placeholder",
    "default",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "unset",
    "notset",
    "todo",
    "tbd",
    "redacted",
    "hidden",
    "masked",
    "n/a",
    "na",
    "foo",
    "bar",
    "baz",
    "foobar",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
];

/// Fragments that mark a value as a placeholder wherever they appear.
const PLACEHOLDER_FRAGMENTS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change_this",
    "change-this",
    "replace",
    "placeholder",
    "your",
    "dummy",
    "fake",
    "sample",
    "redacted",
    "xxxx",
    "****",
    "...",
    "\u{2026}",
    "fixme",
    "todo",
    "please",
    "setme",
    "set_me",
    "set-me",
    "set me",
    "insert",
    "notreal",
    "not_real",
    "not-real",
    "not_a_",
    "not-a-",
    "_here",
    "-here",
    " here",
];

/// Whether a value is a placeholder rather than a real secret: empty, a word such as `changeme`,
/// `example` or `<token>`, a template (`{{ .Token }}`, `${TOKEN}`, `%TOKEN%`), or one character repeated
/// (`XXXXXXXX`, `00000000-0000-0000-0000-000000000000`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) || PLACEHOLDER_FRAGMENTS.iter().any(|f| lower.contains(f))
    {
        return true;
    }
    let templated = (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.len() > 1 && v.starts_with('%') && v.ends_with('%'))
        || v.contains("{{")
        || v.contains("${");
    if templated {
        return true;
    }
    let distinct: HashSet<char> = v.chars().filter(|c| c.is_alphanumeric()).collect();
    distinct.len() <= 2
}

/// Whether a literal value assigned to a secret-named variable or option is a real credential: not a
/// placeholder, not a variable reference, and not something that cannot be a secret (a path, a URL
/// without credentials, a number or switch).
pub fn is_literal_secret(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains('$') || v.contains('`') || is_placeholder(v) {
        return false;
    }
    let path = v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || v.as_bytes().get(1..3) == Some(b":\\");
    let url_without_credentials = v.contains("://") && !v.contains('@');
    let small_number = v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit());
    !(path || url_without_credentials || small_number)
}

/// Whether a value given to a secret's name cannot be the secret: empty, a path, a URL without
/// credentials, a number or switch (`ENV JWT_SECRET=/run/secrets/jwt`, `ARG BASIC_AUTH=false`). Variable
/// references and placeholders are not inert: the real secret may arrive through them.
pub fn is_inert_value(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1")
        || (!v.contains('$') && !is_placeholder(v) && !is_literal_secret(v))
}

/// Whether `value`, assigned to `name`, is a hardcoded credential: it contains a token of a known format,
/// or `name` is a secret's name and the value is a real literal. This is `SEC002`'s test for `ARG`/`ENV`;
/// `SEC001` leaves what it claims alone.
pub fn is_hardcoded(name: &str, value: &str) -> bool {
    !find_tokens(value).is_empty() || (is_secret_name(name) && is_literal_secret(value))
}

/// How a secret is shown in messages: its first four characters when it is long enough that they give
/// little away (12 characters or more), otherwise nothing.
pub fn masked(secret: &str) -> Option<String> {
    (secret.chars().count() >= 12).then(|| format!("{}…", secret.chars().take(4).collect::<String>()))
}

// ---------------------------------------------------------------------------------------------------
// Token formats

/// A credential found in a text by its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is, for messages: "GitHub token", "AWS access key ID".
    pub kind: &'static str,
    /// Byte range of the credential in the scanned text.
    pub range: Range<usize>,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.range.clone()]
    }
}

type ByteClass = fn(u8) -> bool;

fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn urlsafe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}
fn upper_base32(b: u8) -> bool {
    b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
}
fn letters(b: u8) -> bool {
    b.is_ascii_alphabetic()
}
fn hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}
fn lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}
fn uuid_chars(b: u8) -> bool {
    lower_hex(b) || b == b'-'
}
fn base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// A token that starts with a fixed prefix and continues with `len` characters of `body`.
struct Prefixed {
    kind: &'static str,
    prefix: &'static str,
    body: ByteClass,
    len: (usize, usize),
    /// A further test of the body.
    check: Option<fn(&str) -> bool>,
}

const fn prefixed(
    kind: &'static str,
    prefix: &'static str,
    body: ByteClass,
    min: usize,
    max: usize,
) -> Prefixed {
    Prefixed { kind, prefix, body, len: (min, max), check: None }
}

const PREFIXED: &[Prefixed] = &[
    prefixed("GitHub token", "ghp_", alnum, 36, 255),
    prefixed("GitHub token", "gho_", alnum, 36, 255),
    prefixed("GitHub token", "ghu_", alnum, 36, 255),
    prefixed("GitHub token", "ghs_", alnum, 36, 255),
    prefixed("GitHub token", "ghr_", alnum, 36, 255),
    prefixed("GitHub token", "github_pat_", alnum_underscore, 50, 255),
    prefixed("GitLab token", "glpat-", urlsafe, 20, 255),
    prefixed("GitLab token", "gldt-", urlsafe, 20, 255),
    prefixed("GitLab token", "glrt-", urlsafe, 20, 255),
    prefixed("GitLab token", "glptt-", urlsafe, 20, 255),
    prefixed("Slack token", "xoxb-", alnum_dash, 20, 255),
    prefixed("Slack token", "xoxa-", alnum_dash, 20, 255),
    prefixed("Slack token", "xoxp-", alnum_dash, 20, 255),
    prefixed("Slack token", "xoxr-", alnum_dash, 20, 255),
    prefixed("Slack token", "xoxs-", alnum_dash, 20, 255),
    prefixed("Slack token", "xapp-", alnum_dash, 20, 255),
    prefixed("Stripe secret key", "sk_live_", alnum, 24, 255),
    prefixed("Stripe secret key", "rk_live_", alnum, 24, 255),
    prefixed("Google API key", "AIza", urlsafe, 35, 35),
    prefixed("npm token", "npm_", alnum, 36, 36),
    prefixed("PyPI token", "pypi-AgEIcHlwaS5vcmc", urlsafe, 50, 512),
    prefixed("Docker Hub access token", "dckr_pat_", urlsafe, 27, 255),
    prefixed("Docker Hub access token", "dckr_oat_", urlsafe, 27, 255),
    prefixed("OpenAI API key", "sk-proj-", urlsafe, 40, 512),
    prefixed("OpenAI API key", "sk-svcacct-", urlsafe, 40, 512),
    prefixed("OpenAI API key", "sk-admin-", urlsafe, 40, 512),
    Prefixed {
        kind: "OpenAI API key",
        prefix: "sk-",
        body: alnum,
        len: (48, 48),
        // Legacy keys embed "OpenAI" in base64.
        check: Some(|body| body.contains("T3BlbkFJ")),
    },
    prefixed("Anthropic API key", "sk-ant-api03-", urlsafe, 80, 255),
    prefixed("Anthropic API key", "sk-ant-admin01-", urlsafe, 80, 255),
    prefixed("AWS access key ID", "AKIA", upper_base32, 16, 16),
    Prefixed {
        kind: "AWS access key ID",
        prefix: "ASIA",
        body: upper_base32,
        len: (16, 16),
        // "ASIA" starts English words too (`ASIAPACIFICSOUTHEAST`); temporary key IDs have digits.
        check: Some(|body| body.bytes().any(|b| b.is_ascii_digit())),
    },
    prefixed("Square access token", "sq0atp-", urlsafe, 22, 22),
    prefixed("Square OAuth secret", "sq0csp-", urlsafe, 43, 43),
    Prefixed {
        kind: "Amazon MWS auth token",
        prefix: "amzn.mws.",
        body: uuid_chars,
        len: (36, 36),
        check: Some(is_uuid),
    },
    Prefixed {
        kind: "Hugging Face token",
        prefix: "hf_",
        body: letters,
        len: (34, 34),
        check: Some(|body| {
            body.bytes().any(|b| b.is_ascii_uppercase()) && body.bytes().any(|b| b.is_ascii_lowercase())
        }),
    },
    prefixed("HashiCorp Vault token", "hvs.", urlsafe, 24, 255),
    prefixed("HashiCorp Vault token", "hvb.", urlsafe, 24, 255),
    prefixed("DigitalOcean token", "dop_v1_", lower_hex, 64, 64),
    prefixed("DigitalOcean token", "doo_v1_", lower_hex, 64, 64),
    prefixed("Shopify access token", "shpat_", hex, 32, 32),
    prefixed("Shopify access token", "shpss_", hex, 32, 32),
];

fn is_uuid(s: &str) -> bool {
    let groups: Vec<usize> = s.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Length of the run of `class` bytes starting at `at`.
// Generic rather than a `ByteClass` so the scanners' own classes inline: the scan calls it on every byte.
fn run(bytes: &[u8], at: usize, class: impl Fn(u8) -> bool) -> usize {
    bytes[at.min(bytes.len())..].iter().take_while(|&&b| class(b)).count()
}

/// Whether a token body is a stand-in (`ghp_xxxxxxxx…`, `AKIAIOSFODNN7EXAMPLE`, `glpat-your-token-here`).
fn is_placeholder_body(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    let words = [
        "example",
        "xxxx",
        "your",
        "placeholder",
        "dummy",
        "fake",
        "sample",
        "redacted",
        "changeme",
        "0000000",
    ];
    if words.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let distinct: HashSet<u8> = body.bytes().filter(u8::is_ascii_alphanumeric).collect();
    distinct.len() <= 3
}

/// Every credential of a known format in `text`, in order, with exact byte ranges.
pub fn find_tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    // Most scanned texts are short YAML values: shorter than any token, and without the `=` of the formats
    // found by a marker, they hold none.
    if bytes.len() < MIN_TOKEN_LEN && !bytes.contains(&b'=') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !token_byte(bytes[at]) {
            at += 1;
            continue;
        }
        // The run of token bytes `at` starts, measured once, so that a long run with many word starts
        // inside (a base64 blob with `/` and `+`) stays linear. Most runs (words) are far shorter than any
        // token and are skipped whole without trying each format.
        let run_end = at + run(bytes, at, token_byte);
        if run_end - at < MIN_TOKEN_LEN {
            at = run_end;
            continue;
        }
        while at < run_end {
            let starts_word = at == 0 || !is_word_byte(bytes[at - 1]);
            if starts_word
                && run_end - at >= MIN_TOKEN_LEN
                && let Some(token) = token_at(text, at)
            {
                at = token.range.end;
                out.push(token);
            } else {
                at += 1;
            }
        }
    }
    // The formats found by a marker are skipped cheaply in the many short values that cannot hold them.
    if text.len() > PRIVATE_KEY_MIN_LEN && bytes.contains(&b'-') {
        out.extend(private_key_blocks(text));
    }
    if bytes.contains(&b'=') {
        out.extend(azure_keys(text));
        out.extend(connection_string_passwords(text));
    }
    out.sort_by_key(|t| t.range.start);
    out
}

/// The shortest text any token format can match (prefix plus shortest body; the other formats are longer).
const MIN_TOKEN_LEN: usize = {
    let mut min = 33; // a JSON Web Token: three parts of at least 10 characters
    let mut i = 0;
    while i < PREFIXED.len() {
        let len = PREFIXED[i].prefix.len() + PREFIXED[i].len.0;
        if len < min {
            min = len;
        }
        i += 1;
    }
    min
};

/// Every byte that can occur in a token of any format (URLs of webhooks included).
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_./+=:".contains(&b)
}

fn token_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let rest = &bytes[at..];
    for format in PREFIXED {
        if !rest.starts_with(format.prefix.as_bytes()) {
            continue;
        }
        let body_start = at + format.prefix.len();
        let len = run(bytes, body_start, format.body);
        let body = &text[body_start..body_start + len];
        let (min, max) = format.len;
        if (min..=max).contains(&len)
            && format.check.is_none_or(|check| check(body))
            && !is_placeholder_body(body)
        {
            return Some(Token { kind: format.kind, range: at..body_start + len });
        }
    }
    jwt_at(text, at)
        .or_else(|| sendgrid_at(text, at))
        .or_else(|| mailchimp_at(text, at))
        .or_else(|| slack_webhook_at(text, at))
        .or_else(|| terraform_at(text, at))
        .or_else(|| aws_secret_key_at(text, at))
}

/// `eyJ….eyJ….signature`: a JSON Web Token, a bearer credential. Tokens whose payload says they are
/// Supabase's public `anon` role are left alone.
fn jwt_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    if !bytes[at..].starts_with(b"eyJ") {
        return None;
    }
    let header = run(bytes, at, urlsafe);
    let payload_at = at + header + 1;
    if header < 10 || bytes.get(at + header) != Some(&b'.') || !bytes[payload_at..].starts_with(b"eyJ") {
        return None;
    }
    let payload = run(bytes, payload_at, urlsafe);
    let signature_at = payload_at + payload + 1;
    if payload < 10 || bytes.get(payload_at + payload) != Some(&b'.') {
        return None;
    }
    let signature = run(bytes, signature_at, urlsafe);
    if signature < 10 {
        return None;
    }
    let claims = decode_base64url(&text[payload_at..payload_at + payload]).unwrap_or_default();
    let compact: String = String::from_utf8_lossy(&claims).chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("\"role\":\"anon\"") {
        return None;
    }
    Some(Token { kind: "JSON Web Token", range: at..signature_at + signature })
}

fn decode_base64url(s: &str) -> Option<Vec<u8>> {
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for b in s.bytes().filter(|&b| b != b'=') {
        acc = (acc << 6) | value(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// `SG.<22>.<43>`: a SendGrid API key.
fn sendgrid_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    if !bytes[at..].starts_with(b"SG.") {
        return None;
    }
    let first = run(bytes, at + 3, urlsafe);
    let second_at = at + 3 + first + 1;
    if first != 22 || bytes.get(at + 3 + first) != Some(&b'.') {
        return None;
    }
    let second = run(bytes, second_at, urlsafe);
    let body = &text[at + 3..second_at + second];
    (second == 43 && !is_placeholder_body(body))
        .then_some(Token { kind: "SendGrid API key", range: at..second_at + second })
}

/// `<32 hex>-us<N>`: a Mailchimp API key.
fn mailchimp_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let key = run(bytes, at, lower_hex);
    if key != 32 || !bytes[at + key..].starts_with(b"-us") {
        return None;
    }
    let digits = run(bytes, at + key + 3, |b| b.is_ascii_digit());
    let end = at + key + 3 + digits;
    let ends_word = bytes.get(end).is_none_or(|&b| !is_word_byte(b));
    ((1..=2).contains(&digits) && ends_word && !is_placeholder_body(&text[at..at + key]))
        .then_some(Token { kind: "Mailchimp API key", range: at..end })
}

/// `https://hooks.slack.com/services/T…/B…/…`: a Slack incoming webhook, which anyone can post to.
fn slack_webhook_at(text: &str, at: usize) -> Option<Token> {
    const PREFIX: &[u8] = b"https://hooks.slack.com/services/";
    let bytes = text.as_bytes();
    if !bytes[at..].starts_with(PREFIX) {
        return None;
    }
    let mut end = at + PREFIX.len();
    for (lead, min) in [(Some(b'T'), 8), (Some(b'B'), 8), (None, 20)] {
        if lead.is_some_and(|l| bytes.get(end) != Some(&l)) {
            return None;
        }
        let part = run(bytes, end, alnum);
        if part < min {
            return None;
        }
        end += part;
        if lead.is_some() {
            if bytes.get(end) != Some(&b'/') {
                return None;
            }
            end += 1;
        }
    }
    let secret = &text[at + PREFIX.len()..end];
    (!is_placeholder_body(secret)).then_some(Token { kind: "Slack webhook URL", range: at..end })
}

/// `<14>.atlasv1.<60+>`: a Terraform Cloud / Enterprise API token.
fn terraform_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let id = run(bytes, at, alnum);
    if id != 14 || !bytes[at + id..].starts_with(b".atlasv1.") {
        return None;
    }
    let body_at = at + id + 9;
    let body = run(bytes, body_at, urlsafe);
    (body >= 60 && !is_placeholder_body(&text[body_at..body_at + body]))
        .then_some(Token { kind: "Terraform Cloud token", range: at..body_at + body })
}

/// A 40-character AWS secret access key. Such strings are too common to flag alone, so the key must follow
/// an AWS key name (`AWS_SECRET_ACCESS_KEY=`, `aws_secret_access_key = `, `--aws-secret-key `).
fn aws_secret_key_at(text: &str, at: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    if at > 0 && base64(bytes[at - 1]) {
        return None;
    }
    let len = run(bytes, at, base64);
    if len != 40 || bytes.get(at + len) == Some(&b'=') {
        return None;
    }
    let key = &text[at..at + len];
    let mixed = key.bytes().any(|b| b.is_ascii_uppercase())
        && key.bytes().any(|b| b.is_ascii_lowercase())
        && key.bytes().any(|b| b.is_ascii_digit() || b == b'/' || b == b'+');
    if !mixed || key.starts_with('/') || is_placeholder_body(key) {
        return None;
    }
    let name = name_before(text, at)?.to_ascii_lowercase();
    let aws = name.contains("aws") || name.contains("secret_access") || name.contains("secretaccess");
    (aws && (name.contains("key") || name.contains("secret")))
        .then_some(Token { kind: "AWS secret access key", range: at..at + len })
}

/// The identifier just before a value: `NAME=`, `NAME = `, `NAME: `, `NAME "` or `name ` (a few separator
/// characters back).
fn name_before(text: &str, at: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut end = at;
    let mut skipped = 0;
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t' | b'"' | b'\'' | b'=' | b':') && skipped < 4 {
        end -= 1;
        skipped += 1;
    }
    let start = bytes[..end]
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'))
        .map_or(0, |p| p + 1);
    (start < end && skipped > 0).then(|| &text[start..end])
}

/// `-----BEGIN … PRIVATE KEY-----` followed by key material (a header followed by `...` is an example).
/// No private key block is shorter: its BEGIN and END lines alone are longer.
const PRIVATE_KEY_MIN_LEN: usize = 50;

fn private_key_blocks(text: &str) -> Vec<Token> {
    const BEGIN: &str = "-----BEGIN ";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(BEGIN) {
        let start = from + found;
        from = start + BEGIN.len();
        let Some(label_len) = text[from..].find("-----") else { break };
        let label = &text[from..from + label_len];
        let end = from + label_len + 5;
        let private = label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK");
        if !private || label.contains('\n') {
            continue;
        }
        let after = &text[end..];
        let body = &after[..after.find("-----END").unwrap_or(after.len().min(4096))];
        let material = body
            .lines()
            .filter(|line| !line.contains(':'))
            .flat_map(str::bytes)
            .filter(|&b| base64(b) || b == b'=')
            .count();
        if material >= 40 && !is_placeholder_body(body) {
            out.push(Token { kind: "Private key", range: start..end });
        }
        from = end;
    }
    out
}

/// `AccountKey=<88 base64>` in an Azure Storage connection string, and `SharedAccessKey=` of Service Bus
/// and Event Hubs connection strings.
fn azure_keys(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (marker, kind, min) in [
        ("AccountKey=", "Azure Storage account key", 86),
        ("SharedAccessKey=", "Azure shared access key", 43),
    ] {
        let mut from = 0;
        while let Some(found) = text[from..].find(marker) {
            let value_at = from + found + marker.len();
            let len = run(text.as_bytes(), value_at, |b| base64(b) || b == b'=');
            let value = &text[value_at..value_at + len];
            if len >= min && !is_placeholder_body(value) {
                out.push(Token { kind, range: value_at..value_at + len });
            }
            from = value_at;
        }
    }
    out
}

/// `Password=…` / `Pwd=…` after `;`, `?` or `&`: the password of a database connection string
/// (`Server=db;User Id=sa;Password=…;`) or a JDBC / URL query (`?user=app&password=…`).
fn connection_string_passwords(text: &str) -> Vec<Token> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for key in ["password=", "pwd="] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let key_at = from + found;
            let value_at = key_at + key.len();
            from = value_at;
            let before = bytes[..key_at].iter().rev().find(|b| !b.is_ascii_whitespace());
            if !matches!(before, Some(b';' | b'?' | b'&')) {
                continue;
            }
            let len = bytes[value_at..]
                .iter()
                .take_while(|&&b| !matches!(b, b';' | b'&' | b'"' | b'\'' | b'`') && !b.is_ascii_whitespace())
                .count();
            let value = &text[value_at..value_at + len];
            if is_literal_secret(value) {
                out.push(Token { kind: "Connection string password", range: value_at..value_at + len });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        let secret = [
            "PASSWORD",
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "PGPASSWORD",
            "MYSQL_PWD",
            "MYSQL_PASSWD",
            "MAIL_PASS",
            "SECRET",
            "JWT_SECRET",
            "CLIENT_SECRET",
            "AZURE_CLIENT_SECRET",
            "NEXTAUTH_SECRET",
            "TOKEN",
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "NPM_TOKEN",
            "NODE_AUTH_TOKEN",
            "VAULT_TOKEN",
            "HF_TOKEN",
            "AWS_SESSION_TOKEN",
            "HUBOT_SLACK_TOKEN",
            "GITHUB_PAT",
            "CR_PAT",
            "API_KEY",
            "APIKEY",
            "OPENAI_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY",
            "SECRET_KEY_BASE",
            "DJANGO_SECRET_KEY",
            "RAILS_MASTER_KEY",
            "AIRFLOW__CORE__FERNET_KEY",
            "SSH_PRIVATE_KEY",
            "PRIVATE_KEY",
            "ENCRYPTION_KEY",
            "SUPABASE_SERVICE_ROLE_KEY",
            "GOOGLE_CREDENTIALS",
            "GOOGLE_CREDENTIALS_JSON",
            "DOCKER_PASSWORD",
            "DOCKERHUB_PASSWORD",
            "DOCKER_AUTH_CONFIG",
            "COMPOSER_AUTH",
            "REDISCLI_AUTH",
            "NPM_CONFIG__AUTH",
            "AZURE_STORAGE_CONNECTION_STRING",
            "API_KEY_2",
            "STRIPE_SECRET_KEY_LIVE",
            "KEYSTORE_PASSWORD",
            "BORG_PASSPHRASE",
            "TF_TOKEN_app_terraform_io",
            "VITE_OPENAI_API_KEY",
            "REACT_APP_API_TOKEN",
            "NEXT_PUBLIC_API_KEY",
            "dbPassword",
            "apiKey",
            "_authToken",
            "picaticToken",
            "--password",
            "--api-key",
            "--client-secret",
            "TS_AUTHKEY",
            "RABBITMQ_ERLANG_COOKIE",
            "RELEASE_COOKIE",
            "VAULT_DEV_ROOT_TOKEN_ID",
            "WORDPRESS_AUTH_KEY",
            "DD_APP_KEY",
            "N8N_BASIC_AUTH_PASSWORD",
            "KC_DB_PASSWORD",
            "RABBITMQ_DEFAULT_PASS",
            "MEILI_MASTER_KEY",
            "_auth",
            "OCI_CLI_KEY_CONTENT",
            "AZURE_BATCH_KEY",
        ];
        for name in secret {
            assert_eq!(classify_name(name), NameKind::Secret, "{name}");
        }
    }

    #[test]
    fn names_that_are_not_secrets() {
        let other = [
            "PWD",
            "PASS",
            "KEY",
            "GPG_KEY",
            "GPG_KEYS",
            "PGP_KEY",
            "PUBLIC_KEY",
            "JWT_PUBLIC_KEY",
            "KEY_SERVER",
            "KEYSERVER",
            "GPG_KEYRING",
            "KEY_ID",
            "AWS_ACCESS_KEY_ID",
            "SIGNING_KEY_ID",
            "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
            "NGROK_CA_KEY",
            "USERNAME",
            "DB_USER",
            "USER_UID",
            "TOKEN_URL",
            "TOKEN_ENDPOINT",
            "TOKEN_TTL",
            "MAX_TOKENS",
            "OPENAI_MAX_TOKENS",
            "TOKENIZERS_PARALLELISM",
            "SECRET_NAME",
            "SECRETS_DIR",
            "SECRETFILE",
            "SECRET_KEY_BASE_DUMMY",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "POSTGRES_HOST_AUTH_METHOD",
            "AUTH_ENABLED",
            "SKIP_AUTH",
            "AUTHOR",
            "OAUTH",
            "SSH_AUTH_SOCK",
            "GIT_ASKPASS",
            "PROXY_PASS",
            "BYPASS",
            "GOPRIVATE",
            "TRAVIS_SUDO",
            "FACEBOOK_APP_ID",
            "NODE_TLS_REJECT_UNAUTHORIZED",
            "PASSWORD_MIN_LENGTH",
            "ADMIN_PASSWORD_HASH",
            "NEXT_PUBLIC_SUPABASE_ANON_KEY",
            "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
            "RECAPTCHA_SITE_KEY",
            "CREDENTIAL_HELPER",
            "--password-stdin",
            "--no-auth",
            "SESSION_COOKIE_NAME",
            "CSRF_COOKIE_SECURE",
            "N8N_BASIC_AUTH_ACTIVE",
            "GF_AUTH_ANONYMOUS_ENABLED",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "API_KEY_HEADER",
            "KEY_VAULT_NAME",
            "GOOGLE_CLIENT_ID",
            "MONGO_INITDB_ROOT_USERNAME",
            "PASS_MAX_DAYS",
            "USE_PASSWORD_AUTH",
            "PASSWORD_AUTHENTICATION",
            "VITE_API_BASE_URL",
        ];
        for name in other {
            assert_eq!(classify_name(name), NameKind::Other, "{name}");
        }
    }

    #[test]
    fn names_of_credential_files() {
        for name in [
            "DB_PASSWORD_FILE",
            "POSTGRES_PASSWORD_FILE",
            "AUTH_TOKEN_FILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_SHARED_CREDENTIALS_FILE",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "KUBECONFIG",
            "HF_TOKEN_PATH",
            "PRIVATE_KEY_PATH",
            "--token-file",
        ] {
            assert_eq!(classify_name(name), NameKind::SecretFile, "{name}");
        }
    }

    #[test]
    fn words_split_snake_kebab_and_camel_case() {
        assert_eq!(words("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
        assert_eq!(words("dbPassword"), ["db", "password"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("--api-key"), ["api", "key"]);
        assert_eq!(words("//registry/:_authToken"), ["registry", "auth", "token"]);
        assert_eq!(words("AUTH0_DOMAIN"), ["auth0", "domain"]);
    }

    #[test]
    fn placeholders() {
        for value in [
            "",
            "changeme",
            "CHANGE_ME",
            "example",
            "your-token-here",
            "<token>",
            "${TOKEN}",
            "{{ .Token }}",
            "%TOKEN%",
            "XXXXXXXXXXXXXXXX",
            "********",
            "00000000-0000-0000-0000-000000000000",
            "FAKE_TO_GENERATE_WARNING_OUTPUT",
            "please-set-me",
            "password",
            "dummy-secret",
            "test",
            "true",
        ] {
            assert!(is_placeholder(value), "{value:?}");
        }
        for value in ["hunter2", "pass!1213Fs", "postgres", "s3cr3t-Passw0rd", "admin"] {
            assert!(!is_placeholder(value), "{value:?}");
        }
    }

    #[test]
    fn literal_secrets_exclude_references_paths_and_switches() {
        for value in ["hunter2", "pass!1213Fs", "root", "https://user:pw@host"] {
            assert!(is_literal_secret(value), "{value:?}");
        }
        for value in
            ["$TOKEN", "${TOKEN:-x}", "/run/secrets/token", "./key", "https://vault:8200", "1", "changeme"]
        {
            assert!(!is_literal_secret(value), "{value:?}");
        }
    }

    #[test]
    fn inert_values() {
        for value in ["", "true", "0", "/run/secrets/db", "https://auth.acme.io"] {
            assert!(is_inert_value(value), "{value:?}");
        }
        for value in ["$TOKEN", "hunter2", "changeme"] {
            assert!(!is_inert_value(value), "{value:?}");
        }
    }

    #[test]
    fn masking_shows_four_characters_of_long_secrets_only() {
        assert_eq!(masked("ghp_0123456789abcdefghij").as_deref(), Some("ghp_…"));
        assert_eq!(masked("hunter2"), None);
    }

    fn kinds(text: &str) -> Vec<(&'static str, &str)> {
        find_tokens(text).into_iter().map(|t| (t.kind, &text[t.range])).collect()
    }

    #[test]
    fn token_formats_with_exact_ranges() {
        let cases = [
            ("GitHub token", "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"),
            (
                "GitHub token",
                "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            ),
            ("GitLab token", "glpat-Hm3Jx9qLz2Rk7Wc4Tb1N"),
            ("Slack token", "xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1"),
            ("Stripe secret key", "sk_live_123as6789o1234567890123a123a5678"),
            ("Google API key", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
            ("npm token", "npm_Abcdefghijklmnopqrstuvwxyz0123456789"),
            ("Docker Hub access token", "dckr_pat_1a2B3c4D5e6F7g8H9i0JkLmNoPqR"),
            ("AWS access key ID", "AKIAIOSFODNN7EXAMPL3"),
            ("Square access token", "sq0atp-812erere3wewew45678901"),
            ("Amazon MWS auth token", "amzn.mws.643a5678-8f9f-1a2b-5c3b-e3ea43f3f4b4"),
            ("SendGrid API key", "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"),
            ("Mailchimp API key", "f4f56af5a54a3eaeb3c3beb3cc2ccccc-us36"),
            ("OpenAI API key", "sk-proj-Zq3b7Tx1Lw9Vc4Ne8Rf2Hk6Jm0Pa5Sd3Gy7Uo1Ii9Qe4Wr8Ts2Yv6Xb0"),
            ("OpenAI API key", "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"),
            ("Hugging Face token", "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh"),
        ];
        for (kind, token) in cases {
            let text = format!("ENV X=\"{token}\" # after");
            assert_eq!(kinds(&text), [(kind, token)], "{token}");
        }
    }

    #[test]
    fn tokens_need_word_boundaries_and_exact_lengths() {
        assert!(find_tokens("x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").is_empty());
        assert!(find_tokens("npm_Abcdefghijklmnopqrstuvwxyz0123456789X").is_empty(), "37 characters");
        assert!(find_tokens("AKIAIOSFODNN7EXAMPL").is_empty(), "too short");
        assert!(find_tokens("REGION=ASIAPACIFICSOUTHEAST").is_empty());
        assert_eq!(kinds("ASIAY34FZKBOKMUTVV7A"), [("AWS access key ID", "ASIAY34FZKBOKMUTVV7A")]);
        assert!(find_tokens("sk-not-a-key sk_test_123 ghp_short").is_empty());
        assert!(find_tokens("RUN pip install tokenizers && echo AIza").is_empty());
    }

    #[test]
    fn placeholder_tokens_are_skipped() {
        assert!(find_tokens("AKIAIOSFODNN7EXAMPLE").is_empty(), "AWS's documented example");
        assert!(find_tokens("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty());
        assert!(find_tokens("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(find_tokens("glpat-your-token-goes-right-here").is_empty());
    }

    #[test]
    fn aws_secret_keys_only_after_an_aws_key_name() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY";
        assert_eq!(kinds(&format!("AWS_SECRET_ACCESS_KEY={key}")), [("AWS secret access key", key)]);
        assert_eq!(kinds(&format!("ENV AWS_ACCESS_KEY_ID=\"{key}\"")), [("AWS secret access key", key)]);
        assert_eq!(
            kinds(&format!("aws configure set aws_secret_access_key {key}")),
            [("AWS secret access key", key)]
        );
        assert_eq!(kinds(&format!("aws_secret_access_key = {key}")), [("AWS secret access key", key)]);
        assert!(find_tokens(&format!("CHECKSUM={key}")).is_empty());
        assert!(
            find_tokens("AWS_SECRET_ACCESS_KEY=da39a3ee5e6b4b0d3255bfef95601890afd80709").is_empty(),
            "a SHA-1"
        );
    }

    #[test]
    fn jwts_except_public_anon_keys() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(kinds(&format!("TOKEN={jwt}")), [("JSON Web Token", jwt)]);
        // {"iss":"supabase","role":"anon"}
        let anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(find_tokens(anon).is_empty());
    }

    #[test]
    fn private_key_blocks_need_key_material() {
        let block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
        assert_eq!(kinds(block), [("Private key", "-----BEGIN OPENSSH PRIVATE KEY-----")]);
        assert!(
            find_tokens("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----").is_empty()
        );
        assert!(
            find_tokens("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n")
                .is_empty()
        );
        assert!(
            find_tokens("-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n")
                .is_empty()
        );
    }

    #[test]
    fn azure_connection_string_keys() {
        let key = format!("{}==", "Zm9vYmFyYmF6cXV4".repeat(5) + "Zm9vYmFyYmF6");
        let text =
            format!("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={key};EndpointSuffix=core");
        assert_eq!(kinds(&text), [("Azure Storage account key", key.as_str())]);
        assert!(find_tokens("AccountKey=<your-account-key>").is_empty());
    }

    #[test]
    fn connection_string_and_query_passwords() {
        let text = "ENV ConnectionStrings__Db=\"Server=db;User Id=sa;Password=Str0ng!Pass;TrustServerCertificate=true\"";
        assert_eq!(kinds(text), [("Connection string password", "Str0ng!Pass")]);
        assert_eq!(
            kinds("jdbc:mysql://db/app?user=app&password=hunter2"),
            [("Connection string password", "hunter2")]
        );
        assert!(find_tokens("Server=db;User Id=sa;Password=Your_password123;").is_empty());
        assert!(find_tokens("Server=db;Password=${DB_PASSWORD};").is_empty());
        assert!(
            find_tokens("mysql --password=hunter2 && echo password=x").is_empty(),
            "options are SEC002's"
        );
    }

    #[test]
    fn slack_webhooks() {
        let url = "https://hooks.slack.com/services/T00ABC123/B00DEF456/Xyz123AbcDef456GhiJkl789";
        assert_eq!(kinds(&format!("curl -X POST {url}")), [("Slack webhook URL", url)]);
        assert!(
            find_tokens("https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX")
                .is_empty()
        );
    }

    #[test]
    fn hardcoded_combines_formats_and_secret_names() {
        assert!(is_hardcoded("password", "pass!1213Fs"));
        assert!(is_hardcoded("picaticKey", "sk_live_123as6789o1234567890123a123a5678"));
        assert!(!is_hardcoded("password", "changeme"));
        assert!(!is_hardcoded("password", "$PASSWORD"));
        assert!(!is_hardcoded("GREETING", "hello"));
    }
}
