//! Kubernetes RBAC objects as plain data: the policy rules of Roles and ClusterRoles (every item with the
//! range it is written at), ClusterRole aggregation, and the roles and subjects of RoleBindings and
//! ClusterRoleBindings. Each file's [`Facts`](crate::project::Facts) carry them, so bindings can be joined
//! to the roles of other files and to the workloads whose ServiceAccounts they name.

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, ScalarKind, Style, Tree};

use crate::Object;
use crate::project::{Named, Selector, labels};

/// The API group of RBAC objects.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The user-facing ClusterRoles are in every cluster; the API server restores them at startup.
const BUILT_IN_ROLES: [&str; 4] = ["cluster-admin", "admin", "edit", "view"];

/// The built-in ClusterRoles that aggregate, with the label by which other ClusterRoles add rules to them,
/// broadest first: `admin` also takes what is aggregated to `edit`, and `edit` what is aggregated to
/// `view`.
const AGGREGATING_ROLES: [(&str, &str); 3] = [
    ("admin", "rbac.authorization.k8s.io/aggregate-to-admin"),
    ("edit", "rbac.authorization.k8s.io/aggregate-to-edit"),
    ("view", "rbac.authorization.k8s.io/aggregate-to-view"),
];

/// Whether a ClusterRole of this name exists in every cluster: the user-facing roles and the `system:`
/// roles of the control plane.
pub fn is_built_in_cluster_role(name: &str) -> bool {
    name.starts_with("system:") || BUILT_IN_ROLES.contains(&name)
}

/// Whether a Role of this name exists in `namespace` of every cluster: the control plane's Roles in
/// `kube-system` and `kube-public`.
pub fn is_built_in_role(namespace: Option<&str>, name: &str) -> bool {
    matches!(namespace, Some("kube-system" | "kube-public"))
        && (name.starts_with("system:") || name == "extension-apiserver-authentication-reader")
}

/// The aggregation a built-in ClusterRole does: other ClusterRoles labelled `<label>: "true"` add their
/// rules to it. Empty for the roles that do not aggregate.
pub fn built_in_aggregation(name: &str) -> Vec<Selector> {
    let Some(position) = AGGREGATING_ROLES.iter().position(|(n, _)| *n == name) else { return Vec::new() };
    AGGREGATING_ROLES[position..]
        .iter()
        .map(|(_, label)| Selector {
            match_labels: vec![(label.to_string(), "true".to_string())],
            expressions: Vec::new(),
        })
        .collect()
}

/// One entry of a role's `rules`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyRule {
    /// The rule's mapping.
    pub range: TextRange,
    /// `apiGroups`; a rule without it is read as the core group `""` (the API server rejects it, so the
    /// author's intent is the best reading).
    pub api_groups: Vec<Spanned<String>>,
    pub api_groups_missing: bool,
    /// `resources`, subresources included (`pods/exec`).
    pub resources: Vec<Spanned<String>>,
    pub resource_names: Vec<Spanned<String>>,
    pub verbs: Vec<Spanned<String>>,
    pub non_resource_urls: Vec<Spanned<String>>,
}

impl PolicyRule {
    /// Whether the rule applies to one of `wanted` API groups (`*` applies to all).
    pub fn group_matches(&self, wanted: &[&str]) -> bool {
        if self.api_groups_missing {
            return wanted.contains(&"");
        }
        self.api_groups.iter().any(|g| g.value == "*" || wanted.contains(&g.value.as_str()))
    }

    /// Whether the rule is limited to named objects.
    pub fn is_named(&self) -> bool {
        !self.resource_names.is_empty()
    }

    /// The `*` items of the rule's verbs, resources and apiGroups, in that order.
    pub fn wildcards(&self) -> Vec<(Field, &Spanned<String>)> {
        [Field::Verbs, Field::Resources, Field::ApiGroups]
            .into_iter()
            .flat_map(|f| self.field(f).iter().filter(|i| i.value == "*").map(move |i| (f, i)))
            .collect()
    }

    pub fn has_wildcard(&self, field: Field) -> bool {
        self.field(field).iter().any(|i| i.value == "*")
    }

