use std::collections::HashMap;

use plimsoll_iam::{Statement, Values};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::iam::{glob_match, wildcard_match};

declare_rule! {
    /// ## What it does
    /// Flags what a policy says twice: an action that another item of the same statement already covers
    /// (`s3:GetObject` next to `s3:Get*`, or listed twice in any case), a resource that another resource of
    /// the statement already covers (`arn:aws:s3:::logs/app` next to `arn:aws:s3:::logs/*`), and a statement
    /// that repeats an earlier one of the same policy apart from its `Sid`.
    ///
    /// ## Why is this bad?
    /// Repetition hides what a policy grants: a reviewer who removes `s3:DeleteObject` from a list still
    /// leaves it granted by `s3:*` two lines down, and a copied statement that is edited in one place only
    /// keeps the old grant alive in the other. It also counts against IAM's policy size quotas.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM Access Analyzer policy check reference: redundant action, resource and statement](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM034",
    name: "redundant-policy-element",
    family: Iam,
    severity: Info,
    default_enabled: false,
    formats: [Iam],
    aliases: ["REDUNDANT_ACTION", "REDUNDANT_RESOURCE", "REDUNDANT_STATEMENT"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in &ctx.file.policies {
        let mut seen: HashMap<String, &Statement> = HashMap::new();
        for statement in &policy.statements {
            for values in [&statement.action, &statement.not_action].into_iter().flatten() {
                covered_items(values, true, "action", r);
            }
            for values in [&statement.resource, &statement.not_resource].into_iter().flatten() {
                covered_items(values, false, "resource", r);
            }
            let fingerprint = fingerprint(ctx.text, statement);
            match seen.get(&fingerprint) {
                Some(earlier) => {
                    r.report(statement.anchor, "The statement repeats an earlier statement of the policy")
                        .label(earlier.anchor, "the earlier statement")
                        .help("Remove one of the two statements, so a later edit cannot change one and miss the other");
                }
                None => {
                    seen.insert(fingerprint, statement);
                }
            }
        }
    }
}

/// Reports each item another item of the same list covers: a duplicate, or a match of another's pattern.
/// Actions compare without regard to case, as IAM compares them; resources (ARNs) with it. Lists run to
/// thousands of actions (the AWS managed `ReadOnlyAccess`), so duplicates are found by hashing and only
/// patterns are tried against the other items, and for actions only the patterns of the same service.
fn covered_items(values: &Values, ignore_case: bool, what: &str, r: &mut Reporter) {
    let key = |text: &str| if ignore_case { text.to_ascii_lowercase() } else { text.to_string() };
    // Patterns by the part before the first `:` (an action's service), or all together for resources.
    let group_of = |text: &str| {
        if ignore_case { text.split(':').next().unwrap_or("").to_ascii_lowercase() } else { String::new() }
    };
    let mut patterns: HashMap<String, Vec<&Spanned<String>>> = HashMap::new();
    let mut wild_groups: Vec<&Spanned<String>> = Vec::new();
    for item in values.items.iter().filter(|i| i.value.contains(['*', '?'])) {
        let group = group_of(&item.value);
        if group.contains(['*', '?']) {
            wild_groups.push(item)
        } else {
            patterns.entry(group).or_default().push(item)
        }
    }
    let covers = |pattern: &str, text: &str| {
        if ignore_case { wildcard_match(pattern, text) } else { glob_match(pattern, text) }
    };
    let mut first: HashMap<String, &Spanned<String>> = HashMap::new();
    for item in &values.items {
        let name = key(&item.value);
        let by = match first.get(&name) {
            Some(&earlier) => Some(earlier),
            None => {
                first.insert(name.clone(), item);
                let same_group = patterns.get(&group_of(&item.value)).map_or(&[][..], Vec::as_slice);
                same_group
                    .iter()
                    .chain(&wild_groups)
                    .copied()
                    .find(|p| key(&p.value) != name && covers(&p.value, &item.value))
            }
        };
        let Some(by) = by else { continue };
        let message = if key(&by.value) == name {
            format!("The {what} `{}` is listed twice", item.value)
        } else {
            format!("The {what} `{}` is already covered by `{}`", item.value, by.value)
        };
        r.report(item.range, message)
            .label(by.range, "covered here")
            .help(format!("Remove the redundant {what}"));
    }
}

/// What makes two statements the same grant: everything but the `Sid`, white space aside.
fn fingerprint(text: &str, statement: &Statement) -> String {
    let sid = statement.sid.as_ref().map(|s| s.range);
    let body = statement.range.slice(text);
    let body = match sid {
        Some(sid) => {
            let start = (sid.start - statement.range.start) as usize;
            let end = (sid.end - statement.range.start) as usize;
            format!("{}{}", &body[..start.min(body.len())], &body[end.min(body.len())..])
        }
        None => body.to_string(),
    };
    body.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn covered_and_duplicate_actions_and_resources() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:get*", "S3:GETOBJECT", "ec2:*", "ec2:RunInstances"],
      "Resource": ["arn:aws:s3:::logs/app", "arn:aws:s3:::logs/*", "arn:aws:s3:::Logs/app"]}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["s3:GetObject", "S3:GETOBJECT", "ec2:RunInstances", "arn:aws:s3:::logs/app"]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(found[0].message, "The action `s3:GetObject` is already covered by `s3:get*`");
        assert_eq!(found[1].message, "The action `S3:GETOBJECT` is listed twice");
    }

    #[test]
    fn repeated_statements_apart_from_the_sid() {
        let text = policy(
            r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "B", "Effect": "Allow",  "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "C", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["B"]);
        assert_eq!(lint_iam(&RULE, &text)[0].labels[0].range.slice(&text), "A");
    }

    #[test]
    fn distinct_items_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:List*"], "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::c/*"}"#,
            ),
        );
    }
}
