//! What an identity policy grants without limits, judged against the action catalogue: the shared ground of
//! IAM014–IAM019. "Unconstrained" is the peers' notion (cloudsplaining, Checkov): an `Allow` on every
//! resource (`*`, an all-wildcard ARN, or `NotResource`) with no `Condition`, less what an unconditional
//! `Deny` of the same policy takes back on every resource. The rules that look for a few named actions
//! (IAM017–IAM019) also count ARNs that cover every resource the action takes ([`everywhere`]).
//!
//! Only identity policies are judged: in a resource policy `"Resource": "*"` means the resource the policy
//! is attached to (a KMS key policy's `kms:*` on `*` is the key's own administration), and trust policies
//! grant nothing but assuming the role. A policy with a statement of full administrator access (IAM013) is
//! left out too: that one finding says everything the others would.

use plimsoll_iam::catalogue::{AccessLevel, Action};
use plimsoll_iam::{Policy, PolicyKind, Statement};
use plimsoll_linter::{IamCtx, Reporter};
use plimsoll_span::TextRange;

use crate::support::help::{code, code_list};
use crate::support::iam::{
    grant_of, granted_actions, is_every_resource, star_actions, unconstrained, wildcard_match,
};

/// Whether the statement is full administrator access as IAM013 reports it: an unconstrained `Allow` of
/// an action written with wildcards only (`*`, `*:*`).
pub fn is_full_admin(statement: &Statement) -> bool {
    statement.allows() && unconstrained(statement).is_some() && star_actions(statement).next().is_some()
}

/// The identity policies of the file that do not grant full administrator access.
pub fn judged_policies<'a>(ctx: &'a IamCtx) -> impl Iterator<Item = &'a Policy> + 'a {
    ctx.file
        .policies
        .iter()
        .filter(|p| p.kind == PolicyKind::Identity && !p.statements.iter().any(is_full_admin))
}

/// The policy's unconstrained `Allow` statements, each with the item that makes it apply everywhere.
fn unconstrained_allows(policy: &Policy) -> impl Iterator<Item = (&Statement, TextRange)> {
    policy.statements.iter().filter(|s| s.allows()).filter_map(|s| Some((s, unconstrained(s)?)))
}

/// The policy's `Deny` statements that apply to every resource without condition: what they deny is
/// denied whatever the `Allow` statements say.
pub struct Denials<'a>(Vec<&'a Statement>);

impl<'a> Denials<'a> {
    pub fn of(policy: &'a Policy) -> Self {
        Denials(
            policy
                .statements
                .iter()
                .filter(|s| {
                    // `NotResource` in a Deny spares the resources it names: not a denial everywhere.
                    s.denies()
                        && !s.is_conditional()
                        && s.not_resource.is_none()
                        && s.resources().iter().any(|r| is_every_resource(&r.value))
                })
                .collect(),
        )
    }

    /// Whether `action` (a full name) is denied on every resource.
    pub fn deny(&self, action: &str) -> bool {
        self.0.iter().any(|s| grant_of(s, action).is_some())
    }
}

