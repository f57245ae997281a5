use plimsoll_iam::Statement;
use plimsoll_iam::catalogue::{Action, ResourceType, catalogue};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;
use plimsoll_yaml::Value;

use crate::support::iam::{code_list, is_every_resource};

declare_rule! {
    /// ## What it does
    /// Flags an `Action` item that can never apply to the statement's `Resource`: none of the named ARNs
    /// is of a resource type the action accepts (`s3:GetObject` on `arn:aws:s3:::reports`, the bucket,
    /// rather than `arn:aws:s3:::reports/*`, its objects), or the action accepts no resource type and so
    /// works only with `"Resource": "*"` (`s3:ListAllMyBuckets`, `ec2:DescribeInstances`). A pattern
    /// (`s3:Get*`) is flagged when none of the actions it names applies. Resource types and ARN formats
    /// come from the AWS action catalogue; ARN wildcards, policy variables (`${aws:username}`) and
    /// CloudFormation placeholders (`${AWS::AccountId}`) are read as "could be anything". Every statement
    /// is checked, `Deny` included.
    ///
    /// ## Why is this bad?
    /// IAM accepts the statement, and it does nothing for that action: an `Allow` does not grant it (the
    /// workload fails with `AccessDenied`, and someone "fixes" it with `"Resource": "*"`), and a `Deny`
    /// does not block it — `Deny s3:DeleteObject on arn:aws:s3:::backups` leaves every object deletable.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::backups"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::backups/*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM006",
    name: "action-resource-mismatch",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: ["RESOURCE_MISMATCH", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for statement in ctx.file.policies.iter().flat_map(|p| &p.statements) {
        let Some(resources) = named_resources(ctx, statement) else { continue };
        // Which resource types the named ARNs can be, worked out once per type: `s3:*` asks about the
        // same few types for a hundred actions.
        let mut seen: Vec<(*const ResourceType, bool)> = Vec::new();
        let mut matches = |resource_type: &'static ResourceType| {
            let id: *const ResourceType = resource_type;
            if let Some(&(_, known)) = seen.iter().find(|(t, _)| *t == id) {
                return known;
            }
            let found = resources.iter().any(|arn| resource_type.matches(&arn.value));
            seen.push((id, found));
            found
        };
        for item in statement.actions() {
            // A wildcard in the service part names every service (IAM004 reports the odd ones).
            if item.value.split(':').next().is_none_or(|s| s.is_empty() || s.contains(['*', '?'])) {
                continue;
            }
            let mut named = catalogue().expand(&item.value).peekable();
            let Some(&first) = named.peek() else { continue };
            let mut count = 0;
            if named.any(|action| {
                count += 1;
                applies(action, &mut matches)
            }) {
                continue;
            }
            report(statement, item, first, count, r);
        }
    }
}

/// Whether the action applies to one of the named resources: one is of a type the action accepts.
/// An action without resource types applies only to `"Resource": "*"`, which the caller has ruled out.
fn applies(action: &Action, matches: &mut impl FnMut(&'static ResourceType) -> bool) -> bool {
    action.resource_types().iter().any(|r| matches(r.resource_type))
}

/// The statement's named `Resource` ARNs, when every one of them is known: `None` with `NotResource`, with
/// an item that names every resource, or with one computed at deployment (`Fn::GetAtt`, a template).
fn named_resources<'a>(ctx: &IamCtx, statement: &'a Statement) -> Option<&'a [Spanned<String>]> {
    let resource = statement.resource.as_ref()?;
    let items = &resource.items;
    let node = ctx.tree.get(statement.node, "Resource")?;
    let written = match &ctx.tree.node(node).value {
        Value::Seq(nodes) => nodes.len(),
        _ => 1,
    };
    let unknown = |arn: &Spanned<String>| is_every_resource(&arn.value) || arn.value.contains("{{");
    (written == items.len() && !items.is_empty() && !items.iter().any(unknown)).then_some(items.as_slice())
}

fn report(statement: &Statement, item: &Spanned<String>, first: &Action, count: usize, r: &mut Reporter) {
    let written = item.value.as_str();
    let message = if count > 1 {
        format!("None of the {count} actions `{written}` names applies to the resources of the statement")
    } else if first.supports_resource_scoping() {
        let types: Vec<&str> = first.resource_types().iter().map(|r| r.resource_type.name()).collect();
        format!("`{written}` applies to {} resources, and the statement names none", code_list(&types))
    } else {
        format!("`{written}` applies to no resource type, so it needs `\"Resource\": \"*\"`")
    };
    let help = if count == 1 && first.supports_resource_scoping() {
        let formats: Vec<&str> =
            first.resource_types().iter().map(|r| r.resource_type.arn_format()).collect();
        format!(
            "Name resources of the form {}, or move the action to a statement that does",
            code_list(&formats)
        )
    } else {
        "Move the action to a statement with `\"Resource\": \"*\"` (narrowed by a condition if need be)"
            .to_string()
    };
    let emit = r.report(item.range, message).help(help);
    if let Some(resource) = &statement.resource {
        emit.label(resource.range, "the statement's resources");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn actions_that_never_apply() {
        let text = policy(
            r#"{"Effect": "Deny", "Action": ["s3:DeleteObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::backups"},
    {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "ec2:Describe*", "sqs:Get*"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:ec2:*:*:instance/*"]},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:user/app"}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            ["s3:DeleteObject", "s3:ListAllMyBuckets", "sqs:Get*", "iam:PassRole"]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "`s3:DeleteObject` applies to `object` resources, and the statement names none"
        );
        assert_eq!(found[0].labels[0].range.slice(&text), "\"arn:aws:s3:::backups\"");
        assert!(found[1].message.contains("needs `\"Resource\": \"*\"`"), "{}", found[1].message);
        assert!(found[2].message.starts_with("None of the "), "{}", found[2].message);
    }

    #[test]
    fn matching_wildcards_variables_and_unknowns_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "s3:Get*"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"},
    {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app"}},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b", {"Fn::GetAtt": ["Bucket", "Arn"]}]},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"},
    {"Effect": "Allow", "Action": ["*", "nosuch:Thing"], "Resource": "arn:aws:s3:::b"},
    {"Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b"},
    {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b"}"#,
            ),
        );
    }
}
