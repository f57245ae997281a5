use plimsoll_iam::catalogue::AccessLevel;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam_grants::{reads_by_name, report_grant, unconstrained_grants};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements of identity policies that grant actions of the "Write", "Tagging" or
    /// "Permissions management" access levels on every resource (`*`, an all-wildcard ARN, or
    /// `NotResource`) with no `Condition`, for actions that can be scoped to resources. Wildcards
    /// (`ec2:*`) and `NotAction` count for what they expand to in the AWS action catalogue; actions an
    /// unconditional `Deny` of the same policy takes back on every resource do not.
    ///
    /// Actions that accept only `*` (`cloudwatch:PutMetricData`, `xray:PutTraceSegments`) are left out,
    /// as cloudsplaining leaves them out: no `Resource` can do better; so are actions whose names say they
    /// only read (`redshift-serverless:GetCredentials`, filed under Write by the catalogue; IAM018 reports
    /// it). Resource and trust policies are not judged, nor policies that grant full administrator access
    /// (IAM013).
    ///
    /// The rule is off by default: most AWS managed policies and many real workloads write on `*`, and
    /// IAM016 and IAM017 already report the writes that change permissions. Enable it to hold policies to
    /// least privilege.
    ///
    /// ## Why is this bad?
    /// A write on every resource lets the holder change or delete every resource of that type in the
    /// account: terminate every instance, drop every table, overwrite every function's code, retag
    /// resources to escape tag-based controls. A compromised workload that needed to change one queue can
    /// then change all of them.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:DeleteQueue"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:123456789012:jobs"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    code: "IAM015",
    name: "write-without-constraint",
    family: Iam,
    severity: Warning,
    default_enabled: false,
    formats: [Iam],
    aliases: ["InfrastructureModification", "CKV_AWS_111", "CKV_AWS_290"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let grants = unconstrained_grants(ctx, |action| {
        !matches!(action.access(), AccessLevel::List | AccessLevel::Read)
            && action.supports_resource_scoping()
            && !reads_by_name(action)
    });
    for grant in grants {
        report_grant(
            r,
            ctx.text,
            grant,
            "write actions",
            "grants write actions too",
            "Name the resources the workload changes in `Resource` (ARNs), or add a condition such as `aws:ResourceTag/…`",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn writes_on_every_resource() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteQueue", "sqs:TagQueue"], "Resource": "*"},
    {"Effect": "Allow", "Action": "dynamodb:Put*", "NotResource": "arn:aws:dynamodb:*:1:table/audit"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["sqs:DeleteQueue", "dynamodb:Put*"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "The statement allows write actions on every resource: `sqs:DeleteQueue` and `sqs:TagQueue`"
        );
        let labels: Vec<&str> = found[0].labels.iter().map(|l| l.range.slice(&text)).collect();
        assert_eq!(labels, ["*", "sqs:TagQueue"]);
        // Permissions management comes first in the list.
        assert!(found[1].message.contains("`dynamodb:PutResourcePolicy`"), "{}", found[1].message);
    }

    #[test]
    fn reads_unscopable_scoped_conditional_and_denied_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "cloudwatch:PutMetricData", "ec2:Describe*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "sqs:DeleteQueue", "Resource": "arn:aws:sqs:*:1:jobs"},
    {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}"#,
            ),
        );
    }
}
