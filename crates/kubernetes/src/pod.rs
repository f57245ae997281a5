//! One [`Container`] per container of a pod spec, with the effective settings: a container's
//! securityContext wins over the pod's, which the container inherits (`Inherited`, pointing at the pod's
//! field); pod-wide settings (host namespaces, sysctls, volumes) apply to every container.

use plimsoll_diagnostic::Format;
use plimsoll_model::known_images::{KnownUser, default_user};
use plimsoll_model::{
    Capabilities, Container, EnvVar, HostNamespace, ImageRole, ImageSpec, ImageUse, Mount, MountKind,
    Namespace, Port, Profile, Protocol, Published, Runtime, Setting, Sysctl, User, UserRef,
};
use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, Tree};

use crate::project::LimitDefaults;
use crate::values::{boolean, entry_range, integer, string, value_range};

/// The lists of a pod spec that hold containers.
const CONTAINER_LISTS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

pub(crate) fn containers(tree: &Tree, spec: NodeId, template_metadata: Option<NodeId>) -> Vec<Container> {
    let pod = Pod {
        tree,
        spec,
        security: tree.get(spec, "securityContext"),
        annotations: annotations(tree, template_metadata),
    };
    let mut out = Vec::new();
    for list in CONTAINER_LISTS {
        let Some(items) = tree.get(spec, list) else { continue };
        for &item in tree.items(items) {
            if tree.entries(item).is_empty() {
                continue;
            }
            out.push(pod.container(item, list == "ephemeralContainers"));
        }
    }
    out
}

fn annotations(tree: &Tree, metadata: Option<NodeId>) -> Vec<(String, Spanned<String>)> {
    let Some(node) = metadata.and_then(|m| tree.get(m, "annotations")) else { return Vec::new() };
    tree.entries(node)
        .iter()
        .filter_map(|e| Some((tree.key_text(e)?.to_string(), string(tree, e.value)?)))
        .collect()
}

struct Pod<'t> {
    tree: &'t Tree,
    spec: NodeId,
    security: Option<NodeId>,
    /// The pod template's annotations (legacy AppArmor and seccomp settings).
    annotations: Vec<(String, Spanned<String>)>,
}

/// Where an effective securityContext field comes from.
#[derive(Clone, Copy)]
enum Level {
    Container,
    Pod,
}

impl Level {
    fn setting<T>(self, value: T, range: TextRange) -> Setting<T> {
        match self {
            Level::Container => Setting::Explicit(value, range),
            Level::Pod => Setting::Inherited(value, range),
        }
    }
}

impl<'t> Pod<'t> {
    /// `ephemeral`: an ephemeral (debug) container, which cannot set resources of its own.
    fn container(&self, item: NodeId, ephemeral: bool) -> Container {
        let tree = self.tree;
        let name = tree.get(item, "name").and_then(|n| string(tree, n));
        let anchor = name.as_ref().map_or(tree.node(item).range, |n| n.range);
        let security = tree.get(item, "securityContext");
        let image = self.image(item);
        let user = self.user(security, image.as_ref(), anchor);
        let mut runtime = self.runtime(item, security, name.as_ref().map(|n| n.value.as_str()), anchor);
        if ephemeral {
            // It runs within the resources of the pod it is added to.
            runtime.resources.memory_limit = Setting::Inherited("the pod's".into(), anchor);
            runtime.resources.cpu_limit = Setting::Inherited("the pod's".into(), anchor);
        }
        let windows = self.windows(security).is_some() || image.as_ref().is_some_and(ImageUse::is_windows);
        Container {
            format: Format::Kubernetes,
            name,
            anchor,
            image,
            user,
            ports: self.ports(item),
            env: self.env(item),
            build_args: Vec::new(),
            windows,
            runtime,
            partial: false,
        }
    }

    /// The container's field, else the pod's.
    fn effective(&self, security: Option<NodeId>, path: &[&str]) -> Option<(NodeId, Level)> {
        let from = |node: Option<NodeId>| node.and_then(|n| self.tree.path(n, path));
        from(security).map(|n| (n, Level::Container)).or_else(|| from(self.security).map(|n| (n, Level::Pod)))
    }

