use plimsoll_iam::Statement;
use plimsoll_iam::catalogue::{catalogue, is_federated_provider_key};
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use plimsoll_iam::catalogue::closest;

declare_rule! {
    /// ## What it does
    /// Flags condition keys that no request carries: keys that are neither global (`aws:…`) keys, nor
    /// keys of an AWS service, nor claims of a web identity provider (`aws:SourceIpAddress`,
    /// `s3:Prefix/x`), and service keys that none of the statement's actions supports (`s3:prefix` on
    /// `s3:GetObject`, `ec2:InstanceType` on `s3:PutObject`). Keys are compared case-insensitively, as
    /// IAM compares them, against the AWS action catalogue compiled into plimsoll; a key newer than the
    /// catalogue can be suppressed. Statements with `NotAction` or a `*` action are not checked for the
    /// second case.
    ///
    /// ## Why is this bad?
    /// A key absent from the request makes the test false (true for the negated operators such as
    /// `StringNotEquals`), whatever the values: an `Allow` limited by it never grants, and a `Deny`
    /// guarded by it never applies — a guardrail that reads as "deny unless from our network" protects
    /// nothing if the key is misspelt.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///     "Condition": {"NotIpAddress": {"aws:SourceIpAddress": "203.0.113.0/24"}}
    ///   }]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [{
    ///     "Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///     "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    ///   }]
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM008",
    name: "condition-key-unknown",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "UNKNOWN_CONDITION_FOR_ACTION",
        "INVALID_GLOBAL_CONDITION_KEY",
        "INVALID_SERVICE_CONDITION_KEY",
        "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        "IRRELEVANT_CONDITION_KEY_IN_POLICY",
    ],
    checks: [Check::Iam(check)],
}

/// Service keys the global condition key reference lists as usable with any action: AWS sets them on
/// requests made with the credentials of an instance, a Glue job or a Lambda function, whatever the action.
const CROSS_SERVICE_KEYS: &[&str] = &[
    "ec2:RoleDelivery",
    "ec2:SourceInstanceARN",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "lambda:SourceFunctionArn",
    "ssm:SourceInstanceARN",
    "identitystore:UserId",
];

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for statement in ctx.file.policies.iter().flat_map(|p| &p.statements) {
        let tests = statement.condition.iter().flat_map(|c| &c.blocks).flat_map(|b| &b.tests);
        for test in tests {
            let key = &test.key;
            // Templates (`${…}` of `Fn::Sub`, `{{…}}` of other tools) are filled in before IAM sees them.
            if key.value.contains("${") || key.value.contains("{{") {
                continue;
            }
            match catalogue().condition_key(&key.value) {
                None => unknown(key, r),
                Some(known) if known.name.starts_with("aws:") || is_federated_provider_key(&key.value) => {}
                Some(_) => unsupported(statement, key, r),
            }
        }
    }
}

/// A key the catalogue does not know.
fn unknown(key: &Spanned<String>, r: &mut Reporter) {
    let name = key.value.as_str();
    let catalogue = catalogue();
    let Some((prefix, _)) = name.split_once(':') else {
        r.report(key.range, format!("`{name}` is not a condition key: keys are written `service:name`"))
            .help("Use a global key (`aws:SourceIp`) or a key of the action's service (`s3:prefix`)");
        return;
    };
    let (message, near) = if prefix.eq_ignore_ascii_case("aws") {
        (format!("`{name}` is not a global condition key"), one_edit_away(name))
    } else if let Some(service) = catalogue.service(prefix) {
        let keys = service.condition_keys().iter().map(|k| k.name);
        (
            format!("`{name}` is not a condition key of `{}`", service.prefix()),
            closest(name, keys).map(str::to_string),
        )
    } else if prefix.contains('.') {
        (format!("`{name}` is not a claim AWS evaluates for web identity providers"), None)
    } else {
        (format!("`{name}` names no service of the catalogue"), one_edit_away(name))
    };
    let emit = r.report(key.range, message);
    match near {
        Some(near) => emit.help(format!("Did you mean `{near}`?")),
        None => emit.help(
            "Use a key of the global condition key reference or of the Service Authorization Reference; a key newer than the catalogue can be suppressed",
        ),
    };
}

/// The known key one typo away from `name` (a character dropped, added, changed or two swapped), for
/// `aws:` keys, which the catalogue cannot list. Asked only about unknown keys, so the allocations are
/// off the hot path.
fn one_edit_away(name: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = name.as_bytes();
    let known = |candidate: Vec<u8>| {
        let candidate = String::from_utf8(candidate).ok()?;
        let key = catalogue().condition_key(&candidate)?;
        // A templated key's instance is spelt as written; a plain key as the catalogue spells it.
        Some(if key.is_templated() { candidate } else { key.name.to_string() })
    };
    let edit = |at: usize, remove: usize, insert: &[u8]| {
        let mut candidate = Vec::with_capacity(bytes.len() + 1);
        candidate.extend_from_slice(&bytes[..at]);
        candidate.extend_from_slice(insert);
        candidate.extend_from_slice(&bytes[at + remove..]);
        candidate
    };
    (0..bytes.len())
        .find_map(|at| known(edit(at, 1, b"")))
        .or_else(|| {
            (0..bytes.len().saturating_sub(1)).find_map(|at| known(edit(at, 2, &[bytes[at + 1], bytes[at]])))
        })
        .or_else(|| (0..bytes.len()).find_map(|at| ALPHABET.iter().find_map(|&c| known(edit(at, 1, &[c])))))
        .or_else(|| (0..=bytes.len()).find_map(|at| ALPHABET.iter().find_map(|&c| known(edit(at, 0, &[c])))))
}

