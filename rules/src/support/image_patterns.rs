//! Allowed-base-image patterns (`Settings::allowed_base_images`) and whether an image reference matches
//! one.
//!
//! A pattern is written like an image reference, `[registry/]repository[:tag][@digest]`, with `*` matching
//! any run of characters inside one part:
//!
//! - Both the pattern and the image are compared in their normalised form, the one Docker resolves
//!   shorthand to: `python:3.13-slim` is `docker.io/library/python:3.13-slim` and `bitnami/redis` is
//!   `docker.io/bitnami/redis`, so a pattern matches however either side is written (`index.docker.io`,
//!   `registry-1.docker.io` and `hub.docker.com` are `docker.io` too). A first path component is a
//!   registry when it has a `.` or a `:` or is `localhost`, as in image references.
//! - The repository is compared component by component and `*` never crosses a `/`:
//!   `gcr.io/distroless/*` matches `gcr.io/distroless/static-debian12`, not
//!   `gcr.io/distroless/java/jre`; `*` alone is any Docker Official Image (`docker.io/library/*`).
//!   Registry and repository compare without case.
//! - A pattern without a tag or digest matches every tag and digest of the repository. A tag in the
//!   pattern must match the image's tag (`python:3.13-*` matches `python:3.13-slim-bookworm`), an image
//!   without tag or digest having the tag `latest`; a digest in the pattern must match the image's digest
//!   (`python@sha256:…`, or `python@sha256:*` for any digest-pinned `python`). The image may carry more than
//!   the pattern asks for: `python:3.13-slim` matches `python:3.13-slim@sha256:…`.
//!
//! When a build argument without a default hides part of the reference, [`judge`] says whether the known
//! part already decides: a name no pattern matches is not allowed whatever the tag, and a pattern without
//! tag or digest allows any; otherwise the answer is [`Verdict::Unknown`], never a guess.

use plimsoll_model::{ImageRef, ImageSpec, ImageUse};

use crate::support::registries::{glob, known_name};

/// The registry names that are Docker Hub.
const DOCKER_HUB: [&str; 4] = ["docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"];

/// Whether an image is allowed by a list of patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A pattern matches it.
    Allowed,
    /// No pattern matches it, whatever the unknown parts hold.
    NotAllowed,
    /// Only the value of a build argument would tell.
    Unknown(Hidden),
}

/// The part of a reference a variable without a value hides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// The registry or repository: nothing can be compared.
    Name,
    /// The tag (and so any digest after it).
    Tag,
    /// The digest only.
    Digest,
}

/// One part of an image as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Known(Option<String>),
    Unknown,
}

/// An image in normalised form: lower-case registry and repository components, tag and digest as far as
/// they are known.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    registry: String,
    repository: Vec<String>,
    tag: Part,
    digest: Part,
}

impl Candidate {
    fn new(image: &ImageRef, hidden: Option<Hidden>) -> Candidate {
        let (tag, digest) = match hidden {
            Some(Hidden::Name | Hidden::Tag) => (Part::Unknown, Part::Unknown),
            Some(Hidden::Digest) => (Part::Known(image.tag.clone()), Part::Unknown),
            // `FROM python` pulls `python:latest`.
            None if image.tag.is_none() && image.digest.is_none() => {
                (Part::Known(Some("latest".to_string())), Part::Known(None))
            }
            None => (Part::Known(image.tag.clone()), Part::Known(image.digest.clone())),
        };
        Candidate {
            registry: image.registry().to_ascii_lowercase(),
            repository: image.repository().to_ascii_lowercase().split('/').map(str::to_string).collect(),
            tag,
            digest,
        }
    }
}

/// One parsed pattern, normalised like an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    registry: String,
    repository: Vec<String>,
    tag: Option<String>,
    digest: Option<String>,
}

