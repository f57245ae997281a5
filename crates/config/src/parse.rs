//! `plimsoll.toml` → [`Layer`]: every key checked against [`crate::keys`], every value against its kind,
//! every selector against the rules, every glob compiled, so a run never starts on a half-understood file.

use std::path::PathBuf;

use plimsoll_diagnostic::RuleMeta;
use plimsoll_linter::{PathIgnore, RuleSelector, WorkloadKinds};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{ConfigError, did_you_mean};
use crate::keys::{self, Key, Kind, SECTIONS};
use crate::layer::{Item, Layer, Source, Value};

/// The severities a configuration may name.
pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Parses the text of the configuration file `shown` (as people see its path), whose globs are relative to
/// `dir`.
pub fn parse(
    text: &str,
    shown: &str,
    dir: PathBuf,
    rules: &[&'static RuleMeta],
) -> Result<Layer, ConfigError> {
    let table = DeTable::parse(text).map_err(|err| {
        let offset = err.span().map_or(0, |span| span.start);
        ConfigError::at(shown, text, offset, format!("invalid TOML: {}", err.message().trim()))
    })?;
    let reader = Reader { text, shown, rules };
    let mut layer = Layer::new(Source::File(shown.to_string()), dir);
    for (name, value) in table.get_ref() {
        let section = SECTIONS.iter().find(|(s, _)| *s == name.get_ref().as_ref() && *s != "severity");
        match section {
            Some((section, _)) => {
                let DeValue::Table(inner) = value.get_ref() else {
                    return Err(reader.error(value, format!("`{section}` must be a table")));
                };
                for (inner_name, inner_value) in inner {
                    let key = reader.key(Some(section), inner_name)?;
                    layer.set(key.name, reader.value(key, inner_value)?);
                }
            }
            None => {
                let key = reader.key(None, name)?;
                layer.set(key.name, reader.value(key, value)?);
            }
        }
    }
    Ok(layer)
}

struct Reader<'a> {
    text: &'a str,
    shown: &'a str,
    rules: &'a [&'static RuleMeta],
}

