//! What IAM rules share: which statements allow what, matched the way IAM matches.

use plimsoll_iam::{Policy, Statement};
use plimsoll_linter::IamCtx;
use plimsoll_span::{Spanned, TextRange};

/// Every `Allow` statement of the file, with its policy.
pub fn allow_statements<'a>(ctx: &'a IamCtx) -> impl Iterator<Item = (&'a Policy, &'a Statement)> + 'a {
    ctx.file.policies.iter().flat_map(|p| p.statements.iter().filter(|s| s.allows()).map(move |s| (p, s)))
}

/// Whether an IAM pattern (`s3:Get*`, `*`, `ec2:Describe?nstances`) matches `text`. IAM compares action
/// names without regard to case; `*` matches any run of characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    // Iterative glob matching with one backtrack point: linear in practice, never recursive.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((star_p, star_t)) = star {
            pi = star_p + 1;
            ti = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Where the statement grants `action` (`iam:PassRole`): the `Action` item that matches it, or the
/// `NotAction` key when the action is not among those excluded. `None` when it does not grant it.
pub fn grant_of(statement: &Statement, action: &str) -> Option<TextRange> {
    if let Some(not) = &statement.not_action {
        let excluded = not.items.iter().any(|a| wildcard_match(&a.value, action));
        return (!excluded).then_some(not.key);
    }
    statement.actions().iter().find(|a| wildcard_match(&a.value, action)).map(|a| a.range)
}

/// Whether a `Resource` value names every resource: `*`, or an ARN whose fields after the partition are
/// all wildcards (`arn:aws:*:*:*:*`, `arn:*`): in one partition, that is everything.
pub fn is_every_resource(resource: &str) -> bool {
    let is_star = |field: &str| !field.is_empty() && field.bytes().all(|c| c == b'*');
    if is_star(resource) {
        return true;
    }
    let Some(rest) = resource.strip_prefix("arn:") else { return false };
    match rest.split_once(':') {
        Some((_partition, fields)) => fields.split(':').all(is_star),
        None => is_star(rest),
    }
}

/// The item that makes the statement apply to every resource (`"Resource": "*"`, `arn:aws:*:*:*:*`),
/// or the `NotResource` key (everything but a few). `None` when resources are named.
pub fn every_resource(statement: &Statement) -> Option<TextRange> {
    if let Some(not) = &statement.not_resource {
        return Some(not.key);
    }
    statement.resources().iter().find(|r| is_every_resource(&r.value)).map(|r| r.range)
}

/// Whether the statement grants without limits: on every resource and with no condition. This is how the
/// peers (cloudsplaining, Checkov) judge "unconstrained"; a statement with a condition may still be broad,
/// but it is left to the condition rules.
pub fn unconstrained(statement: &Statement) -> Option<TextRange> {
    if statement.is_conditional() { None } else { every_resource(statement) }
}

/// `` `a`, `b` and `c` `` for messages.
pub fn code_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The `Action` items written as `*` or a pattern whose service part is `*` (`*:*`).
pub fn star_actions(statement: &Statement) -> impl Iterator<Item = &Spanned<String>> {
    statement.actions().iter().filter(|a| a.value.split(':').next().is_some_and(|service| service == "*"))
}

/// The range of `value[start..end]` in the file, when the value is written as it reads (no escapes);
/// otherwise the whole value, which still holds the part.
pub fn part_range(text: &str, value: &Spanned<String>, start: usize, end: usize) -> TextRange {
    if value.range.slice(text) != value.value || end > value.value.len() || start > end {
        return value.range;
    }
    let at = |offset: usize| value.range.start + offset as u32;
    TextRange::new(at(start), at(end))
}

/// Every string the policy's statements hold, with the element it is in: what rules that scan values
/// (policy variables, templates) walk.
pub fn statement_strings(statement: &Statement) -> impl Iterator<Item = (Element, &Spanned<String>)> {
    let conditions = statement
        .condition
        .iter()
        .flat_map(|c| &c.blocks)
        .flat_map(|b| &b.tests)
        .flat_map(|t| &t.values.items)
        .map(|item| (Element::Condition, item));
    statement
        .sid
        .iter()
        .map(|sid| (Element::Sid, sid))
        .chain(items_of(Element::Action, &statement.action))
        .chain(items_of(Element::Action, &statement.not_action))
        .chain(items_of(Element::Resource, &statement.resource))
        .chain(items_of(Element::Resource, &statement.not_resource))
        .chain(principal_items(&statement.principal))
        .chain(principal_items(&statement.not_principal))
        .chain(conditions)
}

fn items_of(
    element: Element,
    values: &Option<plimsoll_iam::Values>,
) -> impl Iterator<Item = (Element, &Spanned<String>)> {
    values.iter().flat_map(|v| &v.items).map(move |item| (element, item))
}

fn principal_items(
    principal: &Option<plimsoll_iam::Principal>,
) -> impl Iterator<Item = (Element, &Spanned<String>)> {
    let groups = principal.iter().flat_map(|p| &p.groups);
    groups.flat_map(|g| &g.values.items).map(|item| (Element::Principal, item))
}

/// The statement element a string is in, for [`statement_strings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    Sid,
    /// `Action` or `NotAction`.
    Action,
    /// `Resource` or `NotResource`.
    Resource,
    /// `Principal` or `NotPrincipal` values.
    Principal,
    /// Condition values.
    Condition,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_iam_does() {
        assert!(wildcard_match("*", "iam:PassRole"));
        assert!(wildcard_match("iam:Pass*", "iam:passrole"));
        assert!(wildcard_match("IAM:PASSROLE", "iam:PassRole"));
        assert!(wildcard_match("iam:*Role", "iam:PassRole"));
        assert!(wildcard_match("iam:P?ssRole", "iam:PassRole"));
        assert!(wildcard_match("*:*", "s3:GetObject"));
        assert!(!wildcard_match("iam:Pass", "iam:PassRole"));
        assert!(!wildcard_match("iam:Get*", "iam:PassRole"));
        assert!(!wildcard_match("s3:*", "iam:PassRole"));
        assert!(wildcard_match("a*b*c", "axxbyyc") && !wildcard_match("a*b*c", "axxbyy"));
    }

    #[test]
    fn every_resource_spellings() {
        for every in ["*", "arn:*", "arn:*:*:*:*:*", "arn:aws:*:*:*:*", "arn:aws-cn:*:*:*:*"] {
            assert!(is_every_resource(every), "{every}");
        }
        assert!(!is_every_resource("arn:aws:s3:::*"));
        assert!(!is_every_resource("arn:aws:*:*:123456789012:*"));
        assert!(!is_every_resource("arn:*:s3:::bucket"));
    }
}
