//! `plimsoll rules`: every rule, as an aligned table or as JSON for tools.

use std::io::{self, Write};

use plimsoll_diagnostic::RuleMeta;
use serde::Serialize;

use crate::args::{ListFormatArg, RulesArgs};
use crate::exit::Exit;
use crate::notes;

/// Bumped on any incompatible change to the JSON listing.
const JSON_VERSION: u32 = 1;

pub fn run(args: &RulesArgs) -> Exit {
    let mut rules: Vec<&'static RuleMeta> = plimsoll_rules::all().iter().map(|rule| &rule.meta).collect();
    rules.sort_by_key(|rule| rule.code);
    let text = match args.format {
        ListFormatArg::Text => table(&rules),
        ListFormatArg::Json => json(&rules),
    };
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            notes::error(format_args!("cannot write the rule list: {}", notes::io_message(&err)));
            Exit::Error
        }
        _ => Exit::Clean,
    }
}

fn formats(rule: &RuleMeta) -> Vec<&'static str> {
    rule.formats.iter().map(|format| format.as_str()).collect()
}

/// Columns padded to their widest cell; the summary, last, is not padded so lines carry no trailing spaces.
fn table(rules: &[&'static RuleMeta]) -> String {
    let header = ["CODE", "NAME", "SEVERITY", "FORMATS", "SUMMARY"].map(String::from);
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|rule| {
            let severity = if rule.default_enabled {
                rule.severity.to_string()
            } else {
                format!("{} (off)", rule.severity)
            };
            [rule.code.to_string(), rule.name.to_string(), severity, formats(rule).join(","), rule.summary()]
        })
        .collect();
    let mut widths = [0; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter().zip(row) {
            out.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(&row[4]);
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct Listing {
    version: u32,
    rules: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    code: &'static str,
    name: &'static str,
    family: &'static str,
    severity: &'static str,
    default_enabled: bool,
    formats: Vec<&'static str>,
    aliases: &'static [&'static str],
    summary: String,
}

fn json(rules: &[&'static RuleMeta]) -> String {
    let rules = rules
        .iter()
        .map(|rule| Entry {
            code: rule.code,
            name: rule.name,
            family: rule.family.prefix(),
            severity: rule.severity.as_str(),
            default_enabled: rule.default_enabled,
            formats: formats(rule),
            aliases: rule.aliases,
            summary: rule.summary(),
        })
        .collect();
    let listing = Listing { version: JSON_VERSION, rules };
    // Serializing plain strings, numbers and lists cannot fail.
    serde_json::to_string_pretty(&listing).unwrap_or_default() + "\n"
}
