use plimsoll_kubernetes::Object;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::Tree;

use crate::support::k8s_resources;
use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags ResourceQuotas whose `spec.hard` caps neither CPU nor memory, or only one of them. CPU counts
    /// when `requests.cpu`, `limits.cpu` or `cpu` (the same as `requests.cpu`) is set; memory when
    /// `requests.memory`, `limits.memory` or `memory` is. Another ResourceQuota of the same namespace in
    /// the same file may supply what is missing, so a namespace can keep its compute quota apart from its
    /// object-count or storage quotas.
    ///
    /// Quotas scoped to `BestEffort` pods are not reported: they can only count pods. Nor are quotas scoped
    /// to a `VolumeAttributesClass`, which only count storage.
    ///
    /// ## Why is this bad?
    /// Limits on single containers do not bound a namespace: whoever can deploy to it (a team, a CI job, an
    /// attacker holding its credentials) can start as many pods as they like until the cluster is full, and
    /// every other namespace's new pods stay pending. A ResourceQuota with hard CPU and memory caps bounds
    /// the namespace's total, and once it caps a resource the API server rejects pods that do not state
    /// their requests or limits for it. A quota that only counts objects or storage leaves compute
    /// unbounded.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   hard:
    ///     pods: "50"
    ///     requests.cpu: "20"
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: ResourceQuota
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   hard:
    ///     pods: "50"
    ///     requests.cpu: "20"
    ///     requests.memory: 40Gi
    ///     limits.cpu: "40"
    ///     limits.memory: 80Gi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: resource quotas](https://kubernetes.io/docs/concepts/policy/resource-quotas/)
    /// - [Kubernetes: configure memory and CPU quotas for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/quota-memory-cpu-namespace/)
    code: "RES014",
    name: "resource-quota-incomplete",
    family: Res,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["KSV-0040"],
    checks: [Check::Kubernetes(check)],
}

const CPU_KEYS: [&str; 3] = ["requests.cpu", "limits.cpu", "cpu"];
const MEMORY_KEYS: [&str; 3] = ["requests.memory", "limits.memory", "memory"];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let quotas: Vec<&Object> = pods::objects_of_kind(ctx, &["ResourceQuota"]).collect();
    for quota in &quotas {
        if counts_no_compute(tree, quota) {
            continue;
        }
        let namespace = k8s_resources::namespace(quota);
        let capped = |keys: &[&str]| {
            quotas
                .iter()
                .filter(|other| k8s_resources::namespace(other) == namespace)
                .filter_map(|other| tree.path(other.node, &["spec", "hard"]))
                .any(|hard| keys.iter().any(|key| tree.get(hard, key).is_some()))
        };
        let (message, missing) = match (capped(&CPU_KEYS), capped(&MEMORY_KEYS)) {
            (true, true) => continue,
            (false, false) => (
                "ResourceQuota sets no CPU or memory quota",
                "`requests.cpu`, `limits.cpu`, `requests.memory` and `limits.memory`",
            ),
            (false, true) => ("ResourceQuota sets no CPU quota", "`requests.cpu` and `limits.cpu`"),
            (true, false) => ("ResourceQuota sets no memory quota", "`requests.memory` and `limits.memory`"),
        };
        let spec = tree.get(quota.node, "spec");
        let range = spec.and_then(|s| pods::key_range(tree, s, "hard")).unwrap_or(quota.anchor);
        r.report(range, message).help(format!(
            "Add {missing} to `spec.hard` (or to another ResourceQuota of the namespace), so the namespace \
             cannot take the whole cluster."
        ));
    }
}

/// A quota scoped to pods or objects that cannot hold a CPU or memory quota: `BestEffort` pods, or
/// volumes of a `VolumeAttributesClass`.
fn counts_no_compute(tree: &Tree, quota: &Object) -> bool {
    let Some(spec) = tree.get(quota.node, "spec") else { return false };
    let scopes = tree.get(spec, "scopes").map(|s| tree.items(s)).unwrap_or_default();
    let selected = tree
        .path(spec, &["scopeSelector", "matchExpressions"])
        .map(|m| tree.items(m))
        .unwrap_or_default()
        .iter()
        .filter_map(|&e| tree.get(e, "scopeName"));
    scopes
        .iter()
        .copied()
        .chain(selected)
        .any(|scope| matches!(tree.text(scope), Some("BestEffort" | "VolumeAttributesClass")))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn quota(namespace: &str, spec: &str) -> String {
        format!("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\n{namespace}spec:\n{spec}")
    }

    #[test]
    fn missing_quotas_point_at_hard() {
        let yaml = quota("", "  hard:\n    pods: \"10\"\n    count/secrets: \"20\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hard"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "ResourceQuota sets no CPU or memory quota");
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Add `requests.cpu`, `limits.cpu`, `requests.memory` and `limits.memory` to `spec.hard` (or to \
                 another ResourceQuota of the namespace), so the namespace cannot take the whole cluster."
            )
        );
        let yaml = quota("", "  hard:\n    limits.cpu: \"8\"\n");
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "ResourceQuota sets no memory quota");
        let yaml = quota("", "  hard:\n    requests.memory: 8Gi\n");
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "ResourceQuota sets no CPU quota");
        // No `hard` at all: the quota's name.
        assert_eq!(k8s_spans(&RULE, &quota("", "  scopes: [NotTerminating]\n")), ["quota"]);
    }

    #[test]
    fn any_cpu_and_memory_key_counts() {
        assert_k8s_clean(
            &RULE,
            &quota("", "  hard:\n    cpu: \"1000\"\n    memory: 200Gi\n    pods: \"10\"\n"),
        );
        assert_k8s_clean(&RULE, &quota("", "  hard:\n    requests.cpu: \"1\"\n    limits.memory: 2Gi\n"));
    }

    #[test]
    fn quotas_of_a_namespace_complete_each_other() {
        let compute =
            quota("  namespace: shop\n", "  hard:\n    requests.cpu: \"4\"\n    requests.memory: 8Gi\n");
        let objects = quota("  namespace: shop\n", "  hard:\n    count/configmaps: \"50\"\n");
        assert_k8s_clean(&RULE, &format!("{compute}---\n{objects}"));
        let elsewhere = quota("  namespace: blog\n", "  hard:\n    count/configmaps: \"50\"\n");
        assert_eq!(k8s_spans(&RULE, &format!("{compute}---\n{elsewhere}")), ["hard"]);
    }

    #[test]
    fn best_effort_and_volume_class_scopes_cannot_hold_compute() {
        assert_k8s_clean(&RULE, &quota("", "  hard:\n    pods: \"5\"\n  scopes: [BestEffort]\n"));
        assert_k8s_clean(
            &RULE,
            &quota(
                "",
                "  hard:\n    requests.storage: 100Gi\n  scopeSelector:\n    matchExpressions:\n      - {scopeName: VolumeAttributesClass, operator: In, values: [gold]}\n",
            ),
        );
        let yaml = quota("", "  hard:\n    pods: \"5\"\n  scopes: [NotBestEffort]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hard"]);
    }
}
