//! The editor's settings for plimsoll (`initializationOptions`, `workspace/configuration` section
//! `plimsoll`): which configuration files apply and the rule selection on top of them, like the command
//! line's flags.

use std::path::{Path, PathBuf};

use plimsoll_config::{Item, Layer, Mode, Source, Value, check_selector};
use plimsoll_diagnostic::RuleMeta;
use serde_json::Value as Json;

/// How much the server says in `window/logMessage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Error,
    #[default]
    Warn,
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    fn parse(text: &str) -> Option<LogLevel> {
        Some(match text.to_ascii_lowercase().as_str() {
            "error" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientSettings {
    /// One configuration file for every document, like `--config`.
    pub config: Option<PathBuf>,
    /// No configuration files at all, like `--isolated`.
    pub isolated: bool,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub log_level: LogLevel,
}

impl ClientSettings {
    /// Reads the settings object; a setting of the wrong type is left at its default and named in the
    /// returned warnings (one bad setting must not switch the linter off).
    pub fn from_json(json: &Json, root: Option<&Path>) -> (ClientSettings, Vec<String>) {
        let mut settings = ClientSettings::default();
        let mut warnings = Vec::new();
        // Some clients send `{ "plimsoll": { … } }` where others send the section itself.
        let json = json.get("plimsoll").unwrap_or(json);
        let Some(object) = json.as_object() else {
            // Neovim encodes an empty Lua table, `settings = { plimsoll = {} }`, as an empty array.
            let empty = json.is_null() || json.as_array().is_some_and(Vec::is_empty);
            if !empty {
                warnings.push(format!("plimsoll settings: expected an object, got `{json}`"));
            }
            return (settings, warnings);
        };
        for (key, value) in object {
            let ok = match key.as_str() {
                "config" => match value {
                    Json::String(path) if path.trim().is_empty() => true,
                    Json::String(path) => {
                        let path = PathBuf::from(path.trim());
                        settings.config = Some(match root {
                            Some(root) if path.is_relative() => root.join(path),
                            _ => path,
                        });
                        true
                    }
                    Json::Null => true,
                    _ => false,
                },
                "isolated" => value.as_bool().map(|b| settings.isolated = b).is_some() || value.is_null(),
                "select" => match value {
                    Json::Null => true,
                    _ => strings(value).map(|list| settings.select = Some(list)).is_some(),
                },
                "extendSelect" => strings(value).map(|list| settings.extend_select = list).is_some(),
                "ignore" => strings(value).map(|list| settings.ignore = list).is_some(),
                "logLevel" => {
                    value.as_str().and_then(LogLevel::parse).map(|l| settings.log_level = l).is_some()
                }
                // Settings the editor extension keeps for itself (the binary's path, tracing).
                "path" | "trace" | "enable" => true,
                _ => {
                    warnings.push(format!("plimsoll settings: unknown setting `{key}`"));
                    true
                }
            };
            if !ok {
                warnings.push(format!("plimsoll settings: `{key}` has an invalid value `{value}`; ignored"));
            }
        }
        (settings, warnings)
    }

    pub fn mode(&self) -> Mode {
        match (&self.config, self.isolated) {
            (Some(path), _) => Mode::Fixed(path.clone()),
            (None, true) => Mode::Isolated,
            (None, false) => Mode::Nearest,
        }
    }

    /// The selection as a configuration layer applied after every file's, like the command line's; selectors
    /// that name no rule are dropped and named in the warnings.
    pub fn layer(&self, root: &Path, rules: &[&'static RuleMeta]) -> (Layer, Vec<String>) {
        let mut layer = Layer::new(Source::CommandLine, root.to_path_buf());
        let mut warnings = Vec::new();
        let mut items = |key: &str, list: &[String]| -> Vec<Item> {
            list.iter()
                .map(|entry| entry.trim())
                .filter(|entry| !entry.is_empty())
                .filter(|entry| match check_selector(entry, rules) {
                    Ok(()) => true,
                    Err(message) => {
                        warnings.push(format!("plimsoll settings: `{key}`: {message}"));
                        false
                    }
                })
                .map(|entry| Item::new(entry, 0))
                .collect()
        };
        if let Some(select) = &self.select {
            layer.set("select", Value::List(items("select", select)));
        }
        let extend = items("extendSelect", &self.extend_select);
        if !extend.is_empty() {
            layer.set("extend-select", Value::List(extend));
        }
        let ignore = items("ignore", &self.ignore);
        if !ignore.is_empty() {
            layer.set("ignore", Value::List(ignore));
        }
        (layer, warnings)
    }
}

fn strings(value: &Json) -> Option<Vec<String>> {
    match value {
        Json::Null => Some(Vec::new()),
        // A comma-separated string, as typed into a settings box.
        Json::String(text) => Some(text.split(',').map(|s| s.trim().to_string()).collect()),
        Json::Array(items) => items.iter().map(|item| item.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_every_setting() {
        let (settings, warnings) = ClientSettings::from_json(
            &json!({ "plimsoll": {
                "config": "ci/plimsoll.toml", "select": ["ISO"], "extendSelect": "IMG001, IMG002",
                "ignore": ["ISO001"], "logLevel": "debug", "path": ["/usr/bin/plimsoll"]
            }}),
            Some(Path::new("/repo")),
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(settings.config, Some(PathBuf::from("/repo/ci/plimsoll.toml")));
        assert_eq!(settings.select, Some(vec!["ISO".to_string()]));
        assert_eq!(settings.extend_select, vec!["IMG001", "IMG002"]);
        assert_eq!(settings.ignore, vec!["ISO001"]);
        assert_eq!(settings.log_level, LogLevel::Debug);
    }

    #[test]
    fn a_bad_setting_is_named_and_the_rest_still_apply() {
        let (settings, warnings) =
            ClientSettings::from_json(&json!({ "ignore": 3, "isolated": true, "colour": 1 }), None);
        assert!(settings.isolated);
        assert!(settings.ignore.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("`ignore` has an invalid value")));
        assert!(warnings.iter().any(|w| w.contains("unknown setting `colour`")));
    }

    #[test]
    fn empty_settings_in_any_shape_are_the_defaults() {
        for empty in [json!(null), json!({}), json!([]), json!({ "plimsoll": [] })] {
            let (settings, warnings) = ClientSettings::from_json(&empty, None);
            assert_eq!((settings, warnings), (ClientSettings::default(), Vec::new()), "{empty}");
        }
    }

    #[test]
    fn unknown_selectors_are_dropped_with_a_suggestion() {
        let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
        let settings =
            ClientSettings { ignore: vec!["ISO001".into(), "ISO0001".into()], ..Default::default() };
        let (layer, warnings) = settings.layer(Path::new("/repo"), &rules);
        assert_eq!(layer.get("ignore").map(|v| v.items().len()), Some(1));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("did you mean"), "{}", warnings[0]);
    }
}
