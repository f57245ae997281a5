//! What a scalar means. The tree keeps text and style only, because Compose reads YAML 1.2 and Kubernetes
//! reads YAML 1.1, which disagree on words like `yes` and `on`; each consumer asks the question it needs.

use crate::{Scalar, ScalarKind, Style};

impl Scalar {
    /// The scalar's type under the YAML 1.2 core schema (a JSON literal under JSON's rules). Quoted and block
    /// scalars, and JSON strings, are always strings. An integer too large for `i64` is a `Float`.
    pub fn kind(&self) -> ScalarKind {
        match self.style {
            Style::Plain => core_schema(&self.text),
            Style::JsonLiteral => json_literal(&self.text),
            _ => ScalarKind::String,
        }
    }

    /// The boolean a YAML 1.1 reader (Kubernetes, PyYAML) sees in a plain scalar, if any: `y`, `yes`, `on`,
    /// `true` and `n`, `no`, `off`, `false`, in lower, capitalised or upper case.
    pub fn yaml11_bool(&self) -> Option<bool> {
        if self.style != Style::Plain {
            return None;
        }
        match self.text.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => Some(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
                Some(false)
            }
            _ => None,
        }
    }
}

/// YAML 1.2.2 §10.3.2, tag resolution of the core schema.
fn core_schema(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" => return ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => return ScalarKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return ScalarKind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return ScalarKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return ScalarKind::Float(f64::NAN),
        _ => {}
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return radix_int(digits, 8);
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return radix_int(digits, 16);
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return decimal_int(text);
    }
    if is_core_float(unsigned) {
        return text.parse().map_or(ScalarKind::String, ScalarKind::Float);
    }
    ScalarKind::String
}

fn radix_int(digits: &str, radix: u32) -> ScalarKind {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return ScalarKind::String;
    }
    match i64::from_str_radix(digits, radix) {
        Ok(value) => ScalarKind::Int(value),
        // Too large for i64: the digits still name a number.
        Err(_) => ScalarKind::Float(
            digits
                .chars()
                .fold(0.0, |acc, c| acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))),
        ),
    }
}

fn decimal_int(text: &str) -> ScalarKind {
    match text.parse::<i64>() {
        Ok(value) => ScalarKind::Int(value),
        Err(_) => text.parse().map_or(ScalarKind::String, ScalarKind::Float),
    }
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, the sign already removed.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A JSON number, `true`, `false` or `null` as jsonc-parser accepted it.
fn json_literal(text: &str) -> ScalarKind {
    match text {
        "true" => ScalarKind::Bool(true),
        "false" => ScalarKind::Bool(false),
        "null" => ScalarKind::Null,
        _ if !text.contains(['.', 'e', 'E']) => decimal_int(text),
        _ => text.parse().map_or(ScalarKind::String, ScalarKind::Float),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Scalar {
        Scalar { text: text.to_owned(), style: Style::Plain }
    }

    #[test]
    fn core_schema_table() {
        let cases: &[(&str, ScalarKind)] = &[
            ("", ScalarKind::Null),
            ("~", ScalarKind::Null),
            ("null", ScalarKind::Null),
            ("NULL", ScalarKind::Null),
            ("nULL", ScalarKind::String),
            ("true", ScalarKind::Bool(true)),
            ("False", ScalarKind::Bool(false)),
            ("yes", ScalarKind::String),
            ("on", ScalarKind::String),
            ("0", ScalarKind::Int(0)),
            ("-17", ScalarKind::Int(-17)),
            ("+3", ScalarKind::Int(3)),
            ("0755", ScalarKind::Int(755)),
            ("0o755", ScalarKind::Int(493)),
            ("0o8", ScalarKind::String),
            ("0x1F", ScalarKind::Int(31)),
            ("0x", ScalarKind::String),
            ("-0x1", ScalarKind::String),
            ("1.5", ScalarKind::Float(1.5)),
            ("-.5", ScalarKind::Float(-0.5)),
            ("1.", ScalarKind::Float(1.0)),
            ("1e3", ScalarKind::Float(1000.0)),
            ("2E-2", ScalarKind::Float(0.02)),
            (".inf", ScalarKind::Float(f64::INFINITY)),
            ("-.Inf", ScalarKind::Float(f64::NEG_INFINITY)),
            (".", ScalarKind::String),
            ("1e", ScalarKind::String),
            ("1_000", ScalarKind::String),
            ("12:30", ScalarKind::String),
            ("99999999999999999999", ScalarKind::Float(1e20)),
            ("3.8.1", ScalarKind::String),
        ];
        for (text, expected) in cases {
            assert_eq!(plain(text).kind(), *expected, "{text:?}");
        }
        assert!(matches!(plain(".NaN").kind(), ScalarKind::Float(f) if f.is_nan()));
    }

    #[test]
    fn only_plain_scalars_are_typed() {
        for style in
            [Style::SingleQuoted, Style::DoubleQuoted, Style::Literal, Style::Folded, Style::JsonString]
        {
            assert_eq!(Scalar { text: "true".into(), style }.kind(), ScalarKind::String);
            assert_eq!(Scalar { text: "yes".into(), style }.yaml11_bool(), None);
        }
    }

    #[test]
    fn json_literals() {
        let lit = |t: &str| Scalar { text: t.into(), style: Style::JsonLiteral }.kind();
        assert_eq!(lit("null"), ScalarKind::Null);
        assert_eq!(lit("true"), ScalarKind::Bool(true));
        assert_eq!(lit("-12"), ScalarKind::Int(-12));
        assert_eq!(lit("1.25e2"), ScalarKind::Float(125.0));
        assert_eq!(lit("18446744073709551616"), ScalarKind::Float(18446744073709551616.0));
    }

    #[test]
    fn yaml11_booleans() {
        for word in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
            assert_eq!(plain(word).yaml11_bool(), Some(true), "{word}");
        }
        for word in ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"] {
            assert_eq!(plain(word).yaml11_bool(), Some(false), "{word}");
        }
        for word in ["yEs", "1", "", "enabled", "oN"] {
            assert_eq!(plain(word).yaml11_bool(), None, "{word}");
        }
    }
}
