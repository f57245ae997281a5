//! YAML and JSON, read into one arena tree whose every node carries its exact byte range.
//!
//! [`parse_yaml`] and [`parse_json`] are total: any text gives a [`Tree`] (possibly with no documents) plus
//! [`Problem`]s. Documents that parsed before a syntax error are kept, so they are still linted. Aliases
//! point at their anchor's node (the tree is a DAG, never copied), `<<` merge keys are resolved into the
//! mapping that uses them, and both the expanded size and the nesting depth are bounded: nothing here or in
//! a consumer that walks a [`Node`] can blow up on hostile input. Nothing recurses on input depth.
//!
//! Scalars keep their source text and style; typing is the consumer's choice ([`Scalar::kind`] follows the
//! YAML 1.2 core schema, [`Scalar::yaml11_bool`] tells where a YAML 1.1 reader would see a boolean), because
//! Compose (YAML 1.2) and Kubernetes (YAML 1.1) read `yes` differently.

mod access;
mod builder;
mod comments;
mod dump;
mod json;
mod keys;
mod merge;
mod offsets;
mod scan;
mod tree;
mod typing;

pub use tree::{
    Comment, Document, Entry, Node, NodeId, Problem, ProblemKind, Scalar, ScalarKind, Style, Tree, Value,
};

/// The deepest nesting of YAML collections that is built, counted through aliases too; a deeper collection
/// becomes [`Value::Invalid`] with a [`ProblemKind::DepthLimit`] problem.
pub const MAX_DEPTH: usize = 512;

/// How many nodes the aliases of one YAML document may add once expanded (each alias adds the expanded size
/// of its node). Real documents use a few hundred; a billion-laughs document reaches it within a few
/// aliases, and every alias past it becomes [`Value::Invalid`] with a [`ProblemKind::AliasLimit`] problem.
/// A consumer that expands every alias therefore walks at most the document's own nodes plus this many.
pub const ALIAS_BUDGET: u64 = 1_000_000;

/// The deepest JSON nesting read. jsonc-parser recurses once per level (its own bound is 512, which needs
/// over 1 MiB of stack in an unoptimised build), so deeper text is refused before it is parsed. IAM policies
/// nest five or six levels.
pub const JSON_MAX_DEPTH: usize = 128;

/// Reads a YAML stream: every document, comments, and problems (syntax, duplicate keys, bounds).
///
/// After a syntax error the documents completed before it are kept; the document the error is in is
/// dropped, since its missing tail would look like missing keys to the rules.
pub fn parse_yaml(text: &str) -> Tree {
    builder::build(text)
}

/// Reads strict JSON (no comments, trailing commas or other JSON5 extensions) as a one-document tree.
pub fn parse_json(text: &str) -> Tree {
    json::build(text)
}
