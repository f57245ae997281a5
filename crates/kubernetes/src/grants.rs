//! Who may do what, joined across the files of a run: the role a binding refers to (defined in any file,
//! built into every cluster, or missing), the rules an aggregating ClusterRole collects from the
//! ClusterRoles it selects, and every binding that grants a role to a workload's ServiceAccount.

use crate::project::{Facts, Scoped, Selector};
use crate::rbac::{self, BindingFacts, PolicyRule, RoleFacts};

/// Where the role a binding refers to comes from.
#[derive(Clone, Copy, Debug)]
pub enum RoleSource<'a> {
    /// A Role or ClusterRole of the run, in `file`.
    Defined { role: &'a RoleFacts, file: &'a Facts },
    /// A ClusterRole built into every cluster (`cluster-admin`, `view`, `system:…`). A file that redefines
    /// `cluster-admin`, `admin`, `edit` or `view` does not change it unless it opts out of the API server's
    /// updates at startup.
    BuiltIn,
    /// Not defined by the run and not built in.
    Missing,
}

/// A binding of the run, with its file and its role.
#[derive(Clone, Copy, Debug)]
pub struct Bound<'a> {
    pub binding: &'a BindingFacts,
    pub file: &'a Facts,
    pub role: RoleSource<'a>,
}

impl Bound<'_> {
    /// Whether the binding grants the role everywhere: a ClusterRoleBinding of a ClusterRole. A
    /// RoleBinding grants a ClusterRole's rules in its own namespace only, so cluster-scoped resources
    /// (nodes, users, webhooks) not at all.
    pub fn cluster_wide(&self) -> bool {
        self.binding.cluster && self.binding.role_kind == "ClusterRole"
    }
}

