//! What a finding is, independent of how it is rendered: [`Diagnostic`] values and the static [`RuleMeta`]
//! of the rule that produced them. Nothing here knows about terminals, files or the LSP.

mod diagnostic;
mod meta;

pub use diagnostic::{Diagnostic, Edit, Fix, Label};
pub use meta::{Family, Format, RuleMeta, Severity};
