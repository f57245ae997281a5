//! The Dockerfile front end: [`parse`] turns any text into a [`Dockerfile`] syntax tree plus syntax errors
//! (never a panic), with exact byte ranges on every node and the shell code of RUN parsed into commands.

mod ast;
mod parser;

pub use ast::*;
pub use parser::parse;
