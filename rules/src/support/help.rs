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