/// A service key that none of the statement's actions supports.
fn unsupported(statement: &Statement, key: &Spanned<String>, r: &mut Reporter) {
    let name = key.value.as_str();
    if CROSS_SERVICE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(name)) || statement.not_action.is_some() {
        return;
    }
    let actions = statement.actions();
    // `*` and `*:…` name every service; a template or an unknown action is IAM004's.
    let every_service =
        actions.iter().any(|a| a.value.split(':').next().is_some_and(|s| s.contains(['*', '?'])));
    if actions.is_empty() || every_service {
        return;
    }
    let catalogue = catalogue();
    let mut named = actions.iter().flat_map(|a| catalogue.expand(&a.value)).peekable();
    if named.peek().is_none() {
        return;
    }
    let mut supported = false;
    let mut same_service = false;
    let prefix = name.split_once(':').map_or(name, |(prefix, _)| prefix);
    for action in named {
        if action.supports_condition_key(name) {
            supported = true;
            break;
        }
        same_service |= action.service_prefix().eq_ignore_ascii_case(prefix);
    }
    // The catalogue lists some keys for their service without naming an action that carries them
    // (`aws-marketplace:AgreementType`): its data is missing there, not the key from requests.
    let service = catalogue.service(prefix);
    let documented = || service.is_some_and(|s| s.actions().iter().any(|a| a.supports_condition_key(name)));
    if supported || !documented() {
        return;
    }
    let message = if same_service {
        format!("No action of the statement supports `{name}`, so requests for them never carry it")
    } else {
        format!(
            "`{name}` is a `{prefix}` key, and the statement has no `{prefix}` action that could carry it"
        )
    };
    let emit = r.report(key.range, message);
    let emit = match &statement.action {
        Some(action) => emit.label(action.key, "the statement's actions"),
        None => emit,
    };
    emit.help("Use a key the actions support (see their entries in the Service Authorization Reference), or move the condition to the statement whose actions carry it");
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn unknown_keys_with_suggestions() {
        let text = policy(
            r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
      "Condition": {"NotIpAddress": {"aws:SourceIpp": "10.0.0.0/8", "aws:SourceIpAddress": "10.0.0.0/8"},
                    "StringEquals": {"s3:prefixx": "a/", "SourceAccount": "1", "s4:prefix": "b/",
                                     "token.actions.githubusercontent.com:repository": "o/r"}}}"#,
        );
        assert_eq!(
            iam_spans(&RULE, &text),
            [
                "aws:SourceIpp",
                "aws:SourceIpAddress",
                "s3:prefixx",
                "SourceAccount",
                "s4:prefix",
                "token.actions.githubusercontent.com:repository"
            ]
        );
        let found = lint_iam(&RULE, &text);
        assert_eq!(found[0].help.as_deref(), Some("Did you mean `aws:SourceIp`?"));
        assert_eq!(found[2].help.as_deref(), Some("Did you mean `s3:prefix`?"));
        assert_eq!(found[4].help.as_deref(), Some("Did you mean `s3:prefix`?"));
        assert_eq!(found[0].message, "`aws:SourceIpp` is not a global condition key");
    }

    #[test]
    fn keys_the_actions_do_not_support() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*",
      "Condition": {"StringLike": {"s3:prefix": "home/*"}, "StringEquals": {"ec2:InstanceType": "t3.micro"}}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3:prefix", "ec2:InstanceType"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[0].message.starts_with("No action of the statement supports"), "{}", found[0].message);
        assert!(found[1].message.contains("no `ec2` action"), "{}", found[1].message);
        assert_eq!(found[0].labels[0].range.slice(&text), "Action");
    }

    #[test]
    fn supported_global_and_federated_keys_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*",
      "Condition": {"StringLike": {"S3:Prefix": "home/*", "aws:RequestTag/team": "a", "AWS:sourceip": "x",
                                   "ec2:SourceInstanceARN": "arn:*", "s3:ExistingObjectTag/env": "prod"}}},
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
      "Condition": {"StringEquals": {"secretsmanager:ResourceTag/team": "a", "aws-marketplace:AgreementType": "x"}}},
    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
    {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
    {"Effect": "Allow", "Action": "nosuch:Thing", "Resource": "*", "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
    {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*", "${Key}": "x"}}}"#,
            ),
        );
    }
}
