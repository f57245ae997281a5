use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{allow_statements, star_actions, unconstrained};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements that grant every action (`*`) on every resource (`*`, or `NotResource`)
    /// with no condition: full administrator access, the AWS managed `AdministratorAccess` policy.
    ///
    /// ## Why is this bad?
    /// Whoever holds this policy owns the account: they can read every secret, delete every backup,
    /// create users and keys for themselves and turn off logging. Attached to a role that a container, a
    /// CI job or a Lambda assumes, it turns any code execution in that workload into a full account
    /// takeover.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS managed policies for job functions: AdministratorAccess](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    code: "IAM013",
    name: "full-admin-access",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: ["CKV_AWS_1", "CKV_AWS_62", "AWS-0057", "ServiceWildcard"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        let Some(star) = star_actions(statement).next() else { continue };
        let Some(resource) = unconstrained(statement) else { continue };
        r.report(star.range, "The statement allows every action on every resource: full administrator access")
            .label(resource, "on every resource")
            .help("Grant the actions and resources the workload needs; keep administrator access to a few people, behind MFA or SSO");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn every_action_on_every_resource() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["*"], "NotResource": "arn:aws:s3:::audit-logs/*"},
    {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:*:*:*:*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*", "*", "*"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(found[1].labels[0].range.slice(&text), "NotResource");
    }

    #[test]
    fn scoped_conditional_and_denied_pass() {
        assert_iam_clean(
            &RULE,
            &policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}"#),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
            ),
        );
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Deny", "Action": "*", "Resource": "*"}"#));
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#));
    }
}
