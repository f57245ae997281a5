//! Knowledge several rules share. Each module is about one subject; rules stay small by asking these
//! helpers rather than re-deriving facts.

pub mod help;
pub mod packages;
