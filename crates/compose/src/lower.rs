//! One container per service, with every setting the rules look at.

use plimsoll_diagnostic::Format;
use plimsoll_model::known_images::{KnownUser, default_user, mentions_windows};
use plimsoll_model::{
    Capabilities, Container, EnvVar, HostNamespace, ImageRole, ImageSpec, ImageUse, Namespace, Profile,
    Runtime, Setting, Sysctl, User, UserRef,
};
use plimsoll_span::Spanned;
use plimsoll_yaml::{NodeId, Tree};

use crate::service::Service;
use crate::values::{Text, boolean, go_bool, list, note_string_lookalike, pairs, text};
use crate::volumes::{self, HostVolume};
use crate::{Build, BuiltImages, ComposeFile, Note, ports};

/// Lowers the first document of `tree` that has a `services` mapping. `file_name` tells override files
/// (`docker-compose.override.yml`), whose services are completed by another file.
pub fn lower(tree: &Tree, file_name: Option<&str>, builds: &dyn BuiltImages) -> ComposeFile {
    let mut out = ComposeFile::default();
    let is_compose = |r: NodeId| tree.get(r, "services").is_some() || tree.get(r, "include").is_some();
    let Some(root) = tree.documents.iter().filter_map(|d| d.root).find(|&r| is_compose(r)) else {
        return out;
    };
    out.references = crate::references::references(tree, root);
    let Some(services) = tree.get(root, "services") else { return out };
    let host_volumes = volumes::host_volumes(tree, root);
    let override_file = file_name.is_some_and(|n| n.to_ascii_lowercase().contains("override"));
    for entry in tree.entries(services) {
        let Some(name) = tree.key_text(entry) else { continue };
        if tree.entries(entry.value).is_empty() && tree.scalar(entry.value).is_none() {
            continue;
        }
        let key_range = tree.node(entry.key).range;
        let service = Service::new(tree, services, name, key_range, entry.value);
        let lowered =
            ServiceLowering { service: &service, notes: &mut out.notes, host_volumes: &host_volumes };
        let container = lowered.container(builds, override_file);
        if let Some(image) = &container.image {
            out.model.images.push(image.clone());
        }
        out.model.containers.push(container);
    }
    out
}

struct ServiceLowering<'a, 't> {
    service: &'a Service<'t>,
    notes: &'a mut Vec<Note>,
    host_volumes: &'a [(String, HostVolume)],
}

impl ServiceLowering<'_, '_> {
    fn tree(&self) -> &Tree {
        self.service.tree
    }

    fn text(&self, key: &str) -> Option<Text> {
        self.service.get(key).and_then(|n| text(self.tree(), n))
    }

    fn flag(&mut self, key: &str) -> Setting<bool> {
        let anchor = self.service.key_range;
        let Some(node) = self.service.get(key) else { return Setting::Unset { anchor } };
        match boolean(self.service.tree, node, self.notes) {
            Some(value) => Setting::Explicit(value, self.service.entry_range(key).unwrap_or(anchor)),
            // A variable without a default, or a value Compose would reject: set, to nothing we can read.
            None => Setting::Unknown(self.service.entry_range(key).unwrap_or(anchor)),
        }
    }

    /// Every item of a list key, across `extends` layers.
    fn items(&self, key: &str) -> Vec<NodeId> {
        self.service.all(key).into_iter().flat_map(|n| list(self.tree(), n)).collect()
    }

