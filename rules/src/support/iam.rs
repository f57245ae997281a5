//! What IAM rules share: which statements allow what, matched the way IAM matches.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use plimsoll_iam::catalogue::{Action, catalogue};
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
    glob(pattern.as_bytes(), text.as_bytes(), |a, b| a.eq_ignore_ascii_case(&b))
}

/// [`wildcard_match`] with case: ARNs are case-sensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    glob(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
}

fn glob(p: &[u8], t: &[u8], same: impl Fn(u8, u8) -> bool) -> bool {
    // Iterative glob matching with one backtrack point: linear in practice, never recursive.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || same(p[pi], t[ti])) {
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

/// The catalogue's actions the statement allows or denies, each with where it is granted: the `Action`
/// item that names it (the first, when several do), or the `NotAction` key for every action not excluded.
/// Actions the catalogue does not know are left out (IAM004 reports them).
pub fn granted_actions(statement: &Statement) -> Vec<(&'static Action, TextRange)> {
    let (patterns, negated): (Vec<&str>, bool) = match &statement.not_action {
        Some(not) => (not.items.iter().map(|a| a.value.as_str()).collect(), true),
        None => (statement.actions().iter().map(|a| a.value.as_str()).collect(), false),
    };
    let expansion = expansion_of(&patterns, negated);
    let range_of = |item: u32| match &statement.not_action {
        Some(not) => not.key,
        None => statement.actions()[item as usize].range,
    };
    expansion.iter().map(|&(action, item)| (action, range_of(item))).collect()
}

/// Actions with the index of the pattern that first names them, in catalogue order.
type Expansion = Rc<[(&'static Action, u32)]>;

/// The expansion of a list of patterns (or of everything but them), memoised per thread: policies repeat
/// the same lists (`*`, `s3:Get*`) across statements, and every rule that reads grants asks again. The memo
/// is keyed by a case-insensitive hash of the list, so a hit allocates nothing; the stored list confirms it.
fn expansion_of(patterns: &[&str], negated: bool) -> Expansion {
    type Memo = HashMap<u64, Vec<(Vec<String>, bool, Expansion)>>;
    thread_local! {
        static MEMO: RefCell<Memo> = RefCell::new(HashMap::new());
    }
    let hash = list_hash(patterns, negated);
    let same = |(known, known_negated, _): &&(Vec<String>, bool, Expansion)| {
        *known_negated == negated
            && known.len() == patterns.len()
            && known.iter().zip(patterns).all(|(k, p)| k.eq_ignore_ascii_case(p))
    };
    let found = MEMO.with(|memo| {
        memo.borrow().get(&hash).and_then(|entries| entries.iter().find(same)).map(|e| e.2.clone())
    });
    if let Some(found) = found {
        return found;
    }
    let expansion = expand_list(patterns, negated);
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        // Bounded: a file of thousands of distinct lists must not grow the memo without end.
        if memo.len() >= 512 {
            memo.clear();
        }
        let known = patterns.iter().map(|p| p.to_string()).collect();
        memo.entry(hash).or_default().push((known, negated, expansion.clone()));
    });
    expansion
}

/// FNV-1a over the lower-cased bytes of the list, each pattern closed by 0xFF (never a byte of UTF-8 text).
/// Every statement of every policy is hashed, so this is a plain loop: `DefaultHasher` fed one byte at a
/// time cost more than the lookups the memo saves. The memo compares the lists themselves, so the hash only
/// needs to spread them.
fn list_hash(patterns: &[&str], negated: bool) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET ^ u64::from(negated);
    for pattern in patterns {
        for byte in pattern.bytes().map(|b| b.to_ascii_lowercase()).chain([0xFF]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }
    hash
}

fn expand_list(patterns: &[&str], negated: bool) -> Expansion {
    let catalogue = catalogue();
    if negated {
        return catalogue
            .expand("*")
            .filter(|action| !patterns.iter().any(|p| wildcard_match(p, action.full_name())))
            .map(|action| (action, 0))
            .collect();
    }
    let mut all: Vec<(&'static Action, u32)> = patterns
        .iter()
        .enumerate()
        .flat_map(|(i, p)| catalogue.expand(p).map(move |action| (action, i as u32)))
        .collect();
    // Catalogue order is address order (one static slice); the first pattern naming an action wins.
    all.sort_by_key(|&(action, i)| (action as *const Action as usize, i));
    all.dedup_by_key(|&mut (action, _)| action as *const Action as usize);
    all.into()
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

/// The range of `value[from..to]` inside a string item: the part itself when the item is written as its
/// value (no quotes, no escapes, as `Tree::value_range` gives it), else the whole item, which still shows it.
pub fn part_of(item: &Spanned<String>, from: usize, to: usize) -> TextRange {
    let range = item.range;
    if range.len() as usize != item.value.len() || from > to || to > item.value.len() {
        return range;
    }
    TextRange::new(range.start + from as u32, range.start + to as u32)
}

/// Whether a value holds a placeholder filled in before or while IAM reads it: `${…}` (policy variables
/// and most template languages), `{{…}}`, `<placeholder>`. Rules do not judge such values.
pub fn is_template(text: &str) -> bool {
    text.contains("${") || text.contains("{{") || (text.contains('<') && text.contains('>'))
}

/// The `Action` items that name every action: `*`, or `*:*` (wildcards only on both sides; `*:Get*` names
/// only the reads).
pub fn star_actions(statement: &Statement) -> impl Iterator<Item = &Spanned<String>> {
    let all_stars = |text: &str| !text.is_empty() && text.bytes().all(|c| c == b'*');
    statement.actions().iter().filter(move |a| match a.value.split_once(':') {
        Some((service, name)) => all_stars(service) && all_stars(name),
        None => all_stars(&a.value),
    })
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
    fn list_hash_ignores_case_and_keeps_boundaries() {
        let hash = |list: &[&str]| list_hash(list, false);
        assert_eq!(hash(&["s3:GetObject", "ec2:*"]), hash(&["S3:getobject", "EC2:*"]));
        assert_ne!(hash(&["s3:Get", "Object"]), hash(&["s3:GetObject"]));
        assert_ne!(hash(&["a", "b"]), hash(&["b", "a"]));
        assert_ne!(list_hash(&["*"], false), list_hash(&["*"], true));
    }

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
        assert!(
            glob_match("arn:aws:s3:::b/*", "arn:aws:s3:::b/x")
                && !glob_match("arn:aws:s3:::B/*", "arn:aws:s3:::b/x")
        );
    }

    #[test]
    fn granted_actions_expand_patterns_and_not_action() {
        let tree = plimsoll_yaml::parse_json(
            r#"{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "nosuch:Thing"], "Resource": "*"},
              {"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "Resource": "*"}]}"#,
        );
        let file = plimsoll_iam::read(&tree);
        let [named, not] = &file.policies[0].statements[..] else { panic!("two statements") };
        let granted = granted_actions(named);
        assert!(granted.iter().all(|(a, _)| a.full_name().starts_with("s3:Get")), "{}", granted.len());
        let get_object = granted.iter().find(|(a, _)| a.full_name() == "s3:GetObject").unwrap();
        assert_eq!(get_object.1, named.actions()[0].range, "the first item that names it");
        assert_eq!(granted.iter().filter(|(a, _)| a.full_name() == "s3:GetObject").count(), 1);
        let everything_else = granted_actions(not);
        assert!(everything_else.iter().any(|(a, _)| a.full_name() == "ec2:RunInstances"));
        assert!(
            !everything_else.iter().any(|(a, _)| a.service_prefix() == "s3" || a.service_prefix() == "iam")
        );
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
