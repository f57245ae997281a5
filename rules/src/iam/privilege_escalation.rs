use std::collections::HashMap;

use plimsoll_iam::catalogue::Action;
use plimsoll_iam::catalogue::escalation::{Method, methods};
use plimsoll_iam::{Policy, Statement};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;

use crate::support::iam::grant_of;
use crate::support::iam_grants::{Denials, action_summary, everywhere, everywhere_label, judged_policies};

declare_rule! {
    /// ## What it does
    /// Flags identity policies whose `Allow` statements, taken together, grant every action of a known
    /// privilege-escalation method with no `Condition`, on every resource (`*`, an all-wildcard ARN, or
    /// `NotResource`) or on every resource of the kind the action takes (`arn:aws:iam::*:role/*` for
    /// `iam:PassRole`): `iam:CreatePolicyVersion` alone, `iam:PassRole` with `ec2:RunInstances`,
    /// `iam:PassRole` with `lambda:CreateFunction` and `lambda:InvokeFunction`, `ssm:SendCommand`, and some
    /// sixty more from Rhino Security Labs' research and later public catalogues. Wildcards (`iam:*`) and
    /// `NotAction` count; an action an unconditional `Deny` of the same policy takes back on every resource
    /// does not.
    ///
    /// A grant on named resources does not count: `iam:PassRole` on one named role lets the holder act as
    /// that role, which is what the policy's author chose. Methods whose grants start at the same place
    /// are reported together, at the most specific item (an action written out beats a pattern, a pattern
    /// beats `NotAction`), with labels at the other actions the methods need. Resource and trust policies
    /// are not judged, nor policies that grant full administrator access (IAM013 says it all).
    ///
    /// ## Why is this bad?
    /// The holder can give itself permissions it was not granted: write a new version of its own policy,
    /// attach `AdministratorAccess` to itself, create an access key for an administrator, or start a
    /// Lambda function, an EC2 instance or a build that runs as a more powerful role and use that role's
    /// credentials. A workload with such a policy is one code-execution bug away from owning the account.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
    ///     {
    ///       "Effect": "Allow",
    ///       "Action": "iam:PassRole",
    ///       "Resource": "arn:aws:iam::123456789012:role/report-function",
    ///       "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    /// - [Rhino Security Labs: AWS privilege escalation – methods and mitigation](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    /// - [pathfinding.cloud: AWS privilege-escalation paths](https://pathfinding.cloud)
    code: "IAM017",
    name: "privilege-escalation",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: ["PRIVILEGE_ESCALATION", "PrivilegeEscalation", "CKV_AWS_110", "CKV_AWS_286"],
    checks: [Check::Iam(check)],
}

/// Where the policy grants one action without limits.
#[derive(Clone, Copy)]
struct Grant {
    action: &'static Action,
    item: TextRange,
    resource: TextRange,
    /// 0 for an action written out, 1 for a pattern, 2 for `NotAction`: the lowest is reported.
    specificity: u8,
}

/// The methods whose grants start at the same item.
struct Finding {
    primary: Grant,
    methods: Vec<&'static Method>,
    others: Vec<Grant>,
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for policy in judged_policies(ctx) {
        for finding in findings(policy) {
            report(r, ctx.text, &finding);
        }
    }
}

fn findings(policy: &Policy) -> Vec<Finding> {
    let denials = Denials::of(policy);
    let allows: Vec<&Statement> =
        policy.statements.iter().filter(|s| s.allows() && !s.is_conditional()).collect();
    if allows.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Finding> = Vec::new();
    // Methods share actions (`iam:PassRole` is in most): each is judged once per policy.
    let mut judged: HashMap<&str, Option<Grant>> = HashMap::new();
    for method in methods() {
        let grants: Option<Vec<Grant>> = method
            .records
            .iter()
            .map(|&action| {
                *judged.entry(action.full_name()).or_insert_with(|| grant(&allows, &denials, action))
            })
            .collect();
        let Some(grants) = grants else { continue };
        let Some(&primary) = grants.iter().min_by_key(|g| g.specificity) else { continue };
        let index = match found.iter().position(|f| f.primary.item == primary.item) {
            Some(index) => index,
            None => {
                found.push(Finding { primary, methods: Vec::new(), others: Vec::new() });
                found.len() - 1
            }
        };
        let finding = &mut found[index];
        finding.methods.push(method);
        for other in grants {
            let known = other.item == primary.item || finding.others.iter().any(|o| o.item == other.item);
            if !known {
                finding.others.push(other);
            }
        }
    }
    found
}

