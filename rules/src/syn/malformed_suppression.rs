use plimsoll_linter::{Check, Reporter, SuppressionKind, SuppressionsCtx, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `# plimsoll:` comment that is not a pragma plimsoll can read.
    ///
    /// plimsoll reads `# plimsoll: ignore[CODE, …] reason`, `ignore-stage[…]` and `ignore-file[…]`. A
    /// comment that starts with `plimsoll:` but misspells the keyword (`ingore`), leaves out the brackets
    /// (`ignore ISO001`) or lists no id suppresses nothing.
    ///
    /// ## Why is this bad?
    /// The author believes the finding is excused and moves on; the finding keeps failing the build, or,
    /// worse, the author concludes that suppressions do not work and turns the rule off everywhere.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// # plimsoll: ignore ISO001 the image runs as root by design
    /// CMD ["python", "-m", "app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// # plimsoll: ignore[ISO001] the image runs as root by design
    /// CMD ["python", "-m", "app"]
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   sniffer:
    ///     image: nicolaka/netshoot:v0.13
    ///     # plimsoll: ingore[privileged-container] packet capture
    ///     privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   sniffer:
    ///     image: nicolaka/netshoot:v0.13
    ///     # plimsoll: ignore[privileged-container] packet capture
    ///     privileged: true
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// # plimsoll: ignore-file ISO011
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cni
    /// spec:
    ///   containers:
    ///     - name: cni
    ///       image: calico/node:v3.29.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// # plimsoll: ignore-file[ISO011]
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cni
    /// spec:
    ///   containers:
    ///     - name: cni
    ///       image: calico/node:v3.29.0
    /// ```
    ///
    /// In an IAM policy written in YAML:
    /// ```iam,bad
    /// Version: "2012-10-17"
    /// Statement:
    ///   # plimsoll: ignore[] break-glass role
    ///   - Effect: Allow
    ///     Action: "*"
    ///     Resource: "*"
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// Version: "2012-10-17"
    /// Statement:
    ///   # plimsoll: ignore[allow-all-actions] break-glass role
    ///   - Effect: Allow
    ///     Action: "*"
    ///     Resource: "*"
    /// ```
    ///
    /// ## References
    /// - [ruff: blanket-noqa (PGH004)](https://docs.astral.sh/ruff/rules/blanket-noqa/)
    code: "SYN010",
    name: "malformed-suppression",
    family: Syn,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Suppressions(check)],
}

fn check(ctx: &SuppressionsCtx, r: &mut Reporter) {
    for suppression in ctx.suppressions {
        if suppression.kind == SuppressionKind::Comment && suppression.ids.is_empty() {
            r.report(suppression.range, "Comment starts with `plimsoll:` but is not a pragma plimsoll reads, so it suppresses nothing")
                .help("Write `# plimsoll: ignore[CODE, …] reason`, `ignore-stage[…]` or `ignore-file[…]`, with the ids in brackets.");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{compose_spans, spans};

    #[test]
    fn misspelled_keywords_missing_brackets_and_empty_lists() {
        let text = "FROM alpine:3.20\n# plimsoll: ingore[ISO001]\n# Plimsoll: ignore ISO001\n# plimsoll: ignore-file[ ]\nUSER 1\n";
        assert_eq!(
            spans(&RULE, text),
            ["# plimsoll: ingore[ISO001]", "# Plimsoll: ignore ISO001", "# plimsoll: ignore-file[ ]"]
        );
        let trailing = "services:\n  web:\n    image: x:1\n    privileged: true  # plimsoll: ignore-stage\n";
        assert_eq!(compose_spans(&RULE, trailing), ["# plimsoll: ignore-stage"]);
    }

    #[test]
    fn readable_pragmas_and_prose_are_fine() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO001] reason\n# plimsoll is our linter\n# the plimsoll: docs\nUSER 1\n";
        assert!(spans(&RULE, text).is_empty());
    }
}
