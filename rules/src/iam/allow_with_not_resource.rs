use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements that list their resources with `NotResource`.
    ///
    /// ## Why is this bad?
    /// `"Effect": "Allow"` with `NotResource` grants the actions on every resource except the ones
    /// listed: on every bucket, key, role and table that exists now or later, in this account and, for
    /// actions that accept them, in others. A typo in the exclusion list silently grants access to the
    /// resource it meant to exclude. Name the resources the principal needs in `Resource`, and keep
    /// `NotResource` for `Deny` statements.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:*", "NotResource": ["arn:aws:s3:::payroll", "arn:aws:s3:::payroll/*"]}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    code: "IAM023",
    name: "allow-with-not-resource",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["NOTRESOURCE_WITH_ALLOW"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        if let Some(not) = &statement.not_resource {
            r.report(not.key, "`Allow` with `NotResource` grants on every resource except the listed ones")
                .help("name the resources the principal needs in `Resource`; use `NotResource` in `Deny` statements");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn allow_with_not_resource_points_at_the_key() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/admin"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["NotResource"]);
    }

    #[test]
    fn deny_with_not_resource_passes() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::corp-*"]},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::corp-data/*"}"#,
            ),
        );
    }
}
