//! Reading IAM `Condition` blocks: what an operator means, and whether a statement's condition really
//! narrows who can use it.

use plimsoll_iam::{ConditionBlock, ConditionTest, Statement};

/// Condition keys that say who the caller is (organization, account, ARN, network), or which resource a
/// service calls for: a matching test of one of them turns "everyone" into someone.
pub const CALLER_KEYS: [&str; 19] = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:userid",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
];

/// A condition operator taken apart: `ForAnyValue:StringLikeIfExists` is the set qualifier
/// `ForAnyValue`, the base `StringLike` and the `IfExists` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator<'a> {
    /// `ForAllValues` or `ForAnyValue`, when written.
    pub qualifier: Option<&'a str>,
    pub base: &'a str,
    pub if_exists: bool,
}

/// Splits an operator as written. IAM compares operator names without regard to case.
pub fn operator(text: &str) -> Operator<'_> {
    let (qualifier, rest) = match text.split_once(':') {
        Some((q, rest)) => (Some(q), rest),
        None => (None, text),
    };
    let suffix = "ifexists";
    let if_exists = rest.len() > suffix.len() && rest.to_ascii_lowercase().ends_with(suffix);
    let base = if if_exists { &rest[..rest.len() - suffix.len()] } else { rest };
    Operator { qualifier, base, if_exists }
}

impl Operator<'_> {
    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`, `NumericNotEquals`, `DateNotEquals`: true when
    /// the value is absent or differs.
    pub fn negated(&self) -> bool {
        self.base.to_ascii_lowercase().contains("not")
    }

    /// Whether the base is `name` (`Bool`, `Null`, `IpAddress`), ignoring case.
    pub fn is(&self, name: &str) -> bool {
        self.base.eq_ignore_ascii_case(name)
    }

    /// The operators that read `*` and `?` in values as wildcards.
    pub fn is_like(&self) -> bool {
        let base = self.base.to_ascii_lowercase();
        base.ends_with("like")
    }

    /// Whether a test with this operator holds only when the key is present and matches: no `IfExists`
    /// (absent keys pass), no negation (absent or other values pass), no `ForAllValues` (an absent or
    /// empty key passes), and not `Null`.
    pub fn requires_match(&self) -> bool {
        !self.if_exists
            && !self.negated()
            && !self.is("Null")
            && !self.qualifier.is_some_and(|q| q.eq_ignore_ascii_case("ForAllValues"))
    }
}

/// The first test in the statement's condition whose key satisfies `is_key` and which limits the request
/// to the values it lists: a matching operator ([`Operator::requires_match`]) and at least one value that
/// is not a match-everything pattern (`*`, `0.0.0.0/0`). A test whose value is not a string at all (a
/// CloudFormation `{"Ref": …}`, left out of the values) is taken to limit: its value is unknown here.
pub fn restricting_test(
    statement: &Statement,
    is_key: impl Fn(&str) -> bool,
) -> Option<(&ConditionBlock, &ConditionTest)> {
    let blocks = statement.condition.iter().flat_map(|c| &c.blocks);
    blocks.flat_map(|b| b.tests.iter().map(move |t| (b, t))).find(|(block, test)| {
        let op = operator(&block.operator.value);
        is_key(&test.key.value)
            && op.requires_match()
            && (test.values.items.is_empty()
                || test.values.items.iter().any(|v| !matches_everything(&op, &v.value)))
    })
}

/// Whether a condition limits the statement's callers ([`CALLER_KEYS`]), or to AWS services acting with
/// their service principals (`"Bool": {"aws:PrincipalIsAWSService": "true"}`).
pub fn limits_callers(statement: &Statement) -> bool {
    restricting_test(statement, |key| key_in(key, &CALLER_KEYS)).is_some()
        || statement.tests_of("aws:PrincipalIsAWSService").any(|(block, test)| {
            let op = operator(&block.operator.value);
            op.is("Bool")
                && op.requires_match()
                && !test.values.items.is_empty()
                && test.values.items.iter().all(|v| v.value.eq_ignore_ascii_case("true"))
        })
}

/// Whether a condition value lets every request through with this operator.
fn matches_everything(op: &Operator, value: &str) -> bool {
    let wildcard = !value.is_empty() && value.bytes().all(|c| c == b'*');
    (op.is_like() && wildcard) || (op.is("IpAddress") && matches!(value, "0.0.0.0/0" | "::/0"))
}

/// Whether `key` is one of `keys`, as IAM compares keys (without regard to case).
pub fn key_in(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_apart() {
        let op = operator("ForAnyValue:StringLikeIfExists");
        assert_eq!((op.qualifier, op.base, op.if_exists), (Some("ForAnyValue"), "StringLike", true));
        assert!(op.is_like() && !op.negated() && !op.requires_match());
        let op = operator("StringNotEquals");
        assert!(op.negated() && !op.requires_match());
        assert!(operator("NotIpAddress").negated());
        assert!(operator("ArnLike").requires_match());
        assert!(!operator("ForAllValues:StringEquals").requires_match());
        assert!(!operator("Null").requires_match());
        assert!(operator("boolifexists").if_exists && operator("BoolIfExists").is("bool"));
    }
}

/// An address and its prefix length, as `IpAddress` conditions take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    pub address: std::net::IpAddr,
    pub prefix: u8,
}

/// `203.0.113.0/24`, `2001:db8::/32`, or a single address (its whole-length prefix).
pub fn ip_range(text: &str) -> Option<IpRange> {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let address: std::net::IpAddr = address.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => p.parse::<u8>().ok()?,
        Some(_) => return None,
        None => max,
    };
    (prefix <= max).then_some(IpRange { address, prefix })
}
