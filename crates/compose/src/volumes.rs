//! `volumes:` in short (`./data:/data:ro`, `data:/var/lib/x`, `/tmp`) and long syntax, `tmpfs:`, top-level
//! volumes that are host directories in disguise (`driver_opts: {o: bind, device: /srv}`), and `devices:`.

use plimsoll_model::{Mount, MountKind};
use plimsoll_span::Spanned;
use plimsoll_yaml::{NodeId, Tree};

use crate::values::{Text, text};

/// A top-level named volume that the `local` driver binds to a host directory.
pub struct HostVolume {
    pub device: Spanned<String>,
}

/// Top-level `volumes:` entries whose `driver_opts` bind a host directory.
pub fn host_volumes(tree: &Tree, root: NodeId) -> Vec<(String, HostVolume)> {
    let Some(volumes) = tree.get(root, "volumes") else { return Vec::new() };
    let mut out = Vec::new();
    for entry in tree.entries(volumes) {
        let Some(name) = tree.key_text(entry) else { continue };
        let Some(opts) = tree.get(entry.value, "driver_opts") else { continue };
        let binds = tree
            .get(opts, "o")
            .and_then(|o| text(tree, o))
            .is_some_and(|o| o.value.split(',').any(|p| p == "bind"));
        if let (true, Some(device)) = (binds, tree.get(opts, "device").and_then(|d| text(tree, d))) {
            out.push((name.to_string(), HostVolume { device: device.spanned() }));
        }
    }
    out
}

/// One `volumes:` item of a service.
pub fn mount(tree: &Tree, item: NodeId, host_volumes: &[(String, HostVolume)]) -> Option<Mount> {
    let mut mount =
        if tree.scalar(item).is_some() { short_syntax(&text(tree, item)?) } else { long_syntax(tree, item)? };
    // A named volume that is really a host directory.
    if mount.kind == MountKind::Volume
        && let Some((_, host)) =
            mount.source.as_ref().and_then(|s| host_volumes.iter().find(|(n, _)| *n == s.value))
    {
        mount.kind = MountKind::Bind;
        mount.source = Some(host.device.clone());
    }
    Some(mount)
}

fn short_syntax(t: &Text) -> Mount {
    let parts = split_volume(&t.value);
    let part =
        |i: usize| parts.get(i).map(|&(at, s)| Spanned::new(s.to_string(), t.sub_range(at, at + s.len())));
    let (source, target, mode) = match parts.len() {
        1 => (None, part(0), None),
        2 => (part(0), part(1), None),
        _ => (part(0), part(1), part(2)),
    };
    let options: Vec<&str> = mode.as_ref().map_or(Vec::new(), |m| m.value.split(',').collect());
    let kind = match &source {
        None => MountKind::Volume,
        Some(s) if is_host_path(&s.value) || !t.known => MountKind::Bind,
        Some(_) => MountKind::Volume,
    };
    // The propagation option itself (`rshared` in `ro,rshared`), so findings point at it.
    let propagation = parts.get(2).and_then(|&(at, mode)| {
        let mut offset = at;
        for option in mode.split(',') {
            if PROPAGATION.contains(&option) {
                return Some(Spanned::new(option.to_string(), t.sub_range(offset, offset + option.len())));
            }
            offset += option.len() + 1;
        }
        None
    });
    Mount {
        kind,
        // An unknown (interpolated) source is a path we cannot read.
        source: source.filter(|_| t.known),
        target,
        read_only: options.contains(&"ro"),
        propagation,
        range: t.range,
    }
}

const PROPAGATION: &[&str] = &["shared", "rshared", "slave", "rslave", "private", "rprivate"];

/// Splits `source:target:mode` at `:`, keeping Windows drive letters (`C:\data:/data`) in one part.
fn split_volume(value: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let drive = i == start + 1
                && bytes[start].is_ascii_alphabetic()
                && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
            if !drive {
                parts.push((start, &value[start..i]));
                start = i + 1;
            }
        }
        i += 1;
    }
    parts.push((start, &value[start..]));
    parts
}

/// What Compose treats as a host path rather than a volume name.
fn is_host_path(source: &str) -> bool {
    source.starts_with(['/', '.', '~', '\\'])
        || (source.len() > 2 && source.as_bytes()[1] == b':' && source.as_bytes()[0].is_ascii_alphabetic())
}

