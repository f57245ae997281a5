use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements that list their actions with `NotAction`.
    ///
    /// ## Why is this bad?
    /// `"Effect": "Allow"` with `NotAction` grants every action of every service except the ones listed,
    /// including the services and actions AWS adds later: the grant grows without anyone editing the
    /// policy. It is how `PowerUserAccess` is written, which is the point: it is an administrator's
    /// grant, and it deserves a reviewer's attention wherever it appears. Limiting `Resource` narrows it
    /// only as far as the listed resources go. `NotAction` belongs in `Deny` statements ("deny everything
    /// but …"), where new actions fall on the safe side.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:GetObject", "s3:ListBucket"], "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    /// - [Security best practices in IAM: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    code: "IAM022",
    name: "allow-with-not-action",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["SCP_SYNTAX_ERROR_ALLOW_NOTACTION"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        if let Some(not) = &statement.not_action {
            r.report(
                not.key,
                "`Allow` with `NotAction` grants every action except the listed ones, including actions AWS adds later",
            )
            .help("list the actions the principal needs in `Action`; use `NotAction` in `Deny` statements");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn every_allow_with_not_action_is_reported() {
        let text = policy(
            r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "NotAction": ["s3:DeleteBucket"], "Resource": "arn:aws:s3:::b", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["NotAction", "NotAction", "NotAction"]);
    }

    #[test]
    fn deny_with_not_action_and_plain_actions_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Deny", "NotAction": ["iam:ChangePassword", "sts:GetSessionToken"], "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
            ),
        );
    }
}
