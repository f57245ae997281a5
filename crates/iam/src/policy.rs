//! The normalised policy: every element a string or a list read the same way, every value with its range.

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::NodeId;

/// One policy document found in a file.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The policy's object.
    pub node: NodeId,
    pub range: TextRange,
    /// Where to point for something missing from the whole policy: the `Statement` key.
    pub anchor: TextRange,
    /// What the policy is for, read from where it sits and what it grants.
    pub kind: PolicyKind,
    /// `Version`, when it is a string.
    pub version: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
}

/// What a policy is attached to, which decides which elements it needs and what its principals mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to a user, group or role (no `Principal`).
    Identity,
    /// Attached to a resource (an S3 bucket, an ECR repository, a KMS key, a queue): names principals.
    Resource,
    /// A role's trust policy: who may assume the role (`AssumeRolePolicyDocument`, or every statement
    /// grants `sts:AssumeRole*` to a principal).
    Trust,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub node: NodeId,
    pub range: TextRange,
    /// Where to point for something missing from the statement: its `Sid`, else its `Effect`, else its
    /// first character.
    pub anchor: TextRange,
    pub sid: Option<Spanned<String>>,
    pub effect: Option<Spanned<Effect>>,
    pub action: Option<Values>,
    pub not_action: Option<Values>,
    pub resource: Option<Values>,
    pub not_resource: Option<Values>,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub condition: Option<Condition>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Anything else, which IAM rejects (the value is case-sensitive).
    Invalid,
}

/// An element that takes a string or a list of strings (`Action`, `Resource`, a principal's `AWS`).
#[derive(Clone, Debug)]
pub struct Values {
    /// The element's key (`"Action"`), without quotes.
    pub key: TextRange,
    /// The whole value: the string, or the list with its brackets.
    pub range: TextRange,
    /// The strings, in order; items of other types are left out (and reported as grammar problems).
    pub items: Vec<Spanned<String>>,
    /// How many items CloudFormation computes at deployment (`Ref`, `Fn::GetAtt`, …), left out of `items`:
    /// when there are some, `items` is not the whole list.
    pub computed: usize,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug)]
pub struct Principal {
    pub key: TextRange,
    pub range: TextRange,
    /// `"Principal": "*"`: everyone, authenticated or not.
    pub everyone: Option<TextRange>,
    /// `{"AWS": …, "Service": …, "Federated": …, "CanonicalUser": …}` in order.
    pub groups: Vec<PrincipalGroup>,
}

/// One kind of principal and its values: `"AWS": ["arn:aws:iam::123456789012:root"]`.
#[derive(Clone, Debug)]
pub struct PrincipalGroup {
    pub kind: Spanned<String>,
    pub values: Values,
}

/// `Condition`: operators, each with keys and their values.
#[derive(Clone, Debug)]
pub struct Condition {
    pub key: TextRange,
    pub range: TextRange,
    pub blocks: Vec<ConditionBlock>,
}

/// `"StringEquals": {"aws:SourceAccount": "123456789012"}`.
#[derive(Clone, Debug)]
pub struct ConditionBlock {
    /// The operator as written, with its `ForAllValues:`/`ForAnyValue:` prefix and `IfExists` suffix.
    pub operator: Spanned<String>,
    pub tests: Vec<ConditionTest>,
}

/// One condition key and the values it is compared with (booleans and numbers as written).
#[derive(Clone, Debug)]
pub struct ConditionTest {
    pub key: Spanned<String>,
    pub values: Values,
}

impl Policy {
    /// Whether any statement names a principal (resource and trust policies do).
    pub fn names_principals(&self) -> bool {
        self.statements.iter().any(|s| s.principal.is_some() || s.not_principal.is_some())
    }
}

impl Statement {
    pub fn allows(&self) -> bool {
        self.effect.as_ref().is_some_and(|e| e.value == Effect::Allow)
    }

    pub fn denies(&self) -> bool {
        self.effect.as_ref().is_some_and(|e| e.value == Effect::Deny)
    }

    /// The `Action` strings (empty with `NotAction`).
    pub fn actions(&self) -> &[Spanned<String>] {
        self.action.as_ref().map_or(&[], |v| &v.items)
    }

    /// The `Resource` strings (empty with `NotResource`).
    pub fn resources(&self) -> &[Spanned<String>] {
        self.resource.as_ref().map_or(&[], |v| &v.items)
    }

    /// The `Resource: "*"` item (or `arn:*` spelled out as everything), if any.
    pub fn resource_star(&self) -> Option<&Spanned<String>> {
        self.resources().iter().find(|r| r.value == "*")
    }

    /// Whether the statement has a `Condition` with at least one test: conditions usually narrow a grant.
    pub fn is_conditional(&self) -> bool {
        self.condition.as_ref().is_some_and(|c| c.blocks.iter().any(|b| !b.tests.is_empty()))
    }

    /// The condition tests of `key` (case-insensitive, as IAM compares keys), with their operators.
    pub fn tests_of<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a ConditionBlock, &'a ConditionTest)> {
        self.condition.iter().flat_map(|c| &c.blocks).flat_map(move |block| {
            block.tests.iter().filter(move |t| t.key.value.eq_ignore_ascii_case(key)).map(move |t| (block, t))
        })
    }

    /// Every principal value with the group it is in, for `Principal` (not `NotPrincipal`).
    pub fn principals(&self) -> impl Iterator<Item = (&str, &Spanned<String>)> {
        self.principal
            .iter()
            .flat_map(|p| &p.groups)
            .flat_map(|g| g.values.items.iter().map(move |v| (g.kind.value.as_str(), v)))
    }
}

impl Principal {
    /// Whether the principal is everyone: `"*"` or `{"AWS": "*"}` (the same thing to IAM).
    pub fn everyone_at(&self) -> Option<TextRange> {
        self.everyone.or_else(|| {
            self.groups
                .iter()
                .filter(|g| g.kind.value == "AWS")
                .flat_map(|g| &g.values.items)
                .find(|v| v.value == "*")
                .map(|v| v.range)
        })
    }
}
