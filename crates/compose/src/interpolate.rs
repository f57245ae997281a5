//! Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
//! `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`, nested defaults, and `$$` for a literal `$`.
//!
//! The linter does not know the environment a project is deployed with, so a variable never has a value:
//! a default is what a plain `docker compose up` uses, and anything else makes the result unknown.

/// A value after interpolation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated {
    pub text: String,
    /// Every variable had a usable default; otherwise `text` is not the value at run time.
    pub complete: bool,
}

/// Interpolates `text`. Runs in time linear in the text; nesting is followed iteratively, bounded by the
/// text itself.
pub fn interpolate(text: &str) -> Interpolated {
    if !text.contains('$') {
        return Interpolated { text: text.to_string(), complete: true };
    }
    let mut out = Interpolated { text: String::with_capacity(text.len()), complete: true };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let next = text[i..].find('$').map_or(text.len(), |n| i + n);
            out.text.push_str(&text[i..next]);
            i = next;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.text.push('$');
                i += 2;
            }
            Some(b'{') => match matching_brace(text, i + 1) {
                Some(close) => {
                    braced(&text[i + 2..close], &mut out);
                    i = close + 1;
                }
                None => {
                    out.complete = false;
                    out.text.push_str(&text[i..]);
                    i = text.len();
                }
            },
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let len = text[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(text.len() - i - 1);
                out.complete = false;
                out.text.push_str(&text[i..i + 1 + len]);
                i += 1 + len;
            }
            _ => {
                out.text.push('$');
                i += 1;
            }
        }
    }
    out
}

/// The index of the `}` closing the `{` at `open`, counting nested `${…}`.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn braced(body: &str, out: &mut Interpolated) {
    let name_len = body.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(body.len());
    let modifier = &body[name_len..];
    let default = modifier.strip_prefix(":-").or_else(|| modifier.strip_prefix('-'));
    match default {
        // The variable is unset here, so its default applies (itself interpolated).
        Some(default) if name_len > 0 => {
            let inner = interpolate(default);
            out.complete &= inner.complete;
            out.text.push_str(&inner.text);
        }
        // `${VAR}`, `${VAR:?err}` and `${VAR:+alt}`: the value depends on the environment.
        _ => {
            out.complete = false;
            out.text.push_str("${");
            out.text.push_str(body);
            out.text.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, bool) {
        let i = interpolate(text);
        (i.text, i.complete)
    }

    #[test]
    fn defaults_apply() {
        assert_eq!(run("nginx:${TAG:-1.27}"), ("nginx:1.27".into(), true));
        assert_eq!(run("${IMAGE-redis}:7"), ("redis:7".into(), true));
        assert_eq!(run("${A:-${B:-deep}}"), ("deep".into(), true));
        assert_eq!(run("plain"), ("plain".into(), true));
    }

    #[test]
    fn environment_values_are_unknown() {
        assert!(!run("${TAG}").1);
        assert!(!run("$TAG").1);
        assert!(!run("${TAG:?set TAG}").1);
        assert!(!run("${TAG:+x}").1);
        assert!(!run("${A:-$B}").1);
        assert!(!run("${unterminated").1);
    }

    #[test]
    fn dollars_escape() {
        assert_eq!(run("echo $$HOME"), ("echo $HOME".into(), true));
        assert_eq!(run("cost 5$"), ("cost 5$".into(), true));
    }
}
