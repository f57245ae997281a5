//! Inline suppressions end to end: plimsoll's own comments and the peers' pragmas, resolved through rule
//! aliases, against real rules.

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, Settings, SourceFile};

fn codes(text: &str) -> Vec<(&'static str, u32)> {
    codes_with(text, Settings::default())
}

fn codes_with(text: &str, settings: Settings) -> Vec<(&'static str, u32)> {
    let linter = Linter::new(plimsoll_rules::all(), settings);
    let index = plimsoll_span::LineIndex::new(text);
    linter
        .lint(&SourceFile::from_text(text), Format::Dockerfile)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "ISO004" || d.rule.code == "ISO001")
        .map(|d| (d.rule.code, index.line_col(text, d.range.start).line))
        .collect()
}

#[test]
fn plimsoll_comments_cover_the_next_instruction() {
    let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO004] bootstrap needs it\nRUN sudo a && \\\n    sudo b\nRUN sudo c\nUSER 1000\n";
    assert_eq!(codes(text), [("ISO004", 5)]);
}

#[test]
fn names_and_aliases_select_rules() {
    let by_name = "FROM alpine:3.20\n# plimsoll: ignore[sudo-in-run]\nRUN sudo a\nUSER 1000\n";
    assert_eq!(codes(by_name), []);
    let by_alias = "FROM alpine:3.20\n# plimsoll: ignore[DL3004]\nRUN sudo a\nUSER 1000\n";
    assert_eq!(codes(by_alias), []);
    let other = "FROM alpine:3.20\n# plimsoll: ignore[IMG001]\nRUN sudo a\nUSER 1000\n";
    assert_eq!(codes(other), [("ISO004", 3)]);
}

#[test]
fn a_comment_inside_a_continuation_covers_that_line() {
    let text = "FROM alpine:3.20\nRUN sudo a && \\\n    # plimsoll: ignore[ISO004]\n    sudo b\nUSER 1000\n";
    assert_eq!(codes(text), [("ISO004", 2)]);
}

#[test]
fn file_wide_suppressions() {
    let text = "# plimsoll: ignore-file[ISO004]\nFROM alpine:3.20\nRUN sudo a\nRUN sudo b\n";
    assert_eq!(codes(text), [("ISO001", 2)]);
    let hadolint = "FROM alpine:3.20\nRUN sudo a\n# hadolint global ignore=DL3004,DL3002\n";
    assert_eq!(codes(hadolint), []);
    let checkov = "FROM alpine:3.20\n#checkov:skip=CKV_DOCKER_3: runs as root on purpose\n";
    assert_eq!(codes(checkov), []);
    let buildkit = "# check=skip=SecretsUsedInArgOrEnv;error=true\nFROM alpine:3.20\nRUN sudo a\n";
    assert_eq!(codes(buildkit), [("ISO001", 2), ("ISO004", 3)], "unrelated BuildKit names suppress nothing");
}

#[test]
fn missing_settings_are_suppressed_at_their_anchor() {
    let text = "FROM golang:1.23 AS build\n# trivy:ignore:AVD-DS-0002\nFROM alpine:3.20\nRUN true\n";
    assert_eq!(codes(text), []);
}

#[test]
fn peers_next_line_pragmas() {
    let hadolint = "FROM alpine:3.20\n# hadolint ignore=DL3004 # reason\nRUN sudo a\nRUN sudo b\nUSER 1\n";
    assert_eq!(codes(hadolint), [("ISO004", 4)]);
    let kics = "FROM alpine:3.20\n# kics-scan ignore-line\nRUN sudo a\nUSER 1\n";
    assert_eq!(codes(kics), []);
}

#[test]
fn inline_ignores_can_be_turned_off() {
    let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO004]\nRUN sudo a\nUSER 1\n";
    let settings = Settings { inline_ignores: false, ..Settings::default() };
    assert_eq!(codes_with(text, settings), [("ISO004", 3)]);
}

fn compose_codes(text: &str) -> Vec<(&'static str, u32)> {
    let linter = Linter::new(plimsoll_rules::all(), Settings::default());
    let index = plimsoll_span::LineIndex::new(text);
    linter
        .lint(&SourceFile::from_text(text), Format::Compose)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "ISO011" || d.rule.code == "NET003")
        .map(|d| (d.rule.code, index.line_col(text, d.range.start).line))
        .collect()
}

