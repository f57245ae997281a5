//! Suppressions written as Kubernetes annotations, on an object or on its pod template. They survive
//! tools that drop comments (`kubectl get -o yaml`, Helm, Kustomize).
//!
//! | annotation | suppresses |
//! |---|---|
//! | `plimsoll.io/ignore: "ISO001=runs as root by design, RES001"` | the listed rules (`=reason` optional) in the whole object |
//! | `plimsoll.io/ignore.<container>: "ISO001=reason"` | the listed rules inside that container's entry (`containers`, `initContainers`, `ephemeralContainers`) |
//! | `ignore-check.kube-linter.io/<check>: "reason"` | kube-linter's check, through aliases |
//! | `checkov.io/skip1: CKV_K8S_20=reason` (`skip2`, …) | Checkov's check, through aliases |
//! | `kube-score/ignore: container-resources,pod-probes` | kube-score's checks, through aliases |
//! | `polaris.fairwinds.com/<check>-exempt: "true"` / `polaris.fairwinds.com/exempt: "true"` | Polaris's check / every rule |
//!
//! A reason may contain commas: a piece that is not a single word continues the previous reason
//! (`ISO001=needs root, for now, RES001`). A per-container key is a valid annotation name for container
//! names of up to 56 characters (annotation names are limited to 63).

use plimsoll_kubernetes::Object;
use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

use super::{SuppressedId, Suppression, SuppressionKind, Suppressions};

const OWN: &str = "plimsoll.io/ignore";
const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

pub(crate) fn add_annotation_suppressions(
    text: &str,
    tree: &Tree,
    objects: &[Object],
    suppressions: &mut Suppressions,
) {
    for object in objects {
        let scope = tree.node(object.node).range;
        for (key, value) in annotations(tree, object) {
            let key_text = tree.text(key).unwrap_or("");
            if key_text == OWN {
                for suppression in own_entries(text, tree, value) {
                    suppressions.add_own(suppression, Some(scope));
                }
            } else if let Some(container) = key_text.strip_prefix(OWN).and_then(|k| k.strip_prefix('.')) {
                // Ours even when no container has that name: it then suppresses nothing, and says so.
                let target = container_node(tree, object, container).map(|n| tree.node(n).range);
                for suppression in own_entries(text, tree, value) {
                    suppressions.add_own(suppression, target);
                }
            } else if let Some(ids) = peer_ignored(key_text, tree.text(value).unwrap_or("")) {
                suppressions.add_scoped(ids, scope);
            }
        }
    }
}

/// The `(key, value)` nodes of the object's annotations and, for workloads, its pod template's.
fn annotations(tree: &Tree, object: &Object) -> Vec<(NodeId, NodeId)> {
    let mut maps: Vec<NodeId> = tree.path(object.node, &["metadata", "annotations"]).into_iter().collect();
    if let Some(template) = object.pod_template
        && template != object.node
        && let Some(node) = tree.path(template, &["metadata", "annotations"])
    {
        maps.push(node);
    }
    maps.into_iter().flat_map(|map| tree.entries(map)).map(|e| (e.key, e.value)).collect()
}

/// The container (or init or ephemeral container) of the object's pod spec with that `name`.
fn container_node(tree: &Tree, object: &Object, name: &str) -> Option<NodeId> {
    let spec = object.pod_spec?;
    CONTAINER_LISTS
        .iter()
        .filter_map(|list| tree.get(spec, list))
        .flat_map(|list| tree.items(list).iter().copied())
        .find(|&item| tree.get(item, "name").and_then(|n| tree.text(n)) == Some(name))
}

