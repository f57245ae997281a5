//! Hover on a rule id (in a suppression comment, an annotation, a configuration list): the rule's
//! documentation.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use plimsoll_diagnostic::RuleMeta;
use plimsoll_span::TextRange;

use crate::convert::Text;

/// The hover for the word at `offset`, when it names a rule by code, name or peer id.
pub fn hover(text: &Text, offset: u32) -> Option<Hover> {
    let word = word_at(text.text, offset)?;
    let rule = plimsoll_rules::find(word.slice(text.text))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown(&rule.meta),
        }),
        range: Some(text.range(word)),
    })
}

fn markdown(rule: &RuleMeta) -> String {
    let aliases =
        if rule.aliases.is_empty() { String::new() } else { format!(" · also {}", rule.aliases.join(", ")) };
    format!(
        "**{code}** `{name}` · {severity}{aliases}\n\n{doc}\n\n[Documentation]({url})",
        code = rule.code,
        name = rule.name,
        severity = rule.severity,
        doc = rule.documentation().trim_end(),
        url = rule.docs_url(),
    )
}

/// The identifier-like word around `offset`: letters, digits, `-` and `_` (rule codes, names, `DL3002`,
/// `CKV_DOCKER_8`).
fn word_at(text: &str, offset: u32) -> Option<TextRange> {
    let offset = (offset as usize).min(text.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let start = text[..offset].rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    let end = text[offset..].find(|c: char| !is_word(c)).map_or(text.len(), |i| offset + i);
    (start < end && text.is_char_boundary(offset)).then(|| TextRange::from_usize(start, end))
}

#[cfg(test)]
mod tests {
    use plimsoll_span::LineIndex;

    use super::*;
    use crate::convert::Encoding;

    fn hover_at(text: &str, needle: &str) -> Option<Hover> {
        let index = LineIndex::new(text);
        let offset = text.find(needle).unwrap() as u32 + 1;
        hover(&Text { text, index: &index, encoding: Encoding::Utf16 }, offset)
    }

    #[test]
    fn a_rule_code_in_a_pragma_shows_the_rule_documentation() {
        let text = "# plimsoll: ignore[ISO001] build stage\nFROM alpine\n";
        let hover = hover_at(text, "ISO001").expect("a hover");
        let HoverContents::Markup(markup) = hover.contents else { panic!() };
        assert!(markup.value.starts_with("**ISO001** `container-runs-as-root`"), "{}", markup.value);
        assert!(markup.value.contains("## What it does"));
        assert_eq!(hover.range.map(|r| (r.start.character, r.end.character)), Some((19, 25)));
    }

    #[test]
    fn peer_ids_and_names_resolve_and_other_words_do_not() {
        assert!(hover_at("# hadolint ignore=DL3002\n", "DL3002").is_some());
        assert!(hover_at("# plimsoll: ignore[container-runs-as-root]\n", "container").is_some());
        assert!(hover_at("FROM alpine\n", "alpine").is_none());
    }
}
