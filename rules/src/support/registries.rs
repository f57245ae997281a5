//! Trusted-registry patterns (`Settings::trusted_registries`, `--trusted-registry`) and whether an image
//! reference matches one.
//!
//! A pattern is a registry host, optionally followed by a repository path prefix:
//!
//! - `ghcr.io`, `registry.example.com:5000`: every repository on that registry. A pattern without a port
//!   matches the host on any port (the same machine and owner); a pattern with a port matches that port only.
//! - `*.example.com`: `*` in the host matches any run of characters, so this trusts every subdomain of
//!   `example.com` (at any depth) but not `example.com` itself; `*` alone trusts every registry.
//! - `ghcr.io/my-org`: the repositories under that path, compared whole component by component
//!   (`ghcr.io/my-org/app` and `ghcr.io/my-org/team/app`, not `ghcr.io/my-org-evil/app`). `*` inside a
//!   path component matches within that component (`ghcr.io/*/base-images`).
//!
//! Docker Hub: images written without a registry (`nginx`, `bitnami/redis`) are on `docker.io`, and the
//! patterns `docker.io`, `hub.docker.com`, `index.docker.io` and `registry-1.docker.io` all name it. Docker
//! Hub official images live under `library/` (`nginx` is `docker.io/library/nginx`), so `docker.io/library`
//! trusts the official images only; a single-component Hub pattern such as `docker.io/nginx` trusts both the
//! official image of that name and the namespace (`nginx/*`), because `docker.io/nginx` is how people write
//! the official image and a Hub namespace is the same name's account.
//!
//! Hosts compare case-insensitively; an `http://` or `https://` prefix and trailing `/` in a pattern are
//! ignored, since pasted registry URLs carry them.

use plimsoll_model::{ImageRef, ImageSpec, ImageUse};

/// The hosts that are Docker Hub in a pattern.
const DOCKER_HUB_NAMES: [&str; 4] =
    ["docker.io", "hub.docker.com", "index.docker.io", "registry-1.docker.io"];

/// Whether `image` matches one of `patterns`. Blank patterns match nothing.
pub fn is_trusted(image: &ImageRef, patterns: &[String]) -> bool {
    patterns.iter().filter_map(|p| Pattern::parse(p)).any(|p| p.matches(image))
}

/// The image name an [`ImageUse`] certainly refers to: the resolved reference, or, when only the tag or
/// digest depends on a variable without a value (`ghcr.io/org/app:${TAG}`), the name written before it.
/// `None` when the registry or path is unknown (`${REGISTRY}/app`) and for `scratch`.
pub fn known_name(image: &ImageUse) -> Option<ImageRef> {
    match &image.spec {
        ImageSpec::Ref(reference) | ImageSpec::Invalid { lenient: reference, .. } => Some(reference.clone()),
        ImageSpec::Scratch => None,
        ImageSpec::Unresolved(text) => {
            let dollar = text.find('$')?;
            let (known, rest) = text.split_at(dollar);
            // A later `/` means the variable is inside the name, not in the tag or digest.
            if rest.contains('/') {
                return None;
            }
            let name = match known.rfind('@') {
                Some(at) => &known[..at],
                None => {
                    let last_slash = known.rfind('/').map_or(0, |i| i + 1);
                    let colon = known[last_slash..].rfind(':')?;
                    &known[..last_slash + colon]
                }
            };
            ImageRef::parse(name).ok()
        }
    }
}

/// One parsed trusted-registry pattern.
#[derive(Debug, PartialEq, Eq)]
struct Pattern {
    /// Lower-case host glob, `docker.io` for any Docker Hub name.
    host: String,
    port: Option<String>,
    /// Lower-case repository path components, each a glob.
    path: Vec<String>,
}

impl Pattern {
    fn parse(text: &str) -> Option<Pattern> {
        let text = text.trim();
        let text = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .unwrap_or(text)
            .trim_end_matches('/');
        if text.is_empty() {
            return None;
        }
        let (registry, path) = text.split_once('/').unwrap_or((text, ""));
        let (host, port) = split_port(registry);
        let host = host.to_ascii_lowercase();
        let host = if DOCKER_HUB_NAMES.contains(&host.as_str()) { "docker.io".to_string() } else { host };
        let path = path.split('/').filter(|c| !c.is_empty()).map(str::to_ascii_lowercase).collect();
        Some(Pattern { host, port: port.map(str::to_string), path })
    }

    fn matches(&self, image: &ImageRef) -> bool {
        let (host, port) = split_port(image.registry());
        if !glob(&self.host, &host.to_ascii_lowercase()) {
            return false;
        }
        if self.port.is_some() && self.port.as_deref() != port {
            return false;
        }
        let repository = image.repository();
        let components: Vec<&str> = repository.split('/').collect();
        if self.under(&components) {
            return true;
        }
        // `docker.io/nginx`: the official image `library/nginx` as well as the `nginx/` namespace.
        image.is_docker_hub()
            && self.path.len() == 1
            && components.len() == 2
            && components[0] == "library"
            && glob(&self.path[0], components[1])
    }

    /// Whether the repository is at or below the pattern's path.
    fn under(&self, components: &[&str]) -> bool {
        self.path.len() <= components.len() && self.path.iter().zip(components).all(|(p, c)| glob(p, c))
    }
}

