use plimsoll_iam::PolicyKind;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;
use crate::support::iam_conditions::{key_in, restricting_test};

declare_rule! {
    /// ## What it does
    /// Flags resource policies (bucket, key, topic, queue, repository policies) that grant to an AWS
    /// service principal (`logging.s3.amazonaws.com`, `cloudtrail.amazonaws.com`, `sns.amazonaws.com`)
    /// without a condition that names the account or resource the service acts for: `aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceOrgPaths` or `aws:SourceOwner`, or, in key
    /// policies, an encryption context (`kms:EncryptionContext:…`) that names the resource.
    ///
    /// Role trust policies are left alone: a role can only be handed to a service by a principal of the
    /// role's own account (`iam:PassRole` does not cross accounts), and many services that assume roles
    /// send no source keys to test.
    ///
    /// ## Why is this bad?
    /// A service principal is shared by every AWS customer. Granting to `cloudtrail.amazonaws.com` alone
    /// lets a trail in *someone else's* account write into your bucket, or an event rule of another
    /// account publish to your topic: the service becomes a confused deputy, acting with the permissions
    /// you gave it on behalf of whoever asked it to. The source keys tie the grant to your own resources.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
    ///      "Resource": "arn:aws:s3:::audit-logs/AWSLogs/111122223333/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
    ///      "Resource": "arn:aws:s3:::audit-logs/AWSLogs/111122223333/*",
    ///      "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [The confused deputy problem: cross-service confused deputy prevention](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention)
    /// - [AWS global condition context keys: aws:SourceArn, aws:SourceAccount](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn)
    code: "IAM027",
    name: "service-principal-without-source",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"],
    checks: [Check::Iam(check)],
}

/// Keys that name the account, organization or resource a service request is made for.
const SOURCE_KEYS: [&str; 5] =
    ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner"];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (policy, statement) in allow_statements(ctx) {
        if policy.kind != PolicyKind::Resource {
            continue;
        }
        let tied = |key: &str| {
            key_in(key, &SOURCE_KEYS) || key.to_ascii_lowercase().starts_with("kms:encryptioncontext:")
        };
        if restricting_test(statement, tied).is_some() {
            continue;
        }
        for (kind, service) in statement.principals() {
            if kind != "Service" || !is_service_principal(&service.value) {
                continue;
            }
            r.report(
                service.range,
                format!("`{}` may use this grant for any AWS account: no condition names the source account or resource", service.value),
            )
            .help("add `\"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT-ID\"}` or an `ArnLike` test of `aws:SourceArn` that names the resource the service acts for");
        }
    }
}

/// `cloudtrail.amazonaws.com`, `logs.eu-west-1.amazonaws.com`, `…amazonaws.com.cn`.
fn is_service_principal(value: &str) -> bool {
    value.ends_with(".amazonaws.com") || value.ends_with(".amazonaws.com.cn")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn service_grants_without_source() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": {"Service": ["logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"]},
      "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"]);
        let if_exists = policy(
            r#"{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*",
      "Condition": {"ArnEqualsIfExists": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &if_exists), ["sns.amazonaws.com"]);
    }

    #[test]
    fn sourced_grants_trust_policies_and_denies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*",
      "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}},
    {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": ["kms:Encrypt*", "kms:Decrypt*"], "Resource": "*",
      "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}}},
    {"Effect": "Deny", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "s3:*", "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
            ),
        );
    }
}
