use std::collections::BTreeMap;

use plimsoll_linter::{Check, ComposeCtx, Reporter, declare_rule};
use plimsoll_model::{Mount, MountKind};
use plimsoll_span::TextRange;

use crate::support::host_paths::{components, mount_range, mount_socket};

declare_rule! {
    /// ## What it does
    /// Flags named volumes and host paths that two or more services of a Compose file mount read-write. Host
    /// paths are compared after resolving `.`, `..` and extra slashes (`./data/` and `data/../data` are the
    /// same directory); runtime sockets are left to ISO012. A volume that one service writes and the others
    /// mount read-only (`:ro`) is not reported, nor a service's own anonymous volumes. When the mount is
    /// shared through a YAML anchor or `extends`, it is reported once, where it is written.
    ///
    /// The rule is off by default: sharing a volume is often the design (an application and its scheduler
    /// reading the same uploads directory), and the finding asks to confirm that every writer needs to write.
    ///
    /// ## Why is this bad?
    /// A volume mounted read-write by several services is a path between them: whoever compromises one can
    /// change the files the others read (configuration, code they load, data they trust) and so attack them
    /// in turn, or destroy what they store. Giving each service its own volume, or mounting the shared one
    /// read-only everywhere but in the service that produces it, keeps a compromise where it started.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: example/web:3.0
    ///     volumes:
    ///       - uploads:/srv/uploads
    ///   thumbnailer:
    ///     image: example/thumbnailer:1.1
    ///     volumes:
    ///       - uploads:/in
    /// volumes:
    ///   uploads:
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: example/web:3.0
    ///     volumes:
    ///       - uploads:/srv/uploads
    ///   thumbnailer:
    ///     image: example/thumbnailer:1.1
    ///     volumes:
    ///       - uploads:/in:ro
    /// volumes:
    ///   uploads:
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: volumes](https://docs.docker.com/reference/compose-file/services/#volumes)
    /// - [Docker: volumes](https://docs.docker.com/engine/storage/volumes/)
    code: "ISO015",
    name: "volume-shared-between-services",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Compose],
    aliases: ["8c978947-0ff6-485c-b0c2-0bfca6026466"],
    checks: [Check::Compose(check)],
}

/// What two mounts share: a named volume, or a host path in normal form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shared {
    Volume(String),
    HostPath(String),
}

struct Use<'a> {
    service: &'a str,
    /// The path or name as written, for the message.
    written: &'a str,
    range: TextRange,
}

fn check(ctx: &ComposeCtx, r: &mut Reporter) {
    let mut shared: BTreeMap<Shared, Vec<Use>> = BTreeMap::new();
    for container in &ctx.compose.model.containers {
        let Some(service) = &container.name else { continue };
        for mount in &container.runtime.mounts {
            let Some((key, source)) = writable_share(mount) else { continue };
            let range = mount_range(mount, source);
            shared.entry(key).or_default().push(Use {
                service: &service.value,
                written: &source.value,
                range,
            });
        }
    }
    for (key, uses) in shared {
        let mut services: Vec<&str> = uses.iter().map(|u| u.service).collect();
        services.dedup();
        if services.len() < 2 {
            continue;
        }
        let what = match key {
            Shared::Volume(_) => "Volume",
            Shared::HostPath(_) => "Host path",
        };
        let mut reported: Vec<TextRange> = Vec::new();
        for u in &uses {
            if reported.contains(&u.range) {
                continue;
            }
            reported.push(u.range);
            let message =
                format!("{what} `{}` is mounted read-write by services {}", u.written, listed(&services));
            r.report(u.range, message).help(
                "Give each service its own volume, or mount the shared one read-only (`:ro`) in every service that \
                 only reads it.",
            );
        }
    }
}

/// A named volume or host path mounted read-write (anonymous volumes, tmpfs and runtime sockets are not
/// shared data).
fn writable_share(mount: &Mount) -> Option<(Shared, &plimsoll_span::Spanned<String>)> {
    if mount.read_only || mount_socket(mount).is_some() {
        return None;
    }
    let source = mount.source.as_ref()?;
    let key = match mount.kind {
        MountKind::Volume => Shared::Volume(source.value.clone()),
        MountKind::Bind => Shared::HostPath(normal_form(&source.value)),
        MountKind::Tmpfs | MountKind::Other => return None,
    };
    Some((key, source))
}

/// Absolute and home paths as the host resolves them; relative ones (against the project directory) with
/// `.` and `..` resolved as far as they go.
fn normal_form(path: &str) -> String {
    if let Some(parts) = components(path) {
        return if parts.first() == Some(&"~") { parts.join("/") } else { format!("/{}", parts.join("/")) };
    }
    let mut parts: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("./{}", parts.join("/"))
}

/// "`a` and `b`", "`a`, `b` and `c`".
fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, normal_form};
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    fn messages(yaml: &str) -> Vec<String> {
        lint_compose(&RULE, yaml).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn named_volume_written_by_two_services() {
        let yaml = "services:\n  web:\n    image: a:1\n    volumes:\n      - uploads:/srv/uploads\n  worker:\n    image: b:1\n    volumes:\n      - type: volume\n        source: uploads\n        target: /in\nvolumes:\n  uploads:\n";
        assert_eq!(compose_spans(&RULE, yaml), ["uploads", "uploads"]);
        assert_eq!(
            messages(yaml)[0],
            "Volume `uploads` is mounted read-write by services `web` and `worker`"
        );
    }

    #[test]
    fn host_paths_compare_normalised() {
        let yaml = "services:\n  a:\n    image: a:1\n    volumes:\n      - ./data/:/data\n  b:\n    image: b:1\n    volumes:\n      - ./x/../data:/d\n  c:\n    image: c:1\n    volumes:\n      - data:/data\n";
        assert_eq!(compose_spans(&RULE, yaml), ["./data/", "./x/../data"]);
        assert_eq!(
            messages(yaml)[1],
            "Host path `./x/../data` is mounted read-write by services `a` and `b`"
        );
    }

    #[test]
    fn shared_through_an_anchor_is_reported_once() {
        let yaml = "x-common: &common\n  image: airflow:2\n  volumes:\n    - ./dags:/opt/airflow/dags\nservices:\n  web:\n    <<: *common\n  scheduler:\n    <<: *common\n  worker:\n    <<: *common\n";
        assert_eq!(compose_spans(&RULE, yaml), ["./dags"]);
        assert_eq!(
            messages(yaml),
            ["Host path `./dags` is mounted read-write by services `web`, `scheduler` and `worker`"]
        );
    }

    #[test]
    fn one_writer_anonymous_volumes_and_sockets_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    volumes:\n      - data:/data\n      - /cache\n      - /var/run/docker.sock:/var/run/docker.sock\n  b:\n    image: b:1\n    volumes:\n      - data:/data:ro\n      - /cache\n      - /var/run/docker.sock:/var/run/docker.sock\n",
        );
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    volumes:\n      - data:/data\n      - data:/backup\n",
        );
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    tmpfs: /run\n  b:\n    image: b:1\n    tmpfs: /run\n",
        );
    }

    #[test]
    fn normal_forms() {
        assert_eq!(normal_form("./data/"), "./data");
        assert_eq!(normal_form("data/../data"), "./data");
        assert_eq!(normal_form("../shared"), "./../shared");
        assert_eq!(normal_form("."), "./");
        assert_eq!(normal_form("/srv//data/"), "/srv/data");
        assert_eq!(normal_form("/var/run/x"), "/run/x");
        assert_eq!(normal_form("~/data"), "~/data");
    }
}
