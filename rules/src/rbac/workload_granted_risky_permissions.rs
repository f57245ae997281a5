use plimsoll_kubernetes::grants::Bound;
use plimsoll_kubernetes::{boolean, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::access::{self, Power};
use crate::support::pods::{self, PodSpec};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes workloads whose ServiceAccount a RoleBinding or ClusterRoleBinding — in any file
    /// linted together — grants a risky permission: `cluster-admin`, `admin` or `edit`, a role with `*`
    /// permissions, or one that grants what the other RBAC rules look for (escalating or binding roles,
    /// impersonation, `nodes/proxy`, webhooks, approving certificates, reading Secrets, `exec` or `attach`
    /// into pods, creating pods, writing bindings). Bindings to the groups every ServiceAccount is in
    /// (`system:serviceaccounts`, `system:serviceaccounts:<namespace>`, `system:authenticated`) count, and so
    /// do the rules a ClusterRole aggregates from others. The gravest permission is reported, once per pod.
    ///
    /// ## Why is this bad?
    /// The pod carries its ServiceAccount's token: whoever gets code running in any of its containers —
    /// through a vulnerability in the application or one of its dependencies — has the account's
    /// permissions. A risky permission turns a compromised web server into a compromised namespace or
    /// cluster. Pods with `automountServiceAccountToken: false` (theirs, or their ServiceAccount's when they
    /// do not say) are not reported: they do not carry the token.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: web
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: web
    ///     namespace: shop
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: web
    ///     namespace: shop
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - [Kubernetes: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    code: "RBAC051",
    name: "workload-granted-risky-permissions",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: [],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        // `serviceAccountName` wins over the deprecated `serviceAccount`; none (or empty) is `default`.
        let named = ["serviceAccountName", "serviceAccount"].iter().find_map(|key| {
            tree.get(pod.spec, key).and_then(|n| string(tree, n)).filter(|n| !n.value.is_empty())
        });
        let account = named.as_ref().map_or("default", |n| n.value.as_str());
        let namespace = pod.object.namespace.as_ref().map(|n| n.value.as_str());
        if !carries_token(ctx, &pod, namespace, account) {
            continue;
        }
        let bindings = ctx.project.service_account_bindings(namespace, account);
        let Some((bound, power)) = bindings
            .into_iter()
            .filter_map(|bound| {
                let power = access::gravest(
                    &ctx.project,
                    bound.role,
                    &bound.binding.role_name,
                    bound.cluster_wide(),
                )?;
                Some((bound, power))
            })
            .min_by_key(|(bound, power)| (power.rank, ctx.project.distance(bound.file)))
        else {
            continue;
        };
        let anchor = named.as_ref().map_or(pod.anchor(), |n| n.range);
        r.report(anchor, message(ctx, account, &bound, &power)).help(
            "Bind the ServiceAccount only to the permissions the workload uses, or set \
             `automountServiceAccountToken: false` if it does not call the Kubernetes API",
        );
    }
}

/// Whether the pod gets its ServiceAccount's token: its own `automountServiceAccountToken`, else the
/// ServiceAccount's (when the run defines it), else yes.
fn carries_token(ctx: &KubernetesCtx, pod: &PodSpec, namespace: Option<&str>, account: &str) -> bool {
    let tree = ctx.tree;
    if let Some(own) = tree.get(pod.spec, "automountServiceAccountToken").and_then(|n| boolean(tree, n)) {
        return own;
    }
    ctx.project.service_account(namespace, account).and_then(|a| a.automount) != Some(false)
}

