//! One [`Linter`] per configuration in use (a monorepo has a few), built when a file first needs it, with
//! the front end's own layer (command-line flags, editor settings) applied last. The CLI and the language
//! server both keep one.

use std::collections::HashMap;
use std::sync::Arc;

use plimsoll_diagnostic::{RuleMeta, Severity};
use plimsoll_linter::{Linter, Rule};

use crate::layer::Layer;
use crate::resolver::Config;

pub struct Linters {
    registry: &'static [&'static Rule],
    rules: Vec<&'static RuleMeta>,
    /// Applied after every configuration file.
    front: Layer,
    built: HashMap<usize, Arc<Linter>>,
}

impl Linters {
    /// `registry` is every rule there is; `front` the front end's layer.
    pub fn new(registry: &'static [&'static Rule], front: Layer) -> Linters {
        let rules = registry.iter().map(|rule| &rule.meta).collect();
        Linters { registry, rules, front, built: HashMap::new() }
    }

    /// The linter for files under `config`.
    pub fn get(&mut self, config: &Config) -> Arc<Linter> {
        let (registry, rules, front) = (self.registry, &self.rules, &self.front);
        self.built
            .entry(config.id)
            .or_insert_with(|| Arc::new(Linter::new(registry, crate::settings_for(config, front, rules))))
            .clone()
    }

    /// Every rule some linter built so far runs, by code (a SARIF report lists them all).
    pub fn enabled_rules(&self) -> Vec<&'static RuleMeta> {
        let mut rules: Vec<&'static RuleMeta> =
            self.built.values().flat_map(|linter| linter.enabled_rules()).map(|rule| &rule.meta).collect();
        rules.sort_by_key(|rule| rule.code);
        rules.dedup_by_key(|rule| rule.code);
        rules
    }

    /// The `fail-on` for files under `config`, the front end's layer winning.
    pub fn fail_on(&self, config: &Config) -> Option<Severity> {
        let mut layers: Vec<&Layer> = config.layers.iter().collect();
        layers.push(&self.front);
        crate::fail_on(&layers)
    }
}
