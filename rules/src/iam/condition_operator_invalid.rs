use plimsoll_iam::catalogue::{ConditionType, catalogue};
use plimsoll_iam::{ConditionBlock, ConditionTest};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::iam::is_template;
use crate::support::iam_conditions::ip_range;
use plimsoll_iam::catalogue::closest;

declare_rule! {
    /// ## What it does
    /// Flags condition operators IAM does not know (`StringEqual`), operators whose type does not fit the
    /// condition key (`StringEquals` on the Boolean `aws:SecureTransport`, `NumericLessThan` on the date
    /// `aws:CurrentTime`), `Null` with a value other than `true`/`false` or with `IfExists` or a set
    /// qualifier, and values the operator cannot read: a `Bool` value other than `true`/`false`, a number,
    /// date or IP range that does not parse. Every statement is checked, `Deny` included.
    ///
    /// ## Why is this bad?
    /// IAM rejects a policy with an unknown operator. The other mistakes are accepted and the condition
    /// then never matches as meant: a `Deny` guarded by `"Bool": {"aws:SecureTransport": "flase"}` never
    /// applies, so plain HTTP stays allowed; an `Allow` limited to `"IpAddress": {"aws:SourceIp":
    /// "10.0.0.0/33"}` grants nothing. A reviewer reading the policy believes in a guardrail that is not
    /// there.
    ///
    /// `StringEquals` on an ARN key works and is not reported; `ArnLike` reads better.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///     "Condition": {"StringEquals": {"aws:SecureTransport": "false"}}
    ///   }]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///     "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    ///   }]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM007",
    name: "condition-operator-invalid",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "UNKNOWN_OPERATOR",
        "INVALID_CONDITION_OPERATOR",
        "MISMATCHED_TYPE",
        "MISMATCHED_TYPE_OPERATION_TO_NULL",
        "NULL_WITH_IF_EXISTS",
        "NULL_WITH_QUALIFIER",
        "TYPE_MISMATCH",
        "TYPE_MISMATCH_BOOLEAN",
        "TYPE_MISMATCH_DATE",
        "TYPE_MISMATCH_IP_RANGE",
        "TYPE_MISMATCH_NUMBER",
    ],
    checks: [Check::Iam(check)],
}

/// What an operator compares: the operator families of the IAM documentation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// Every operator without its `IfExists` suffix and set qualifier.
const OPERATORS: &[(&str, Family)] = &[
    ("StringEquals", Family::String),
    ("StringNotEquals", Family::String),
    ("StringEqualsIgnoreCase", Family::String),
    ("StringNotEqualsIgnoreCase", Family::String),
    ("StringLike", Family::String),
    ("StringNotLike", Family::String),
    ("NumericEquals", Family::Numeric),
    ("NumericNotEquals", Family::Numeric),
    ("NumericLessThan", Family::Numeric),
    ("NumericLessThanEquals", Family::Numeric),
    ("NumericGreaterThan", Family::Numeric),
    ("NumericGreaterThanEquals", Family::Numeric),
    ("DateEquals", Family::Date),
    ("DateNotEquals", Family::Date),
    ("DateLessThan", Family::Date),
    ("DateLessThanEquals", Family::Date),
    ("DateGreaterThan", Family::Date),
    ("DateGreaterThanEquals", Family::Date),
    ("Bool", Family::Bool),
    ("BinaryEquals", Family::Binary),
    ("IpAddress", Family::Ip),
    ("NotIpAddress", Family::Ip),
    ("ArnEquals", Family::Arn),
    ("ArnNotEquals", Family::Arn),
    ("ArnLike", Family::Arn),
    ("ArnNotLike", Family::Arn),
    ("Null", Family::Null),
];

/// An operator read apart: `ForAllValues:StringLikeIfExists`.
struct Operator<'a> {
    qualifier: Option<&'a str>,
    base: &'a str,
    if_exists: bool,
}

fn parse(operator: &str) -> Operator<'_> {
    let (qualifier, rest) = match operator.split_once(':') {
        Some((qualifier, rest)) => (Some(qualifier), rest),
        None => (None, operator),
    };
    // `NullIfExists` is no operator, but reads as `Null` with `IfExists` so it can be reported as such.
    match rest.strip_suffix("IfExists").filter(|base| !base.is_empty()) {
        Some(base) => Operator { qualifier, base, if_exists: true },
        None => Operator { qualifier, base: rest, if_exists: false },
    }
}

fn family(base: &str) -> Option<Family> {
    OPERATORS.iter().find(|(name, _)| name.eq_ignore_ascii_case(base)).map(|&(_, family)| family)
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let statements = ctx.file.policies.iter().flat_map(|p| &p.statements);
    for block in statements.filter_map(|s| s.condition.as_ref()).flat_map(|c| &c.blocks) {
        check_block(block, r);
    }
}

