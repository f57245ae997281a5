//! Reading policies out of a tree: where they are, and their statements normalised, with what breaks the
//! policy grammar noted on the way.

use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, ScalarKind, Style, Tree, Value};

use crate::policy::{
    Condition, ConditionBlock, ConditionTest, Effect, Policy, PolicyKind, Principal, PrincipalGroup,
    Statement, Values,
};
use crate::{GrammarProblem, IamFile};

const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KINDS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// How many statements of one file are read. IAM's quotas keep a policy to a few hundred statements, and an
/// account's `get-account-authorization-details` output to about a thousand; the rules expand every
/// statement's actions against a catalogue of 20,000, so a hostile file of endless statements must stop.
pub(crate) const MAX_STATEMENTS: usize = 1_000;

/// Every policy in the tree, outermost first; the walk does not enter a policy it found.
pub(crate) fn read(tree: &Tree) -> IamFile {
    let mut file = IamFile::default();
    // (node, the key it is the value of): a trust policy is known by its key in `aws iam get-role` output.
    let mut stack: Vec<(NodeId, Option<&str>)> =
        tree.documents.iter().rev().filter_map(|d| d.root).map(|root| (root, None)).collect();
    let mut visited = vec![false; tree.nodes.len()];
    let mut statements = 0;
    while let Some((node, key)) = stack.pop() {
        // Aliases make the YAML tree a DAG: each node is read once.
        if std::mem::replace(&mut visited[node as usize], true) {
            continue;
        }
        if is_policy(tree, node) {
            if statements >= MAX_STATEMENTS {
                file.problems
                    .push(too_many_statements(tree.node(node).range, "this policy and those after it"));
                break;
            }
            let reader = Reader { tree, problems: &mut file.problems };
            let policy =
                reader.policy(node, key == Some("AssumeRolePolicyDocument"), MAX_STATEMENTS - statements);
            statements += policy.statements.len();
            file.policies.push(policy);
            continue;
        }
        match &tree.node(node).value {
            Value::Map(entries) => {
                stack.extend(entries.iter().rev().map(|e| (e.value, tree.text(e.key))));
            }
            Value::Seq(items) => stack.extend(items.iter().rev().map(|&i| (i, None))),
            _ => {}
        }
    }
    file
}

fn too_many_statements(range: TextRange, unread: &str) -> GrammarProblem {
    GrammarProblem {
        range,
        message: format!("The file holds more than {MAX_STATEMENTS} policy statements; {unread} are not checked"),
        help: "split the file: no real policy comes near this size (IAM's largest quota is 32 KB, a KMS key policy)"
            .to_string(),
    }
}

/// A mapping with a `Statement` list or object, and a `Version` or a statement with an `Effect`: random
/// JSON is not read as a policy.
fn is_policy(tree: &Tree, node: NodeId) -> bool {
    let Some(statement) = tree.get(node, "Statement") else { return false };
    let statements: &[NodeId] = match &tree.node(statement).value {
        Value::Seq(items) => items,
        Value::Map(_) => std::slice::from_ref(&statement),
        _ => return false,
    };
    tree.get(node, "Version").is_some() || statements.iter().any(|&s| tree.get(s, "Effect").is_some())
}

struct Reader<'a> {
    tree: &'a Tree,
    problems: &'a mut Vec<GrammarProblem>,
}

