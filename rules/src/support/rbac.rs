//! Kubernetes RBAC as the rules see it: the Roles and ClusterRoles of a manifest with their policy rules,
//! the RoleBindings and ClusterRoleBindings with their `roleRef` and subjects (every value with the range
//! it is written at), and the risky permissions the rules look for.
//!
//! Matching follows the API server's RBAC authorizer: verbs, resources and API groups match exactly
//! (case-sensitive), `*` matches everything, a resource `*/exec` matches the `exec` subresource of every
//! resource, and `resourceNames` limit a rule to the named objects. A Role only grants namespaced
//! resources: cluster-scoped ones (`nodes`, `clusterroles`, `users`, …) in a Role grant nothing.
//!
//! A `*` in verbs or resources is reported once, by RBAC001, whose message names the gravest permission
//! it implies; the rules about one permission ([`hits`]) match only the verbs and resources a rule names,
//! so no item is reported twice. A `*` in apiGroups does not stop them: the verb and the resource they
//! point at are still named.

use plimsoll_kubernetes::Object;
use plimsoll_linter::KubernetesCtx;
use plimsoll_span::Spanned;

use crate::support::help;

pub use plimsoll_kubernetes::rbac::{Binding, Field, PolicyRule, RBAC_GROUP};

/// A Role or ClusterRole.
#[derive(Debug)]
pub struct Role<'a> {
    pub object: &'a Object,
    /// A ClusterRole (else a namespaced Role).
    pub cluster: bool,
    pub rules: Vec<PolicyRule>,
    /// Annotated `rbac.authorization.kubernetes.io/autoupdate: "false"`: the API server does not restore a
    /// built-in role of this name (`cluster-admin`, `admin`, …) to its default permissions at startup.
    pub no_autoupdate: bool,
}

/// The Roles and ClusterRoles of the manifest, in document order.
pub fn roles<'a>(ctx: &KubernetesCtx<'a>) -> Vec<Role<'a>> {
    plimsoll_kubernetes::rbac::roles(ctx.tree, &ctx.manifest.objects)
        .into_iter()
        .map(|(object, role)| Role {
            object,
            cluster: role.cluster,
            rules: role.rules,
            no_autoupdate: role.no_autoupdate,
        })
        .collect()
}

/// The RoleBindings and ClusterRoleBindings of the manifest, in document order.
pub fn bindings<'a>(ctx: &KubernetesCtx<'a>) -> Vec<Binding<'a>> {
    plimsoll_kubernetes::rbac::bindings(ctx.tree, &ctx.manifest.objects)
}

impl Role<'_> {
    /// `ClusterRole` or `Role`, for messages.
    pub fn kind(&self) -> &'static str {
        if self.cluster { "ClusterRole" } else { "Role" }
    }

    /// Where the role's permissions apply, for messages: `in the cluster` or `in its namespace`.
    pub fn scope(&self) -> &'static str {
        if self.cluster { "in the cluster" } else { "in its namespace" }
    }

    pub fn name(&self) -> Option<&str> {
        self.object.name.as_ref().map(|n| n.value.as_str())
    }

    pub fn namespace(&self) -> Option<&str> {
        self.object.namespace.as_ref().map(|n| n.value.as_str())
    }
}

/// The role `binding` refers to, when it is defined in the same file: a ClusterRole of that name, or a
/// Role of that name in the binding's namespace (a missing namespace matches any: both are applied to the
/// namespace given on the command line).
pub fn role_in_file<'r, 'a>(binding: &Binding, roles: &'r [Role<'a>]) -> Option<&'r Role<'a>> {
    let kind = binding.role_ref.kind.as_ref()?.value.as_str();
    let name = binding.role_ref.name.as_ref()?.value.as_str();
    let namespace = binding.object.namespace.as_ref().map(|n| n.value.as_str());
    roles.iter().find(|role| {
        role.name() == Some(name)
            && match kind {
                "ClusterRole" => role.cluster,
                "Role" => {
                    !role.cluster
                        && (namespace.is_none()
                            || role.namespace().is_none()
                            || role.namespace() == namespace)
                }
                _ => false,
            }
    })
}

