use plimsoll_iam::Policy;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{Element, statement_strings};
use crate::support::policy_variables::variables;

declare_rule! {
    /// ## What it does
    /// Flags a policy without a `Version` element, a `Version` that is not a policy language version,
    /// and the old language `2008-10-17`. When the policy uses policy variables (`${aws:username}`), the
    /// finding says that they are read as literal text.
    ///
    /// ## Why is this bad?
    /// `Version` selects the policy language, not a revision of the policy. Without it IAM applies the
    /// original 2008-10-17 language, which has no policy variables: a resource such as
    /// `arn:aws:s3:::home/${aws:username}/*` then names a folder literally called `${aws:username}`, so
    /// a grant matches nothing and, worse, a `Deny` meant to fence users into their own folder denies
    /// nothing. AWS asks for `2012-10-17` in every new or updated policy; any other value makes IAM
    /// reject the policy.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username}/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    /// - [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    code: "IAM002",
    name: "policy-version-missing",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "NO_VERSION",
        "INVALID_VERSION",
        "OLD_VERSION",
        "MISSING_VERSION",
        "VARIABLE_UNSUPPORTED_IN_VERSION",
    ],
    checks: [Check::Iam(check)],
}

const CURRENT: &str = "2012-10-17";
const OLD: &str = "2008-10-17";

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in &ctx.file.policies {
        let literal =
            first_variable(policy).map(|v| format!(", in which `{v}` is literal text")).unwrap_or_default();
        match &policy.version {
            Some(version) if version.value == CURRENT => {}
            Some(version) if version.value == OLD => {
                let rest = if literal.is_empty() { ", without policy variables" } else { &literal };
                r.report(version.range, format!("`{OLD}` is the old policy language{rest}"))
                    .help(format!("set `Version` to `{CURRENT}`, the current policy language"));
            }
            Some(version) => {
                r.report(
                    version.range,
                    format!(
                        "`{}` is not a policy language version, so IAM rejects the policy",
                        version.value
                    ),
                )
                .help(format!("write `{CURRENT}` (the only other version IAM accepts is `{OLD}`)"));
            }
            // A `Version` of another type is a grammar problem, reported by IAM001.
            None if ctx.tree.get(policy.node, "Version").is_some() => {}
            None => {
                r.report(
                    policy.anchor,
                    format!("The policy has no `Version`, so IAM reads it as the {OLD} language{literal}"),
                )
                .help(format!("add `\"Version\": \"{CURRENT}\"` to the policy, next to `Statement`"));
            }
        }
    }
}

/// The first IAM policy variable in a `Resource` or `Condition` value, where IAM would expand it.
fn first_variable(policy: &Policy) -> Option<String> {
    policy.statements.iter().flat_map(statement_strings).find_map(|(element, item)| {
        if !matches!(element, Element::Resource | Element::Condition) {
            return None;
        }
        let found = variables(&item.value).into_iter().find(|v| v.closed && v.is_iam());
        found.map(|v| item.value[v.start..v.end].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn missing_version_points_at_statement() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(iam_spans(&RULE, text), ["Statement"]);
        let found = lint_iam(&RULE, text);
        assert!(found[0].message.contains("2008-10-17"), "{}", found[0].message);
        assert!(!found[0].message.contains("literal"), "{}", found[0].message);
    }

    #[test]
    fn says_when_variables_are_literal() {
        let text = r#"{"Statement": [{"Effect": "Deny", "NotAction": "s3:*",
            "NotResource": "arn:aws:s3:::home/${aws:username}/*"}]}"#;
        let found = lint_iam(&RULE, text);
        assert!(found[0].message.contains("`${aws:username}` is literal text"), "{}", found[0].message);
        let old = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
            "Resource": "*", "Condition": {"StringEquals": {"s3:prefix": "${aws:userid}"}}}]}"#;
        assert_eq!(iam_spans(&RULE, old), ["2008-10-17"]);
        assert!(lint_iam(&RULE, old)[0].message.contains("`${aws:userid}` is literal"));
    }

    #[test]
    fn invalid_and_old_versions() {
        let text = r#"{"Version": "2012-10-18", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#;
        assert_eq!(iam_spans(&RULE, text), ["2012-10-18"]);
        assert!(lint_iam(&RULE, text)[0].message.contains("rejects"));
        let old = r#"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}}"#;
        assert!(lint_iam(&RULE, old)[0].message.contains("without policy variables"));
        let yaml =
            "Version: 2012-10-17x\nStatement:\n  - Effect: Allow\n    Action: s3:*\n    Resource: '*'\n";
        assert_eq!(iam_spans(&RULE, yaml), ["2012-10-17x"]);
    }

    #[test]
    fn current_version_and_non_string_versions_pass() {
        assert_iam_clean(&RULE, &policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#));
        // A number is a grammar problem (IAM001), not a missing version.
        assert_iam_clean(
            &RULE,
            r#"{"Version": 2012, "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}"#,
        );
        // Template placeholders are not policy variables.
        let template = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:${AWS::Partition}:s3:::b"}]}"#;
        assert!(!lint_iam(&RULE, template)[0].message.contains("literal"));
    }
}
