//! Image references: the [`ImageRef`] parser (the distribution reference grammar, hand-written) with its
//! Docker Hub aware accessors, and how a file uses an image ([`ImageUse`]).

use std::fmt;

use plimsoll_diagnostic::Format;
use plimsoll_span::TextRange;

/// A container image reference per the distribution reference grammar
/// (`[domain[:port]/]path[:tag][@digest]`), as written; Docker Hub defaults are applied by the accessors,
/// not stored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry host as written (`ghcr.io`, `localhost:5000`, `registry.example.com:443`); `None` for
    /// Docker Hub shorthand (`nginx`, `bitnami/redis`).
    pub domain: Option<String>,
    /// The repository path as written, lower-case (`nginx`, `library/nginx`, `org/team/app`).
    pub path: String,
    pub tag: Option<String>,
    /// `algorithm:hex` (`sha256:…`).
    pub digest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRefError {
    pub message: String,
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What an image reference resolves to once variables are substituted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSpec {
    Ref(ImageRef),
    /// Not a valid reference as written (Docker rejects it), but readable once the repository name is
    /// lower-cased (`FROM baseImage`, `FROM REPLACE-ME`): rules about tags still apply to `lenient`.
    Invalid {
        lenient: ImageRef,
        error: String,
    },
    /// `FROM scratch`: no image at all.
    Scratch,
    /// Depends on a variable with no default, or cannot be read as a reference at all; rules must not
    /// guess.
    Unresolved(String),
}

impl ImageSpec {
    /// Reads a fully substituted reference: `scratch`, a valid reference, a reference that is only wrong in
    /// its letter case, or unreadable.
    pub fn from_text(text: &str) -> ImageSpec {
        if text.eq_ignore_ascii_case("scratch") {
            return ImageSpec::Scratch;
        }
        match ImageRef::parse(text) {
            Ok(reference) => ImageSpec::Ref(reference),
            Err(err) => match ImageRef::parse(&lowercase_name(text)) {
                Ok(lenient) => ImageSpec::Invalid { lenient, error: err.message },
                Err(_) => ImageSpec::Unresolved(text.to_string()),
            },
        }
    }
}

/// Lower-cases the name part of a reference, keeping the tag and digest as written.
fn lowercase_name(text: &str) -> String {
    let (rest, digest) = text.split_once('@').map_or((text, None), |(r, d)| (r, Some(d)));
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].find(':') {
        Some(colon) => rest.split_at(last_slash + colon),
        None => (rest, ""),
    };
    let mut out = name.to_ascii_lowercase() + tag;
    if let Some(digest) = digest {
        out.push('@');
        out.push_str(digest);
    }
    out
}

/// How the image is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRole {
    /// The base of a build stage (`FROM`).
    Base,
    /// Files are copied or mounted from it at build time (`COPY --from=<image>`, `RUN --mount=from=<image>`).
    BuildSource,
    /// A container runs it (Compose `image:`, Kubernetes `image:`).
    Runtime,
}

/// One use of an image reference in a file.
#[derive(Clone, Debug)]
pub struct ImageUse {
    pub format: Format,
    pub role: ImageRole,
    pub spec: ImageSpec,
    /// The reference as written in the file (before variable substitution).
    pub written: String,
    /// The reference's range in the file.
    pub range: TextRange,
    /// When the value came from a variable's default (`ARG BASE=python:3.12`), where that default is.
    pub via: Option<TextRange>,
}

impl ImageUse {
    /// The reference, when it could be read (for an invalid one, its lower-cased reading).
    pub fn image(&self) -> Option<&ImageRef> {
        match &self.spec {
            ImageSpec::Ref(r) | ImageSpec::Invalid { lenient: r, .. } => Some(r),
            ImageSpec::Scratch | ImageSpec::Unresolved(_) => None,
        }
    }

    /// A Windows image: known by its repository, or named so even with a variable tag
    /// (`mcr.microsoft.com/windows/servercore:${TAG}`).
    pub fn is_windows(&self) -> bool {
        match (&self.spec, self.image()) {
            (_, Some(reference)) => {
                matches!(
                    crate::known_images::default_user(reference),
                    Some(crate::known_images::KnownUser::Windows)
                )
            }
            (ImageSpec::Unresolved(text), None) => crate::known_images::mentions_windows(text),
            _ => false,
        }
    }
}