/// Reads `ISO001=reason, RES001` into one suppression per id, each located in the file when the value
/// is written without escapes or folding (else at the whole value).
fn own_entries(text: &str, tree: &Tree, value: NodeId) -> Vec<Suppression> {
    let Some(written) = tree.text(value) else { return Vec::new() };
    let range = tree.value_range(value);
    let exact = range.slice(text) == written;
    let locate = |offset: usize, len: usize| {
        if exact {
            TextRange::new(range.start + offset as u32, range.start + (offset + len) as u32)
        } else {
            range
        }
    };
    let mut out: Vec<Suppression> = Vec::new();
    let mut offset = 0;
    for piece in written.split(',') {
        let start = offset;
        offset += piece.len() + 1;
        let (id, reason) = match piece.split_once('=') {
            Some((id, reason)) => (id, Some(reason.trim())),
            None => (piece, None),
        };
        let trimmed = id.trim();
        if trimmed.is_empty() || trimmed.contains(char::is_whitespace) {
            // A comma inside a reason leaves a piece that is not an id.
            if let Some(last) = out.last_mut() {
                let reason = last.reason.get_or_insert_with(String::new);
                reason.push(',');
                reason.push_str(piece.trim_end());
                last.range = last.range.cover(locate(start, piece.len()));
            }
            continue;
        }
        let id_start = start + (id.len() - id.trim_start().len());
        out.push(Suppression {
            range: locate(start + (piece.len() - piece.trim_start().len()), piece.trim().len()),
            kind: SuppressionKind::Annotation,
            reason: reason.filter(|r| !r.is_empty()).map(String::from),
            ids: vec![SuppressedId {
                id: trimmed.to_string(),
                range: locate(id_start, trimmed.len()),
                used: false,
            }],
        });
    }
    out
}

/// What one peer annotation suppresses: `Some(None)` every rule, `Some(Some(ids))` those rules.
fn peer_ignored(key: &str, value: &str) -> Option<Option<Vec<String>>> {
    if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
        return Some(Some(vec![check.to_string()]));
    }
    if key.strip_prefix("checkov.io/skip").is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) {
        let id = value.split_once('=').map_or(value, |(id, _)| id).trim();
        return (!id.is_empty()).then(|| Some(vec![id.to_string()]));
    }
    if key == "kube-score/ignore" {
        let ids: Vec<String> =
            value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        return (!ids.is_empty()).then_some(Some(ids));
    }
    if let Some(rest) = key.strip_prefix("polaris.fairwinds.com/") {
        if !value.eq_ignore_ascii_case("true") {
            return None;
        }
        return match rest.strip_suffix("-exempt") {
            Some(check) => Some(Some(vec![check.to_string()])),
            None => (rest == "exempt").then_some(None),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Option<Option<Vec<String>>> {
        Some(Some(list.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn peer_annotations() {
        assert_eq!(
            peer_ignored("ignore-check.kube-linter.io/privileged-container", "cni"),
            ids(&["privileged-container"])
        );
        assert_eq!(peer_ignored("checkov.io/skip1", "CKV_K8S_20=needs it"), ids(&["CKV_K8S_20"]));
        assert_eq!(peer_ignored("checkov.io/skipper", "CKV_K8S_20"), None);
        assert_eq!(
            peer_ignored("kube-score/ignore", "container-resources, pod-probes"),
            ids(&["container-resources", "pod-probes"])
        );
        assert_eq!(
            peer_ignored("polaris.fairwinds.com/hostNetworkSet-exempt", "true"),
            ids(&["hostNetworkSet"])
        );
        assert_eq!(peer_ignored("polaris.fairwinds.com/exempt", "true"), Some(None));
        assert_eq!(peer_ignored("polaris.fairwinds.com/exempt", "false"), None);
        assert_eq!(peer_ignored("app.kubernetes.io/name", "web"), None);
    }

    #[test]
    fn own_entries_keep_reasons_with_commas_and_locate_ids() {
        let text = "a: \"ISO001=by design, with a comma, RES001\"\n";
        let tree = plimsoll_yaml::parse_yaml(text);
        let value = tree.entries(tree.documents[0].root.unwrap())[0].value;
        let entries = own_entries(text, &tree, value);
        let shown: Vec<(&str, Option<&str>, &str)> = entries
            .iter()
            .map(|s| (s.ids[0].range.slice(text), s.reason.as_deref(), s.range.slice(text)))
            .collect();
        assert_eq!(
            shown,
            [
                ("ISO001", Some("by design, with a comma"), "ISO001=by design, with a comma"),
                ("RES001", None, "RES001")
            ]
        );
    }

    #[test]
    fn folded_values_locate_ids_at_the_whole_value() {
        let text = "a: >\n  ISO001=x\n";
        let tree = plimsoll_yaml::parse_yaml(text);
        let value = tree.entries(tree.documents[0].root.unwrap())[0].value;
        let entries = own_entries(text, &tree, value);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].ids[0].id, "ISO001");
        assert_eq!(entries[0].ids[0].range, tree.node(value).range);
    }
}
