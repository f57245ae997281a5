//! Suppressions written as Kubernetes annotations, on an object or on its pod template. They cover the
//! whole object, so they survive tools that drop comments (`kubectl get -o yaml`, Helm, Kustomize).
//!
//! | annotation | suppresses |
//! |---|---|
//! | `plimsoll.io/ignore: "ISO001=runs as root by design, RES001"` | the listed rules (`=reason` optional) |
//! | `ignore-check.kube-linter.io/<check>: "reason"` | kube-linter's check, through aliases |
//! | `checkov.io/skip1: CKV_K8S_20=reason` (`skip2`, …) | Checkov's check, through aliases |
//! | `kube-score/ignore: container-resources,pod-probes` | kube-score's checks, through aliases |
//! | `polaris.fairwinds.com/<check>-exempt: "true"` / `polaris.fairwinds.com/exempt: "true"` | Polaris's check / every rule |

use plimsoll_kubernetes::Object;
use plimsoll_yaml::{NodeId, Tree};

use crate::suppress::Suppressions;

pub(crate) fn add_annotation_suppressions(tree: &Tree, objects: &[Object], suppressions: &mut Suppressions) {
    for object in objects {
        let scope = tree.node(object.node).range;
        for (key, value) in annotations(tree, object) {
            if let Some(ids) = ignored(key, value) {
                suppressions.add_scoped(ids, scope);
            }
        }
    }
}

/// The object's annotations and, for workloads, its pod template's.
fn annotations<'t>(tree: &'t Tree, object: &Object) -> Vec<(&'t str, &'t str)> {
    let mut maps: Vec<NodeId> = tree.path(object.node, &["metadata", "annotations"]).into_iter().collect();
    if let Some(template) = object.pod_template
        && template != object.node
        && let Some(node) = tree.path(template, &["metadata", "annotations"])
    {
        maps.push(node);
    }
    maps.into_iter()
        .flat_map(|map| tree.entries(map))
        .filter_map(|e| Some((tree.key_text(e)?, tree.text(e.value).unwrap_or(""))))
        .collect()
}

/// What one annotation suppresses: `Some(None)` every rule, `Some(Some(ids))` those rules.
fn ignored(key: &str, value: &str) -> Option<Option<Vec<String>>> {
    if key == "plimsoll.io/ignore" {
        let ids: Vec<String> = value
            .split(',')
            .filter_map(|item| {
                let id = item.split_once('=').map_or(item, |(id, _)| id).trim();
                // A comma inside a reason leaves a piece that is not an id.
                (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| id.to_string())
            })
            .collect();
        return (!ids.is_empty()).then_some(Some(ids));
    }
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
    use super::ignored;

    fn ids(list: &[&str]) -> Option<Option<Vec<String>>> {
        Some(Some(list.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn every_annotation_style() {
        assert_eq!(
            ignored("plimsoll.io/ignore", "ISO001=by design, with a comma, RES001"),
            ids(&["ISO001", "RES001"])
        );
        assert_eq!(ignored("plimsoll.io/ignore", ""), None);
        assert_eq!(
            ignored("ignore-check.kube-linter.io/privileged-container", "cni"),
            ids(&["privileged-container"])
        );
        assert_eq!(ignored("checkov.io/skip1", "CKV_K8S_20=needs it"), ids(&["CKV_K8S_20"]));
        assert_eq!(ignored("checkov.io/skipper", "CKV_K8S_20"), None);
        assert_eq!(
            ignored("kube-score/ignore", "container-resources, pod-probes"),
            ids(&["container-resources", "pod-probes"])
        );
        assert_eq!(ignored("polaris.fairwinds.com/hostNetworkSet-exempt", "true"), ids(&["hostNetworkSet"]));
        assert_eq!(ignored("polaris.fairwinds.com/exempt", "true"), Some(None));
        assert_eq!(ignored("polaris.fairwinds.com/exempt", "false"), None);
        assert_eq!(ignored("app.kubernetes.io/name", "web"), None);
    }
}
