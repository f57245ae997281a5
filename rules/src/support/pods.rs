//! The pod specs of a Kubernetes manifest, for rules that look at pod-level fields (volumes, the service
//! account, host settings) or at container fields the container model does not carry (probes, pull
//! policies, `valueFrom`). Every workload kind that runs pods is covered, the configured custom kinds
//! included (each object knows its pod spec); every walk is bounded by the manifest's own lists, never by
//! recursion.

use plimsoll_kubernetes::{Object, string};
use plimsoll_linter::KubernetesCtx;
use plimsoll_model::Container;
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

/// The lists of a pod spec that hold containers.
pub const CONTAINER_LISTS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// One pod spec: a Pod's `spec`, or the pod template's `spec` of a controller.
#[derive(Clone, Copy, Debug)]
pub struct PodSpec<'a> {
    /// The object that runs the pod.
    pub object: &'a Object,
    /// The pod spec mapping.
    pub spec: NodeId,
    /// The pod's metadata: the Pod's own, or the pod template's.
    pub metadata: Option<NodeId>,
}

impl PodSpec<'_> {
    /// Where findings about the pod as a whole point: the object's name (else its kind).
    pub fn anchor(&self) -> TextRange {
        self.object.anchor
    }
}

/// Every pod spec of the manifest, in document order.
pub fn pod_specs<'a>(ctx: &'a KubernetesCtx) -> impl Iterator<Item = PodSpec<'a>> + 'a {
    let tree = ctx.tree;
    ctx.manifest.objects.iter().filter_map(move |object| {
        let spec = object.pod_spec?;
        tree.entries(spec).first()?;
        let metadata = object.pod_template.and_then(|t| tree.get(t, "metadata"));
        Some(PodSpec { object, spec, metadata })
    })
}

/// The container mappings of a pod spec (init, regular and ephemeral containers), in that order.
pub fn containers(tree: &Tree, spec: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    CONTAINER_LISTS
        .iter()
        .filter_map(move |list| tree.get(spec, list))
        .flat_map(move |list| tree.items(list).iter().copied())
        .filter(move |&item| !tree.entries(item).is_empty())
}

/// Where findings about a container point: its `name` value, else the whole container mapping (the same
/// anchor the container model uses).
pub fn container_anchor(tree: &Tree, item: NodeId) -> TextRange {
    tree.get(item, "name").and_then(|n| string(tree, n)).map_or(tree.node(item).range, |n| n.range)
}

/// The lowered containers of a pod spec: those whose anchor lies inside it.
pub fn model_containers<'a>(
    ctx: &'a KubernetesCtx,
    pod: &PodSpec<'_>,
) -> impl Iterator<Item = &'a Container> + 'a {
    let range = ctx.tree.node(pod.spec).range;
    ctx.manifest.model.containers.iter().filter(move |c| range.contains_range(c.anchor))
}

/// The pod declares it runs on Windows (`spec.os.name: windows`): the Linux-only controls do not apply.
pub fn is_windows(tree: &Tree, spec: NodeId) -> bool {
    tree.path(spec, &["os", "name"]).and_then(|n| tree.text(n)) == Some("windows")
}

/// The text of a scalar value at `path` under `from`.
pub fn text_at<'t>(tree: &'t Tree, from: NodeId, path: &[&str]) -> Option<&'t str> {
    tree.path(from, path).and_then(|n| tree.text(n))
}

/// The range of an entry's key (`hostPath` in `hostPath: {path: /var}`), for findings about a section
/// whose value spans several lines.
pub fn key_range(tree: &Tree, map: NodeId, key: &str) -> Option<TextRange> {
    tree.entry(map, key).map(|e| tree.node(e.key).range)
}

/// Objects of the given kinds.
pub fn objects_of_kind<'a>(
    ctx: &'a KubernetesCtx,
    kinds: &'a [&'a str],
) -> impl Iterator<Item = &'a Object> + 'a {
    ctx.manifest.objects.iter().filter(move |o| kinds.contains(&o.kind.value.as_str()))
}

/// `key: true` in each pod spec (`hostNetwork: true`), as the range of the whole entry. Only a YAML boolean
/// counts: the API server rejects anything else.
pub fn switched_on<'a>(ctx: &'a KubernetesCtx, key: &'a str) -> impl Iterator<Item = TextRange> + 'a {
    let tree = ctx.tree;
    pod_specs(ctx)
        .map(|pod| pod.spec)
        .filter(move |&spec| {
            tree.get(spec, key).and_then(|n| plimsoll_kubernetes::boolean(tree, n)) == Some(true)
        })
        .filter_map(move |spec| plimsoll_kubernetes::entry_range(tree, spec, key))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::testing::with_k8s_ctx;

    #[test]
    fn pod_specs_of_every_kind_with_their_containers() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  initContainers:\n    - name: init\n  containers:\n    - name: app\n    - {}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: b\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: b}\n        spec:\n          os: {name: windows}\n          containers:\n            - image: x\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: c\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec: {}\n";
        with_k8s_ctx(yaml, |ctx| {
            let pods: Vec<_> = pod_specs(ctx).collect();
            assert_eq!(pods.len(), 2, "the Service runs no pod, the Deployment has no template");
            let anchors: Vec<_> = containers(ctx.tree, pods[0].spec)
                .map(|c| container_anchor(ctx.tree, c).slice(yaml))
                .collect();
            assert_eq!(anchors, ["init", "app"]);
            assert!(!is_windows(ctx.tree, pods[0].spec) && is_windows(ctx.tree, pods[1].spec));
            assert!(pods[0].metadata.is_some() && pods[1].metadata.is_some());
            assert_eq!(pods[1].anchor().slice(yaml), "b");
            assert_eq!(
                container_anchor(ctx.tree, containers(ctx.tree, pods[1].spec).next().unwrap()).slice(yaml),
                "image: x"
            );
            let lowered: Vec<_> = model_containers(ctx, &pods[0]).map(|c| c.anchor.slice(yaml)).collect();
            assert_eq!(lowered, ["init", "app"]);
            assert_eq!(model_containers(ctx, &pods[1]).count(), 1);
            assert_eq!(objects_of_kind(ctx, &["Service"]).count(), 1);
        });
    }
}
