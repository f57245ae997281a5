use plimsoll_kubernetes::{Object, entry_range};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::NodeId;

use crate::support::k8s_resources::{self, Resource};
use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags LimitRanges that leave containers' CPU or memory uncapped: no `max.cpu` or no `max.memory` in
    /// their `type: Container` limits (a `type: Pod` maximum, which caps the pod's containers together,
    /// counts too). Another LimitRange of the same namespace in the same file may supply the missing
    /// maximum. A LimitRange with no limits at all is reported at its name; one that only limits
    /// `PersistentVolumeClaim` sizes is not about containers and is not reported.
    ///
    /// Only `max` matters here. `default` gives a limit to containers that set none but lets any container
    /// write a larger one; with `max` alone, the API server uses it as the default limit as well.
    /// `defaultRequest` (which defaults to the default limit) and `min` decide how pods are scheduled, not
    /// how much they may use, so they are not required.
    ///
    /// ## Why is this bad?
    /// A LimitRange is the namespace's guard against containers that would take a whole node: it gives
    /// containers without limits a default one and rejects containers whose limits are too large. Without a
    /// maximum, the guard has a hole: anyone who can deploy to the namespace can set a limit of every CPU or
    /// all the memory of the node, and a runaway or hostile container then starves its neighbours just as
    /// if it had no limit.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: LimitRange
    /// metadata:
    ///   name: defaults
    ///   namespace: shop
    /// spec:
    ///   limits:
    ///     - type: Container
    ///       default:
    ///         cpu: 500m
    ///         memory: 512Mi
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: LimitRange
    /// metadata:
    ///   name: defaults
    ///   namespace: shop
    /// spec:
    ///   limits:
    ///     - type: Container
    ///       default:
    ///         cpu: 500m
    ///         memory: 512Mi
    ///       max:
    ///         cpu: "2"
    ///         memory: 2Gi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
    /// - [Kubernetes: configure minimum and maximum CPU constraints for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/cpu-constraint-namespace/)
    /// - [Kubernetes: configure minimum and maximum memory constraints for a namespace](https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-constraint-namespace/)
    code: "RES013",
    name: "limit-range-incomplete",
    family: Res,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["KSV-0039"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let limit_ranges: Vec<&Object> = pods::objects_of_kind(ctx, &["LimitRange"]).collect();
    for limit_range in &limit_ranges {
        let items = container_items(ctx, limit_range);
        let Some(&first) = items.first() else {
            let any =
                tree.path(limit_range.node, &["spec", "limits"]).is_some_and(|l| !tree.items(l).is_empty());
            if !any {
                r.report(limit_range.anchor, "LimitRange sets no limits for containers").help(HELP_BOTH);
            }
            continue;
        };
        let namespace = k8s_resources::namespace(limit_range);
        let capped = |resource: Resource| {
            limit_ranges
                .iter()
                .filter(|other| k8s_resources::namespace(other) == namespace)
                .flat_map(|other| container_items(ctx, other))
                .any(|item| tree.path(item, &["max", resource.key()]).is_some())
        };
        let (message, help) = match (capped(Resource::Cpu), capped(Resource::Memory)) {
            (true, true) => continue,
            (false, false) => ("LimitRange sets no maximum CPU or memory for containers", HELP_BOTH),
            (false, true) => (
                "LimitRange sets no maximum CPU for containers",
                "Add `max.cpu` to its `type: Container` limits: containers may then set no larger CPU limit, \
                 and those that set none get it as their limit.",
            ),
            (true, false) => (
                "LimitRange sets no maximum memory for containers",
                "Add `max.memory` to its `type: Container` limits: containers may then set no larger memory \
                 limit, and those that set none get it as their limit.",
            ),
        };
        r.report(entry_range(tree, first, "type").unwrap_or(limit_range.anchor), message).help(help);
    }
}

const HELP_BOTH: &str = "Add `max.cpu` and `max.memory` to a `type: Container` limit: containers may then \
                         set no larger limits, and those that set none get them as their limits.";

/// The limits of a LimitRange that bound containers: `type: Container`, then `type: Pod` (a pod's
/// containers together).
fn container_items(ctx: &KubernetesCtx, limit_range: &Object) -> Vec<NodeId> {
    let tree = ctx.tree;
    k8s_resources::limit_items(tree, limit_range, "Container")
        .chain(k8s_resources::limit_items(tree, limit_range, "Pod"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn limit_range(namespace: &str, limits: &str) -> String {
        format!(
            "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: limits\n{namespace}spec:\n  limits:\n{limits}"
        )
    }

    #[test]
    fn missing_maximums_point_at_the_container_limits() {
        let yaml = limit_range(
            "",
            "    - type: Container\n      default: {cpu: 500m, memory: 512Mi}\n      defaultRequest: {cpu: 100m}\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: Container"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "LimitRange sets no maximum CPU or memory for containers"
        );
        let yaml = limit_range(
            "",
            "    - max:\n        memory: 1Gi\n      min:\n        memory: 500Mi\n      type: Container\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: Container"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "LimitRange sets no maximum CPU for containers");
        assert!(found[0].help.as_deref().is_some_and(|h| h.starts_with("Add `max.cpu`")));
    }

    #[test]
    fn maximums_for_containers_or_pods_cap() {
        assert_k8s_clean(
            &RULE,
            &limit_range("", "    - type: Container\n      max: {cpu: \"2\", memory: 2Gi}\n"),
        );
        assert_k8s_clean(
            &RULE,
            &limit_range(
                "",
                "    - type: Pod\n      max: {cpu: \"4\", memory: 4Gi}\n    - type: Container\n      default: {cpu: 500m, memory: 512Mi}\n",
            ),
        );
        // A maximum for another resource caps nothing here.
        let yaml = limit_range("", "    - type: Container\n      max: {ephemeral-storage: 2Gi}\n");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "LimitRange sets no maximum CPU or memory for containers"
        );
    }

    #[test]
    fn limit_ranges_of_a_namespace_complete_each_other() {
        let cpu = limit_range("  namespace: shop\n", "    - type: Container\n      max: {cpu: \"1\"}\n");
        let memory = limit_range("  namespace: shop\n", "    - type: Container\n      max: {memory: 1Gi}\n");
        assert_k8s_clean(&RULE, &format!("{cpu}---\n{memory}"));
        let other = limit_range("  namespace: blog\n", "    - type: Container\n      max: {memory: 1Gi}\n");
        assert_eq!(k8s_spans(&RULE, &format!("{cpu}---\n{other}")), ["type: Container", "type: Container"]);
    }

    #[test]
    fn empty_and_storage_limit_ranges() {
        let yaml = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: nothing\nspec:\n  limits: []\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["nothing"]);
        assert_eq!(lint_k8s(&RULE, yaml)[0].message, "LimitRange sets no limits for containers");
        assert_k8s_clean(
            &RULE,
            &limit_range("", "    - type: PersistentVolumeClaim\n      max: {storage: 10Gi}\n"),
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: {pods: \"10\"}\n",
        );
    }
}