#[test]
fn a_comment_above_a_key_covers_its_whole_value() {
    let text = "services:\n  # plimsoll: ignore[ISO011, NET003] the lab's packet capture\n  sniffer:\n    image: x:1\n    privileged: true\n    ports: [\"8080:80\"]\n  web:\n    image: x:1\n    privileged: true\n";
    assert_eq!(compose_codes(text), [("ISO011", 9)]);
}

#[test]
fn a_comment_above_a_list_item_covers_the_whole_item() {
    let text = "services:\n  web:\n    image: x:1\n    ports:\n      # plimsoll: ignore[NET003] the public entry point\n      - target: 443\n        published: 443\n      - target: 80\n        published: 8080\n";
    assert_eq!(compose_codes(text), [("NET003", 9)]);
    let nested = "services:\n  web:\n    image: x:1\n    ports:\n      # plimsoll: ignore[NET003]\n      - - ignored\n      - \"80:80\"\n";
    assert_eq!(compose_codes(nested), [("NET003", 7)]);
}

#[test]
fn trailing_comments_and_dclint_pragmas() {
    let text = "services:\n  web:\n    image: x:1\n    privileged: true # plimsoll: ignore[privileged-container]\n    ports:\n      - \"80:80\" # dclint disable-line no-unbound-port-interfaces\n      - \"443:443\"\n";
    assert_eq!(compose_codes(text), [("NET003", 7)]);
    let file = "# dclint disable-file\nservices:\n  web:\n    image: x:1\n    privileged: true\n";
    assert_eq!(compose_codes(file), []);
}

fn kubernetes_codes(text: &str) -> Vec<(&'static str, u32)> {
    let linter = Linter::new(plimsoll_rules::all(), Settings::default());
    let index = plimsoll_span::LineIndex::new(text);
    linter
        .lint(&SourceFile::from_text(text), Format::Kubernetes)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == "SYN006")
        .map(|d| (d.rule.code, index.line_col(text, d.range.start).line))
        .collect()
}

#[test]
fn kubernetes_annotations_cover_their_object() {
    let object = |annotations: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{annotations}spec:\n  replicas: 1\n  replicas: 2\n"
        )
    };
    assert_eq!(kubernetes_codes(&object("")), [("SYN006", 7)]);
    let ours = object("  annotations:\n    plimsoll.io/ignore: \"SYN006=generated, reviewed\"\n");
    assert_eq!(kubernetes_codes(&ours), []);
    let other_rule = object("  annotations:\n    plimsoll.io/ignore: ISO011\n");
    assert_eq!(kubernetes_codes(&other_rule), [("SYN006", 9)]);
    let polaris = object("  annotations:\n    polaris.fairwinds.com/exempt: \"true\"\n");
    assert_eq!(kubernetes_codes(&polaris), []);
    let two = format!("{}---\n{}", object("  annotations: {plimsoll.io/ignore: SYN006}\n"), object(""));
    assert_eq!(kubernetes_codes(&two), [("SYN006", 16)], "the annotation covers its own object only");
}

#[test]
fn pod_template_annotations_count_too() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        plimsoll.io/ignore: SYN006\n    spec:\n      hostPID: false\n      hostPID: true\n";
    assert_eq!(kubernetes_codes(text), []);
}

// Scopes and peers added with the suppression rules (SYN008, SYN009).

/// `(code, line)` of the findings of `codes` when `text` is linted as `format` with every rule, on
/// 2026-11-28.
fn lines_of(format: Format, text: &str, codes: &[&str]) -> Vec<(&'static str, u32)> {
    let settings =
        Settings { today: plimsoll_model::Date { year: 2026, month: 11, day: 28 }, ..Settings::default() };
    let linter = Linter::new(plimsoll_rules::all(), settings);
    let index = plimsoll_span::LineIndex::new(text);
    linter
        .lint(&SourceFile::from_text(text), format)
        .diagnostics
        .iter()
        .filter(|d| codes.contains(&d.rule.code))
        .map(|d| (d.rule.code, index.line_col(text, d.range.start).line))
        .collect()
}

const THREE_STAGES: &str = "FROM alpine:3.20 AS fetch\nRUN sudo a\n{pragma}FROM alpine:3.20 AS build\nRUN sudo b\n\nRUN sudo c\nFROM alpine:3.20\nRUN sudo d\nUSER 1000\n";

