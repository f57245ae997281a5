//! What one configuration file (or the command line) says: validated values, each with the line it came
//! from, in the order written.

use std::path::PathBuf;

use crate::keys::{Key, Kind};

/// Where a layer's values come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A `plimsoll.toml` or `.plimsoll.toml`, as shown to people.
    File(String),
    /// A `.hadolint.yaml`, translated.
    Hadolint(String),
    CommandLine,
}

/// One string of a value (a selector, a glob, a registry), with its 1-based line (0 on the command line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub line: usize,
}

impl Item {
    pub fn new(text: impl Into<String>, line: usize) -> Item {
        Item { text: text.into(), line }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool, usize),
    /// A single string: a path, a severity.
    Word(Item),
    List(Vec<Item>),
    /// A table whose keys are globs or selectors and whose values are lists (a severity or a pod-spec path
    /// is a list of one).
    Map(Vec<(Item, Vec<Item>)>),
}

impl Value {
    /// The line the value starts on.
    pub fn line(&self) -> usize {
        match self {
            Value::Bool(_, line) => *line,
            Value::Word(item) => item.line,
            Value::List(items) => items.first().map_or(0, |i| i.line),
            Value::Map(entries) => entries.first().map_or(0, |(k, _)| k.line),
        }
    }

    pub fn items(&self) -> &[Item] {
        match self {
            Value::List(items) => items,
            Value::Word(item) => std::slice::from_ref(item),
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(Item, Vec<Item>)] {
        match self {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The value as TOML, for `config show`. Per-file ignores map to lists; the other tables to one string.
    pub fn to_toml(&self, kind: Kind) -> String {
        fn quoted(text: &str) -> String {
            serde_json::to_string(text).unwrap_or_default()
        }
        fn list(items: &[Item]) -> String {
            let items: Vec<String> = items.iter().map(|i| quoted(&i.text)).collect();
            format!("[{}]", items.join(", "))
        }
        match self {
            Value::Bool(value, _) => value.to_string(),
            Value::Word(item) => quoted(&item.text),
            Value::List(items) => list(items),
            Value::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, values)| match (kind, values.as_slice()) {
                        (Kind::PathIgnores, _) | (_, []) => {
                            format!("{} = {}", quoted(&key.text), list(values))
                        }
                        (_, [first, ..]) => format!("{} = {}", quoted(&key.text), quoted(&first.text)),
                    })
                    .collect();
                format!("{{ {} }}", entries.join(", "))
            }
        }
    }
}

/// One file's (or the command line's) settings.
#[derive(Clone, Debug)]
pub struct Layer {
    pub source: Source,
    /// The absolute directory its globs are relative to: the file's, or the working directory.
    pub dir: PathBuf,
    /// Values in the order written; each key at most once.
    pub values: Vec<(&'static Key, Value)>,
}

impl Layer {
    pub fn new(source: Source, dir: PathBuf) -> Layer {
        Layer { source, dir, values: Vec::new() }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(key, _)| key.name == name).map(|(_, value)| value)
    }

    /// Sets `key` (the table has it: callers name keys from [`crate::keys::KEYS`]).
    pub fn set(&mut self, name: &str, value: Value) {
        let Some(key) = crate::keys::key(name) else { return };
        self.values.retain(|(k, _)| k.name != name);
        self.values.push((key, value));
    }

    /// Where a line of this layer is, for `config show`: `plimsoll.toml:3`, `command line`.
    pub fn origin(&self, line: usize) -> String {
        match &self.source {
            Source::File(file) | Source::Hadolint(file) if line > 0 => format!("{file}:{line}"),
            Source::File(file) | Source::Hadolint(file) => file.clone(),
            Source::CommandLine => "command line".to_string(),
        }
    }
}
