//! The objects of a manifest: each document's root mapping with an `apiVersion` and a `kind`, and the
//! `items` of `List` kinds (`kubectl get -o yaml` output, `kind: List`, `DeploymentList`).

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, Tree};

use crate::values::string;
use crate::workload::{WorkloadKinds, locate_pod};

/// How deep `List` items may nest (a List of Lists is legal but rare); the bound keeps a hostile file cheap.
const MAX_LIST_DEPTH: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub api_version: Spanned<String>,
    pub kind: Spanned<String>,
    /// `metadata.name`, when given.
    pub name: Option<Spanned<String>>,
    /// `metadata.namespace`, when given.
    pub namespace: Option<Spanned<String>>,
    /// The object's mapping.
    pub node: NodeId,
    /// Where findings about the object as a whole point: its `metadata.name` value, else its `kind` value.
    pub anchor: TextRange,
    /// A workload's pod spec.
    pub pod_spec: Option<NodeId>,
    /// The mapping whose `metadata` is the workload's pod's: the object itself for a Pod, else its pod
    /// template.
    pub pod_template: Option<NodeId>,
}

impl Object {
    /// The API group without its version: `apps` for `apps/v1`, `""` for the core `v1`.
    pub fn group(&self) -> &str {
        self.api_version.value.rsplit_once('/').map_or("", |(group, _)| group)
    }
}

/// The objects of a manifest, with the pods of the built-in workload kinds.
pub fn objects(tree: &Tree) -> Vec<Object> {
    objects_with(tree, &WorkloadKinds::default())
}

/// The objects of a manifest, with the pods of the built-in workload kinds and of `kinds`.
pub fn objects_with(tree: &Tree, kinds: &WorkloadKinds) -> Vec<Object> {
    let mut out = Vec::new();
    for document in &tree.documents {
        if let Some(root) = document.root {
            collect(tree, kinds, root, 0, &mut out);
        }
    }
    out
}

fn collect(tree: &Tree, kinds: &WorkloadKinds, node: NodeId, depth: usize, out: &mut Vec<Object>) {
    let Some(mut object) = object(tree, node) else { return };
    let is_list = object.kind.value == "List" || object.kind.value.ends_with("List");
    if is_list && let Some(items) = tree.get(node, "items") {
        if depth < MAX_LIST_DEPTH {
            for &item in tree.items(items) {
                collect(tree, kinds, item, depth + 1, out);
            }
        }
        return;
    }
    if let Some(path) = kinds.path(object.group(), &object.kind.value)
        && let Some((spec, template)) = locate_pod(tree, node, &path)
    {
        object.pod_spec = Some(spec);
        object.pod_template = Some(template);
    }
    out.push(object);
}

fn object(tree: &Tree, node: NodeId) -> Option<Object> {
    let api_version = string(tree, tree.get(node, "apiVersion")?)?;
    let kind = string(tree, tree.get(node, "kind")?)?;
    let metadata = tree.get(node, "metadata");
    let field = |key: &str| metadata.and_then(|m| tree.get(m, key)).and_then(|n| string(tree, n));
    let name = field("name");
    let namespace = field("namespace");
    let anchor = name.as_ref().map_or(kind.range, |n| n.range);
    Some(Object { api_version, kind, name, namespace, node, anchor, pod_spec: None, pod_template: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(yaml: &str) -> Vec<(String, Option<String>)> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        objects(&tree).into_iter().map(|o| (o.kind.value, o.name.map(|n| n.value))).collect()
    }

    #[test]
    fn documents_and_lists() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: b}\n  - {apiVersion: v1, kind: Service}\n---\nfoo: bar\n";
        assert_eq!(
            kinds(yaml),
            [
                ("Pod".to_string(), Some("a".to_string())),
                ("Deployment".to_string(), Some("b".to_string())),
                ("Service".to_string(), None)
            ]
        );
    }

    #[test]
    fn anchor_and_group() {
        let yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: \"reader\"\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let role = &objects(&tree)[0];
        assert_eq!(role.anchor.slice(yaml), "reader");
        assert_eq!(role.group(), "rbac.authorization.k8s.io");
        let json = r#"{"apiVersion": "v1", "kind": "Pod", "spec": {}}"#;
        let tree = plimsoll_yaml::parse_json(json);
        let pod = &objects(&tree)[0];
        assert_eq!(pod.anchor.slice(json), "Pod");
        assert_eq!(pod.group(), "");
    }
}
