//! AWS IAM policies: [`policies`] finds the policy documents of a JSON or YAML tree (plain documents, the
//! AWS CLI's envelopes, CloudFormation-style `PolicyDocument` wrappers) and normalises their statements,
//! every element keeping its range; [`catalogue`] is the AWS action catalogue the rules check them against.

pub mod catalogue;