impl<'a> Scoped<'a> {
    /// The role of kind `kind` (`Role`, `ClusterRole`) and `name` that a binding of `namespace` in this
    /// file refers to. A Role is looked up in the binding's namespace. When several files define it (other
    /// variants of the same installation, unrelated projects), the nearest wins: this file, then its
    /// directory, then the first.
    pub fn role(&self, kind: &str, name: &str, namespace: Option<&str>) -> RoleSource<'a> {
        let cluster = match kind {
            "ClusterRole" => true,
            "Role" => false,
            _ => return RoleSource::Missing,
        };
        let defined = self
            .project
            .roles_named(name)
            .filter(|(role, file)| {
                role.cluster == cluster
                    && (cluster || self.same_namespace(file, role.name.namespace.as_deref(), namespace))
            })
            .min_by_key(|(_, file)| self.distance(file));
        let built_in = if cluster {
            rbac::is_built_in_cluster_role(name)
        } else {
            rbac::is_built_in_role(namespace, name)
        };
        match defined {
            Some((role, _)) if built_in && !name.starts_with("system:") && !role.no_autoupdate => {
                RoleSource::BuiltIn
            }
            Some((role, file)) => RoleSource::Defined { role, file },
            None if built_in => RoleSource::BuiltIn,
            None => RoleSource::Missing,
        }
    }

    /// How far `file` is from the file seen from: 0 for itself, 1 for its directory, 2 for elsewhere.
    pub fn distance(&self, file: &Facts) -> u8 {
        if self.is_this_file(file) {
            0
        } else if self.in_this_directory(file) {
            1
        } else {
            2
        }
    }

    /// The ClusterRoles of the run that `selectors` select, with their files: the roles an aggregating
    /// ClusterRole collects its rules from.
    pub fn aggregated(&self, selectors: &[Selector]) -> Vec<(&'a RoleFacts, &'a Facts)> {
        if selectors.is_empty() {
            return Vec::new();
        }
        self.project
            .files_with_roles()
            .flat_map(|file| file.roles.iter().map(move |role| (role, file)))
            .filter(|(role, _)| role.cluster && selectors.iter().any(|s| s.matches(&role.labels)))
            .collect()
    }

    /// The rules a binding to `role` (named `name`) grants, each with the role and file it is written in: a
    /// defined role's own rules and those it aggregates; for a built-in role, the rules other ClusterRoles
    /// of the run aggregate into it (its built-in permissions are not listed).
    pub fn effective_rules(
        &self,
        role: RoleSource<'a>,
        name: &str,
    ) -> Vec<(&'a RoleFacts, &'a Facts, &'a PolicyRule)> {
        let (own, selectors) = match role {
            RoleSource::Defined { role, file } => (Some((role, file)), role.aggregation.clone()),
            RoleSource::BuiltIn => (None, rbac::built_in_aggregation(name)),
            RoleSource::Missing => return Vec::new(),
        };
        let mut roles: Vec<(&RoleFacts, &Facts)> = own.into_iter().collect();
        for (role, file) in self.aggregated(&selectors) {
            if !roles.iter().any(|(r, _)| std::ptr::eq(*r, role)) {
                roles.push((role, file));
            }
        }
        roles
            .into_iter()
            .flat_map(|(role, file)| role.rules.iter().map(move |rule| (role, file, rule)))
            .collect()
    }

    /// Every binding of the run that grants a role to the ServiceAccount `name` of `namespace` (a
    /// workload of this file runs as it), in file order.
    pub fn service_account_bindings(&self, namespace: Option<&str>, name: &str) -> Vec<Bound<'a>> {
        let mut out = Vec::new();
        for (binding, file) in self.project.bindings_for_account(name) {
            if !binding.grants_service_account(namespace, name, self.in_this_directory(file)) {
                continue;
            }
            let from_binding = self.project.scoped_at(file);
            let role =
                from_binding.role(&binding.role_kind, &binding.role_name, binding.name.namespace.as_deref());
            out.push(Bound { binding, file, role });
        }
        out
    }

    /// Whether the roles a binding of `namespace` in this file may refer to are managed by the run: it
    /// defines Roles in that namespace, or (`cluster`) ClusterRoles in this file's directory.
    pub fn manages_roles(&self, cluster: bool, namespace: Option<&str>) -> bool {
        self.project.files_with_roles().any(|file| {
            file.roles.iter().any(|role| match cluster {
                true => role.cluster && self.distance(file) < 2,
                false => {
                    !role.cluster && self.same_namespace(file, role.name.namespace.as_deref(), namespace)
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::project::Project;

    fn facts(path: &str, yaml: &str) -> Facts {
        Facts::of(&plimsoll_yaml::parse_yaml(yaml), &Default::default()).at(Some(Path::new(path)))
    }

    const ROLES: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader, labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}}\nrules:\n  - {apiGroups: [''], resources: [secrets], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: local, namespace: shop}\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: all}\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}\n";

    const BINDINGS: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: web}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: web, namespace: shop}\nroleRef: {kind: Role, name: local}\nsubjects: [{kind: ServiceAccount, name: web}]\n";

    #[test]
    fn roles_resolve_across_files() {
        let project = Project::new([facts("rbac/roles.yaml", ROLES), facts("app/bindings.yaml", BINDINGS)]);
        let p = project.scoped(Some(Path::new("app/web.yaml")));
        assert!(matches!(p.role("ClusterRole", "reader", None), RoleSource::Defined { .. }));
        assert!(matches!(p.role("Role", "local", Some("shop")), RoleSource::Defined { .. }));
        assert!(matches!(p.role("Role", "local", Some("blog")), RoleSource::Missing));
        assert!(matches!(p.role("ClusterRole", "view", None), RoleSource::BuiltIn));
        assert!(matches!(p.role("ClusterRole", "system:node", None), RoleSource::BuiltIn));
        assert!(matches!(p.role("ClusterRole", "writer", None), RoleSource::Missing));
        assert!(matches!(p.role("Binding", "reader", None), RoleSource::Missing));
    }

    #[test]
    fn aggregation_collects_labelled_roles() {
        let project = Project::new([facts("rbac/roles.yaml", ROLES)]);
        let p = project.scoped(None);
        let all = p.role("ClusterRole", "all", None);
        let rules = p.effective_rules(all, "all");
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].0.name.name, "reader");
        assert_eq!(rules[0].1.path.as_deref(), Some(Path::new("rbac/roles.yaml")));
        assert_eq!(p.effective_rules(RoleSource::BuiltIn, "admin").len(), 1, "admin aggregates view");
        assert!(p.effective_rules(RoleSource::BuiltIn, "cluster-admin").is_empty());
    }

    #[test]
    fn service_accounts_meet_their_bindings() {
        let project = Project::new([facts("rbac/roles.yaml", ROLES), facts("app/bindings.yaml", BINDINGS)]);
        let p = project.scoped(Some(Path::new("app/web.yaml")));
        let bound = p.service_account_bindings(Some("shop"), "web");
        assert_eq!(bound.len(), 2);
        assert!(matches!(bound[0].role, RoleSource::BuiltIn) && bound[0].cluster_wide());
        assert!(matches!(bound[1].role, RoleSource::Defined { .. }) && !bound[1].cluster_wide());
        assert!(p.service_account_bindings(Some("blog"), "web").is_empty());
    }

    #[test]
    fn group_and_named_bindings_come_in_file_order() {
        let everyone = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: all}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: Group, name: system:serviceaccounts}]\n";
        let project = Project::new([
            facts("a/bindings.yaml", BINDINGS),
            facts("b/everyone.yaml", everyone),
            facts("c/bindings.yaml", BINDINGS),
        ]);
        let p = project.scoped(Some(Path::new("app/web.yaml")));
        let names: Vec<_> = p
            .service_account_bindings(Some("shop"), "web")
            .iter()
            .map(|b| (b.file.path.clone().unwrap(), b.binding.name.name.clone()))
            .collect();
        // Each bindings file has a ClusterRoleBinding and a RoleBinding, both named `web`.
        let expected = [
            ("a/bindings.yaml", "web"),
            ("a/bindings.yaml", "web"),
            ("b/everyone.yaml", "all"),
            ("c/bindings.yaml", "web"),
            ("c/bindings.yaml", "web"),
        ];
        assert_eq!(names, expected.map(|(path, name)| (Path::new(path).to_path_buf(), name.to_string())));
        assert_eq!(p.service_account_bindings(Some("blog"), "api").len(), 1, "the group holds every account");
    }
}
