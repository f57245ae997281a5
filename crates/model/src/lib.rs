//! The normalized model that makes rules cross-format.
//!
//! Each front end lowers its syntax into the same types: the image references a file uses
//! ([`ImageUse`]) and the containers it describes ([`Container`]), with *effective* values resolved and the
//! place each value came from kept in a [`Setting`]. "Container runs as root" is one rule over
//! [`Container::user`], whether the container is a Dockerfile's final stage, a Compose service or a
//! Kubernetes container.

mod container;
mod date;
pub mod eol;
mod image;
pub mod known_images;
mod runtime;
mod setting;

pub use container::{Container, EnvVar, Port, Protocol, Published, User, UserRef};
pub use date::Date;
pub use image::{ImageRef, ImageRefError, ImageRole, ImageSpec, ImageUse};
pub use runtime::{
    Capabilities, HostNamespace, Mount, MountKind, Namespace, Profile, Resources, Runtime, Sysctl,
};
pub use setting::Setting;

/// Everything one file describes, lowered.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Every image reference the file uses (base images of every stage, `COPY --from=<image>`, service and
    /// container images), in source order.
    pub images: Vec<ImageUse>,
    /// The containers the file describes: a Dockerfile's final stage, each Compose service, each Kubernetes
    /// container.
    pub containers: Vec<Container>,
}
