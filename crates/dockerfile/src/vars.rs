//! Variable substitution as the Dockerfile frontend performs it: `$V`, `${V}`, `${V:-default}`,
//! `${V-default}`, `${V:+alternative}`, `${V+alternative}`, and `\$` for a literal dollar (with the file's
//! escape character). Other modifiers (`${V#pattern}`, `${V/a/b}`, …) make the result unknown rather than
//! guessed.

use plimsoll_span::TextRange;

/// A variable's value as far as the file tells: the default of an `ARG` (a build may override it) or an
/// `ENV` value, and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarValue {
    /// `None` for `ARG NAME` without a default: the value is whatever the build passes, possibly empty.
    pub value: Option<String>,
    pub defined_at: TextRange,
}

/// The result of substituting variables in a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Every variable was known (or had a usable default), so `text` is the value the build sees unless a
    /// build argument overrides an `ARG` default.
    pub complete: bool,
    /// Where the variables that were substituted got their values.
    pub via: Vec<TextRange>,
}

/// Substitutes variables in `text`; `lookup` returns what the file knows about a name.
pub fn expand<'a>(text: &str, escape: char, lookup: impl Fn(&str) -> Option<&'a VarValue>) -> Expanded {
    let mut out = Expanded { text: String::with_capacity(text.len()), complete: true, via: Vec::new() };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == escape && text[i + c.len_utf8()..].starts_with('$') {
            out.text.push('$');
            chars.next();
            continue;
        }
        if c != '$' {
            out.text.push(c);
            continue;
        }
        let rest = &text[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                out.complete = false;
                out.text.push_str(&text[i..]);
                break;
            };
            substitute_braced(&inner[..close], &lookup, &mut out);
            let consumed = 1 + close + 1;
            while chars.peek().is_some_and(|&(j, _)| j <= i + consumed) {
                chars.next();
            }
        } else {
            let name_len =
                rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(rest.len());
            if name_len == 0 {
                out.text.push('$');
                continue;
            }
            push_value(&rest[..name_len], &lookup, &mut out);
            for _ in 0..name_len {
                chars.next();
            }
        }
    }
    out
}

fn push_value<'a>(name: &str, lookup: &impl Fn(&str) -> Option<&'a VarValue>, out: &mut Expanded) {
    match lookup(name) {
        Some(VarValue { value: Some(value), defined_at }) => {
            out.text.push_str(value);
            out.via.push(*defined_at);
        }
        _ => {
            out.complete = false;
            out.text.push_str("${");
            out.text.push_str(name);
            out.text.push('}');
        }
    }
}

fn substitute_braced<'a>(body: &str, lookup: &impl Fn(&str) -> Option<&'a VarValue>, out: &mut Expanded) {
    let name_len = body.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(body.len());
    let (name, modifier) = body.split_at(name_len);
    if name.is_empty() {
        out.complete = false;
        out.text.push_str("${");
        out.text.push_str(body);
        out.text.push('}');
        return;
    }
    let var = lookup(name);
    let set = var.and_then(|v| v.value.as_deref());
    let (op, word) = if let Some(w) = modifier.strip_prefix(":-") {
        (":-", w)
    } else if let Some(w) = modifier.strip_prefix(":+") {
        (":+", w)
    } else if let Some(w) = modifier.strip_prefix('-') {
        ("-", w)
    } else if let Some(w) = modifier.strip_prefix('+') {
        ("+", w)
    } else if modifier.is_empty() {
        ("", "")
    } else {
        out.complete = false;
        out.text.push_str("${");
        out.text.push_str(body);
        out.text.push('}');
        return;
    };
    let declared = var.is_some();
    if let Some(v) = var.filter(|v| v.value.is_some() && !op.is_empty()) {
        out.via.push(v.defined_at);
    }
    match op {
        "" => push_value(name, lookup, out),
        // An ARG without a default is empty unless the build passes a value, so the default is what a
        // plain build uses.
        ":-" => match set {
            Some(value) if !value.is_empty() => out.text.push_str(value),
            _ => out.text.push_str(word),
        },
        "-" => match set {
            Some(value) => out.text.push_str(value),
            None if declared => out.complete = false,
            None => out.text.push_str(word),
        },
        ":+" => {
            if set.is_some_and(|v| !v.is_empty()) {
                out.text.push_str(word);
            } else if declared && set.is_none() {
                out.complete = false;
            }
        }
        _ => {
            if set.is_some() {
                out.text.push_str(word);
            } else if declared {
                out.complete = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars() -> HashMap<&'static str, VarValue> {
        let at = |n| TextRange::new(n, n + 1);
        HashMap::from([
            ("TAG", VarValue { value: Some("3.12".into()), defined_at: at(1) }),
            ("EMPTY", VarValue { value: Some(String::new()), defined_at: at(2) }),
            ("NODEFAULT", VarValue { value: None, defined_at: at(3) }),
        ])
    }

    fn run(text: &str) -> (String, bool) {
        let vars = vars();
        let e = expand(text, '\\', |n| vars.get(n));
        (e.text, e.complete)
    }

    #[test]
    fn plain_and_braced() {
        assert_eq!(run("python:$TAG"), ("python:3.12".into(), true));
        assert_eq!(run("python:${TAG}-slim"), ("python:3.12-slim".into(), true));
        assert_eq!(run("no vars"), ("no vars".into(), true));
        assert_eq!(run("cost $"), ("cost $".into(), true));
    }

    #[test]
    fn defaults_and_alternatives() {
        assert_eq!(run("${MISSING:-alpine}"), ("alpine".into(), true));
        assert_eq!(run("${NODEFAULT:-alpine}"), ("alpine".into(), true));
        assert_eq!(run("${EMPTY:-x}"), ("x".into(), true));
        assert_eq!(run("${EMPTY-x}"), ("".into(), true));
        assert_eq!(run("${TAG:+set}"), ("set".into(), true));
        assert_eq!(run("${MISSING:+set}"), ("".into(), true));
    }

    #[test]
    fn unknown_values_are_incomplete() {
        assert!(!run("$NODEFAULT").1);
        assert!(!run("${MISSING}").1);
        assert!(!run("${TAG#3}").1);
        assert!(!run("${TAG").1);
    }

    #[test]
    fn escaped_dollar_is_literal() {
        assert_eq!(run("a\\$TAG"), ("a$TAG".into(), true));
    }

    #[test]
    fn via_records_definitions() {
        let vars = vars();
        let e = expand("${TAG}", '\\', |n| vars.get(n));
        assert_eq!(e.via, vec![TextRange::new(1, 2)]);
    }
}
