use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{allow_statements, grant_of, unconstrained};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements that grant `iam:PassRole` (by name, through a pattern such as `iam:Pass*` or
    /// `iam:*`, or through `NotAction`) on every role (`Resource: "*"` or `NotResource`) without a
    /// condition. A bare `*` action is IAM011's and IAM013's.
    ///
    /// ## Why is this bad?
    /// Passing a role hands it to a service: whoever may pass every role can start an EC2 instance, a
    /// Lambda function, an ECS task or a CloudFormation stack that runs as the account's most powerful
    /// role, and then act as it. It is the first step of most IAM privilege-escalation paths.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "ecs:RunTask"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "ecs:RunTask", "Resource": "*"},
    ///     {
    ///       "Effect": "Allow",
    ///       "Action": "iam:PassRole",
    ///       "Resource": "arn:aws:iam::123456789012:role/report-task",
    ///       "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - [IAM condition keys: iam:PassedToService](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService)
    code: "IAM020",
    name: "pass-role-unrestricted",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "AWS-0342",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_NOT_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        let Some(resource) = unconstrained(statement) else { continue };
        let Some(grant) = grant_of(statement, "iam:PassRole") else { continue };
        let written = grant.slice(ctx.text);
        if written.split(':').next() == Some("*") {
            continue; // IAM011/IAM013: every action.
        }
        let message = if written.eq_ignore_ascii_case("iam:PassRole") {
            "The statement lets the holder pass every role to AWS services".to_string()
        } else {
            format!(
                "`{written}` lets the holder pass every role to AWS services (`iam:PassRole` on every resource)"
            )
        };
        r.report(grant, message).label(resource, "every role").help(
            "Name the roles in `Resource` (`arn:aws:iam::ACCOUNT:role/NAME`) and add an `iam:PassedToService` condition",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn pass_role_on_every_role() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["ec2:RunInstances", "iam:PassRole"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:Pass*", "Resource": ["arn:aws:*:*:*:*"]},
    {"Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::1:role/admin"},
    {"Effect": "Allow", "NotAction": ["s3:*"], "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["iam:PassRole", "iam:Pass*", "iam:*", "NotAction"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(found[0].message, "The statement lets the holder pass every role to AWS services");
        assert_eq!(found[2].labels[0].range.slice(&text), "NotResource");
    }

    #[test]
    fn named_roles_conditions_denies_and_star_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/app"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}"#,
            ),
        );
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}"#));
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#));
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#));
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}"#));
    }
}
