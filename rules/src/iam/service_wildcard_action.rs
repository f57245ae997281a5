use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::allow_statements;

declare_rule! {
    /// ## What it does
    /// Flags `Allow` statements with a `service:*` action (`s3:*`, `iam:*`): every action of one service,
    /// the ones added later included. `*` on its own is IAM011's and IAM013's.
    ///
    /// ## Why is this bad?
    /// `service:*` grants the service's permissions-management and destructive actions along with the
    /// reads the workload needed: `s3:*` includes `s3:PutBucketPolicy` (make a bucket public) and
    /// `s3:DeleteBucket`; `iam:*` lets the holder make itself administrator; `kms:*` lets it re-key or
    /// schedule deletion of keys. Workloads rarely need more than a handful of actions.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    code: "IAM012",
    name: "service-wildcard-action",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["ServiceWildcard", "AWS-0057", "AWS-0345", "CKV2_AWS_40"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        for action in statement.actions() {
            let Some((service, name)) = action.value.split_once(':') else { continue };
            if service == "*" || service.is_empty() || !name.bytes().all(|c| c == b'*') || name.is_empty() {
                continue;
            }
            r.report(
                action.range,
                format!("The statement allows every `{service}` action, present and future"),
            )
            .help(format!(
                "List the `{service}:` actions the workload needs; `{service}:Get*`-style patterns at most"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn whole_service_wildcards() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:*", "iam:**"], "Resource": "*"},
    {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:*", "iam:**", "kms:*"]);
        assert_eq!(
            lint_iam(&RULE, &text)[0].message,
            "The statement allows every `s3` action, present and future"
        );
    }

    #[test]
    fn patterns_star_and_denies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "*", "*:*"], "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}"#));
    }
}
