use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::is_every_resource;
use crate::support::iam_grants::{Denials, action_summary, by_danger, granted_where, judged_policies};

declare_rule! {
    /// ## What it does
    /// Flags `"Resource": "*"` (or an ARN that is every resource, such as `arn:aws:*:*:*:*`) in `Allow`
    /// statements of identity policies without a `Condition`, when some of the statement's actions can be
    /// scoped to resources: the AWS action catalogue lists resource types for them. Actions of every access
    /// level count, reads and lists included; the message names the most dangerous first. Actions that
    /// accept only `*` (`ec2:DescribeInstances`, `sts:GetCallerIdentity`) do not, nor actions an
    /// unconditional `Deny` of the same policy takes back on every resource.
    ///
    /// This is least-privilege hygiene and off by default, as parliament keeps its `RESOURCE_STAR` low:
    /// IAM015 to IAM019 report the unconstrained grants that matter most. `NotResource` is IAM023's.
    /// Resource and trust policies are not judged (there `*` is the resource the policy is attached to),
    /// nor policies that grant full administrator access (IAM013).
    ///
    /// ## Why is this bad?
    /// A workload rarely needs an action on every resource of the account. Naming the bucket, queue, table
    /// or function limits what a leaked credential or a compromised container can reach, and documents
    /// what the workload really touches.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [Service Authorization Reference: resource types of each action](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    code: "IAM014",
    name: "resource-star-on-scopable-action",
    family: Iam,
    severity: Info,
    default_enabled: false,
    formats: [Iam],
    aliases: ["RESOURCE_STAR", "RESOURCE_EFFECTIVELY_STAR", "CKV_AWS_355", "CKV_AWS_356"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in judged_policies(ctx) {
        let denials = Denials::of(policy);
        for statement in policy.statements.iter().filter(|s| s.allows() && !s.is_conditional()) {
            let Some(star) = statement.resources().iter().find(|r| is_every_resource(&r.value)) else {
                continue;
            };
            let mut granted = granted_where(statement, &denials, |a| a.supports_resource_scoping());
            if granted.is_empty() {
                continue;
            }
            by_danger(&mut granted);
            let names: Vec<&str> = granted.iter().map(|(action, _)| action.full_name()).collect();
            let message = if star.value == "*" {
                format!(
                    "`Resource` `*` covers actions that can be scoped to resources: {}",
                    action_summary(&names, 3)
                )
            } else {
                format!(
                    "`{}` is every resource, for actions that can be scoped to resources: {}",
                    star.value,
                    action_summary(&names, 3)
                )
            };
            r.report(star.range, message).help(
                "Name the resources in `Resource` (ARNs such as `arn:aws:s3:::BUCKET/*`); keep `*` for the actions that accept nothing else, in a statement of their own",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn star_resources_for_scopable_actions() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:PutBucketPolicy"], "Resource": ["arn:aws:s3:::b", "*"]},
    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:*:*:*:*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*", "arn:aws:*:*:*:*"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "`Resource` `*` covers actions that can be scoped to resources: `s3:PutBucketPolicy`, `s3:PutObject`, `s3:GetObject` and 1 more"
        );
        assert_eq!(
            found[1].message,
            "`arn:aws:*:*:*:*` is every resource, for actions that can be scoped to resources: `lambda:InvokeFunction`"
        );
    }

    #[test]
    fn unscopable_named_conditional_not_resource_and_denied_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["ec2:DescribeInstances", "sts:GetCallerIdentity"], "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceAccount": "1"}}},
    {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"},
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
    {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
            ),
        );
    }
}
