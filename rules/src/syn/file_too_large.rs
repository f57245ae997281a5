use plimsoll_linter::{Check, MAX_FILE_BYTES, Reporter, SourceCtx, declare_rule};
use plimsoll_span::TextRange;

declare_rule! {
    /// ## What it does
    /// Reports a file too large to lint (over 16 MiB). It is skipped, so nothing else is reported for it.
    ///
    /// ## Why is this bad?
    /// No real Dockerfile, Compose file, manifest or policy comes close to this size; such a file is
    /// usually generated output or data under a configuration file's name. Linting it would cost time and
    /// memory for no finding, so plimsoll refuses it and says so rather than skipping it silently.
    ///
    /// ## Example
    /// A 20 MiB generated file named `Dockerfile` is reported and skipped.
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
    /// ```
    ///
    /// ## References
    /// - [plimsoll README: limits](https://github.com/plimsoll-dev/plimsoll#limits)
    code: "SYN003",
    name: "file-too-large",
    family: Syn,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Source(check)],
}

fn check(ctx: &SourceCtx, r: &mut Reporter) {
    let Some(size) = ctx.too_large else { return };
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    r.report(
        TextRange::empty(0),
        format!(
            "File is too large to lint ({:.1} MiB, the limit is {:.0} MiB)",
            mib(size),
            mib(MAX_FILE_BYTES)
        ),
    )
    .help("Exclude generated or data files from the run (for example in .gitignore), or split the file.");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::settings;
    use plimsoll_diagnostic::Format;
    use plimsoll_linter::{Linter, SourceFile};

    #[test]
    fn oversized_files_get_one_finding() {
        let linter = Linter::new(&[&RULE], settings());
        let found = linter.lint(&SourceFile::too_large(20 * 1024 * 1024), Format::Dockerfile).diagnostics;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "File is too large to lint (20.0 MiB, the limit is 16 MiB)");
    }

    #[test]
    fn files_within_the_limit_are_linted_normally() {
        let linter = Linter::new(&[&RULE], settings());
        let text = format!("FROM a:1\nLABEL blob=\"{}\"\n", "x".repeat(1024 * 1024));
        assert!(linter.lint(&SourceFile::from_text(text), Format::Dockerfile).diagnostics.is_empty());
    }
}