impl Reader<'_> {
    fn error<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(self.shown, self.text, at.span().start, message)
    }

    fn line<T>(&self, at: &Spanned<T>) -> usize {
        crate::error::position(self.text, at.span().start).0
    }

    fn item(&self, at: &Spanned<DeValue<'_>>, what: &str) -> Result<Item, ConfigError> {
        match at.get_ref() {
            DeValue::String(text) if !text.contains('\0') => Ok(Item::new(text.as_ref(), self.line(at))),
            other => Err(self.error(at, format!("expected {what}, found {}", other.type_str()))),
        }
    }

    fn key(
        &self,
        section: Option<&str>,
        name: &Spanned<std::borrow::Cow<'_, str>>,
    ) -> Result<&'static Key, ConfigError> {
        let full = match section {
            Some(section) => format!("{section}.{name}", name = name.get_ref()),
            None => name.get_ref().to_string(),
        };
        keys::key(&full).filter(|k| k.split().0 == section).ok_or_else(|| {
            let place = section.map(|s| format!(" in `[{s}]`")).unwrap_or_default();
            let hint = did_you_mean(name.get_ref(), keys::names_in(section));
            self.error(name, format!("unknown key `{}`{place}{hint}", name.get_ref()))
        })
    }

    fn value(&self, key: &Key, at: &Spanned<DeValue<'_>>) -> Result<Value, ConfigError> {
        let line = self.line(at);
        match key.kind {
            Kind::Bool => match at.get_ref() {
                DeValue::Boolean(value) => Ok(Value::Bool(*value, line)),
                other => Err(self.error(
                    at,
                    format!("`{}`: expected true or false, found {}", key.name, other.type_str()),
                )),
            },
            Kind::Path => Ok(Value::Word(self.item(at, &format!("`{}`: a path", key.name))?)),
            Kind::Severity => Ok(Value::Word(self.severity(at)?)),
            Kind::Selectors | Kind::Globs | Kind::Strings => {
                let items = self.list(key, at)?;
                for (item, spanned) in items.iter().zip(self.array(key, at)?) {
                    match key.kind {
                        Kind::Selectors => self.selector(&item.text, spanned)?,
                        Kind::Globs => self.glob(&item.text, spanned)?,
                        _ => {}
                    }
                }
                Ok(Value::List(items))
            }
            Kind::PathIgnores | Kind::Severities | Kind::WorkloadKinds => {
                let DeValue::Table(table) = at.get_ref() else {
                    return Err(self.error(
                        at,
                        format!("`{}`: expected a table, found {}", key.name, at.get_ref().type_str()),
                    ));
                };
                let mut entries = Vec::new();
                for (name, value) in table {
                    let name_item = Item::new(name.get_ref().as_ref(), self.line(name));
                    let values = match key.kind {
                        Kind::PathIgnores => {
                            let (glob, sid) = match name_item.text.split_once('#') {
                                Some((glob, sid)) => (glob, Some(sid)),
                                None => (name_item.text.as_str(), None),
                            };
                            PathIgnore::new(glob, sid, Vec::new())
                                .map_err(|message| self.error(name, message))?;
                            let values = self.list(key, value)?;
                            for (item, spanned) in values.iter().zip(self.array(key, value)?) {
                                self.selector(&item.text, spanned)?;
                            }
                            values
                        }
                        Kind::Severities => {
                            self.selector(&name_item.text, name)?;
                            vec![self.severity(value)?]
                        }
                        _ => {
                            let path =
                                self.item(value, "a dot-separated path such as \"spec.template.spec\"")?;
                            WorkloadKinds::default()
                                .add(&format!("{}={}", name_item.text, path.text))
                                .map_err(|message| self.error(name, message))?;
                            vec![path]
                        }
                    };
                    entries.push((name_item, values));
                }
                Ok(Value::Map(entries))
            }
        }
    }

    fn array<'v, 'i>(
        &self,
        key: &Key,
        at: &'v Spanned<DeValue<'i>>,
    ) -> Result<&'v [Spanned<DeValue<'i>>], ConfigError> {
        match at.get_ref() {
            DeValue::Array(array) => Ok(array),
            other => Err(self.error(
                at,
                format!("`{}`: expected an array of strings, found {}", key.name, other.type_str()),
            )),
        }
    }

    fn list(&self, key: &Key, at: &Spanned<DeValue<'_>>) -> Result<Vec<Item>, ConfigError> {
        let what = format!("`{}`: a string", key.name);
        self.array(key, at)?.iter().map(|value| self.item(value, &what)).collect()
    }

    fn severity(&self, at: &Spanned<DeValue<'_>>) -> Result<Item, ConfigError> {
        let item = self.item(at, "a severity (\"error\", \"warning\" or \"info\")")?;
        if SEVERITIES.contains(&item.text.as_str()) {
            return Ok(item);
        }
        let hint = did_you_mean(&item.text, SEVERITIES.iter().copied());
        Err(self.error(
            at,
            format!("unknown severity `{}`: expected `error`, `warning` or `info`{hint}", item.text),
        ))
    }

    fn selector<T>(&self, text: &str, at: &Spanned<T>) -> Result<(), ConfigError> {
        check_selector(text, self.rules).map_err(|message| self.error(at, message))
    }

    fn glob<T>(&self, text: &str, at: &Spanned<T>) -> Result<(), ConfigError> {
        globset::Glob::new(text)
            .map(drop)
            .map_err(|err| self.error(at, format!("invalid glob `{text}`: {}", err.kind())))
    }
}

