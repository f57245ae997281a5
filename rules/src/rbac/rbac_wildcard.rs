use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::help;
use crate::support::rbac::{self, Field, PolicyRule, Role};

declare_rule! {
    /// ## What it does
    /// Flags a `*` in the `verbs`, `resources` or `apiGroups` of a Role or ClusterRole rule, which grants
    /// every verb, resource or API group, including ones added later.
    ///
    /// ## Why is this bad?
    /// A wildcard grants far more than the role's author had in mind: `verbs: ["*"]` includes `escalate`,
    /// `bind` and `impersonate` where they apply, `resources: ["*"]` includes Secrets and subresources such
    /// as `pods/exec`, and both cover resources that custom resource definitions and new Kubernetes
    /// versions add after the role was written. `*` in all three is the `cluster-admin` role under another
    /// name.
    ///
    /// The message says which list holds the `*` and names the gravest permission it implies here (for a
    /// `*` resource with `get` in the core group, reading Secrets). A permission that comes only from a
    /// `*` is reported here, once, and not again by the rule about that permission (RBAC002 and on, which
    /// look at the verbs and resources a rule names); the finding points at the `*` that grants it.
    /// `*` in `apiGroups` does not hide the named verbs and resources from those rules.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["*"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: reader
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "services", "endpoints"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    /// - [Kubernetes: Using RBAC authorization, referring to resources](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)
    /// - CIS Kubernetes Benchmark, 5.1.3 "Minimize wildcard use in Roles and ClusterRoles"
    code: "RBAC001",
    name: "rbac-wildcard",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["wildcard-in-rules", "CKV_K8S_49", "KSV-0044", "KSV-0045", "KSV-0046", "KSV-0112", "rolebindingClusterAdminRole"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    for role in rbac::roles(ctx) {
        for rule in &role.rules {
            let wildcards = rule.wildcards();
            let Some(&(_, primary)) = wildcards.first() else { continue };
            if rule.verbs.is_empty() {
                continue;
            }
            let mut fields: Vec<Field> = Vec::new();
            for &(field, _) in &wildcards {
                if !fields.contains(&field) {
                    fields.push(field);
                }
            }
            let mut emit = r.report(primary.range, message(&role, rule, &fields)).help(help(&fields));
            for &(field, item) in &wildcards[1..] {
                emit = emit.label(item.range, format!("`*` in {}", field.key()));
            }
        }
    }
}

fn message(role: &Role, rule: &PolicyRule, fields: &[Field]) -> String {
    let keys: Vec<&str> = fields.iter().map(|f| f.key()).collect();
    let verbs = if rule.has_wildcard(Field::Verbs) {
        "every verb".to_string()
    } else {
        short_list(&rule.verbs, "verbs")
    };
    let target = if rule.resources.is_empty() && !rule.non_resource_urls.is_empty() {
        format!("the URLs {}", short_list(&rule.non_resource_urls, "URLs"))
    } else if rule.has_wildcard(Field::Resources) {
        "every resource".to_string()
    } else {
        short_list(&rule.resources, "resources")
    };
    let groups = if rule.has_wildcard(Field::ApiGroups) {
        " in every API group".to_string()
    } else if rule.has_wildcard(Field::Resources) {
        format!(" of {}", groups(rule))
    } else {
        String::new()
    };
    let full = [Field::Verbs, Field::Resources, Field::ApiGroups].iter().all(|&f| rule.has_wildcard(f));
    let consequence = if full {
        if role.cluster {
            ": full control of the cluster".to_string()
        } else {
            ": full control of the namespace".to_string()
        }
    } else {
        rbac::IMPLIED
            .iter()
            .find(|risk| rbac::implied_by_wildcard(role, rule, risk))
            .map(|risk| format!(", including {}", risk.implies))
            .unwrap_or_default()
    };
    format!("`*` in {} grants {verbs} on {target}{groups}{consequence}", and_list(&keys))
}

fn help(fields: &[Field]) -> String {
    let parts: Vec<&str> = fields
        .iter()
        .map(|f| match f {
            Field::Verbs => "the verbs the role needs (`get`, `list` and `watch` to read)",
            Field::Resources => "the resources it needs, without `secrets` unless it must read them",
            Field::ApiGroups => "the API groups of those resources",
        })
        .collect();
    format!(
        "Replace `*` with {}; bind `cluster-admin` explicitly where full access is meant",
        and_list(&parts)
    )
}

/// The rule's API groups for messages: `the core API group`, `` `apps` ``.
fn groups(rule: &PolicyRule) -> String {
    if rule.api_groups_missing {
        return "the core API group".to_string();
    }
    let names: Vec<String> = rule
        .api_groups
        .iter()
        .map(|g| if g.value.is_empty() { "the core API group".to_string() } else { format!("`{}`", g.value) })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    and_list(&names)
}

/// Up to four items in backticks, then how many more.
fn short_list(items: &[Spanned<String>], noun: &str) -> String {
    const SHOWN: usize = 4;
    if items.len() <= SHOWN + 1 {
        return help::code_list(items.iter().map(|i| i.value.as_str()));
    }
    let shown: Vec<String> = items[..SHOWN].iter().map(|i| help::code(&i.value)).collect();
    format!("{} and {} more {noun}", shown.join(", "), items.len() - SHOWN)
}

fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn messages(yaml: &str) -> Vec<String> {
        lint_k8s(&RULE, yaml).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn wildcard_verbs_point_at_the_star() {
        let yaml = cluster_role(
            "  - apiGroups: [\"cert-manager.io\"]\n    resources: [certificates]\n    verbs: [\"*\"]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["*"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].range.slice(&yaml), "*");
        assert!(yaml[..found[0].range.start as usize].ends_with("verbs: [\""));
        assert_eq!(messages(&yaml), ["`*` in verbs grants every verb on `certificates`"]);
    }

    #[test]
    fn messages_name_the_gravest_implied_permission() {
        let yaml =
            cluster_role("  - apiGroups: [\"\"]\n    resources: [\"*\"]\n    verbs: [get, list, watch]\n");
        assert_eq!(
            messages(&yaml),
            [
                "`*` in resources grants `get`, `list` and `watch` on every resource of the core API group, including `nodes/proxy`, which runs commands in any pod through the kubelet"
            ]
        );
        let yaml =
            cluster_role("  - apiGroups: [\"\"]\n    resources: [secrets, configmaps]\n    verbs: ['*']\n");
        assert_eq!(
            messages(&yaml),
            ["`*` in verbs grants every verb on `secrets` and `configmaps`, including reading Secrets"]
        );
        let yaml = cluster_role(
            "  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [\"*\"]\n",
        );
        assert_eq!(
            messages(&yaml),
            [
                "`*` in verbs grants every verb on `clusterroles`, including `escalate` on roles, granting any permission"
            ]
        );
        // A Role cannot grant cluster-scoped resources: nodes/proxy is not implied, Secrets are.
        let yaml = role("  - apiGroups: [\"\"]\n    resources: [\"*\"]\n    verbs: [get]\n");
        assert_eq!(
            messages(&yaml),
            [
                "`*` in resources grants `get` on every resource of the core API group, including reading Secrets"
            ]
        );
    }

    #[test]
    fn full_wildcards_are_one_finding_with_labels() {
        let yaml = cluster_role(
            "- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n- nonResourceURLs: ['*']\n  verbs: ['*']\n",
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "`*` in verbs, resources and apiGroups grants every verb on every resource in every API group: full control of the cluster"
        );
        assert_eq!(found[0].labels.len(), 2);
        assert_eq!(found[0].labels[0].message, "`*` in resources");
        assert_eq!(found[1].message, "`*` in verbs grants every verb on the URLs `*`");
        let yaml = role("  - apiGroups: ['*']\n    resources: ['*']\n    verbs: ['*']\n");
        assert!(messages(&yaml)[0].ends_with("full control of the namespace"));
    }

    #[test]
    fn wildcard_api_groups() {
        let yaml = cluster_role(
            "  - apiGroups: ['*']\n    resources: [deployments, replicasets]\n    verbs: [get]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["*"]);
        assert_eq!(
            messages(&yaml),
            ["`*` in apiGroups grants `get` on `deployments` and `replicasets` in every API group"]
        );
    }

    #[test]
    fn json_and_block_lists() {
        let json = r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"},
  "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}]}"#;
        assert_eq!(k8s_spans(&RULE, json), ["*"]);
        let yaml =
            cluster_role("- apiGroups:\n  - apps\n  resources:\n  - '*'\n  verbs:\n  - get\n  - list\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["*"]);
    }

    #[test]
    fn named_permissions_and_other_objects_pass() {
        assert_k8s_clean(
            &RULE,
            &cluster_role("  - apiGroups: [\"\"]\n    resources: [pods, pods/log]\n    verbs: [get, list]\n"),
        );
        // `*/scale` names a subresource; a `*` resource name is a literal name.
        assert_k8s_clean(
            &RULE,
            &cluster_role(
                "  - apiGroups: [apps]\n    resources: ['*/scale']\n    resourceNames: ['*']\n    verbs: [get]\n",
            ),
        );
        // Not RBAC: a ConfigMap with the same shape, and an aggregated ClusterRole without rules.
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: ConfigMap\nrules:\n  - verbs: ['*']\n");
        assert_k8s_clean(
            &RULE,
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels: {a: b}\nrules: []\n",
        );
        assert_k8s_clean(&RULE, &cluster_role("  - apiGroups: ['*']\n    resources: ['*']\n"));
        assert_k8s_clean(&RULE, &cluster_role("  - null\n  - [a]\n"));
    }
}
