//! `plimsoll.toml` and `.plimsoll.toml`: parsed with positions and validated against one table of keys
//! ([`keys`]), `extend` chains, nearest-ancestor discovery per linted file ([`Resolver`]), `.hadolint.yaml`
//! migration, the resolution into [`plimsoll_linter::Settings`] with ruff's semantics, `config show` and
//! the JSON schema. See README.md for the reference.

mod error;
mod files;
mod hadolint;
pub mod keys;
mod layer;
mod linters;
mod load;
mod parse;
mod resolve;
mod resolver;
mod schema;
mod show;
#[cfg(test)]
mod testing;

pub use error::{ConfigError, closest, did_you_mean};
pub use files::FilePatterns;
pub use layer::{Item, Layer, Source, Value};
pub use linters::Linters;
pub use load::{absolute, shown};
pub use parse::check_selector;
pub use resolve::{enabled_rules, settings, severity};
pub use resolver::{Config, FILE_NAMES, Mode, Resolver, path_key};
pub use schema::{schema, schema_json};
pub use show::render as show;

use plimsoll_diagnostic::{RuleMeta, Severity};

/// The `fail-on` the layers set, if any.
pub fn fail_on(layers: &[&Layer]) -> Option<Severity> {
    resolve::last(layers, "fail-on")
        .and_then(|(_, value)| value.items().first())
        .map(|item| severity(&item.text))
}

/// The settings for files under `config`, the command line's `cli` layer applied last.
pub fn settings_for(config: &Config, cli: &Layer, rules: &[&'static RuleMeta]) -> plimsoll_linter::Settings {
    let mut layers: Vec<&Layer> = config.layers.iter().collect();
    layers.push(cli);
    settings(&layers, rules)
}
