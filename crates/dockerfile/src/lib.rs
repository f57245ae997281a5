//! The Dockerfile front end: [`parse`] turns any text into a [`Dockerfile`] syntax tree plus syntax errors
//! (never a panic), with exact byte ranges on every node and the shell code of RUN parsed into commands.

mod analysis;
mod ast;
mod lower;
mod parser;
mod tree;
mod vars;

pub use analysis::{Analysis, Base, Stage, image_spec};
pub use ast::*;
pub use lower::{container, lower};
pub use parser::{parse, parse_outline};
pub use vars::{Expanded, VarValue, expand};
