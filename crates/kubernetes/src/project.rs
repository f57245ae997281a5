//! Facts about the Kubernetes objects of a whole run, for checks that join objects across files: a
//! namespace's LimitRange supplies default limits, NetworkPolicies select pods, Services select pods,
//! workloads name ServiceAccounts, bindings grant roles of other files to them. Each file contributes its
//! [`Facts`] (cheap: no lowering); the [`Project`] joins them.
//!
//! Namespaces: an object without `metadata.namespace` is applied to whatever namespace the user deploys
//! to, so it is matched with other objects without one; objects that name a namespace match that namespace.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use plimsoll_yaml::{NodeId, Tree};

use crate::rbac::{self, BindingFacts, RoleFacts};
use crate::values::{boolean, string};
use crate::workload::pod_labels;
use crate::{Object, WorkloadKinds, objects_with};

/// What one file says that other files' checks need.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// The file, for messages about its objects; `None` for standard input.
    pub path: Option<PathBuf>,
    /// The directory of the file (which scopes its objects without a namespace) as a number unique in the
    /// project, so that scoping compares numbers, not paths.
    #[serde(skip)]
    dir_id: Option<u32>,
    pub limit_ranges: Vec<LimitDefaults>,
    pub network_policies: Vec<Policy>,
    pub service_accounts: Vec<Account>,
    /// The pods the file's workloads run.
    pub pods: Vec<PodFacts>,
    /// The namespaces of the file's custom resources (kinds outside the Kubernetes API groups, such as a
    /// Prometheus Operator `Alertmanager`), whose operators may run pods the run cannot see.
    pub custom_resources: Vec<Option<String>>,
    pub roles: Vec<RoleFacts>,
    pub bindings: Vec<BindingFacts>,
    pub secrets: Vec<Store>,
    pub config_maps: Vec<Store>,
}

/// A Secret or ConfigMap: its name and the keys it holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Store {
    pub name: Named,
    /// The keys of `data`, `stringData` and `binaryData`.
    pub keys: Vec<String>,
}

/// Secrets or ConfigMaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    Secret,
    ConfigMap,
}

/// A ServiceAccount.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub name: Named,
    /// `automountServiceAccountToken`: whether pods that do not say get the account's token.
    pub automount: Option<bool>,
}

/// A namespaced name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub namespace: Option<String>,
    pub name: String,
}

/// The default container limits a LimitRange gives containers that set none.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LimitDefaults {
    pub limit_range: Named,
    pub memory: Option<String>,
    pub cpu: Option<String>,
}

/// A NetworkPolicy's pod selector.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Policy {
    pub namespace: Option<String>,
    pub selector: Selector,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PodFacts {
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
}

/// A label selector: `matchLabels` and `matchExpressions` (a Service's plain map is `match_labels` only).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Expression>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Expression {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// Labels that controllers add to the pods they create, which no pod template carries: a selector may
/// pick one StatefulSet pod by name or one ReplicaSet's pods by hash.
const CONTROLLER_LABELS: [&str; 8] = [
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-revision-hash",
    "pod-template-hash",
    "batch.kubernetes.io/job-name",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "controller-uid",
];

impl Selector {
    /// The selector without its terms on labels that controllers add to pods ([`CONTROLLER_LABELS`]), which
    /// any pod of a workload may carry: matching pod templates against it does not miss those pods.
    pub fn ignoring_controller_labels(mut self) -> Selector {
        self.match_labels.retain(|(key, _)| !CONTROLLER_LABELS.contains(&key.as_str()));
        self.expressions.retain(|e| !CONTROLLER_LABELS.contains(&e.key.as_str()));
        self
    }

