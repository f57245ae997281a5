use plimsoll_linter::{Check, Reporter, YamlCtx, declare_rule};
use plimsoll_yaml::ProblemKind;

declare_rule! {
    /// ## What it does
    /// Reports a mapping that repeats a key.
    ///
    /// ## Why is this bad?
    /// Readers disagree about duplicates: most keep the last value silently, some reject the file. A
    /// security setting written twice (`privileged: false` above, `privileged: true` below) shows one
    /// thing to a reviewer and does another. plimsoll, like Compose and the Kubernetes API server, uses the last value.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     image: nginx:latest
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostNetwork: false
    ///   containers: []
    ///   hostNetwork: true
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostNetwork: false
    ///   containers: []
    /// ```
    ///
    /// In an IAM policy, a second `Resource` hides the first from a reviewer:
    /// ```iam,bad
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// Use instead:
    /// ```iam,good
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [YAML 1.2.2: mappings require unique keys](https://yaml.org/spec/1.2.2/#mapping)
    code: "SYN006",
    name: "duplicate-key",
    family: Syn,
    severity: Warning,
    formats: [Compose, Kubernetes, Iam],
    aliases: [],
    checks: [Check::Yaml(check)],
}

fn check(ctx: &YamlCtx, r: &mut Reporter) {
    for problem in ctx.tree.problems.iter().filter(|p| p.kind == ProblemKind::DuplicateKey) {
        let key = problem.range.slice(ctx.text);
        r.report(problem.range, format!("Key `{key}` is repeated in this mapping"))
            .help("Keep one occurrence of the key; readers disagree about which one wins.");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans};

    #[test]
    fn points_at_the_repeated_key() {
        let yaml = "services:\n  web:\n    image: a:1\n    privileged: false\n    privileged: true\n";
        assert_eq!(compose_spans(&RULE, yaml), ["privileged"]);
    }

    #[test]
    fn json_manifests_report_duplicates_too() {
        let json = r#"{"apiVersion": "v1", "kind": "Pod", "spec": {"hostPID": false, "hostPID": true}}"#;
        assert_eq!(crate::testing::k8s_spans(&RULE, json), ["\"hostPID\""]);
    }

    #[test]
    fn distinct_keys_and_merges_are_clean() {
        assert_compose_clean(&RULE, "x: &x\n  image: a:1\nservices:\n  web:\n    <<: *x\n    image: b:2\n");
    }
}