    pub fn field(&self, field: Field) -> &[Spanned<String>] {
        match field {
            Field::Verbs => &self.verbs,
            Field::Resources => &self.resources,
            Field::ApiGroups => &self.api_groups,
        }
    }
}

/// A list field of a policy rule that may hold `*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Verbs,
    Resources,
    ApiGroups,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::Verbs => "verbs",
            Field::Resources => "resources",
            Field::ApiGroups => "apiGroups",
        }
    }
}

/// A Role or ClusterRole.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoleFacts {
    pub name: Named,
    /// A ClusterRole (else a namespaced Role).
    pub cluster: bool,
    pub rules: Vec<PolicyRule>,
    /// The role's labels, which aggregating ClusterRoles select by.
    pub labels: Vec<(String, String)>,
    /// A ClusterRole's `aggregationRule.clusterRoleSelectors`: its rules are those of every ClusterRole
    /// they select (the controller overwrites its own `rules`). Empty when it does not aggregate.
    pub aggregation: Vec<Selector>,
    /// Annotated `rbac.authorization.kubernetes.io/autoupdate: "false"`: the API server does not restore a
    /// built-in role of this name to its default permissions at startup.
    pub no_autoupdate: bool,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BindingFacts {
    pub name: Named,
    /// A ClusterRoleBinding (else a namespaced RoleBinding).
    pub cluster: bool,
    /// `roleRef.kind`: `ClusterRole` or `Role`.
    pub role_kind: String,
    pub role_name: String,
    pub subjects: Vec<SubjectFacts>,
}

/// One entry of a binding's `subjects`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubjectFacts {
    /// `ServiceAccount`, `User` or `Group`.
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

impl BindingFacts {
    /// Whether the binding grants its role to the ServiceAccount `name` of `namespace`: by name, or
    /// through the groups every ServiceAccount is in (`system:serviceaccounts`,
    /// `system:serviceaccounts:<namespace>`, `system:authenticated`). A subject without a namespace is in
    /// the binding's. A `None` namespace is whatever namespace the file is applied to: it matches any
    /// other when `together` (the binding and the workload are applied together), else none.
    pub fn grants_service_account(&self, namespace: Option<&str>, name: &str, together: bool) -> bool {
        let same = |theirs: Option<&str>| match (theirs, namespace) {
            (Some(theirs), Some(ours)) => theirs == ours,
            _ => together,
        };
        self.subjects.iter().any(|subject| match subject.kind.as_str() {
            "ServiceAccount" => {
                subject.name == name && same(subject.namespace.as_deref().or(self.name.namespace.as_deref()))
            }
            "Group" => match subject.name.as_str() {
                "system:serviceaccounts" | "system:authenticated" => true,
                group => group.strip_prefix(ACCOUNTS_OF_NAMESPACE).is_some_and(|ns| same(Some(ns))),
            },
            _ => false,
        })
    }
}

/// The group of the service accounts of one namespace, before the namespace's name.
const ACCOUNTS_OF_NAMESPACE: &str = "system:serviceaccounts:";

/// Whether a group of this name holds service accounts: all of them, those of a namespace, or everyone
/// authenticated.
pub fn names_service_accounts(group: &str) -> bool {
    matches!(group, "system:serviceaccounts" | "system:authenticated")
        || group.starts_with(ACCOUNTS_OF_NAMESPACE)
}

/// The Roles and ClusterRoles among `objects`, with their objects, in document order.
pub fn roles<'o>(tree: &Tree, objects: &'o [Object]) -> Vec<(&'o Object, RoleFacts)> {
    objects
        .iter()
        .filter(|o| o.group() == RBAC_GROUP)
        .filter_map(|object| {
            let cluster = match object.kind.value.as_str() {
                "Role" => false,
                "ClusterRole" => true,
                _ => return None,
            };
            let rules = tree
                .get(object.node, "rules")
                .map(|seq| tree.items(seq).iter().filter_map(|&r| policy_rule(tree, r)).collect())
                .unwrap_or_default();
            let metadata = tree.get(object.node, "metadata");
            let annotation = metadata
                .and_then(|m| tree.path(m, &["annotations", "rbac.authorization.kubernetes.io/autoupdate"]));
            let aggregation = tree
                .path(object.node, &["aggregationRule", "clusterRoleSelectors"])
                .filter(|_| cluster)
                .map(|list| tree.items(list).iter().map(|&s| Selector::read(tree, s)).collect())
                .unwrap_or_default();
            let role = RoleFacts {
                name: named(object),
                cluster,
                rules,
                labels: metadata
                    .and_then(|m| tree.get(m, "labels"))
                    .map(|l| labels(tree, l))
                    .unwrap_or_default(),
                aggregation,
                no_autoupdate: annotation.and_then(|n| tree.text(n)) == Some("false"),
            };
            Some((object, role))
        })
        .collect()
}

