//! `--select`, `--extend-select`, `--ignore` and the other rule-related flags, turned into the command
//! line's configuration layer: applied after every configuration file, with ruff's semantics (`--select`
//! replaces the file's selection, `--extend-select` adds, `--ignore` removes, `--per-file-ignores` adds to
//! the file's, option flags replace the file's values).

use plimsoll_config::{Item, Layer, Source, Value, absolute, closest};
use plimsoll_diagnostic::RuleMeta;
use plimsoll_linter::{PathIgnore, RuleSelector, WorkloadKinds};

use crate::args::CheckArgs;

/// The command line's layer, or a usage error for a selector that names no rule (a typo there would
/// otherwise silently lint with the wrong rule set).
pub fn cli_layer(args: &CheckArgs, rules: &[&'static RuleMeta]) -> Result<Layer, String> {
    let mut layer = Layer::new(Source::CommandLine, absolute(std::path::Path::new(".")));
    if let Some(select) = &args.select {
        layer.set("select", Value::List(parse("--select", select, rules)?));
    }
    if !args.extend_select.is_empty() {
        layer.set("extend-select", Value::List(parse("--extend-select", &args.extend_select, rules)?));
    }
    if !args.ignore.is_empty() {
        layer.set("ignore", Value::List(parse("--ignore", &args.ignore, rules)?));
    }
    let registries: Vec<Item> = args
        .trusted_registry
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .map(|r| Item::new(r, 0))
        .collect();
    if !registries.is_empty() {
        layer.set("images.trusted-registries", Value::List(registries));
    }
    let mut kinds = Vec::new();
    for kind in &args.workload_kind {
        WorkloadKinds::default().add(kind).map_err(|message| format!("--workload-kind: {message}"))?;
        // `add` accepted it, so it has an `=`.
        let (name, path) = kind.split_once('=').unwrap_or_default();
        kinds.push((Item::new(name.trim(), 0), vec![Item::new(path.trim(), 0)]));
    }
    if !kinds.is_empty() {
        layer.set("kubernetes.workload-kinds", Value::Map(kinds));
    }
    let mut ignores = Vec::new();
    for spec in &args.per_file_ignores {
        PathIgnore::parse(spec).map_err(|message| format!("--per-file-ignores: {message}"))?;
        // `parse` accepted it, so it has an `=`. The rules must exist, as for `--ignore`: a typo would
        // silently ignore nothing.
        let (target, named) = spec.rsplit_once('=').unwrap_or_default();
        let named: Vec<String> = named.split(',').map(str::to_string).collect();
        ignores.push((Item::new(target.trim(), 0), parse("--per-file-ignores", &named, rules)?));
    }
    if !ignores.is_empty() {
        layer.set("extend-per-file-ignores", Value::Map(ignores));
    }
    if args.no_inline_ignores {
        layer.set("inline-ignores", Value::Bool(false, 0));
    }
    Ok(layer)
}

fn parse(flag: &str, entries: &[String], rules: &[&'static RuleMeta]) -> Result<Vec<Item>, String> {
    let mut selectors = Vec::new();
    // Empty entries come from trailing commas (`--ignore ISO001,`); they name nothing and mean nothing.
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !RuleSelector::parse(entry).is_known(rules.iter().copied()) {
            let mut message = format!("{flag}: `{entry}` names no rule");
            if let Some(suggestion) = closest(entry, rules.iter().flat_map(|rule| [rule.code, rule.name])) {
                message.push_str(&format!("; did you mean `{suggestion}`?"));
            }
            message.push_str(" (`plimsoll rules` lists them)");
            return Err(message);
        }
        selectors.push(Item::new(entry, 0));
    }
    Ok(selectors)
}