    fn container(mut self, builds: &dyn BuiltImages, override_file: bool) -> Container {
        let anchor = self.service.key_range;
        let build = self.build();
        let built = build.as_ref().and_then(|b| builds.built_image(b));
        let image = if build.is_some() { None } else { self.image() };
        let partial = override_file
            || self.service.extends_other_file
            || (build.is_none() && self.service.get("image").is_none());
        let mut ports: Vec<_> =
            self.items("ports").into_iter().filter_map(|p| ports::published_port(self.tree(), p)).collect();
        ports.extend(self.items("expose").into_iter().filter_map(|p| ports::exposed_port(self.tree(), p)));
        let user = self.user(image.as_ref(), build.as_ref(), built.as_ref());
        if let (Some(build), Some(built)) = (&build, &built) {
            ports.extend(built.ports.iter().cloned().map(|mut p| {
                p.range = build.range;
                p
            }));
        }
        if let Some(restart) = self.service.get("restart") {
            note_string_lookalike(self.service.tree, restart, self.notes);
        }
        let env = self.env("environment");
        let build_args = match self.service.path(&["build", "args"]) {
            Some(args) => self.pairs_to_env(args),
            None => Vec::new(),
        };
        let runtime = self.runtime();
        let windows = image.as_ref().is_some_and(ImageUse::is_windows);
        Container {
            format: Format::Compose,
            name: Some(Spanned::new(self.service.name.to_string(), anchor)),
            anchor,
            image,
            user,
            ports,
            env,
            build_args,
            windows,
            runtime,
            partial,
        }
    }

    fn image(&self) -> Option<ImageUse> {
        let node = self.service.get("image")?;
        let t = text(self.tree(), node)?;
        let spec =
            if t.known { ImageSpec::from_text(&t.value) } else { ImageSpec::Unresolved(t.value.clone()) };
        let written = self.tree().scalar(node).map_or(t.value.clone(), |s| s.text.clone());
        Some(ImageUse {
            format: Format::Compose,
            role: ImageRole::Runtime,
            spec,
            written,
            // The reference without its quotes when the value is written as is.
            range: t.sub_range(0, t.value.len()),
            via: None,
        })
    }

    fn build(&self) -> Option<Build> {
        let node = self.service.get("build")?;
        let range = self.service.entry_range("build").unwrap_or(self.service.key_range);
        let tree = self.tree();
        if let Some(context) = text(tree, node) {
            return Some(Build {
                context: context.value,
                dockerfile: "Dockerfile".into(),
                inline: None,
                target: None,
                range,
            });
        }
        let field =
            |key: &str| tree.get(node, key).and_then(|n| text(tree, n)).filter(|t| t.known).map(|t| t.value);
        Some(Build {
            context: field("context").unwrap_or_else(|| ".".into()),
            dockerfile: field("dockerfile").unwrap_or_else(|| "Dockerfile".into()),
            inline: tree.get(node, "dockerfile_inline").and_then(|n| tree.scalar(n)).map(|s| s.text.clone()),
            target: field("target"),
            range,
        })
    }

    /// `user:`, else the built image's user, else what the image is documented to use.
    fn user(
        &self,
        image: Option<&ImageUse>,
        build: Option<&Build>,
        built: Option<&crate::BuiltImage>,
    ) -> Setting<User> {
        let anchor = self.service.key_range;
        if let Some(t) = self.text("user") {
            let user = if t.known {
                User::parse(&t.value)
            } else {
                User { user: UserRef::Unknown(t.value.clone()), group: None }
            };
            // Findings point at the value (`root`, `1000:0`), without its quotes when written as is.
            return Setting::Explicit(user, t.sub_range(0, t.value.len()));
        }
        if let (Some(build), Some(built)) = (build, built) {
            return match &built.user {
                Some(user) => Setting::Inherited(user.clone(), build.range),
                None => Setting::Unset { anchor },
            };
        }
        if build.is_some() {
            // The Dockerfile could not be read: its USER is unknown.
            return Setting::Inherited(
                User { user: UserRef::Unknown("the built image's user".into()), group: None },
                anchor,
            );
        }
        let known = match image.map(|i| (&i.spec, i.image())) {
            Some((_, Some(reference))) => default_user(reference),
            // `mcr.microsoft.com/windows/servercore:${TAG}` is a Windows image whatever the tag.
            Some((ImageSpec::Unresolved(text), None)) if mentions_windows(text) => Some(KnownUser::Windows),
            _ => None,
        };
        match known {
            Some(KnownUser::NonRoot(name)) => Setting::Inherited(
                User { user: UserRef::Name(name.into()), group: None },
                image.map_or(anchor, |i| i.range),
            ),
            Some(KnownUser::Windows) => Setting::Inherited(
                User { user: UserRef::Unknown("Windows container user".into()), group: None },
                image.map_or(anchor, |i| i.range),
            ),
            None => Setting::Unset { anchor },
        }
    }

