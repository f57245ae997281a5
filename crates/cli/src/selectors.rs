//! `--select`, `--extend-select`, `--ignore` and the other rule-related flags, turned into [`Settings`].

use plimsoll_diagnostic::RuleMeta;
use plimsoll_linter::{PathIgnore, RuleSelector, Selection, Settings, WorkloadKinds};

use crate::args::CheckArgs;

/// The settings of a `check` run, or a usage error for a selector that names no rule (a typo there would
/// otherwise silently lint with the wrong rule set).
pub fn settings(args: &CheckArgs, rules: &[&'static RuleMeta]) -> Result<Settings, String> {
    let selection = Selection {
        select: args.select.as_deref().map(|list| parse("--select", list, rules)).transpose()?,
        extend_select: parse("--extend-select", &args.extend_select, rules)?,
        ignore: parse("--ignore", &args.ignore, rules)?,
    };
    let trusted_registries = args
        .trusted_registry
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    let mut workload_kinds = WorkloadKinds::default();
    for kind in &args.workload_kind {
        workload_kinds.add(kind).map_err(|message| format!("--workload-kind: {message}"))?;
    }
    let mut path_ignores = Vec::new();
    for spec in &args.per_file_ignores {
        let ignore = PathIgnore::parse(spec).map_err(|message| format!("--per-file-ignores: {message}"))?;
        // The rules must exist, as for `--ignore`: a typo would silently ignore nothing.
        let named: Vec<String> = spec
            .rsplit_once('=')
            .map(|(_, r)| r.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        parse("--per-file-ignores", &named, rules)?;
        path_ignores.push(ignore);
    }
    Ok(Settings {
        selection,
        path_ignores,
        trusted_registries,
        inline_ignores: !args.no_inline_ignores,
        workload_kinds,
        ..Settings::default()
    })
}

fn parse(flag: &str, entries: &[String], rules: &[&'static RuleMeta]) -> Result<Vec<RuleSelector>, String> {
    let mut selectors = Vec::new();
    // Empty entries come from trailing commas (`--ignore ISO001,`); they name nothing and mean nothing.
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        let selector = RuleSelector::parse(entry);
        if !selector.is_known(rules.iter().copied()) {
            let mut message = format!("{flag}: `{entry}` names no rule");
            if let Some(suggestion) = suggest(entry, rules) {
                message.push_str(&format!("; did you mean `{suggestion}`?"));
            }
            message.push_str(" (`plimsoll rules` lists them)");
            return Err(message);
        }
        selectors.push(selector);
    }
    Ok(selectors)
}

/// The closest rule code or name, if it is close enough to be a typo.
fn suggest(entry: &str, rules: &[&'static RuleMeta]) -> Option<&'static str> {
    let entry = entry.to_ascii_lowercase();
    let candidates = rules.iter().flat_map(|rule| [rule.code, rule.name]);
    let (distance, best) = candidates.map(|c| (edit_distance(&entry, &c.to_ascii_lowercase()), c)).min()?;
    (distance <= (entry.chars().count() / 3).max(1)).then_some(best)
}

/// Levenshtein distance over characters; inputs are short ids, so the quadratic table is nothing.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("iso001", "iso001"), 0);
        assert_eq!(edit_distance("iso01", "iso001"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|r| &r.meta).collect();
        assert_eq!(suggest("ISO01", &rules), Some("ISO001"));
        assert_eq!(suggest("container-runs-as-rot", &rules), Some("container-runs-as-root"));
        assert_eq!(suggest("completely-unrelated-words", &rules), None);
    }
}
