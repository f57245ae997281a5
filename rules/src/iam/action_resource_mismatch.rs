use plimsoll_iam::Statement;
use plimsoll_iam::catalogue::{Action, ResourceType, catalogue};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::help::code_list;
use crate::support::iam::is_every_resource;

declare_rule! {
    /// ## What it does
    /// Flags an `Action` item that can never apply to the statement's `Resource`: none of the named ARNs
    /// is of a resource type the action accepts (`s3:GetObject` on `arn:aws:s3:::reports`, the bucket,
    /// rather than `arn:aws:s3:::reports/*`, its objects). A pattern (`s3:Get*`) is flagged when none of
    /// the actions it names applies. Actions that the catalogue gives no resource type are left alone:
    /// AWS documents them as needing `"Resource": "*"`, yet authorizes some against a service-wide ARN
    /// (`arn:aws:s3:::*` for `s3:ListAllMyBuckets`). So are `apigateway` actions, whose REST API resource
    /// types the catalogue holds only in part. Resource types and ARN formats come from the AWS action
    /// catalogue; ARN wildcards, policy variables (`${aws:username}`) and CloudFormation placeholders
    /// (`${AWS::AccountId}`) are read as "could be anything". Every statement is checked, `Deny` included;
    /// statements with `NotResource` or a computed resource (`Fn::GetAtt`) are not.
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
        let Some(resources) = named_resources(statement) else { continue };
        // Which resource types the named ARNs can be, worked out once per type: `s3:*` asks about the
        // same few types for a hundred actions.
        let mut seen: Vec<(*const ResourceType, bool)> = Vec::new();
        let mut matches = |resource_type: &'static ResourceType| {
            let id: *const ResourceType = resource_type;
            if let Some(&(_, known)) = seen.iter().find(|(t, _)| *t == id) {
                return known;
            }
            let found = resources.iter().any(|arn| can_be(resource_type, &arn.value));
            seen.push((id, found));
            found
        };
        for item in statement.actions() {
            // A wildcard in the service part names every service (IAM004 reports the odd ones).
            // `apigateway`: the catalogue holds API Gateway's two services under their shared prefix and
            // keeps the REST API (v1) resource types of only some actions.
            let service = item.value.split(':').next().unwrap_or_default();
            if service.is_empty()
                || service.contains(['*', '?'])
                || service.eq_ignore_ascii_case("apigateway")
            {
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

/// Whether the action can apply to one of the named resources: one is of a type the action accepts.
/// An action without resource types is given the benefit of the doubt (see the documentation).
fn applies(action: &Action, matches: &mut impl FnMut(&'static ResourceType) -> bool) -> bool {
    !action.supports_resource_scoping() || action.resource_types().iter().any(|r| matches(r.resource_type))
}

/// Whether a policy ARN can name a resource of this type. Readings added to the catalogue's:
/// * CloudWatch Logs writes a log group's ARN with a trailing `:*` (`log-group:app:*`), the form
///   `DescribeLogGroups` returns and policies use, and a stream's ARN is read as naming its group too;
/// * a service's type that lives in another service's ARNs (`ssm`'s `task`, `arn:…:ecs:…:task/${TaskId}`)
///   can lag that service's own format (`task/${ClusterName}/${TaskId}`): the owner's type of the same
///   name counts too.
fn can_be(resource_type: &'static ResourceType, arn: &str) -> bool {
    let matches = |arn: &str| {
        resource_type.matches(arn) || arn_owner_type(resource_type).is_some_and(|owner| owner.matches(arn))
    };
    // AWS's own managed policies grant log-group actions (`logs:DescribeLogStreams`) on the ARNs of the
    // group's streams (`log-group:app:log-stream:*`) throughout: taken as naming the group.
    let group = arn.find(":log-stream:").map(|at| &arn[..at]);
    matches(arn) || arn.strip_suffix(":*").is_some_and(matches) || group.is_some_and(matches)
}

/// The type of the same name in the service whose ARNs the type's format uses, when that is another one.
fn arn_owner_type(resource_type: &'static ResourceType) -> Option<&'static ResourceType> {
    let owner = resource_type.arn_format().split(':').nth(2)?;
    let service = catalogue().service(owner)?;
    let same = service.resource_type(resource_type.name())?;
    (!std::ptr::eq(same, resource_type)).then_some(same)
}

/// The statement's named `Resource` ARNs, when every one of them is known: `None` with `NotResource`, with
/// an item that names every resource, or with one computed at deployment (`Fn::GetAtt`, a template).
fn named_resources(statement: &Statement) -> Option<&[Spanned<String>]> {
    let resource = statement.resource.as_ref()?;
    let items = &resource.items;
    let unknown = |arn: &Spanned<String>| is_every_resource(&arn.value) || arn.value.contains("{{");
    (resource.computed == 0 && !items.is_empty() && !items.iter().any(unknown)).then_some(items.as_slice())
}

fn report(statement: &Statement, item: &Spanned<String>, first: &Action, count: usize, r: &mut Reporter) {
    let written = item.value.as_str();
    let (message, help) = if count > 1 {
        (
            format!(
                "None of the {count} actions `{written}` names applies to the resources of the statement"
            ),
            "Name resources of the types the actions accept, or move them to a statement that does"
                .to_string(),
        )
    } else {
        let types: Vec<&str> = first.resource_types().iter().map(|r| r.resource_type.name()).collect();
        let formats: Vec<&str> =
            first.resource_types().iter().map(|r| r.resource_type.arn_format()).collect();
        (
            format!(
                "`{written}` applies to {} resources, and the statement names none",
                code_list(types.iter().copied())
            ),
            format!(
                "Name resources of the form {}, or move the action to a statement that does",
                code_list(formats.iter().copied())
            ),
        )
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
    {"Effect": "Allow", "Action": ["ec2:Describe*", "sqs:Get*"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:ec2:*:*:instance/*"]},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:user/app"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:DeleteObject", "sqs:Get*", "iam:PassRole"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[0].message,
            "`s3:DeleteObject` applies to `accesspointobject` and `object` resources, and the statement names none"
        );
        assert_eq!(found[0].labels[0].range.slice(&text), "\"arn:aws:s3:::backups\"");
        assert!(found[1].message.starts_with("None of the "), "{}", found[1].message);
    }

    #[test]
    fn matching_wildcards_variables_and_unknowns_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "s3:Get*"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]},
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"},
    {"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "arn:aws:s3:::*"},
    {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:DescribeLogStreams"], "Resource": ["arn:aws:logs:*:*:log-group:app-*:*", "arn:aws:logs:*:*:log-group:b:log-stream:*"]},
    {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ecs:*:*:task/*/*"},
    {"Effect": "Allow", "Action": "apigateway:GET", "Resource": "arn:aws:apigateway:*::/restapis/*/stages/*"},
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
