//! `.hadolint.yaml` / `.hadolint.yml`, read as a plimsoll layer so a team moving from hadolint keeps its
//! decisions: `ignored` → `extend-ignore`, `trustedRegistries` → `[images] trusted-registries`,
//! `override` → `[severity]`, `failure-threshold` → `fail-on`. hadolint ids go through our aliases
//! (`DL3008` selects the rule that carries it); ids we have no rule for are dropped, since hadolint's
//! ignores of rules we lack change nothing. The resolver applies this layer to Dockerfiles only.

use std::path::PathBuf;

use plimsoll_diagnostic::RuleMeta;
use plimsoll_linter::RuleSelector;
use plimsoll_yaml::{NodeId, Tree, parse_yaml};

use crate::error::{ConfigError, position};
use crate::layer::{Item, Layer, Source, Value};

/// The file names hadolint reads, in its order.
pub const FILE_NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml"];

/// Translates a hadolint configuration (`shown` as people see its path, in directory `dir`).
pub fn translate(
    text: &str,
    shown: &str,
    dir: PathBuf,
    rules: &[&'static RuleMeta],
) -> Result<Layer, ConfigError> {
    let tree = parse_yaml(text);
    if let Some(problem) = tree.problems.first() {
        return Err(ConfigError::at(
            shown,
            text,
            problem.range.start as usize,
            format!("invalid YAML: {}", problem.message),
        ));
    }
    let mut layer = Layer::new(Source::Hadolint(shown.to_string()), dir);
    let Some(root) = tree.documents.first().and_then(|d| d.root) else { return Ok(layer) };
    let item = |id: NodeId| -> Option<Item> {
        let line = position(text, tree.node(id).range.start as usize).0;
        tree.text(id).map(|t| Item::new(t.trim(), line))
    };
    let known = |item: &Item| {
        RuleSelector::parse(&item.text).is_known(rules.iter().copied()) && !item.text.is_empty()
    };

    if let Some(ignored) = tree.get(root, "ignored") {
        let items: Vec<Item> = list(&tree, ignored).filter_map(item).filter(known).collect();
        if !items.is_empty() {
            layer.set("extend-ignore", Value::List(items));
        }
    }
    if let Some(registries) = tree.get(root, "trustedRegistries") {
        let items: Vec<Item> =
            list(&tree, registries).filter_map(item).filter(|i| !i.text.is_empty()).collect();
        if !items.is_empty() {
            layer.set("images.trusted-registries", Value::List(items));
        }
    }
    if let Some(overrides) = tree.get(root, "override") {
        let mut entries = Vec::new();
        for level in ["info", "style", "warning", "error"] {
            let Some(ids) = tree.get(overrides, level) else { continue };
            let severity = if level == "style" { "info" } else { level };
            for id in list(&tree, ids).filter_map(item).filter(known) {
                entries.retain(|(s, _): &(Item, Vec<Item>)| !s.text.eq_ignore_ascii_case(&id.text));
                let value = Item::new(severity, id.line);
                entries.push((id, vec![value]));
            }
        }
        if !entries.is_empty() {
            layer.set("severity", Value::Map(entries));
        }
    }
    if let Some(threshold) = tree.get(root, "failure-threshold").and_then(item) {
        // `none` and `ignore` never fail in hadolint; the nearest we have is failing on nothing lower than
        // errors would be wrong, so those leave `fail-on` unset.
        let severity = match threshold.text.to_ascii_lowercase().as_str() {
            "error" => Some("error"),
            "warning" => Some("warning"),
            "info" | "style" => Some("info"),
            _ => None,
        };
        if let Some(severity) = severity {
            layer.set("fail-on", Value::Word(Item::new(severity, threshold.line)));
        }
    }
    Ok(layer)
}

/// A sequence's items, or a lone scalar as a list of one (hadolint accepts both).
fn list(tree: &Tree, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    let items = tree.items(id);
    let single = if items.is_empty() && tree.scalar(id).is_some() { Some(id) } else { None };
    items.iter().copied().chain(single)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rules;

    #[test]
    fn translates_ignores_registries_overrides_and_threshold() {
        let text = "ignored:\n  - DL3002\n  - DL9999\ntrustedRegistries:\n  - docker.io\n  - ghcr.io/acme\noverride:\n  error:\n    - DL3002\n  style: [DL3002]\nfailure-threshold: warning\n";
        let layer = translate(text, ".hadolint.yaml", "/repo".into(), &rules()).unwrap();
        assert_eq!(layer.get("extend-ignore"), Some(&Value::List(vec![Item::new("DL3002", 2)])));
        let registries: Vec<&str> =
            layer.get("images.trusted-registries").unwrap().items().iter().map(|i| i.text.as_str()).collect();
        assert_eq!(registries, ["docker.io", "ghcr.io/acme"]);
        let severity = layer.get("severity").unwrap().entries();
        assert_eq!(severity.len(), 1, "the later level wins for one id");
        assert_eq!((severity[0].0.line, severity[0].1[0].text.as_str()), (9, "error"));
        assert_eq!(layer.get("fail-on"), Some(&Value::Word(Item::new("warning", 11))));
        assert_eq!(layer.origin(2), ".hadolint.yaml:2");
    }

    #[test]
    fn empty_odd_and_broken_files() {
        assert!(translate("", "h", "/".into(), &rules()).unwrap().values.is_empty());
        assert!(
            translate("ignored: DL3002\nfailure-threshold: none\n", "h", "/".into(), &rules())
                .unwrap()
                .get("fail-on")
                .is_none()
        );
        assert!(
            translate("ignored: DL3002\n", "h", "/".into(), &rules()).unwrap().get("extend-ignore").is_some()
        );
        assert!(
            translate("ignored: [\n", "h", "/".into(), &rules()).unwrap_err().to_string().starts_with("h:")
        );
    }
}