/// The longest name (domain and path) a reference may have.
const NAME_MAX: usize = 255;
/// The longest tag a reference may have.
const TAG_MAX: usize = 128;

/// The registry Docker Hub shorthand resolves to.
const DOCKER_HUB: &str = "docker.io";
/// Hosts that are Docker Hub under another name.
const DOCKER_HUB_ALIASES: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

impl ImageRef {
    /// Parses `[domain[:port]/]path[:tag][@digest]` per the distribution reference grammar
    /// (`github.com/distribution/reference`: `reference.go`, `regexp.go`, and `normalize.go` for the domain
    /// rule):
    ///
    /// - the first `/`-separated component is a domain when it contains `.` or `:`, is `localhost`, or has
    ///   upper-case letters; otherwise the whole name is a Docker Hub path;
    /// - a domain is dot-separated hostname labels (`[a-zA-Z0-9]`, inner `-`) or a bracketed IPv6 address,
    ///   with an optional `:port`;
    /// - path components are lower-case alphanumerics separated by `.`, `_`, `__` or one or more `-`;
    /// - the tag is `[\w][\w.-]{0,127}`;
    /// - the digest is `algorithm:hex` with at least 32 hex digits; `sha256`, `sha384` and `sha512` digests
    ///   must have exactly 64, 96 and 128 lower-case hex digits (as `go-digest` validates them), other
    ///   algorithms are accepted as the grammar allows;
    /// - the name (domain and path) is at most 255 characters;
    /// - a bare 64-hex-digit string is an image ID, not a reference, and is rejected.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        let fail =
            |why: &str| Err(ImageRefError { message: format!("invalid image reference `{text}`: {why}") });

        if text.is_empty() {
            return Err(ImageRefError { message: "empty image reference".to_string() });
        }
        if text.chars().any(char::is_whitespace) {
            return fail("contains whitespace");
        }
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return fail("a 64-character hex string is an image ID, not a reference");
        }

        let (name_and_tag, digest) = match text.split_once('@') {
            Some((rest, digest)) => {
                if let Err(why) = check_digest(digest) {
                    return fail(&why);
                }
                (rest, Some(digest))
            }
            None => (text, None),
        };

        // The tag is after the last `:` that follows the last `/` (a `:` before a `/` is a port).
        let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_and_tag[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                (&name_and_tag[..at], Some(&name_and_tag[at + 1..]))
            }
            None => (name_and_tag, None),
        };
        if let Some(tag) = tag
            && let Err(why) = check_tag(tag)
        {
            return fail(&why);
        }
        if name.is_empty() {
            return fail("missing repository name");
        }
        if name.len() > NAME_MAX {
            return fail(&format!("the name is {} characters long, longer than {NAME_MAX}", name.len()));
        }

        let (domain, path) = match name.split_once('/') {
            Some((first, rest)) if is_domain_like(first) => (Some(first), rest),
            _ => (None, name),
        };
        if let Some(domain) = domain
            && let Err(why) = check_domain(domain)
        {
            return fail(&why);
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return fail(&format!("repository path `{path}` must be lower-case"));
        }
        if path.is_empty() {
            return fail("missing repository path after the registry");
        }
        for component in path.split('/') {
            if let Err(why) = check_path_component(component) {
                return fail(&why);
            }
        }

        Ok(ImageRef {
            domain: domain.map(str::to_string),
            path: path.to_string(),
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        })
    }

    /// The registry host: `docker.io` for Docker Hub (shorthand, `docker.io`, `index.docker.io`,
    /// `registry-1.docker.io`), otherwise the domain as written.
    pub fn registry(&self) -> &str {
        match &self.domain {
            Some(domain) if !is_docker_hub_domain(domain) => domain,
            _ => DOCKER_HUB,
        }
    }

    /// Whether the image is on Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.domain.as_deref().is_none_or(is_docker_hub_domain)
    }

    /// The repository path within the registry; Docker Hub single-component paths get `library/`
    /// (`nginx` → `library/nginx`).
    pub fn repository(&self) -> String {
        if self.is_docker_hub() && !self.path.contains('/') {
            format!("library/{}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// The last path component (`nginx` for `docker.io/library/nginx`, `app` for `ghcr.io/org/app`).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The name as people write it, without tag or digest: `nginx`, `bitnami/redis`, `ghcr.io/org/app`.
    pub fn familiar(&self) -> String {
        match &self.domain {
            Some(domain) if !is_docker_hub_domain(domain) => format!("{domain}/{}", self.path),
            _ => match self.path.strip_prefix("library/") {
                Some(rest) if !rest.contains('/') => rest.to_string(),
                _ => self.path.clone(),
            },
        }
    }

    /// Whether this is a Docker Official Image (Docker Hub `library/<name>`).
    pub fn is_official(&self) -> bool {
        self.is_docker_hub()
            && (!self.path.contains('/')
                || self.path.strip_prefix("library/").is_some_and(|rest| !rest.contains('/')))
    }
}

impl fmt::Display for ImageRef {
    /// The reference as written: `domain/path:tag@digest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(domain) = &self.domain {
            write!(f, "{domain}/")?;
        }
        f.write_str(&self.path)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(text: &str) -> Result<ImageRef, ImageRefError> {
        ImageRef::parse(text)
    }
}

fn is_docker_hub_domain(domain: &str) -> bool {
    DOCKER_HUB_ALIASES.iter().any(|alias| domain.eq_ignore_ascii_case(alias))
}

/// The rule `normalize.go` uses to tell `registry.example.com/app` from `team/app`.
fn is_domain_like(first: &str) -> bool {
    first.contains(['.', ':']) || first == "localhost" || first.bytes().any(|b| b.is_ascii_uppercase())
}

/// `host[:port]`, host being dot-separated hostname labels or `[IPv6]`.
fn check_domain(domain: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return Err(format!("registry `{domain}` has an unclosed `[`"));
        };
        if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return Err(format!("registry `{domain}` has an invalid IPv6 address"));
        }
        match after {
            "" => (None, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return Err(format!("registry `{domain}` has text after the IPv6 address")),
            },
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        for label in host.split('.') {
            let bytes = label.as_bytes();
            let valid = !bytes.is_empty()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-';
            if !valid {
                return Err(format!("registry `{domain}` is not a valid host name"));
            }
        }
    }
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("registry `{domain}` has an invalid port"));
    }
    Ok(())
}