    fn env(&mut self, key: &str) -> Vec<EnvVar> {
        let nodes = self.service.all(key);
        nodes.into_iter().flat_map(|n| self.pairs_to_env(n)).collect()
    }

    fn pairs_to_env(&mut self, node: NodeId) -> Vec<EnvVar> {
        let tree = self.service.tree;
        for entry in tree.entries(node) {
            note_string_lookalike(tree, entry.value, self.notes);
        }
        pairs(tree, node)
            .into_iter()
            // Names and values without their quotes when written as is, so findings show the exact text.
            .map(|(name, value)| EnvVar {
                name: Spanned::new(name.value.clone(), name.sub_range(0, name.value.len())),
                value: value
                    .filter(|v| v.known)
                    .map(|v| Spanned::new(v.value.clone(), v.sub_range(0, v.value.len()))),
            })
            .collect()
    }

    fn runtime(&mut self) -> Runtime {
        let anchor = self.service.key_range;
        let mut runtime = Runtime::unset(anchor);
        runtime.privileged = self.flag("privileged");
        runtime.read_only_root = self.flag("read_only");
        if let Setting::Explicit(true, range) = self.flag("oom_kill_disable") {
            runtime.oom_kill_disable = Some(range);
        }
        runtime.capabilities = self.capabilities();
        runtime.host_namespaces = self.host_namespaces();
        self.security_options(&mut runtime);
        runtime.mounts = self
            .items("volumes")
            .into_iter()
            .filter_map(|v| volumes::mount(self.tree(), v, self.host_volumes))
            .chain(self.items("tmpfs").into_iter().filter_map(|t| volumes::tmpfs(self.tree(), t)))
            .collect();
        runtime.devices = self
            .items("devices")
            .into_iter()
            .filter_map(|d| volumes::device(self.tree(), d))
            .chain(
                self.items("device_cgroup_rules")
                    .into_iter()
                    .filter_map(|d| volumes::device_rule(self.tree(), d)),
            )
            .collect();
        self.resources(&mut runtime);
        runtime.sysctls = self
            .service
            .all("sysctls")
            .into_iter()
            .flat_map(|n| pairs(self.tree(), n))
            .map(|(name, value)| Sysctl { name: name.spanned(), value: value.map(|v| v.spanned()) })
            .collect();
        runtime.groups = self
            .items("group_add")
            .into_iter()
            .filter_map(|g| text(self.tree(), g))
            .map(|g| g.spanned())
            .collect();
        runtime.cgroup_parent = self.text("cgroup_parent").map(|t| t.spanned());
        runtime.log_rotation = self.log_rotation();
        runtime.ulimits = self.ulimits();
        runtime.healthcheck = self.healthcheck();
        runtime.restart = match self.text("restart") {
            Some(t) if t.known => Setting::Explicit(t.value, t.range),
            Some(t) => Setting::Unknown(t.range),
            None => Setting::Unset { anchor },
        };
        let names = |this: &Self, key: &str| -> Vec<Spanned<String>> {
            this.items(key)
                .into_iter()
                .filter_map(|n| {
                    text(this.tree(), n)
                        .or_else(|| this.tree().get(n, "source").and_then(|s| text(this.tree(), s)))
                })
                .map(|t| t.spanned())
                .collect()
        };
        runtime.secrets = names(self, "secrets").into_iter().chain(names(self, "configs")).collect();
        runtime.env_files = names(self, "env_file")
            .into_iter()
            .chain(
                // Long syntax: `env_file: [{path: ./a.env, required: false}]`.
                self.items("env_file")
                    .into_iter()
                    .filter_map(|n| self.tree().get(n, "path").and_then(|p| text(self.tree(), p)))
                    .map(|t| t.spanned()),
            )
            .collect();
        runtime.profiles = names(self, "profiles");
        runtime
    }

