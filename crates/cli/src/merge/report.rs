//! Merging our JSON reports (`check --format json`, see `plimsoll_output::json`): one document of the
//! common version whose findings are every input's, in file order.

use super::ordered_json::Json;
use super::{Input, by_file, same_everywhere};

pub(super) fn merge(mut inputs: Vec<Input>) -> Result<Json, String> {
    same_everywhere(&inputs, &["version"], "JSON report versions")?;
    let mut findings = Vec::with_capacity(inputs.len());
    for input in &mut inputs {
        match input.json.get_mut("diagnostics") {
            Some(Json::Array(items)) => findings.push(std::mem::take(items)),
            _ => return Err(format!("{}: `diagnostics` is not a list", input.path)),
        }
    }
    let merged = by_file(findings, |finding| {
        finding
            .get("path")
            .and_then(Json::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("a finding has no `path`: {}", super::describe(finding)))
    })?;
    let mut document = inputs.swap_remove(0).json;
    if let Some(diagnostics) = document.get_mut("diagnostics") {
        *diagnostics = Json::Array(merged);
    }
    Ok(document)
}
