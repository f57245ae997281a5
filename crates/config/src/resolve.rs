//! Layers (defaults, files base first, the command line) → the [`Settings`] a [`plimsoll_linter::Linter`]
//! runs with. ruff's rules: a layer's `select` starts the rule set afresh, `extend-select` and `ignore` edit
//! it; within a layer the more specific selector wins; other keys are replaced by the last layer setting
//! them, and `extend-*` keys accumulate.

use std::collections::BTreeSet;

use plimsoll_diagnostic::{RuleMeta, Severity};
use plimsoll_linter::{PathIgnore, RuleSelector, Selection, Settings, WorkloadKinds};

use crate::layer::{Item, Layer, Value};

/// How specific a selector is: a rule beats a family beats `ALL`.
fn specificity(selector: &RuleSelector) -> u8 {
    match selector {
        RuleSelector::All => 0,
        RuleSelector::Family(_) => 1,
        RuleSelector::Rule(_) => 2,
    }
}

fn selectors(value: Option<&Value>) -> Vec<RuleSelector> {
    value.map(|v| v.items().iter().map(|i| RuleSelector::parse(&i.text)).collect()).unwrap_or_default()
}

/// The codes of the rules that run.
pub fn enabled_rules(layers: &[&Layer], rules: &[&'static RuleMeta]) -> BTreeSet<&'static str> {
    let mut enabled: BTreeSet<&'static str> =
        rules.iter().filter(|r| r.default_enabled).map(|r| r.code).collect();
    // ruff: an `ignore` in a layer whose `select` is empty is carried into the next layer, so
    // `select = []` + `ignore = [...]` in a base still ignores after a child re-selects.
    let mut carried: Vec<RuleSelector> = Vec::new();
    for layer in layers {
        let select = layer.get("select").map(|v| selectors(Some(v)));
        let extend_select = selectors(layer.get("extend-select"));
        let mut ignore = selectors(layer.get("ignore"));
        ignore.extend(selectors(layer.get("extend-ignore")));
        ignore.extend(std::mem::take(&mut carried));
        let mut updates: Vec<(&'static str, bool)> = Vec::new();
        for level in 0..=2 {
            let on = select.iter().flatten().chain(&extend_select).filter(|s| specificity(s) == level);
            for selector in on {
                updates.extend(rules.iter().filter(|r| selector.matches(r)).map(|r| (r.code, true)));
            }
            for selector in ignore.iter().filter(|s| specificity(s) == level) {
                updates.extend(rules.iter().filter(|r| selector.matches(r)).map(|r| (r.code, false)));
            }
        }
        if let Some(select) = &select {
            enabled.clear();
            if select.is_empty() && extend_select.is_empty() {
                carried = ignore.clone();
            }
        }
        // Later updates (more specific, or an ignore at the same level) win.
        let mut last: std::collections::BTreeMap<&str, bool> = std::collections::BTreeMap::new();
        for (code, on) in updates {
            last.insert(code, on);
        }
        for (code, on) in last {
            if on {
                enabled.insert(code);
            } else {
                enabled.remove(code);
            }
        }
    }
    enabled
}

/// The last layer's value of `name`, with its layer.
pub fn last<'a>(layers: &[&'a Layer], name: &str) -> Option<(&'a Layer, &'a Value)> {
    layers.iter().rev().find_map(|layer| layer.get(name).map(|value| (*layer, value)))
}

/// `name`'s value from the last layer setting it, then every layer's `extend-name` (in `[files]`, the
/// `extend-` goes after the section: `files.extend-exclude`).
pub fn accumulated<'a>(layers: &[&'a Layer], name: &str) -> Vec<(&'a Layer, &'a Value)> {
    let extend_name = match name.split_once('.') {
        Some((section, key)) => format!("{section}.extend-{key}"),
        None => format!("extend-{name}"),
    };
    let mut found: Vec<(&Layer, &Value)> = last(layers, name).into_iter().collect();
    found.extend(layers.iter().filter_map(|layer| layer.get(&extend_name).map(|value| (*layer, value))));
    found
}

