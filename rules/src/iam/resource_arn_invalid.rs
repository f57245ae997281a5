use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::arns::{Field, PARTITIONS, is_account_id, split};
use crate::support::iam::{is_every_resource, is_template, part_range};

declare_rule! {
    /// ## What it does
    /// Checks every `Resource` and `NotResource` value: it must be `*` or an ARN,
    /// `arn:partition:service:region:account-id:resource`, with all six fields, a known partition (`aws`,
    /// `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`), a lowercase
    /// service, a Region code or nothing, and a 12-digit account ID, `aws`, or nothing. Wildcards and
    /// policy variables are accepted in any field. The finding points at the field that is wrong.
    ///
    /// Fields holding a template placeholder (`${AWS::Region}`, `${ACCOUNT_ID}`, `{{account-id}}`) are
    /// left alone, and so is API Gateway's shorthand `execute-api:/stage/GET/path` in a resource policy.
    /// Whether a service's ARNs take a Region or an account is the action catalogue's business.
    ///
    /// ## Why is this bad?
    /// IAM rejects some malformed resources outright and stores others that can never match a request:
    /// a bucket name without `arn:aws:s3:::`, an 11-digit account or `us-east1` make the statement name no
    /// resource at all. In an `Allow` that breaks the workload; in a `Deny` it silently removes a guard
    /// rail, because the statement denies nothing.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "audit-logs/*"},
    ///     {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east1:123456789012:jobs"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::audit-logs/*"},
    ///     {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [Amazon Resource Names (ARNs)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM005",
    name: "resource-arn-invalid",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "INVALID_ARN",
        "INVALID_ARN_PREFIX",
        "INVALID_ARN_ACCOUNT",
        "INVALID_ARN_REGION",
        "INVALID_ARN_SERVICE_CASE",
        "INVALID_PARTITION",
        "MISSING_ARN_FIELD",
    ],
    checks: [Check::Iam(check)],
}

const ARN_SHAPE: &str = "`arn:partition:service:region:account-id:resource`";

/// What is wrong with a resource, and where in it.
struct Problem {
    start: usize,
    end: usize,
    message: String,
    help: String,
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let statements = ctx.file.policies.iter().flat_map(|p| &p.statements);
    let resources =
        statements.flat_map(|s| s.resource.iter().chain(&s.not_resource)).flat_map(|values| &values.items);
    for resource in resources {
        if let Some(problem) = problem(resource) {
            r.report(part_range(ctx.text, resource, problem.start, problem.end), problem.message)
                .help(problem.help);
        }
    }
}

fn problem(resource: &Spanned<String>) -> Option<Problem> {
    let text = resource.value.as_str();
    let whole =
        |message: String, help: &str| Problem { start: 0, end: text.len(), message, help: help.into() };
    if is_every_resource(text)
        || text.starts_with("execute-api:")
        || (is_template(text) && !text.contains(':'))
    {
        return None;
    }
    let arn = match split(text) {
        Ok(arn) => arn,
        Err(_) if !text.to_ascii_lowercase().starts_with("arn:") => {
            return Some(whole(
                format!("`{text}` is neither `*` nor an ARN"),
                "write the resource's full ARN, e.g. `arn:aws:s3:::bucket/*` for the objects of a bucket",
            ));
        }
        Err(fields) => {
            return Some(whole(
                format!("The ARN has {} of its six fields, {ARN_SHAPE}", fields.len()),
                "write every field; leave the Region or account empty (`::`) where the service's ARNs have none",
            ));
        }
    };
    let field = |field: Field, message: String, help: String| {
        Some(Problem { start: field.start, end: field.end(), message, help })
    };
    if arn.prefix.text != "arn" {
        return field(
            arn.prefix,
            format!("An ARN starts with `arn`, not `{}`", arn.prefix.text),
            "write `arn` in lowercase".into(),
        );
    }
    let partition = arn.partition.text;
    if !is_free(partition) && !PARTITIONS.contains(&partition) {
        let known =
            PARTITIONS.iter().find(|p| p.eq_ignore_ascii_case(partition) || p.replace('-', "") == partition);
        let help = match known {
            Some(p) => format!("write `{p}`"),
            None => "use `aws`, or `aws-cn`, `aws-us-gov`, … for the other partitions".into(),
        };
        return field(arn.partition, format!("`{partition}` is not an AWS partition"), help);
    }
    let service = arn.service.text;
    if service.is_empty() {
        return Some(whole("The ARN has no service".into(), &format!("name the service, as in {ARN_SHAPE}")));
    }
    if !is_free(service) && service.bytes().any(|c| c.is_ascii_uppercase()) {
        return field(
            arn.service,
            format!("`{service}` is not a service prefix: services in ARNs are lowercase"),
            format!("write `{}`", service.to_ascii_lowercase()),
        );
    }
    let region = arn.region.text;
    if !region.is_empty() && !is_free(region) && !is_region(region) {
        return field(
            arn.region,
            format!("`{region}` is not a Region code"),
            "write a Region code such as `us-east-1`, `*`, or nothing for global resources".into(),
        );
    }
    let account = arn.account.text;
    if !account.is_empty() && !is_free(account) && account != "aws" && !is_account_id(account) {
        return field(
            arn.account,
            format!("`{account}` is not an account ID: account IDs have 12 digits"),
            "write the 12-digit account ID (with its leading zeros), `*`, or nothing where the service's ARNs have none".into(),
        );
    }
    None
}

