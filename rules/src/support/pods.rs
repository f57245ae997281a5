//! The pod specs of a Kubernetes manifest, for rules about pod-level fields (`hostNetwork`) and for
//! container fields the container model does not keep with a range of their own (`runAsGroup`). A pod spec
//! is checked whether or not it lists containers: a patch that only sets `hostNetwork: true` still turns it
//! on.

use plimsoll_kubernetes::pod_spec_path;
use plimsoll_kubernetes::values::{boolean, entry_range};
use plimsoll_linter::KubernetesCtx;
use plimsoll_span::TextRange;
use plimsoll_yaml::NodeId;

/// The lists of a pod spec that hold containers.
const CONTAINER_LISTS: [&str; 3] = ["initContainers", "containers", "ephemeralContainers"];

/// Every workload's pod spec, in document order.
pub fn specs<'a>(ctx: &KubernetesCtx<'a>) -> impl Iterator<Item = NodeId> + 'a {
    let tree = ctx.tree;
    ctx.manifest.objects.iter().filter_map(move |object| {
        pod_spec_path(&object.kind.value).and_then(|path| tree.path(object.node, path))
    })
}

/// The containers of a pod spec: its init, regular and ephemeral containers.
pub fn containers<'a>(ctx: &KubernetesCtx<'a>, spec: NodeId) -> impl Iterator<Item = NodeId> + 'a {
    let tree = ctx.tree;
    CONTAINER_LISTS
        .into_iter()
        .filter_map(move |list| tree.get(spec, list))
        .flat_map(move |items| tree.items(items).iter().copied())
}

/// `key: true` in each pod spec (`hostNetwork: true`), as the range of the whole entry. Only a YAML boolean
/// counts: the API server rejects anything else.
pub fn switched_on<'a>(ctx: &KubernetesCtx<'a>, key: &'a str) -> impl Iterator<Item = TextRange> + 'a {
    let tree = ctx.tree;
    specs(ctx)
        .filter(move |&spec| tree.get(spec, key).and_then(|n| boolean(tree, n)) == Some(true))
        .filter_map(move |spec| entry_range(tree, spec, key))
}