fn strings(layers: &[&Layer], name: &str) -> Vec<String> {
    last(layers, name).map(|(_, v)| v.items().iter().map(|i| i.text.clone()).collect()).unwrap_or_default()
}

pub fn severity(text: &str) -> Severity {
    match text {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    }
}

/// Severity overrides: every layer's table merged (a later layer's entry for the same selector wins), most
/// specific last so it wins in [`Settings::severity_of`].
pub fn severity_overrides(layers: &[&Layer]) -> Vec<(RuleSelector, Severity, String)> {
    let mut merged: Vec<(&Item, &Item, &Layer)> = Vec::new();
    for layer in layers {
        for (selector, values) in layer.get("severity").map(Value::entries).unwrap_or_default() {
            merged.retain(|(s, _, _)| !s.text.eq_ignore_ascii_case(&selector.text));
            if let Some(value) = values.first() {
                merged.push((selector, value, layer));
            }
        }
    }
    let mut overrides: Vec<(RuleSelector, Severity, String)> = merged
        .into_iter()
        .map(|(selector, value, layer)| {
            (RuleSelector::parse(&selector.text), severity(&value.text), layer.origin(selector.line))
        })
        .collect();
    overrides.sort_by_key(|(selector, _, _)| specificity(selector));
    overrides
}

pub fn path_ignores(layers: &[&Layer]) -> Vec<PathIgnore> {
    let mut ignores = Vec::new();
    for (layer, value) in accumulated(layers, "per-file-ignores") {
        for (target, selectors) in value.entries() {
            let (glob, sid) = match target.text.split_once('#') {
                Some((glob, sid)) => (glob, Some(sid).filter(|s| !s.is_empty())),
                None => (target.text.as_str(), None),
            };
            let rules = selectors.iter().map(|s| RuleSelector::parse(&s.text)).collect();
            // Validated when parsed; a glob cannot turn invalid since.
            if let Ok(ignore) = PathIgnore::new(glob, sid, rules) {
                ignores.push(ignore.relative_to(layer.dir.clone()));
            }
        }
    }
    ignores
}

