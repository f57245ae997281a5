use plimsoll_iam::Statement;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::iam::{allow_statements, grant_of};
use crate::support::iam_conditions::{operator, restricting_test};

declare_rule! {
    /// ## What it does
    /// Flags role trust statements that let a web identity (OIDC) provider's tokens assume the role
    /// (`sts:AssumeRoleWithWebIdentity`) without a condition on the token's claims that says whose
    /// tokens:
    ///
    /// - GitHub Actions (`token.actions.githubusercontent.com`), GitLab.com and HCP Terraform
    ///   (`app.terraform.io`) issue tokens to every project they host: the role needs a
    ///   `<provider>:sub` condition, and for GitHub the repository in it must not be a wildcard
    ///   (`repo:my-org/*`, `repo:*`);
    /// - an EKS cluster's provider (`oidc.eks.<region>.amazonaws.com/id/…`) issues tokens to every
    ///   service account of the cluster: the role needs `<provider>:sub`, naming the namespace
    ///   (`system:serviceaccount:<namespace>:<name>`);
    /// - Amazon Cognito (`cognito-identity.amazonaws.com`) serves every identity pool of every account:
    ///   the role needs `cognito-identity.amazonaws.com:aud`, the identity pool's ID;
    /// - any other provider needs at least one condition on one of its claims (`<provider>:aud`,
    ///   `<provider>:sub`, `<provider>:app_id`).
    ///
    /// A condition counts when it must match (not `…IfExists`, not negated) and its values are not `*`.
    ///
    /// ## Why is this bad?
    /// Without these conditions anyone who can get a token from the provider can assume the role. For
    /// GitHub that is anyone with a repository on GitHub: a workflow in an attacker's repository asks
    /// GitHub for a token and exchanges it for the role's credentials. For an EKS cluster it is every pod
    /// that runs with any service account, and for Cognito every app user of every identity pool.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
    ///      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
    ///      "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
    ///      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
    ///      "Condition": {"StringEquals": {
    ///        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
    ///        "token.actions.githubusercontent.com:sub": "repo:my-org/my-app:environment:production"}}}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Create a role for OpenID Connect federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    /// - [Configuring OpenID Connect in Amazon Web Services (GitHub)](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    /// - [Assign IAM roles to Kubernetes service accounts (EKS)](https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)
    /// - [Amazon Cognito: role trust and permissions](https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html)
    code: "IAM026",
    name: "oidc-trust-without-conditions",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: [
        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
        "MISSING_GITHUB_REPO_CONDITION_KEY",
        "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
    ],
    checks: [Check::Iam(check)],
}

const GITHUB: &str = "token.actions.githubusercontent.com";
const COGNITO: &str = "cognito-identity.amazonaws.com";

/// How a provider's tokens are told apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Provider {
    /// One issuer for every repository of GitHub.
    GitHub,
    /// One issuer for every service account of a cluster.
    Eks,
    /// One issuer for every project of a hosted CI service (GitLab.com, HCP Terraform).
    Hosted,
    /// One issuer for every identity pool.
    Cognito,
    Other,
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for (_, statement) in allow_statements(ctx) {
        if grant_of(statement, "sts:AssumeRoleWithWebIdentity").is_none() {
            continue;
        }
        for (kind, value) in statement.principals() {
            if kind != "Federated" {
                continue;
            }
            if let Some(host) = provider_host(&value.value) {
                check_provider(r, statement, value, host);
            }
        }
    }
}

/// The provider's host and path as condition keys spell it: `token.actions.githubusercontent.com` from
/// `arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com`, or a built-in provider
/// (`accounts.google.com`). SAML providers are not web identities.
fn provider_host(federated: &str) -> Option<&str> {
    if let Some((_, host)) = federated.split_once(":oidc-provider/") {
        return Some(host);
    }
    (!federated.contains(':') && federated.contains('.')).then_some(federated)
}

fn kind_of(host: &str) -> Provider {
    match host {
        GITHUB => Provider::GitHub,
        COGNITO => Provider::Cognito,
        "gitlab.com" | "app.terraform.io" => Provider::Hosted,
        _ if host.starts_with("oidc.eks.") => Provider::Eks,
        _ => Provider::Other,
    }
}

fn check_provider(r: &mut Reporter, statement: &Statement, federated: &Spanned<String>, host: &str) {
    let provider = kind_of(host);
    let required = match provider {
        Provider::GitHub | Provider::Eks | Provider::Hosted => Some("sub"),
        Provider::Cognito => Some("aud"),
        Provider::Other => None,
    };
    let is_claim = |key: &str| {
        let Some((prefix, claim)) = key.rsplit_once(':') else { return false };
        prefix.eq_ignore_ascii_case(host) && required.is_none_or(|wanted| claim.eq_ignore_ascii_case(wanted))
    };
    if restricting_test(statement, is_claim).is_none() {
        let (message, help) = missing(provider, host);
        r.report(federated.range, message).help(help);
        return;
    }
    if !matches!(provider, Provider::GitHub | Provider::Eks) {
        return;
    }
    let tests =
        statement.condition.iter().flat_map(|c| &c.blocks).flat_map(|b| b.tests.iter().map(move |t| (b, t)));
    for (block, test) in tests.filter(|(_, t)| is_claim(&t.key.value)) {
        let op = operator(&block.operator.value);
        if !op.is_like() || !op.requires_match() {
            continue;
        }
        for value in &test.values.items {
            let broad = match provider {
                Provider::GitHub => github_too_broad(&value.value),
                _ => eks_too_broad(&value.value),
            };
            if let Some((message, help)) = broad {
                r.report(value.range, message).help(help);
            }
        }
    }
}

