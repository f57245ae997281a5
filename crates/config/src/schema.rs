//! The JSON schema of `plimsoll.toml`, generated from [`crate::keys`] (the table the parser validates
//! against) and the rule registry, for editors (Even Better TOML / taplo) to complete and explain keys.

use plimsoll_diagnostic::{Family, RuleMeta};
use serde_json::{Map, Value, json};

use crate::keys::{KEYS, Key, Kind, SECTIONS};
use crate::parse::SEVERITIES;

/// The schema as pretty-printed JSON with a final newline (the checked-in `plimsoll.schema.json`).
pub fn schema_json(rules: &[&'static RuleMeta]) -> String {
    let mut text = serde_json::to_string_pretty(&schema(rules)).unwrap_or_default();
    text.push('\n');
    text
}

pub fn schema(rules: &[&'static RuleMeta]) -> Value {
    let mut top = Map::new();
    for key in KEYS.iter().filter(|k| k.split().0.is_none()) {
        top.insert(key.name.to_string(), property(key));
    }
    for (section, help) in SECTIONS.iter().filter(|(s, _)| *s != "severity") {
        let mut properties = Map::new();
        for key in KEYS.iter().filter(|k| k.split().0 == Some(section)) {
            properties.insert(key.split().1.to_string(), property(key));
        }
        top.insert(
            section.to_string(),
            json!({ "description": help, "type": "object", "properties": properties, "additionalProperties": false }),
        );
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/plimsoll-dev/plimsoll/blob/main/crates/config/plimsoll.schema.json",
        "title": "plimsoll.toml",
        "description": "Configuration of plimsoll, the security linter for container infrastructure.",
        "type": "object",
        "properties": top,
        "additionalProperties": false,
        "definitions": {
            "selector": selector(rules),
            "severity": { "type": "string", "enum": SEVERITIES },
        },
    })
}

fn property(key: &Key) -> Value {
    let example = format!("Example: `{} = {}`", key.split().1, key.example);
    let description = format!("{}\n\n{example}", key.help);
    let mut value = match key.kind {
        Kind::Path => json!({ "type": "string" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Severity => json!({ "$ref": "#/definitions/severity" }),
        Kind::Selectors => json!({ "type": "array", "items": { "$ref": "#/definitions/selector" } }),
        Kind::Globs | Kind::Strings => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::PathIgnores => json!({
            "type": "object",
            "additionalProperties": { "type": "array", "items": { "$ref": "#/definitions/selector" } },
        }),
        Kind::Severities => json!({
            "type": "object",
            "propertyNames": { "$ref": "#/definitions/selector" },
            "additionalProperties": { "$ref": "#/definitions/severity" },
        }),
        Kind::WorkloadKinds => json!({
            "type": "object",
            "additionalProperties": { "type": "string", "pattern": "^[^.]+(\\.[^.]+)*$" },
        }),
    };
    value["description"] = json!(description);
    value
}

/// Every selector the parser accepts in its canonical spelling: `ALL`, family prefixes, codes, names and
/// peers' ids (the parser also accepts other letter cases).
fn selector(rules: &[&'static RuleMeta]) -> Value {
    let mut names: Vec<&str> = vec!["ALL"];
    names.extend(Family::ALL.iter().map(|f| f.prefix()));
    names.extend(rules.iter().map(|r| r.code));
    names.extend(rules.iter().map(|r| r.name));
    let mut aliases: Vec<&str> = rules.iter().flat_map(|r| r.aliases.iter().copied()).collect();
    aliases.sort_unstable();
    aliases.dedup();
    names.extend(aliases.into_iter().filter(|a| !names.contains(a)).collect::<Vec<_>>());
    json!({
        "description": "A rule code (`ISO001`), name (`container-runs-as-root`), family prefix (`ISO`), peer id (`DL3002`) or `ALL`.",
        "type": "string",
        "enum": names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rules;

    /// The checked-in schema is what the code generates; `UPDATE_SCHEMA=1 cargo test -p plimsoll_config`
    /// rewrites it.
    #[test]
    fn the_checked_in_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/plimsoll.schema.json");
        let generated = schema_json(&rules());
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{path} is stale; run `UPDATE_SCHEMA=1 cargo test -p plimsoll_config`"
        );
    }

    #[test]
    fn every_key_and_selector_is_described() {
        let schema = schema(&rules());
        assert_eq!(schema["properties"]["images"]["properties"]["trusted-registries"]["type"], "array");
        assert!(
            schema["properties"]["select"]["description"].as_str().unwrap().contains("Example: `select = ")
        );
        let selectors = schema["definitions"]["selector"]["enum"].as_array().unwrap();
        for expected in ["ALL", "ISO", "ISO001", "container-runs-as-root", "DL3002"] {
            assert!(selectors.iter().any(|s| s == expected), "{expected}");
        }
        assert_eq!(
            schema["properties"]["severity"]["additionalProperties"]["$ref"],
            "#/definitions/severity"
        );
    }
}
