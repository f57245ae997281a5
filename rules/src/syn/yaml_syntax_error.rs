use plimsoll_linter::{Check, Reporter, YamlCtx, declare_rule};
use plimsoll_yaml::ProblemKind;

declare_rule! {
    /// ## What it does
    /// Reports YAML that cannot be read: syntax errors, aliases to anchors that do not exist, and input that
    /// breaks plimsoll's bounds (an alias bomb, nesting deeper than 512 levels).
    ///
    /// ## Why is this bad?
    /// Docker Compose and `kubectl` refuse the file, or reads less of it than its author meant. plimsoll keeps the
    /// documents that parsed before the error and lints them.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: "nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: "nginx:1.27"
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///  labels: {app: web}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// ```
    ///
    /// In an IAM policy (strict JSON: no trailing commas, no comments):
    /// ```iam,bad
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"},]}
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - [YAML 1.2.2 specification](https://yaml.org/spec/1.2.2/)
    code: "SYN005",
    name: "yaml-syntax-error",
    family: Syn,
    severity: Error,
    formats: [Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Yaml(check)],
}

fn check(ctx: &YamlCtx, r: &mut Reporter) {
    for problem in &ctx.tree.problems {
        let help = match problem.kind {
            ProblemKind::Syntax | ProblemKind::UnknownAlias if is_json(ctx.text) => {
                "Fix the JSON so the file parses: strict JSON has no comments, trailing commas or single quotes."
            }
            ProblemKind::Syntax | ProblemKind::UnknownAlias => "Fix the YAML so the file parses.",
            ProblemKind::AliasLimit => {
                "Expand the aliases by hand or restructure the file: it multiplies into more nodes than any real file has."
            }
            ProblemKind::DepthLimit => "Flatten the structure: nothing legitimate nests this deep.",
            ProblemKind::DuplicateKey => continue,
        };
        let (problem_text, suggestion) =
            problem.message.split_once("; ").map_or((problem.message.as_str(), None), |(p, s)| (p, Some(s)));
        let help = suggestion.map_or(help.to_string(), sentence);
        r.report(problem.range, capitalised(problem_text)).help(help);
    }
}

fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

fn capitalised(text: &str) -> String {
    let mut chars = text.trim().trim_end_matches('.').chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn sentence(text: &str) -> String {
    let mut out = capitalised(text);
    if !out.ends_with(['.', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, lint_compose};

    #[test]
    fn syntax_errors_in_a_manifest_are_reported() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [\n";
        assert_eq!(crate::testing::lint_k8s(&RULE, yaml).len(), 1);
        crate::testing::assert_k8s_clean(
            &RULE,
            &crate::testing::pod("  hostPID: false\n", "      ports: [{containerPort: 80}]\n"),
        );
    }

    #[test]
    fn syntax_errors_are_reported_once() {
        let found = lint_compose(&RULE, "services:\n  web:\n    image: \"nginx:1.27\n");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn valid_yaml_is_clean() {
        assert_compose_clean(&RULE, "services:\n  web:\n    image: nginx:1.27 # pinned\n");
    }
}
