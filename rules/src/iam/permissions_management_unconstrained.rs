use plimsoll_iam::catalogue::AccessLevel;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam_grants::{reads_by_name, report_grant, unconstrained_grants};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of identity policies that grant actions of the "Permissions management"
    /// access level (`iam:PutRolePolicy`, `s3:PutBucketPolicy`, `kms:CreateGrant`, `ecr:SetRepositoryPolicy`,
    /// `lambda:AddPermission`) on every resource (`*`, an all-wildcard ARN, or `NotResource`) with no
    /// `Condition`. Wildcards (`s3:Put*`) and `NotAction` count for what they expand to in the AWS action
    /// catalogue; actions an unconditional `Deny` of the same policy takes back on every resource do not.
    ///
    /// Left out: actions that accept only `*` (no `Resource` can do better; cloudsplaining leaves them out
    /// too), the few dozen the catalogue files under permissions management although their names say they
    /// only read (`billing:GetResourcePolicy`, `glue:ListEntities`), and `iam:PassRole`, which IAM020
    /// reports with advice of its own. Resource and trust policies are not judged (there `*` is the
    /// resource the policy is attached to), nor policies that grant full administrator access (IAM013
    /// says it all).
    ///
    /// ## Why is this bad?
    /// Permissions-management actions change who can do what: the holder can attach policies to
    /// identities, make any bucket, queue, key or repository public through its resource policy, or hand
    /// out KMS grants. On every resource, a leaked credential or a compromised workload can open the whole
    /// account's data to the internet or to another account.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutBucketPolicy"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
    ///     {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::reports"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    code: "IAM016",
    name: "permissions-management-unconstrained",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["PERMISSIONS_MANAGEMENT_ACTIONS", "ResourceExposure", "CKV_AWS_109", "CKV_AWS_289"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let grants = unconstrained_grants(ctx, |action| {
        action.access() == AccessLevel::PermissionsManagement
            && action.supports_resource_scoping()
            && !reads_by_name(action)
            && action.full_name() != "iam:PassRole" // IAM020's.
    });
    for grant in grants {
        report_grant(
            r,
            ctx.text,
            grant,
            "permissions-management actions",
            "grants permissions-management actions too",
            "Name the resources in `Resource` (the role, bucket or key ARNs) or add a condition; keep permissions management to administrators",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn permissions_management_on_every_resource() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutBucketPolicy", "iam:Attach*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:CreateGrant", "NotResource": "arn:aws:kms:*:1:key/k"},
    {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "arn:aws:*:*:*:*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:PutBucketPolicy", "kms:CreateGrant", "NotAction"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "The statement allows permissions-management actions on every resource: `s3:PutBucketPolicy`, `iam:AttachGroupPolicy`, `iam:AttachRolePolicy` and 1 more"
        );
        let labels: Vec<&str> = found[0].labels.iter().map(|l| l.range.slice(&text)).collect();
        assert_eq!(labels, ["*", "iam:Attach*"]);
        assert_eq!(found[1].labels[0].range.slice(&text), "NotResource");
        assert!(found[2].message.contains("more"), "{}", found[2].message);
    }

    #[test]
    fn scoped_conditional_denied_resource_policies_and_admin_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::b"},
    {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}},
    {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "iam:PassRole", "billing:GetResourcePolicy"], "Resource": "*"},
    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}"#,
            ),
        );
        // Taken back by an unconditional Deny on every resource.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "*"},
    {"Effect": "Deny", "Action": "iam:Attach*", "Resource": "*"}"#,
            ),
        );
        // A key policy: `*` is the key itself.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#,
            ),
        );
        // Full administrator access is IAM013's.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*"}"#,
            ),
        );
    }
}
