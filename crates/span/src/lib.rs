//! Byte ranges into a source text and the conversions every consumer needs: 1-based line and character
//! column for people and for machine output, UTF-16 columns for the LSP.

mod line_index;
mod range;

pub use line_index::{LineCol, LineIndex, Unit};
pub use range::{Spanned, TextRange};