impl Pattern {
    /// Reads a pattern; `None` for a blank one, which allows nothing.
    pub fn parse(text: &str) -> Option<Pattern> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (rest, digest) = match text.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_ascii_lowercase())),
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(colon) => (&rest[..last_slash + colon], Some(rest[last_slash + colon + 1..].to_string())),
            None => (rest, None),
        };
        let name = name.to_ascii_lowercase();
        let mut components: Vec<String> = name.split('/').map(str::to_string).collect();
        let first = &components[0];
        let registry = if components.len() > 1 && (first.contains(['.', ':']) || first == "localhost") {
            components.remove(0)
        } else {
            DOCKER_HUB[0].to_string()
        };
        let registry =
            if DOCKER_HUB.contains(&registry.as_str()) { DOCKER_HUB[0].to_string() } else { registry };
        if registry == DOCKER_HUB[0] && components.len() == 1 {
            components.insert(0, "library".to_string());
        }
        Some(Pattern { registry, repository: components, tag, digest })
    }

    /// Whether the pattern matches: `Some(true)` or `Some(false)` when the known parts decide, `None` when
    /// a hidden tag or digest would.
    fn matches(&self, image: &Candidate) -> Option<bool> {
        let name = glob(&self.registry, &image.registry)
            && self.repository.len() == image.repository.len()
            && self.repository.iter().zip(&image.repository).all(|(p, c)| glob(p, c));
        if !name {
            return Some(false);
        }
        let part = |pattern: &Option<String>, part: &Part| match (pattern, part) {
            (None, _) => Some(true),
            (Some(_), Part::Unknown) => None,
            (Some(p), Part::Known(value)) => Some(value.as_deref().is_some_and(|v| glob(p, v))),
        };
        match (part(&self.tag, &image.tag), part(&self.digest, &image.digest)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }
}

