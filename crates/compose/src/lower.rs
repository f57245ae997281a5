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
use crate::values::{Text, boolean, list, note_string_lookalike, pairs, text};
use crate::volumes::{self, HostVolume};
use crate::{Build, BuiltImages, ComposeFile, Note, ports};

/// Lowers the first document of `tree` that has a `services` mapping. `file_name` tells override files
/// (`docker-compose.override.yml`), whose services are completed by another file.
pub fn lower(tree: &Tree, file_name: Option<&str>, builds: &dyn BuiltImages) -> ComposeFile {
    let mut out = ComposeFile::default();
    let Some(root) =
        tree.documents.iter().filter_map(|d| d.root).find(|&r| tree.get(r, "services").is_some())
    else {
        return out;
    };
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
            None => Setting::Unset { anchor },
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
        Container {
            format: Format::Compose,
            name: Some(Spanned::new(self.service.name.to_string(), anchor)),
            anchor,
            image,
            user,
            ports,
            env,
            build_args,
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
        runtime
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
                "no-new-privileges" => {
                    let on = matches!(value, None | Some("true" | "1"));
                    runtime.privilege_escalation = Setting::Explicit(!on, t.range);
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
                    return Setting::Explicit(t.value, t.range);
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
        runtime.resources.block_io = match self.service.entry_range("blkio_config") {
            Some(range) => Setting::Explicit("blkio_config".into(), range),
            None => Setting::Unset { anchor },
        };
    }

    /// Rotation is set when the `json-file` driver (the default) has `max-size`, or the driver does not
    /// write unbounded local files (`local` rotates by default; `syslog`, `journald`, `fluentd`… ship logs
    /// away; `none` keeps none).
    fn log_rotation(&self) -> Setting<String> {
        let anchor = self.service.entry_range("logging").unwrap_or(self.service.key_range);
        let driver = self.service.path(&["logging", "driver"]).and_then(|d| text(self.tree(), d));
        let max_size =
            self.service.path(&["logging", "options", "max-size"]).and_then(|m| text(self.tree(), m));
        match (driver, max_size) {
            (_, Some(size)) => Setting::Explicit(size.value, size.range),
            (Some(driver), None) if driver.known && driver.value != "json-file" => {
                Setting::Explicit(driver.value, driver.range)
            }
            _ => Setting::Unset { anchor },
        }
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_model::{Container, Setting, UserRef};

    use crate::NoBuilds;

    fn service(yaml: &str) -> Container {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        super::lower(&tree, None, &NoBuilds).model.containers.remove(0)
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
