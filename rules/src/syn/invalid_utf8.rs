use plimsoll_linter::{Check, Reporter, SourceCtx, declare_rule};
use plimsoll_span::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a file that is not valid UTF-8. plimsoll replaces the invalid bytes and lints the rest.
    ///
    /// ## Why is this bad?
    /// Docker, Compose and Kubernetes read these files as UTF-8; invalid bytes usually mean a file saved
    /// in a legacy encoding or a binary file under a Dockerfile name, and other tools may reject or misread
    /// it. Findings near the invalid bytes may be imprecise.
    ///
    /// ## Example
    /// A Dockerfile saved as Latin-1 with `LABEL maintainer="José"` contains the byte `0xE9`, which is not
    /// valid UTF-8. (Examples of invalid bytes cannot be shown as text; the tests cover them.)
    ///
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
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
    /// ```iam,good
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    /// ```
    ///
    /// ```dockerfile,good
    /// FROM alpine:3.20
    /// LABEL maintainer="José"
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: format](https://docs.docker.com/reference/dockerfile/#format)
    code: "SYN002",
    name: "invalid-utf8",
    family: Syn,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Source(check)],
}

fn check(ctx: &SourceCtx, r: &mut Reporter) {
    let Some(at) = ctx.invalid_utf8_at else { return };
    // The invalid byte became U+FFFD (3 bytes) in the text we lint.
    let range = TextRange::new(at, (at + 3).min(ctx.text.len() as u32));
    r.report(range, format!("File is not valid UTF-8 (first invalid byte at offset {at})"))
        .help("Re-save the file as UTF-8.");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::settings;
    use plimsoll_diagnostic::Format;
    use plimsoll_linter::{Linter, SourceFile};

    #[test]
    fn invalid_bytes_are_reported_and_the_file_still_linted() {
        let linter = Linter::new(&[&RULE, &crate::iso::sudo_in_run::RULE], settings());
        let file = SourceFile::from_bytes(b"FROM alpine:3.20\nLABEL a=\"Jos\xe9\"\nRUN sudo x\n".to_vec());
        let found = linter.lint(&file, Format::Dockerfile).diagnostics;
        let codes: Vec<_> = found.iter().map(|d| d.rule.code).collect();
        assert_eq!(codes, ["SYN002", "ISO004"]);
        assert_eq!(found[0].range.slice(&file.text), "\u{fffd}");
    }

    #[test]
    fn valid_text_is_clean() {
        let linter = Linter::new(&[&RULE], settings());
        assert!(linter.lint(&SourceFile::from_text("FROM a:1\n"), Format::Dockerfile).diagnostics.is_empty());
    }
}
