//! Merging SARIF logs written by `check --format sarif` (see `plimsoll_output::sarif`): one log with one
//! run, whose rules are every input's, deduplicated by id and sorted, and whose results are every input's
//! in file order, each `ruleIndex` pointing into the merged rules.

use super::ordered_json::Json;
use super::{Input, by_file, describe, same_everywhere};

pub(super) fn merge(mut inputs: Vec<Input>) -> Result<Json, String> {
    same_everywhere(&inputs, &["version"], "SARIF versions")?;
    for input in &inputs {
        let runs = input.json.get("runs").and_then(Json::as_array).map_or(0, <[Json]>::len);
        if runs != 1 {
            return Err(format!(
                "{}: expected one run, as `plimsoll check` writes, found {runs}",
                input.path
            ));
        }
        let driver = driver(input).ok_or_else(|| format!("{}: the run names no tool", input.path))?;
        if driver.get("name").and_then(Json::as_str) != Some("plimsoll") {
            return Err(format!("{}: not a log written by plimsoll", input.path));
        }
    }
    let tool_version = |input: &Input| driver(input).and_then(|driver| driver.get("version")).cloned();
    for input in &inputs[1..] {
        if tool_version(input) != tool_version(&inputs[0]) {
            let show = |input: &Input| tool_version(input).as_ref().map_or("none".to_string(), describe);
            return Err(format!(
                "cannot merge logs of different plimsoll versions: {} is from {}, {} from {}",
                inputs[0].path,
                show(&inputs[0]),
                input.path,
                show(input)
            ));
        }
    }

    let mut rules: Vec<Json> = Vec::new();
    let mut results = Vec::with_capacity(inputs.len());
    for input in &mut inputs {
        let path = input.path.clone();
        let run = run_mut(&mut input.json);
        let driver = run.get_mut("tool").and_then(|tool| tool.get_mut("driver"));
        if let Some(Json::Array(theirs)) = driver.and_then(|driver| driver.get_mut("rules")) {
            for rule in std::mem::take(theirs) {
                let id = rule_id(&rule)?;
                if !rules.iter().any(|known| rule_id(known).is_ok_and(|known| known == id)) {
                    rules.push(rule);
                }
            }
        }
        match run.get_mut("results") {
            Some(Json::Array(items)) => results.push(std::mem::take(items)),
            _ => return Err(format!("{path}: the run has no `results` list")),
        }
    }
    // Codes sort as `check` sorts them: by their text.
    rules.sort_by(|a, b| rule_id(a).unwrap_or_default().cmp(rule_id(b).unwrap_or_default()));
    let ids: Vec<String> = rules.iter().map(|rule| rule_id(rule).unwrap_or_default().to_string()).collect();

    let mut merged = by_file(results, file_of)?;
    for result in &mut merged {
        let id = result.get("ruleId").and_then(Json::as_str).unwrap_or_default();
        let index = ids.iter().position(|known| known == id).ok_or_else(|| {
            format!("a result's rule `{id}` is not described by any log: {}", describe(result))
        })?;
        if let Some(rule_index) = result.get_mut("ruleIndex") {
            *rule_index = Json::Number(index.into());
        }
    }

    let mut log = inputs.swap_remove(0).json;
    let run = run_mut(&mut log);
    if let Some(slot) =
        run.get_mut("tool").and_then(|tool| tool.get_mut("driver")).and_then(|d| d.get_mut("rules"))
    {
        *slot = Json::Array(rules);
    }
    if let Some(slot) = run.get_mut("results") {
        *slot = Json::Array(merged);
    }
    Ok(log)
}

fn driver(input: &Input) -> Option<&Json> {
    input.json.get("runs")?.as_array()?.first()?.at(&["tool", "driver"])
}

/// The log's only run (checked by [`merge`] before).
fn run_mut(log: &mut Json) -> &mut Json {
    match log.get_mut("runs") {
        Some(Json::Array(runs)) if runs.len() == 1 => &mut runs[0],
        _ => unreachable!("every log was checked to have one run"),
    }
}

fn rule_id(rule: &Json) -> Result<&str, String> {
    rule.get("id").and_then(Json::as_str).ok_or_else(|| format!("a rule has no `id`: {}", describe(rule)))
}

/// The file a result is in, as the path `check` sorted it by: its URI with the percent-encoding undone
/// (encoding reorders: `%5B` sorts before `A`, `[` after) and without `file://` for paths outside the root.
fn file_of(result: &Json) -> Result<String, String> {
    let uri = result
        .get("locations")
        .and_then(Json::as_array)
        .and_then(<[Json]>::first)
        .and_then(|location| location.at(&["physicalLocation", "artifactLocation", "uri"]))
        .and_then(Json::as_str)
        .ok_or_else(|| format!("a result has no location: {}", describe(result)))?;
    let path = uri.strip_prefix("file://").unwrap_or(uri);
    Ok(percent_decode(path))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes.get(at + 1..at + 3).and_then(|pair| std::str::from_utf8(pair).ok());
        match (bytes[at], hex.and_then(|pair| u8::from_str_radix(pair, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding_undoes_the_writers_encoding() {
        assert_eq!(percent_decode("a%20b/%5Bx%5D/caf%C3%A9"), "a b/[x]/café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