/// `host[:port]`, with `[IPv6]` hosts kept whole.
fn split_port(registry: &str) -> (&str, Option<&str>) {
    let host_end = if registry.starts_with('[') { registry.find(']').map_or(0, |i| i + 1) } else { 0 };
    match registry[host_end..].rfind(':') {
        Some(i) => (&registry[..host_end + i], Some(&registry[host_end + i + 1..])),
        None => (registry, None),
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else { return pattern == text };
    let Some(mut remaining) = text.strip_prefix(first) else { return false };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or("");
    for part in parts {
        match remaining.find(part) {
            Some(i) => remaining = &remaining[i + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(image: &str, patterns: &[&str]) -> bool {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        is_trusted(&ImageRef::parse(image).unwrap(), &patterns)
    }

    #[test]
    fn hosts_match_every_repository_on_them() {
        assert!(trusted("ghcr.io/org/app:1", &["ghcr.io"]));
        assert!(trusted("GHCR.IO/org/app:1", &["ghcr.io"]));
        assert!(!trusted("quay.io/org/app:1", &["ghcr.io"]));
        assert!(!trusted("ghcr.io.evil.com/org/app:1", &["ghcr.io"]));
        assert!(trusted("registry.example.com:5000/app", &["registry.example.com"]));
        assert!(trusted("registry.example.com:5000/app", &["registry.example.com:5000"]));
        assert!(!trusted("registry.example.com:5001/app", &["registry.example.com:5000"]));
        assert!(!trusted("registry.example.com/app", &["registry.example.com:5000"]));
        assert!(trusted("localhost:5000/app", &["localhost"]));
        assert!(trusted("[::1]:5000/app", &["[::1]"]));
    }

    #[test]
    fn wildcard_hosts() {
        assert!(trusted("team.example.com/app", &["*.example.com"]));
        assert!(trusted("a.b.example.com:443/app", &["*.example.com"]));
        assert!(!trusted("example.com/app", &["*.example.com"]));
        assert!(!trusted("evilexample.com/app", &["*.example.com"]));
        assert!(trusted("registry.eu-west-1.example.com/app", &["registry.*.example.com"]));
        assert!(trusted("anything.io/app", &["*"]));
        assert!(trusted("nginx", &["*"]));
    }

    #[test]
    fn path_prefixes_match_whole_components() {
        assert!(trusted("ghcr.io/my-org/app:1", &["ghcr.io/my-org"]));
        assert!(trusted("ghcr.io/my-org/team/app", &["ghcr.io/my-org/"]));
        assert!(trusted("ghcr.io/my-org", &["ghcr.io/my-org"]));
        assert!(!trusted("ghcr.io/my-org-evil/app", &["ghcr.io/my-org"]));
        assert!(!trusted("ghcr.io/other/app", &["ghcr.io/my-org"]));
        assert!(trusted("gcr.io/distroless/static", &["gcr.io/distroless"]));
        assert!(trusted("ghcr.io/acme/base-images/node", &["ghcr.io/*/base-images"]));
    }

    #[test]
    fn docker_hub_under_every_name() {
        for pattern in DOCKER_HUB_NAMES {
            assert!(trusted("nginx:1", &[pattern]), "{pattern}");
            assert!(trusted("bitnami/redis", &[pattern]), "{pattern}");
            assert!(trusted("index.docker.io/library/nginx", &[pattern]), "{pattern}");
        }
        assert!(trusted("nginx", &["https://hub.docker.com/"]));
        assert!(!trusted("ghcr.io/org/app", &["docker.io"]));
        assert!(trusted("nginx", &["docker.io/library"]));
        assert!(!trusted("bitnami/redis", &["docker.io/library"]));
        assert!(trusted("bitnami/redis", &["docker.io/bitnami"]));
        assert!(trusted("nginx", &["docker.io/nginx"]));
        assert!(trusted("nginx/nginx-ingress", &["docker.io/nginx"]));
        assert!(!trusted("redis", &["docker.io/nginx"]));
    }

    #[test]
    fn blank_patterns_trust_nothing() {
        assert!(!trusted("nginx", &["", "  ", "/"]));
    }

    fn name(spec: ImageSpec) -> Option<String> {
        let image = ImageUse {
            format: plimsoll_diagnostic::Format::Dockerfile,
            role: plimsoll_model::ImageRole::Base,
            spec,
            written: String::new(),
            range: plimsoll_span::TextRange::default(),
            via: None,
        };
        known_name(&image).map(|r| r.to_string())
    }

    #[test]
    fn names_known_despite_a_variable_tag() {
        let unresolved = |t: &str| ImageSpec::Unresolved(t.to_string());
        assert_eq!(name(unresolved("ghcr.io/org/app:${TAG}")).as_deref(), Some("ghcr.io/org/app"));
        assert_eq!(name(unresolved("registry:5000/app:1.0-${V}")).as_deref(), Some("registry:5000/app"));
        assert_eq!(name(unresolved("nginx@${DIGEST}")).as_deref(), Some("nginx"));
        assert_eq!(name(unresolved("${REGISTRY}/app:1")), None);
        assert_eq!(name(unresolved("registry:${PORT}/app")), None);
        assert_eq!(name(unresolved("ghcr.io/org/${IMAGE}:1")), None);
        assert_eq!(name(unresolved("Not A Reference")), None);
        assert_eq!(name(ImageSpec::Scratch), None);
    }
}
