//! What a binding lets its subjects do, evaluated on the roles of the whole run: the gravest risky
//! permission of the role it refers to (its own rules, the rules it aggregates, or a built-in role's known
//! permissions), for the rules that join bindings to roles and workloads to bindings across files.

use plimsoll_kubernetes::grants::RoleSource;
use plimsoll_kubernetes::project::{Facts, Scoped};
use plimsoll_kubernetes::rbac::{Field, RoleFacts};

use super::rbac::{self, IMPLIED};

/// The gravest permission a role grants.
#[derive(Debug)]
pub struct Power<'a> {
    /// What it lets the holder do: `full control of the cluster`, `reading Secrets`.
    pub what: &'static str,
    /// Its rank: lower is graver (for picking the gravest of several bindings).
    pub rank: usize,
    /// The ClusterRole of the run it comes from through aggregation, with its file, when not the bound
    /// role itself.
    pub aggregated_from: Option<(&'a RoleFacts, &'a Facts)>,
}

/// The gravest risky permission a binding to `role` (named `name`) grants; `cluster_wide` for a
/// ClusterRoleBinding to a ClusterRole. `None` when the role grants nothing the RBAC rules look for.
pub fn gravest<'a>(
    project: &Scoped<'a>,
    role: RoleSource<'a>,
    name: &str,
    cluster_wide: bool,
) -> Option<Power<'a>> {
    if matches!(role, RoleSource::BuiltIn)
        && let Some((rank, what)) = built_in_power(name, cluster_wide)
    {
        return Some(Power { what, rank, aggregated_from: None });
    }
    let own = match role {
        RoleSource::Defined { role, .. } => Some(role),
        _ => None,
    };
    let rules = project.effective_rules(role, name);
    let everything = rules.iter().find(|(_, _, rule)| {
        [Field::Verbs, Field::Resources, Field::ApiGroups].iter().all(|&f| rule.has_wildcard(f))
    });
    let found = everything.map(|&(from, file, _)| (2, "every permission", from, file)).or_else(|| {
        IMPLIED.iter().enumerate().find_map(|(rank, risk)| {
            let &(from, file, _) = rules
                .iter()
                .find(|(from, _, rule)| rbac::grants(cluster_wide && from.cluster, rule, risk))?;
            Some((rank + 5, risk.implies, from, file))
        })
    })?;
    let (rank, what, from, file) = found;
    let aggregated_from = own.is_none_or(|own| !std::ptr::eq(own, from)).then_some((from, file));
    Some(Power { what, rank, aggregated_from })
}

/// What the built-in ClusterRoles that the RBAC rules report let their holders do, ranked above the single
/// permissions of [`IMPLIED`] (`admin` and `edit` each hold several of them).
fn built_in_power(name: &str, cluster_wide: bool) -> Option<(usize, &'static str)> {
    Some(match (name, cluster_wide) {
        ("cluster-admin", true) => (0, "full control of the cluster"),
        ("cluster-admin", false) => (1, "full control of a namespace, roles and Secrets included"),
        ("admin", _) => (3, "managing roles and bindings, reading Secrets and running pods"),
        ("edit", _) => (4, "reading Secrets and running pods"),
        _ => return None,
    })
}

/// `` `name` `` with the file it is written in, when that is another file: `` `reader` (in rbac/roles.yaml)``.
pub fn named_in(project: &Scoped, name: &str, file: &Facts) -> String {
    match &file.path {
        Some(path) if !project.is_this_file(file) => format!("`{name}` (in {})", path.display()),
        _ => format!("`{name}`"),
    }
}
