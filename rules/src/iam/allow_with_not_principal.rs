use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements that name their principals with `NotPrincipal`.
    ///
    /// ## Why is this bad?
    /// `"Effect": "Allow"` with `NotPrincipal` grants the statement's actions to every principal except
    /// the ones listed: every other AWS account, and anonymous users too. A list meant as "everyone but
    /// these" is almost always meant as "only these", and even when it is not, the grant widens each
    /// time someone new exists. AWS recommends naming who needs access in `Principal`, and keeping
    /// `NotPrincipal` for `Deny` statements (for which AWS now prefers `aws:PrincipalArn` conditions).
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/guest"},
    ///      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/analyst"},
    ///      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    /// - [IAM Access Analyzer policy check reference: Allow with NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM021",
    name: "allow-with-not-principal",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["NOTPRINCIPAL_WITH_ALLOW", "ALLOW_WITH_NOT_PRINCIPAL"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        if let Some(not) = &statement.not_principal {
            r.report(
                not.key,
                "`Allow` with `NotPrincipal` grants to everyone but the listed principals, anonymous users included",
            )
            .help("name the principals that need access in `Principal` instead");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn allow_with_not_principal_points_at_the_key() {
        let text = policy(
            r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "sqs:*", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["NotPrincipal"]);
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    NotPrincipal: {AWS: '111122223333'}\n    Action: s3:*\n    Resource: '*'\n";
        assert_eq!(iam_spans(&RULE, yaml), ["NotPrincipal"]);
    }

    #[test]
    fn deny_with_not_principal_and_allow_with_principal_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"}, "Action": "s3:DeleteBucket", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"}, "Action": "s3:*", "Resource": "*"}"#,
            ),
        );
    }
}
