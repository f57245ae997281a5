use plimsoll_diagnostic::{Edit, Fix};
use plimsoll_linter::{
    Check, Reporter, SuppressedId, Suppression, SuppressionKind, SuppressionsCtx, declare_rule,
};
use plimsoll_span::TextRange;

use crate::support::help::{code, code_list};

declare_rule! {
    /// ## What it does
    /// Reports a plimsoll suppression comment or annotation entry that silenced nothing.
    ///
    /// A `# plimsoll: ignore[…]`, `ignore-stage[…]` or `ignore-file[…]` comment, or a `plimsoll.io/ignore`
    /// annotation entry, is unused when the rule it names ran and found nothing where the suppression
    /// applies. Only enabled rules are judged; ids that name no rule are reported by
    /// `unknown-rule-in-suppression` (SYN009), and the peers' pragmas (`# hadolint ignore=`,
    /// `#checkov:skip=`, …) never are, since the peer tool may still need them.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the problem it excused: the base image switched to a non-root user, the
    /// privileged flag went away. Left in place, it silently excuses the problem when it comes back, and
    /// readers assume a risk that is no longer there. Its reason, when given, is repeated in the message
    /// so the reviewer can see what was once accepted.
    ///
    /// The fix removes the unused id, or the whole comment when none of its ids is used. A file can opt
    /// out with `# plimsoll: ignore-file[unused-suppression]` (a file shared by several configurations),
    /// a project with `ignore` in its configuration.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// RUN useradd --system app
    /// # plimsoll: ignore[ISO001] the image used to run as root
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// RUN useradd --system app
    /// USER app
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     # plimsoll: ignore[privileged-container] packet capture
    ///     read_only: true
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     read_only: true
    /// ```
    ///
    /// In a Kubernetes manifest, an annotation entry:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     plimsoll.io/ignore: "ISO011=needed for the CNI plugin"
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// In an IAM policy written in YAML:
    /// ```iam,bad
    /// Version: "2012-10-17"
    /// Statement:
    ///   # plimsoll: ignore[allow-all-actions] the old admin role
    ///   - Effect: Allow
    ///     Action: s3:GetObject
    ///     Resource: arn:aws:s3:::reports/*
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// Version: "2012-10-17"
    /// Statement:
    ///   - Effect: Allow
    ///     Action: s3:GetObject
    ///     Resource: arn:aws:s3:::reports/*
    /// ```
    ///
    /// ## References
    /// - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    code: "SYN008",
    name: "unused-suppression",
    family: Syn,
    severity: Info,
    formats: [Dockerfile, Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Suppressions(check)],
}

fn check(ctx: &SuppressionsCtx, r: &mut Reporter) {
    for suppression in ctx.suppressions {
        let unused: Vec<&SuppressedId> = suppression
            .ids
            .iter()
            .filter(|id| {
                !id.used
                    && crate::find(&id.id).is_some_and(|rule| r.settings().selection.is_enabled(&rule.meta))
            })
            .collect();
        if unused.is_empty() {
            continue;
        }
        let reason = match suppression.reason.as_deref() {
            Some(reason) => format!(" (reason given: {})", one_line(reason)),
            None => String::new(),
        };
        let comment = suppression.kind == SuppressionKind::Comment;
        if comment && unused.len() == suppression.ids.len() {
            let ids = code_list(unused.iter().map(|id| id.id.as_str()));
            r.report(suppression.range, format!("Suppression of {ids} matches no finding{reason}"))
                .help("Remove the comment: nothing it covers needs it any more.")
                .fix(Fix {
                    title: "Remove the unused suppression comment".to_string(),
                    edits: vec![Edit {
                        range: comment_removal(ctx.text, suppression.range),
                        replacement: String::new(),
                    }],
                });
            continue;
        }
        for id in unused {
            let shown = code(&id.id);
            let emit = r.report(id.range, format!("Suppression of {shown} matches no finding{reason}"));
            if comment {
                emit.help(format!("Remove {shown} from the comment: nothing it covers needs it any more."))
                    .fix(Fix {
                        title: format!("Remove {shown} from the suppression"),
                        edits: vec![Edit { range: id_removal(suppression, id), replacement: String::new() }],
                    });
            } else {
                emit.help(format!(
                    "Remove {shown} from the annotation: nothing in the object or container needs it any more."
                ));
            }
        }
    }
}

