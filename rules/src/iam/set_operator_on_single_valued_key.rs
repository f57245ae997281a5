use plimsoll_iam::catalogue::catalogue;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a `ForAllValues:` operator on a single-valued condition key (`aws:SourceIp`,
    /// `aws:PrincipalOrgID`, `aws:SecureTransport`, `s3:prefix`), as the AWS action catalogue and the
    /// global condition key reference type them. `ForAnyValue:` on a single-valued key behaves as the plain
    /// operator and is left alone.
    ///
    /// ## Why is this bad?
    /// `ForAllValues:` is true when every value of the request's key is in the policy's list, and so also
    /// when the request has no value at all for the key. On a single-valued key that is rarely present in
    /// every request, an `Allow` meant to hold "only from our organization" or "only from this network"
    /// also holds for every request without the key: the condition grants more than it says. AWS
    /// recommends the set qualifiers only for multivalued keys (`aws:TagKeys`, `aws:CalledVia`).
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///     "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    ///   }]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*",
    ///     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    ///   }]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Set operators for multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    /// - [IAM Access Analyzer policy check reference: ForAllValues with single valued key](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM009",
    name: "set-operator-on-single-valued-key",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["SINGLE_VALUE_CONDITION_TOO_PERMISSIVE", "FORALLVALUES_WITH_SINGLE_VALUED_KEY"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for statement in ctx.file.policies.iter().flat_map(|p| &p.statements) {
        let blocks = statement.condition.iter().flat_map(|c| &c.blocks);
        for block in blocks {
            let Some((qualifier, plain)) = block.operator.value.split_once(':') else { continue };
            if !qualifier.eq_ignore_ascii_case("ForAllValues") {
                continue;
            }
            for test in &block.tests {
                // Unknown keys are IAM008's; their number of values is unknown.
                let Some(key) = catalogue().condition_key(&test.key.value) else { continue };
                if key.multi_valued {
                    continue;
                }
                let why = if statement.allows() {
                    "so the condition also holds for every request without the key"
                } else {
                    "so the condition holds whenever the key is absent"
                };
                r.report(
                    test.key.range,
                    format!(
                        "`{}` has a single value, yet `{qualifier}:` tests it as a set, {why}",
                        test.key.value
                    ),
                )
                .label(block.operator.range, "set qualifier")
                .help(format!("Use `{plain}` without the `{qualifier}:` qualifier"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn for_all_values_on_single_valued_keys() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
      "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-1", "aws:TagKeys": ["a"], "s3:prefix": "x/"},
                    "ForAllValues:IpAddress": {"AWS:SourceIP": "10.0.0.0/8"}}},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
      "Condition": {"ForAllValues:StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}}}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["aws:PrincipalOrgID", "s3:prefix", "AWS:SourceIP", "aws:RequestedRegion"]
        );
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.contains("every request without the key"), "{}", found[0].message);
        assert_eq!(
            found[0].help.as_deref(),
            Some("Use `StringEquals` without the `ForAllValues:` qualifier")
        );
        assert_eq!(found[0].labels[0].range.slice(&text), "ForAllValues:StringEquals");
        assert!(found[3].message.contains("whenever the key is absent"), "{}", found[3].message);
    }

    #[test]
    fn multivalued_keys_for_any_value_and_unknown_keys_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
      "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"], "aws:CalledVia": "athena.amazonaws.com"},
                    "ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-1"},
                    "ForAllValues:StringLike": {"nosuch:Key": "x"}, "StringEquals": {"aws:SourceAccount": "1"}}}"#,
            ),
        );
    }
}
