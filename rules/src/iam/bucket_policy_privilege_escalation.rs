use plimsoll_iam::catalogue::catalogue;
use plimsoll_iam::{Policy, PolicyKind, Statement};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::help::code_list;
use crate::support::iam::{grant_of, is_every_resource, wildcard_match};
use crate::support::iam_grants::{Denials, is_full_admin};

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements (of identity and bucket policies) that grant, on named S3 buckets and
    /// without a `Condition`, a bucket permission that yields object permissions the policy does not grant
    /// on that bucket's objects: `s3:PutBucketPolicy` (a bucket policy can grant anything:
    /// `s3:GetObject`, `s3:PutObject`, `s3:DeleteObject`), `s3:PutBucketAcl` (the bucket ACL's `WRITE`
    /// lets the grantee create, overwrite and delete any object: `s3:PutObject`, `s3:DeleteObject`) and
    /// `s3:PutLifecycleConfiguration` (an expiration rule deletes every object: `s3:DeleteObject`). An
    /// object grant counts when one of the policy's `Allow` statements (for the same principal, in a
    /// bucket policy) grants the action on every object of the bucket (`arn:aws:s3:::BUCKET/*`).
    ///
    /// Bucket permissions on every resource (`*`) are IAM016's; actions an unconditional `Deny` of the
    /// same policy takes back on every resource do not count; policies that grant full administrator
    /// access (IAM013) are left out.
    ///
    /// ## Why is this bad?
    /// The policy looks like it withholds object access, and a reviewer trusts it to: yet the holder can
    /// write a bucket policy or ACL that grants itself every object of the bucket, or a lifecycle rule that
    /// deletes them all. The real reach of the policy is the whole bucket's data.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["s3:GetBucketPolicy", "s3:PutBucketPolicy"], "Resource": "arn:aws:s3:::reports"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetBucketPolicy", "Resource": "arn:aws:s3:::reports"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Bucket policies for Amazon S3](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html)
    /// - [Access control list (ACL) overview: permissions you can grant](https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions)
    /// - [Expiring objects with S3 Lifecycle](https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html)
    code: "IAM029",
    name: "bucket-policy-privilege-escalation",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["RESOURCE_POLICY_PRIVILEGE_ESCALATION"],
    checks: [Check::Iam(check)],
}

/// The bucket permissions and the object permissions each one yields.
const YIELDS: [(&str, &[&str]); 3] = [
    ("s3:PutBucketPolicy", &["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    ("s3:PutBucketAcl", &["s3:PutObject", "s3:DeleteObject"]),
    ("s3:PutLifecycleConfiguration", &["s3:DeleteObject"]),
];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let Some(bucket_type) = catalogue().service("s3").and_then(|s3| s3.resource_type("bucket")) else {
        return;
    };
    let judged = ctx.file.policies.iter().filter(|p| p.kind != PolicyKind::Trust);
    for policy in judged.filter(|p| !p.statements.iter().any(is_full_admin)) {
        let denials = Denials::of(policy);
        for statement in policy.statements.iter().filter(|s| s.allows() && !s.is_conditional()) {
            let buckets: Vec<&Spanned<String>> = statement
                .resources()
                .iter()
                .filter(|r| !is_every_resource(&r.value) && bucket_type.matches(&r.value))
                .collect();
            if buckets.is_empty() {
                continue;
            }
            // The escalating actions the statement grants, grouped by the item that grants them.
            let mut items: Vec<(plimsoll_span::TextRange, Vec<usize>)> = Vec::new();
            for (index, (action, _)) in YIELDS.iter().enumerate() {
                let Some(item) = grant_of(statement, action) else { continue };
                if denials.deny(action) {
                    continue;
                }
                match items.iter_mut().find(|(known, _)| *known == item) {
                    Some((_, indexes)) => indexes.push(index),
                    None => items.push((item, vec![index])),
                }
            }
            for (item, indexes) in items {
                for bucket in &buckets {
                    let mut missing: Vec<&str> = Vec::new();
                    for object_action in indexes.iter().flat_map(|&i| YIELDS[i].1.iter()) {
                        if !missing.contains(object_action)
                            && !grants_objects(ctx.text, policy, statement, object_action, &bucket.value)
                        {
                            missing.push(object_action);
                        }
                    }
                    if missing.is_empty() {
                        continue;
                    }
                    let escalating: Vec<&str> = indexes.iter().map(|&i| YIELDS[i].0).collect();
                    let message = if escalating.len() == 1 {
                        format!(
                            "The bucket permission {} yields object access the policy does not grant: {}",
                            code_list(escalating.iter().copied()),
                            code_list(missing.iter().copied())
                        )
                    } else {
                        format!(
                            "The bucket permissions {} yield object access the policy does not grant: {}",
                            code_list(escalating.iter().copied()),
                            code_list(missing.iter().copied())
                        )
                    };
                    r.report(item, message)
                        .label(bucket.range, "this bucket's objects are not granted")
                        .help("Keep bucket-policy, ACL and lifecycle permissions to administrators; if this principal needs them, grant it the object actions openly so the policy shows its reach");
                }
            }
        }
    }
}

/// Whether an `Allow` statement of the policy (for the same principal) grants `action` on every object
/// of `bucket`.
fn grants_objects(text: &str, policy: &Policy, by: &Statement, action: &str, bucket: &str) -> bool {
    let objects = format!("{bucket}/*");
    let principal = |s: &Statement| s.principal.as_ref().map(|p| p.range.slice(text));
    policy.statements.iter().filter(|s| s.allows() && principal(s) == principal(by)).any(|s| {
        grant_of(s, action).is_some()
            && (s.not_resource.is_some() || s.resources().iter().any(|r| wildcard_match(&r.value, &objects)))
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn bucket_permissions_without_object_grants() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:PutBucketPolicy", "s3:GetObject"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/2024/*"]},
    {"Effect": "Allow", "Action": "s3:PutBucket*", "Resource": "arn:aws:s3:::logs-*"},
    {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs-*/*"},
    {"Effect": "Allow", "Action": "s3:PutLifecycleConfiguration", "Resource": "arn:aws:s3:::tmp"}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["s3:PutBucketPolicy", "s3:PutBucket*", "s3:PutLifecycleConfiguration"]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "The bucket permission `s3:PutBucketPolicy` yields object access the policy does not grant: `s3:GetObject`, `s3:PutObject` and `s3:DeleteObject`"
        );
        assert_eq!(found[0].labels[0].range.slice(&text), "arn:aws:s3:::reports");
        assert_eq!(
            found[1].message,
            "The bucket permissions `s3:PutBucketPolicy` and `s3:PutBucketAcl` yield object access the policy does not grant: `s3:GetObject` and `s3:DeleteObject`"
        );
        assert!(found[2].message.ends_with("grant: `s3:DeleteObject`"), "{}", found[2].message);
    }

    #[test]
    fn object_grants_star_conditions_and_bucket_policies() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]},
    {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:PutBucketAcl", "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"s3:x-amz-acl": "private"}}},
    {"Effect": "Allow", "Action": "s3:GetBucketPolicy", "Resource": "arn:aws:s3:::b"}"#,
            ),
        );
        // In a bucket policy, the object grant must be the same principal's.
        let text = policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/admin"}, "Action": "s3:PutBucketPolicy", "Resource": "arn:aws:s3:::b"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/reader"}, "Action": "s3:*Object", "Resource": "arn:aws:s3:::b/*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:PutBucketPolicy"]);
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/admin"}, "Action": ["s3:PutBucketPolicy", "s3:*Object"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}"#,
            ),
        );
    }
}
