//! What a document is linted with: the configuration that governs its path (nearest `plimsoll.toml`, or
//! the editor's `config`), the editor's selection on top, one [`Linter`] per configuration in use, and the
//! format its name, language or content shows. Rebuilt whenever the settings or a configuration file
//! change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use plimsoll_config::{Linters, Mode, Resolver};
use plimsoll_diagnostic::{Format, RuleMeta};
use plimsoll_linter::{Linter, is_yaml_or_json, kind_from_content, kind_from_name};

use crate::documents::Document;
use crate::settings::ClientSettings;

pub struct Engine {
    resolver: Resolver,
    linters: Linters,
    /// The workspace root: untitled buffers use its configuration.
    root: PathBuf,
    /// Problems already shown, so each is shown once per engine.
    reported: BTreeSet<String>,
}

/// How to lint one document.
#[derive(Clone)]
pub struct Plan {
    pub linter: Arc<Linter>,
    pub format: Format,
}

impl Engine {
    /// The engine for `settings` in the workspace at `root`, and the problems met building it (a missing
    /// `config` file falls back to finding the nearest configuration).
    pub fn new(settings: &ClientSettings, root: &Path) -> (Engine, Vec<String>) {
        let rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
        let (layer, mut problems) = settings.layer(root, &rules);
        let resolver = Resolver::new(settings.mode(), &rules).unwrap_or_else(|error| {
            problems.push(format!("{error}; using the nearest plimsoll.toml instead"));
            Resolver::new(Mode::Nearest, &rules)
                .unwrap_or_else(|_| unreachable!("Nearest reads no file up front"))
        });
        let engine = Engine {
            resolver,
            linters: Linters::new(plimsoll_rules::all(), layer),
            root: root.to_path_buf(),
            reported: BTreeSet::new(),
        };
        (engine, problems)
    }

    /// The plan for `doc`, or `None` when plimsoll does not lint it (not a format it reads, or excluded by
    /// `[files] exclude`).
    pub fn plan(&mut self, doc: &Document) -> Option<Plan> {
        let format = self.format_of(doc)?;
        let config = match &doc.path {
            Some(path) => self.resolver.for_file(path, format),
            None => self.resolver.for_directory(&self.root, format),
        };
        Some(Plan { linter: self.linters.get(&config), format })
    }

    /// The linter for the workspace root's configuration: Kubernetes facts shared by all files are read
    /// with it, as `plimsoll check` reads them with the working directory's.
    pub fn root_linter(&mut self) -> Arc<Linter> {
        let config = self.resolver.for_directory(&self.root, Format::Kubernetes);
        self.linters.get(&config)
    }

    /// Configuration problems met since the last call (unknown keys, bad globs), each once.
    pub fn new_problems(&mut self) -> Vec<String> {
        let mut fresh = Vec::new();
        for error in self.resolver.errors() {
            let text = error.to_string();
            if self.reported.insert(text.clone()) {
                fresh.push(text);
            }
        }
        fresh
    }

    fn format_of(&self, doc: &Document) -> Option<Format> {
        let sniffable = match &doc.path {
            Some(path) => {
                let config = self.resolver.for_file(path, Format::Kubernetes);
                let path = self.resolver.absolute(path);
                if config.files.is_excluded(&path) {
                    return None;
                }
                if let Some(kind) = config.files.kind_of(&path).or_else(|| kind_from_name(&path)) {
                    return Some(kind);
                }
                is_yaml_or_json(&path)
            }
            None => true,
        };
        match doc.language_id.as_str() {
            "dockerfile" => Some(Format::Dockerfile),
            "dockercompose" => Some(Format::Compose),
            // Other files are read by content only where their name allows it (YAML, JSON, untitled).
            _ => sniffable.then(|| kind_from_content(&doc.text)).flatten(),
        }
    }
}

/// The workspace root the settings' relative paths are against: the first workspace folder, else the
/// server's working directory.
pub fn root_of(folders: &[PathBuf]) -> PathBuf {
    folders.first().cloned().unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(path: Option<&str>, language: &str, text: &str) -> Document {
        Document::new(text.to_string(), 1, language.to_string(), path.map(PathBuf::from), 1)
    }

    fn format(doc: &Document) -> Option<Format> {
        let (mut engine, problems) =
            Engine::new(&ClientSettings { isolated: true, ..Default::default() }, Path::new("/"));
        assert!(problems.is_empty());
        engine.plan(doc).map(|plan| plan.format)
    }

    #[test]
    fn formats_come_from_the_name_then_the_language_then_the_content() {
        assert_eq!(
            format(&document(Some("/r/Containerfile.dev"), "plaintext", "")),
            Some(Format::Dockerfile)
        );
        assert_eq!(format(&document(Some("/r/compose.yaml"), "yaml", "")), Some(Format::Compose));
        let manifest = "apiVersion: v1\nkind: Pod\n";
        assert_eq!(format(&document(Some("/r/pod.yaml"), "yaml", manifest)), Some(Format::Kubernetes));
        assert_eq!(format(&document(None, "dockerfile", "")), Some(Format::Dockerfile));
        let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
        assert_eq!(format(&document(Some("/r/policy.json"), "json", policy)), Some(Format::Iam));
    }

    #[test]
    fn other_files_are_not_linted() {
        assert_eq!(format(&document(Some("/r/values.yaml"), "yaml", "replicas: 2\n")), None);
        // Content sniffing is for YAML and JSON: a shell script mentioning FROM is not a Dockerfile.
        assert_eq!(format(&document(Some("/r/build.sh"), "shellscript", "FROM alpine\nRUN x\n")), None);
    }
}
