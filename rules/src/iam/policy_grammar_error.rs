use plimsoll_linter::{Check, IamCtx, Reporter, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags what makes IAM reject a policy, or read it otherwise than its author meant: a statement
    /// without `Effect` or without `Action`/`NotAction`, an `Effect` other than `Allow` or `Deny`, an
    /// element IAM does not know (element names are case-sensitive: `effect` is not `Effect`), `Action`
    /// together with `NotAction` (likewise `Resource`/`NotResource`, `Principal`/`NotPrincipal`), values of
    /// the wrong type, empty lists, an unknown kind of principal, and a `Condition` that is not an object
    /// of operators and keys.
    ///
    /// ## Why is this bad?
    /// IAM refuses such a policy when it is created, so a deployment fails late; worse, tools that read it
    /// more leniently than IAM (or a reviewer) see grants or restrictions that are not there. A Deny that
    /// is never created protects nothing.
    ///
    /// ## Example
    /// ```iam,bad
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {
    ///   "Version": "2012-10-17",
    ///   "Statement": [
    ///     {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    ///   ]
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy element reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    /// - [Grammar of the IAM JSON policy language](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    code: "IAM001",
    name: "policy-grammar-error",
    family: Iam,
    severity: Error,
    formats: [Iam],
    aliases: [
        "MALFORMED",
        "INVALID_EFFECT",
        "INVALID_POLICY_ELEMENT",
        "MISSING_ACTION",
        "MISSING_EFFECT",
        "UNSUPPORTED_ELEMENT_COMBINATION",
        "INVALID_PRINCIPAL_KEY",
        "EMPTY_ARRAY_ACTION",
        "EMPTY_ARRAY_RESOURCE",
        "EMPTY_ARRAY_PRINCIPAL",
        "EMPTY_OBJECT_PRINCIPAL",
    ],
    checks: [Check::Iam(check)],
}

fn check(ctx: &IamCtx, r: &mut Reporter) {
    for problem in &ctx.file.problems {
        r.report(problem.range, problem.message.clone()).help(problem.help.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_iam_clean, iam_spans, lint_iam, policy};

    #[test]
    fn reports_each_problem_at_its_element() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", 7], "NotAction": "s3:*", "Resource": "*"},
    {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*", "Condition": []},
    {"Sid": "NoAction", "Effect": "Deny", "Resource": "*", "Principal": {"Humans": "*"}}"#,
        );
        assert_eq!(iam_spans(&RULE, &text), ["7", "NotAction", "allow", "[]", "NoAction", "Humans"]);
        let messages: Vec<String> = lint_iam(&RULE, &text).into_iter().map(|d| d.message).collect();
        assert!(messages[1].contains("not both"), "{messages:?}");
        assert!(messages[4].contains("neither `Action` nor `NotAction`"), "{messages:?}");
    }

    #[test]
    fn unknown_elements_with_the_right_spelling() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"action\": \"s3:*\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}";
        let found = lint_iam(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "action");
        assert_eq!(found[0].help.as_deref(), Some("write `Action`"));
    }

    #[test]
    fn well_formed_policies_pass() {
        assert_iam_clean(
            &RULE,
            &policy(
                r#"{"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"],
      "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}, "Bool": {"aws:SecureTransport": false}}},
    {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ec2.amazonaws.com"},
      "NotAction": "s3:DeleteBucket", "NotResource": "arn:aws:s3:::b"}"#,
            ),
        );
        assert_iam_clean(
            &RULE,
            "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: [s3:GetObject]\n    Resource: '*'\n",
        );
    }
}
