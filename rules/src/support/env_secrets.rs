//! Secrets in the variables a container is given (Compose `environment` and `build.args`, Kubernetes `env`):
//! what a variable's value says, so that `SEC001` (`secret-in-arg-or-env`) and `SEC002` (`hardcoded-secret`)
//! divide the variables between them the way they do for Dockerfile `ARG` and `ENV`.
//!
//! Only literal values are looked at: a value taken from the environment (`DB_PASSWORD: ${DB_PASSWORD}`, or
//! `DB_PASSWORD` without a value) is how a secret should reach a container and has no value in the model.

use plimsoll_model::EnvVar;
use plimsoll_span::TextRange;

use crate::support::secrets;

/// What a variable's literal value is, when it is worth a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretValue {
    /// A credential recognised by its format only next to the variable's name (an AWS secret access key
    /// after `AWS_SECRET_ACCESS_KEY`); formats recognisable in the value alone are reported where they are
    /// written, by the scan of the whole file. `SEC002`.
    Token { kind: &'static str, secret: String, range: TextRange },
    /// A secret-named variable set to a literal credential (`DB_PASSWORD: s3cr3t`). `SEC002`.
    Hardcoded { range: TextRange },
    /// A secret-named variable set to a placeholder anyone can guess (`DB_PASSWORD: changeme`). `SEC001`.
    Guessable { range: TextRange },
}

/// Reads one variable; `None` for a value that is unknown, empty, not a secret, a path or a switch, or a
/// credential that a scan of the file's text reports where it is written.
pub fn classify(var: &EnvVar) -> Option<SecretValue> {
    let value = var.value.as_ref()?;
    let (name, text) = (var.name.value.as_str(), value.value.as_str());
    if !secrets::find_tokens(text).is_empty() {
        return None;
    }
    let pair = format!("{name}={text}");
    let offset = name.len() + 1;
    if let Some(token) = secrets::find_tokens(&pair).into_iter().find(|t| t.range.start >= offset) {
        // Exact when the value is written as is (its range is as long as its text).
        let range = if value.range.len() as usize == text.len() {
            TextRange::from_usize(
                value.range.start as usize + token.range.start - offset,
                value.range.start as usize + token.range.end - offset,
            )
        } else {
            value.range
        };
        let secret = token.text(&pair).to_string();
        return Some(SecretValue::Token { kind: token.kind, secret, range });
    }
    if !secrets::is_secret_name(name) {
        return None;
    }
    if secrets::is_literal_secret(text) {
        Some(SecretValue::Hardcoded { range: value.range })
    } else if is_guessable(text) {
        Some(SecretValue::Guessable { range: value.range })
    } else {
        None
    }
}

/// A placeholder the container would really run with: not empty, not a switch (`false`, `0`), not a
/// template that a tool fills in before the file is used (`{{ .Values.password }}`, `{% … %}`, `%TOKEN%`).
fn is_guessable(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let switch = matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1");
    let template = v.contains("{{")
        || v.contains("{%")
        || v.contains('$')
        || (v.len() > 1 && v.starts_with('%') && v.ends_with('%'));
    !v.is_empty() && !switch && !template && secrets::is_placeholder(v)
}

#[cfg(test)]
mod tests {
    use plimsoll_span::Spanned;

    use super::*;

    /// A variable whose value is written as is at offset 100.
    fn var(name: &str, value: Option<&str>) -> EnvVar {
        EnvVar {
            name: Spanned::new(name.to_string(), TextRange::from_usize(90, 90 + name.len())),
            value: value.map(|v| Spanned::new(v.to_string(), TextRange::from_usize(100, 100 + v.len()))),
        }
    }

    #[test]
    fn literal_credentials_and_placeholders() {
        let at = |len: usize| TextRange::from_usize(100, 100 + len);
        assert_eq!(
            classify(&var("DB_PASSWORD", Some("s3cr3t-pass"))),
            Some(SecretValue::Hardcoded { range: at(11) })
        );
        assert_eq!(
            classify(&var("POSTGRES_PASSWORD", Some("postgres"))),
            Some(SecretValue::Hardcoded { range: at(8) })
        );
        assert_eq!(
            classify(&var("API_TOKEN", Some("changeme"))),
            Some(SecretValue::Guessable { range: at(8) })
        );
        assert_eq!(
            classify(&var("MYSQL_ROOT_PASSWORD", Some("example"))),
            Some(SecretValue::Guessable { range: at(7) })
        );
    }

    #[test]
    fn name_dependent_formats_point_inside_the_value() {
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPL3KEY";
        assert_eq!(
            classify(&var("AWS_SECRET_ACCESS_KEY", Some(key))),
            Some(SecretValue::Token {
                kind: "AWS secret access key",
                secret: key.to_string(),
                range: TextRange::from_usize(100, 140)
            })
        );
        // Formats visible in the value alone are left to the file scan.
        assert_eq!(classify(&var("GITHUB_TOKEN", Some("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"))), None);
    }

    #[test]
    fn references_empty_values_switches_templates_and_other_names() {
        for (name, value) in [
            ("DB_PASSWORD", None),
            ("DB_PASSWORD", Some("")),
            ("DB_PASSWORD", Some("/run/secrets/db")),
            ("BASIC_AUTH", Some("false")),
            ("DB_PASSWORD", Some("{{ db_password }}")),
            ("DB_PASSWORD", Some("%DB_PASSWORD%")),
            ("DB_PASSWORD_FILE", Some("/run/secrets/db")),
            ("DB_USER", Some("admin")),
            ("MYSQL_ALLOW_EMPTY_PASSWORD", Some("yes")),
        ] {
            assert_eq!(classify(&var(name, value)), None, "{name}={value:?}");
        }
    }
}
