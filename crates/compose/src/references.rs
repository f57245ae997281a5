//! Other Compose files a file reads: the files it `include`s and those its services `extends` from. They
//! are part of the application even when their names do not say they are Compose files
//! (`include: [infra/db.yml]`), so the CLI lints them too.

use plimsoll_span::Spanned;
use plimsoll_yaml::{NodeId, Tree};

use crate::values::{list, text};

/// The paths, as written and interpolated, of the Compose files `root` includes or extends from. Paths
/// that depend on a variable without a default are left out: they cannot be found before run time.
pub fn references(tree: &Tree, root: NodeId) -> Vec<Spanned<String>> {
    let mut paths = Vec::new();
    if let Some(include) = tree.get(root, "include") {
        for item in list(tree, include) {
            // `- path.yml`, or `- path: path.yml` / `- path: [base.yml, override.yml]` with options.
            let path = tree.get(item, "path").unwrap_or(item);
            paths.extend(list(tree, path));
        }
    }
    if let Some(services) = tree.get(root, "services") {
        for service in tree.entries(services) {
            paths.extend(tree.get(service.value, "extends").and_then(|e| tree.get(e, "file")));
        }
    }
    let mut out: Vec<Spanned<String>> = paths
        .into_iter()
        .filter_map(|node| text(tree, node))
        .filter(|t| t.known && !t.value.is_empty())
        .map(|t| t.spanned())
        .collect();
    out.sort_by(|a, b| a.value.cmp(&b.value));
    out.dedup_by(|a, b| a.value == b.value);
    out
}

#[cfg(test)]
mod tests {
    fn references(yaml: &str) -> Vec<String> {
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let root = tree.documents[0].root.unwrap();
        super::references(&tree, root).into_iter().map(|s| s.value).collect()
    }

    #[test]
    fn includes_in_every_syntax() {
        let yaml = "include:\n  - infra/db.yml\n  - path: ../common/compose.yaml\n    project_directory: ..\n  - path:\n      - base.yml\n      - ${OVERRIDE:-override.yml}\n  - ${UNKNOWN}\n";
        assert_eq!(references(yaml), ["../common/compose.yaml", "base.yml", "infra/db.yml", "override.yml"]);
        assert_eq!(references("include: one.yml\n"), ["one.yml"]);
    }

    #[test]
    fn extends_from_other_files() {
        let yaml = "services:\n  a:\n    extends:\n      file: common.yml\n      service: base\n  b:\n    extends: {file: common.yml, service: other}\n  c:\n    extends: a\n";
        assert_eq!(references(yaml), ["common.yml"]);
    }
}