    /// Whether the selector selects every pod.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    /// Reads `{matchLabels: …, matchExpressions: […]}`.
    pub fn read(tree: &Tree, node: NodeId) -> Selector {
        let match_labels = tree.get(node, "matchLabels").map(|m| labels(tree, m)).unwrap_or_default();
        let expressions = tree
            .get(node, "matchExpressions")
            .map(|list| {
                tree.items(list)
                    .iter()
                    .filter_map(|&e| {
                        let text =
                            |key: &str| tree.get(e, key).and_then(|n| tree.text(n)).map(str::to_string);
                        let values = tree.get(e, "values").map(|v| tree.items(v)).unwrap_or_default();
                        Some(Expression {
                            key: text("key")?,
                            operator: text("operator")?,
                            values: values.iter().filter_map(|&v| tree.text(v).map(str::to_string)).collect(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Selector { match_labels, expressions }
    }

    /// Whether a pod with `pod_labels` is selected. An empty selector selects every pod.
    pub fn matches(&self, pod_labels: &[(String, String)]) -> bool {
        let value = |key: &str| pod_labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        self.match_labels.iter().all(|(k, v)| value(k) == Some(v.as_str()))
            && self.expressions.iter().all(|e| match e.operator.as_str() {
                "In" => value(&e.key).is_some_and(|v| e.values.iter().any(|x| x == v)),
                "NotIn" => value(&e.key).is_none_or(|v| e.values.iter().all(|x| x != v)),
                "Exists" => value(&e.key).is_some(),
                "DoesNotExist" => value(&e.key).is_none(),
                // An operator the API server would reject: select nothing rather than guess.
                _ => false,
            })
    }
}

/// A mapping of string labels.
pub fn labels(tree: &Tree, map: NodeId) -> Vec<(String, String)> {
    tree.entries(map)
        .iter()
        .filter_map(|e| Some((tree.key_text(e)?.to_string(), string(tree, e.value)?.value)))
        .collect()
}

impl Facts {
    /// The facts of a manifest whose workloads are the built-in kinds and `kinds`.
    pub fn of(tree: &Tree, kinds: &WorkloadKinds) -> Facts {
        let objects = objects_with(tree, kinds);
        let mut facts = Facts::default();
        for object in &objects {
            let namespace = object.namespace.as_ref().map(|n| n.value.clone());
            let named = || Named { namespace: namespace.clone(), name: name(object) };
            match object.kind.value.as_str() {
                "LimitRange" => facts.limit_ranges.extend(limit_defaults(tree, object, named())),
                "NetworkPolicy" => {
                    let selector = tree.path(object.node, &["spec", "podSelector"]);
                    let selector = selector.map(|s| Selector::read(tree, s)).unwrap_or_default();
                    facts.network_policies.push(Policy { namespace: namespace.clone(), selector });
                }
                kind @ ("Secret" | "ConfigMap") if object.group().is_empty() => {
                    let keys = ["data", "stringData", "binaryData"]
                        .iter()
                        .filter_map(|field| tree.get(object.node, field))
                        .flat_map(|map| tree.entries(map))
                        .filter_map(|e| tree.key_text(e).map(str::to_string))
                        .collect();
                    let store = Store { name: named(), keys };
                    match kind {
                        "Secret" => facts.secrets.push(store),
                        _ => facts.config_maps.push(store),
                    }
                }
                "ServiceAccount" => {
                    let automount = tree.get(object.node, "automountServiceAccountToken");
                    let automount = automount.and_then(|n| boolean(tree, n));
                    facts.service_accounts.push(Account { name: named(), automount });
                }
                _ => {
                    if let Some(labels) = pod_labels(tree, object) {
                        facts.pods.push(PodFacts { namespace: namespace.clone(), labels });
                    } else if is_custom_resource(object) {
                        facts.custom_resources.push(namespace.clone());
                    }
                }
            }
        }
        facts.roles = rbac::roles(tree, &objects).into_iter().map(|(_, role)| role).collect();
        facts.bindings = rbac::bindings(tree, &objects).iter().filter_map(rbac::Binding::facts).collect();
        facts
    }

    /// Whether the file says nothing other files' checks need.
    pub fn is_empty(&self) -> bool {
        // Exhaustive, so that a new kind of fact cannot be forgotten here.
        let Facts {
            path: _,
            dir_id: _,
            limit_ranges,
            network_policies,
            service_accounts,
            pods,
            custom_resources,
            roles,
            bindings,
            secrets,
            config_maps,
        } = self;
        limit_ranges.is_empty()
            && network_policies.is_empty()
            && service_accounts.is_empty()
            && pods.is_empty()
            && custom_resources.is_empty()
            && roles.is_empty()
            && bindings.is_empty()
            && secrets.is_empty()
            && config_maps.is_empty()
    }

    pub fn stores(&self, kind: StoreKind) -> &[Store] {
        match kind {
            StoreKind::Secret => &self.secrets,
            StoreKind::ConfigMap => &self.config_maps,
        }
    }

    /// The facts of the file at `path` (which scopes its objects without a namespace).
    /// The namespace of every fact of the file that is looked up by namespace (roles and bindings are
    /// looked up otherwise), repeats included.
    fn namespaces(&self) -> impl Iterator<Item = Option<&str>> {
        let limit_ranges = self.limit_ranges.iter().map(|r| r.limit_range.namespace.as_deref());
        let policies = self.network_policies.iter().map(|p| p.namespace.as_deref());
        let accounts = self.service_accounts.iter().map(|a| a.name.namespace.as_deref());
        let pods = self.pods.iter().map(|p| p.namespace.as_deref());
        let custom = self.custom_resources.iter().map(Option::as_deref);
        let roles = self.roles.iter().map(|r| r.name.namespace.as_deref());
        let stores = self.secrets.iter().chain(&self.config_maps).map(|s| s.name.namespace.as_deref());
        limit_ranges.chain(policies).chain(accounts).chain(pods).chain(custom).chain(roles).chain(stores)
    }

    pub fn at(self, path: Option<&Path>) -> Facts {
        Facts { path: path.map(Path::to_path_buf), ..self }
    }
}

/// Whether the object belongs to an API group outside Kubernetes' own (`apps`, `batch`,
/// `networking.k8s.io`, …): a custom resource, which an operator may turn into pods.
fn is_custom_resource(object: &Object) -> bool {
    let group = object.group();
    group.contains('.') && !group.ends_with(".k8s.io") && group != "k8s.io"
}

fn name(object: &Object) -> String {
    object.name.as_ref().map_or_else(String::new, |n| n.value.clone())
}

/// The `type: Container` limits of a LimitRange: `default` (the limit given to containers without one),
/// or `max` alone (the API server then uses it as the default).
fn limit_defaults(tree: &Tree, object: &Object, limit_range: Named) -> Option<LimitDefaults> {
    let limits = tree.path(object.node, &["spec", "limits"])?;
    for &item in tree.items(limits) {
        if tree.get(item, "type").and_then(|t| tree.text(t)) != Some("Container") {
            continue;
        }
        let value = |key: &str| {
            ["default", "max"]
                .iter()
                .find_map(|section| tree.path(item, &[section, key]))
                .and_then(|n| string(tree, n))
                .map(|s| s.value)
        };
        return Some(LimitDefaults { limit_range, memory: value("memory"), cpu: value("cpu") });
    }
    None
}

/// Every file's facts, indexed so that a lookup visits only the files that can answer it: checking every
/// workload against every file would make a run quadratic in the size of the repository.
#[derive(Clone, Debug, Default)]
pub struct Project {
    files: Vec<Facts>,
    dir_ids: HashMap<Option<PathBuf>, u32>,
    /// The files with a namespaced fact in each namespace, in file order.
    by_namespace: HashMap<String, Vec<u32>>,
    /// The files with a fact without a namespace, by directory number, in file order.
    unnamespaced_by_dir: HashMap<u32, Vec<u32>>,
    /// The files that define Roles or ClusterRoles, in file order.
    with_roles: Vec<u32>,
    /// Every Role and ClusterRole by name, as (file, role) positions in file order.
    roles_by_name: HashMap<String, Vec<(u32, u32)>>,
    /// The bindings with a ServiceAccount subject, by the account's name, as (file, binding) positions in
    /// file order; bindings to the groups of service accounts are in `group_bindings`.
    bindings_by_account: HashMap<String, Vec<(u32, u32)>>,
    group_bindings: Vec<(u32, u32)>,
    uses_network_policies: bool,
    defines_service_accounts: bool,
}

impl Project {
    /// The files that define roles, in file order.
    pub(crate) fn files_with_roles(&self) -> impl Iterator<Item = &Facts> {
        self.with_roles.iter().map(|&i| &self.files[i as usize])
    }

    /// The Roles and ClusterRoles named `name`, with their files, in file order.
    pub(crate) fn roles_named(&self, name: &str) -> impl Iterator<Item = (&RoleFacts, &Facts)> {
        let positions = self.roles_by_name.get(name).map_or(&[][..], Vec::as_slice);
        positions.iter().map(|&(file, role)| {
            let file = &self.files[file as usize];
            (&file.roles[role as usize], file)
        })
    }

    /// The bindings that may grant a role to a ServiceAccount named `name` (a superset of those for which
    /// [`BindingFacts::grants_service_account`] holds), with their files, in file order.
    pub(crate) fn bindings_for_account(&self, name: &str) -> impl Iterator<Item = (&BindingFacts, &Facts)> {
        let named = self.bindings_by_account.get(name).map_or(&[][..], Vec::as_slice);
        let mut positions: Vec<(u32, u32)> = named.iter().chain(&self.group_bindings).copied().collect();
        positions.sort_unstable();
        positions.dedup();
        positions.into_iter().map(|(file, binding)| {
            let file = &self.files[file as usize];
            (&file.bindings[binding as usize], file)
        })
    }

    pub fn new(files: impl IntoIterator<Item = Facts>) -> Project {
        let mut project = Project::default();
        for mut file in files {
            // No lookup can find anything in a file without facts (a CRD bundle, a file of Services).
            if file.is_empty() {
                continue;
            }
            let next = u32::try_from(project.dir_ids.len()).unwrap_or(u32::MAX);
            let dir_id = *project.dir_ids.entry(directory(file.path.as_deref())).or_insert(next);
            file.dir_id = Some(dir_id);
            let index = u32::try_from(project.files.len()).unwrap_or(u32::MAX);
            for namespace in file.namespaces() {
                let files = match namespace {
                    Some(namespace) => project.by_namespace.entry(namespace.to_string()).or_default(),
                    None => project.unnamespaced_by_dir.entry(dir_id).or_default(),
                };
                if files.last() != Some(&index) {
                    files.push(index);
                }
            }
            if !file.roles.is_empty() {
                project.with_roles.push(index);
            }
            project.index_rbac(index, &file);
            project.uses_network_policies |= !file.network_policies.is_empty();
            project.defines_service_accounts |= !file.service_accounts.is_empty();
            project.files.push(file);
        }
        project
    }

    /// Adds the roles and bindings of `file`, the `index`th, to the indexes by name.
    fn index_rbac(&mut self, index: u32, file: &Facts) {
        for (position, role) in (0u32..).zip(&file.roles) {
            self.roles_by_name.entry(role.name.name.clone()).or_default().push((index, position));
        }
        for (position, binding) in (0u32..).zip(&file.bindings) {
            let mut grouped = false;
            for subject in &binding.subjects {
                match subject.kind.as_str() {
                    "ServiceAccount" => {
                        let bindings = self.bindings_by_account.entry(subject.name.clone()).or_default();
                        if bindings.last() != Some(&(index, position)) {
                            bindings.push((index, position));
                        }
                    }
                    "Group" => grouped |= rbac::names_service_accounts(&subject.name),
                    _ => {}
                }
            }
            if grouped {
                self.group_bindings.push((index, position));
            }
        }
    }

    /// The project as seen from `file`: objects without a namespace only meet objects without a namespace
    /// from the same directory (one `kubectl apply -f dir/` or Kustomize base), while a named namespace is
    /// the same namespace wherever it is written.
    pub fn scoped<'a>(&'a self, file: Option<&'a Path>) -> Scoped<'a> {
        Scoped { project: self, file, dir_id: self.dir_ids.get(&directory(file)).copied() }
    }

    /// The project as seen from one of its files.
    pub(crate) fn scoped_at<'a>(&'a self, file: &'a Facts) -> Scoped<'a> {
        Scoped { project: self, file: file.path.as_deref(), dir_id: file.dir_id }
    }
}

/// The directory of a file, which scopes its objects without a namespace (`None` for standard input).
fn directory(file: Option<&Path>) -> Option<PathBuf> {
    file.map(|f| f.parent().unwrap_or(Path::new("")).to_path_buf())
}

/// A [`Project`] as seen from one file.
#[derive(Clone, Copy, Debug)]
pub struct Scoped<'a> {
    pub(crate) project: &'a Project,
    file: Option<&'a Path>,
    /// The directory's number; `None` when no file of the project is in it.
    dir_id: Option<u32>,
}

impl<'a> Scoped<'a> {
    /// Whether `file` is the one seen from.
    pub fn is_this_file(&self, file: &Facts) -> bool {
        self.in_this_directory(file) && file.path.as_deref() == self.file
    }

    /// Whether `file` is in the directory of the file seen from.
    pub(crate) fn in_this_directory(&self, file: &Facts) -> bool {
        self.dir_id.is_some() && file.dir_id == self.dir_id
    }

    /// The files that may hold a fact in the namespace `ours` as seen from this file (a superset of those
    /// for which [`Scoped::same_namespace`] can hold), in file order.
    pub(crate) fn candidates(&self, ours: Option<&str>) -> impl Iterator<Item = &'a Facts> + use<'a> {
        let project = self.project;
        let files = match ours {
            Some(namespace) => project.by_namespace.get(namespace),
            None => self.dir_id.and_then(|dir| project.unnamespaced_by_dir.get(&dir)),
        };
        files.map_or(&[][..], Vec::as_slice).iter().map(|&i| &project.files[i as usize])
    }

    /// Whether a fact of `file` in namespace `theirs` is in the namespace `ours` of the file seen from.
    pub(crate) fn same_namespace(&self, file: &Facts, theirs: Option<&str>, ours: Option<&str>) -> bool {
        match ours {
            Some(ours) => theirs == Some(ours),
            None => theirs.is_none() && self.in_this_directory(file),
        }
    }

    /// The LimitRange defaults in effect for containers in `namespace`. A namespace may split them over
    /// several LimitRanges (one for memory, one for CPU, as the Kubernetes documentation does): each
    /// resource takes the first default given for it.
    pub fn limit_defaults(&self, namespace: Option<&str>) -> Option<LimitDefaults> {
        let mut merged: Option<LimitDefaults> = None;
        for file in self.candidates(namespace) {
            for range in &file.limit_ranges {
                if !self.same_namespace(file, range.limit_range.namespace.as_deref(), namespace) {
                    continue;
                }
                match &mut merged {
                    None => merged = Some(range.clone()),
                    Some(merged) => {
                        merged.memory = merged.memory.take().or_else(|| range.memory.clone());
                        merged.cpu = merged.cpu.take().or_else(|| range.cpu.clone());
                    }
                }
            }
        }
        merged
    }

    /// Whether the run has NetworkPolicies at all (then a pod none selects is a gap, not a choice).
    pub fn uses_network_policies(&self) -> bool {
        self.project.uses_network_policies
    }

    /// Whether any NetworkPolicy of `namespace` selects a pod with these labels.
    pub fn network_policy_selects(&self, namespace: Option<&str>, labels: &[(String, String)]) -> bool {
        self.candidates(namespace).any(|file| {
            file.network_policies.iter().any(|p| {
                self.same_namespace(file, p.namespace.as_deref(), namespace) && p.selector.matches(labels)
            })
        })
    }

    /// Whether the run defines the pods of `namespace`: it defines some, and no custom resource there
    /// that an operator may turn into more (then a selector matching none of them is dangling).
    pub fn knows_pods_of(&self, namespace: Option<&str>) -> bool {
        self.candidates(namespace).any(|file| {
            file.pods.iter().any(|p| self.same_namespace(file, p.namespace.as_deref(), namespace))
        }) && !self.candidates(namespace).any(|file| {
            file.custom_resources.iter().any(|ns| self.same_namespace(file, ns.as_deref(), namespace))
        })
    }

    /// Whether a pod of `namespace` has every label of `selector` (a Service's selector).
    pub fn selects_a_pod(&self, namespace: Option<&str>, selector: &Selector) -> bool {
        self.candidates(namespace).any(|file| {
            file.pods.iter().any(|p| {
                self.same_namespace(file, p.namespace.as_deref(), namespace) && selector.matches(&p.labels)
            })
        })
    }

    /// Whether the run defines ServiceAccounts at all.
    pub fn defines_service_accounts(&self) -> bool {
        self.project.defines_service_accounts
    }

    pub fn has_service_account(&self, namespace: Option<&str>, name: &str) -> bool {
        self.service_account(namespace, name).is_some()
    }

    /// Whether the run defines Secrets (or ConfigMaps) in `namespace`: then it is where they are managed.
    pub fn defines_stores(&self, kind: StoreKind, namespace: Option<&str>) -> bool {
        self.candidates(namespace).any(|file| {
            file.stores(kind)
                .iter()
                .any(|s| self.same_namespace(file, s.name.namespace.as_deref(), namespace))
        })
    }

    /// The Secret (or ConfigMap) `name` of `namespace`, if the run defines it.
    pub fn store(&self, kind: StoreKind, namespace: Option<&str>, name: &str) -> Option<&'a Store> {
        self.candidates(namespace).find_map(|file| {
            file.stores(kind).iter().find(|s| {
                s.name.name == name && self.same_namespace(file, s.name.namespace.as_deref(), namespace)
            })
        })
    }

    /// The ServiceAccount `name` of `namespace`, if the run defines it.
    pub fn service_account(&self, namespace: Option<&str>, name: &str) -> Option<&'a Account> {
        self.candidates(namespace).find_map(|file| {
            file.service_accounts.iter().find(|s| {
                self.same_namespace(file, s.name.namespace.as_deref(), namespace) && s.name.name == name
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(yaml: &str) -> Project {
        Project::new([Facts::of(&plimsoll_yaml::parse_yaml(yaml), &WorkloadKinds::default())])
    }

    const FILES: &str = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      default: {memory: 256Mi, cpu: 500m}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector:\n    matchLabels: {app: web}\n    matchExpressions:\n      - {key: tier, operator: NotIn, values: [debug]}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers: []\n";

    #[test]
    fn limit_ranges_by_namespace() {
        let whole = project(FILES);
        let p = whole.scoped(None);
        let defaults = p.limit_defaults(Some("shop")).expect("a LimitRange in shop");
        assert_eq!((defaults.memory.as_deref(), defaults.cpu.as_deref()), (Some("256Mi"), Some("500m")));
        assert!(p.limit_defaults(None).is_none());
        let split = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: mem, namespace: a}\nspec:\n  limits:\n    - {type: Container, default: {memory: 1Gi}}\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: cpu, namespace: a}\nspec:\n  limits:\n    - {type: Container, default: {cpu: '1'}}\n";
        let split = project(split);
        let defaults = split.scoped(None).limit_defaults(Some("a")).expect("two LimitRanges");
        assert_eq!((defaults.memory.as_deref(), defaults.cpu.as_deref()), (Some("1Gi"), Some("1")));
    }

    #[test]
    fn objects_without_a_namespace_meet_in_their_directory() {
        let limits = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: d}\nspec:\n  limits:\n    - type: Container\n      default: {memory: 1Gi}\n";
        let facts = Facts::of(&plimsoll_yaml::parse_yaml(limits), &WorkloadKinds::default())
            .at(Some(Path::new("apps/shop/limits.yaml")));
        let p = Project::new([facts]);
        assert!(p.scoped(Some(Path::new("apps/shop/web.yaml"))).limit_defaults(None).is_some());
        assert!(
            p.scoped(Some(Path::new("apps/blog/web.yaml"))).limit_defaults(None).is_none(),
            "another application"
        );
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let whole = project(FILES);
        let p = whole.scoped(None);
        let web = [("app".to_string(), "web".to_string()), ("tier".to_string(), "front".to_string())];
        let debug = [("app".to_string(), "web".to_string()), ("tier".to_string(), "debug".to_string())];
        assert!(p.uses_network_policies());
        assert!(p.network_policy_selects(Some("shop"), &web));
        assert!(!p.network_policy_selects(Some("shop"), &debug));
        assert!(!p.network_policy_selects(None, &web), "another namespace");
        let service = Selector { match_labels: vec![("app".into(), "web".into())], expressions: Vec::new() };
        assert!(p.selects_a_pod(Some("shop"), &service));
        let other = Selector { match_labels: vec![("app".into(), "api".into())], expressions: Vec::new() };
        assert!(!p.selects_a_pod(Some("shop"), &other));
        assert!(p.has_service_account(Some("shop"), "web") && !p.has_service_account(Some("shop"), "api"));
        assert_eq!(p.service_account(Some("shop"), "web").and_then(|a| a.automount), Some(false));
    }
}
