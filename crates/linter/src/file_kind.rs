//! Which front end reads a file: from its name, else from its content.

use std::path::Path;

use plimsoll_diagnostic::Format;

/// Extensions that mark a file named like a Dockerfile as something else: a generator template, a
/// `.dockerignore`, a backup or documentation.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "dockerignore",
    "j2",
    "jinja",
    "jinja2",
    "tmpl",
    "tpl",
    "template",
    "erb",
    "mustache",
    "hbs",
    "ejs",
    "in",
    "orig",
    "bak",
    "swp",
    "rej",
    "md",
    "txt",
    "rst",
    "adoc",
    "json",
    "yaml",
    "yml",
    "toml",
    "sh",
    "ps1",
    "py",
    "go",
    "rs",
    "js",
    "ts",
    "lock",
    "patch",
    "diff",
    "html",
];

/// The kind a file name implies, if any.
///
/// Dockerfiles: `Dockerfile`, `Containerfile`, `Dockerfile.<x>`, `Dockerfile-<x>`, `Dockerfile_<x>`,
/// `<x>.dockerfile`, `<x>.Containerfile` (any case), but not templates (`Dockerfile.j2`) or
/// `Dockerfile.dockerignore`. Compose: `compose.yaml`, `docker-compose.yml`, and overrides such as
/// `docker-compose.prod.yml`, `compose.override.yaml`. YAML and JSON files need their content.
pub fn kind_from_name(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if is_dockerfile_name(&name) {
        return Some(Format::Dockerfile);
    }
    if is_compose_name(&name) {
        return Some(Format::Compose);
    }
    None
}

fn is_dockerfile_name(name: &str) -> bool {
    if name == "dockerfile" || name == "containerfile" {
        return true;
    }
    let extension = name.rsplit_once('.').map(|(_, ext)| ext);
    if extension.is_some_and(|ext| NOT_DOCKERFILE_EXTENSIONS.contains(&ext)) {
        return false;
    }
    let stem_named = ["dockerfile", "containerfile"].iter().any(|base| {
        name.strip_prefix(base).is_some_and(|rest| rest.starts_with(['.', '-', '_']) && rest.len() > 1)
    });
    stem_named || name.ends_with(".dockerfile") || name.ends_with(".containerfile")
}

fn is_compose_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")) else { return false };
    let rest = stem.strip_prefix("docker-").unwrap_or(stem);
    rest == "compose" || rest.strip_prefix("compose").is_some_and(|r| r.starts_with(['.', '-', '_']))
}

/// Whether a file is named like YAML or JSON: the files whose kind only their content tells (Kubernetes
/// manifests, IAM policies, Compose files with other names).
pub fn is_yaml_or_json(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("yaml" | "yml" | "json"))
}

/// The kind a file's content shows, for files whose name says nothing (an extension-less file named on
/// the command line, a `.yaml` file). Cheap line-level sniffing; the front ends do the real parsing.
pub fn kind_from_content(text: &str) -> Option<Format> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.as_bytes().contains(&0) {
        return None;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        if trimmed.contains("\"apiVersion\"") && trimmed.contains("\"kind\"") {
            return Some(Format::Kubernetes);
        }
        return looks_like_iam(trimmed).then_some(Format::Iam);
    }
    if looks_like_dockerfile(text) {
        return Some(Format::Dockerfile);
    }
    // One pass over the top-level keys: manifests run to megabytes.
    let (mut services, mut api_version, mut kind, mut statement, mut version) =
        (false, false, false, false, false);
    let top_level_keys = text
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, _)| k.trim());
    for key in top_level_keys {
        match key {
            "services" => services = true,
            "apiVersion" => api_version = true,
            "kind" => kind = true,
            "Statement" => statement = true,
            "Version" => version = true,
            _ => {}
        }
    }
    if services {
        return Some(Format::Compose);
    }
    if api_version && kind {
        return Some(Format::Kubernetes);
    }
    // A policy written in YAML (CloudFormation snippets, policy-as-code repositories).
    if statement && (version || text.contains("Effect:")) {
        return Some(Format::Iam);
    }
    None
}

fn looks_like_iam(json: &str) -> bool {
    json.contains("\"Statement\"") && (json.contains("\"Effect\"") || json.contains("\"Version\""))
}

/// The first instruction is `FROM` or `ARG`, and a `FROM` exists.
fn looks_like_dockerfile(text: &str) -> bool {
    let mut instructions = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().next().unwrap_or("").to_ascii_uppercase());
    match instructions.next().as_deref() {
        Some("FROM") => true,
        Some("ARG") => instructions.take(200).any(|w| w == "FROM"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Option<Format> {
        kind_from_name(Path::new(name))
    }

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "Dockerfile-alpine",
            "Dockerfile_prod",
            "app.dockerfile",
            "x.Dockerfile",
            "build.containerfile",
            "dir/Dockerfile.arm64v8",
        ] {
            assert_eq!(named(name), Some(Format::Dockerfile), "{name}");
        }
        for name in [
            "Dockerfile.dockerignore",
            "Dockerfile.j2",
            "Dockerfile.template",
            "Dockerfile.md",
            "Dockerfiles",
            "Dockerfile.",
            "README",
        ] {
            assert_eq!(named(name), None, "{name}");
        }
    }

    #[test]
    fn compose_names() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.prod.yml",
            "compose.override.yaml",
            "docker-compose-dev.yaml",
        ] {
            assert_eq!(named(name), Some(Format::Compose), "{name}");
        }
        for name in ["composer.yaml", "my-compose.yml", "compose.json"] {
            assert_eq!(named(name), None, "{name}");
        }
    }

    #[test]
    fn content_sniffing() {
        assert_eq!(
            kind_from_content("# syntax=docker/dockerfile:1\nFROM alpine\nRUN x\n"),
            Some(Format::Dockerfile)
        );
        assert_eq!(kind_from_content("ARG V=1\nfrom alpine:$V\n"), Some(Format::Dockerfile));
        assert_eq!(kind_from_content("services:\n  web:\n    image: nginx\n"), Some(Format::Compose));
        assert_eq!(kind_from_content("apiVersion: v1\nkind: Pod\n"), Some(Format::Kubernetes));
        assert_eq!(
            kind_from_content("Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: '*'\n"),
            Some(Format::Iam)
        );
        assert_eq!(kind_from_content("Statement: the minutes\nauthor: x\n"), None);
        assert_eq!(
            kind_from_content("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}"),
            Some(Format::Kubernetes)
        );
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}"#;
        assert_eq!(kind_from_content(policy), Some(Format::Iam));
        assert_eq!(kind_from_content(r#"{"name": "x"}"#), None);
        assert_eq!(kind_from_content("hello world\n"), None);
        assert_eq!(kind_from_content("FROM a\0b"), None);
    }
}