    /// The range of `key: value` for a field found by [`Pod::effective`].
    fn field_range(&self, security: Option<NodeId>, level: Level, key: &str) -> Option<TextRange> {
        let map = match level {
            Level::Container => security,
            Level::Pod => self.security,
        };
        map.and_then(|m| entry_range(self.tree, m, key))
    }

    fn image(&self, item: NodeId) -> Option<ImageUse> {
        let node = self.tree.get(item, "image")?;
        let written = string(self.tree, node)?;
        Some(ImageUse {
            format: Format::Kubernetes,
            role: ImageRole::Runtime,
            spec: ImageSpec::from_text(&written.value),
            written: written.value,
            range: written.range,
            via: None,
        })
    }

    fn user(&self, security: Option<NodeId>, image: Option<&ImageUse>, anchor: TextRange) -> Setting<User> {
        let tree = self.tree;
        let group = self.effective(security, &["runAsGroup"]).and_then(|(n, _)| integer(tree, n));
        let group = group.and_then(|g| u32::try_from(g).ok()).map(UserRef::Id);
        if let Some((node, level)) = self.effective(security, &["runAsUser"]) {
            let user = match integer(tree, node).and_then(|u| u32::try_from(u).ok()) {
                Some(id) => UserRef::Id(id),
                None => UserRef::Unknown(tree.text(node).unwrap_or_default().to_string()),
            };
            return level.setting(User { user, group }, value_range(tree, node));
        }
        if let Some((node, level)) = self.effective(security, &["runAsNonRoot"])
            && boolean(tree, node) == Some(true)
        {
            // The kubelet refuses to start the container as root; which user it runs as is the image's.
            let user = UserRef::Unknown("a non-root user (runAsNonRoot)".into());
            let range = self.field_range(security, level, "runAsNonRoot").unwrap_or(anchor);
            return level.setting(User { user, group }, range);
        }
        if let Some((node, level)) = self.effective(security, &["windowsOptions", "runAsUserName"]) {
            let name = tree.text(node).unwrap_or_default().to_string();
            return level
                .setting(User { user: UserRef::Unknown(name), group: None }, value_range(tree, node));
        }
        if let Some(os) = self.windows(security) {
            return Setting::Inherited(
                User { user: UserRef::Unknown("Windows container user".into()), group: None },
                os,
            );
        }
        match image.and_then(ImageUse::image).and_then(default_user) {
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

    /// Where the pod says it runs on Windows: `os.name: windows`, a node selector for Windows nodes, or a
    /// Windows HostProcess container (`windowsOptions.hostProcess: true`).
    fn windows(&self, security: Option<NodeId>) -> Option<TextRange> {
        let tree = self.tree;
        let os = tree.path(self.spec, &["os", "name"]);
        let selector = tree.get(self.spec, "nodeSelector");
        let selected = ["kubernetes.io/os", "beta.kubernetes.io/os"]
            .into_iter()
            .find_map(|key| selector.and_then(|s| tree.get(s, key)));
        let named = os.into_iter().chain(selected).find(|&n| tree.text(n) == Some("windows"));
        let host_process = self
            .effective(security, &["windowsOptions", "hostProcess"])
            .map(|(n, _)| n)
            .filter(|&n| boolean(tree, n) == Some(true));
        named.or(host_process).map(|n| value_range(tree, n))
    }

    fn ports(&self, item: NodeId) -> Vec<Port> {
        let tree = self.tree;
        let Some(list) = tree.get(item, "ports") else { return Vec::new() };
        let mut out = Vec::new();
        for &port in tree.items(list) {
            let Some(container_port) = tree.get(port, "containerPort") else { continue };
            let number = integer(tree, container_port).and_then(|p| u16::try_from(p).ok());
            let protocol = match tree.get(port, "protocol").and_then(|p| tree.text(p)) {
                Some("UDP") => Protocol::Udp,
                Some("SCTP") => Protocol::Sctp,
                _ => Protocol::Tcp,
            };
            // `hostPort: 0`, the default, publishes nothing.
            let host_port = tree
                .get(port, "hostPort")
                .filter(|&p| integer(tree, p) != Some(0))
                .and_then(|p| string(tree, p));
            let published = host_port.map(|host_port| Published {
                host_ip: tree.get(port, "hostIP").and_then(|ip| string(tree, ip)),
                host_port: Some(host_port),
            });
            out.push(Port {
                start: number,
                end: number,
                protocol,
                range: value_range(tree, container_port),
                published,
            });
        }
        out
    }

    fn env(&self, item: NodeId) -> Vec<EnvVar> {
        let tree = self.tree;
        let Some(list) = tree.get(item, "env") else { return Vec::new() };
        tree.items(list)
            .iter()
            .filter_map(|&var| {
                let name = string(tree, tree.get(var, "name")?)?;
                // `valueFrom` references a Secret, a ConfigMap or a field: no literal value.
                let value = tree.get(var, "value").and_then(|v| string(tree, v));
                Some(EnvVar { name, value })
            })
            .collect()
    }

    fn runtime(
        &self,
        item: NodeId,
        security: Option<NodeId>,
        name: Option<&str>,
        anchor: TextRange,
    ) -> Runtime {
        let tree = self.tree;
        let mut runtime = Runtime::unset(anchor);
        let flag = |key: &str| -> Setting<bool> {
            let Some(sc) = security else { return Setting::Unset { anchor } };
            let Some(node) = tree.get(sc, key) else { return Setting::Unset { anchor } };
            let range = entry_range(tree, sc, key).unwrap_or(anchor);
            match boolean(tree, node) {
                Some(value) => Setting::Explicit(value, range),
                None => Setting::Unknown(range),
            }
        };
        runtime.privileged = flag("privileged");
        runtime.privilege_escalation = flag("allowPrivilegeEscalation");
        runtime.read_only_root = flag("readOnlyRootFilesystem");
        runtime.capabilities = self.capabilities(security, anchor);
        runtime.host_namespaces = self.host_namespaces();
        runtime.seccomp = self.profile(security, "seccompProfile", name, &SECCOMP_ANNOTATIONS, anchor);
        runtime.apparmor = self.profile(security, "appArmorProfile", name, &APPARMOR_ANNOTATIONS, anchor);
        runtime.selinux_disabled = self
            .effective(security, &["seLinuxOptions", "type"])
            .filter(|(n, _)| tree.text(*n).is_some_and(|t| UNCONFINED_SELINUX_TYPES.contains(&t.trim())))
            .map(|(n, _)| value_range(tree, n));
        runtime.system_paths_unmasked = security
            .and_then(|sc| tree.get(sc, "procMount"))
            .filter(|&n| tree.text(n) == Some("Unmasked"))
            .map(|n| value_range(tree, n));
        runtime.mounts = self.mounts(item);
        // The container's own limit, else a pod-level limit (`spec.resources.limits`), which caps all its
        // containers together; a zero pod-level limit is no limit.
        let limit = |key: &str| -> Setting<String> {
            let path = ["resources", "limits", key];
            if let Some(value) = tree.path(item, &path).and_then(|n| string(tree, n)) {
                return Setting::Explicit(value.value, value.range);
            }
            match tree
                .path(self.spec, &path)
                .and_then(|n| string(tree, n))
                .filter(|v| !is_zero_quantity(&v.value))
            {
                Some(value) => Setting::Inherited(value.value, value.range),
                None => Setting::Unset { anchor },
            }
        };
        runtime.resources.memory_limit = limit("memory");
        runtime.resources.cpu_limit = limit("cpu");
        runtime.sysctls = self.sysctls();
        runtime.groups = self.groups();
        runtime.healthcheck =
            match tree.entry(item, "livenessProbe").or_else(|| tree.entry(item, "readinessProbe")) {
                Some(entry) => Setting::Explicit(true, tree.node(entry.key).range),
                None => Setting::Unset { anchor },
            };
        runtime.restart = match tree.get(self.spec, "restartPolicy").and_then(|n| string(tree, n)) {
            Some(policy) => Setting::Inherited(policy.value, policy.range),
            None => Setting::Unset { anchor },
        };
        runtime
    }

    fn capabilities(&self, security: Option<NodeId>, anchor: TextRange) -> Capabilities {
        let tree = self.tree;
        let node = security.and_then(|sc| tree.get(sc, "capabilities"));
        let names = |key: &str| -> Vec<Spanned<String>> {
            node.and_then(|c| tree.get(c, key))
                .map(|list| {
                    tree.items(list)
                        .iter()
                        .filter_map(|&n| string(tree, n))
                        .map(|s| Spanned::new(Capabilities::normalise(&s.value), s.range))
                        .collect()
                })
                .unwrap_or_default()
        };
        let cap_anchor = node
            .and_then(|c| tree.entry(c, "drop").map(|e| tree.node(e.key).range))
            .or_else(|| {
                security.and_then(|sc| tree.entry(sc, "capabilities")).map(|e| tree.node(e.key).range)
            })
            .unwrap_or(anchor);
        Capabilities { added: names("add"), dropped: names("drop"), anchor: cap_anchor }
    }

    fn host_namespaces(&self) -> Vec<HostNamespace> {
        let keys =
            [("hostNetwork", Namespace::Network), ("hostPID", Namespace::Pid), ("hostIPC", Namespace::Ipc)];
        keys.into_iter()
            .filter(|(key, _)| {
                self.tree.get(self.spec, key).and_then(|n| boolean(self.tree, n)) == Some(true)
            })
            .filter_map(|(key, namespace)| {
                Some(HostNamespace { namespace, range: entry_range(self.tree, self.spec, key)? })
            })
            .collect()
    }

    /// A seccomp or AppArmor profile: the container's field, the pod's, else the pod template's legacy
    /// annotation (`container.apparmor.security.beta.kubernetes.io/<container>`).
    fn profile(
        &self,
        security: Option<NodeId>,
        field: &str,
        name: Option<&str>,
        annotations: &LegacyAnnotations,
        anchor: TextRange,
    ) -> Setting<Profile> {
        let tree = self.tree;
        if let Some((node, level)) = self.effective(security, &[field, "type"]) {
            let profile = match tree.text(node).unwrap_or_default() {
                "Unconfined" => Profile::Unconfined,
                "RuntimeDefault" => Profile::RuntimeDefault,
                // `Localhost` names its profile in `localhostProfile`.
                other => Profile::Custom(
                    self.effective(security, &[field, "localhostProfile"])
                        .and_then(|(p, _)| tree.text(p))
                        .unwrap_or(other)
                        .to_string(),
                ),
            };
            return level.setting(profile, value_range(tree, node));
        }
        let container_key = name.map(|n| format!("{}{n}", annotations.container_prefix));
        let annotation =
            self.annotations.iter().find(|(key, _)| Some(key) == container_key.as_ref()).or_else(|| {
                self.annotations.iter().find(|(key, _)| annotations.pod_key == Some(key.as_str()))
            });
        match annotation {
            Some((_, value)) => {
                let profile = match value.value.as_str() {
                    "unconfined" => Profile::Unconfined,
                    "runtime/default" | "docker/default" => Profile::RuntimeDefault,
                    other => Profile::Custom(other.to_string()),
                };
                Setting::Inherited(profile, value.range)
            }
            None => Setting::Unset { anchor },
        }
    }

    fn mounts(&self, item: NodeId) -> Vec<Mount> {
        let tree = self.tree;
        let Some(list) = tree.get(item, "volumeMounts") else { return Vec::new() };
        let volumes = tree.get(self.spec, "volumes").map(|v| tree.items(v)).unwrap_or_default();
        let mut out = Vec::new();
        for &mount in tree.items(list) {
            let Some(volume_name) = tree.get(mount, "name").and_then(|n| tree.text(n)) else { continue };
            let volume = volumes
                .iter()
                .copied()
                .find(|&v| tree.get(v, "name").and_then(|n| tree.text(n)) == Some(volume_name));
            let host_path =
                volume.and_then(|v| tree.path(v, &["hostPath", "path"])).and_then(|p| string(tree, p));
            let kind = match volume {
                _ if host_path.is_some() => MountKind::Bind,
                Some(v)
                    if tree.path(v, &["emptyDir", "medium"]).and_then(|m| tree.text(m)) == Some("Memory") =>
                {
                    MountKind::Tmpfs
                }
                Some(v) if tree.get(v, "persistentVolumeClaim").is_some() => MountKind::Volume,
                _ => MountKind::Other,
            };
            let source = host_path.or_else(|| string(tree, tree.get(mount, "name")?));
            // `Bidirectional` is the runtime's `rshared`; `HostToContainer` its `rslave`.
            let propagation = tree.get(mount, "mountPropagation").and_then(|p| string(tree, p)).map(|p| {
                let value = match p.value.as_str() {
                    "Bidirectional" => "rshared",
                    "HostToContainer" => "rslave",
                    _ => "private",
                };
                Spanned::new(value.to_string(), p.range)
            });
            out.push(Mount {
                kind,
                source,
                target: tree.get(mount, "mountPath").and_then(|p| string(tree, p)),
                read_only: tree.get(mount, "readOnly").and_then(|r| boolean(tree, r)) == Some(true),
                propagation,
                range: tree.node(mount).range,
            });
        }
        out
    }

    /// The pod's supplementary groups: `supplementalGroups`, and `fsGroup`, which the kubelet adds to every
    /// container's processes (and gives the pod's volumes to).
    fn groups(&self) -> Vec<Spanned<String>> {
        let tree = self.tree;
        let Some(sc) = self.security else { return Vec::new() };
        let listed = tree.get(sc, "supplementalGroups").map(|list| tree.items(list)).unwrap_or_default();
        let fs_group = tree.get(sc, "fsGroup");
        listed.iter().copied().chain(fs_group).filter_map(|g| string(tree, g)).collect()
    }

    fn sysctls(&self) -> Vec<Sysctl> {
        let tree = self.tree;
        let Some(list) = self.security.and_then(|sc| tree.get(sc, "sysctls")) else { return Vec::new() };
        tree.items(list)
            .iter()
            .filter_map(|&s| {
                let name = string(tree, tree.get(s, "name")?)?;
                Some(Sysctl { name, value: tree.get(s, "value").and_then(|v| string(tree, v)) })
            })
            .collect()
    }
}

/// `0`, `0m`, `0.0Gi`: a quantity of nothing.
fn is_zero_quantity(text: &str) -> bool {
    let digits = text.trim().trim_end_matches(|c: char| c.is_ascii_alphabetic());
    digits.parse::<f64>().is_ok_and(|n| n == 0.0)
}

/// Limits a container does not set come from its namespace's LimitRange: `Inherited`, pointing at the
/// container (the LimitRange is in another file).
pub(crate) fn apply_limit_defaults(container: &mut Container, defaults: &LimitDefaults) {
    let resources = &mut container.runtime.resources;
    for (setting, default) in
        [(&mut resources.memory_limit, &defaults.memory), (&mut resources.cpu_limit, &defaults.cpu)]
    {
        if let (Setting::Unset { anchor }, Some(value)) = (&setting, default) {
            *setting = Setting::Inherited(value.clone(), *anchor);
        }
    }
}

/// SELinux types that run a process unconfined: the super-privileged container type, the unconfined user
/// domain, and the container runtime's own domain (`docker_t` is its older name).
const UNCONFINED_SELINUX_TYPES: [&str; 4] = ["spc_t", "unconfined_t", "container_runtime_t", "docker_t"];

/// The pod template annotations that set a profile before the securityContext fields existed.
struct LegacyAnnotations {
    /// Followed by the container's name.
    container_prefix: &'static str,
    /// For the whole pod.
    pod_key: Option<&'static str>,
}

const SECCOMP_ANNOTATIONS: LegacyAnnotations = LegacyAnnotations {
    container_prefix: "container.seccomp.security.alpha.kubernetes.io/",
    pod_key: Some("seccomp.security.alpha.kubernetes.io/pod"),
};

const APPARMOR_ANNOTATIONS: LegacyAnnotations =
    LegacyAnnotations { container_prefix: "container.apparmor.security.beta.kubernetes.io/", pod_key: None };

#[cfg(test)]
mod tests {
    use plimsoll_model::{Container, MountKind, Namespace, Profile, Setting, UserRef};

    const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/sidecar: unconfined
    spec:
      hostNetwork: true
      hostPID: false
      securityContext:
        runAsUser: 1000
        runAsGroup: 0
        seccompProfile:
          type: RuntimeDefault
        sysctls:
          - name: net.ipv4.ip_forward
            value: "1"
        supplementalGroups: [4]
      initContainers:
        - name: init
          image: busybox:1.36
          securityContext:
            runAsUser: 0
      containers:
        - name: app
          image: "nginx:1.27"
          securityContext:
            privileged: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              add: [NET_ADMIN, cap_sys_time]
              drop: ["ALL"]
            seccompProfile:
              type: Localhost
              localhostProfile: profiles/app.json
            procMount: Unmasked
          resources:
            limits:
              memory: 512Mi
          ports:
            - containerPort: 8080
              hostPort: 80
            - containerPort: 53
              protocol: UDP
          env:
            - name: DB_PASSWORD
              value: hunter2
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: t, key: token}
          volumeMounts:
            - name: sock
              mountPath: /var/run/docker.sock
            - name: data
              mountPath: /data
              readOnly: true
              mountPropagation: Bidirectional
          livenessProbe:
            httpGet: {path: /, port: 8080}
        - name: sidecar
          image: gcr.io/distroless/static:nonroot
          securityContext:
            runAsNonRoot: true
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
        - name: data
          persistentVolumeClaim: {claimName: data}
"#;

    fn containers(yaml: &str) -> Vec<Container> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        crate::lower(&tree).model.containers
    }

