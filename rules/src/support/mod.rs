//! Knowledge several rules share. Each module is about one subject; rules stay small by asking these
//! helpers rather than re-deriving facts.

pub mod downloads;
pub mod env_settings;
pub mod file_modes;
pub mod file_writes;
pub mod help;
pub mod options;
pub mod shells;
pub mod urls;
pub mod word_parts;
