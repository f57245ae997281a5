use plimsoll_iam::{PolicyKind, Statement};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{allow_statements, code_list};
use crate::support::iam_conditions::{CALLER_KEYS, key_in, restricting_test};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements whose principal is everyone, `"Principal": "*"` or
    /// `"Principal": {"AWS": "*"}`, unless a condition limits who can use them: a matching test
    /// (not `…IfExists`, not negated) of the caller's organization, account, ARN or network
    /// (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:PrincipalServiceName`, `aws:userid`, `aws:SourceVpce`, `aws:SourceVpc`, `aws:SourceIp`, `aws:VpcSourceIp`,
    /// `kms:CallerAccount`, `s3:DataAccessPointAccount`) or of the resource a service acts for
    /// (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceOrgID`). A condition on
    /// anything else, such as `aws:SecureTransport`, `aws:UserAgent` or `aws:Referer`, is reported too:
    /// it shapes the request, not who sends it. In a role's trust policy the finding reads "anyone can
    /// assume this role".
    ///
    /// ## Why is this bad?
    /// `*` is every AWS account in the world and, for services that allow it (Amazon S3, Amazon SQS,
    /// Amazon SNS, Lambda function URLs), anonymous callers. A bucket, key, queue, topic or role open to
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
        if restricting_test(statement, |key| key_in(key, &CALLER_KEYS)).is_some() {
            continue;
        }
        let trust = policy.kind == PolicyKind::Trust;
        let subject = if trust {
            "Anyone can assume this role: its principal is `*`".to_string()
        } else {
            "The statement grants to everyone (`*`), anonymous callers included".to_string()
        };
        let message = match condition_keys(statement) {
            keys if keys.is_empty() => format!("{subject}, and no condition limits who"),
            keys => format!("{subject}: its condition on {} does not limit who", code_list(&keys)),
        };
        let help = if trust {
            "name the accounts or roles that may assume the role in `Principal`"
        } else {
            "name the principals in `Principal`, or keep `*` and limit it with a condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceArn`"
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
    {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "sqs:SendMessage", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*", "*"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.contains("no condition limits who"), "{}", found[0].message);
        assert!(found[1].range.start > text.find("111122223333").unwrap() as u32);
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
    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
            ),
        );
    }
}
