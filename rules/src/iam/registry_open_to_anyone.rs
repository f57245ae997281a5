use plimsoll_iam::Policy;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

use crate::support::iam::{allow_statements, grant_of};
use crate::support::iam_conditions::limits_callers;

declare_rule! {
    /// ## What it does
    /// Flags Amazon ECR repository policies (policies whose statements name `ecr:` or `ecr-public:`
    /// actions) that let everyone (`"Principal": "*"` or `{"AWS": "*"}`) push images
    /// (`ecr:PutImage`, `ecr:InitiateLayerUpload`, `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`),
    /// delete them or the repository, rewrite the repository policy, or pull images
    /// (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`), with no condition that limits who, such as
    /// `aws:PrincipalOrgID` or `aws:PrincipalAccount`. Wildcards count: `ecr:*`, `ecr:*Image`, `*`.
    /// Public repositories (`ecr-public:`) are public to pull by design, so only writes are reported
    /// for them.
    ///
    /// ## Why is this bad?
    /// `*` in a repository policy is every AWS account. If it may push, anyone can replace the images
    /// your clusters and functions run, which hands them code execution in your workloads: the supply
    /// chain attack in its simplest form. If it may pull, anyone can download the images, with the code,
    /// configuration and secrets baked into them.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Sid": "CiPush", "Effect": "Allow", "Principal": "*",
    ///      "Action": ["ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:InitiateLayerUpload",
    ///                 "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Sid": "CiPush", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
    ///      "Action": ["ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:InitiateLayerUpload",
    ///                 "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Private repository policies in Amazon ECR](https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html)
    /// - [Private repository policy examples](https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html)
    code: "IAM030",
    name: "registry-open-to-anyone",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: ["CKV_AWS_32", "AWS-0032"],
    checks: [Check::Iam(check)],
}

/// What each write action lets everyone do, most harmful first.
const WRITES: [(&str, &str); 12] = [
    ("ecr:PutImage", "push images to this repository"),
    ("ecr:InitiateLayerUpload", "push images to this repository"),
    ("ecr:UploadLayerPart", "push images to this repository"),
    ("ecr:CompleteLayerUpload", "push images to this repository"),
    ("ecr:SetRepositoryPolicy", "rewrite this repository's policy"),
    ("ecr:BatchDeleteImage", "delete images from this repository"),
    ("ecr:DeleteRepository", "delete this repository"),
    ("ecr-public:PutImage", "push images to this public repository"),
    ("ecr-public:InitiateLayerUpload", "push images to this public repository"),
    ("ecr-public:UploadLayerPart", "push images to this public repository"),
    ("ecr-public:CompleteLayerUpload", "push images to this public repository"),
    ("ecr-public:SetRepositoryPolicy", "rewrite this public repository's policy"),
];

const PULLS: [&str; 2] = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (policy, statement) in allow_statements(ctx) {
        if !is_repository_policy(policy)
            || statement.principal.as_ref().and_then(|p| p.everyone_at()).is_none()
        {
            continue;
        }
        if limits_callers(statement) {
            continue;
        }
        let write = WRITES
            .iter()
            .find_map(|(action, what)| grant_of(statement, action).map(|at| (at, *action, *what)));
        if let Some((at, action, what)) = write {
            r.report(at, format!("Any AWS account can {what}: the statement allows `{action}` to `*`"))
                .help("name the accounts or roles that may write in `Principal`, or limit `*` with an `aws:PrincipalOrgID` condition");
            continue;
        }
        if let Some((at, action)) =
            PULLS.iter().find_map(|action| grant_of(statement, action).map(|at| (at, *action)))
        {
            r.report(at, format!("Any AWS account can pull images from this repository: the statement allows `{action}` to `*`"))
                .help("name the accounts that may pull in `Principal`, or limit `*` with an `aws:PrincipalOrgID` condition; publish public images in an ECR Public repository");
        }
    }
}

/// A policy that names ECR actions: a private or public repository's policy, or a registry policy.
fn is_repository_policy(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.actions().iter().chain(s.not_action.iter().flat_map(|n| &n.items)).any(|a| {
            let service = a.value.split(':').next().unwrap_or("");
            service.eq_ignore_ascii_case("ecr") || service.eq_ignore_ascii_case("ecr-public")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn everyone_may_push_or_pull() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"},
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["ecr:*", "ecr:BatchGetImage"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.starts_with("Any AWS account can push images"), "{}", found[0].message);
        assert!(found[1].message.contains("pull images"), "{}", found[1].message);
    }

    #[test]
    fn star_action_in_a_repository_policy_and_public_push() {
        let text = policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "ecr:BatchGetImage"},
    {"Effect": "Allow", "Principal": "*", "Action": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["*"]);
        let public = policy(
            r#"{"Effect": "Allow", "Principal": "*", "Action": ["ecr-public:BatchGetImage", "ecr-public:PutImage"]}"#,
        );
        assert_eq!(iam_spans(&RULE, &public), ["ecr-public:PutImage"]);
    }

    #[test]
    fn limited_named_and_other_policies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "ecr:PutImage"},
    {"Effect": "Allow", "Principal": "*", "Action": "ecr-public:BatchGetImage"}"#,
            ),
        );
        // A bucket policy open to everyone is IAM024's, not a registry.
        assert_iam_clean(
            &RULE,
            &policy(r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#),
        );
    }
}
