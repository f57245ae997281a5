//! Docker Compose: [`lower`] turns the YAML tree of a Compose file into the container model, one
//! [`Container`](plimsoll_model::Container) per service, with the values Compose would use: `extends`
//! followed within the file, `${VAR:-default}` interpolated from defaults (anything else is unknown, never
//! guessed), short and long syntaxes normalised, and — through [`BuiltImages`] — the user and ports of the
//! image a `build:` section produces.

mod interpolate;
mod lower;
mod ports;
mod references;
mod service;
mod values;
mod volumes;

pub use interpolate::{Interpolated, interpolate};
pub use lower::lower;

use plimsoll_model::{Model, Port, User};
use plimsoll_span::{Spanned, TextRange};

/// What a Compose file lowers to.
#[derive(Clone, Debug, Default)]
pub struct ComposeFile {
    pub model: Model,
    /// Values that mean different things to different YAML readers.
    pub notes: Vec<Note>,
    /// Other Compose files this one reads (`include`, `extends.file`), as written: relative paths are
    /// relative to this file's directory.
    pub references: Vec<Spanned<String>>,
}

/// A value worth a finding that is not a property of the container: how it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub range: TextRange,
    pub kind: NoteKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// A plain `yes`/`no`/`on`/`off` where Compose expects a boolean: Compose reads YAML 1.2, where these
    /// are strings, so the setting is rejected (older YAML 1.1 tools read a boolean).
    BooleanLookalike { text: String, yaml11: bool },
    /// A plain `yes`/`no`/`on`/`off` where Compose expects a string (`restart: no`, an environment value):
    /// YAML 1.1 tools read a boolean instead.
    StringLookalike { text: String, yaml11: bool },
}

/// A service's `build:` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// The build context, relative to the Compose file's directory (`.` when only `dockerfile_inline` is
    /// given).
    pub context: String,
    /// The Dockerfile, relative to the context (`Dockerfile` when not given).
    pub dockerfile: String,
    /// `dockerfile_inline`: the Dockerfile's text itself.
    pub inline: Option<String>,
    /// The stage to build (`target:`); the last stage when `None`.
    pub target: Option<String>,
    /// The `build` key: where findings about the built image point.
    pub range: TextRange,
}

/// What the linter knows about the image a `build:` section produces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuiltImage {
    /// The image's user (its final `USER`, or its base image's documented non-root user); `None` when the
    /// Dockerfile sets none, so the container runs as root.
    pub user: Option<User>,
    /// Ports the Dockerfile exposes.
    pub ports: Vec<Port>,
    /// Where the user comes from, for messages (`./api/Dockerfile`).
    pub dockerfile: String,
}

/// Reads the Dockerfiles services build. The CLI reads them from disk, the LSP server from its open
/// buffers, tests from memory; `None` when the file cannot be read.
pub trait BuiltImages {
    fn built_image(&self, build: &Build) -> Option<BuiltImage>;
}

/// No Dockerfile can be read (a Compose file on standard input, or a test).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoBuilds;

impl BuiltImages for NoBuilds {
    fn built_image(&self, _: &Build) -> Option<BuiltImage> {
        None
    }
}