/// Whether `text` names a rule, family or `ALL`; the error suggests the closest code or name.
pub fn check_selector(text: &str, rules: &[&'static RuleMeta]) -> Result<(), String> {
    if !text.trim().is_empty() && RuleSelector::parse(text).is_known(rules.iter().copied()) {
        return Ok(());
    }
    let candidates = rules.iter().flat_map(|rule| [rule.code, rule.name]);
    let hint = did_you_mean(text.trim(), candidates);
    Err(format!("unknown rule selector `{text}`{hint}; `plimsoll rules` lists them"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::rules;

    fn parsed(text: &str) -> Result<Layer, String> {
        parse(text, "plimsoll.toml", PathBuf::from("/repo"), &rules()).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_every_kind_of_key() {
        let layer = parsed(
            r#"
extend = "../base.toml"
select = ["ISO", "IMG009"]
ignore = ["container-runs-as-root"]
fail-on = "warning"
inline-ignores = false
per-file-ignores = { "policies/*.json#Legacy" = ["IAM"] }

[severity]
ISO = "error"

[files]
dockerfile = ["*.docker"]
exclude = ["vendor"]

[images]
trusted-registries = ["ghcr.io/acme"]

[kubernetes]
workload-kinds = { "serving.knative.dev/Service" = "spec.template.spec" }
"#,
        )
        .unwrap();
        assert_eq!(layer.get("extend"), Some(&Value::Word(Item::new("../base.toml", 2))));
        assert_eq!(layer.get("select").unwrap().items().len(), 2);
        assert_eq!(layer.get("inline-ignores"), Some(&Value::Bool(false, 6)));
        assert_eq!(layer.get("severity").unwrap().entries()[0].1[0].text, "error");
        assert_eq!(layer.get("files.dockerfile").unwrap().items()[0], Item::new("*.docker", 13));
        assert_eq!(layer.get("per-file-ignores").unwrap().entries()[0].0.text, "policies/*.json#Legacy");
        assert_eq!(layer.get("kubernetes.workload-kinds").unwrap().entries().len(), 1);
        assert_eq!(layer.values.len(), 11);
    }

    #[test]
    fn unknown_keys_name_the_place_and_the_closest_key() {
        assert_eq!(
            parsed("select = []\nselct = [\"ISO\"]\n").unwrap_err(),
            "plimsoll.toml:2:1: unknown key `selct` (did you mean `select`?)"
        );
        assert_eq!(
            parsed("[images]\ntrusted-registry = []\n").unwrap_err(),
            "plimsoll.toml:2:1: unknown key `trusted-registry` in `[images]` (did you mean `trusted-registries`?)"
        );
        assert_eq!(
            parsed("[image]\n").unwrap_err(),
            "plimsoll.toml:1:2: unknown key `image` (did you mean `images`?)"
        );
        assert_eq!(parsed("colour = 1\n").unwrap_err(), "plimsoll.toml:1:1: unknown key `colour`");
        // A key valid in a section is not valid at the top level.
        assert!(
            parsed("trusted-registries = []\n").unwrap_err().contains("unknown key `trusted-registries`")
        );
    }

    #[test]
    fn wrong_types_selectors_globs_and_severities_are_errors() {
        assert_eq!(
            parsed("select = \"ISO\"\n").unwrap_err(),
            "plimsoll.toml:1:10: `select`: expected an array of strings, found string"
        );
        assert_eq!(
            parsed("ignore = [\"ISO01\"]\n").unwrap_err(),
            "plimsoll.toml:1:11: unknown rule selector `ISO01` (did you mean `ISO001`?); `plimsoll rules` lists them"
        );
        assert_eq!(
            parsed("[files]\nexclude = [\"a[\"]\n").unwrap_err(),
            "plimsoll.toml:2:12: invalid glob `a[`: unclosed character class; missing ']'"
        );
        assert_eq!(
            parsed("[severity]\nISO = \"eror\"\n").unwrap_err(),
            "plimsoll.toml:2:7: unknown severity `eror`: expected `error`, `warning` or `info` (did you mean `error`?)"
        );
        assert!(
            parsed("[severity]\nXYZ = \"error\"\n")
                .unwrap_err()
                .starts_with("plimsoll.toml:2:1: unknown rule selector `XYZ`")
        );
        assert!(
            parsed("per-file-ignores = { \"a\" = [\"NOPE\"] }\n")
                .unwrap_err()
                .contains("unknown rule selector `NOPE`")
        );
        assert!(
            parsed("inline-ignores = \"yes\"\n")
                .unwrap_err()
                .contains("expected true or false, found string")
        );
        assert!(parsed("images = 3\n").unwrap_err().contains("`images` must be a table"));
        assert!(
            parsed("[kubernetes]\nworkload-kinds = { \"X\" = \"spec..x\" }\n")
                .unwrap_err()
                .contains("dot-separated path")
        );
        assert!(parsed("select = [\"ISO\"\n").unwrap_err().starts_with("plimsoll.toml:1:"));
    }

    /// The reference's examples are real configurations: every TOML block of README.md parses.
    #[test]
    fn the_readme_examples_parse() {
        let readme = include_str!("../README.md");
        let blocks: Vec<&str> = readme
            .split("```toml\n")
            .skip(1)
            .map(|rest| rest.split("```").next().unwrap_or_default())
            .collect();
        assert!(blocks.len() >= 2);
        for block in blocks {
            let layer = parsed(block).unwrap_or_else(|e| panic!("{e}\n{block}"));
            assert!(!layer.values.is_empty());
        }
    }
}