/// Reasons are one line in a comment, but an annotation's may be folded over several.
fn one_line(reason: &str) -> String {
    reason.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The comment with its line when it stands alone there, else with the blanks before it.
fn comment_removal(text: &str, comment: TextRange) -> TextRange {
    let start = comment.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    if before.trim().is_empty() {
        let end =
            text[comment.end as usize..].find('\n').map_or(text.len(), |i| comment.end as usize + i + 1);
        TextRange::from_usize(line_start, end)
    } else {
        TextRange::from_usize(line_start + before.trim_end().len(), comment.end as usize)
    }
}

/// The id and the separator that joins it to its neighbour (`ISO001, ` before another id, `, ISO001`
/// after the last one).
fn id_removal(suppression: &Suppression, id: &SuppressedId) -> TextRange {
    let at = suppression.ids.iter().position(|other| std::ptr::eq(other, id)).unwrap_or(0);
    match (at.checked_sub(1).map(|i| &suppression.ids[i]), suppression.ids.get(at + 1)) {
        (_, Some(next)) => TextRange::new(id.range.start, next.range.start),
        (Some(previous), None) => TextRange::new(previous.range.end, id.range.end),
        (None, None) => id.range,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::settings;
    use plimsoll_diagnostic::{Diagnostic, Format};
    use plimsoll_linter::{Linter, RuleSelector, Selection, Settings, SourceFile};

    /// Lints with every rule, so suppressions meet the findings they are for; keeps this rule's findings.
    fn lint_all(format: Format, text: &str, settings: Settings) -> Vec<Diagnostic> {
        let linter = Linter::new(crate::all(), settings);
        let found = linter.lint(&SourceFile::from_text(text), format).diagnostics;
        found.into_iter().filter(|d| std::ptr::eq(d.rule, &RULE.meta)).collect()
    }

    fn spans(format: Format, text: &str) -> Vec<&str> {
        let found = lint_all(format, text, settings());
        found.iter().map(|d| d.range.slice(text)).collect()
    }

    fn fixed(format: Format, text: &str) -> Vec<String> {
        lint_all(format, text, settings())
            .iter()
            .map(|d| {
                let edit = &d.fix.as_ref().expect("a fix").edits[0];
                let mut out = text.to_string();
                out.replace_range(edit.range.as_usize(), &edit.replacement);
                out
            })
            .collect()
    }

    #[test]
    fn a_used_suppression_is_quiet_and_an_unused_one_is_reported_whole() {
        let used = "FROM alpine:3.20\n# plimsoll: ignore[ISO004] bootstrap\nRUN sudo a\nUSER 1000\n";
        assert!(spans(Format::Dockerfile, used).is_empty());
        let unused = "FROM alpine:3.20\n# plimsoll: ignore[ISO004] bootstrap\nRUN true\nUSER 1000\n";
        assert_eq!(spans(Format::Dockerfile, unused), ["# plimsoll: ignore[ISO004] bootstrap"]);
        let found = lint_all(Format::Dockerfile, unused, settings());
        assert_eq!(found[0].message, "Suppression of `ISO004` matches no finding (reason given: bootstrap)");
        assert_eq!(fixed(Format::Dockerfile, unused), ["FROM alpine:3.20\nRUN true\nUSER 1000\n"]);
    }

    #[test]
    fn one_unused_id_among_used_ones_is_reported_at_the_id() {
        let text =
            "FROM alpine:3.20\n# plimsoll: ignore[ISO004, DL3002, sudo-in-run]\nRUN sudo a\nUSER 1000\n";
        assert_eq!(spans(Format::Dockerfile, text), ["DL3002"]);
        assert_eq!(
            fixed(Format::Dockerfile, text),
            ["FROM alpine:3.20\n# plimsoll: ignore[ISO004, sudo-in-run]\nRUN sudo a\nUSER 1000\n"]
        );
        let last = "FROM alpine:3.20\n# plimsoll: ignore[ISO004, ISO001]\nRUN sudo a\nUSER 1000\n";
        assert_eq!(
            fixed(Format::Dockerfile, last),
            ["FROM alpine:3.20\n# plimsoll: ignore[ISO004]\nRUN sudo a\nUSER 1000\n"]
        );
    }

    #[test]
    fn a_trailing_comment_is_removed_with_its_blanks() {
        let text =
            "services:\n  web:\n    image: nginx:1.27\n    read_only: true  # plimsoll: ignore[ISO011]\n";
        assert_eq!(spans(Format::Compose, text), ["# plimsoll: ignore[ISO011]"]);
        assert_eq!(
            fixed(Format::Compose, text),
            ["services:\n  web:\n    image: nginx:1.27\n    read_only: true\n"]
        );
    }

    #[test]
    fn disabled_unknown_and_peer_ids_are_not_judged() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO004, NOPE1]\n# hadolint ignore=DL3004\nRUN true\nUSER 1000\n";
        assert_eq!(
            spans(Format::Dockerfile, text),
            ["ISO004"],
            "NOPE1 is the unknown-id rule's, hadolint's is not ours"
        );
        let only_syn = Settings {
            selection: Selection { select: Some(vec![RuleSelector::parse("SYN")]), ..Selection::default() },
            ..settings()
        };
        assert!(
            lint_all(Format::Dockerfile, text, only_syn).is_empty(),
            "ISO004 did not run, so nothing is known"
        );
    }

    #[test]
    fn stage_and_file_pragmas_count_their_whole_scope() {
        let stage = "FROM alpine:3.20 AS build\n# plimsoll: ignore-stage[ISO004]\nRUN true\nRUN sudo make\nFROM alpine:3.20\nUSER 1000\n";
        assert!(spans(Format::Dockerfile, stage).is_empty());
        let file = "# plimsoll: ignore-file[ISO004, ISO011]\nFROM alpine:3.20\nRUN sudo a\nUSER 1000\n";
        assert_eq!(spans(Format::Dockerfile, file), ["ISO011"]);
        let nothing_after = "FROM alpine:3.20\nUSER 1000\n# plimsoll: ignore[ISO004]\n";
        assert_eq!(spans(Format::Dockerfile, nothing_after), ["# plimsoll: ignore[ISO004]"]);
    }

    #[test]
    fn annotation_entries_are_reported_at_their_id_without_a_fix() {
        let pod = |annotations: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n{annotations}spec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n        runAsNonRoot: true\n        runAsUser: 1000\n"
            )
        };
        let used = pod("    plimsoll.io/ignore: \"ISO011=CNI, for now, ISO001\"\n");
        let found = lint_all(Format::Kubernetes, &used, settings());
        let shown: Vec<(&str, &str)> =
            found.iter().map(|d| (d.range.slice(&used), d.message.as_str())).collect();
        assert_eq!(shown, [("ISO001", "Suppression of `ISO001` matches no finding")]);
        assert!(found[0].fix.is_none());
        let container =
            pod("    plimsoll.io/ignore.web: ISO011\n    plimsoll.io/ignore.sidecar: ISO011=gone\n");
        assert_eq!(spans(Format::Kubernetes, &container), ["ISO011"]);
        let found = lint_all(Format::Kubernetes, &container, settings());
        assert_eq!(found[0].message, "Suppression of `ISO011` matches no finding (reason given: gone)");
    }

    #[test]
    fn nothing_is_said_when_inline_ignores_are_off() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO004]\nRUN true\nUSER 1000\n";
        assert!(
            lint_all(Format::Dockerfile, text, Settings { inline_ignores: false, ..settings() }).is_empty()
        );
    }
}