impl Reader<'_> {
    fn problem(&mut self, range: TextRange, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(GrammarProblem { range, message: message.into(), help: help.into() });
    }

    /// Reads the policy at `node`, at most `budget` of its statements.
    fn policy(mut self, node: NodeId, trust_key: bool, budget: usize) -> Policy {
        let tree = self.tree;
        self.unknown_elements(node, POLICY_ELEMENTS, "policy");
        let statement_entry = tree.entry(node, "Statement").expect("is_policy checked it");
        let anchor = tree.value_range(statement_entry.key);
        let version = tree.get(node, "Version").and_then(|v| self.string(v, "Version"));
        let mut items: Vec<NodeId> = match &tree.node(statement_entry.value).value {
            Value::Seq(items) => items.clone(),
            _ => vec![statement_entry.value],
        };
        if let Some(&first_unread) = items.get(budget) {
            self.problems.push(too_many_statements(
                tree.node(first_unread).range,
                "this statement and those after it",
            ));
            items.truncate(budget);
        }
        if items.is_empty() {
            self.problem(
                tree.node(statement_entry.value).range,
                "The policy has no statements",
                "add at least one statement; an empty policy grants nothing",
            );
        }
        let statements = items.into_iter().filter_map(|item| self.statement(item)).collect::<Vec<_>>();
        let kind = kind_of(&statements, trust_key);
        Policy { node, range: tree.node(node).range, anchor, kind, version, statements }
    }

    fn statement(&mut self, node: NodeId) -> Option<Statement> {
        let tree = self.tree;
        let range = tree.node(node).range;
        if !matches!(tree.node(node).value, Value::Map(_)) {
            self.problem(
                range,
                "A statement must be an object",
                "write the statement as `{\"Effect\": …, …}`",
            );
            return None;
        }
        self.unknown_elements(node, STATEMENT_ELEMENTS, "statement");
        let sid = tree.get(node, "Sid").and_then(|v| self.string(v, "Sid"));
        let effect = tree.entry(node, "Effect").and_then(|e| {
            let text = self.string(e.value, "Effect")?;
            let effect = match text.value.as_str() {
                "Allow" => Effect::Allow,
                "Deny" => Effect::Deny,
                _ => Effect::Invalid,
            };
            Some(Spanned::new(effect, text.range))
        });
        let values =
            |reader: &mut Self, key: &str| tree.entry(node, key).map(|e| reader.values(e.key, e.value, key));
        let principal = |reader: &mut Self, key: &str| {
            tree.entry(node, key).map(|e| reader.principal(e.key, e.value, key))
        };
        let action = values(self, "Action");
        let not_action = values(self, "NotAction");
        let resource = values(self, "Resource");
        let not_resource = values(self, "NotResource");
        let statement = Statement {
            node,
            range,
            anchor: TextRange::default(),
            sid,
            principal: principal(self, "Principal"),
            not_principal: principal(self, "NotPrincipal"),
            condition: tree.entry(node, "Condition").map(|e| self.condition(e.key, e.value)),
            effect,
            action,
            not_action,
            resource,
            not_resource,
        };
        let anchor = statement
            .sid
            .as_ref()
            .map(|s| s.range)
            .or(statement.effect.as_ref().map(|e| e.range))
            .unwrap_or(TextRange::new(range.start, (range.start + 1).min(range.end)));
        let statement = Statement { anchor, ..statement };
        self.statement_grammar(&statement, node);
        Some(statement)
    }

    /// What IAM rejects in a statement's shape (values were checked as they were read).
    fn statement_grammar(&mut self, s: &Statement, node: NodeId) {
        // A misspelt element (`effect`) is reported as such, not also as missing.
        let misspelt = |key: &str| {
            self.tree
                .entries(node)
                .iter()
                .any(|e| self.tree.text(e.key).is_some_and(|k| k != key && k.eq_ignore_ascii_case(key)))
        };
        let (effect_misspelt, action_misspelt) =
            (misspelt("Effect"), misspelt("Action") || misspelt("NotAction"));
        match &s.effect {
            None if effect_misspelt => {}
            None => self.problem(
                s.anchor,
                "The statement has no `Effect`",
                "add `\"Effect\": \"Allow\"` or `\"Deny\"`",
            ),
            Some(e) if e.value == Effect::Invalid => self.problem(
                e.range,
                "`Effect` must be `Allow` or `Deny` (the value is case-sensitive)",
                "write `Allow` or `Deny` exactly",
            ),
            Some(_) => {}
        }
        match (&s.action, &s.not_action) {
            (None, None) if action_misspelt => {}
            (None, None) => self.problem(
                s.anchor,
                "The statement has neither `Action` nor `NotAction`",
                "list the actions it covers",
            ),
            (Some(_), Some(not)) => self.problem(
                not.key,
                "A statement may have `Action` or `NotAction`, not both",
                "keep one of the two elements",
            ),
            _ => {}
        }
        if let (Some(_), Some(not)) = (&s.resource, &s.not_resource) {
            self.problem(
                not.key,
                "A statement may have `Resource` or `NotResource`, not both",
                "keep one of them",
            );
        }
        if let (Some(_), Some(not)) = (&s.principal, &s.not_principal) {
            self.problem(
                not.key,
                "A statement may have `Principal` or `NotPrincipal`, not both",
                "keep one of them",
            );
        }
    }

    fn unknown_elements(&mut self, node: NodeId, known: &[&str], what: &str) {
        let tree = self.tree;
        for entry in tree.entries(node) {
            let Some(key) = tree.text(entry.key) else { continue };
            if known.contains(&key) {
                continue;
            }
            let range = tree.value_range(entry.key);
            match known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
                Some(right) => self.problem(
                    range,
                    format!("`{key}` is not a {what} element: element names are case-sensitive"),
                    format!("write `{right}`"),
                ),
                None => self.problem(
                    range,
                    format!("`{key}` is not a {what} element, so IAM rejects the policy"),
                    format!("use only {}", list(known)),
                ),
            }
        }
    }

    /// IAM accepts only tab, line breaks and U+0020–U+00FF in a policy: typographic quotes or dashes pasted
    /// from a document make it reject the policy.
    fn characters(&mut self, node: NodeId, text: &str) {
        let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
        if let Some(bad) = text.chars().find(|&c| !allowed(c)) {
            self.problem(
                self.tree.value_range(node),
                format!("`{bad}` (U+{:04X}) is not a character IAM accepts in a policy", bad as u32),
                "use plain ASCII: IAM accepts only tab, line breaks and the characters U+0020 to U+00FF",
            );
        }
    }

    /// A string element (`Sid`, `Effect`, `Version`); other types are a grammar problem.
    fn string(&mut self, node: NodeId, key: &str) -> Option<Spanned<String>> {
        let tree = self.tree;
        match tree.scalar(node) {
            Some(scalar) if is_string(scalar.style, scalar.kind()) => {
                self.characters(node, &scalar.text);
                Some(Spanned::new(scalar.text.clone(), tree.value_range(node)))
            }
            _ => {
                self.problem(tree.node(node).range, format!("`{key}` must be a string"), "quote the value");
                None
            }
        }
    }

    /// A string or a list of strings. Condition values may also be booleans and numbers, kept as written.
    fn values(&mut self, key: NodeId, node: NodeId, name: &str) -> Values {
        let tree = self.tree;
        let range = tree.node(node).range;
        let mut values = Values { key: tree.value_range(key), range, items: Vec::new(), computed: 0 };
        let lenient = name == "Condition";
        let items: &[NodeId] = match &tree.node(node).value {
            Value::Seq(items) => {
                if items.is_empty() {
                    self.problem(
                        range,
                        format!("`{name}` is an empty list"),
                        "list at least one value, or remove the element",
                    );
                }
                items
            }
            _ => std::slice::from_ref(&node),
        };
        for &item in items {
            let item = match computed(tree, item) {
                Some(Computed::Template(template)) => template,
                Some(Computed::Opaque) => {
                    values.computed += 1;
                    continue;
                }
                None => item,
            };
            match tree.scalar(item) {
                Some(scalar) if lenient || is_string(scalar.style, scalar.kind()) => {
                    self.characters(item, &scalar.text);
                    values.items.push(Spanned::new(scalar.text.clone(), tree.value_range(item)));
                }
                _ => self.problem(
                    tree.node(item).range,
                    format!("`{name}` takes a string or a list of strings"),
                    "write each value as a string",
                ),
            }
        }
        values
    }

    fn principal(&mut self, key: NodeId, node: NodeId, name: &str) -> Principal {
        let tree = self.tree;
        let range = tree.node(node).range;
        let mut principal =
            Principal { key: tree.value_range(key), range, everyone: None, groups: Vec::new() };
        match &tree.node(node).value {
            Value::Scalar(s) if s.text == "*" => principal.everyone = Some(tree.value_range(node)),
            Value::Map(entries) => {
                for entry in entries {
                    let Some(kind) = tree.text(entry.key) else { continue };
                    let kind_range = tree.value_range(entry.key);
                    if !PRINCIPAL_KINDS.contains(&kind) {
                        self.problem(
                            kind_range,
                            format!("`{kind}` is not a kind of principal"),
                            format!("use {}", list(PRINCIPAL_KINDS)),
                        );
                    }
                    let values = self.values(entry.key, entry.value, name);
                    principal
                        .groups
                        .push(PrincipalGroup { kind: Spanned::new(kind.to_string(), kind_range), values });
                }
                if entries.is_empty() {
                    self.problem(
                        range,
                        format!("`{name}` is empty"),
                        "name the principals, e.g. `{\"AWS\": \"arn:aws:iam::123456789012:root\"}`",
                    );
                }
            }
            _ => self.problem(
                range,
                format!("`{name}` must be `\"*\"` or an object of principals"),
                "write e.g. `{\"AWS\": \"arn:aws:iam::123456789012:root\"}`",
            ),
        }
        principal
    }

    fn condition(&mut self, key: NodeId, node: NodeId) -> Condition {
        let tree = self.tree;
        let range = tree.node(node).range;
        let mut condition = Condition { key: tree.value_range(key), range, blocks: Vec::new() };
        if !matches!(tree.node(node).value, Value::Map(_)) {
            self.problem(
                range,
                "`Condition` must be an object of operators",
                "write `{\"StringEquals\": {\"key\": \"value\"}}`",
            );
            return condition;
        }
        for entry in tree.entries(node) {
            let Some(operator) = tree.text(entry.key) else { continue };
            let operator = Spanned::new(operator.to_string(), tree.value_range(entry.key));
            if !matches!(tree.node(entry.value).value, Value::Map(_)) {
                self.problem(
                    tree.node(entry.value).range,
                    format!("`{}` must map condition keys to values", operator.value),
                    "write `{\"aws:SourceAccount\": \"123456789012\"}`",
                );
            }
            let tests = tree
                .entries(entry.value)
                .iter()
                .filter_map(|test| {
                    let key = tree.text(test.key)?;
                    let key = Spanned::new(key.to_string(), tree.value_range(test.key));
                    Some(ConditionTest { key, values: self.values(test.key, test.value, "Condition") })
                })
                .collect();
            condition.blocks.push(ConditionBlock { operator, tests });
        }
        condition
    }
}