    /// `ulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}`.
    fn ulimits(&self) -> Vec<Sysctl> {
        let Some(node) = self.service.get("ulimits") else { return Vec::new() };
        let tree = self.tree();
        tree.entries(node)
            .iter()
            .filter_map(|entry| {
                let name = text(tree, entry.key)?;
                let value = text(tree, entry.value)
                    .or_else(|| tree.get(entry.value, "hard").and_then(|h| text(tree, h)));
                Some(Sysctl { name: name.spanned(), value: value.map(|v| v.spanned()) })
            })
            .collect()
    }

    /// A `healthcheck` that runs (`Explicit(true)`) or is turned off (`disable: true`, `test: ["NONE"]`).
    fn healthcheck(&mut self) -> Setting<bool> {
        let anchor = self.service.key_range;
        let Some(node) = self.service.get("healthcheck") else { return Setting::Unset { anchor } };
        let range = self.service.entry_range("healthcheck").unwrap_or(anchor);
        let tree = self.service.tree;
        let disabled = tree.get(node, "disable").and_then(|d| boolean(tree, d, self.notes)) == Some(true);
        let test_none = tree.get(node, "test").is_some_and(|t| {
            let first = list(tree, t).first().and_then(|&n| text(tree, n)).map(|t| t.value);
            first.as_deref() == Some("NONE")
        });
        Setting::Explicit(!(disabled || test_none), range)
    }

    fn capabilities(&self) -> Capabilities {
        let names = |key: &str| -> Vec<Spanned<String>> {
            self.items(key)
                .into_iter()
                .filter_map(|n| text(self.tree(), n))
                .map(|t| Spanned::new(Capabilities::normalise(&t.value), t.range))
                .collect()
        };
        let anchor = self.service.entry_range("cap_drop").unwrap_or(self.service.key_range);
        Capabilities { added: names("cap_add"), dropped: names("cap_drop"), anchor }
    }

    fn host_namespaces(&self) -> Vec<HostNamespace> {
        let mut out = Vec::new();
        for (key, namespace) in [
            ("network_mode", Namespace::Network),
            ("pid", Namespace::Pid),
            ("ipc", Namespace::Ipc),
            ("uts", Namespace::Uts),
            ("userns_mode", Namespace::User),
            ("cgroup", Namespace::Cgroup),
        ] {
            if self.text(key).is_some_and(|t| t.known && t.value == "host") {
                let range = self.service.entry_range(key).unwrap_or(self.service.key_range);
                out.push(HostNamespace { namespace, range });
            }
        }
        out
    }

    /// `security_opt`: `no-new-privileges[:true]`, `seccomp:unconfined`, `apparmor=unconfined`,
    /// `label:disable`, `systempaths=unconfined` (`:` and `=` both separate the value).
    fn security_options(&mut self, runtime: &mut Runtime) {
        for node in self.items("security_opt") {
            let Some(t) = text(self.tree(), node) else { continue };
            if !t.known {
                continue;
            }
            let (name, value) = match t.value.split_once([':', '=']) {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (t.value.trim(), None),
            };
            let profile = |v: Option<&str>| match v {
                Some("unconfined") => Profile::Unconfined,
                Some("default" | "runtime/default" | "docker-default") | None => Profile::RuntimeDefault,
                Some(custom) => Profile::Custom(custom.to_string()),
            };
            match name {
                // The daemon reads the value with strconv.ParseBool and refuses to start on anything else.
                "no-new-privileges" => {
                    if let Some(on) = value.map_or(Some(true), go_bool) {
                        runtime.privilege_escalation = Setting::Explicit(!on, t.range);
                    }
                }
                "seccomp" => runtime.seccomp = Setting::Explicit(profile(value), t.range),
                "apparmor" => runtime.apparmor = Setting::Explicit(profile(value), t.range),
                "label" if value.is_some_and(|v| v == "disable" || v.ends_with("spc_t")) => {
                    runtime.selinux_disabled = Some(t.range)
                }
                "systempaths" if value == Some("unconfined") => runtime.system_paths_unmasked = Some(t.range),
                _ => {}
            }
        }
    }