/// Whether the patterns allow `image`. `None` when nothing can be judged: `scratch`, and references that are
/// not image references even with their variables known (a syntax error, reported elsewhere).
pub fn judge(image: &ImageUse, patterns: &[Pattern]) -> Option<Verdict> {
    let (reference, hidden) = match &image.spec {
        ImageSpec::Ref(reference) | ImageSpec::Invalid { lenient: reference, .. } => {
            (reference.clone(), None)
        }
        ImageSpec::Scratch => return None,
        ImageSpec::Unresolved(text) => {
            if !text.contains('$') {
                return None;
            }
            let Some(name) = known_name(image) else { return Some(Verdict::Unknown(Hidden::Name)) };
            let before_variable = &text[..text.find('$').unwrap_or(text.len())];
            let hidden = if before_variable.contains('@') { Hidden::Digest } else { Hidden::Tag };
            (name, Some(hidden))
        }
    };
    let candidate = Candidate::new(&reference, hidden);
    let results: Vec<Option<bool>> = patterns.iter().map(|p| p.matches(&candidate)).collect();
    Some(if results.contains(&Some(true)) {
        Verdict::Allowed
    } else if let (Some(hidden), true) = (hidden, results.contains(&None)) {
        Verdict::Unknown(hidden)
    } else {
        Verdict::NotAllowed
    })
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::Format;
    use plimsoll_model::ImageRole;
    use plimsoll_span::TextRange;

    use super::*;

    fn verdict_of(spec: ImageSpec, patterns: &[&str]) -> Option<Verdict> {
        let patterns: Vec<Pattern> = patterns.iter().filter_map(|p| Pattern::parse(p)).collect();
        let image = ImageUse {
            format: Format::Dockerfile,
            role: ImageRole::Base,
            spec,
            written: String::new(),
            range: TextRange::default(),
            via: None,
        };
        judge(&image, &patterns)
    }

    fn allowed(image: &str, patterns: &[&str]) -> bool {
        verdict_of(ImageSpec::from_text(image), patterns) == Some(Verdict::Allowed)
    }

    fn unresolved(text: &str, patterns: &[&str]) -> Option<Verdict> {
        verdict_of(ImageSpec::Unresolved(text.to_string()), patterns)
    }

    #[test]
    fn shorthand_and_normalised_forms_are_one_image() {
        for image in
            ["python:3.13-slim", "docker.io/library/python:3.13-slim", "index.docker.io/python:3.13-slim"]
        {
            for pattern in [
                "python:3.13-slim",
                "library/python:3.13-slim",
                "docker.io/python:3.13-slim",
                "docker.io/library/python:3.13-slim",
                "registry-1.docker.io/library/python:3.13-slim",
                "hub.docker.com/library/python:3.13-slim",
            ] {
                assert!(allowed(image, &[pattern]), "{image} ~ {pattern}");
            }
        }
        assert!(allowed("bitnami/redis:7", &["docker.io/bitnami/redis"]));
        assert!(!allowed("bitnami/redis:7", &["redis"]));
        assert!(!allowed("ghcr.io/library/python:3.13-slim", &["python"]));
        assert!(allowed("GHCR.IO/acme/base:1", &["ghcr.io/ACME/base"]));
    }

    #[test]
    fn stars_stay_inside_one_component() {
        assert!(allowed("gcr.io/distroless/static-debian12:nonroot", &["gcr.io/distroless/*"]));
        assert!(!allowed("gcr.io/distroless/java/jre:21", &["gcr.io/distroless/*"]));
        assert!(!allowed("gcr.io/distroless:1", &["gcr.io/distroless/*"]));
        assert!(allowed("gcr.io/distroless/java/jre:21", &["gcr.io/distroless/*/*"]));
        assert!(allowed("eu.registry.example.com/base/node:22", &["*.example.com/base/*"]));
        assert!(allowed("node:22", &["*"]));
        assert!(!allowed("bitnami/node:22", &["*"]));
        assert!(allowed("ghcr.io/acme/python-base:3", &["ghcr.io/acme/python-*"]));
        assert!(!allowed("ghcr.io/acme-evil/python-base:3", &["ghcr.io/acme/*"]));
    }

    #[test]
    fn tags_and_digests() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        // No tag in the pattern: any tag and digest of the repository.
        assert!(allowed("python", &["python"]));
        assert!(allowed(&format!("python@{digest}"), &["python"]));
        // A tag: the image's tag, `latest` when it has neither tag nor digest.
        assert!(allowed("python:3.13-slim-bookworm", &["python:3.13-*"]));
        assert!(!allowed("python:3.12-slim", &["python:3.13-*"]));
        assert!(allowed("python", &["python:latest"]));
        assert!(!allowed(&format!("python@{digest}"), &["python:latest"]));
        assert!(allowed(&format!("python:3.13-slim@{digest}"), &["python:3.13-slim"]));
        assert!(!allowed("python:3.13-SLIM", &["python:3.13-slim"]), "tags are case-sensitive");
        // A digest: that digest, whatever the tag.
        assert!(allowed(&format!("python:3.13@{digest}"), &[&format!("python@{digest}")]));
        assert!(!allowed("python:3.13", &[&format!("python@{digest}")]));
        assert!(allowed(&format!("python@{digest}"), &["python@sha256:*"]));
        assert!(!allowed("python:3.13", &["python@sha256:*"]));
        assert!(allowed(&format!("python:3.13@{digest}"), &["python:3.13@sha256:*"]));
        assert!(!allowed(&format!("python:3.12@{digest}"), &["python:3.13@sha256:*"]));
        // Registry ports are part of the registry.
        assert!(allowed("localhost:5000/base:1", &["localhost:5000/base"]));
        assert!(!allowed("localhost:5000/base:1", &["localhost/base"]));
    }

    #[test]
    fn hidden_parts_decide_only_when_the_known_part_does() {
        // A name no pattern matches: not allowed whatever the tag.
        assert_eq!(unresolved("node:${V}", &["python"]), Some(Verdict::NotAllowed));
        // A pattern without tag: any tag.
        assert_eq!(unresolved("python:${V}", &["python"]), Some(Verdict::Allowed));
        // Only a tag would tell.
        assert_eq!(unresolved("python:${V}", &["python:3.13-*"]), Some(Verdict::Unknown(Hidden::Tag)));
        assert_eq!(unresolved("python:3.13@${D}", &["python:3.13-*"]), Some(Verdict::NotAllowed));
        assert_eq!(
            unresolved("python:3.13@${D}", &["python@sha256:*"]),
            Some(Verdict::Unknown(Hidden::Digest))
        );
        assert_eq!(unresolved("python:3.13@${D}", &["python:3.13"]), Some(Verdict::Allowed));
        // The registry or repository is hidden.
        assert_eq!(unresolved("${BASE}", &["python"]), Some(Verdict::Unknown(Hidden::Name)));
        assert_eq!(unresolved("${REGISTRY}/python:3", &["*"]), Some(Verdict::Unknown(Hidden::Name)));
        // Not an image reference at all: another rule's business.
        assert_eq!(unresolved("not a reference", &["*"]), None);
        assert_eq!(verdict_of(ImageSpec::Scratch, &["python"]), None);
    }

    #[test]
    fn blank_patterns_are_skipped() {
        assert_eq!(Pattern::parse("  "), None);
        assert!(!allowed("python:3", &["", " "]));
    }
}
