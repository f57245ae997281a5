use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::iam::{Element, part_range, statement_strings};
use crate::support::iam_conditions::{Operator, operator};
use crate::support::policy_variables::{Variable, variables};

declare_rule! {
    /// ## What it does
    /// Checks policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, and the escapes
    /// `${*}`, `${?}`, `${$}`): a `${` without its `}`, an empty `${}`, a space or a symbol in the
    /// variable's name, a default value not in single quotes, a variable outside the elements that
    /// expand them (`Resource`, `NotResource` and `Condition` values), and a variable compared with an
    /// operator other than a string or ARN operator.
    ///
    /// Template placeholders that look alike (`${AWS::Region}`, `${var.bucket}`, `${self:custom.x}`) are
    /// not policy variables and are left alone. Variables in a policy without `"Version": "2012-10-17"`
    /// are literal text, which IAM002 reports.
    ///
    /// ## Why is this bad?
    /// IAM rejects most malformed variables when the policy is created, and reads the others as literal
    /// text: `"Action": "s3:${aws:username}"` or `"NumericLessThan": {"s3:max-keys": "${x}"}` never
    /// match. A per-user folder policy whose variable is broken grants nothing, or, when the variable
    /// was in a `Deny`, fences nobody in.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username/*"}
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
    /// - [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM031",
    name: "policy-variable-invalid",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "MISSING_BRACE_IN_VARIABLE",
        "EMPTY_VARIABLE",
        "UNSUPPORTED_SPACE_IN_VARIABLE",
        "UNSUPPORTED_SYMBOL_IN_VARIABLE",
        "MISSING_QUOTE_IN_VARIABLE",
        "VARIABLE_UNSUPPORTED_IN_ELEMENT",
        "INVALID_VARIABLE_FOR_OPERATOR",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    // Only the 2012-10-17 language has variables; elsewhere `${…}` is literal text (IAM002's finding).
    let current =
        ctx.file.policies.iter().filter(|p| p.version.as_ref().is_some_and(|v| v.value == "2012-10-17"));
    for statement in current.flat_map(|p| &p.statements) {
        for (element, item) in statement_strings(statement).filter(|(e, _)| *e != Element::Condition) {
            report(ctx, r, item, element, None);
        }
        for block in statement.condition.iter().flat_map(|c| &c.blocks) {
            let op = operator(&block.operator.value);
            for item in block.tests.iter().flat_map(|t| &t.values.items) {
                report(ctx, r, item, Element::Condition, Some(op));
            }
        }
    }
}

fn report(ctx: &IamCtx, r: &mut Reporter, item: &Spanned<String>, element: Element, op: Option<Operator>) {
    for variable in variables(&item.value) {
        if let Some((message, help)) = problem(&variable, &item.value, element, op) {
            r.report(part_range(ctx.text, item, variable.start, variable.end), message).help(help);
        }
    }
}

fn problem(
    variable: &Variable,
    value: &str,
    element: Element,
    op: Option<Operator>,
) -> Option<(String, String)> {
    let text = &value[variable.start..variable.end];
    if variable.body.trim().is_empty() {
        return Some((
            format!("`{text}` is an empty policy variable"),
            "write the variable's name, as in `${aws:username}`, or remove the `${`".into(),
        ));
    }
    // Template placeholders are someone else's syntax.
    if !variable.is_iam() {
        return None;
    }
    if !variable.closed {
        return Some((
            format!("The policy variable `{text}` has no closing `}}`"),
            format!(
                "close it: `${{{}}}`",
                variable.body.split(['/', '*']).next().unwrap_or(variable.body).trim()
            ),
        ));
    }
    let name = variable.name();
    if name.contains(char::is_whitespace) {
        let fixed: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        return Some((
            format!("The policy variable `{text}` has a space in its name"),
            format!("write `${{{fixed}}}`"),
        ));
    }
    if let Some(symbol) =
        name.chars().find(|&c| !is_name_char(c)).filter(|_| !matches!(name, "*" | "?" | "$"))
    {
        return Some((
            format!("`{symbol}` is not allowed in the name of the policy variable `{text}`"),
            "policy variable names are a context key such as `aws:username` or `aws:PrincipalTag/team`"
                .into(),
        ));
    }
    if let Some(default) = variable.default() {
        let default = default.trim();
        if default.len() < 2 || !default.starts_with('\'') || !default.ends_with('\'') {
            return Some((
                format!("The default value of `{text}` must be in single quotes"),
                format!("write `${{{name}, '{}'}}`", default.trim_matches(['\'', '"'])),
            ));
        }
    }
    match (element, op) {
        (Element::Resource, _) => None,
        (Element::Condition, Some(op)) if is_string_or_arn(&op) => None,
        (Element::Condition, Some(op)) => Some((
            format!(
                "`{text}` is not expanded with `{}`: policy variables work only with string and ARN operators",
                op.base
            ),
            "compare the variable with a `String…` or `Arn…` operator, or write the value itself".into(),
        )),
        (element, _) => Some((
            format!(
                "`{text}` is not expanded in {}: policy variables work only in `Resource` and `Condition` values",
                element_name(element)
            ),
            "write the value itself here, or move the variable into `Resource` or a condition".into(),
        )),
    }
}

/// Letters, digits and the characters of context keys and tag keys (`aws:PrincipalTag/cost-center`).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '_' | '-' | '+' | '=' | '@')
}

fn is_string_or_arn(op: &Operator) -> bool {
    let base = op.base.to_ascii_lowercase();
    base.starts_with("string") || base.starts_with("arn")
}

fn element_name(element: Element) -> &'static str {
    match element {
        Element::Sid => "`Sid`",
        Element::Action => "`Action`",
        Element::Principal => "`Principal`",
        Element::Resource => "`Resource`",
        Element::Condition => "`Condition`",
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    fn resource(value: &str) -> Vec<String> {
        iam_spans(
            &RULE,
            &policy(&format!(r#"{{"Effect": "Allow", "Action": "s3:*", "Resource": "{value}"}}"#)),
        )
    }

    #[test]
    fn malformed_variables() {
        assert_eq!(resource("arn:aws:s3:::home/${aws:username/*"), ["${aws:username/*"]);
        assert_eq!(resource("arn:aws:s3:::home/${}/*"), ["${}"]);
        assert_eq!(resource("arn:aws:s3:::home/${aws: username}/*"), ["${aws: username}"]);
        assert_eq!(resource("arn:aws:s3:::home/${aws:userid, anonymous}/*"), ["${aws:userid, anonymous}"]);
        assert_eq!(resource("arn:aws:s3:::home/${aws:user#id}/*"), ["${aws:user#id}"]);
        let text = policy(
            r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username/*"}"#,
        );
        assert_eq!(lint_iam(&RULE, &text)[0].help.as_deref(), Some("close it: `${aws:username}`"));
    }

    #[test]
    fn variables_where_iam_does_not_expand_them() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "s3:${aws:username}", "Resource": "*",
      "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:userid}"}, "StringEquals": {"s3:prefix": "${aws:username}"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}, "Action": "s3:GetObject", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["${aws:username}", "${aws:userid}", "${aws:username}"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.contains("in `Action`"), "{}", found[0].message);
        assert!(found[1].message.contains("`NumericLessThan`"), "{}", found[1].message);
    }

    #[test]
    fn valid_variables_templates_and_old_versions_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
      "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "${*}literal", "team/${aws:PrincipalTag/cost-center, 'none'}/*"]}}},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:${AWS::Partition}:s3:::${BucketName}/${var.prefix}/*"},
    {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:${self:provider.region}:*:q"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::home/${aws:username/*"}]}"#,
        );
    }
}