/// A value CloudFormation computes when the stack is deployed: `{"Ref": …}`, `{"Fn::Sub": …}`, `!Sub …`.
enum Computed {
    /// `Fn::Sub` with a string: the template, `${AWS::AccountId}` placeholders and all, is checked as the value.
    Template(NodeId),
    /// Anything else (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::If`, …): unknown until deployment, not checked.
    Opaque,
}

fn computed(tree: &Tree, node: NodeId) -> Option<Computed> {
    if let Some(tag) = tree.tag(node).filter(|t| t.starts_with('!') && !t.starts_with("!!")) {
        let template = tag == "!Sub" && tree.scalar(node).is_some();
        return Some(if template { Computed::Template(node) } else { Computed::Opaque });
    }
    let [entry] = tree.entries(node) else { return None };
    let function = tree.text(entry.key)?;
    if function != "Ref" && !function.starts_with("Fn::") {
        return None;
    }
    let template = function == "Fn::Sub" && tree.scalar(entry.value).is_some();
    Some(if template { Computed::Template(entry.value) } else { Computed::Opaque })
}

/// A string as IAM reads one: JSON strings, and YAML scalars that are not numbers, booleans or null.
fn is_string(style: Style, kind: ScalarKind) -> bool {
    match style {
        Style::JsonLiteral => false,
        Style::Plain => kind == ScalarKind::String,
        _ => true,
    }
}

