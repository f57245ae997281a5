//! The `## Example` blocks of every rule's documentation are executed: a block tagged `bad` must make the
//! rule fire, a block tagged `good` must not. Blocks are fenced with the format and the tag, for example
//! ```` ```dockerfile,bad ````. Rules that depend on configuration add it as tags:
//! `trusted-registry=<pattern>` (repeatable) sets `Settings::trusted_registries` for that block. A bad
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
    trusted_registries: Vec<String>,
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
            let trusted_registries =
                tags.iter().filter_map(|t| t.strip_prefix("trusted-registry=")).map(str::to_string).collect();
            let elided = bad && tags.contains(&"elided");
            out.push(Example { format, bad, elided, code: code.join("\n") + "\n", trusted_registries });
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
            let settings = Settings {
                trusted_registries: example.trusted_registries.clone(),
                ..crate::testing::settings()
            };
            let found = lint_with(rule, example.format, &example.code, settings);
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
