use std::collections::HashMap;

use plimsoll_iam::PolicyKind;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;

use crate::support::iam::part_range;

declare_rule! {
    /// ## What it does
    /// Flags statement IDs (`Sid`) that IAM or the policy's service rejects or that say nothing: two
    /// statements of one policy with the same `Sid`, an empty `Sid`, and, in identity policies and role
    /// trust policies, a `Sid` with characters other than the ASCII letters and digits IAM accepts.
    ///
    /// Resource policies stored by other services are not held to IAM's alphabet: Amazon S3, Amazon SNS,
    /// Amazon SQS and AWS KMS accept spaces and punctuation (the default key policy's statement is
    /// `"Enable IAM User Permissions"`), so only their duplicates and empty IDs are reported.
    ///
    /// ## Why is this bad?
    /// IAM refuses to create or update a policy whose `Sid` values repeat or use other characters, so the
    /// change fails when it is deployed rather than when it is reviewed. Services that let you address a
    /// statement by its ID (SNS, SQS) need the IDs to be unique, and duplicate IDs make findings, logs and
    /// reviews that name a statement ambiguous. An empty `Sid` identifies nothing: remove it or name it.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Sid": "read-logs", "Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": "*"},
    ///     {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    ///     {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Sid": "ReadLogs", "Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": "*"},
    ///     {"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    ///     {"Sid": "ListBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM003",
    name: "statement-sid-invalid",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "DUPLICATE_SID",
        "INVALID_SID",
        "UNIQUE_SIDS_REQUIRED",
        "UNIQUE_SIDS_RECOMMENDED",
        "UNSUPPORTED_SID",
        "EMPTY_SID_VALUE",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in &ctx.file.policies {
        // IAM stores identity and trust policies and holds them to its alphabet.
        let iam_alphabet = policy.kind != PolicyKind::Resource;
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        for sid in policy.statements.iter().filter_map(|s| s.sid.as_ref()) {
            if sid.value.is_empty() {
                r.report(with_quotes(ctx.text, sid.range), "The statement's `Sid` is empty")
                    .help("name the statement with letters and digits, or remove the `Sid`");
                continue;
            }
            if let Some(&first) = seen.get(sid.value.as_str()) {
                r.report(
                    sid.range,
                    format!("Another statement of this policy already has the `Sid` `{}`", sid.value),
                )
                .help("give every statement of the policy its own `Sid`")
                .label(first, "first used here");
                continue;
            }
            seen.insert(&sid.value, sid.range);
            let bad = sid.value.char_indices().find(|(_, c)| !c.is_ascii_alphanumeric());
            if let Some((at, c)) = bad.filter(|_| iam_alphabet) {
                let range = part_range(ctx.text, sid, at, at + c.len_utf8());
                r.report(
                    range,
                    format!("`{c}` is not allowed in a `Sid`: IAM accepts only ASCII letters and digits"),
                )
                .help(format!("write the `Sid` as `{}`", alphanumeric(&sid.value)));
            }
        }
    }
}

/// The `Sid` with other characters dropped and each word capitalised: `read-logs` → `ReadLogs`.
fn alphanumeric(sid: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in sid.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// An empty string's range widened to its quotes, so the finding has something to underline.
fn with_quotes(text: &str, range: TextRange) -> TextRange {
    let (start, end) = (range.start as usize, range.end as usize);
    let quoted = start > 0
        && matches!(text.as_bytes().get(start - 1), Some(b'"' | b'\''))
        && matches!(text.as_bytes().get(end), Some(b'"' | b'\''));
    if quoted { TextRange::new(range.start - 1, range.end + 1) } else { range }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn duplicates_point_at_the_later_sid() {
        let text = policy(
            r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["Read"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].range.start > text.find("Write").unwrap() as u32, "the second `Read`");
        assert_eq!(found[0].labels.len(), 1);
    }

    #[test]
    fn characters_iam_rejects_in_identity_and_trust_policies() {
        let text =
            policy(r#"{"Sid": "read-logs", "Effect": "Allow", "Action": "logs:Get*", "Resource": "*"}"#);
        assert_eq!(iam_spans(&RULE, &text), ["-"]);
        assert_eq!(lint_iam(&RULE, &text)[0].help.as_deref(), Some("write the `Sid` as `ReadLogs`"));
        let trust = policy(
            r#"{"Sid": "Trust EC2", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
        );
        assert_eq!(iam_spans(&RULE, &trust), [" "]);
    }

    #[test]
    fn empty_sid_is_reported_with_its_quotes() {
        let trust = policy(
            r#"{"Sid": "", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
        );
        assert_eq!(iam_spans(&RULE, &trust), ["\"\""]);
    }

    #[test]
    fn resource_policies_may_use_spaces_but_not_repeat() {
        let key_policy = policy(
            r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": "*"}"#,
        );
        assert_iam_clean(&RULE, &key_policy);
        let repeated = policy(
            r#"{"Sid": "Allow logs", "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"},
    {"Sid": "Allow logs", "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &repeated), ["Allow logs"]);
    }

    #[test]
    fn unique_alphanumeric_sids_and_no_sids_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Sid": "ReadLogs1", "Effect": "Allow", "Action": "logs:Get*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}"#,
            ),
        );
    }
}
