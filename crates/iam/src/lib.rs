//! AWS IAM policies: [`read`] finds the policy documents of a JSON or YAML tree (plain documents, the AWS
//! CLI's envelopes, `PolicyDocument` wrappers, `aws iam get-role` output) and normalises their statements,
//! every element keeping its range; [`catalogue`] is the AWS action catalogue the rules check them against.

pub mod catalogue;
mod policy;
mod read;

pub use policy::{
    Condition, ConditionBlock, ConditionTest, Effect, Policy, PolicyKind, Principal, PrincipalGroup,
    Statement, Values,
};

use plimsoll_span::TextRange;
use plimsoll_yaml::Tree;

/// What a file holds: its policies, and where they break the policy grammar.
#[derive(Clone, Debug, Default)]
pub struct IamFile {
    pub policies: Vec<Policy>,
    pub problems: Vec<GrammarProblem>,
}

/// Something IAM would reject in a policy's shape: a missing or unknown element, a value of the wrong type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrammarProblem {
    pub range: TextRange,
    pub message: String,
    /// What to write instead.
    pub help: String,
}

/// Finds and reads every policy in `tree`.
pub fn read(tree: &Tree) -> IamFile {
    read::read(tree)
}
