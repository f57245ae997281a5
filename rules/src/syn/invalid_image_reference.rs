use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{ImageSpec, ImageUse};

declare_rule! {
    /// ## What it does
    /// Reports an image reference that Docker would reject, such as a repository name with upper-case
    /// letters (`FROM baseImage`) or a leftover template placeholder (`FROM REPLACE-ME`).
    ///
    /// ## Why is this bad?
    /// The build or the deployment fails when it reaches this reference, and until then nothing in the file
    /// says which image was meant. plimsoll still applies its image rules to the lower-cased reading.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM baseImage
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM baseimage:1.0
    /// ```
    ///
    /// ## References
    /// - [The distribution reference grammar](https://github.com/distribution/reference/blob/main/reference.go)
    code: "SYN004",
    name: "invalid-image-reference",
    family: Syn,
    severity: Error,
    formats: [Dockerfile],
    aliases: [],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let ImageSpec::Invalid { lenient, error } = &image.spec else { return };
    let error =
        error.strip_prefix(&format!("invalid image reference `{}`: ", image.written)).unwrap_or(error);
    r.report(image.range, format!("Image reference `{}` is not valid: {error}", image.written))
        .help(format!("Use a valid reference; repository names are lower-case: `{lenient}`."));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, spans};

    #[test]
    fn upper_case_repositories_are_invalid() {
        assert_eq!(spans(&RULE, "FROM baseImage\n"), ["baseImage"]);
        assert_eq!(spans(&RULE, "FROM REPLACE-ME AS x\n"), ["REPLACE-ME"]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY --from=Tools:1 /x /x\n"), ["Tools:1"]);
    }

    #[test]
    fn valid_and_unresolved_references_pass() {
        assert_clean(&RULE, "FROM GHCR.io/org/app:V1\n");
        assert_clean(&RULE, "ARG X\nFROM $X\n");
        assert_clean(&RULE, "FROM scratch\n");
    }
}