/// A RoleBinding or ClusterRoleBinding as written, every value with its range.
#[derive(Debug)]
pub struct Binding<'o> {
    pub object: &'o Object,
    /// A ClusterRoleBinding (else a namespaced RoleBinding).
    pub cluster: bool,
    pub role_ref: RoleRef,
    pub subjects: Vec<Subject>,
}

/// A binding's `roleRef`.
#[derive(Debug, Default)]
pub struct RoleRef {
    pub kind: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub api_group: Option<Spanned<String>>,
}

/// One entry of a binding's `subjects`.
#[derive(Debug)]
pub struct Subject {
    /// The subject's mapping.
    pub range: TextRange,
    pub kind: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
}

/// The RoleBindings and ClusterRoleBindings among `objects`, in document order.
pub fn bindings<'o>(tree: &Tree, objects: &'o [Object]) -> Vec<Binding<'o>> {
    let field = |map: NodeId, key: &str| tree.get(map, key).and_then(|n| item_string(tree, n));
    objects
        .iter()
        .filter(|o| o.group() == RBAC_GROUP)
        .filter_map(|object| {
            let cluster = match object.kind.value.as_str() {
                "RoleBinding" => false,
                "ClusterRoleBinding" => true,
                _ => return None,
            };
            let role_ref = tree
                .get(object.node, "roleRef")
                .map(|r| RoleRef {
                    kind: field(r, "kind"),
                    name: field(r, "name"),
                    api_group: field(r, "apiGroup"),
                })
                .unwrap_or_default();
            let subjects = tree
                .get(object.node, "subjects")
                .map(|seq| {
                    tree.items(seq)
                        .iter()
                        .filter(|&&s| !tree.entries(s).is_empty())
                        .map(|&s| Subject {
                            range: tree.node(s).range,
                            kind: field(s, "kind"),
                            name: field(s, "name"),
                            namespace: field(s, "namespace"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(Binding { object, cluster, role_ref, subjects })
        })
        .collect()
}

impl Binding<'_> {
    /// `ClusterRoleBinding` or `RoleBinding`, for messages.
    pub fn kind(&self) -> &'static str {
        if self.cluster { "ClusterRoleBinding" } else { "RoleBinding" }
    }

    /// The name of the ClusterRole the binding refers to, if it refers to one.
    pub fn cluster_role(&self) -> Option<&Spanned<String>> {
        let kind = self.role_ref.kind.as_ref()?;
        (kind.value == "ClusterRole").then_some(self.role_ref.name.as_ref()?)
    }

    /// The binding as plain data for the run's facts; `None` when it names no role. Subjects without a
    /// kind or a name grant nothing and are left out.
    pub fn facts(&self) -> Option<BindingFacts> {
        let text = |value: &Option<Spanned<String>>| value.as_ref().map(|v| v.value.clone());
        let subjects = self
            .subjects
            .iter()
            .filter_map(|s| {
                Some(SubjectFacts {
                    kind: text(&s.kind)?,
                    name: text(&s.name)?,
                    namespace: text(&s.namespace),
                })
            })
            .collect();
        Some(BindingFacts {
            name: named(self.object),
            cluster: self.cluster,
            role_kind: text(&self.role_ref.kind)?,
            role_name: text(&self.role_ref.name)?,
            subjects,
        })
    }
}

fn named(object: &Object) -> Named {
    Named {
        namespace: object.namespace.as_ref().map(|n| n.value.clone()),
        name: object.name.as_ref().map_or_else(String::new, |n| n.value.clone()),
    }
}

fn policy_rule(tree: &Tree, node: NodeId) -> Option<PolicyRule> {
    if tree.entries(node).is_empty() {
        return None;
    }
    let list = |key: &str| tree.get(node, key).map(|seq| strings(tree, seq)).unwrap_or_default();
    Some(PolicyRule {
        range: tree.node(node).range,
        api_groups: list("apiGroups"),
        api_groups_missing: tree.get(node, "apiGroups").is_none_or(|n| tree.items(n).is_empty()),
        resources: list("resources"),
        resource_names: list("resourceNames"),
        verbs: list("verbs"),
        non_resource_urls: list("nonResourceURLs"),
    })
}

/// The string items of a sequence (a lone string is not read: the API server rejects it).
fn strings(tree: &Tree, seq: NodeId) -> Vec<Spanned<String>> {
    tree.items(seq).iter().filter_map(|&item| item_string(tree, item)).collect()
}

/// A scalar's text with the range of the text inside its quotes (when written without escapes, and not
/// empty: `""` keeps its quotes, so that it can be pointed at); `None` for null, mappings and sequences.
pub fn item_string(tree: &Tree, id: NodeId) -> Option<Spanned<String>> {
    let scalar = tree.scalar(id)?;
    if scalar.kind() == ScalarKind::Null && matches!(scalar.style, Style::Plain | Style::JsonLiteral) {
        return None;
    }
    let range = tree.node(id).range;
    let quoted = matches!(scalar.style, Style::SingleQuoted | Style::DoubleQuoted | Style::JsonString);
    let range = if quoted && !scalar.text.is_empty() && range.len() as usize == scalar.text.len() + 2 {
        TextRange::new(range.start + 1, range.end - 1)
    } else {
        range
    };
    Some(Spanned::new(scalar.text.clone(), range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(subjects: &str) -> BindingFacts {
        let yaml = format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: b, namespace: shop}}\nroleRef: {{kind: ClusterRole, name: r}}\nsubjects:\n{subjects}"
        );
        let tree = plimsoll_yaml::parse_yaml(&yaml);
        bindings(&tree, &crate::objects(&tree))[0].facts().expect("a role")
    }

    #[test]
    fn service_accounts_are_granted_by_name_and_group() {
        let named = binding("  - {kind: ServiceAccount, name: web}\n");
        assert!(named.grants_service_account(Some("shop"), "web", false), "the binding's namespace");
        assert!(!named.grants_service_account(Some("blog"), "web", true));
        assert!(!named.grants_service_account(Some("shop"), "api", true));
        assert!(named.grants_service_account(None, "web", true), "applied together");
        assert!(!named.grants_service_account(None, "web", false), "applied apart");
        let group = binding("  - {kind: Group, name: 'system:serviceaccounts:blog'}\n");
        assert!(group.grants_service_account(Some("blog"), "any", false));
        assert!(!group.grants_service_account(Some("shop"), "any", true));
        let everyone = binding("  - {kind: Group, name: 'system:authenticated'}\n");
        assert!(everyone.grants_service_account(None, "x", false));
        assert!(!binding("  - {kind: User, name: web}\n").grants_service_account(Some("shop"), "web", true));
    }

    #[test]
    fn roles_carry_rules_labels_and_aggregation() {
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring\n  labels: {team: ops}\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels: {aggregate-to-monitoring: 'true'}\nrules:\n  - apiGroups: ['']\n    resources: [pods]\n    verbs: [get]\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let objects = crate::objects(&tree);
        let (_, role) = &roles(&tree, &objects)[0];
        assert!(role.cluster);
        assert_eq!(role.rules[0].verbs[0].value, "get");
        assert_eq!(role.labels, [("team".to_string(), "ops".to_string())]);
        assert_eq!(role.aggregation.len(), 1);
        assert_eq!(&yaml[role.rules[0].api_groups[0].range.as_usize()], "''", "empty strings keep quotes");
    }

    #[test]
    fn built_in_roles_aggregate_downwards() {
        assert_eq!(built_in_aggregation("admin").len(), 3);
        assert_eq!(built_in_aggregation("view").len(), 1);
        assert!(built_in_aggregation("cluster-admin").is_empty());
        assert!(is_built_in_cluster_role("system:node") && !is_built_in_cluster_role("reader"));
    }
}
