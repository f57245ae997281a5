use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{allow_statements, star_actions, unconstrained};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements whose `Action` is `*` (or `*:*`): every action of every AWS service, on the
    /// resources and under the conditions the statement names. When those are `*` and none, the statement
    /// is full administrator access and IAM013 reports it instead.
    ///
    /// ## Why is this bad?
    /// A `*` action grants every action AWS has and every one it will add, including the
    /// permissions-management actions (`iam:*`, `kms:PutKeyPolicy`, `s3:PutBucketPolicy`) that let the
    /// holder grant itself more. Even limited to a few resources it can delete, re-share or re-key them.
    /// A container whose role holds it turns any code execution into control of those resources.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    code: "IAM011",
    name: "allow-all-actions",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["CKV_AWS_49", "CKV_AWS_63", "CKV2_AWS_40", "AWS-0057", "ServiceWildcard"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        let Some(star) = star_actions(statement).next() else { continue };
        if unconstrained(statement).is_some() {
            continue; // IAM013: full administrator access.
        }
        r.report(star.range, "The statement allows every action of every AWS service")
            .help("List the actions the workload needs (`s3:GetObject`, …); IAM Access Analyzer can generate them from CloudTrail activity");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn star_actions_on_named_resources_or_with_conditions() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Action": "*:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*", "*:*"]);
    }

    #[test]
    fn admin_denies_and_named_actions_pass() {
        // Full administrator access is IAM013's.
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#));
        assert_iam_clean(
            &RULE,
            &policy(r#"{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::b"}"#),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*", "*:Get*"], "Resource": "arn:aws:s3:::b"}"#,
            ),
        );
    }
}
