//! Hand-built diagnostics and a tiny golden-file helper for the format tests.

use std::path::PathBuf;

use plimsoll_diagnostic::{Diagnostic, Family, Format, RuleMeta, Severity};
use plimsoll_span::TextRange;

use crate::{FileFindings, OutputFormat, RenderOptions, Report};

const fn rule(code: &'static str, name: &'static str, severity: Severity) -> RuleMeta {
    RuleMeta {
        code,
        name,
        family: Family::Df,
        severity,
        default_enabled: true,
        formats: &[Format::Dockerfile],
        aliases: &[],
        doc: " ## What it does\n Tests things.",
    }
}

pub static INFO_RULE: RuleMeta = rule("TST001", "test-info", Severity::Info);
pub static WARNING_RULE: RuleMeta = rule("TST002", "test-warning", Severity::Warning);
pub static ERROR_RULE: RuleMeta = rule("TST003", "test-error", Severity::Error);
/// A rule of a security family, with the documentation sections real rules have.
pub static SECURITY_RULE: RuleMeta = RuleMeta {
    code: "TST004",
    name: "test-security",
    family: Family::Iso,
    severity: Severity::Warning,
    default_enabled: true,
    formats: &[Format::Dockerfile, Format::Compose],
    aliases: &["DL9999"],
    doc: " ## What it does\n Checks that containers do not run as root. Other sentences follow.\n\n ## Why is this bad?\n \
          Root in a container is root on the host after a breakout.\n\n ## Example\n ```dockerfile\n FROM debian\n ```",
};

pub fn diag(rule: &'static RuleMeta, start: usize, end: usize, message: &str) -> Diagnostic {
    Diagnostic::new(rule, TextRange::from_usize(start, end), message)
}

pub fn render(files: Vec<FileFindings<'_>>, checked: usize, format: OutputFormat) -> String {
    render_with(files, checked, format, RenderOptions::default())
}

pub fn render_with(
    files: Vec<FileFindings<'_>>,
    checked: usize,
    format: OutputFormat,
    options: RenderOptions,
) -> String {
    let mut out = Vec::new();
    Report::new(files, checked).write(&mut out, format, options).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// Compares `actual` with `tests/snapshots/<name>`; `UPDATE_SNAPSHOTS=1` rewrites the file instead.
pub fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("cannot write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert!(
        actual == expected,
        "{} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// A file of the shared fixture: the formats' golden tests all render the same hostile findings.
pub struct Case {
    pub path: &'static str,
    pub text: &'static str,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn files(cases: &[Case]) -> Vec<FileFindings<'_>> {
    cases.iter().map(|case| FileFindings::new(case.path, case.text, &case.diagnostics)).collect()
}

/// Findings whose text and paths try everything a format must survive: markup and quotes (`<&>"'`), the
/// escape characters of GitHub commands (`%`, `:`, `,`, CR, LF), terminal escapes, NUL and BEL (which XML
/// 1.0 forbids), bidi overrides, non-ASCII and emoji (character columns), CRLF line endings, a finding at
/// the very end of a file, a finding over several lines ending with a line break, and two findings of one
/// rule on identical lines (distinct fingerprints).
pub fn hostile_cases() -> Vec<Case> {
    let dockerfile = "FROM café:latest\r\nRUN echo \"<&>\" 😀 && sudo make\nUSER root\n";
    let at = |needle: &str| dockerfile.find(needle).unwrap();
    let first = vec![
        diag(&ERROR_RULE, at("café"), at(":latest") + 7, "Image `café:latest` is <unpinned> & \"floating\"")
            .with_help("Pin a digest: `FROM café@sha256:…`.")
            .with_label(TextRange::from_usize(at("USER"), at("USER") + 9), "runs as 'root' here"),
        diag(
            &WARNING_RULE,
            at("sudo"),
            at("sudo") + 4,
            "Uses sudo in \u{1b}[31mred\u{1b}[0m, 100% sure,\r\nreally: \u{202e}evil\u{202c}\u{0}\u{7}",
        ),
        diag(&INFO_RULE, dockerfile.len(), dockerfile.len(), "Ends here"),
    ];
    let manifest = "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: x\n";
    let images: Vec<usize> = manifest.match_indices("image: x").map(|(i, _)| i).collect();
    let second = vec![
        diag(&WARNING_RULE, 0, manifest.len(), "Pod spec is wide open"),
        diag(&ERROR_RULE, images[0], images[0] + 8, "Image x"),
        diag(&ERROR_RULE, images[1], images[1] + 8, "Image x"),
    ];
    vec![
        Case { path: "deploy/a,b:c é #%\"<&>'.yaml", text: manifest, diagnostics: second },
        Case { path: "./app/Dockerfile", text: dockerfile, diagnostics: first },
    ]
}
