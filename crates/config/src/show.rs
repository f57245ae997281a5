//! `plimsoll config show FILE`: the settings that apply to a file and where each came from.

use std::fmt::Write;

use plimsoll_diagnostic::RuleMeta;

use crate::keys::{KEYS, Kind};
use crate::layer::{Layer, Source};
use crate::resolve::{enabled_rules, severity_overrides};
use crate::resolver::Config;

/// The report, as lines of TOML with the origin of each value in a trailing comment.
pub fn render(file: &str, config: &Config, cli: &Layer, rules: &[&'static RuleMeta]) -> String {
    let mut layers: Vec<&Layer> = config.layers.iter().collect();
    layers.push(cli);
    let mut out = String::new();
    let _ = writeln!(out, "# Settings for {file}");
    let chain: Vec<String> = config.layers.iter().rev().map(describe).collect();
    match chain.as_slice() {
        [] => out.push_str("# No configuration file: the defaults apply.\n"),
        [only] => {
            let _ = writeln!(out, "# Configuration: {only}");
        }
        [first, rest @ ..] => {
            let _ = writeln!(out, "# Configuration: {first}, extending {}", rest.join(", extending "));
        }
    }
    let mut section = None;
    for key in KEYS {
        let (key_section, name) = key.split();
        if key.kind == Kind::Severities {
            continue;
        }
        if key_section != section {
            let _ = writeln!(out, "\n[{}]", key_section.unwrap_or_default());
            section = key_section;
        }
        let set: Vec<(&Layer, String, usize)> = layers
            .iter()
            .filter_map(|layer| {
                layer.get(key.name).map(|value| (*layer, value.to_toml(key.kind), value.line()))
            })
            .collect();
        if set.is_empty() {
            let _ = writeln!(out, "# {name}: default");
        }
        for (layer, value, line) in set {
            let _ = writeln!(out, "{name} = {value}  # {}", layer.origin(line));
        }
    }
    out.push_str("\n[severity]\n");
    let overrides = severity_overrides(&layers);
    if overrides.is_empty() {
        out.push_str("# default: each rule's own severity\n");
    }
    for (selector, severity, origin) in overrides {
        let selector = match selector {
            plimsoll_linter::RuleSelector::All => "ALL".to_string(),
            plimsoll_linter::RuleSelector::Family(family) => family.prefix().to_string(),
            plimsoll_linter::RuleSelector::Rule(id) => id,
        };
        let _ = writeln!(out, "{selector} = \"{}\"  # {origin}", severity.as_str());
    }
    let enabled = enabled_rules(&layers, rules);
    let _ = writeln!(out, "\n# Enabled rules ({}):", enabled.len());
    for rule in rules.iter().filter(|r| enabled.contains(r.code)) {
        let _ = writeln!(out, "#   {} {}", rule.code, rule.name);
    }
    out
}

fn describe(layer: &Layer) -> String {
    match &layer.source {
        Source::File(file) => file.clone(),
        Source::Hadolint(file) => format!("{file} (hadolint, for Dockerfiles)"),
        Source::CommandLine => "command line".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TempTree, rules};
    use crate::{Mode, Resolver};
    use plimsoll_diagnostic::Format;

    #[test]
    fn shows_values_with_their_origins() {
        let tree = TempTree::new(&[
            ("base.toml", "select = [\"ISO\"]\n[severity]\nISO = \"error\"\n"),
            ("team/plimsoll.toml", "extend = \"../base.toml\"\n\nignore = [\"ISO001\"]\n"),
        ]);
        let resolver = Resolver::new(Mode::Nearest, &rules()).unwrap();
        let config = resolver.for_file(&tree.path("team/Dockerfile"), Format::Dockerfile);
        let mut cli = Layer::new(Source::CommandLine, tree.path(""));
        cli.set("inline-ignores", crate::layer::Value::Bool(false, 0));
        let shown = render("team/Dockerfile", &config, &cli, &rules());
        assert!(shown.starts_with("# Settings for team/Dockerfile\n# Configuration: "), "{shown}");
        assert!(shown.contains("team/plimsoll.toml, extending "), "{shown}");
        assert!(shown.contains("select = [\"ISO\"]  # ") && shown.contains("base.toml:1\n"), "{shown}");
        assert!(
            shown.contains("ignore = [\"ISO001\"]  # ") && shown.contains("team/plimsoll.toml:3\n"),
            "{shown}"
        );
        assert!(shown.contains("inline-ignores = false  # command line\n"), "{shown}");
        assert!(shown.contains("# fail-on: default\n"), "{shown}");
        assert!(shown.contains("\n[severity]\nISO = \"error\"  # "), "{shown}");
        assert!(shown.contains("# Enabled rules (") && !shown.contains("#   ISO001 "), "{shown}");
        assert!(shown.contains("[images]\n# trusted-registries: default\n"), "{shown}");
    }
}
