//! The engine both front doors (CLI and LSP server) call: per file, [`Linter::lint`] parses once, lowers
//! once, runs every enabled rule on the result and applies suppressions.
//!
//! Rules are plain statics declared with [`declare_rule!`]; each lists the [`Check`]s it runs. The
//! [`Linter`] buckets checks by what they look at (instruction keyword, shell command, image, container),
//! so one walk over a file serves every rule.

mod context;
mod engine;
mod file_kind;
mod panic;
mod path_ignores;
mod reporter;
mod rule;
mod selection;
mod settings;
mod source;
mod suppress;
mod workspace;

pub use context::{
    CommandCtx, ComposeCtx, DockerfileCtx, IamCtx, InstructionCtx, KubernetesCtx, SourceCtx, SuppressionsCtx,
    YamlCtx,
};
pub use engine::{FileReport, Linter};
pub use file_kind::{is_yaml_or_json, kind_from_content, kind_from_name};
pub use panic::panic_message;
pub use path_ignores::{PathIgnore, absolute_path};
pub use plimsoll_diagnostic::{Diagnostic, Family, Format, RuleMeta, Severity};
pub use plimsoll_kubernetes::{Project, WorkloadKinds};
pub use reporter::{Emit, Reporter};
pub use rule::{Check, Rule};
pub use selection::{RuleSelector, Selection};
pub use settings::Settings;
pub use source::{MAX_FILE_BYTES, SourceFile};
pub use suppress::{SuppressedId, Suppression, SuppressionKind};
pub use workspace::{Disk, FileContext, NoWorkspace, Run, Workspace};

/// Declares a rule: its doc comment (the rule's documentation), metadata and checks, as `pub static RULE`.
///
/// ```text
/// declare_rule! {
///     /// ## What it does
///     /// …
///     code: "ISO001", name: "container-runs-as-root", family: Iso, severity: Warning,
///     formats: [Dockerfile], aliases: ["DL3002"],
///     checks: [Check::Container(check)],
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        code: $code:literal,
        name: $name:literal,
        family: $family:ident,
        severity: $severity:ident,
        $(default_enabled: $enabled:literal,)?
        formats: [$($format:ident),* $(,)?],
        aliases: [$($alias:literal),* $(,)?],
        checks: [$($check:expr),* $(,)?] $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::Rule = $crate::Rule {
            meta: $crate::RuleMeta {
                code: $code,
                name: $name,
                family: $crate::Family::$family,
                severity: $crate::Severity::$severity,
                default_enabled: $crate::__default_enabled!($($enabled)?),
                formats: &[$($crate::Format::$format),*],
                aliases: &[$($alias),*],
                doc: concat!($($doc, "\n"),*),
            },
            checks: &[$($check),*],
        };
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __default_enabled {
    () => {
        true
    };
    ($enabled:literal) => {
        $enabled
    };
}