/// The built-in ClusterRole `binding` refers to when its name is one of `names`: the API server restores
/// built-in roles at startup, so a ClusterRole of that name in the file changes nothing unless it opts out
/// (`rbac.authorization.kubernetes.io/autoupdate: "false"`), in which case that role's own rules are what
/// the binding grants, and `None` is returned.
pub fn built_in_role<'s>(
    binding: &'s Binding,
    names: &[&str],
    roles: &[Role],
) -> Option<&'s Spanned<String>> {
    let name = binding.cluster_role()?;
    if !names.contains(&name.value.as_str()) {
        return None;
    }
    let own = role_in_file(binding, roles).is_some_and(|role| role.no_autoupdate);
    (!own).then_some(name)
}

/// A set of permissions: any of `verbs` on any of `resources` (`pods/exec` for a subresource) in any of
/// `groups`.
#[derive(Debug)]
pub struct Grant {
    pub groups: &'static [&'static str],
    pub resources: &'static [&'static str],
    pub verbs: &'static [&'static str],
    /// The resources are cluster-scoped: a (namespaced) Role cannot grant them.
    pub cluster_scoped: bool,
}

/// A risky permission: any of its grants.
#[derive(Debug)]
pub struct Risk {
    pub grants: &'static [Grant],
    /// `resourceNames` limit the risk to the named objects, which is the least privilege the rules
    /// recommend; a rule with names is then not reported.
    pub scoped_by_names: bool,
    /// What the permission lets its holder do, for RBAC001's messages ("reading Secrets").
    pub implies: &'static str,
}

const CORE: &[&str] = &[""];
const WRITE: &[&str] = &["create", "update", "patch"];

pub static ESCALATE: Risk = Risk {
    grants: &[
        Grant { groups: &[RBAC_GROUP], resources: &["roles"], verbs: &["escalate"], cluster_scoped: false },
        Grant {
            groups: &[RBAC_GROUP],
            resources: &["clusterroles"],
            verbs: &["escalate"],
            cluster_scoped: true,
        },
    ],
    scoped_by_names: false,
    implies: "`escalate` on roles, granting any permission",
};

pub static BIND: Risk = Risk {
    grants: &[
        Grant { groups: &[RBAC_GROUP], resources: &["roles"], verbs: &["bind"], cluster_scoped: false },
        Grant { groups: &[RBAC_GROUP], resources: &["clusterroles"], verbs: &["bind"], cluster_scoped: true },
    ],
    scoped_by_names: false,
    implies: "`bind` on roles, granting any role",
};

pub static IMPERSONATE: Risk = Risk {
    grants: &[
        Grant {
            groups: CORE,
            resources: &["users", "groups"],
            verbs: &["impersonate"],
            cluster_scoped: true,
        },
        Grant {
            groups: CORE,
            resources: &["serviceaccounts"],
            verbs: &["impersonate"],
            cluster_scoped: false,
        },
        Grant {
            groups: &["authentication.k8s.io"],
            resources: &["uids", "userextras/scopes"],
            verbs: &["impersonate"],
            cluster_scoped: true,
        },
    ],
    scoped_by_names: true,
    implies: "impersonating other identities",
};

pub static NODE_PROXY: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["nodes/proxy"],
        verbs: &["get", "create"],
        cluster_scoped: true,
    }],
    scoped_by_names: false,
    implies: "`nodes/proxy`, which runs commands in any pod through the kubelet",
};

pub static WEBHOOKS: Risk = Risk {
    grants: &[Grant {
        groups: &["admissionregistration.k8s.io"],
        resources: &[
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings",
        ],
        verbs: &["create", "update", "patch", "delete", "deletecollection"],
        cluster_scoped: true,
    }],
    scoped_by_names: true,
    implies: "changing admission webhooks",
};