/// The most specific grant of `action` on every resource of its kind, unless a denial takes it back.
fn grant(allows: &[&Statement], denials: &Denials, action: &'static Action) -> Option<Grant> {
    if denials.deny(action.full_name()) {
        return None;
    }
    allows
        .iter()
        .filter_map(|&statement| {
            let item = grant_of(statement, action.full_name())?;
            let resource = everywhere(statement, action)?;
            let specificity = if statement.not_action.is_some() {
                2
            } else {
                let written = statement.actions().iter().find(|a| a.range == item);
                u8::from(written.is_some_and(|a| a.value.contains(['*', '?'])))
            };
            Some(Grant { action, item, resource, specificity })
        })
        .min_by_key(|g| g.specificity)
}

fn report(r: &mut Reporter, text: &str, finding: &Finding) {
    let first = finding.methods[0];
    let mut message =
        format!("The policy allows privilege escalation by `{}`: {}", first.name, first.summary);
    if finding.methods.len() > 1 {
        let rest: Vec<&str> = finding.methods[1..].iter().map(|m| m.name).collect();
        let other = if rest.len() == 1 { "method" } else { "methods" };
        message.push_str(&format!("; and by {} other {other}: {}", rest.len(), action_summary(&rest, 3)));
    }
    let passes_roles = finding.methods.iter().any(|m| m.actions.contains(&"iam:passrole"));
    let help = if passes_roles {
        "Name the roles `iam:PassRole` may pass in `Resource` and add an `iam:PassedToService` condition; scope the other actions to named resources"
    } else {
        "Scope the actions to the resources the workload manages (`Resource` ARNs) or remove them; keep privilege-granting actions to administrators"
    };
    let mut emit = r
        .report(finding.primary.item, message)
        .label(finding.primary.resource, everywhere_label(text, finding.primary.resource));
    for other in &finding.others {
        emit = emit.label(other.item, format!("grants `{}` too", other.action.full_name()));
    }
    emit.help(help);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn pass_role_with_compute_across_statements() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["ec2:Run*", "s3:GetObject"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["iam:PassRole"]);
        let found = lint_iam(&RULE, &text);
        assert!(
            found[0].message.starts_with(
                "The policy allows privilege escalation by `CreateEC2WithExistingInstanceProfile`: launch an instance"
            ),
            "{}",
            found[0].message
        );
        let labels: Vec<&str> = found[0].labels.iter().map(|l| l.range.slice(&text)).collect();
        assert_eq!(labels, ["arn:aws:iam::*:role/*", "ec2:Run*"]);
        assert_eq!(found[0].labels[0].message, "on every resource of its kind");
        assert_eq!(found[0].labels[1].message, "grants `ec2:RunInstances` too");
        assert!(found[0].help.as_deref().unwrap_or("").contains("iam:PassedToService"));
    }

    #[test]
    fn methods_at_the_same_item_are_one_finding() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:Put*Policy"], "Resource": "*"},
    {"Effect": "Allow", "NotAction": ["iam:*", "ec2:*"], "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["iam:AttachUserPolicy", "iam:Put*Policy", "NotAction"]);
        let found = lint_iam(&RULE, &text);
        assert_eq!(
            found[1].message,
            "The policy allows privilege escalation by `PutUserPolicy`: write any inline policy on oneself; and by 2 other methods: `PutGroupPolicy` and `PutRolePolicy`"
        );
        assert!(found[2].message.contains("and by"), "{}", found[2].message);
    }

    #[test]
    fn scoped_conditional_denied_resource_policies_and_admin_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["ec2:RunInstances", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/app"},
    {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/${aws:username}"},
    {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}},
    {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"},
    {"Effect": "Deny", "Action": "iam:CreatePolicyVersion", "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "iam:*", "Resource": "*"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}"#,
            ),
        );
    }
}
