//! SARIF 2.1.0, shaped for GitHub code scanning (and readable by any SARIF viewer):
//!
//! - One log with one run (GitHub rejects several runs of one tool in an upload), `results: []` when clean.
//! - `tool.driver.rules` lists every rule the run enabled (plus any rule that reported), sorted by code:
//!   `id`, `name`, `shortDescription` (the one-line summary), `fullDescription` (the "What it does"
//!   section), `helpUri` (the rule's page under `docs/rules/`), `help.text` and `help.markdown` (the rule's
//!   documentation), `defaultConfiguration.level`, and `properties.tags` (`security` for the security
//!   families, the family, the file formats) and
//!   `properties."security-severity"` — a string, as GitHub requires: "8.0" (high) for rules that default to
//!   error, "5.5" (medium) for warning, "2.0" (low) for info. The hygiene (`DF`) and syntax (`SYN`) families
//!   are not security findings: they carry neither the `security` tag nor a security severity.
//! - Each result has `ruleId`, `ruleIndex`, `level` (the finding's effective severity: `error`, `warning` or
//!   `note`), `message.text` (the message, then the help after a blank line; control and bidi characters
//!   quoted from linted files made visible by [`crate::printable`]), one location with a full
//!   region (1-based `startLine`, `startColumn`, `endLine`, `endColumn`, the end exclusive; columns count
//!   Unicode code points, declared by the run's `columnKind`), the finding's labels as `relatedLocations`,
//!   and `partialFingerprints` with the line-independent [`crate::fingerprint`] under `plimsoll/v1` and
//!   under `primaryLocationLineHash` (the one GitHub reads, which the REST API does not compute for us).
//! - `artifactLocation.uri` is the path relative to the project root (see [`crate::Report::with_root`]),
//!   `/`-separated and percent-encoded (RFC 3986), with `uriBaseId` `%SRCROOT%`; an absolute path outside
//!   the root becomes a `file://` URI.
//!
//! Pretty-printed, ending with a newline. Nothing in it depends on the clock or the machine.

use std::io::{self, Write};
use std::path::PathBuf;

use plimsoll_diagnostic::{Family, RuleMeta, Severity};
use serde::Serialize;

use crate::json_array::JsonArray;
use crate::location::{Region, ReportPath, report_path};
use crate::{FileFindings, printable};

/// The schema GitHub's documentation names for SARIF 2.1.0.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub truncates longer `shortDescription` and `fullDescription` texts.
const DESCRIPTION_LIMIT: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    /// Always empty when serialised: [`Stream`] writes the results one by one.
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    /// The rule's documentation page ([`RuleMeta::docs_url`]); GitHub links the alert's rule to it.
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "plimsoll/v1")]
    plimsoll: String,
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Whether findings of the family are security findings (GitHub lists those under "Security").
fn is_security(family: Family) -> bool {
    !matches!(family, Family::Df | Family::Syn)
}

/// GitHub's bands: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.5",
        Severity::Info => "2.0",
    }
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let documentation = meta.documentation();
    let mut tags = Vec::new();
    if is_security(meta.family) {
        tags.push("security");
    }
    tags.push(meta.family.prefix());
    tags.extend(meta.formats.iter().map(|format| format.as_str()));
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text { text: truncate(meta.summary()) },
        full_description: Text { text: truncate(what_it_does(&documentation)) },
        help_uri: meta.docs_url(),
        help: Help { text: documentation.clone(), markdown: documentation },
        default_configuration: Configuration { level: level(meta.severity) },
        properties: RuleProperties {
            tags,
            security_severity: is_security(meta.family).then(|| security_severity(meta.severity)),
        },
    }
}

/// The "What it does" section as one paragraph (the whole documentation if it has no such section).
fn what_it_does(documentation: &str) -> String {
    let body = documentation.split("## What it does").nth(1).unwrap_or(documentation);
    let section = body.split("\n#").next().unwrap_or(body);
    section.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: String) -> String {
    if text.chars().count() <= DESCRIPTION_LIMIT {
        return text;
    }
    let mut short: String = text.chars().take(DESCRIPTION_LIMIT - 1).collect();
    short.push('…');
    short
}