pub static CSR_APPROVAL: Risk = Risk {
    grants: &[
        Grant {
            groups: &["certificates.k8s.io"],
            resources: &["certificatesigningrequests/approval"],
            verbs: &["update", "patch"],
            cluster_scoped: true,
        },
        Grant {
            groups: &["certificates.k8s.io"],
            resources: &["signers"],
            verbs: &["approve"],
            cluster_scoped: true,
        },
    ],
    scoped_by_names: false,
    implies: "approving certificate signing requests",
};

pub static SECRETS_READ: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["secrets"],
        verbs: &["get", "list", "watch"],
        cluster_scoped: false,
    }],
    scoped_by_names: true,
    implies: "reading Secrets",
};

pub static POD_EXEC: Risk = Risk {
    grants: &[
        Grant { groups: CORE, resources: &["pods/exec"], verbs: &["create", "get"], cluster_scoped: false },
        Grant {
            groups: CORE,
            resources: &["pods/ephemeralcontainers"],
            verbs: &["update", "patch"],
            cluster_scoped: false,
        },
    ],
    scoped_by_names: true,
    implies: "running commands in pods",
};

pub static POD_ATTACH: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["pods/attach"],
        verbs: &["create", "get"],
        cluster_scoped: false,
    }],
    scoped_by_names: true,
    implies: "attaching to pods",
};

pub static POD_CREATION: Risk = Risk {
    grants: &[
        Grant {
            groups: CORE,
            resources: &["pods", "replicationcontrollers"],
            verbs: WRITE,
            cluster_scoped: false,
        },
        Grant {
            groups: &["apps", "extensions"],
            resources: &["deployments", "statefulsets", "daemonsets", "replicasets"],
            verbs: WRITE,
            cluster_scoped: false,
        },
        Grant { groups: &["batch"], resources: &["jobs", "cronjobs"], verbs: WRITE, cluster_scoped: false },
    ],
    scoped_by_names: true,
    implies: "creating pods",
};

pub static BINDINGS_WRITE: Risk = Risk {
    grants: &[
        Grant { groups: &[RBAC_GROUP], resources: &["rolebindings"], verbs: WRITE, cluster_scoped: false },
        Grant {
            groups: &[RBAC_GROUP],
            resources: &["clusterrolebindings"],
            verbs: WRITE,
            cluster_scoped: true,
        },
    ],
    scoped_by_names: false,
    implies: "writing role bindings",
};

pub static SERVICE_STATUS: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["services/status"],
        verbs: &["update", "patch"],
        cluster_scoped: false,
    }],
    scoped_by_names: false,
    implies: "writing `services/status`",
};

pub static CONFIGMAP_WRITE: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["configmaps"],
        verbs: &["create", "update", "patch", "delete", "deletecollection"],
        cluster_scoped: false,
    }],
    scoped_by_names: false,
    implies: "writing ConfigMaps",
};

pub static POD_LOG_DELETE: Risk = Risk {
    grants: &[Grant {
        groups: CORE,
        resources: &["pods/log"],
        verbs: &["delete", "deletecollection"],
        cluster_scoped: false,
    }],
    scoped_by_names: true,
    implies: "deleting pod logs",
};

pub static NETWORK_WRITE: Risk = Risk {
    grants: &[
        Grant {
            groups: CORE,
            resources: &["endpoints"],
            verbs: &["create", "update", "patch", "delete", "deletecollection"],
            cluster_scoped: false,
        },
        Grant {
            groups: &["discovery.k8s.io"],
            resources: &["endpointslices"],
            verbs: &["create", "update", "patch", "delete", "deletecollection"],
            cluster_scoped: false,
        },
        Grant {
            groups: &["networking.k8s.io", "extensions"],
            resources: &["networkpolicies", "ingresses"],
            verbs: &["create", "update", "patch", "delete", "deletecollection"],
            cluster_scoped: false,
        },
    ],
    scoped_by_names: true,
    implies: "rerouting Services and Ingresses or removing NetworkPolicies",
};

