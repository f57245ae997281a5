use plimsoll_compose::NoteKind;
use plimsoll_linter::{Check, ComposeCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags plain `yes`, `no`, `on`, `off`, `y` and `n` (any case) where a boolean or a string is meant.
    ///
    /// ## Why is this bad?
    /// YAML 1.1 reads these words as booleans, YAML 1.2 as strings, and tools differ: Docker Compose reads
    /// YAML 1.2, so `privileged: yes` is not `true` to it (the file is rejected), while `restart: no` or
    /// an environment value `DEBUG: no` becomes `false` for tools that read YAML 1.1. Write `true`/`false`
    /// for booleans and quote strings.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     restart: no
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     restart: "no"
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: restart](https://docs.docker.com/reference/compose-file/services/#restart)
    /// - [YAML 1.1 boolean type](https://yaml.org/type/bool.html)
    code: "SYN007",
    name: "yaml-boolean-lookalike",
    family: Syn,
    severity: Warning,
    formats: [Compose],
    aliases: [],
    checks: [Check::Compose(check)],
}

fn check(ctx: &ComposeCtx, r: &mut Reporter) {
    for note in &ctx.compose.notes {
        match &note.kind {
            NoteKind::BooleanLookalike { text, yaml11 } => {
                r.report(note.range, format!("`{text}` is a string to Compose, not a boolean"))
                    .help(format!("Write `{yaml11}`."));
            }
            NoteKind::StringLookalike { text, yaml11 } => {
                r.report(note.range, format!("`{text}` is read as the boolean `{yaml11}` by YAML 1.1 tools"))
                    .help(format!("Quote it: `\"{text}\"`."));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn booleans_and_strings() {
        let yaml = "services:\n  web:\n    image: a:1\n    privileged: yes\n    restart: no\n    environment:\n      DEBUG: off\n";
        assert_eq!(compose_spans(&RULE, yaml), ["yes", "no", "off"]);
        assert_eq!(lint_compose(&RULE, yaml)[0].help.as_deref(), Some("Write `true`."));
    }

    #[test]
    fn real_booleans_and_quoted_strings_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  web:\n    image: a:1\n    privileged: false\n    restart: \"no\"\n    environment:\n      DEBUG: 'off'\n",
        );
    }
}
