use plimsoll_iam::catalogue::escalation::data_read_action_records;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam_grants::{listed_grants, report_grant};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of identity policies that grant the actions that read stored data and
    /// secrets (`s3:GetObject`, `s3:GetObjectVersion`, `ssm:GetParameter`, `ssm:GetParameters`,
    /// `ssm:GetParametersByPath`, `ssm:GetParameterHistory`, `secretsmanager:GetSecretValue`) with no
    /// `Condition` on every resource (`*`, an all-wildcard ARN, or `NotResource`) or on every resource of
    /// the kind the action takes (`arn:aws:s3:::*/*`, `arn:aws:ssm:*:*:parameter/*`), by name, through a
    /// wildcard (`s3:Get*`) or through `NotAction`. Actions an unconditional `Deny` of the same policy takes
    /// back on every resource do not count. `secretsmanager:BatchGetSecretValue` is left out: it cannot be
    /// scoped, and reads only the secrets `secretsmanager:GetSecretValue` allows. Resource and trust
    /// policies are not judged, nor policies that grant full administrator access (IAM013 says it all).
    ///
    /// ## Why is this bad?
    /// On every resource, the holder reads every object of every bucket, every parameter and every secret
    /// of the account: database passwords, API keys, backups, customer data. A workload that needs one
    /// bucket or one secret becomes, once compromised, a way to copy all of them out.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "ssm:GetParameter"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
    ///     {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:*:123456789012:parameter/app/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [Policy examples for Amazon S3: access to objects in a bucket](https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html)
    /// - [Restricting access to Systems Manager parameters using IAM policies](https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html)
    code: "IAM019",
    name: "data-exfiltration",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["DataExfiltration", "CKV_AWS_108", "CKV_AWS_288"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for grant in listed_grants(ctx, data_read_action_records(), |action| action.supports_resource_scoping()) {
        report_grant(
            r,
            ctx.text,
            grant,
            "reading stored data",
            "grants data reads too",
            "Name the buckets, parameter paths or secrets the workload reads in `Resource` (`arn:aws:s3:::BUCKET/*`)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn data_reads_on_every_resource() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:Get*", "secretsmanager:GetSecretValue"], "Resource": "*"},
    {"Effect": "Allow", "Action": "ssm:GetParameter*", "NotResource": "arn:aws:ssm:*:1:parameter/admin/*"},
    {"Effect": "Allow", "NotAction": ["s3:*", "ssm:*"], "Resource": "arn:*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::logs/*", "arn:aws:s3:::*"]}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:Get*", "ssm:GetParameter*", "NotAction", "s3:GetObject"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "The statement allows reading stored data on every resource: `s3:GetObject`, `s3:GetObjectVersion` and `secretsmanager:GetSecretValue`"
        );
        let labels: Vec<&str> = found[0].labels.iter().map(|l| l.range.slice(&text)).collect();
        assert_eq!(labels, ["*", "secretsmanager:GetSecretValue"]);
        assert!(found[2].message.ends_with("`secretsmanager:GetSecretValue`"), "{}", found[2].message);
        assert_eq!(found[3].labels[0].range.slice(&text), "arn:aws:s3:::*");
    }

    #[test]
    fn scoped_conditional_denied_and_admin_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
    {"Effect": "Allow", "Action": ["s3:GetObject", "ssm:GetParameters"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "111122223333"}}},
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "secretsmanager:BatchGetSecretValue"], "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"},
    {"Effect": "Deny", "Action": "ssm:*", "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#));
    }
}