fn check_block(block: &ConditionBlock, r: &mut Reporter) {
    let written = block.operator.value.as_str();
    let operator = parse(written);
    let qualifier_known = operator
        .qualifier
        .is_none_or(|q| q.eq_ignore_ascii_case("ForAllValues") || q.eq_ignore_ascii_case("ForAnyValue"));
    let Some(family) = family(operator.base).filter(|_| qualifier_known) else {
        let emit = r.report(block.operator.range, format!("`{written}` is not a condition operator"));
        let near =
            if qualifier_known { closest(operator.base, OPERATORS.iter().map(|(n, _)| *n)) } else { None };
        match (near, operator.qualifier) {
            (Some(near), Some(qualifier)) => emit.help(format!("Did you mean `{qualifier}:{near}`?")),
            (Some(near), None) => emit.help(format!("Did you mean `{near}`?")),
            (None, _) => emit.help(
                "Use an operator of the IAM documentation (`StringEquals`, `ArnLike`, `Bool`, …), optionally with `IfExists` and a `ForAllValues:`/`ForAnyValue:` qualifier",
            ),
        };
        return;
    };
    if family == Family::Null {
        if operator.if_exists {
            r.report(
                block.operator.range,
                "`Null` takes no `IfExists`: it already tests whether the key exists",
            )
            .help("Write `Null`");
        } else if let Some(qualifier) = operator.qualifier {
            r.report(
                block.operator.range,
                format!("`Null` takes no `{qualifier}:` qualifier: it tests whether the key exists"),
            )
            .help("Write `Null`");
        }
    }
    for test in &block.tests {
        check_values(family, written, test, r);
        if family != Family::Null {
            check_type(family, written, test, r);
        }
    }
}

/// Values the operator cannot read.
fn check_values(family: Family, operator: &str, test: &ConditionTest, r: &mut Reporter) {
    let is_bool = |v: &str| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false");
    let (valid, expected): (fn(&str) -> bool, &str) = match family {
        Family::Null => (is_bool, "`true` (the key is absent) or `false` (it is present)"),
        Family::Bool => (is_bool, "`true` or `false`"),
        Family::Numeric => (|v| v.parse::<f64>().is_ok(), "a number"),
        Family::Date => (is_date, "an ISO 8601 date (`2026-01-31`, `2026-01-31T12:00:00Z`) or epoch seconds"),
        Family::Ip => (is_ip_range, "an IPv4 or IPv6 address or CIDR range (`203.0.113.0/24`)"),
        Family::String | Family::Arn | Family::Binary => return,
    };
    // Policy variables (`${aws:CurrentTime}`) are filled in at evaluation, and the placeholders of
    // templates and examples (`{{sourceIp}}`, `<my-corporate-cidr>`) before the policy reaches IAM.
    for value in test.values.items.iter().filter(|v| !is_template(&v.value)) {
        if !valid(value.value.trim()) {
            report_value(operator, value, expected, r);
        }
    }
}

fn report_value(operator: &str, value: &Spanned<String>, expected: &str, r: &mut Reporter) {
    r.report(value.range, format!("`{operator}` cannot read `{}`: it takes {expected}", value.value))
        .help(format!("Write {expected}"));
}

/// The operator's family against the key's documented type.
fn check_type(family: Family, operator: &str, test: &ConditionTest, r: &mut Reporter) {
    let Some(key) = catalogue().condition_key(&test.key.value) else { return };
    let fits = match (family, key.value_type) {
        (Family::String, ConditionType::String | ConditionType::Arn) => true,
        // Many keys typed String hold ARNs (`lambda:FunctionArn`).
        (Family::Arn, ConditionType::Arn | ConditionType::String) => true,
        (Family::Numeric, ConditionType::Numeric) => true,
        // `aws:EpochTime` is documented as both a date and a number of seconds.
        (Family::Numeric, ConditionType::Date) => key.name.eq_ignore_ascii_case("aws:EpochTime"),
        (Family::Date, ConditionType::Date) => true,
        (Family::Bool, ConditionType::Bool) => true,
        (Family::Binary, ConditionType::Binary) => true,
        (Family::Ip, ConditionType::IpAddress) => true,
        _ => false,
    };
    if !fits {
        let (name, operators) = type_words(key.value_type);
        r.report(
            test.key.range,
            format!("`{}` is {name} key, which `{operator}` does not compare", test.key.value),
        )
        .help(format!("Compare it with {operators}"));
    }
}

fn type_words(value_type: ConditionType) -> (&'static str, &'static str) {
    match value_type {
        ConditionType::String => ("a string", "the `String…` operators"),
        ConditionType::Arn => ("an ARN", "the `Arn…` operators"),
        ConditionType::Bool => ("a Boolean", "`Bool`"),
        ConditionType::Numeric => ("a numeric", "the `Numeric…` operators"),
        ConditionType::Date => ("a date", "the `Date…` operators"),
        ConditionType::IpAddress => ("an IP address", "`IpAddress` or `NotIpAddress`"),
        ConditionType::Binary => ("a binary", "`BinaryEquals`"),
    }
}

