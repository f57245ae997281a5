use plimsoll_iam::{PolicyKind, Statement};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::help::code_list;
use crate::support::iam::{allow_statements, every_resource, star_actions};
use crate::support::iam_conditions::limits_callers;

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements whose principal is everyone, `"Principal": "*"` or
    /// `"Principal": {"AWS": "*"}`, unless a condition limits who can use them: a matching test
    /// (not `…IfExists`, not negated) of the caller's organization, account, ARN or network
    /// (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:PrincipalServiceName`, `aws:userid`, `aws:SourceVpce`, `aws:SourceVpc`, `aws:SourceIp`, `aws:VpcSourceIp`,
    /// `kms:CallerAccount`, `s3:DataAccessPointAccount`) or of the resource a service acts for
    /// (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceOrgID`), or
    /// `"Bool": {"aws:PrincipalIsAWSService": "true"}`, which admits only AWS services. A condition on
    /// anything else, such as `aws:SecureTransport`, `aws:UserAgent` or `aws:Referer`, is reported too:
    /// it shapes the request, not who sends it. In a role's trust policy the finding reads "anyone can
    /// assume this role". A statement that allows `*` on every resource (`"Resource": "*"`) may also be
    /// a VPC endpoint policy (`"Action": "*"` is an endpoint's default), which grants nothing by itself
    /// but lets credentials of any account use the endpoint; the finding says so.
    ///
    /// ## Why is this bad?
    /// `*` is every AWS account in the world and, for services that allow it (Amazon S3, Amazon SQS,
    /// Lambda function URLs), anonymous callers. A bucket, key, queue, topic or role open to
    /// `*` is public: anyone who learns its name can read, change or assume it. `aws:Referer` and
    /// `aws:UserAgent` are headers the caller writes.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Principal (all principals)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Blocking public access to your Amazon S3 storage: the meaning of "public"](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
    code: "IAM024",
    name: "principal-everyone",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: [
        "AssumableByAnyPrincipal",
        "AssumableByAnyPrincipalWithConditions",
        "CKV_AWS_60",
        "CKV_AWS_283",
        "CKV_AWS_33",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (policy, statement) in allow_statements(ctx) {
        let Some(everyone) = statement.principal.as_ref().and_then(|p| p.everyone_at()) else {
            continue;
        };
        if limits_callers(statement) {
            continue;
        }
        let unlimited = match condition_keys(statement) {
            keys if keys.is_empty() => "no condition limits who".to_string(),
            keys => format!("its condition on {} does not limit who", code_list(keys.iter().copied())),
        };
        let (message, help) = if policy.kind == PolicyKind::Trust {
            (
                format!("Anyone can assume this role: its principal is `*` and {unlimited}"),
                "name the accounts or roles that may assume the role in `Principal`",
            )
        } else if every_resource(statement).is_some() {
            // The shape of a VPC endpoint policy, and of a key, secret or queue opened to the world.
            let what =
                if star_actions(statement).next().is_some() { "every action" } else { "these actions" };
            (
                format!(
                    "Everyone (`*`) is allowed {what} on every resource and {unlimited}: in a resource policy that makes the resource public, in a VPC endpoint policy it lets any account's credentials through"
                ),
                "limit `*` with a condition such as `aws:PrincipalOrgID` (in a VPC endpoint policy too, to keep the endpoint for your organization), or name the principals",
            )
        } else {
            (
                format!("The statement grants to everyone (`*`) and {unlimited}"),
                "name the principals in `Principal`, or keep `*` and limit it with a condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceArn`",
            )
        };
        r.report(everyone, message).help(help);
    }
}

/// The condition keys the statement tests, in order, each once.
fn condition_keys(statement: &Statement) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    let tests = statement.condition.iter().flat_map(|c| &c.blocks).flat_map(|b| &b.tests);
    for test in tests {
        if !keys.iter().any(|k| k.eq_ignore_ascii_case(&test.key.value)) {
            keys.push(&test.key.value);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn everyone_without_condition() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"},
    {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*", "*"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.ends_with("and no condition limits who"), "{}", found[0].message);
        assert!(found[1].range.start > text.find("111122223333").unwrap() as u32);
    }

    #[test]
    fn yaml_policies() {
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: {AWS: '*'}\n    Action: sqs:SendMessage\n    Resource: arn:aws:sqs:us-east-1:111122223333:q\n";
        assert_eq!(iam_spans(&RULE, yaml), ["*"]);
    }

    #[test]
    fn trust_policy_reads_anyone_can_assume() {
        let text = policy(r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}"#);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.starts_with("Anyone can assume this role"), "{}", found[0].message);
    }

    #[test]
    fn conditions_that_do_not_limit_who() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
      "Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringLike": {"aws:Referer": "https://example.com/*"}}},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}},
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
      "Condition": {"StringLike": {"aws:PrincipalOrgID": "*"}}}"#,
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(found.len(), 4);
        assert!(
            found[0].message.contains("`aws:SecureTransport` and `aws:Referer` does not limit who"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn restricted_named_and_denied_principals_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": "*",
      "Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
      "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-east-1.amazonaws.com"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
      "Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}}},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
      "Condition": {"StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}}}},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
            ),
        );
    }

    #[test]
    fn every_action_to_everyone_mentions_endpoint_policies() {
        let text =
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}"#;
        let found = lint_iam(&RULE, text);
        assert!(found[0].message.contains("every action on every resource"), "{}", found[0].message);
        assert!(found[0].message.contains("VPC endpoint policy"), "{}", found[0].message);
        let services_only = policy(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:PrincipalIsAWSService": "false"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &services_only), ["*"]);
    }
}
