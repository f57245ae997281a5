//! SARIF documents checked three ways: golden files, the SARIF 2.1.0 JSON schema
//! (`tests/sarif-schema-2.1.0.json`, see `tests/README.md`), and the requirements GitHub code scanning adds
//! that the schema does not express.

use serde_json::Value;

use super::percent_encode;
use crate::test_support::{
    ERROR_RULE, INFO_RULE, SECURITY_RULE, WARNING_RULE, assert_golden, diag, files, hostile_cases,
};
use crate::{FileFindings, OutputFormat, RenderOptions, Report};

fn render(report: Report<'_>) -> String {
    let mut out = Vec::new();
    report
        .write(&mut out, OutputFormat::Sarif, RenderOptions::default())
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("SARIF is UTF-8")
}

/// The golden files do not change with each release.
fn without_version(sarif: &str) -> String {
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION"));
    sarif.replace(&version, "\"VERSION\"")
}

fn enabled_rules() -> Vec<&'static plimsoll_diagnostic::RuleMeta> {
    vec![&SECURITY_RULE, &WARNING_RULE, &INFO_RULE, &ERROR_RULE]
}

/// The schema violations of `log` (empty when valid). The schema is draft-04; boon checks its formats too.
fn schema_errors(log: &Value) -> Vec<String> {
    // rtm.5's `run.language` pattern has a stray `]`; the checked-in file stays as published and the
    // pattern is corrected here (plimsoll writes no `language`).
    let text = include_str!("../../tests/sarif-schema-2.1.0.json")
        .replace(r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource("urn:plimsoll:sarif-schema-2.1.0", schema).expect("the schema loads");
    let index =
        compiler.compile("urn:plimsoll:sarif-schema-2.1.0", &mut schemas).expect("the SARIF schema compiles");
    match schemas.validate(log, index) {
        Ok(()) => Vec::new(),
        Err(error) => vec![format!("{error:#}")],
    }
}

/// Validates against the schema and checks GitHub's own requirements; returns the parsed document.
fn check(sarif: &str) -> Value {
    let log: Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let errors = schema_errors(&log);
    assert!(errors.is_empty(), "schema violations:\n{}\n{sarif}", errors.join("\n"));
    assert_github_requirements(&log);
    log
}

/// What GitHub's SARIF upload rejects or mishandles although the schema allows it.
fn assert_github_requirements(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some_and(|s| s.starts_with("https://")));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run per upload");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "plimsoll");
    assert!(driver["version"].is_string() && driver["semanticVersion"].is_string());
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = driver["rules"].as_array().expect("rules");
    for rule in rules {
        let id = rule["id"].as_str().expect("rule id");
        for key in ["shortDescription", "fullDescription"] {
            let text = rule[key]["text"].as_str().unwrap_or_default();
            assert!(!text.is_empty() && text.chars().count() <= 1024, "{key} of {id}: {text:?}");
        }
        let help_uri = rule["helpUri"].as_str().unwrap_or_default();
        assert!(help_uri.starts_with("https://") && help_uri.ends_with(&format!("/{id}.md")), "{help_uri}");
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()), "help of {id}");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|t| t.contains("## What it does")));
        assert!(
            ["note", "warning", "error"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(rule["name"].as_str().is_some_and(|n| n.len() <= 255));
        let properties = &rule["properties"];
        assert!(properties["tags"].as_array().is_some_and(|tags| tags.iter().all(Value::is_string)));
        if let Some(severity) = properties.get("security-severity") {
            let text = severity.as_str().unwrap_or_else(|| panic!("security-severity of {id} is a string"));
            let score: f64 = text.parse().expect("security-severity is a number in a string");
            assert!((0.1..=10.0).contains(&score), "{id}: {score}");
        }
    }
    let mut ids: Vec<&str> = rules.iter().map(|rule| rule["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "rule ids are unique");
    let results = run["results"].as_array().expect("`results` is present even when empty");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
        assert!(["note", "warning", "error"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let related = result.get("relatedLocations").and_then(Value::as_array).cloned().unwrap_or_default();
        for location in locations.iter().chain(&related) {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(!uri.contains('\\') && !uri.starts_with("./") && !uri.contains(' '), "{uri}");
            if !uri.starts_with("file://") {
                assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            }
            let region = &physical["region"];
            let number = |key: &str| region[key].as_u64().unwrap_or_else(|| panic!("{key} in {region}"));
            let (start, end) =
                ((number("startLine"), number("startColumn")), (number("endLine"), number("endColumn")));
            assert!(start.0 >= 1 && start.1 >= 1 && end.1 >= 1, "1-based: {region}");
            assert!(end >= start, "the region does not end before it starts: {region}");
        }
        let hash = result["partialFingerprints"]["primaryLocationLineHash"].as_str().expect("fingerprint");
        assert_eq!(hash.len(), 32);
        assert_eq!(result["partialFingerprints"]["plimsoll/v1"].as_str(), Some(hash));
    }
    let mut prints: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap())
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), results.len(), "fingerprints are unique per finding");
}

