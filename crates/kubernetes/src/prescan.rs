//! Telling from a manifest's text alone that it holds no project facts, so the run-wide pass need not parse
//! it (it is parsed when linted). Most manifest bytes in real repositories are CustomResourceDefinitions:
//! operators' install files and CRD bundles, hundreds of kilobytes each, none of which runs a pod, binds a
//! role or names an account.

use crate::WorkloadKinds;

const CRD_KIND: &str = "CustomResourceDefinition";
const CRD_GROUP: &str = "apiextensions.k8s.io/";

/// Whether every document of `text` is, by its plain block-style top-level keys, a CustomResourceDefinition
/// of `apiextensions.k8s.io`. Conservative: anything this line scan cannot vouch for (flow style, a
/// document on the `---` line, a repeated or missing `kind`, another kind, a configured workload kind
/// named like the CRD kind) answers `false`, and the file is parsed as usual.
///
/// A line starting in column 0 of a block-style document is a top-level key: a nested value, a block scalar's
/// or a multi-line scalar's text must be indented (a document that is itself a block scalar is rejected
/// at its `---` line).
pub fn holds_no_facts(text: &str, kinds: &WorkloadKinds) -> bool {
    if kinds.names_kind(CRD_KIND) {
        return false;
    }
    let mut document = Document::default();
    let mut documents = 0;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---").or_else(|| line.strip_prefix("...")) {
            let rest = rest.trim_start_matches([' ', '\t']);
            if !(rest.is_empty() || rest.starts_with('#')) || line.len() > 3 && rest.len() == line.len() - 3 {
                // Content on the marker line (`--- |`, `---{`), or a key such as `----:`.
                return false;
            }
            if !document.is_crd() {
                return false;
            }
            documents += usize::from(document.has_content);
            document = Document::default();
            continue;
        }
        let Some(first) = line.bytes().next() else { continue };
        match first {
            b'#' | b'%' => {}
            b' ' | b'\t' => document.has_content |= !line.trim().is_empty(),
            _ => {
                document.has_content = true;
                if let Some(value) = line.strip_prefix("kind:") {
                    document.kinds += 1;
                    document.kind_is_crd = scalar(value) == Some(CRD_KIND);
                } else if let Some(value) = line.strip_prefix("apiVersion:") {
                    document.versions += 1;
                    document.version_is_crd = scalar(value).is_some_and(|v| v.starts_with(CRD_GROUP));
                } else if !plain_key(line) {
                    return false;
                }
            }
        }
    }
    documents += usize::from(document.has_content);
    document.is_crd() && documents > 0
}

#[derive(Default)]
struct Document {
    has_content: bool,
    kinds: usize,
    kind_is_crd: bool,
    versions: usize,
    version_is_crd: bool,
}

impl Document {
    /// Empty (comments only), or exactly one CRD `kind` and one `apiextensions.k8s.io` `apiVersion`.
    fn is_crd(&self) -> bool {
        !self.has_content
            || (self.kinds == 1 && self.kind_is_crd && self.versions == 1 && self.version_is_crd)
    }
}

/// A plain scalar value after `key:`, without a trailing comment or quotes.
fn scalar(value: &str) -> Option<&str> {
    if !value.is_empty() && !value.starts_with([' ', '\t']) {
        return None;
    }
    let value = value.split(" #").next().unwrap_or(value).trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Some(unquoted)
}

/// `metadata:`, `spec: {...}`, `status:`: a plain word key followed by `:` and a blank or the end. Anything
/// else in column 0 (a sequence, flow collection, anchor, tag, quoted or complex key) is not vouched for.
fn plain_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else { return false };
    !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && key.as_bytes()[0].is_ascii_alphabetic()
        && (rest.is_empty() || rest.starts_with([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::holds_no_facts;
    use crate::WorkloadKinds;

    const CRD: &str = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: \
                       things.example.com\nspec:\n  group: example.com\n  versions:\n  - name: v1\n    schema:\n      \
                       description: |\n        kind: Deployment\n";

    fn no_facts(text: &str) -> bool {
        holds_no_facts(text, &WorkloadKinds::default())
    }

    #[test]
    fn crd_files_are_recognised() {
        assert!(no_facts(CRD));
        assert!(no_facts(&format!("# bundle\n---\n{CRD}---\n# comment only\n---\n{CRD}...\n")));
        assert!(no_facts(&CRD.replace('\n', "\r\n")));
        assert!(no_facts(
            &CRD.replace("kind: CustomResourceDefinition", "kind: \"CustomResourceDefinition\" # x")
        ));
    }

    #[test]
    fn anything_else_is_parsed() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n";
        assert!(!no_facts(deployment));
        assert!(!no_facts(&format!("{CRD}---\n{deployment}")));
        assert!(!no_facts(""), "an empty file is cheap to parse and has nothing to skip");
        assert!(!no_facts("# only comments\n"));
        // The kind, repeated, missing, or of another group.
        assert!(!no_facts(&format!("{CRD}kind: Deployment\n")));
        assert!(!no_facts(&CRD.replace("kind: CustomResourceDefinition\n", "")));
        assert!(!no_facts(&CRD.replace("apiextensions.k8s.io/v1", "example.com/v1")));
        assert!(!no_facts(&CRD.replace("kind: CustomResourceDefinition", "kind:CustomResourceDefinition")));
        // Styles a line scan cannot read.
        assert!(!no_facts(&format!("--- |\n{CRD}")));
        assert!(!no_facts(&format!("{CRD}<<: *base\n")));
        assert!(!no_facts(&format!("{CRD}? complex\n")));
        assert!(!no_facts(&format!("{CRD}- item\n")));
        assert!(!no_facts(
            "{\"apiVersion\": \"apiextensions.k8s.io/v1\", \"kind\": \"CustomResourceDefinition\"}"
        ));
        assert!(!no_facts(&format!("{CRD}\"quoted\": 1\n")));
    }

    #[test]
    fn a_workload_kind_named_like_the_crd_kind_is_parsed() {
        let mut kinds = WorkloadKinds::default();
        kinds.add("CustomResourceDefinition=spec.template.spec").unwrap();
        assert!(!holds_no_facts(CRD, &kinds));
    }
}
