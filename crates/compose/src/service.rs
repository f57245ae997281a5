//! A service as Compose sees it after `extends`: the service's own mapping layered over the services it
//! extends within the same file.

use plimsoll_span::TextRange;
use plimsoll_yaml::{NodeId, Tree};

/// How many `extends` links are followed; Compose rejects cycles, this bound keeps a cycle harmless.
const MAX_EXTENDS: usize = 16;

pub struct Service<'t> {
    pub tree: &'t Tree,
    pub name: &'t str,
    /// The service key: where findings about the whole service point.
    pub key_range: TextRange,
    /// The service's mapping and those it extends, most derived first.
    layers: Vec<NodeId>,
    /// Part of the definition lives elsewhere (`extends` from another file), so a missing setting may be set
    /// there.
    pub extends_other_file: bool,
}

impl<'t> Service<'t> {
    pub fn new(tree: &'t Tree, services: NodeId, name: &'t str, key_range: TextRange, map: NodeId) -> Self {
        let mut layers = vec![map];
        let mut extends_other_file = false;
        let mut current = map;
        while layers.len() <= MAX_EXTENDS {
            let Some(extends) = tree.get(current, "extends") else { break };
            let (base, file) = match tree.text(extends) {
                Some(name) => (Some(name), None),
                None => (tree.get(extends, "service").and_then(|s| tree.text(s)), tree.get(extends, "file")),
            };
            if file.is_some() {
                extends_other_file = true;
                break;
            }
            let Some(next) = base.and_then(|b| tree.get(services, b)) else { break };
            if layers.contains(&next) {
                break;
            }
            layers.push(next);
            current = next;
        }
        Service { tree, name, key_range, layers, extends_other_file }
    }

    /// The value of `key` from the most derived layer that sets it.
    pub fn get(&self, key: &str) -> Option<NodeId> {
        self.layers.iter().find_map(|&layer| self.tree.get(layer, key))
    }

    /// The key-to-value range of `key` in the most derived layer that sets it.
    pub fn entry_range(&self, key: &str) -> Option<TextRange> {
        self.layers.iter().find_map(|&layer| {
            let entry = self.tree.entry(layer, key)?;
            Some(self.tree.node(entry.key).range.cover(self.tree.node(entry.value).range))
        })
    }

    /// The range of the key `key` itself (without its value) in the most derived layer that sets it.
    pub fn key_range_of(&self, key: &str) -> Option<TextRange> {
        self.layers.iter().find_map(|&layer| Some(self.tree.node(self.tree.entry(layer, key)?.key).range))
    }

    /// Every layer's value of `key`, most derived first: Compose merges lists (ports, volumes, cap_add…)
    /// across `extends`.
    pub fn all(&self, key: &str) -> Vec<NodeId> {
        self.layers.iter().filter_map(|&layer| self.tree.get(layer, key)).collect()
    }

    /// A nested value (`deploy.resources.limits.memory`) from the most derived layer that has it.
    pub fn path(&self, keys: &[&str]) -> Option<NodeId> {
        self.layers.iter().find_map(|&layer| self.tree.path(layer, keys))
    }
}
