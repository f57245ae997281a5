//! The `## Example` blocks of every rule's documentation are executed: a block tagged `bad` must make the
//! rule fire, a block tagged `good` must not. Blocks are fenced with the format and the tag, for example
//! ```` ```dockerfile,bad ````. Rules that depend on configuration add it as tags, each repeatable, each
//! adding one entry to a `Settings` list for that block: `trusted-registry=<pattern>`
//! (`trusted_registries`), `allowed-base-image=<pattern>` (`allowed_base_images`), `required-label=<key>`
//! (`required_labels`), `dangerous-capability=<name>` (`dangerous_capabilities`) and
//! `allowed-capability=<name>` (`allowed_capabilities`). An unknown `name=value` tag fails the test, so a
//! misspelt option cannot leave an example running without it. A bad
//! block tagged `elided` is shortened for the reader (a policy over a size quota) and is not executed; the
//! rule's own tests cover the full input.

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Linter, Settings};

use crate::testing::lint_with;

struct Example {
    format: Format,
    bad: bool,
    elided: bool,
    code: String,
    settings: Settings,
}

/// The settings an example's `name=value` tags configure, on top of the test settings.
fn settings_from_tags(info: &str, tags: &[&str]) -> Settings {
    let mut settings = crate::testing::settings();
    for tag in tags {
        let Some((name, value)) = tag.split_once('=') else { continue };
        let list = match name {
            "trusted-registry" => &mut settings.trusted_registries,
            "allowed-base-image" => &mut settings.allowed_base_images,
            "required-label" => &mut settings.required_labels,
            "dangerous-capability" => &mut settings.dangerous_capabilities,
            "allowed-capability" => &mut settings.allowed_capabilities,
            _ => panic!("example block `{info}`: unknown option tag `{name}`"),
        };
        list.push(value.to_string());
    }
    settings
}

fn examples(doc: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim().strip_prefix("```") else { continue };
        let mut tags = info.split(',').map(str::trim);
        let format = match tags.next() {
            Some("dockerfile") => Some(Format::Dockerfile),
            Some("compose") => Some(Format::Compose),
            Some("kubernetes" | "k8s") => Some(Format::Kubernetes),
            Some("iam") => Some(Format::Iam),
            _ => None,
        };
        let tags: Vec<&str> = tags.collect();
        let code: Vec<&str> = lines.by_ref().take_while(|l| !l.trim().starts_with("```")).collect();
        if let Some(format) = format {
            let bad = tags.contains(&"bad");
            assert!(bad || tags.contains(&"good"), "example block `{info}` must be tagged bad or good");
            let settings = settings_from_tags(info, &tags);
            let elided = bad && tags.contains(&"elided");
            out.push(Example { format, bad, elided, code: code.join("\n") + "\n", settings });
        }
    }
    out
}

#[test]
fn every_rule_documents_a_bad_and_a_good_example_that_behave_as_documented() {
    for rule in crate::all() {
        let doc = rule.meta.documentation();
        let examples = examples(&doc);
        // Checks on raw bytes (encoding, size) cannot show their bad input as text.
        let bytes_only = rule.checks.iter().all(|c| matches!(c, Check::Source(_)));
        for &format in rule.meta.formats {
            if !Linter::supports(format) {
                continue;
            }
            let of_format = || examples.iter().filter(move |e| e.format == format);
            assert!(
                bytes_only || of_format().any(|e| e.bad),
                "{}: no `{format},bad` example",
                rule.meta.code
            );
            assert!(of_format().any(|e| !e.bad), "{}: no `{format},good` example", rule.meta.code);
        }
        for example in &examples {
            if !Linter::supports(example.format) || example.elided {
                continue;
            }
            let found = lint_with(rule, example.format, &example.code, example.settings.clone());
            if example.bad {
                assert!(
                    !found.is_empty(),
                    "{}: the bad example does not fire:\n{}",
                    rule.meta.code,
                    example.code
                );
            } else {
                assert!(
                    found.is_empty(),
                    "{}: the good example fires ({}):\n{}",
                    rule.meta.code,
                    found[0].message,
                    example.code
                );
            }
        }
    }
}

mod tags {
    use super::*;

    #[test]
    fn option_tags_fill_their_settings_list() {
        let doc = "```dockerfile,bad,allowed-base-image=python:3.13-*,allowed-base-image=gcr.io/distroless/*,required-label=owner\nFROM x\n```\n\
                   ```compose,good,dangerous-capability=NET_RAW,allowed-capability=NET_ADMIN,trusted-registry=ghcr.io\nservices: {}\n```\n";
        let examples = examples(doc);
        assert_eq!(examples[0].settings.allowed_base_images, ["python:3.13-*", "gcr.io/distroless/*"]);
        assert_eq!(examples[0].settings.required_labels, ["owner"]);
        assert!(examples[0].settings.trusted_registries.is_empty());
        assert_eq!(examples[1].settings.dangerous_capabilities, ["NET_RAW"]);
        assert_eq!(examples[1].settings.allowed_capabilities, ["NET_ADMIN"]);
        assert_eq!(examples[1].settings.trusted_registries, ["ghcr.io"]);
    }

    #[test]
    #[should_panic(expected = "unknown option tag `allowed-base-images`")]
    fn a_misspelt_option_tag_fails() {
        examples("```dockerfile,good,allowed-base-images=python\nFROM python\n```\n");
    }
}