fn missing(provider: Provider, host: &str) -> (String, String) {
    match provider {
        Provider::GitHub => (
            format!(
                "Any GitHub Actions workflow, in any repository, can assume this role: no condition pins `{GITHUB}:sub`"
            ),
            format!(
                "add `\"StringEquals\": {{\"{GITHUB}:sub\": \"repo:ORG/REPO:ref:refs/heads/main\"}}` (or `…:environment:NAME`)"
            ),
        ),
        Provider::Eks => (
            format!(
                "Every service account of the cluster can assume this role: no condition pins `{host}:sub`"
            ),
            format!("add `\"StringEquals\": {{\"{host}:sub\": \"system:serviceaccount:NAMESPACE:NAME\"}}`"),
        ),
        Provider::Hosted => (
            format!("Any project hosted on `{host}` can assume this role: no condition pins `{host}:sub`"),
            format!("add a `StringEquals` condition on `{host}:sub` that names your project and branch"),
        ),
        Provider::Cognito => (
            format!(
                "Identities of any Cognito identity pool, in any account, can assume this role: no condition pins `{COGNITO}:aud`"
            ),
            format!(
                "add `\"StringEquals\": {{\"{COGNITO}:aud\": \"REGION:IDENTITY-POOL-ID\"}}` and a `{COGNITO}:amr` condition"
            ),
        ),
        Provider::Other => (
            format!("Anyone with a token from `{host}` can assume this role: no condition tests its claims"),
            format!(
                "add a `StringEquals` condition on `{host}:sub` or `{host}:aud` that names who may assume the role"
            ),
        ),
    }
}

/// A GitHub `sub` pattern whose repository is a wildcard: `*`, `repo:*`, `repo:my-org/*`.
fn github_too_broad(sub: &str) -> Option<(String, String)> {
    let wild = |s: &str| s.contains(['*', '?']);
    let repository = match sub.strip_prefix("repo:") {
        Some(rest) => rest.split(':').next().unwrap_or(rest),
        None if sub.bytes().all(|c| c == b'*') => "*",
        // Customised subject formats (`repository_owner_id:…`) are not read.
        None => return None,
    };
    if !wild(repository) {
        return None;
    }
    let who = match repository.split_once('/') {
        Some((owner, _)) if !wild(owner) => format!("every repository of `{owner}`"),
        _ => "any repository on GitHub".to_string(),
    };
    Some((
        format!("`{sub}` lets {who} assume this role"),
        "name the repository, and the branch or environment: `repo:ORG/REPO:ref:refs/heads/main` or `repo:ORG/REPO:environment:NAME`".into(),
    ))
}

/// An EKS `sub` pattern whose namespace is a wildcard: `system:serviceaccount:*`, `system:*`.
fn eks_too_broad(sub: &str) -> Option<(String, String)> {
    let namespace = match sub.strip_prefix("system:serviceaccount:") {
        Some(rest) => rest.split(':').next().unwrap_or(rest),
        None => sub,
    };
    namespace.contains(['*', '?']).then(|| {
        (
            format!("`{sub}` lets service accounts of any namespace assume this role"),
            "name the namespace and the service account: `system:serviceaccount:NAMESPACE:NAME`".into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    fn trust(federated: &str, condition: &str) -> String {
        let condition =
            if condition.is_empty() { String::new() } else { format!(r#", "Condition": {condition}"#) };
        policy(&format!(
            r#"{{"Effect": "Allow", "Principal": {{"Federated": "{federated}"}}, "Action": "sts:AssumeRoleWithWebIdentity"{condition}}}"#
        ))
    }

    const GH: &str = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

    #[test]
    fn github_without_sub() {
        let text = trust(
            GH,
            r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), [GH]);
        assert!(lint_iam(&RULE, &text)[0].message.starts_with("Any GitHub Actions workflow"));
        assert_eq!(iam_spans(&RULE, &trust(GH, "")), [GH]);
        let star = trust(GH, r#"{"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}"#);
        assert_eq!(iam_spans(&RULE, &star), [GH]);
        let if_exists = trust(
            GH,
            r#"{"StringEqualsIfExists": {"token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &if_exists), [GH]);
    }

    #[test]
    fn github_repository_wildcards() {
        let text = trust(
            GH,
            r#"{"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:my-org/app:*", "repo:my-org/*", "repo:*"]}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["repo:my-org/*", "repo:*"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.contains("every repository of `my-org`"), "{}", found[0].message);
        assert!(found[1].message.contains("any repository on GitHub"), "{}", found[1].message);
    }

    #[test]
    fn eks_cognito_and_other_providers() {
        let eks = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
        let text = trust(
            eks,
            r#"{"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), [eks]);
        let wide = trust(
            eks,
            r#"{"StringLike": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:*:app"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &wide), ["system:serviceaccount:*:app"]);
        let cognito = trust(
            "cognito-identity.amazonaws.com",
            r#"{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &cognito), ["cognito-identity.amazonaws.com"]);
        assert_eq!(iam_spans(&RULE, &trust("accounts.google.com", "")), ["accounts.google.com"]);
    }

    #[test]
    fn pinned_subjects_and_other_principals_pass() {
        assert_iam_clean(
            &RULE,
            &trust(
                GH,
                r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:my-org/app:environment:prod"}}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &trust(GH, r#"{"StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/app:*"}}"#),
        );
        let eks = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
        assert_iam_clean(
            &RULE,
            &trust(
                eks,
                r#"{"StringLike": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:payments:*"}}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &trust(
                "cognito-identity.amazonaws.com",
                r#"{"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:1a2b"}}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            &trust(
                "accounts.google.com",
                r#"{"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}}"#,
            ),
        );
        // SAML federation and other actions are not web identities.
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"}, "Action": "sts:AssumeRoleWithSAML"}"#,
            ),
        );
    }
}
