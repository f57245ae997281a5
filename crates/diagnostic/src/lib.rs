//! What a finding is, independent of how it is rendered: [`Diagnostic`] values and the static [`RuleMeta`]
//! of the rule that produced them. Nothing here knows about terminals, files or the LSP.

mod diagnostic;
mod meta;
mod suggest;

pub use diagnostic::{Diagnostic, Edit, Fix, Label};
pub use meta::{DOCS_BASE_URL, Family, Format, RuleMeta, Severity};
pub use suggest::closest;
