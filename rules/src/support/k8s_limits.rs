//! Resource limits a Kubernetes container gets from outside its own `resources.limits`, for the rules
//! about missing limits: the pod-level limit of its pod (`spec.resources.limits`), which caps all its
//! containers together. Ephemeral containers cannot set resources at all. (A namespace's LimitRange
//! defaults, from any file of the run, are already the container's `Inherited` limits: see
//! `plimsoll_kubernetes::project`.)

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
    let Some(spec) = pod_spec_path(&object.kind.value).and_then(|path| tree.path(object.node, path)) else {
        return false;
    };
    let ephemeral = tree
        .get(spec, "ephemeralContainers")
        .is_some_and(|list| tree.node(list).range.contains_range(container.anchor));
    let pod_limit = tree
        .path(spec, &["resources", "limits", resource])
        .and_then(|n| quantity(tree, n))
        .is_some_and(|q| !limits::is_zero(q));
    ephemeral || pod_limit
}

/// The workload object the container belongs to.
fn object_of<'c>(ctx: &'c KubernetesCtx, container: &Container) -> Option<&'c Object> {
    ctx.manifest.objects.iter().find(|o| ctx.tree.node(o.node).range.contains_range(container.anchor))
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
        let ctx =
            KubernetesCtx { text: yaml, tree: &tree, manifest: &manifest, project: project.scoped(None) };
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
}