    fn resources(&self, runtime: &mut Runtime) {
        let anchor = self.service.key_range;
        let setting = |keys: &[(&str, &[&str])]| -> Setting<String> {
            for (key, path) in keys {
                let node = if path.is_empty() { self.service.get(key) } else { self.service.path(path) };
                if let Some(t) = node.and_then(|n| text(self.tree(), n)) {
                    return if t.known {
                        Setting::Explicit(t.value, t.range)
                    } else {
                        Setting::Unknown(t.range)
                    };
                }
            }
            Setting::Unset { anchor }
        };
        runtime.resources.memory_limit =
            setting(&[("mem_limit", &[]), ("", &["deploy", "resources", "limits", "memory"])]);
        runtime.resources.cpu_limit =
            setting(&[("cpus", &[]), ("cpu_quota", &[]), ("", &["deploy", "resources", "limits", "cpus"])]);
        runtime.resources.pids_limit =
            setting(&[("pids_limit", &[]), ("", &["deploy", "resources", "limits", "pids"])]);
        runtime.resources.memory_swap_limit = setting(&[("memswap_limit", &[])]);
        runtime.resources.shm_size = setting(&[("shm_size", &[])]);
        runtime.resources.block_io = match self.service.entry_range("blkio_config") {
            Some(range) => Setting::Explicit("blkio_config".into(), range),
            None => Setting::Unset { anchor },
        };
    }