#[test]
fn hostile_findings_make_a_valid_document() {
    let cases = hostile_cases();
    let report = Report::new(files(&cases), 3).with_rules(enabled_rules()).with_root("/work/repo");
    let sarif = render(report);
    let log = check(&sarif);
    assert_golden("sarif_report.sarif", &without_version(&sarif));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&"app/Dockerfile"), "`./` is dropped: {uris:?}");
    assert!(uris.contains(&"deploy/a,b%3Ac%20%C3%A9%20%23%25%22%3C&%3E'.yaml"), "{uris:?}");
}

#[test]
fn a_clean_run_lists_every_rule_and_no_result() {
    let sarif = render(Report::new(Vec::new(), 7).with_rules(enabled_rules()));
    let log = check(&sarif);
    assert_golden("sarif_empty.sarif", &without_version(&sarif));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|rule| rule["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["TST001", "TST002", "TST003", "TST004"], "sorted by code");
    let security = &rules[3];
    assert_eq!(security["properties"]["security-severity"], "5.5");
    assert_eq!(
        security["properties"]["tags"],
        serde_json::json!(["security", "ISO", "dockerfile", "compose"])
    );
    assert_eq!(security["shortDescription"]["text"], "Checks that containers do not run as root.");
    assert_eq!(
        security["fullDescription"]["text"],
        "Checks that containers do not run as root. Other sentences follow."
    );
    assert!(
        rules[0]["properties"].get("security-severity").is_none(),
        "hygiene rules are not security findings"
    );
}

#[test]
fn rules_that_report_are_described_even_when_not_listed() {
    let diagnostics = vec![diag(&ERROR_RULE, 0, 4, "x")];
    let sarif = render(Report::new(vec![FileFindings::new("Dockerfile", "FROM x", &diagnostics)], 1));
    let log = check(&sarif);
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["id"], "TST003");
    assert_eq!(log["runs"][0]["results"][0]["ruleIndex"], 0);
}

#[test]
fn absolute_paths_are_made_relative_to_the_root_or_become_file_uris() {
    let diagnostics = vec![diag(&WARNING_RULE, 0, 4, "x")];
    let inside = FileFindings::new("/work/repo/sub dir/Dockerfile", "FROM x", &diagnostics);
    let outside = FileFindings::new("/elsewhere/Dockerfile", "FROM x", &diagnostics);
    let log = check(&render(Report::new(vec![inside, outside], 2).with_root("/work/repo")));
    let location = |i: usize| {
        log["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"].clone()
    };
    assert_eq!(location(0), serde_json::json!({ "uri": "file:///elsewhere/Dockerfile" }));
    assert_eq!(location(1), serde_json::json!({ "uri": "sub%20dir/Dockerfile", "uriBaseId": "%SRCROOT%" }));
}

#[test]
fn the_bytes_do_not_depend_on_input_order() {
    let cases = hostile_cases();
    let mut reversed = files(&cases);
    reversed.reverse();
    let one = render(Report::new(files(&cases), 3).with_rules(enabled_rules()));
    let mut rules = enabled_rules();
    rules.reverse();
    let two = render(Report::new(reversed, 3).with_rules(rules));
    assert_eq!(one, two);
}

#[test]
fn the_schema_check_can_fail() {
    // Guards the guard: a document GitHub would reject must not pass `check`'s schema half.
    let broken = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "x" } },
        "results": [{ "message": { "text": "m" }, "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": "a" }, "region": { "startLine": 0 } } }] }] }] });
    assert!(!schema_errors(&broken).is_empty(), "startLine 0 violates the schema");
    let bad_level = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "x" } },
        "results": [{ "message": { "text": "m" }, "level": "fatal" }] }] });
    assert!(!schema_errors(&bad_level).is_empty(), "unknown level violates the schema");
    let bad_uri = serde_json::json!({ "$schema": "not a uri", "version": "2.1.0", "runs": [] });
    assert!(!schema_errors(&bad_uri).is_empty(), "formats are checked");
}

#[test]
fn uris_are_percent_encoded() {
    assert_eq!(percent_encode("a b/é#?%[x]:y", false), "a%20b/%C3%A9%23%3F%25%5Bx%5D%3Ay");
    assert_eq!(percent_encode("C:/x y", true), "C:/x%20y");
    assert_eq!(percent_encode("keep-._~!$&'()*+,;=@", false), "keep-._~!$&'()*+,;=@");
}