fn kind_of(statements: &[Statement], trust_key: bool) -> PolicyKind {
    if trust_key {
        return PolicyKind::Trust;
    }
    let with_principal: Vec<&Statement> =
        statements.iter().filter(|s| s.principal.is_some() || s.not_principal.is_some()).collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let assumes_role = |s: &&Statement| {
        !s.actions().is_empty()
            && s.actions().iter().all(|a| {
                let a = a.value.to_ascii_lowercase();
                a.starts_with("sts:assumerole")
                    || matches!(a.as_str(), "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext")
            })
            && s.actions().iter().any(|a| a.value.to_ascii_lowercase().starts_with("sts:assumerole"))
    };
    if with_principal.iter().all(assumes_role) { PolicyKind::Trust } else { PolicyKind::Resource }
}

fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_yaml::{parse_json, parse_yaml};

    use super::*;

    fn read_json(text: &str) -> IamFile {
        read(&parse_json(text))
    }

    fn at(text: &str, range: TextRange) -> &str {
        range.slice(text)
    }

    #[test]
    fn reads_a_plain_identity_policy_with_spans() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "arn:aws:s3:::b/*",
   "Condition": {"Bool": {"aws:SecureTransport": true}}}
]}"#;
        let file = read_json(text);
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        let policy = &file.policies[0];
        assert_eq!(policy.kind, PolicyKind::Identity);
        assert_eq!(policy.version.as_ref().unwrap().value, "2012-10-17");
        assert_eq!(at(text, policy.anchor), "Statement");
        let s = &policy.statements[0];
        assert!(s.allows() && !s.denies());
        assert_eq!(at(text, s.anchor), "Read");
        let actions: Vec<&str> = s.actions().iter().map(|a| at(text, a.range)).collect();
        assert_eq!(actions, ["s3:GetObject", "s3:List*"]);
        assert_eq!(at(text, s.resources()[0].range), "arn:aws:s3:::b/*");
        let (block, test) = s.tests_of("AWS:securetransport").next().unwrap();
        assert_eq!(block.operator.value, "Bool");
        assert_eq!(test.values.items[0].value, "true");
        assert!(s.is_conditional());
    }

    #[test]
    fn finds_policies_inside_envelopes() {
        let cli = r#"{"PolicyVersion": {"Document": {"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}, "VersionId": "v1"}}"#;
        let file = read_json(cli);
        assert_eq!(file.policies.len(), 1);
        assert_eq!(file.policies[0].statements.len(), 1, "a single statement object");
        let role = r#"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "ec2:Foo"}]}}}"#;
        assert_eq!(read_json(role).policies[0].kind, PolicyKind::Trust);
        let yaml = "PolicyName: p\nPolicyDocument:\n  Version: '2012-10-17'\n  Statement:\n    - Effect: Allow\n      Action: s3:*\n      Resource: '*'\n";
        let file = read(&parse_yaml(yaml));
        assert_eq!(file.policies[0].statements[0].actions()[0].value, "s3:*");
    }

    #[test]
    fn cloudformation_functions_are_values_computed_at_deployment() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt",
  "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
  "Resource": [{"Fn::GetAtt": ["Key", "Arn"]}, "*"],
  "Condition": {"StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}}}}]}"#;
        let file = read_json(text);
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        let s = &file.policies[0].statements[0];
        assert_eq!(
            s.principals().next().unwrap().1.value,
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"
        );
        assert_eq!(s.resources().len(), 1, "the GetAtt is unknown");
        assert_eq!(s.resource.as_ref().unwrap().computed, 1);
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource:\n      - !Sub 'arn:aws:s3:::${Bucket}/*'\n      - !Ref Other\n";
        let file = read(&parse_yaml(yaml));
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        let resources = file.policies[0].statements[0].resources();
        assert_eq!(resources.len(), 1);
        assert_eq!(resources[0].value, "arn:aws:s3:::${Bucket}/*");
    }

    #[test]
    fn statements_are_read_up_to_the_bound() {
        let one = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
        let text = format!("[{}]", vec![one; MAX_STATEMENTS + 3].join(","));
        let file = read_json(&text);
        assert_eq!(file.policies.len(), MAX_STATEMENTS);
        assert_eq!(file.problems.len(), 1);
        assert!(file.problems[0].message.contains("not checked"));
    }

    #[test]
    fn characters_iam_rejects() {
        let text =
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Caf\u{e9}\", \"Effect\": \"Allow\",
            \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/\u{201c}reports\u{201d}/*\"}]}";
        let file = read_json(text);
        assert_eq!(file.problems.len(), 1, "é is Latin-1: {:?}", file.problems);
        assert!(file.problems[0].message.starts_with("`\u{201c}` (U+201C)"), "{:?}", file.problems);
    }

    #[test]
    fn statements_of_one_policy_are_read_up_to_the_bound() {
        let one = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            vec![one; MAX_STATEMENTS + 3].join(",")
        );
        let file = read_json(&text);
        assert_eq!(file.policies[0].statements.len(), MAX_STATEMENTS);
        assert_eq!(file.problems.len(), 1);
        assert!(file.problems[0].message.contains("this statement and those after it"));
    }

    #[test]
    fn random_json_is_not_a_policy() {
        assert!(read_json(r#"{"Statement": "hello", "x": 1}"#).policies.is_empty());
        assert!(read_json(r#"{"Statement": [{"text": "a"}]}"#).policies.is_empty());
        assert!(read_json(r#"[1, 2, {"a": {"b": []}}]"#).policies.is_empty());
    }

    #[test]
    fn kinds_from_principals_and_actions() {
        let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/x"},
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]}]}"#;
        assert_eq!(read_json(trust).policies[0].kind, PolicyKind::Trust);
        let bucket = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        let policy = &read_json(bucket).policies[0];
        assert_eq!(policy.kind, PolicyKind::Resource);
        assert!(policy.statements[0].principal.as_ref().unwrap().everyone_at().is_some());
        let aws_star = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": ["*"]}, "Action": "ecr:BatchGetImage"}]}"#;
        let policy = &read_json(aws_star).policies[0];
        let everyone = policy.statements[0].principal.as_ref().unwrap().everyone_at().unwrap();
        assert_eq!(at(aws_star, everyone), "*");
    }

    #[test]
    fn grammar_problems() {
        let text = r#"{"Version": "2012-10-17", "statement2": 1, "Statement": [
  {"effect": "Allow", "Action": ["s3:GetObject", 5], "NotAction": "x", "Resource": []},
  {"Effect": "allow", "Resource": "*", "Principal": {"Human": "me"}},
  "just a string",
  {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": "x"}}
]}"#;
        let file = read_json(text);
        let found: Vec<(&str, &str)> =
            file.problems.iter().map(|p| (at(text, p.range), p.message.as_str())).collect();
        let has = |span: &str, words: &str| {
            assert!(
                found.iter().any(|(s, m)| *s == span && m.contains(words)),
                "{span} / {words}: {found:#?}"
            )
        };
        has("statement2", "not a policy element");
        has("effect", "case-sensitive");
        has("5", "string or a list of strings");
        has("[]", "empty list");
        has("NotAction", "not both");
        has("allow", "`Effect` must be");
        has("Human", "not a kind of principal");
        has("\"just a string\"", "must be an object");
        has("\"x\"", "must map condition keys");
        assert_eq!(found.len(), 10, "{found:#?}");
        assert_eq!(file.policies[0].statements.len(), 3, "the string statement is left out");
    }
}