#[test]
fn a_stage_pragma_covers_only_its_stage() {
    let with = |pragma: &str| THREE_STAGES.replace("{pragma}", pragma);
    let all = [("ISO004", 2), ("ISO004", 4), ("ISO004", 6), ("ISO004", 8)];
    assert_eq!(lines_of(Format::Dockerfile, &with(""), &["ISO004"]), all);
    let ours = with("# plimsoll: ignore-stage[ISO004] build tools\n");
    assert_eq!(lines_of(Format::Dockerfile, &ours, &["ISO004"]), [("ISO004", 2), ("ISO004", 9)]);
    let hadolint = with("# hadolint stage ignore=DL3004  # build tools\n");
    assert_eq!(lines_of(Format::Dockerfile, &hadolint, &["ISO004"]), [("ISO004", 2), ("ISO004", 9)]);
    // Inside the stage: ours covers the stage it is in, hadolint's only works right above a FROM.
    let inside = THREE_STAGES
        .replace("{pragma}", "")
        .replace("\n\nRUN sudo c", "\n# plimsoll: ignore-stage[ISO004]\nRUN sudo c");
    assert_eq!(lines_of(Format::Dockerfile, &inside, &["ISO004"]), [("ISO004", 2), ("ISO004", 8)]);
    let hadolint_inside =
        inside.replace("# plimsoll: ignore-stage[ISO004]", "# hadolint stage ignore=DL3004");
    assert_eq!(lines_of(Format::Dockerfile, &hadolint_inside, &["ISO004"]), all);
}

#[test]
fn a_stage_pragma_covers_findings_anchored_at_its_from() {
    let text = "FROM golang:1.23 AS build\n# plimsoll: ignore-stage[ISO001]\nFROM alpine:3.20\nRUN true\n";
    assert_eq!(
        lines_of(Format::Dockerfile, &text.replace("# plimsoll: ignore-stage[ISO001]\n", ""), &["ISO001"]),
        [("ISO001", 2)]
    );
    assert_eq!(lines_of(Format::Dockerfile, text, &["ISO001"]), []);
}

const TWO_PODS: &str = "{pragma}apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext:\n        privileged: true\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers:\n    - name: b\n      image: x:1\n      securityContext:\n        privileged: true\n";

#[test]
fn a_pragma_above_a_document_covers_only_that_document() {
    let with = |pragma: &str| TWO_PODS.replace("{pragma}", pragma);
    assert_eq!(lines_of(Format::Kubernetes, &with(""), &["ISO011"]), [("ISO011", 10), ("ISO011", 21)]);
    let ours = with("# plimsoll: ignore[ISO011] the CNI pod\n");
    assert_eq!(lines_of(Format::Kubernetes, &ours, &["ISO011"]), [("ISO011", 22)]);
    let second =
        TWO_PODS.replace("{pragma}", "").replace("---\n", "---\n# plimsoll: ignore[privileged-container]\n");
    assert_eq!(lines_of(Format::Kubernetes, &second, &["ISO011"]), [("ISO011", 10)]);
    // Checkov's comment anywhere in the resource covers the resource.
    let checkov = TWO_PODS
        .replace("{pragma}", "")
        .replace("  name: b\n", "  name: b\n  #checkov:skip=CKV_K8S_16:CNI\n");
    assert_eq!(lines_of(Format::Kubernetes, &checkov, &["ISO011"]), [("ISO011", 10)]);
}

#[test]
fn a_per_container_annotation_covers_only_that_container() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    plimsoll.io/ignore.cni: \"ISO011=needs the host network stack\"\nspec:\n  initContainers:\n    - name: cni\n      image: x:1\n      securityContext:\n        privileged: true\n  containers:\n    - name: app\n      image: x:1\n      securityContext:\n        privileged: true\n";
    assert_eq!(lines_of(Format::Kubernetes, text, &["ISO011", "SYN008"]), [("ISO011", 17)]);
}

#[test]
fn an_expired_trivy_ignore_does_not_suppress() {
    let text = "FROM golang:1.23 AS build\n#trivy:ignore:AVD-DS-0002{expiry}\nFROM alpine:3.20\nRUN true\n";
    let with = |expiry: &str| lines_of(Format::Dockerfile, &text.replace("{expiry}", expiry), &["ISO001"]);
    assert_eq!(with(""), [], "no expiry: DS-0002 is ISO001, anchored at the final FROM");
    assert_eq!(with("[exp:2026-11-28]"), [], "valid through its day");
    assert_eq!(with(":exp:2027-01-31"), []);
    assert_eq!(with("[exp:2026-11-27]"), [("ISO001", 3)]);
    assert_eq!(with(":exp:2025-06-30"), [("ISO001", 3)]);
}

