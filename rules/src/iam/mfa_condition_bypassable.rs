use plimsoll_iam::{ConditionBlock, ConditionTest, Statement};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;

use crate::support::iam_conditions::operator;

declare_rule! {
    /// ## What it does
    /// Flags MFA conditions that do not do what they seem to, because `aws:MultiFactorAuthPresent` and
    /// `aws:MultiFactorAuthAge` are absent, not `false`, from requests signed with long-term access keys:
    ///
    /// - a `Deny` with `"Bool": {"aws:MultiFactorAuthPresent": "false"}` or `NumericGreaterThan` on
    ///   `aws:MultiFactorAuthAge`: the test does not match an absent key, so access keys skip the Deny;
    /// - an `Allow` with `"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}` or
    ///   `NumericLessThanIfExists` on `aws:MultiFactorAuthAge`: `IfExists` lets access keys through
    ///   without MFA;
    /// - an `Allow` that tests `aws:MultiFactorAuthPresent` for `false` (it grants to requests made
    ///   *without* MFA), or `"Null": {"aws:MultiFactorAuthPresent": "false"}` (which only checks that the
    ///   credentials are temporary).
    ///
    /// ## Why is this bad?
    /// The usual way to require MFA is a `Deny` for requests without it. Written with `Bool`, it stops
    /// console sessions that skipped MFA but not a stolen access key used from the CLI, which is the
    /// credential MFA policies are meant to contain. AWS's own examples use `BoolIfExists` in the Deny
    /// for this reason.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": ["ec2:StopInstances", "ec2:TerminateInstances"], "Resource": "*",
    ///      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": ["ec2:StopInstances", "ec2:TerminateInstances"], "Resource": "*",
    ///      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS global condition context keys: aws:MultiFactorAuthPresent](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent)
    /// - [Amazon EC2: Requires MFA (GetSessionToken) for specific EC2 operations](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_ec2_require-mfa.html)
    /// - [...IfExists condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists)
    code: "IAM010",
    name: "mfa-condition-bypassable",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["BAD_PATTERN_FOR_MFA"],
    checks: [Check::Iam(check)],
}

const PRESENT: &str = "aws:MultiFactorAuthPresent";
const AGE: &str = "aws:MultiFactorAuthAge";

struct Finding {
    range: TextRange,
    message: String,
    help: String,
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for statement in ctx.file.policies.iter().flat_map(|p| &p.statements) {
        for (block, test) in statement.tests_of(PRESENT).chain(statement.tests_of(AGE)) {
            if let Some(f) = finding(statement, block, test) {
                r.report(f.range, f.message).help(f.help);
            }
        }
    }
}

fn finding(statement: &Statement, block: &ConditionBlock, test: &ConditionTest) -> Option<Finding> {
    let op = operator(&block.operator.value);
    let values = &test.values.items;
    let only =
        |wanted: &str| !values.is_empty() && values.iter().all(|v| v.value.eq_ignore_ascii_case(wanted));
    let at_operator = |message: &str, help: &str| {
        Some(Finding { range: block.operator.range, message: message.into(), help: help.into() })
    };
    let present = test.key.value.eq_ignore_ascii_case(PRESENT);
    let base = op.base.to_ascii_lowercase();
    if statement.denies() {
        if present && op.is("Bool") && !op.if_exists && only("false") {
            return at_operator(
                "This Deny skips requests signed with long-term access keys: they carry no `aws:MultiFactorAuthPresent`, and `Bool` does not match a missing key",
                "use `BoolIfExists` with `false`, which also matches requests without the key",
            );
        }
        if !present && base.starts_with("numericgreaterthan") && !op.if_exists {
            return at_operator(
                "This Deny skips requests made without MFA: they carry no `aws:MultiFactorAuthAge`, and the test does not match a missing key",
                &format!("use `{}IfExists`, which also matches requests without the key", op.base),
            );
        }
        return None;
    }
    if !statement.allows() {
        return None;
    }
    if present && op.is("Bool") && only("false") {
        let value = values[0].range;
        return Some(Finding {
            range: value,
            message: "This Allow grants only to requests made without MFA".into(),
            help: "test for `true` to require MFA; to refuse requests without MFA, add a Deny with `BoolIfExists` and `false`".into(),
        });
    }
    if present && op.is("Bool") && op.if_exists && only("true") {
        return at_operator(
            "`BoolIfExists` lets requests signed with long-term access keys through without MFA: they carry no `aws:MultiFactorAuthPresent`",
            "use `Bool` to require MFA",
        );
    }
    if present && op.is("Null") && only("false") {
        return at_operator(
            "`Null` with `false` only checks that the credentials are temporary, not that MFA was used",
            "test `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}` to require MFA",
        );
    }
    if !present && base.starts_with("numericlessthan") && op.if_exists {
        return at_operator(
            "`IfExists` lets requests made without MFA through: they carry no `aws:MultiFactorAuthAge`",
            &format!("use `{}` to require a recent MFA sign-in", op.base),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    fn statement(effect: &str, condition: &str) -> String {
        policy(&format!(
            r#"{{"Effect": "{effect}", "Action": "s3:*", "Resource": "*", "Condition": {condition}}}"#
        ))
    }

    #[test]
    fn deny_with_bool_false_misses_access_keys() {
        let text = statement(
            "Deny",
            r#"{"Bool": {"aws:MultiFactorAuthPresent": false, "aws:ViaAWSService": "false"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["Bool"]);
        let text = statement("Deny", r#"{"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["NumericGreaterThan"]);
        assert!(lint_iam(&RULE, &text)[0].help.as_deref().unwrap().contains("NumericGreaterThanIfExists"));
    }

    #[test]
    fn allow_patterns_that_do_not_require_mfa() {
        let text = statement("Allow", r#"{"BoolIfExists": {"aws:multifactorauthpresent": "true"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["BoolIfExists"]);
        let text = statement("Allow", r#"{"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["false"]);
        let text = statement("Allow", r#"{"Null": {"aws:MultiFactorAuthPresent": "false"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["Null"]);
        let text = statement("Allow", r#"{"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}"#);
        assert_eq!(iam_spans(&RULE, &text), ["NumericLessThanIfExists"]);
    }

    #[test]
    fn patterns_aws_recommends_pass() {
        for (effect, condition) in [
            ("Deny", r#"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}"#),
            ("Deny", r#"{"Null": {"aws:MultiFactorAuthPresent": "true"}}"#),
            ("Deny", r#"{"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "1800"}}"#),
            ("Allow", r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#),
            ("Allow", r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#),
            ("Allow", r#"{"Bool": {"aws:SecureTransport": "false"}}"#),
        ] {
            assert_iam_clean(&RULE, &statement(effect, condition));
        }
    }
}