/// `[a-z0-9]+` runs separated by `.`, `_`, `__` or one or more `-`.
fn check_path_component(component: &str) -> Result<(), String> {
    if component.is_empty() {
        return Err("empty path component (`//` or a trailing `/`)".to_string());
    }
    let bytes = component.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return Err(format!(
                "path component `{component}` must start and end with a lower-case letter or digit"
            ));
        }
        if i == bytes.len() {
            return Ok(());
        }
        let sep_start = i;
        while i < bytes.len() && matches!(bytes[i], b'.' | b'_' | b'-') {
            i += 1;
        }
        let separator = &component[sep_start..i];
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if separator.is_empty() {
            let bad = component[i..].chars().next().unwrap_or_default();
            return Err(format!("path component `{component}` contains `{bad}`"));
        }
        if !valid {
            return Err(format!("path component `{component}` has the invalid separator `{separator}`"));
        }
        if i == bytes.len() {
            return Err(format!(
                "path component `{component}` must start and end with a lower-case letter or digit"
            ));
        }
    }
}

/// `[\w][\w.-]{0,127}`.
fn check_tag(tag: &str) -> Result<(), String> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match tag.as_bytes() {
        [] => Err("empty tag after `:`".to_string()),
        [first, ..] if !word(*first) => Err(format!("tag `{tag}` must start with a letter, digit or `_`")),
        bytes if bytes.len() > TAG_MAX => Err(format!("tag is longer than {TAG_MAX} characters")),
        bytes if !bytes.iter().all(|b| word(*b) || *b == b'.' || *b == b'-') => {
            Err(format!("tag `{tag}` may only contain letters, digits, `_`, `.` and `-`"))
        }
        _ => Ok(()),
    }
}