fn long_syntax(tree: &Tree, item: NodeId) -> Option<Mount> {
    let field = |key: &str| tree.get(item, key).and_then(|n| text(tree, n));
    let kind = match field("type").map(|t| t.value).as_deref() {
        Some("bind") => MountKind::Bind,
        Some("tmpfs") => MountKind::Tmpfs,
        Some("volume") | None => MountKind::Volume,
        Some(_) => MountKind::Other,
    };
    let source = field("source").filter(|s| s.known);
    let read_only = tree
        .get(item, "read_only")
        .and_then(|n| tree.scalar(n))
        .is_some_and(|s| matches!(s.kind(), plimsoll_yaml::ScalarKind::Bool(true)) || s.text == "true");
    let propagation =
        tree.path(item, &["bind", "propagation"]).and_then(|p| text(tree, p)).map(|p| p.spanned());
    Some(Mount {
        kind,
        source: source.map(|s| s.spanned()),
        target: field("target").map(|t| t.spanned()),
        read_only,
        propagation,
        range: tree.node(item).range,
    })
}

/// `tmpfs:` (a string or a list of paths).
pub fn tmpfs(tree: &Tree, item: NodeId) -> Option<Mount> {
    let t = text(tree, item)?;
    let path = t.value.split(':').next().unwrap_or("").to_string();
    Some(Mount {
        kind: MountKind::Tmpfs,
        source: None,
        target: Some(Spanned::new(path, t.range)),
        read_only: false,
        propagation: None,
        range: t.range,
    })
}

/// One `devices:` item: `/dev/x[:/dev/y[:perms]]` or `{source, target, permissions}`.
pub fn device(tree: &Tree, item: NodeId) -> Option<Spanned<String>> {
    match text(tree, item) {
        Some(t) => {
            let end = t.value.find(':').unwrap_or(t.value.len());
            Some(Spanned::new(t.value[..end].to_string(), t.sub_range(0, end)))
        }
        None => tree.get(item, "source").and_then(|s| text(tree, s)).map(|s| s.spanned()),
    }
}

/// A `device_cgroup_rules` item, whose range is the whole rule.
pub fn device_rule(tree: &Tree, item: NodeId) -> Option<Spanned<String>> {
    text(tree, item).map(|t| Spanned::new(t.value, t.range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mounts(yaml: &str) -> Vec<Mount> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let root = tree.documents[0].root.unwrap();
        let hosts = host_volumes(&tree, root);
        let svc = tree.path(root, &["services", "web", "volumes"]).unwrap();
        tree.items(svc).iter().filter_map(|&i| mount(&tree, i, &hosts)).collect()
    }

    #[test]
    fn short_and_long_syntax() {
        let yaml = "services:\n  web:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - data:/data\n      - ./src:/app:rshared\n      - /cache\n      - type: bind\n        source: /etc\n        target: /host-etc\n        bind:\n          propagation: shared\n";
        let m = mounts(yaml);
        assert_eq!(m[0].kind, MountKind::Bind);
        assert!(m[0].read_only);
        assert_eq!(m[0].source.as_ref().unwrap().range.slice(yaml), "/var/run/docker.sock");
        assert_eq!(m[1].kind, MountKind::Volume);
        assert_eq!(m[2].propagation.as_ref().unwrap().value, "rshared");
        assert_eq!(m[2].propagation.as_ref().unwrap().range.slice(yaml), "rshared");
        assert_eq!((m[3].kind, m[3].source.is_none()), (MountKind::Volume, true));
        assert_eq!(m[4].source.as_ref().unwrap().value, "/etc");
        assert_eq!(m[4].propagation.as_ref().unwrap().value, "shared");
    }

    #[test]
    fn propagation_points_at_the_option() {
        let yaml = "services:\n  web:\n    volumes:\n      - /mnt:/mnt:ro,z,rslave\n";
        let m = mounts(yaml);
        let propagation = m[0].propagation.as_ref().unwrap();
        assert_eq!((propagation.value.as_str(), propagation.range.slice(yaml)), ("rslave", "rslave"));
        assert!(m[0].read_only);
    }

    #[test]
    fn named_volumes_bound_to_host_directories() {
        let yaml = "services:\n  web:\n    volumes:\n      - etc:/x\nvolumes:\n  etc:\n    driver_opts:\n      type: none\n      o: bind\n      device: /etc\n";
        let m = mounts(yaml);
        assert_eq!((m[0].kind, m[0].source.as_ref().unwrap().range.slice(yaml)), (MountKind::Bind, "/etc"));
    }

    #[test]
    fn windows_drive_letters() {
        assert_eq!(split_volume("C:\\data:/data:ro"), vec![(0, "C:\\data"), (8, "/data"), (14, "ro")]);
    }
}