    fn slice(range: plimsoll_span::TextRange) -> &'static str {
        range.slice(DEPLOYMENT)
    }

    #[test]
    fn every_container_list_with_its_anchor() {
        let all = containers(DEPLOYMENT);
        let names: Vec<_> = all.iter().map(|c| slice(c.anchor)).collect();
        assert_eq!(names, ["init", "app", "sidecar"]);
        assert_eq!(all[1].image.as_ref().map(|i| slice(i.range)), Some("nginx:1.27"), "without quotes");
    }

    #[test]
    fn container_security_context_wins_over_the_pod() {
        let all = containers(DEPLOYMENT);
        let (init, app, sidecar) = (&all[0], &all[1], &all[2]);
        assert!(
            matches!(&init.user, Setting::Explicit(u, r) if u.user == UserRef::Id(0) && slice(*r) == "0")
        );
        assert!(
            matches!(&app.user, Setting::Inherited(u, r) if u.user == UserRef::Id(1000) && u.group == Some(UserRef::Id(0)) && slice(*r) == "1000")
        );
        assert!(
            matches!(&app.runtime.seccomp, Setting::Explicit(Profile::Custom(p), _) if p == "profiles/app.json")
        );
        assert!(matches!(&sidecar.runtime.seccomp, Setting::Inherited(Profile::RuntimeDefault, _)));
        assert!(
            matches!(&sidecar.user, Setting::Inherited(u, _) if u.user == UserRef::Id(1000)),
            "the pod's runAsUser"
        );
        assert!(
            matches!(&sidecar.runtime.apparmor, Setting::Inherited(Profile::Unconfined, r) if slice(*r) == "unconfined")
        );
        assert!(app.runtime.apparmor.is_unset());
    }

    #[test]
    fn privileges_capabilities_and_pod_settings() {
        let all = containers(DEPLOYMENT);
        let app = &all[1];
        assert!(
            matches!(app.runtime.privileged, Setting::Explicit(true, r) if slice(r) == "privileged: true")
        );
        assert!(matches!(app.runtime.privilege_escalation, Setting::Explicit(false, _)));
        assert!(matches!(app.runtime.read_only_root, Setting::Explicit(true, _)));
        let added: Vec<_> = app.runtime.capabilities.added.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(added, ["NET_ADMIN", "SYS_TIME"]);
        assert!(app.runtime.capabilities.drops_all());
        assert_eq!(app.runtime.system_paths_unmasked.map(slice), Some("Unmasked"));
        let namespaces: Vec<_> =
            app.runtime.host_namespaces.iter().map(|n| (n.namespace, slice(n.range))).collect();
        assert_eq!(namespaces, [(Namespace::Network, "hostNetwork: true")]);
        assert_eq!(app.runtime.sysctls[0].name.value, "net.ipv4.ip_forward");
        assert_eq!(app.runtime.groups.iter().map(|g| g.value.as_str()).collect::<Vec<_>>(), ["4"]);
        assert!(matches!(&app.runtime.resources.memory_limit, Setting::Explicit(v, _) if v == "512Mi"));
        assert!(app.runtime.resources.cpu_limit.is_unset());
        assert!(matches!(app.runtime.healthcheck, Setting::Explicit(true, _)));
        assert!(all[0].runtime.privileged.is_unset());
    }

    #[test]
    fn ports_env_and_mounts() {
        let all = containers(DEPLOYMENT);
        let app = &all[1];
        let ports: Vec<_> = app
            .ports
            .iter()
            .map(|p| {
                (p.start, p.published.as_ref().and_then(|h| h.host_port.as_ref()).map(|h| h.value.clone()))
            })
            .collect();
        assert_eq!(ports, [(Some(8080), Some("80".to_string())), (Some(53), None)]);
        let env: Vec<_> = app
            .env
            .iter()
            .map(|e| (e.name.value.as_str(), e.value.as_ref().map(|v| v.value.as_str())))
            .collect();
        assert_eq!(env, [("DB_PASSWORD", Some("hunter2")), ("TOKEN", None)]);
        let sock = &app.runtime.mounts[0];
        assert_eq!(sock.kind, MountKind::Bind);
        assert_eq!(sock.source.as_ref().map(|s| slice(s.range)), Some("/var/run/docker.sock"));
        assert!(!sock.read_only);
        let data = &app.runtime.mounts[1];
        assert_eq!((data.kind, data.read_only), (MountKind::Volume, true));
        assert_eq!(
            data.propagation.as_ref().map(|p| (p.value.as_str(), slice(p.range))),
            Some(("rshared", "Bidirectional"))
        );
    }

    #[test]
    fn limit_range_defaults_fill_missing_limits() {
        let yaml = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: d, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      default: {memory: 256Mi}\n";
        let project = crate::Project::new([crate::project::Facts::of(
            &plimsoll_yaml::parse_yaml(yaml),
            &Default::default(),
        )]);
        let pod = |namespace: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{namespace}}}\nspec:\n  containers:\n    - name: a\n      image: x:1\n"
            )
        };
        let in_shop = pod(", namespace: shop");
        let tree = plimsoll_yaml::parse_yaml(&in_shop);
        let a = crate::lower_in(&tree, &Default::default(), project.scoped(None)).model.containers.remove(0);
        assert!(
            matches!(&a.runtime.resources.memory_limit, Setting::Inherited(v, r) if v == "256Mi" && r.slice(&in_shop) == "a")
        );
        assert!(a.runtime.resources.cpu_limit.is_unset(), "no default CPU limit");
        let elsewhere = pod("");
        let tree = plimsoll_yaml::parse_yaml(&elsewhere);
        assert!(
            crate::lower_in(&tree, &Default::default(), project.scoped(None)).model.containers[0]
                .runtime
                .resources
                .memory_limit
                .is_unset()
        );
    }

    #[test]
    fn unconfined_selinux_types_only() {
        let pod = |ty: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    seLinuxOptions: {{type: {ty}}}\n  containers:\n    - name: a\n      image: x:1\n"
            )
        };
        for ty in ["spc_t", "unconfined_t", "container_runtime_t", "\"docker_t\""] {
            let yaml = pod(ty);
            let range = containers(&yaml)[0].runtime.selinux_disabled;
            assert_eq!(range.map(|r| r.slice(&yaml)), Some(ty.trim_matches('"')), "{ty}");
        }
        for ty in ["container_t", "container_init_t", "container_kvm_t", "my_spc_t_x", "\"\""] {
            assert_eq!(containers(&pod(ty))[0].runtime.selinux_disabled, None, "{ty}");
        }
    }

    #[test]
    fn supplemental_groups_and_fs_group() {
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    fsGroup: 0\n    supplementalGroups: [10, 0]\n  containers:\n    - name: a\n      image: x:1\n";
        let groups: Vec<_> =
            containers(yaml)[0].runtime.groups.iter().map(|g| (g.value.clone(), g.range.start)).collect();
        let at = |needle: &str| u32::try_from(yaml.find(needle).unwrap_or_default()).unwrap_or_default();
        assert_eq!(
            groups,
            [
                ("10".to_string(), at("10,")),
                ("0".to_string(), at("0]")),
                ("0".to_string(), at("fsGroup: 0") + 9)
            ]
        );
    }

    #[test]
    fn pod_level_limits_and_ephemeral_containers() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      resources:\n        limits: {memory: 1Gi, cpu: \"0\"}\n      containers:\n        - {name: a, image: x:1}\n      ephemeralContainers:\n        - {name: debug, image: busybox:1.36}\n";
        let all = containers(yaml);
        let a = &all[0].runtime.resources;
        assert!(matches!(&a.memory_limit, Setting::Inherited(v, r) if v == "1Gi" && r.slice(yaml) == "1Gi"));
        assert!(a.cpu_limit.is_unset(), "a zero limit is no limit");
        let debug = &all[1].runtime.resources;
        assert!(matches!(&debug.cpu_limit, Setting::Inherited(_, r) if r.slice(yaml) == "debug"));
    }

    #[test]
    fn host_port_zero_publishes_nothing() {
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      ports:\n        - {containerPort: 80, hostPort: 0}\n        - {containerPort: 81, hostPort: 8081}\n";
        let all = containers(yaml);
        let published: Vec<_> = all[0].ports.iter().map(|p| p.published.is_some()).collect();
        assert_eq!(published, [false, true]);
    }

    #[test]
    fn workloads_without_a_selector_are_patches() {
        let patch = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          securityContext: {readOnlyRootFilesystem: true}\n        - name: b\n          image: x:1\n";
        let partial: Vec<_> = containers(patch).iter().map(|c| c.partial).collect();
        assert_eq!(partial, [true, false], "a container with an image is checked");
        let whole = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    spec:\n      containers:\n        - name: a\n";
        assert!(!containers(whole)[0].partial, "a whole object without an image is still checked");
        let job = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n";
        assert!(!containers(job)[0].partial, "Jobs need no selector");
    }

    #[test]
    fn images_known_to_run_as_non_root_and_run_as_non_root() {
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: gcr.io/distroless/static:nonroot\n    - name: b\n      image: nginx:1.27\n      securityContext: {runAsNonRoot: true}\n    - name: c\n      image: nginx:1.27\n";
        let all = containers(yaml);
        assert!(matches!(&all[0].user, Setting::Inherited(u, _) if u.user.is_root() == Some(false)));
        assert!(
            matches!(&all[1].user, Setting::Explicit(u, r) if u.user.is_root().is_none() && r.slice(yaml) == "runAsNonRoot: true")
        );
        assert!(all[2].user.is_unset());
    }

    #[test]
    fn windows_pods_run_as_the_windows_user() {
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  os:\n    name: windows\n  containers:\n    - name: a\n      image: example/iis:1\n";
        assert!(
            matches!(&containers(yaml)[0].user, Setting::Inherited(u, r) if u.user.is_root().is_none() && r.slice(yaml) == "windows")
        );
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  nodeSelector:\n    kubernetes.io/os: windows\n  containers:\n    - name: a\n      image: example/iis:1\n";
        assert!(matches!(&containers(yaml)[0].user, Setting::Inherited(u, _) if u.user.is_root().is_none()));
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    windowsOptions: {hostProcess: true}\n  containers:\n    - name: a\n      image: example/iis:1\n";
        assert!(matches!(&containers(yaml)[0].user, Setting::Inherited(u, _) if u.user.is_root().is_none()));
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  nodeSelector:\n    kubernetes.io/os: linux\n  containers:\n    - name: a\n      image: example/app:1\n";
        assert!(containers(yaml)[0].user.is_unset());
    }
}