fn message(ctx: &KubernetesCtx, account: &str, bound: &Bound, power: &Power) -> String {
    let binding = access::named_in(&ctx.project, &bound.binding.name.name, bound.file);
    let via = power
        .aggregated_from
        .map_or_else(String::new, |(from, _)| format!(" (aggregating `{}`)", from.name.name));
    let scope = match (&bound.binding.name.namespace, bound.binding.cluster) {
        (_, true) => String::new(),
        (Some(namespace), false) => format!(" in namespace `{namespace}`"),
        (None, false) => " in its namespace".to_string(),
    };
    format!(
        "The pod runs as ServiceAccount `{account}`, and {} {binding} grants it {} `{}`{via}, which allows {}{scope}",
        if bound.binding.cluster { "ClusterRoleBinding" } else { "RoleBinding" },
        bound.binding.role_kind,
        bound.binding.role_name,
        power.what,
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::binding;
    use crate::testing::{k8s_spans_in, lint_k8s_in};

    fn deployment(pod_fields: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: app\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n{pod_fields}      containers:\n        - name: web\n          image: nginx:1.27\n"
        )
    }

    const READER: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n  - apiGroups: ['']\n    resources: [secrets]\n    verbs: [list]\n";

    fn bound_to(role_kind: &str, role: &str, subject: &str) -> String {
        binding("RoleBinding", role_kind, role, &format!("  - {subject}\n"))
    }

    #[test]
    fn accounts_bound_in_other_files_point_at_the_name() {
        let web = deployment("      serviceAccountName: web\n");
        let bindings = bound_to("ClusterRole", "reader", "{kind: ServiceAccount, name: web, namespace: app}");
        assert_eq!(k8s_spans_in(&RULE, &web, &[READER, &bindings]), ["web"]);
        assert_eq!(
            lint_k8s_in(&RULE, &web, &[READER, &bindings])[0].message,
            "The pod runs as ServiceAccount `web`, and RoleBinding `b` (in app/other-2.yaml) grants it ClusterRole `reader`, which allows reading Secrets in namespace `app`"
        );
    }

    #[test]
    fn the_default_account_and_groups_point_at_the_workload() {
        let admin = binding(
            "ClusterRoleBinding",
            "ClusterRole",
            "cluster-admin",
            "  - {kind: Group, name: 'system:serviceaccounts:app'}\n",
        );
        let found = lint_k8s_in(&RULE, &deployment(""), &[&admin]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`default`, and ClusterRoleBinding `b` (in app/other-1.yaml) grants it ClusterRole `cluster-admin`, which allows full control of the cluster"), "{}", found[0].message);
        assert_eq!(k8s_spans_in(&RULE, &deployment(""), &[&admin]), ["web"]);
    }

    #[test]
    fn the_gravest_of_several_bindings_is_reported() {
        let both = format!(
            "{}---\n{}",
            bound_to("ClusterRole", "reader", "{kind: ServiceAccount, name: web}"),
            bound_to("ClusterRole", "edit", "{kind: ServiceAccount, name: web}")
        );
        let found = lint_k8s_in(&RULE, &deployment("      serviceAccountName: web\n"), &[READER, &both]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("allows reading Secrets and running pods"), "{}", found[0].message);
    }

    #[test]
    fn aggregated_rules_count() {
        let aggregating = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels: {team: ops}\nrules: []\n";
        let labelled = READER.replace("name: reader", "name: reader\n  labels: {team: ops}");
        let bindings = bound_to("ClusterRole", "ops", "{kind: ServiceAccount, name: web}");
        let found = lint_k8s_in(
            &RULE,
            &deployment("      serviceAccountName: web\n"),
            &[aggregating, &labelled, &bindings],
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("ClusterRole `ops` (aggregating `reader`), which allows reading Secrets"),
            "{}",
            found[0].message
        );
        let view = bound_to("ClusterRole", "view", "{kind: ServiceAccount, name: web}");
        let to_view = READER.replace(
            "name: reader",
            "name: reader\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: 'true'}",
        );
        assert_eq!(
            k8s_spans_in(&RULE, &deployment("      serviceAccountName: web\n"), &[&to_view, &view]),
            ["web"]
        );
    }

    #[test]
    fn harmless_or_tokenless_or_unbound_accounts_pass() {
        let web = deployment("      serviceAccountName: web\n");
        let view = bound_to("ClusterRole", "view", "{kind: ServiceAccount, name: web}");
        assert!(k8s_spans_in(&RULE, &web, &[&view]).is_empty(), "view grants nothing risky");
        let reader = bound_to("ClusterRole", "reader", "{kind: ServiceAccount, name: web}");
        assert!(k8s_spans_in(&RULE, &web, &[&reader]).is_empty(), "the role is not in the run");
        let other = bound_to("ClusterRole", "reader", "{kind: ServiceAccount, name: api}");
        assert!(k8s_spans_in(&RULE, &web, &[READER, &other]).is_empty(), "another account");
        let tokenless =
            deployment("      serviceAccountName: web\n      automountServiceAccountToken: false\n");
        assert!(k8s_spans_in(&RULE, &tokenless, &[READER, &reader]).is_empty());
        let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: app}\nautomountServiceAccountToken: false\n";
        assert!(k8s_spans_in(&RULE, &web, &[READER, &reader, account]).is_empty(), "the account opts out");
        let opted_in =
            deployment("      serviceAccountName: web\n      automountServiceAccountToken: true\n");
        assert_eq!(
            k8s_spans_in(&RULE, &opted_in, &[READER, &reader, account]),
            ["web"],
            "the pod opts back in"
        );
    }
}
