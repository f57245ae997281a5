//! Resource limits a Kubernetes container gets from outside its own `resources.limits`, for the rules
//! about missing limits: the pod-level limit of its pod (`spec.resources.limits`), which caps all its
//! containers together, and the default limit a LimitRange in the same file gives every container of its
//! namespace. Ephemeral containers cannot set resources at all.
//!
//! A LimitRange item of `type: Container` fills in a missing limit from its `default`, and the API server
//! defaults `default` to `max` when only `max` is written, so either one counts. Namespaces are compared
//! only when both objects name one: a manifest without namespaces is applied to a single namespace.

use plimsoll_kubernetes::{Object, pod_spec_path};
use plimsoll_linter::KubernetesCtx;
use plimsoll_model::Container;
use plimsoll_yaml::{NodeId, ScalarKind, Tree};

use crate::support::limits;

/// Whether a container without its own `resource` (`memory`, `cpu`) limit is limited anyway, or cannot
/// be given one.
pub fn limited_elsewhere(ctx: &KubernetesCtx, container: &Container, resource: &str) -> bool {
    let tree = ctx.tree;
    let Some(object) = object_of(ctx, container) else { return false };
    if let Some(spec) = pod_spec_path(&object.kind.value).and_then(|path| tree.path(object.node, path)) {
        let ephemeral = tree
            .get(spec, "ephemeralContainers")
            .is_some_and(|list| tree.node(list).range.contains_range(container.anchor));
        let pod_limit = tree
            .path(spec, &["resources", "limits", resource])
            .and_then(|n| quantity(tree, n))
            .is_some_and(|q| !limits::is_zero(q));
        if ephemeral || pod_limit {
            return true;
        }
    }
    ctx.manifest
        .objects
        .iter()
        .filter(|o| o.kind.value == "LimitRange" && same_namespace(o, object))
        .any(|range| gives_container_limit(tree, range.node, resource))
}

/// The workload object the container belongs to.
fn object_of<'c>(ctx: &'c KubernetesCtx, container: &Container) -> Option<&'c Object> {
    ctx.manifest.objects.iter().find(|o| ctx.tree.node(o.node).range.contains_range(container.anchor))
}

fn same_namespace(a: &Object, b: &Object) -> bool {
    match (&a.namespace, &b.namespace) {
        (Some(a), Some(b)) => a.value == b.value,
        _ => true,
    }
}

/// A LimitRange with a `type: Container` item whose `default` or `max` sets a non-zero `resource`.
fn gives_container_limit(tree: &Tree, limit_range: NodeId, resource: &str) -> bool {
    let Some(items) = tree.path(limit_range, &["spec", "limits"]) else { return false };
    tree.items(items).iter().any(|&item| {
        tree.get(item, "type").and_then(|t| tree.text(t)) == Some("Container")
            && ["default", "max"].iter().any(|key| {
                tree.path(item, &[key, resource])
                    .and_then(|n| quantity(tree, n))
                    .is_some_and(|q| !limits::is_zero(q))
            })
    })
}

/// A quantity as written (`512Mi`, `500m`, `2`); `None` for null and for anything but a scalar.
fn quantity(tree: &Tree, node: NodeId) -> Option<&str> {
    let scalar = tree.scalar(node)?;
    (scalar.kind() != ScalarKind::Null).then_some(scalar.text.as_str())
}

#[cfg(test)]
mod tests {
    use plimsoll_linter::KubernetesCtx;

    use super::limited_elsewhere;

    /// For each container of the manifest: limited elsewhere for `resource`?
    fn limited(yaml: &str, resource: &str) -> Vec<bool> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let manifest = plimsoll_kubernetes::lower(&tree);
        let project = plimsoll_kubernetes::Project::default();
        let ctx = KubernetesCtx { text: yaml, tree: &tree, manifest: &manifest, project: project.scoped(None) };
        manifest.model.containers.iter().map(|c| limited_elsewhere(&ctx, c, resource)).collect()
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: web}\nspec:\n  containers:\n    - {name: a, image: x:1}\n  ephemeralContainers:\n    - {name: debug, image: busybox:1.36}\n";

    #[test]
    fn ephemeral_containers_cannot_have_limits() {
        assert_eq!(limited(POD, "memory"), [false, true]);
    }

    #[test]
    fn pod_level_limits() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      resources:\n        limits: {memory: 1Gi, cpu: \"0\"}\n      containers:\n        - {name: a, image: x:1}\n";
        assert_eq!(limited(yaml, "memory"), [true]);
        assert_eq!(limited(yaml, "cpu"), [false], "a zero limit is no limit");
    }

    #[test]
    fn limit_ranges_of_the_same_namespace() {
        let range = |namespace: &str, item: &str| {
            format!(
                "apiVersion: v1\nkind: LimitRange\nmetadata: {{name: l{namespace}}}\nspec:\n  limits:\n    - {item}\n---\n"
            )
        };
        let with = |text: String| text + POD;
        assert_eq!(
            limited(&with(range("", "{type: Container, default: {memory: 512Mi}}")), "memory"),
            [true, true]
        );
        assert_eq!(limited(&with(range("", "{type: Container, max: {cpu: 2}}")), "cpu"), [true, true]);
        assert_eq!(limited(&with(range("", "{type: Container, max: {cpu: 2}}")), "memory"), [false, true]);
        assert_eq!(limited(&with(range("", "{type: Pod, max: {memory: 1Gi}}")), "memory"), [false, true]);
        let other = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: db}\nspec:\n  limits:\n    - {type: Container, default: {memory: 1Gi}}\n---\n";
        assert_eq!(limited(&with(other.to_string()), "memory"), [false, true]);
        let same = other.replace("namespace: db", "namespace: web");
        assert_eq!(limited(&with(same), "memory"), [true, true]);
    }
}
