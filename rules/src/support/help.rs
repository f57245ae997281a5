//! Format-specific wording for cross-format rules: the message stays format-neutral, the help text speaks
//! the user's format.

use plimsoll_diagnostic::Format;

/// Picks the help text for the file's format.
pub fn for_format(format: Format, dockerfile: &str, compose: &str, kubernetes: &str) -> String {
    match format {
        Format::Dockerfile => dockerfile,
        Format::Compose => compose,
        Format::Kubernetes | Format::Iam => kubernetes,
    }
    .to_string()
}

/// `a`, `a` and `b`, `a`, `b` and `c`, each in backticks.
pub fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(code).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// An item in backticks; the empty string as `""`.
pub fn code(item: &str) -> String {
    if item.is_empty() { "`\"\"`".to_string() } else { format!("`{item}`") }
}

#[cfg(test)]
mod tests {
    use super::code_list;

    #[test]
    fn lists() {
        assert_eq!(code_list([]), "");
        assert_eq!(code_list(["get"]), "`get`");
        assert_eq!(code_list([""]), "`\"\"`");
        assert_eq!(code_list(["get", "list", "watch"]), "`get`, `list` and `watch`");
    }
}