/// A field the rule cannot judge: wildcards, policy variables, template placeholders.
fn is_free(field: &str) -> bool {
    field.contains(['*', '?']) || is_template(field)
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `eusc-de-east-1`.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, words)) = parts.split_last() else { return false };
    let lower = |w: &&str| !w.is_empty() && w.bytes().all(|c| c.is_ascii_lowercase());
    words.len() >= 2
        && words.iter().all(lower)
        && (2..=4).contains(&words[0].len())
        && !number.is_empty()
        && number.len() <= 2
        && number.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    fn spans_of(resource: &str) -> Vec<String> {
        let text = policy(&format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["{resource}"]}}"#
        ));
        iam_spans(&RULE, &text)
    }

    #[test]
    fn points_at_the_bad_field() {
        assert_eq!(spans_of("arn:aws:sqs:us-east1:123456789012:q"), ["us-east1"]);
        assert_eq!(spans_of("arn:aws:sqs:us-east-1:12345678901:q"), ["12345678901"]);
        assert_eq!(spans_of("arn:awscn:s3:::b"), ["awscn"]);
        assert_eq!(spans_of("arn:aws:S3:::b"), ["S3"]);
        assert_eq!(spans_of("ARN:aws:s3:::b"), ["ARN"]);
        assert_eq!(spans_of("arn:aws:iam::account:role/x"), ["account"]);
    }

    #[test]
    fn whole_value_when_it_is_not_an_arn() {
        assert_eq!(spans_of("my-bucket/*"), ["my-bucket/*"]);
        assert_eq!(spans_of("arn:aws:s3"), ["arn:aws:s3"]);
        let text = policy(r#"{"Effect": "Deny", "Action": "s3:*", "NotResource": "bucket"}"#);
        assert_eq!(iam_spans(&RULE, &text), ["bucket"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.contains("neither `*` nor an ARN"), "{}", found[0].message);
    }

    #[test]
    fn escaped_strings_and_yaml() {
        // With an escape in the value the field cannot be located: the whole string is reported.
        let text =
            policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:sqs:us-east1:1:q\/x"}"#);
        assert_eq!(iam_spans(&RULE, &text), [r#""arn:aws:sqs:us-east1:1:q\/x""#]);
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: s3:*\n    Resource: arn:aws:s3:us-east1::b\n";
        assert_eq!(iam_spans(&RULE, yaml), ["us-east1"]);
    }

    #[test]
    fn partition_help_suggests_the_spelling() {
        let text = policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:AWS-CN:s3:::b"}"#);
        assert_eq!(lint_iam(&RULE, &text)[0].help.as_deref(), Some("write `aws-cn`"));
    }

    #[test]
    fn valid_arns_wildcards_and_templates_pass() {
        let resources = [
            "*",
            "arn:aws:s3:::bucket/${aws:username}/*",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:lambda:*:*:function:f:live",
            "arn:aws-us-gov:ec2:us-gov-west-1::image/ami-*",
            "arn:aws-eusc:s3:eusc-de-east-1:123456789012:accesspoint/a",
            "arn:aws:ec2:us-isob-east-1:123456789012:instance/*",
            "arn:*:s3:::b",
            "arn:${PARTITION}:iam::${ACCOUNT_ID}:role/x",
            "arn:aws:ssm:{{region}}:{{account-id}}:parameter/x",
            "arn:aws:sns:<region>:<account>:topic",
            "${BucketArn}",
            "execute-api:/prod/GET/*",
            "arn:aws:*:*:*:*",
            "arn:aws:organizations::*:",
        ];
        let items: Vec<String> = resources.iter().map(|r| format!("\"{r}\"")).collect();
        let text = policy(&format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}]}}"#,
            items.join(", ")
        ));
        assert_iam_clean(&RULE, &text);
    }
}
