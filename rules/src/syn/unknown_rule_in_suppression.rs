use plimsoll_linter::{Check, Reporter, SuppressionsCtx, declare_rule};

use crate::support::help::code;

declare_rule! {
    /// ## What it does
    /// Reports an id in a plimsoll suppression that names no rule.
    ///
    /// The ids of `# plimsoll: ignore[…]`, `ignore-stage[…]`, `ignore-file[…]` and `plimsoll.io/ignore`
    /// annotations must be a rule's code, its name or a peer's id one of our rules answers to. The finding
    /// suggests the closest code or name.
    ///
    /// ## Why is this bad?
    /// A mistyped id (`ISO01`, `container-run-as-root`) suppresses nothing, so the finding it was meant
    /// for keeps failing the build and the author is left guessing why the comment does not work. Ids
    /// that are not ours in a peer's pragma (`# hadolint ignore=SC2086`) are not reported: they belong to
    /// the peer tool.
    ///
    /// A file can opt out with `# plimsoll: ignore-file[unknown-rule-in-suppression]` (for ids of a newer
    /// plimsoll, say); a project with `ignore` in its configuration.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// # plimsoll: ignore[ISO01] the image runs as root by design
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
    ///     # plimsoll: ignore[privileged-containers] packet capture
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
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cni
    ///   annotations:
    ///     plimsoll.io/ignore: "ISO11=the CNI plugin needs it"
    /// spec:
    ///   containers:
    ///     - name: cni
    ///       image: calico/node:v3.29.0
    ///       securityContext:
    ///         privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cni
    ///   annotations:
    ///     plimsoll.io/ignore: "ISO011=the CNI plugin needs it"
    /// spec:
    ///   containers:
    ///     - name: cni
    ///       image: calico/node:v3.29.0
    ///       securityContext:
    ///         privileged: true
    /// ```
    ///
    /// In an IAM policy written in YAML:
    /// ```iam,bad
    /// Version: "2012-10-17"
    /// Statement:
    ///   # plimsoll: ignore[allow-all-action] break-glass role
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
    /// - [ruff: invalid-rule-code (RUF102)](https://docs.astral.sh/ruff/rules/invalid-rule-code/)
    code: "SYN009",
    name: "unknown-rule-in-suppression",
    family: Syn,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Suppressions(check)],
}

fn check(ctx: &SuppressionsCtx, r: &mut Reporter) {
    for id in ctx.suppressions.iter().flat_map(|s| &s.ids) {
        if crate::find(&id.id).is_some() {
            continue;
        }
        let shown = code(&id.id);
        let candidates = crate::all().iter().flat_map(|rule| [rule.meta.code, rule.meta.name]);
        let help = match plimsoll_diagnostic::closest(&id.id, candidates).and_then(crate::find) {
            Some(rule) => format!(
                "Did you mean `{}` ({})? `plimsoll rules` lists every code and name.",
                rule.meta.code, rule.meta.name
            ),
            None => {
                "Name the rule by its code, its name or a peer's id; `plimsoll rules` lists them.".to_string()
            }
        };
        r.report(id.range, format!("{shown} names no rule, so it suppresses nothing")).help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{compose_spans, k8s_spans, lint, settings, spans};
    use plimsoll_diagnostic::Format;
    use plimsoll_linter::{Linter, Settings, SourceFile};

    #[test]
    fn typos_get_a_suggestion() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO01, sudo-in-run, contaner-runs-as-root] reason\nUSER 1\n";
        assert_eq!(spans(&RULE, text), ["ISO01", "contaner-runs-as-root"]);
        let found = lint(&RULE, text);
        assert_eq!(found[0].message, "`ISO01` names no rule, so it suppresses nothing");
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Did you mean `ISO001` (container-runs-as-root)? `plimsoll rules` lists every code and name."
            )
        );
        assert!(found[1].help.as_deref().unwrap().starts_with("Did you mean `ISO001`"));
    }

    #[test]
    fn far_off_ids_get_the_listing() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore-file[completely-made-up]\nUSER 1\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert!(found[0].help.as_deref().unwrap().starts_with("Name the rule"));
    }

    #[test]
    fn aliases_disabled_rules_and_peers_pragmas_are_fine() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[DL3002, CKV_DOCKER_8, IMG999X]\n# hadolint ignore=SC2086\nUSER 1\n";
        assert_eq!(spans(&RULE, text), ["IMG999X"]);
    }

    #[test]
    fn compose_and_kubernetes_ids_are_located_exactly() {
        let compose =
            "services:\n  web:\n    image: x:1\n    privileged: true  # plimsoll: ignore[privileged]\n";
        assert_eq!(compose_spans(&RULE, compose), ["privileged"]);
        let k8s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    plimsoll.io/ignore: 'ISO001=root, ISOO11'\n    plimsoll.io/ignore.web: RES0001\nspec:\n  containers: []\n";
        assert_eq!(k8s_spans(&RULE, k8s), ["ISOO11", "RES0001"]);
    }

    #[test]
    fn silent_without_inline_ignores_and_in_files_without_pragmas() {
        let text = "FROM alpine:3.20\n# plimsoll: ignore[ISO01]\nUSER 1\n";
        let off = Settings { inline_ignores: false, ..settings() };
        let linter = Linter::new(&[&RULE], off);
        assert!(linter.lint(&SourceFile::from_text(text), Format::Dockerfile).diagnostics.is_empty());
        assert!(spans(&RULE, "FROM alpine:3.20\n# plimsoll is great\nUSER 1\n").is_empty());
    }
}
