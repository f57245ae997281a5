//! Containers as they will run, and the users, ports and environment variables rules check on them.

use plimsoll_diagnostic::Format;
use plimsoll_span::{Spanned, TextRange};

use crate::{ImageUse, Runtime, Setting};

/// One container as it will run: a Dockerfile's final stage, a Compose service, a Kubernetes container.
#[derive(Clone, Debug)]
pub struct Container {
    pub format: Format,
    /// The stage name, service name or container name, when there is one.
    pub name: Option<Spanned<String>>,
    /// Where to point for findings about the container as a whole (the final `FROM` line, the service key,
    /// the container's `name:`).
    pub anchor: TextRange,
    /// The image the container runs, when known.
    pub image: Option<ImageUse>,
    /// The effective user, `Unset` when nothing sets it (the image default applies, which is root unless
    /// the image says otherwise).
    pub user: Setting<User>,
    /// Ports the container declares or publishes.
    pub ports: Vec<Port>,
    /// Environment variables set for the container, with their literal values where they have one.
    pub env: Vec<EnvVar>,
    /// Build arguments passed to the image build (Compose `build.args`); they end up in the image history.
    pub build_args: Vec<EnvVar>,
    /// How the container is run (privileges, capabilities, namespaces, mounts, limits).
    pub runtime: Runtime,
    /// Part of the definition lives elsewhere (a Compose override file, `extends` from another file, a
    /// service with neither image nor build): a setting missing here may be set there, so rules about
    /// missing settings stay quiet.
    pub partial: bool,
    /// The container runs Windows (a Windows base image, a Kubernetes pod for Windows nodes): Linux-only
    /// hardening (capabilities, no-new-privileges, read-only root filesystem) does not apply to it.
    pub windows: bool,
}

/// `user[:group]`, as a Dockerfile `USER`, a Compose `user:` or a Kubernetes `runAsUser`/`runAsGroup`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub user: UserRef,
    pub group: Option<UserRef>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserRef {
    Id(u32),
    Name(String),
    /// Depends on a variable or cannot be read; rules must not guess.
    Unknown(String),
}

impl UserRef {
    /// Reads `0`, `1000`, `root`, `app`; anything with `$` is unknown.
    pub fn parse(text: &str) -> UserRef {
        let text = text.trim();
        if text.is_empty() || text.contains('$') {
            UserRef::Unknown(text.to_string())
        } else if let Ok(id) = text.parse::<u32>() {
            UserRef::Id(id)
        } else {
            UserRef::Name(text.to_string())
        }
    }

    /// `Some(true)` for `root`/`0`, `Some(false)` for any other known user, `None` when unknown.
    pub fn is_root(&self) -> Option<bool> {
        match self {
            UserRef::Id(id) => Some(*id == 0),
            UserRef::Name(name) => Some(name == "root"),
            UserRef::Unknown(_) => None,
        }
    }
}

impl User {
    /// Reads `user`, `user:group`, `uid:gid`.
    pub fn parse(text: &str) -> User {
        match text.split_once(':') {
            Some((user, group)) => User { user: UserRef::parse(user), group: Some(UserRef::parse(group)) },
            None => User { user: UserRef::parse(text), group: None },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }
}

/// A container port (or range of ports), as `EXPOSE 22/tcp`, a Compose `ports:` entry or a Kubernetes
/// `containerPort`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// First container port of the range; `None` when the value depends on a variable.
    pub start: Option<u16>,
    /// Last container port of the range (equal to `start` for a single port).
    pub end: Option<u16>,
    pub protocol: Protocol,
    pub range: TextRange,
    /// How the port is published on the host, when it is (Compose `ports:`, Kubernetes `hostPort`).
    pub published: Option<Published>,
}

/// A port published on the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The host address it binds, when one is given (`127.0.0.1`, `::1`); `None` binds every interface.
    pub host_ip: Option<Spanned<String>>,
    /// The host port or range as written; `None` lets the runtime pick one.
    pub host_port: Option<Spanned<String>>,
}

impl Port {
    pub fn contains(&self, port: u16) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if s <= port && port <= e)
    }
}

/// An environment variable of the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: Spanned<String>,
    /// The literal value, when the file gives one (not a reference to a secret or a variable).
    pub value: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_parse() {
        assert_eq!(User::parse("0:0").user.is_root(), Some(true));
        assert_eq!(User::parse("root").user.is_root(), Some(true));
        assert_eq!(User::parse("app:root").group.and_then(|g| g.is_root()), Some(true));
        assert_eq!(User::parse("1000").user, UserRef::Id(1000));
        assert_eq!(User::parse("$UID").user.is_root(), None);
    }

    #[test]
    fn port_ranges() {
        let p = Port {
            start: Some(20),
            end: Some(25),
            protocol: Protocol::Tcp,
            range: TextRange::default(),
            published: None,
        };
        assert!(p.contains(22) && !p.contains(26));
    }
}
