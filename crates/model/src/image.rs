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
    /// `FROM scratch`: no image at all.
    Scratch,
    /// Depends on a variable with no default, or is not a valid reference; rules must not guess.
    Unresolved(String),
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
    pub fn image(&self) -> Option<&ImageRef> {
        match &self.spec {
            ImageSpec::Ref(r) => Some(r),
            _ => None,
        }
    }
}
