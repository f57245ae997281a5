use plimsoll_iam::PolicyKind;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::arns::whole_account;
use crate::support::iam::allow_statements;
use crate::support::iam_conditions::{key_in, restricting_test};

declare_rule! {
    /// ## What it does
    /// Flags role trust policies that trust a whole account, `{"AWS": "123456789012"}` or
    /// `{"AWS": "arn:aws:iam::123456789012:root"}`, without a condition that narrows which of its
    /// principals may assume the role: `sts:ExternalId` for a third party, or `aws:PrincipalArn`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths` or `aws:userid`.
    ///
    /// The rule cannot tell the role's own account from others, so it reports every whole-account
    /// trust. That makes it noisy where roles are meant to be assumed by their own account's
    /// administrators, and it is off by default: enable it where trust relationships are reviewed, and
    /// suppress it, with a reason, on the roles your own account assumes.
    ///
    /// ## Why is this bad?
    /// Trusting an account delegates the decision to it: any user or role there whose own policies allow
    /// `sts:AssumeRole` on the role can assume it, including ones created after the trust was granted.
    /// When the account belongs to a vendor that assumes roles for many customers, a trust without
    /// `sts:ExternalId` lets any of those customers steer the vendor into your account (the confused
    /// deputy problem).
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
    ///      "Condition": {"StringEquals": {"sts:ExternalId": "4b7d2f0e-9c1a-4e8b-a3f5-2d6c8e0b1a97"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM tutorial: Delegate access across AWS accounts using IAM roles](https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html)
    /// - [Access to AWS accounts owned by third parties (external ID)](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html)
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    code: "IAM025",
    name: "cross-account-trust",
    family: Iam,
    severity: Info,
    default_enabled: false,
    formats: [Iam],
    aliases: ["AssumableByCrossAccountPrincipal", "CKV_AWS_61"],
    checks: [Check::Iam(check)],
}

/// Condition keys that pick the principals of a trusted account, or the customer a vendor acts for.
const NARROWING: [&str; 5] =
    ["sts:ExternalId", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:userid"];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (policy, statement) in allow_statements(ctx) {
        if policy.kind != PolicyKind::Trust
            || restricting_test(statement, |k| key_in(k, &NARROWING)).is_some()
        {
            continue;
        }
        for (kind, value) in statement.principals() {
            let Some(account) = whole_account(&value.value).filter(|_| kind == "AWS") else { continue };
            r.report(
                value.range,
                format!("The role trusts all of account `{account}`: any of its users and roles allowed `sts:AssumeRole` can assume it"),
            )
            .help(format!(
                "name the roles that may assume it (`arn:aws:iam::{account}:role/…`), or add a condition on `aws:PrincipalArn`, or `sts:ExternalId` for a third party"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, policy};

    #[test]
    fn whole_account_trust_without_narrowing() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "111122223333", "arn:aws:iam::111122223333:role/ci"]},
      "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["arn:aws:iam::444455556666:root", "111122223333"]);
    }

    #[test]
    fn narrowed_named_and_resource_policies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "f3a1"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
      "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/deploy-*"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}"#,
            ),
        );
        // A bucket policy granting to an account is not a trust policy.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
            ),
        );
    }
}
