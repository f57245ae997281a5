//! The two `securityContext`s that govern a Kubernetes container: its own and its pod's. A field the
//! container sets wins; a field it leaves out comes from the pod, for the fields both levels have
//! (`runAsUser`, `runAsGroup`, `seLinuxOptions`, `seccompProfile`, …).

use plimsoll_linter::KubernetesCtx;
use plimsoll_model::Container;
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods::{self, PodSpec};

/// One container of a pod: its mapping, its lowered model and the contexts that govern it.
pub struct PodContainer<'a> {
    pub item: NodeId,
    pub model: &'a Container,
    pub contexts: Contexts,
}

/// Every container of the pod (init, regular and ephemeral ones, in that order) with its model. The
/// lowering walks the same lists in the same order, so both are paired in one pass.
pub fn containers<'a>(
    ctx: &'a KubernetesCtx,
    pod: &PodSpec<'a>,
) -> impl Iterator<Item = PodContainer<'a>> + 'a {
    let tree = ctx.tree;
    let spec = pod.spec;
    let mut models = pods::model_containers(ctx, pod);
    pods::containers(tree, spec).filter_map(move |item| {
        let anchor = pods::container_anchor(tree, item);
        let model = models.find(|c| c.anchor == anchor)?;
        Some(PodContainer { item, model, contexts: Contexts::of(tree, spec, item) })
    })
}

/// The pod's and one container's `securityContext` mappings, when written.
#[derive(Clone, Copy, Debug)]
pub struct Contexts {
    pub pod: Option<NodeId>,
    pub container: Option<NodeId>,
}

impl Contexts {
    /// The contexts of the container mapping `item` in the pod spec `spec`.
    pub fn of(tree: &Tree, spec: NodeId, item: NodeId) -> Contexts {
        Contexts { pod: tree.get(spec, "securityContext"), container: tree.get(item, "securityContext") }
    }

    /// The effective value of `key`: the container's, else the pod's.
    pub fn field(&self, tree: &Tree, key: &str) -> Option<NodeId> {
        self.container.and_then(|sc| tree.get(sc, key)).or_else(|| self.pod.and_then(|sc| tree.get(sc, key)))
    }
}

/// A `securityContext` that sets nothing: absent, `null` or `{}`. The API server reads all three alike.
pub fn is_empty(tree: &Tree, context: Option<NodeId>) -> bool {
    context.is_none_or(|node| tree.entries(node).is_empty())
}

/// Where to point at the `securityContext` of `map` (a pod spec or a container): its key when written
/// (`securityContext: {}`), else `anchor`.
pub fn key_or(tree: &Tree, map: NodeId, anchor: TextRange) -> TextRange {
    tree.entry(map, "securityContext").map_or(anchor, |e| tree.node(e.key).range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_paired_with_their_model_in_one_pass() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext: {runAsUser: 1}\n  initContainers:\n    - name: init\n  containers:\n    - {}\n    - image: x:1\n    - name: app\n      securityContext: {runAsUser: 2}\n  ephemeralContainers:\n    - name: debug\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let manifest = plimsoll_kubernetes::lower(&tree);
        let project = plimsoll_kubernetes::Project::default();
        let ctx =
            KubernetesCtx { text: yaml, tree: &tree, manifest: &manifest, project: project.scoped(None) };
        let pod = pods::pod_specs(&ctx).next().unwrap();
        let found: Vec<_> = containers(&ctx, &pod)
            .map(|c| {
                let user = c.contexts.field(&tree, "runAsUser").and_then(|n| tree.text(n));
                (c.model.anchor.slice(yaml), user)
            })
            .collect();
        assert_eq!(
            found,
            [("init", Some("1")), ("image: x:1", Some("1")), ("app", Some("2")), ("debug", Some("1"))]
        );
    }

    #[test]
    fn the_container_wins_and_empty_contexts_set_nothing() {
        let yaml = "spec:\n  securityContext: {runAsUser: 1, runAsGroup: 2}\n  containers:\n    - name: a\n      securityContext: {runAsUser: 3}\n    - name: b\n      securityContext: {}\n    - name: c\n      securityContext:\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let spec = tree.path(tree.documents[0].root.unwrap(), &["spec"]).unwrap();
        let items = tree.items(tree.get(spec, "containers").unwrap()).to_vec();
        let a = Contexts::of(&tree, spec, items[0]);
        let text = |n: Option<NodeId>| n.and_then(|n| tree.text(n));
        assert_eq!(text(a.field(&tree, "runAsUser")), Some("3"));
        assert_eq!(text(a.field(&tree, "runAsGroup")), Some("2"));
        assert_eq!(a.field(&tree, "seLinuxOptions"), None);
        assert!(!is_empty(&tree, a.container));
        for &item in &items[1..] {
            assert!(is_empty(&tree, Contexts::of(&tree, spec, item).container));
            assert_eq!(key_or(&tree, item, TextRange::default()).slice(yaml), "securityContext");
        }
        assert!(is_empty(&tree, None));
        assert_eq!(key_or(&tree, spec, TextRange::new(0, 4)).slice(yaml), "securityContext");
        let root = tree.documents[0].root.unwrap();
        assert_eq!(key_or(&tree, root, TextRange::new(0, 4)).slice(yaml), "spec", "no key: the anchor");
    }
}