/// The settings `layers` describe.
pub fn settings(layers: &[&Layer], rules: &[&'static RuleMeta]) -> Settings {
    let enabled = enabled_rules(layers, rules);
    let selection = Selection {
        select: Some(enabled.iter().map(|code| RuleSelector::Rule((*code).to_string())).collect()),
        ..Selection::default()
    };
    let mut workload_kinds = WorkloadKinds::default();
    if let Some((_, value)) = last(layers, "kubernetes.workload-kinds") {
        for (kind, path) in value.entries() {
            let path = path.first().map_or("", |p| p.text.as_str());
            // Validated when parsed.
            let _ = workload_kinds.add(&format!("{}={path}", kind.text));
        }
    }
    Settings {
        selection,
        severity_overrides: severity_overrides(layers).into_iter().map(|(s, v, _)| (s, v)).collect(),
        trusted_registries: strings(layers, "images.trusted-registries"),
        allowed_base_images: strings(layers, "images.allowed-base-images"),
        required_labels: strings(layers, "labels.required"),
        dangerous_capabilities: strings(layers, "capabilities.dangerous"),
        allowed_capabilities: strings(layers, "capabilities.allowed"),
        inline_ignores: !matches!(last(layers, "inline-ignores"), Some((_, Value::Bool(false, _)))),
        workload_kinds,
        path_ignores: path_ignores(layers),
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Source;
    use crate::testing::rules;

    fn layer(text: &str) -> Layer {
        crate::parse::parse(text, "t.toml", "/repo".into(), &rules()).unwrap()
    }

    fn enabled(layers: &[&str]) -> BTreeSet<&'static str> {
        let layers: Vec<Layer> = layers.iter().map(|t| layer(t)).collect();
        enabled_rules(&layers.iter().collect::<Vec<_>>(), &rules())
    }

    #[test]
    fn selection_follows_ruff() {
        let rules = rules();
        let defaults = enabled(&[]);
        assert_eq!(defaults.len(), rules.iter().filter(|r| r.default_enabled).count());
        let iso: BTreeSet<&str> =
            rules.iter().filter(|r| r.code.starts_with("ISO")).map(|r| r.code).collect();
        assert_eq!(enabled(&["select = [\"ISO\"]"]), iso);
        // A more specific selector wins within a layer, whatever the key.
        assert_eq!(enabled(&["select = [\"ISO001\"]\nignore = [\"ALL\"]"]), BTreeSet::from(["ISO001"]));
        assert!(enabled(&["select = [\"ISO\"]\nignore = [\"ISO001\"]"]).iter().all(|c| *c != "ISO001"));
        // A child's `select` starts afresh; its `ignore` edits what the base selected.
        assert_eq!(enabled(&["select = [\"ISO\"]", "select = [\"ISO001\"]"]), BTreeSet::from(["ISO001"]));
        let edited = enabled(&["select = [\"ISO\"]", "ignore = [\"ISO001\"]"]);
        assert_eq!(edited.len(), iso.len() - 1);
        // `extend-select` adds to the defaults; a rule name and a peer id select too.
        let off = rules.iter().find(|r| !r.default_enabled).unwrap();
        assert!(enabled(&[&format!("extend-select = [\"{}\"]", off.name)]).contains(off.code));
        assert!(!enabled(&["ignore = [\"DL3002\"]"]).contains("ISO001"));
    }

    #[test]
    fn severities_merge_and_the_most_specific_wins() {
        let base = layer("[severity]\nISO001 = \"info\"\nALL = \"warning\"\n");
        let child = layer("[severity]\nISO = \"error\"\niso001 = \"error\"\n");
        let overrides = severity_overrides(&[&base, &child]);
        let shape: Vec<(u8, Severity)> = overrides.iter().map(|(s, v, _)| (specificity(s), *v)).collect();
        assert_eq!(shape, vec![(0, Severity::Warning), (1, Severity::Error), (2, Severity::Error)]);
        let meta = rules().into_iter().find(|r| r.code == "ISO001").unwrap();
        let settings = settings(&[&base, &child], &[meta]);
        assert_eq!(settings.severity_of(meta), Severity::Error);
    }

    #[test]
    fn options_are_replaced_and_extend_keys_accumulate() {
        let base = layer(
            "per-file-ignores = { \"a/*\" = [\"ALL\"] }\n[images]\ntrusted-registries = [\"docker.io\"]\n[labels]\nrequired = [\"owner\"]\n",
        );
        let mut child = layer(
            "extend-per-file-ignores = { \"b/*\" = [\"ISO\"] }\n[images]\ntrusted-registries = [\"ghcr.io\"]\n",
        );
        child.dir = "/repo/team".into();
        let mut cli = Layer::new(Source::CommandLine, "/cwd".into());
        cli.set("inline-ignores", Value::Bool(false, 0));
        let settings = settings(&[&base, &child, &cli], &rules());
        assert_eq!(settings.trusted_registries, ["ghcr.io"]);
        assert_eq!(settings.required_labels, ["owner"]);
        assert!(!settings.inline_ignores);
        let globs: Vec<&str> = settings.path_ignores.iter().map(|i| i.pattern.as_str()).collect();
        assert_eq!(globs, ["a/*", "b/*"]);
        assert!(settings.path_ignores[1].applies_to(std::path::Path::new("/repo/team/b/x.json")));
        assert!(!settings.path_ignores[1].applies_to(std::path::Path::new("/repo/b/x.json")));
    }
}