#[test]
fn kics_line_block_file_and_enable() {
    let compose =
        "services:\n  web:\n    image: x:1\n    {pragma}privileged: true\n    ports: [\"8080:80\"]\n";
    let with =
        |pragma: &str| lines_of(Format::Compose, &compose.replace("{pragma}", pragma), &["ISO011", "NET003"]);
    assert_eq!(with(""), [("ISO011", 4), ("NET003", 5)]);
    assert_eq!(with("# kics-scan ignore-line\n    "), [("NET003", 6)]);
    let block = "services:\n  # kics-scan ignore-block\n  web:\n    image: x:1\n    privileged: true\n    ports: [\"8080:80\"]\n";
    assert_eq!(lines_of(Format::Compose, block, &["ISO011", "NET003"]), []);
    let file = "# kics-scan ignore\nservices:\n  web:\n    image: x:1\n    privileged: true\n";
    assert_eq!(lines_of(Format::Compose, file, &["ISO011"]), []);
    // `enable=` runs only the listed queries: every rule but those is silenced.
    let text = "# kics-scan enable=8ada6e80-0ade-439e-b176-0b28f6bce35a\nFROM alpine:3.20\nRUN sudo a\n";
    assert_eq!(lines_of(Format::Dockerfile, text, &["ISO004", "ISO001"]), [("ISO004", 3)]);
}

#[test]
fn a_compose_service_pragma_covers_that_service_only() {
    let text = "services:\n  # plimsoll: ignore[ISO011] packet capture\n  sniffer:\n    image: x:1\n    privileged: true\n  web:\n    image: x:1\n    privileged: true\n";
    assert_eq!(lines_of(Format::Compose, text, &["ISO011", "SYN008"]), [("ISO011", 8)]);
}

#[test]
fn suppression_findings_need_plimsoll_and_inline_ignores() {
    let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO004, ISO04]\nRUN true\nUSER 1000\n";
    assert_eq!(lines_of(Format::Dockerfile, text, &["SYN008", "SYN009"]), [("SYN008", 2), ("SYN009", 2)]);
    let off = Settings { inline_ignores: false, ..Settings::default() };
    let linter = Linter::new(plimsoll_rules::all(), off);
    let found = linter.lint(&SourceFile::from_text(text), Format::Dockerfile).diagnostics;
    assert!(found.iter().all(|d| d.rule.code != "SYN008" && d.rule.code != "SYN009"), "{found:#?}");
}

#[test]
fn many_pragmas_and_findings_stay_linear() {
    let started = std::time::Instant::now();
    let pairs = "# plimsoll: ignore[ISO004] r\nRUN sudo a\n".repeat(20_000);
    let stacked = "# plimsoll: ignore[ISO004]\n".repeat(20_000);
    let text = format!("FROM alpine:3.20\n{pairs}{stacked}RUN sudo b\nUSER 1\n");
    let selection = plimsoll_linter::Selection {
        select: Some(vec![
            plimsoll_linter::RuleSelector::parse("ISO004"),
            plimsoll_linter::RuleSelector::parse("SYN"),
        ]),
        ..Default::default()
    };
    let linter = Linter::new(plimsoll_rules::all(), Settings { selection, ..Settings::default() });
    let found = linter.lint(&SourceFile::from_text(text), Format::Dockerfile).diagnostics;
    // Every pragma is used; the stacked ones all cover the last RUN.
    assert!(found.is_empty(), "{:?}", found.first());
    let yaml =
        format!("services:\n{}", "  # plimsoll: ignore[ISO011]\n  s:\n    privileged: true\n".repeat(20_000));
    let linter = Linter::new(plimsoll_rules::all(), Settings::default());
    linter.lint(&SourceFile::from_text(yaml), Format::Compose);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn the_suppression_rules_can_be_suppressed_file_wide() {
    let text = "# plimsoll: ignore-file[unknown-rule-in-suppression] ids of the next plimsoll\nFROM alpine:3.20\n# plimsoll: ignore[ISO004, ISO999]\nRUN sudo a\nUSER 1\n";
    assert_eq!(lines_of(Format::Dockerfile, text, &["SYN008", "SYN009", "ISO004"]), []);
    let unused = "# plimsoll: ignore-file[unused-suppression]\nFROM alpine:3.20\n# plimsoll: ignore[ISO004]\nRUN true\nUSER 1\n";
    assert_eq!(lines_of(Format::Dockerfile, unused, &["SYN008", "SYN009"]), []);
    let nothing_to_silence =
        "# plimsoll: ignore-file[unknown-rule-in-suppression]\nFROM alpine:3.20\nUSER 1\n";
    assert_eq!(lines_of(Format::Dockerfile, nothing_to_silence, &["SYN008"]), [("SYN008", 1)]);
}