/// The risks a `*` can imply, gravest first: RBAC001 names the first one a wildcard grants.
pub static IMPLIED: &[&Risk] = &[
    &ESCALATE,
    &BIND,
    &IMPERSONATE,
    &NODE_PROXY,
    &WEBHOOKS,
    &CSR_APPROVAL,
    &SECRETS_READ,
    &POD_EXEC,
    &POD_ATTACH,
    &POD_CREATION,
    &BINDINGS_WRITE,
    &SERVICE_STATUS,
    &NETWORK_WRITE,
];

/// One resource item of a policy rule that grants a risk, with the verb items that make it so.
#[derive(Debug)]
pub struct Hit<'r> {
    pub resource: &'r Spanned<String>,
    pub verbs: Vec<&'r Spanned<String>>,
}

impl Hit<'_> {
    /// The verbs, for messages: "`get` and `list`".
    pub fn verb_list(&self) -> String {
        help::code_list(self.verbs.iter().map(|v| v.value.as_str()))
    }

    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v.value == verb)
    }
}

/// The resource items of `rule` (of `role`) that grant `risk` through verbs and resources the rule names:
/// a `*` verb or resource does not count (RBAC001 reports it). Empty for a rule limited by
/// `resourceNames` when the risk is [`Risk::scoped_by_names`].
pub fn hits<'r>(role: &Role, rule: &'r PolicyRule, risk: &Risk) -> Vec<Hit<'r>> {
    matches(role.cluster, rule, risk, false)
}

/// Whether `rule` grants `risk` in any way, `*` included. `cluster_wide`: the rule is granted in the
/// whole cluster (a ClusterRole bound by a ClusterRoleBinding), so cluster-scoped resources count.
pub fn grants(cluster_wide: bool, rule: &PolicyRule, risk: &Risk) -> bool {
    !matches(cluster_wide, rule, risk, true).is_empty()
}

/// Calls `f` with every hit of `risk` in the manifest's roles, in document order.
pub fn each_hit(ctx: &KubernetesCtx, risk: &Risk, mut f: impl FnMut(&Role, &PolicyRule, &Hit)) {
    for role in roles(ctx) {
        for rule in &role.rules {
            for hit in hits(&role, rule, risk) {
                f(&role, rule, &hit);
            }
        }
    }
}

/// The hits of `risk` in `rule` grouped by verb item: each verb with the resources it grants the risk on,
/// for rules about a verb (`escalate`, `bind`, `impersonate`).
pub fn by_verb<'r>(hits: &[Hit<'r>]) -> Vec<(&'r Spanned<String>, Vec<&'r Spanned<String>>)> {
    let mut out: Vec<(&'r Spanned<String>, Vec<&'r Spanned<String>>)> = Vec::new();
    for hit in hits {
        for &verb in &hit.verbs {
            match out.iter_mut().find(|(v, _)| std::ptr::eq(*v, verb)) {
                Some((_, resources)) => resources.push(hit.resource),
                None => out.push((verb, vec![hit.resource])),
            }
        }
    }
    out.sort_by_key(|(verb, _)| verb.range.start);
    out
}

/// Whether `rule` grants `risk` only through a `*` verb or resource.
pub fn implied_by_wildcard(role: &Role, rule: &PolicyRule, risk: &Risk) -> bool {
    !matches(role.cluster, rule, risk, true).is_empty() && matches(role.cluster, rule, risk, false).is_empty()
}

fn matches<'r>(cluster: bool, rule: &'r PolicyRule, risk: &Risk, wildcards: bool) -> Vec<Hit<'r>> {
    if risk.scoped_by_names && rule.is_named() {
        return Vec::new();
    }
    let mut out: Vec<Hit<'r>> = Vec::new();
    for resource in &rule.resources {
        let mut verbs: Vec<&Spanned<String>> = Vec::new();
        for grant in risk.grants {
            if (grant.cluster_scoped && !cluster) || !rule.group_matches(grant.groups) {
                continue;
            }
            if !grant.resources.iter().any(|wanted| resource_matches(&resource.value, wanted, wildcards)) {
                continue;
            }
            for verb in &rule.verbs {
                let matched = (wildcards && verb.value == "*") || grant.verbs.contains(&verb.value.as_str());
                if matched && !verbs.iter().any(|v| std::ptr::eq(*v, verb)) {
                    verbs.push(verb);
                }
            }
        }
        if !verbs.is_empty() {
            out.push(Hit { resource, verbs });
        }
    }
    out
}