/// `2026-01-31`, `2026-01-31T12:00:00Z`, `2026-01-31T12:00:00.000+02:00`, or epoch seconds.
fn is_date(value: &str) -> bool {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let bytes = value.as_bytes();
    let digits =
        |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let number = |range: std::ops::Range<usize>| value.get(range).and_then(|d| d.parse::<u32>().ok());
    let date = digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && number(5..7).is_some_and(|m| (1..=12).contains(&m))
        && bytes.get(7) == Some(&b'-')
        && number(8..10).is_some_and(|d| (1..=31).contains(&d))
        && digits(5..7)
        && digits(8..10);
    if !date {
        return false;
    }
    match &value[10..] {
        "" => true,
        time => {
            time.starts_with(['T', 't', ' '])
                && time[1..].bytes().all(|b| b.is_ascii_digit() || b":.+-Zz".contains(&b))
                && time[1..].bytes().take_while(u8::is_ascii_digit).count() == 2
        }
    }
}

/// `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`.
fn is_ip_range(value: &str) -> bool {
    ip_range(value).is_some()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, deny_with_condition, iam_spans, lint_iam};

    #[test]
    fn unknown_operators_with_suggestions() {
        let text = deny_with_condition(
            r#"{"StringEqual": {"aws:PrincipalOrgID": "o-1"}, "ForAnyValues:StringLike": {"aws:TagKeys": "a*"},
      "ForAllValues:StringLik": {"aws:TagKeys": "b*"}}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["StringEqual", "ForAnyValues:StringLike", "ForAllValues:StringLik"]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(found[0].help.as_deref(), Some("Did you mean `StringEquals`?"));
        assert_eq!(found[2].help.as_deref(), Some("Did you mean `ForAllValues:StringLike`?"));
    }

    #[test]
    fn null_misuse() {
        let text = deny_with_condition(
            r#"{"NullIfExists": {"aws:TokenIssueTime": "true"}, "ForAnyValue:Null": {"aws:TagKeys": "false"},
      "Null": {"aws:MultiFactorAuthAge": "yes"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["NullIfExists", "ForAnyValue:Null", "yes"]);
    }

    #[test]
    fn values_the_operator_cannot_read() {
        let text = deny_with_condition(
            r#"{"Bool": {"aws:SecureTransport": ["flase", true]}, "NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "1h"]},
      "DateGreaterThan": {"aws:CurrentTime": ["2026-13-01", "2026-01-31T12:00:00Z", "1767225600"]},
      "NotIpAddress": {"aws:SourceIp": ["10.0.0.0/33", "203.0.113.0/24", "2001:db8::/32", "10.0.0.300", "${aws:SourceIp}", "{{cidr}}", "<office-cidr>"]}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["flase", "1h", "2026-13-01", "10.0.0.0/33", "10.0.0.300"]);
        assert_eq!(
            lint_iam(&RULE, &text)[0].message,
            "`Bool` cannot read `flase`: it takes `true` or `false`"
        );
    }

    #[test]
    fn operator_types_against_key_types() {
        let text = deny_with_condition(
            r#"{"StringEquals": {"aws:SecureTransport": "false", "aws:SourceArn": "arn:aws:sns:us-east-1:1:t"},
      "NumericLessThan": {"aws:CurrentTime": "5", "aws:EpochTime": "1767225600"},
      "ArnLike": {"aws:SourceIp": "arn:*", "aws:PrincipalArn": "arn:aws:iam::1:role/*", "lambda:FunctionArn": "arn:*"},
      "DateLessThanIfExists": {"aws:TokenIssueTime": "2026-01-01"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["aws:SecureTransport", "aws:CurrentTime", "aws:SourceIp"]);
        assert_eq!(
            lint_iam(&RULE, &text)[0].message,
            "`aws:SecureTransport` is a Boolean key, which `StringEquals` does not compare"
        );
    }

    #[test]
    fn valid_conditions_pass() {
        assert_iam_clean(
            &RULE,
            &deny_with_condition(
                r#"{"Bool": {"aws:SecureTransport": false, "aws:MultiFactorAuthPresent": "True"},
      "ForAllValues:StringEqualsIgnoreCaseIfExists": {"aws:TagKeys": ["a"]},
      "Null": {"aws:RequestTag/team": "false"}, "IpAddress": {"aws:SourceIp": "203.0.113.7"},
      "StringLike": {"s3:prefix": "home/*", "unknown:Key": "x"}, "NumericGreaterThan": {"s3:max-keys": 10}}"#,
            ),
        );
    }
}
