use plimsoll_iam::{Policy, PolicyKind};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags policies longer than IAM lets them be, counting characters without white space as IAM does:
    /// an identity policy over 6,144 characters (the quota of a customer managed policy), or a role trust
    /// policy over 2,048 characters (the default quota, which Service Quotas can raise to 8,192).
    ///
    /// AWS managed policies are exempt from the managed-policy quota; a saved copy of one is reported all
    /// the same, since plimsoll cannot tell it from a customer policy.
    ///
    /// ## Why is this bad?
    /// IAM refuses the policy when it is created or updated, so the deployment that carries it fails, often
    /// late, and the usual quick fix is to collapse the action list into wildcards (`s3:*`, `*`) that grant
    /// far more than the policy meant to. Splitting the policy by responsibility keeps it under the quota
    /// and reviewable.
    ///
    /// ## Example
    /// A trust policy listing every deployment role by ARN, 80 of them (shortened here):
    /// ```iam,bad,elided
    /// {"Role": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
    ///   "Effect": "Allow", "Action": "sts:AssumeRole",
    ///   "Principal": {"AWS": ["arn:aws:iam::111111111111:role/deployer", "arn:aws:iam::222222222222:role/deployer", …]}
    /// }]}}}
    /// ```
    ///
    /// Use instead: trust an account's role by a short ARN, or the organization with a condition:
    /// ```iam,good
    /// {"Role": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deployer"}}}]}}}
    /// ```
    ///
    /// ## References
    /// - [IAM and AWS STS quotas: character limits](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length)
    code: "IAM033",
    name: "policy-size-exceeds-quota",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"],
    checks: [Check::Iam(check)],
}

/// A customer managed policy's quota.
const MANAGED_POLICY: usize = 6_144;
/// A role trust policy's default quota.
const TRUST_POLICY: usize = 2_048;

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in &ctx.file.policies {
        let (quota, what, help) = match policy.kind {
            PolicyKind::Identity => (
                MANAGED_POLICY,
                "a customer managed policy",
                "Split the policy by responsibility into several managed policies (a role may have up to 10 by default); do not collapse actions into wildcards to make it fit",
            ),
            PolicyKind::Trust => (
                TRUST_POLICY,
                "a role trust policy by default",
                "Trust fewer principals by name (an organization condition instead of a list of accounts), or raise the role trust policy quota (up to 8,192) with Service Quotas",
            ),
            // Resource policies' quotas differ by service (20 KB for S3, 32 KB for KMS, …).
            PolicyKind::Resource => continue,
        };
        // Counting characters reads the whole policy; one that has no more bytes than the quota cannot
        // have more characters (most policies are far below it).
        if policy.range.len() as usize <= quota {
            continue;
        }
        let length = counted_length(ctx.text, policy);
        if length > quota {
            r.report(
                policy.anchor,
                format!("The policy is {length} characters long without white space; IAM allows {quota} for {what}"),
            )
            .help(help);
        }
    }
}

/// The policy's length as IAM counts it: characters other than white space, outside strings or in them.
fn counted_length(text: &str, policy: &Policy) -> usize {
    policy.range.slice(text).chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    fn actions(count: usize) -> String {
        let list: Vec<String> = (0..count).map(|i| format!("\"s3:GetObjectVersion{i:04}\"")).collect();
        format!(r#"{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}"#, list.join(", "))
    }

    #[test]
    fn identity_policies_over_the_managed_quota() {
        let text = policy(&actions(250));
        assert_eq!(iam_spans(&RULE, &text), ["Statement"]);
        assert!(lint_iam(&RULE, &text)[0].message.contains("IAM allows 6144 for a customer managed policy"));
        // White space does not count.
        let spaced = policy(&actions(200).replace(", ", ",                              "));
        assert_iam_clean(&RULE, &spaced);
    }

    #[test]
    fn trust_policies_over_the_default_quota_and_resource_policies_skipped() {
        let principals: Vec<String> =
            (0..60).map(|i| format!("\"arn:aws:iam::{i:012}:role/deployer\"")).collect();
        let trust = policy(&format!(
            r#"{{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {{"AWS": [{}]}}}}"#,
            principals.join(", ")
        ));
        assert_eq!(iam_spans(&RULE, &trust), ["Statement"]);
        let bucket = policy(&format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Principal": {{"AWS": [{}]}}}}"#,
            principals.join(", ")
        ));
        assert_iam_clean(&RULE, &bucket);
        assert_iam_clean(&RULE, &policy(&actions(10)));
    }
}
