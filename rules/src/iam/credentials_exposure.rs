use plimsoll_iam::catalogue::escalation::credential_action_records;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam_grants::{listed_grants, report_grant};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of identity policies that grant actions whose responses hold credentials
    /// (`iam:CreateAccessKey`, `sts:AssumeRole`, `ec2:GetPasswordData`, `redshift:GetClusterCredentials`,
    /// `rds-db:connect`, `codeartifact:GetAuthorizationToken`, …) with no `Condition` on every resource
    /// (`*`, an all-wildcard ARN, or `NotResource`) or on every resource of the kind the action takes
    /// (`arn:aws:iam::*:user/*`), by name, through a wildcard or through `NotAction`. Actions an
    /// unconditional `Deny` of the same policy takes back on every resource do not count.
    ///
    /// Actions that cannot be scoped to resources are left out, as cloudsplaining leaves them: `*` is the
    /// only way to grant them, and they hand out nothing beyond what other grants allow
    /// (`ecr:GetAuthorizationToken` returns a registry password whose use the repository permissions
    /// decide; `sts:GetSessionToken` returns the caller's own permissions). So are
    /// `sts:AssumeRoleWithSAML` and `sts:AssumeRoleWithWebIdentity`, which are called without AWS
    /// credentials: only the role's trust policy decides them. Resource and trust policies are not judged,
    /// nor policies that grant full administrator access (IAM013 says it all).
    ///
    /// ## Why is this bad?
    /// On every resource these actions give credentials of other identities: an access key or console
    /// password for any user, the session of any role whose trust policy accepts the account, the
    /// administrator password of any Windows instance, a login to any database. Whoever holds the policy,
    /// or steals its credentials from a container, becomes those identities.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/deploy"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Managing access keys for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - [Grant a user permissions to switch roles](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html)
    /// - [Compare AWS STS credentials](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts-comparison.html)
    code: "IAM018",
    name: "credentials-exposure",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["CREDENTIALS_EXPOSURE", "CredentialsExposure", "CKV_AWS_107", "CKV_AWS_287"],
    checks: [Check::Iam(check)],
}

/// Called without AWS credentials: identity policies do not decide them.
const UNAUTHENTICATED: [&str; 2] = ["sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let grants = listed_grants(ctx, credential_action_records(), |action| {
        action.supports_resource_scoping() && !UNAUTHENTICATED.contains(&action.full_name())
    });
    for grant in grants {
        report_grant(
            r,
            ctx.text,
            grant,
            "actions that return credentials",
            "grants credential actions too",
            "Name the users, roles, instances or databases in `Resource` (`arn:aws:iam::ACCOUNT:user/${aws:username}` for one's own keys)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn credential_actions_on_every_resource() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:ListBucket", "ec2:GetPasswordData", "STS:AssumeRole"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:*AccessKey*", "NotResource": "arn:aws:iam::1:user/root"},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/*"},
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["ec2:GetPasswordData", "iam:*AccessKey*", "sts:AssumeRole", "NotAction"]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "The statement allows actions that return credentials on every resource: `ec2:GetPasswordData` and `sts:AssumeRole`"
        );
        let labels: Vec<&str> = found[0].labels.iter().map(|l| l.range.slice(&text)).collect();
        assert_eq!(labels, ["*", "STS:AssumeRole"]);
        assert!(found[1].message.ends_with("`iam:CreateAccessKey` and `iam:UpdateAccessKey`"));
        assert_eq!(found[2].labels[0].message, "on every resource of its kind");
        assert!(found[3].message.contains("`codepipeline:PollForJobs`"), "{}", found[3].message);
    }

    #[test]
    fn unscopable_scoped_conditional_and_denied_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "sts:GetSessionToken", "sts:AssumeRoleWithWebIdentity"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/deploy-*"},
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}},
    {"Effect": "Allow", "Action": "ec2:GetPasswordData", "Resource": "*"},
    {"Effect": "Deny", "Action": "ec2:GetPasswordData", "Resource": "*"}"#,
            ),
        );
        // A trust policy grants nothing but assuming the role.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
            ),
        );
    }
}
