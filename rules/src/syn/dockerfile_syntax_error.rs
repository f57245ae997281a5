use plimsoll_linter::{Check, DockerfileCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports text that is not valid Dockerfile syntax: unknown instructions, missing arguments,
    /// unterminated heredocs, duplicate parser directives, a `SHELL` that is not a JSON array.
    ///
    /// ## Why is this bad?
    /// `docker build` refuses the file, or reads it differently from what its author meant. plimsoll keeps
    /// linting the rest of the file, so the other findings are still reported.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.20
    /// RUNN apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.20
    /// RUN apk add curl
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
    code: "SYN001",
    name: "dockerfile-syntax-error",
    family: Syn,
    severity: Error,
    formats: [Dockerfile],
    aliases: ["DL1000"],
    checks: [Check::Dockerfile(check)],
}

fn check(ctx: &DockerfileCtx, r: &mut Reporter) {
    for error in &ctx.file.errors {
        let help = match error.suggestion() {
            Some(suggestion) => sentence(suggestion, true),
            None => "Fix the syntax; the Dockerfile reference shows each instruction's form.".to_string(),
        };
        r.report(error.range, sentence(error.problem(), false)).help(help);
    }
}

/// Capitalises a compiler-style message; help texts end with a period (or a question mark).
fn sentence(text: &str, terminated: bool) -> String {
    let mut chars = text.trim().trim_end_matches('.').chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.extend(chars);
    if terminated && !out.ends_with('?') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, lint};

    #[test]
    fn errors_are_reported_and_the_rest_is_parsed() {
        let text = "FROM alpine:3.20\nRUNN apk add curl\nUSER\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].range.slice(text), "RUNN");
        assert_eq!(found[0].message, "Unknown instruction `RUNN`");
        assert_eq!(found[0].help.as_deref(), Some("Did you mean `RUN`?"));
    }

    #[test]
    fn valid_files_are_clean() {
        assert_clean(&RULE, "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\n");
    }
}