/// `algorithm:hex`: the algorithm is `[A-Za-z][A-Za-z0-9]*` components joined by `-`, `_`, `+` or `.`;
/// the hex is at least 32 digits, exactly the algorithm's length in lower case for the registered ones.
fn check_digest(digest: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!("digest `{digest}` must be `algorithm:hex`"));
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['-', '_', '+', '.']).all(|part| {
            part.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    if !algorithm_ok {
        return Err(format!("digest algorithm `{algorithm}` is not valid"));
    }
    let expected = match algorithm {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    match expected {
        Some(len) => {
            if hex.len() != len || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                return Err(format!("a {algorithm} digest must be {len} lower-case hex characters"));
            }
        }
        None => {
            if hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("digest `{digest}` must have at least 32 hex characters"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parse(text: &str) -> ImageRef {
        ImageRef::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str) -> String {
        match ImageRef::parse(text) {
            Ok(r) => panic!("{text} parsed as {r:?}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn hub_shorthand() {
        let r = parse("nginx");
        assert_eq!(r, ImageRef { domain: None, path: "nginx".into(), tag: None, digest: None });
        assert_eq!(r.registry(), "docker.io");
        assert!(r.is_docker_hub() && r.is_official());
        assert_eq!(r.repository(), "library/nginx");
        assert_eq!(r.name(), "nginx");
        assert_eq!(r.familiar(), "nginx");
        assert_eq!(r.to_string(), "nginx");

        let r = parse("nginx:1.25");
        assert_eq!(r.tag.as_deref(), Some("1.25"));
        assert_eq!(r.path, "nginx");
        assert_eq!(r.to_string(), "nginx:1.25");

        let r = parse("library/nginx");
        assert_eq!(r.domain, None);
        assert_eq!(r.repository(), "library/nginx");
        assert_eq!(r.familiar(), "nginx");
        assert!(r.is_official());

        let r = parse("bitnami/redis:7.2");
        assert_eq!(r.repository(), "bitnami/redis");
        assert_eq!(r.familiar(), "bitnami/redis");
        assert_eq!(r.name(), "redis");
        assert!(r.is_docker_hub() && !r.is_official());
    }

    #[test]
    fn hub_domains() {
        let r = parse("docker.io/library/nginx:latest");
        assert_eq!(r.domain.as_deref(), Some("docker.io"));
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.repository(), "library/nginx");
        assert_eq!(r.familiar(), "nginx");
        assert!(r.is_official());
        assert_eq!(r.to_string(), "docker.io/library/nginx:latest");

        let r = parse("index.docker.io/x");
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.repository(), "library/x");
        assert_eq!(r.familiar(), "x");
        assert!(r.is_official());

        let r = parse("registry-1.docker.io/bitnami/redis");
        assert_eq!(r.registry(), "docker.io");
        assert_eq!(r.familiar(), "bitnami/redis");

        let r = parse("docker.io/nginx");
        assert_eq!(r.repository(), "library/nginx");
    }

    #[test]
    fn other_registries() {
        let r = parse("localhost:5000/app:dev");
        assert_eq!(r.domain.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "app");
        assert_eq!(r.tag.as_deref(), Some("dev"));
        assert_eq!(r.registry(), "localhost:5000");
        assert_eq!(r.repository(), "app");
        assert_eq!(r.familiar(), "localhost:5000/app");
        assert!(!r.is_docker_hub() && !r.is_official());

        let r = parse("localhost/app");
        assert_eq!(r.domain.as_deref(), Some("localhost"));

        let text = format!("registry.example.com:443/team/app@sha256:{HEX}");
        let r = parse(&text);
        assert_eq!(r.domain.as_deref(), Some("registry.example.com:443"));
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag, None);
        assert_eq!(r.digest, Some(format!("sha256:{HEX}")));
        assert_eq!(r.familiar(), "registry.example.com:443/team/app");
        assert_eq!(r.name(), "app");
        assert_eq!(r.to_string(), text);

        let r = parse("[::1]:5000/x");
        assert_eq!(r.domain.as_deref(), Some("[::1]:5000"));
        assert_eq!(r.path, "x");
        assert_eq!(r.tag, None);
        let r = parse("[fe80::1]/a/b:1");
        assert_eq!(r.domain.as_deref(), Some("[fe80::1]"));
        assert_eq!(r.tag.as_deref(), Some("1"));

        let r = parse("ghcr.io/org/app");
        assert_eq!(r.familiar(), "ghcr.io/org/app");
        assert_eq!(r.repository(), "org/app");
    }

    #[test]
    fn domain_case_and_path_case() {
        // Host names are case-insensitive, so a mixed-case domain is valid; the path must be lower case.
        let r = parse("GHCR.io/org/app");
        assert_eq!(r.domain.as_deref(), Some("GHCR.io"));
        // An upper-case first component is a domain, per the grammar's rule.
        let r = parse("Example/app");
        assert_eq!(r.domain.as_deref(), Some("Example"));
        assert_eq!(r.path, "app");
        assert!(error("ghcr.io/Org/app").contains("must be lower-case"));
        assert!(error("Nginx").contains("must be lower-case"));
        assert!(parse("docker.io/library/nginx").is_docker_hub());
        assert!(parse("Docker.IO/library/nginx").is_docker_hub());
    }

    #[test]
    fn tag_and_digest_together() {
        let text = format!("nginx:1.25-alpine@sha256:{HEX}");
        let r = parse(&text);
        assert_eq!(r.tag.as_deref(), Some("1.25-alpine"));
        assert_eq!(r.digest, Some(format!("sha256:{HEX}")));
        assert_eq!(r.to_string(), text);
        let r = parse(&format!("ghcr.io/org/app:v1@sha256:{HEX}"));
        assert_eq!(r.tag.as_deref(), Some("v1"));
        let r = parse(&format!("nginx@sha256:{HEX}"));
        assert_eq!(r.tag, None);
    }

    #[test]
    fn separators() {
        for ok in ["a.b", "a_b", "a__b", "a-b", "a---b", "a.b-c_d", "foo/bar.baz/qux", "0a", "a9"] {
            parse(ok);
        }
        for bad in ["a..b", "a._b", "a___b", "-a", "a-", "a.", "_a", "a//b", "a/", "/a", "a/b/"] {
            error(bad);
        }
    }

    #[test]
    fn invalid() {
        assert_eq!(error(""), "empty image reference");
        assert!(error("nginx:").contains("empty tag"));
        assert!(error(":tag").contains("missing repository name"));
        assert!(error("nginx@sha256:short").contains("64 lower-case hex"));
        assert!(error(&format!("nginx@sha256:{}", HEX.to_uppercase())).contains("64 lower-case hex"));
        assert!(error("nginx@md5").contains("algorithm:hex"));
        assert!(error("nginx@1sha:0123456789abcdef0123456789abcdef").contains("algorithm"));
        assert!(error("a b").contains("whitespace"));
        assert!(error(" nginx").contains("whitespace"));
        assert!(error("nginx:-bad").contains("must start with"));
        // A `:` before the last `/` belongs to the domain: `nginx:a` is a host with a bad port.
        assert!(error("nginx:a/b").contains("invalid port"));
        assert!(error(&format!("nginx:{}", "t".repeat(129))).contains("longer than 128"));
        assert!(error(&format!("x.io/{}", "a".repeat(251))).contains("longer than 255"));
        parse(&format!("x.io/{}", "a".repeat(250)));
        assert!(error(HEX).contains("image ID"));
        assert!(error("reg_istry.io/app").contains("host name"));
        assert!(error("localhost:/app").contains("invalid port"));
        assert!(error("localhost:50a/app").contains("invalid port"));
        assert!(error("[::1/app").contains("unclosed"));
        assert!(error("[gg::1]/app").contains("IPv6"));
        assert!(error("nginx@sha256:abc@def").contains("64 lower-case hex"));
        assert!(error("ex.io/").contains("missing repository path"));
        assert!(error("nginx:1.0:2").contains("contains `:`"));
        assert!(error("caf\u{e9}").contains("contains `\u{e9}`"));
    }

    #[test]
    fn other_digest_algorithms() {
        parse(&format!("app@sha512:{HEX}{HEX}"));
        assert!(error(&format!("app@sha512:{HEX}")).contains("128 lower-case hex"));
        // Unregistered algorithms are accepted as the grammar allows (at least 32 hex digits).
        parse(&format!("app@multihash+base58:{}", &HEX[..32]));
        assert!(error("app@blake3:0123").contains("at least 32"));
    }

    #[test]
    fn from_str() {
        let r: ImageRef = "python:3.12".parse().unwrap();
        assert_eq!(r.tag.as_deref(), Some("3.12"));
    }
}