/// The API server's resource match: `*`, the exact resource, or `*/<subresource>`.
fn resource_matches(item: &str, wanted: &str, wildcards: bool) -> bool {
    if item == "*" {
        return wildcards;
    }
    if item == wanted {
        return true;
    }
    match (item.strip_prefix("*/"), wanted.split_once('/')) {
        (Some(sub), Some((_, wanted_sub))) => sub == wanted_sub,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::with_k8s_ctx;

    #[test]
    fn resource_matching() {
        assert!(resource_matches("pods/exec", "pods/exec", false));
        assert!(resource_matches("*/exec", "pods/exec", false));
        assert!(!resource_matches("*/exec", "pods", false));
        assert!(!resource_matches("pods/*", "pods/exec", true));
        assert!(!resource_matches("pods", "pods/exec", true));
        assert!(resource_matches("*", "pods/exec", true));
        assert!(!resource_matches("*", "pods/exec", false));
    }

    #[test]
    fn roles_and_bindings_with_ranges() {
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n  - apiGroups: [\"\", apps]\n    resources: [pods/exec]\n    resourceNames: ['a']\n    verbs: [create]\n  - nonResourceURLs: [/metrics]\n    verbs: [get]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: x}\nroleRef: {kind: ClusterRole, name: r, apiGroup: rbac.authorization.k8s.io}\nsubjects:\n  - {kind: ServiceAccount, name: sa, namespace: y}\n  - plain\n---\napiVersion: v1\nkind: Role\n";
        with_k8s_ctx(yaml, |ctx| {
            let roles = roles(ctx);
            assert_eq!(roles.len(), 1);
            let rule = &roles[0].rules[0];
            let slice = |r: plimsoll_span::TextRange| &yaml[r.as_usize()];
            assert_eq!(rule.api_groups.iter().map(|g| slice(g.range)).collect::<Vec<_>>(), ["\"\"", "apps"]);
            assert_eq!(rule.api_groups[0].value, "");
            assert_eq!(slice(rule.resources[0].range), "pods/exec");
            assert_eq!(slice(rule.resource_names[0].range), "a");
            assert_eq!(slice(roles[0].rules[1].non_resource_urls[0].range), "/metrics");
            let bindings = bindings(ctx);
            assert_eq!(bindings.len(), 1);
            let binding = &bindings[0];
            assert_eq!(role_in_file(binding, &roles).and_then(|r| r.name()), Some("r"));
            assert_eq!(slice(binding.cluster_role().unwrap().range), "r");
            assert_eq!(binding.subjects.len(), 1);
            assert_eq!(slice(binding.subjects[0].namespace.as_ref().unwrap().range), "y");
        });
    }
}

/// Test manifests: a ClusterRole or Role named `r` whose `rules:` are `rules` (indented as list items
/// under `rules:`), and bindings.
#[cfg(test)]
pub(crate) mod fixtures {
    pub(crate) fn cluster_role(rules: &str) -> String {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n{rules}"
        )
    }

    pub(crate) fn role(rules: &str) -> String {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: app\nrules:\n{rules}"
        )
    }

    /// A binding of `kind` (`RoleBinding`, `ClusterRoleBinding`) to the `role_kind` named `role`, with
    /// `subjects` (indented as list items under `subjects:`).
    pub(crate) fn binding(kind: &str, role_kind: &str, role: &str, subjects: &str) -> String {
        let namespace = if kind == "RoleBinding" { "\n  namespace: app" } else { "" };
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: b{namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {role}\nsubjects:\n{subjects}"
        )
    }
}