    /// Rotation is set when the `json-file` driver (the default) has `max-size`, or the driver does not
    /// write unbounded local files (`local` rotates by default; `syslog`, `journald`, `fluentd`… ship logs
    /// away; `none` keeps none). A driver chosen by a variable without a default is not guessed to be
    /// `json-file`. Unset points at the `logging` key when there is one.
    fn log_rotation(&self) -> Setting<String> {
        let anchor = self.service.key_range_of("logging").unwrap_or(self.service.key_range);
        let driver = self.service.path(&["logging", "driver"]).and_then(|d| text(self.tree(), d));
        let max_size =
            self.service.path(&["logging", "options", "max-size"]).and_then(|m| text(self.tree(), m));
        match (driver, max_size) {
            (_, Some(size)) => Setting::Explicit(size.value, size.range),
            (Some(driver), None) if !driver.known => Setting::Unknown(driver.range),
            (Some(driver), None) if driver.value != "json-file" => {
                Setting::Explicit(driver.value, driver.range)
            }
            _ => Setting::Unset { anchor },
        }
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_model::{Container, MountKind, Namespace, Profile, Setting, UserRef};

    use crate::{Build, BuiltImage, BuiltImages, NoBuilds, NoteKind};

    fn service(yaml: &str) -> Container {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        super::lower(&tree, None, &NoBuilds).model.containers.remove(0)
    }

    const FILE: &str = r#"
x-hardening: &hardening
  read_only: true
  security_opt: [no-new-privileges:true]
services:
  web:
    image: ${REGISTRY:-docker.io}/library/nginx:${TAG:-1.27}
    <<: *hardening
    user: "101:101"
    privileged: false
    cap_add: [net_bind_service, CAP_SYS_ADMIN]
    cap_drop: [ALL]
    network_mode: host
    pid: host
    ipc: shareable
    uts: host
    userns_mode: host
    cgroup: host
    security_opt:
      - seccomp:unconfined
      - apparmor=unconfined
      - label:disable
      - systempaths=unconfined
    ports: ["127.0.0.1:8080:80", "443:443"]
    expose: ["9000"]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - type: bind
        source: /etc
        target: /host/etc
    tmpfs: /run
    devices: ["/dev/kvm:/dev/kvm"]
    environment:
      DB_PASSWORD: hunter2
      FROM_ENV:
    sysctls: {net.ipv4.ip_forward: 1}
    ulimits: {nproc: 512, nofile: {soft: 1024, hard: 2048}}
    mem_limit: 512m
    memswap_limit: 1g
    shm_size: 64m
    cpus: 0.5
    pids_limit: 100
    blkio_config: {weight: 300}
    oom_kill_disable: true
    group_add: [docker]
    cgroup_parent: custom
    logging: {driver: json-file, options: {max-size: 10m}}
    healthcheck: {disable: true}
    restart: unless-stopped
    secrets: [db_password]
    env_file: [.env]
    profiles: [debug]
  worker:
    extends: web
    network_mode: bridge
    restart: no
"#;

    fn containers(builds: &dyn BuiltImages) -> Vec<Container> {
        let tree = plimsoll_yaml::parse_yaml(FILE);
        crate::lower(&tree, Some("compose.yaml"), builds).model.containers
    }

    #[test]
    fn every_setting_of_a_service() {
        let web = &containers(&NoBuilds)[0];
        let slice = |r: plimsoll_span::TextRange| r.slice(FILE).to_string();
        assert_eq!(web.image.as_ref().unwrap().image().unwrap().to_string(), "docker.io/library/nginx:1.27");
        assert!(matches!(&web.user, Setting::Explicit(u, _) if u.user == UserRef::Id(101)));
        assert!(matches!(web.runtime.privileged, Setting::Explicit(false, _)));
        assert!(matches!(web.runtime.read_only_root, Setting::Explicit(true, _)), "merged from the anchor");
        assert!(
            web.runtime.privilege_escalation.is_unset(),
            "the service's own security_opt replaces the merged one"
        );
        let caps: Vec<_> = web.runtime.capabilities.added.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(caps, ["NET_BIND_SERVICE", "SYS_ADMIN"]);
        assert!(web.runtime.capabilities.drops_all());
        let namespaces: Vec<_> = web.runtime.host_namespaces.iter().map(|n| n.namespace).collect();
        assert_eq!(
            namespaces,
            [Namespace::Network, Namespace::Pid, Namespace::Uts, Namespace::User, Namespace::Cgroup]
        );
        assert_eq!(slice(web.runtime.host_namespaces[0].range), "network_mode: host");
        assert!(matches!(web.runtime.seccomp, Setting::Explicit(Profile::Unconfined, _)));
        assert!(matches!(web.runtime.apparmor, Setting::Explicit(Profile::Unconfined, _)));
        assert!(web.runtime.selinux_disabled.is_some() && web.runtime.system_paths_unmasked.is_some());
        assert_eq!(web.ports.len(), 3);
        assert!(web.ports[2].published.is_none(), "expose");
        let mounts: Vec<_> = web.runtime.mounts.iter().map(|m| (m.kind, m.read_only)).collect();
        assert_eq!(mounts, [(MountKind::Bind, true), (MountKind::Bind, false), (MountKind::Tmpfs, false)]);
        assert_eq!(slice(web.runtime.devices[0].range), "/dev/kvm");
        assert_eq!(web.env.len(), 2);
        assert_eq!(web.env[0].value.as_ref().map(|v| slice(v.range)), Some("hunter2".into()));
        assert!(web.env[1].value.is_none());
        assert_eq!(web.runtime.sysctls[0].name.value, "net.ipv4.ip_forward");
        let ulimits: Vec<_> =
            web.runtime.ulimits.iter().map(|u| u.value.as_ref().unwrap().value.as_str()).collect();
        assert_eq!(ulimits, ["512", "2048"]);
        let r = &web.runtime.resources;
        for (setting, expected) in [
            (&r.memory_limit, "512m"),
            (&r.memory_swap_limit, "1g"),
            (&r.shm_size, "64m"),
            (&r.cpu_limit, "0.5"),
            (&r.pids_limit, "100"),
        ] {
            assert!(matches!(setting, Setting::Explicit(v, _) if v == expected), "{expected}");
        }
        assert!(r.block_io.is_explicit());
        assert!(web.runtime.oom_kill_disable.is_some());
        assert_eq!(web.runtime.groups[0].value, "docker");
        assert_eq!(web.runtime.cgroup_parent.as_ref().unwrap().value, "custom");
        assert!(matches!(&web.runtime.log_rotation, Setting::Explicit(v, _) if v == "10m"));
        assert!(matches!(web.runtime.healthcheck, Setting::Explicit(false, _)));
        assert!(matches!(&web.runtime.restart, Setting::Explicit(v, _) if v == "unless-stopped"));
        assert_eq!(
            (web.runtime.secrets.len(), web.runtime.env_files.len(), web.runtime.profiles.len()),
            (1, 1, 1)
        );
        assert!(!web.partial);
    }

    #[test]
    fn extends_layers_override_and_merge() {
        let worker = &containers(&NoBuilds)[1];
        assert_eq!(worker.name.as_ref().unwrap().value, "worker");
        let namespaces: Vec<_> = worker.runtime.host_namespaces.iter().map(|n| n.namespace).collect();
        assert!(!namespaces.contains(&Namespace::Network), "the child's network_mode wins");
        assert!(namespaces.contains(&Namespace::Pid), "inherited from web");
        assert!(matches!(worker.runtime.privileged, Setting::Explicit(false, _)));
    }

    #[test]
    fn restart_no_is_a_lookalike() {
        let tree = plimsoll_yaml::parse_yaml(FILE);
        let notes = crate::lower(&tree, None, &NoBuilds).notes;
        assert!(
            notes.iter().any(|n| matches!(&n.kind, NoteKind::StringLookalike { text, .. } if text == "no"))
        );
    }

    struct OneDockerfile;

    impl BuiltImages for OneDockerfile {
        fn built_image(&self, build: &Build) -> Option<BuiltImage> {
            let user = match build.context.as_str() {
                "./api" => Some(plimsoll_model::User::parse("app")),
                "./other" => None,
                _ => return None,
            };
            Some(BuiltImage { user, ports: Vec::new(), dockerfile: format!("{}/Dockerfile", build.context) })
        }
    }

    #[test]
    fn built_images_lend_their_user() {
        let yaml = "services:\n  api:\n    build: ./api\n    image: example/api\n  other:\n    build:\n      context: ./other\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let lowered = crate::lower(&tree, None, &OneDockerfile);
        let [api, other] = &lowered.model.containers[..] else { panic!() };
        assert!(
            matches!(&api.user, Setting::Inherited(u, r) if u.user == UserRef::Name("app".into()) && r.slice(yaml) == "build: ./api")
        );
        assert!(api.image.is_none() && lowered.model.images.is_empty(), "a built image is not pulled");
        assert!(other.user.is_unset(), "the Dockerfile has no USER");
        let tree = plimsoll_yaml::parse_yaml("services:\n  unread:\n    build: ./missing\n");
        let unread = &crate::lower(&tree, None, &OneDockerfile).model.containers[0];
        assert!(
            matches!(&unread.user, Setting::Inherited(u, _) if u.user.is_root().is_none()),
            "unknown, not root"
        );
    }

    #[test]
    fn log_rotation_drivers_and_anchor() {
        let rotation = |yaml: &str| {
            let tree = plimsoll_yaml::parse_yaml(yaml);
            let c = crate::lower(&tree, None, &NoBuilds).model.containers.remove(0);
            match c.runtime.log_rotation {
                Setting::Explicit(v, _) => Ok(v),
                Setting::Unset { anchor } => Err(anchor.slice(yaml).to_string()),
                Setting::Unknown(range) => Ok(format!("unknown: {}", range.slice(yaml))),
                Setting::Inherited(..) => unreachable!("nothing inherits log rotation"),
            }
        };
        assert_eq!(rotation("services:\n  a:\n    image: x\n"), Err("a".into()));
        let yaml = "services:\n  a:\n    image: x\n    logging:\n      driver: json-file\n      options: {max-file: '3'}\n";
        assert_eq!(rotation(yaml), Err("logging".into()), "the key, not the whole block");
        assert_eq!(rotation("services:\n  a:\n    logging: {driver: local}\n"), Ok("local".into()));
        let yaml = "services:\n  a:\n    logging: {driver: \"${LOG_DRIVER}\"}\n";
        assert_eq!(rotation(yaml), Ok("unknown: \"${LOG_DRIVER}\"".into()), "not guessed to be json-file");
        let yaml = "services:\n  a:\n    logging: {driver: \"${LOG_DRIVER:-json-file}\"}\n";
        assert!(rotation(yaml).is_err(), "the default is what runs");
    }

    fn unknown<T>(setting: &Setting<T>, yaml: &str) -> Option<String> {
        match setting {
            Setting::Unknown(range) => Some(range.slice(yaml).to_string()),
            _ => None,
        }
    }

    #[test]
    fn values_from_the_environment_are_unknown_not_unset() {
        let yaml = "services:\n  a:\n    image: x:1\n    read_only: ${RO}\n    privileged: yes\n    mem_limit: ${MEM}\n    cpus: ${CPUS:-0.5}\n    restart: $RESTART\n";
        let a = service(yaml);
        assert_eq!(unknown(&a.runtime.read_only_root, yaml).as_deref(), Some("read_only: ${RO}"));
        assert_eq!(
            unknown(&a.runtime.privileged, yaml).as_deref(),
            Some("privileged: yes"),
            "Compose rejects `yes`"
        );
        assert_eq!(unknown(&a.runtime.resources.memory_limit, yaml).as_deref(), Some("${MEM}"));
        assert!(matches!(&a.runtime.resources.cpu_limit, Setting::Explicit(v, _) if v == "0.5"));
        assert_eq!(unknown(&a.runtime.restart, yaml).as_deref(), Some("$RESTART"));
        assert!(service("services:\n  a:\n    image: x:1\n").runtime.read_only_root.is_unset());
    }

    #[test]
    fn partial_services() {
        let tree =
            plimsoll_yaml::parse_yaml("services:\n  a:\n    environment: [A=1]\n  b:\n    image: x:1\n");
        let containers = crate::lower(&tree, Some("docker-compose.override.yml"), &NoBuilds).model.containers;
        assert!(containers.iter().all(|c| c.partial));
        let containers = crate::lower(&tree, Some("docker-compose.yml"), &NoBuilds).model.containers;
        assert_eq!(containers.iter().map(|c| c.partial).collect::<Vec<_>>(), [true, false]);
    }

    #[test]
    fn image_and_user_ranges_are_the_values_without_quotes() {
        let yaml = "services:\n  a:\n    image: \"nginx:1.27\"\n    user: '1000:0'\n";
        let a = service(yaml);
        assert_eq!(a.image.unwrap().range.slice(yaml), "nginx:1.27");
        assert_eq!(a.user.range().slice(yaml), "1000:0");
        let yaml = "services:\n  a:\n    image: nginx:${TAG:-1.27}\n    user: ${UID:-0}\n";
        let a = service(yaml);
        assert_eq!(a.image.unwrap().range.slice(yaml), "nginx:${TAG:-1.27}");
        assert_eq!(a.user.range().slice(yaml), "${UID:-0}");
        assert_eq!(a.user.value().map(|u| u.user.is_root()), Some(Some(true)));
    }

    #[test]
    fn windows_images_with_a_variable_tag_are_not_root() {
        let a = service("services:\n  a:\n    image: mcr.microsoft.com/windows/servercore:${TAG}\n");
        assert!(matches!(a.user, Setting::Inherited(ref u, _) if matches!(u.user, UserRef::Unknown(_))));
        assert!(service("services:\n  a:\n    image: ${IMAGE}\n").user.is_unset());
    }

    #[test]
    fn environment_ranges_are_exact() {
        let yaml = "services:\n  a:\n    image: x:1\n    environment:\n      \"A\": 'one'\n      B: ${B}\n      C:\n    build:\n      args:\n        - \"D=two\"\n        - E\n";
        let a = service(yaml);
        let shown = |vars: &[plimsoll_model::EnvVar]| -> Vec<(String, Option<String>)> {
            vars.iter()
                .map(|v| {
                    (
                        v.name.range.slice(yaml).to_string(),
                        v.value.as_ref().map(|x| x.range.slice(yaml).to_string()),
                    )
                })
                .collect()
        };
        let some = |n: &str, v: &str| (n.to_string(), Some(v.to_string()));
        let none = |n: &str| (n.to_string(), None);
        assert_eq!(shown(&a.env), [some("A", "one"), none("B"), none("C")]);
        assert_eq!(shown(&a.build_args), [some("D", "two"), none("E")]);
    }
}
