//! How rule metadata is spelled in the generated Markdown: the README's rule table and the pages under
//! `docs/rules/` use these, so a rule reads the same wherever it is listed.

use plimsoll_diagnostic::RuleMeta;

/// The default severity, marked `(opt-in)` for a rule that runs only when selected.
pub fn severity_label(meta: &RuleMeta) -> String {
    if meta.default_enabled { meta.severity.to_string() } else { format!("{} (opt-in)", meta.severity) }
}

/// The peer ids as inline code. KICS query ids are long UUIDs; their first block identifies them (and
/// selects the rule, like the whole id).
pub fn peer_ids(meta: &RuleMeta) -> Vec<String> {
    meta.aliases
        .iter()
        .map(|alias| {
            if alias.len() == 36 && alias.matches('-').count() == 4 {
                format!("`{}…`", &alias[..8])
            } else {
                format!("`{alias}`")
            }
        })
        .collect()
}

/// The one-line summary, safe inside a Markdown table cell.
pub fn summary_cell(meta: &RuleMeta) -> String {
    meta.summary().replace('|', "\\|")
}