fn artifact_location(path: &ReportPath) -> ArtifactLocation {
    if path.relative {
        return ArtifactLocation { uri: percent_encode(&path.text, false), uri_base_id: Some("%SRCROOT%") };
    }
    // `/abs/path` → `file:///abs/path`; `C:/abs` → `file:///C:/abs`.
    let slash = if path.text.starts_with('/') { "" } else { "/" };
    ArtifactLocation { uri: format!("file://{slash}{}", percent_encode(&path.text, true)), uri_base_id: None }
}

/// Percent-encodes a `/`-separated path for a URI (RFC 3986 `pchar`s and `/` stay). A relative reference's
/// first segment must not contain `:` (it would read as a scheme), so `:` is encoded unless `drive` allows
/// it in an absolute Windows path.
fn percent_encode(path: &str, drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep =
            byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) || (byte == b':' && drive);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn region(file: &FileFindings<'_>, range: plimsoll_span::TextRange) -> SarifRegion {
    let region = Region::of(file, range);
    SarifRegion {
        start_line: region.start_line,
        start_column: region.start_column,
        end_line: region.end_line,
        end_column: region.end_column,
    }
}

/// The log's writer: the driver and its rules first, then one element of the run's `results` per finding.
pub(crate) struct Stream {
    results: JsonArray,
    /// Sorted by code: a result's `ruleIndex` is its rule's place here.
    rules: Vec<&'static RuleMeta>,
    root: Option<PathBuf>,
}

impl Stream {
    /// `rules` are described in the driver, sorted by code and without duplicates.
    pub fn new(rules: Vec<&'static RuleMeta>, root: Option<PathBuf>) -> Stream {
        let version = env!("CARGO_PKG_VERSION");
        let driver = Driver {
            name: "plimsoll",
            information_uri: env!("CARGO_PKG_REPOSITORY"),
            version,
            semantic_version: version,
            rules: rules.iter().copied().map(rule).collect(),
        };
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run { tool: Tool { driver }, column_kind: "unicodeCodePoints", results: Vec::new() }],
        };
        let empty = serde_json::to_string_pretty(&log).expect("the log serialises");
        Stream { results: JsonArray::new(empty, "\"results\": []"), rules, root }
    }

    pub fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        self.results.begin(out)
    }

    pub fn file(&mut self, out: &mut dyn Write, file: &FileFindings<'_>) -> io::Result<()> {
        let path = report_path(file.path(), self.root.as_deref());
        let artifact = &artifact_location(&path);
        // Fingerprinted on the project-relative path, so `./x`, `x` and `/repo/x` keep their alerts.
        for (diagnostic, fingerprint) in file.fingerprints_at(&path.text) {
            let mut text = printable(&diagnostic.message).into_owned();
            if let Some(help) = &diagnostic.help {
                text.push_str("\n\n");
                text.push_str(&printable(help));
            }
            let related = diagnostic.labels.iter().enumerate().map(|(id, label)| Location {
                id: Some(id),
                physical_location: PhysicalLocation {
                    artifact_location: artifact,
                    region: region(file, label.range),
                },
                message: Some(Text { text: printable(&label.message).into_owned() }),
            });
            let fingerprint = fingerprint.to_string();
            let result = SarifResult {
                rule_id: diagnostic.rule.code,
                // A rule the preamble did not announce (only possible when streaming) is named by id alone.
                rule_index: self.rules.binary_search_by_key(&diagnostic.rule.code, |rule| rule.code).ok(),
                level: level(diagnostic.severity),
                message: Text { text },
                locations: [Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region: region(file, diagnostic.range),
                    },
                    message: None,
                }],
                related_locations: related.collect(),
                partial_fingerprints: Fingerprints {
                    plimsoll: fingerprint.clone(),
                    primary_location_line_hash: fingerprint,
                },
            };
            self.results.element(out, &result)?;
        }
        Ok(())
    }

    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        self.results.finish(out)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests;