/// The catalogue actions the statement grants that `keep` selects and `denials` leave, each once with the
/// item that grants it (the first that names it, or the `NotAction` key), in the order of the items.
pub fn granted_where(
    statement: &Statement,
    denials: &Denials,
    keep: impl Fn(&Action) -> bool,
) -> Vec<(&'static Action, TextRange)> {
    let mut granted: Vec<(&'static Action, TextRange)> = granted_actions(statement)
        .into_iter()
        .filter(|(action, _)| keep(action) && !denials.deny(action.full_name()))
        .collect();
    // Catalogue order within an item; items in their written order (a stable sort).
    granted.sort_by_key(|(_, item)| item.start);
    granted
}

/// What one unconstrained statement grants of the actions a rule looks for.
pub struct StatementGrant {
    /// The first item that grants one of them (or the `NotAction` key): where to report.
    pub primary: TextRange,
    /// The other items that grant some.
    pub others: Vec<TextRange>,
    /// The `*` resource item or the `NotResource` key.
    pub resource: TextRange,
    /// The actions' full names, the most dangerous access levels first.
    pub names: Vec<&'static str>,
}

/// For each unconstrained `Allow` statement of the judged policies that grants actions `keep` selects
/// (denials taken back), what it grants of them.
pub fn unconstrained_grants(ctx: &IamCtx, keep: impl Fn(&Action) -> bool) -> Vec<StatementGrant> {
    let mut found = Vec::new();
    for policy in judged_policies(ctx) {
        let denials = Denials::of(policy);
        for (statement, resource) in unconstrained_allows(policy) {
            let mut granted = granted_where(statement, &denials, &keep);
            let Some(&(_, primary)) = granted.first() else { continue };
            let others = other_items(&granted, primary);
            by_danger(&mut granted);
            let names = granted.iter().map(|(action, _)| action.full_name()).collect();
            found.push(StatementGrant { primary, others, resource, names });
        }
    }
    found
}

/// Like [`unconstrained_grants`] for a short list of actions (from `catalogue::escalation`) that `keep`
/// selects: each looked up in the statement's items rather than every item expanded, and judged on every
/// resource of its own kind ([`everywhere`]). Names come in the order of the items that grant them.
pub fn listed_grants(
    ctx: &IamCtx,
    listed: &[&'static Action],
    keep: impl Fn(&Action) -> bool,
) -> Vec<StatementGrant> {
    let mut found = Vec::new();
    let listed: Vec<&'static Action> = listed.iter().copied().filter(|action| keep(action)).collect();
    for policy in judged_policies(ctx) {
        let denials = Denials::of(policy);
        for statement in policy.statements.iter().filter(|s| s.allows()) {
            let mut granted: Vec<(&'static Action, TextRange, TextRange)> = listed
                .iter()
                .copied()
                .filter(|action| !denials.deny(action.full_name()))
                .filter_map(|action| {
                    let item = grant_of(statement, action.full_name())?;
                    Some((action, item, everywhere(statement, action)?))
                })
                .collect();
            granted.sort_by_key(|(_, item, _)| item.start);
            let Some(&(_, primary, resource)) = granted.first() else { continue };
            let items: Vec<(&'static Action, TextRange)> =
                granted.iter().map(|&(a, item, _)| (a, item)).collect();
            let others = other_items(&items, primary);
            let names = granted.iter().map(|(action, _, _)| action.full_name()).collect();
            found.push(StatementGrant { primary, others, resource, names });
        }
    }
    found
}

/// Where the statement applies `action` to every resource without condition: the `*` item or the
/// `NotResource` key ([`unconstrained`]), or ARNs that cover every resource of each type the action takes
/// (`arn:aws:iam::*:role/*` for `iam:PassRole`, `arn:aws:s3:::*/*` for `s3:GetObject`), whatever their
/// partition, region and account say: in one account that is every such resource. Every type must be
/// covered, as a request may be checked against several (`ssm:SendCommand` against the document and the
/// instance); S3 access-point types are left aside, being another path to the same buckets and objects.
pub fn everywhere(statement: &Statement, action: &Action) -> Option<TextRange> {
    if statement.is_conditional() {
        return None;
    }
    unconstrained(statement).or_else(|| {
        let mut covering = None;
        let mut types =
            action.resource_types().iter().filter(|t| !t.resource_type.name().starts_with("accesspoint"));
        let all_covered = types.all(|t| {
            let sample = sample_arn(t.resource_type.arn_format());
            let item = statement.resources().iter().find(|r| wildcard_match(&any_place(&r.value), &sample));
            covering = covering.or(item.map(|r| r.range));
            item.is_some()
        });
        if all_covered { covering } else { None }
    })
}

/// Reports one statement's grant: "The statement allows {what} on every resource: a, b and N more" at
/// the first item that grants, with labels at the resource and at the other items (`also`).
pub fn report_grant(r: &mut Reporter, text: &str, grant: StatementGrant, what: &str, also: &str, help: &str) {
    let message =
        format!("The statement allows {what} on every resource: {}", action_summary(&grant.names, 3));
    let mut emit =
        r.report(grant.primary, message).label(grant.resource, everywhere_label(text, grant.resource));
    for other in grant.others {
        emit = emit.label(other, also);
    }
    emit.help(help);
}

/// The label for where [`everywhere`] found a statement to apply: `*` and `NotResource` are every
/// resource, a pattern such as `arn:aws:iam::*:role/*` every resource of one kind.
pub fn everywhere_label(text: &str, range: TextRange) -> &'static str {
    let written = range.slice(text);
    if written == "NotResource" || is_every_resource(written) {
        "on every resource"
    } else {
        "on every resource of its kind"
    }
}

/// An ARN of the format whose every placeholder is filled with a name no policy would spell out:
/// matched by a resource pattern only if the pattern's wildcards stand for every name.
fn sample_arn(format: &str) -> String {
    let mut sample = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        sample.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else { break };
        sample.push_str("plimsoll-any-name");
        rest = &rest[start + end + 1..];
    }
    sample.push_str(rest);
    sample
}

/// The resource ARN with its partition, region and account (when written) replaced by `*`.
fn any_place(arn: &str) -> String {
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| if matches!(index, 1 | 3 | 4) && !field.is_empty() { "*" } else { field })
        .collect::<Vec<&str>>()
        .join(":")
}

/// Whether the action's name says it only reads (`GetResourcePolicy`, `ListEntities`, `DescribeEntity`):
/// the catalogue files a few dozen such actions under "Permissions management" because of what they read,
/// not because they change anyone's permissions.
pub fn reads_by_name(action: &Action) -> bool {
    const VERBS: [&str; 6] = ["Get", "List", "Describe", "BatchGet", "Search", "View"];
    let name = action.name();
    VERBS.iter().any(|verb| {
        name.len() >= verb.len()
            && name[..verb.len()].eq_ignore_ascii_case(verb)
            && name[verb.len()..].chars().next().is_none_or(|c| c.is_ascii_uppercase())
    })
}

/// Orders actions for messages: the most dangerous access levels first, then as granted.
pub fn by_danger(actions: &mut [(&'static Action, TextRange)]) {
    let rank = |level: AccessLevel| match level {
        AccessLevel::PermissionsManagement => 0,
        AccessLevel::Write => 1,
        AccessLevel::Tagging => 2,
        AccessLevel::Read => 3,
        AccessLevel::List => 4,
    };
    actions.sort_by_key(|(action, _)| rank(action.access()));
}

/// `` `a`, `b`, `c` and 4 more `` for messages: the first `shown` names, then how many are left.
pub fn action_summary(actions: &[&str], shown: usize) -> String {
    let rest = actions.len().saturating_sub(shown);
    if rest == 0 {
        return code_list(actions.iter().copied());
    }
    let quoted: Vec<String> = actions[..shown].iter().map(|a| code(a)).collect();
    format!("{} and {rest} more", quoted.join(", "))
}

/// The distinct item ranges of `granted` other than `primary`, in order: where to put labels.
pub fn other_items(granted: &[(&'static Action, TextRange)], primary: TextRange) -> Vec<TextRange> {
    let mut ranges: Vec<TextRange> = Vec::new();
    for &(_, range) in granted {
        if range != primary && !ranges.contains(&range) {
            ranges.push(range);
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_iam::catalogue::catalogue;

    fn read(text: &str) -> plimsoll_iam::IamFile {
        plimsoll_iam::read(&plimsoll_yaml::parse_json(text))
    }

    #[test]
    fn full_admin_is_stars_only_and_unconstrained() {
        let file = read(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "*:*", "Resource": "*"},
              {"Effect": "Allow", "Action": "*:Get*", "Resource": "*"},
              {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}]}"#,
        );
        let admin: Vec<bool> = file.policies[0].statements.iter().map(is_full_admin).collect();
        assert_eq!(admin, [true, false, false]);
    }

    #[test]
    fn denials_on_every_resource_take_grants_back() {
        let file = read(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["iam:*", "s3:GetObject"], "Resource": "*"},
              {"Effect": "Deny", "Action": "iam:Create*", "Resource": "*"},
              {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/x"},
              {"Effect": "Deny", "Action": "iam:AttachRolePolicy", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}"#,
        );
        let policy = &file.policies[0];
        let denials = Denials::of(policy);
        assert!(denials.deny("iam:CreateAccessKey"));
        assert!(!denials.deny("iam:PassRole") && !denials.deny("iam:AttachRolePolicy"));
        let granted = granted_where(&policy.statements[0], &denials, |a| a.service_prefix() == "iam");
        let names: Vec<&str> = granted.iter().map(|(a, _)| a.full_name()).collect();
        assert!(names.contains(&"iam:PassRole") && !names.contains(&"iam:CreateAccessKey"));
        assert_eq!(names.iter().filter(|n| **n == "iam:PassRole").count(), 1);
    }

    #[test]
    fn read_verbs_by_name() {
        let reads = |name: &str| catalogue().action(name).is_some_and(reads_by_name);
        assert!(
            reads("billing:GetResourcePolicy")
                && reads("glue:ListEntities")
                && reads("managedblockchain:GET")
        );
        assert!(
            !reads("s3:PutBucketPolicy")
                && !reads("iam:AttachRolePolicy")
                && !reads("lakeformation:GrantPermissions")
        );
    }

    #[test]
    fn every_resource_of_the_action_s_kind() {
        let file = read(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam::*:role/*", "arn:aws:s3:::*/*", "arn:aws-cn:ssm:eu-west-1:123456789012:parameter/*"]},
              {"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam::1:role/app-*", "arn:aws:s3:::b/*", "arn:aws:ssm:*:*:parameter/app/*"]},
              {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:iam::*:role/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#,
        );
        let [broad, named, conditional] = &file.policies[0].statements[..] else {
            panic!("three statements")
        };
        for name in ["iam:PassRole", "s3:GetObject", "ssm:GetParameter"] {
            let action = catalogue().action(name).expect(name);
            assert!(everywhere(broad, action).is_some(), "{name}");
            assert!(everywhere(named, action).is_none(), "{name}");
            assert!(everywhere(conditional, action).is_none(), "{name}");
        }
        // Every type the action takes must be covered: the documents alone are not every instance.
        let send_command = catalogue().action("ssm:SendCommand").expect("ssm:SendCommand");
        assert!(everywhere(broad, send_command).is_none());
        // A role pattern is not every user.
        let create_key = catalogue().action("iam:CreateAccessKey").expect("iam:CreateAccessKey");
        assert!(everywhere(broad, create_key).is_none());
        assert_eq!(
            sample_arn("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")
                .matches("plimsoll")
                .count(),
            3
        );
        assert_eq!(any_place("arn:aws:s3:::b/*"), "arn:*:s3:::b/*");
        assert_eq!(any_place("*"), "*");
    }

    #[test]
    fn summaries() {
        assert_eq!(action_summary(&["a"], 3), "`a`");
        assert_eq!(action_summary(&["a", "b"], 3), "`a` and `b`");
        assert_eq!(action_summary(&["a", "b", "c"], 3), "`a`, `b` and `c`");
        assert_eq!(action_summary(&["a", "b", "c", "d", "e"], 3), "`a`, `b`, `c` and 2 more");
    }
}
