use plimsoll_dockerfile::Body;
use plimsoll_linter::{Check, DockerfileCtx, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// When required labels are configured (`required` in the `[labels]` table of `plimsoll.toml`), flags
    /// images and Kubernetes workloads that do not carry each of them with a non-empty value. Without
    /// configured labels the rule does nothing.
    ///
    /// - Dockerfile: the image `docker build` produces, the final stage. Its labels are the `LABEL`
    ///   instructions of that stage and of the stages it is built `FROM` in the same file (build arguments
    ///   and variables resolved; a value that depends on one without a default counts as set). The finding
    ///   points at the final `FROM`. Labels inherited from the base image, and those `docker build --label`
    ///   or a CI pipeline add, cannot be known from the file, so the Dockerfile must set them itself;
    ///   `ONBUILD LABEL` labels the images built on this one, not this one. Intermediate stages ship
    ///   nothing and are not checked (hadolint's DL3049 checks every stage without an `AS` name,
    ///   [hadolint#758](https://github.com/hadolint/hadolint/issues/758)).
    /// - Kubernetes: every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
    ///   ReplicationController and configured workload kinds) needs the labels in its own
    ///   `metadata.labels`; the finding points at its `metadata.name` (or `kind`). The pod template's
    ///   labels do not count: they label the pods, while `kubectl get deployments -l owner=…`, admission
    ///   policies and ownership reports read the workload's own labels. Patches (a Deployment without
    ///   `spec.selector`) are skipped, since the object they patch carries the labels, and labels that a
    ///   Kustomize `labels`/`commonLabels` transformer adds are not seen: lint the rendered output.
    ///
    /// Label keys compare exactly (`owner` is not `Owner`); an empty or blank value is missing.
    ///
    /// ## Why is this bad?
    /// Organisations rely on labels to trace what runs back to its source and its owner: the
    /// `org.opencontainers.image.source` and `revision` labels tie an image to the commit it was built from,
    /// for vulnerability triage and provenance checks, and an `owner` or `team` label on a workload says who
    /// to call when it misbehaves and who pays for it. A missing label turns up only when someone needs it.
    ///
    /// ## Example
    /// With `[labels] required = ["org.opencontainers.image.source", "owner"]`:
    ///
    /// ```dockerfile,bad,required-label=org.opencontainers.image.source,required-label=owner
    /// FROM python:3.13-slim
    /// LABEL owner=""
    /// COPY app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good,required-label=org.opencontainers.image.source,required-label=owner
    /// FROM python:3.13-slim
    /// LABEL org.opencontainers.image.source="https://github.com/example/app" \
    ///       owner="payments-team"
    /// COPY app /app
    /// ```
    ///
    /// In a Kubernetes manifest, with `[labels] required = ["owner"]`:
    /// ```kubernetes,bad,required-label=owner
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api, owner: payments-team}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good,required-label=owner
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    ///   labels: {owner: payments-team}
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api, owner: payments-team}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:1.4
    /// ```
    ///
    /// ## References
    /// - [OCI image spec: pre-defined annotation keys](https://github.com/opencontainers/image-spec/blob/main/annotations.md#pre-defined-annotation-keys)
    /// - [Dockerfile reference: LABEL](https://docs.docker.com/reference/dockerfile/#label)
    /// - [Kubernetes: labels and selectors](https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/)
    /// - [hadolint DL3049](https://github.com/hadolint/hadolint/wiki/DL3049)
    /// - [kube-linter required-label-owner](https://docs.kubelinter.io/#/generated/checks?id=required-label-owner)
    code: "IMG034",
    name: "required-label-missing",
    family: Img,
    severity: Info,
    formats: [Dockerfile, Kubernetes],
    aliases: ["DL3049", "required-label-owner"],
    checks: [Check::Dockerfile(check_dockerfile), Check::Kubernetes(check_kubernetes)],
}

/// The configured keys, trimmed, without blanks and repeats, in the configured order.
fn required(r: &Reporter) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for key in &r.settings().required_labels {
        let key = key.trim();
        if !key.is_empty() && !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    keys
}

fn check_dockerfile(ctx: &DockerfileCtx, r: &mut Reporter) {
    let required = required(r);
    if required.is_empty() {
        return;
    }
    let (Some(stage), Some(container)) = (ctx.analysis.final_stage(), ctx.model.containers.first()) else {
        return;
    };
    // Keys set with a non-empty (or unknown) value along the final stage's lineage.
    let mut set: Vec<String> = Vec::new();
    for s in ctx.analysis.lineage(stage.index) {
        for index in s.body.clone() {
            let Body::Label(pairs) = &ctx.file.instructions[index].body else { continue };
            for pair in pairs {
                let key = ctx.analysis.expand_at(ctx.file, index, &pair.key.text);
                let value = ctx.analysis.expand_at(ctx.file, index, &pair.value.text);
                if key.complete && (!value.complete || !value.text.trim().is_empty()) {
                    set.push(key.text);
                }
            }
        }
    }
    let missing: Vec<&str> =
        required.iter().map(String::as_str).filter(|k| !set.iter().any(|s| s == k)).collect();
    if missing.is_empty() {
        return;
    }
    let assignments =
        missing.iter().map(|k| format!("{}=\"…\"", quoted_key(k))).collect::<Vec<_>>().join(" ");
    r.report(container.anchor, format!("Image lacks the required {}", labels(&missing))).help(format!(
        "Add `LABEL {assignments}` with {} to the final stage; labels of the base image cannot be seen here.",
        values(&missing)
    ));
}

fn check_kubernetes(ctx: &KubernetesCtx, r: &mut Reporter) {
    let required = required(r);
    if required.is_empty() {
        return;
    }
    let tree = ctx.tree;
    for object in &ctx.manifest.objects {
        if object.pod_spec.is_none() || plimsoll_kubernetes::is_patch(tree, object) {
            continue;
        }
        let labels_node = tree.path(object.node, &["metadata", "labels"]);
        let present = |key: &str| {
            labels_node.is_some_and(|map| {
                tree.entries(map).iter().any(|e| {
                    tree.key_text(e) == Some(key)
                        && plimsoll_kubernetes::string(tree, e.value)
                            .is_some_and(|v| !v.value.trim().is_empty())
                })
            })
        };
        let missing: Vec<&str> = required.iter().map(String::as_str).filter(|k| !present(k)).collect();
        if missing.is_empty() {
            continue;
        }
        report_workload(r, object.anchor, &object.kind.value, &missing);
    }
}

fn report_workload(r: &mut Reporter, anchor: TextRange, kind: &str, missing: &[&str]) {
    let keys = help::code_list(missing.iter().copied());
    r.report(anchor, format!("{kind} lacks the required {} in `metadata.labels`", labels(missing))).help(format!(
        "Add {keys} with {} to the {kind}'s own `metadata.labels`; the pod template's labels label the pods, \
         not the {kind}.",
        values(missing)
    ));
}

/// `label `owner`` or `labels `owner` and `team``.
fn labels(keys: &[&str]) -> String {
    let noun = if keys.len() == 1 { "label" } else { "labels" };
    format!("{noun} {}", help::code_list(keys.iter().copied()))
}

/// "a non-empty value" or "non-empty values".
fn values(keys: &[&str]) -> &'static str {
    if keys.len() == 1 { "a non-empty value" } else { "non-empty values" }
}

/// A label key as a `LABEL` instruction can hold it: quoted when it has characters a bare word cannot.
fn quoted_key(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')) {
        key.to_string()
    } else {
        format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::{Diagnostic, Format};
    use plimsoll_linter::Settings;

    use super::RULE;
    use crate::testing::{assert_clean, assert_k8s_clean, lint_with, pod, settings};

    fn lint_as(format: Format, required: &[&str], text: &str) -> Vec<Diagnostic> {
        let settings =
            Settings { required_labels: required.iter().map(|k| k.to_string()).collect(), ..settings() };
        lint_with(&RULE, format, text, settings)
    }

    fn dockerfile(required: &[&str], text: &str) -> Vec<(String, String)> {
        lint_as(Format::Dockerfile, required, text)
            .into_iter()
            .map(|d| (d.range.slice(text).to_string(), d.message))
            .collect()
    }

    fn k8s(required: &[&str], text: &str) -> Vec<(String, String)> {
        lint_as(Format::Kubernetes, required, text)
            .into_iter()
            .map(|d| (d.range.slice(text).to_string(), d.message))
            .collect()
    }

    #[test]
    fn silent_without_required_labels() {
        assert_clean(&RULE, "FROM alpine:3.20\n");
        assert_k8s_clean(&RULE, &pod("", ""));
        assert!(dockerfile(&["", "  "], "FROM alpine:3.20\n").is_empty());
    }

    #[test]
    fn the_final_stage_is_checked_at_its_from() {
        let text =
            "FROM golang:1.23 AS build\nLABEL owner=builders\nFROM alpine:3.20 AS app\nLABEL team=web\n";
        assert_eq!(
            dockerfile(&["owner", "team", "owner"], text),
            [("FROM alpine:3.20 AS app".to_string(), "Image lacks the required label `owner`".to_string())]
        );
        let found = lint_as(Format::Dockerfile, &["owner", "org.opencontainers.image.source"], text);
        assert_eq!(
            found[0].message,
            "Image lacks the required labels `owner` and `org.opencontainers.image.source`"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Add `LABEL owner=\"…\" org.opencontainers.image.source=\"…\"` with non-empty values to the final \
                 stage; labels of the base image cannot be seen here."
            )
        );
    }

    #[test]
    fn labels_of_the_stages_the_final_one_builds_on_count() {
        let text = "FROM alpine:3.20 AS base\nLABEL owner=web\nFROM base\nRUN true\n";
        assert!(dockerfile(&["owner"], text).is_empty());
        // ONBUILD labels the images built on this one.
        let text = "FROM alpine:3.20\nONBUILD LABEL owner=web\n";
        assert_eq!(dockerfile(&["owner"], text).len(), 1);
    }

    #[test]
    fn forms_quotes_variables_and_empty_values() {
        let text =
            "FROM alpine:3.20\nLABEL \"owner\"='web' team=\"a b\" \\\n      version=1\nLABEL legacy value\n";
        assert!(dockerfile(&["owner", "team", "version", "legacy"], text).is_empty());
        let text =
            "FROM alpine:3.20\nARG EMPTY=\nARG REV\nLABEL owner=\"\" team=\" \" empty=$EMPTY revision=$REV\n";
        assert_eq!(
            dockerfile(&["owner", "team", "empty", "revision"], text),
            [(
                "FROM alpine:3.20".to_string(),
                "Image lacks the required labels `owner`, `team` and `empty`".to_string()
            )]
        );
        let text = "FROM alpine:3.20\nARG KEY=owner\nLABEL $KEY=web Owner=x\n";
        assert!(dockerfile(&["owner"], text).is_empty());
        assert_eq!(dockerfile(&["OWNER"], text).len(), 1, "keys are case-sensitive");
    }

    fn deployment(metadata: &str, template_labels: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n{metadata}spec:\n  selector:\n    matchLabels: {{app: api}}\n  template:\n    metadata:\n      labels: {template_labels}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.4\n"
        )
    }

    #[test]
    fn workloads_need_their_own_labels() {
        let yaml = deployment("", "{app: api, owner: web}");
        assert_eq!(
            k8s(&["owner"], &yaml),
            [(
                "api".to_string(),
                "Deployment lacks the required label `owner` in `metadata.labels`".to_string()
            )]
        );
        let found = lint_as(Format::Kubernetes, &["owner"], &yaml);
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Add `owner` with a non-empty value to the Deployment's own `metadata.labels`; the pod template's \
                 labels label the pods, not the Deployment."
            )
        );
        assert!(k8s(&["owner"], &deployment("  labels:\n    owner: web\n", "{app: api}")).is_empty());
        let empty = deployment("  labels:\n    owner: \"\"\n    team:\n    \"cost-centre\": 42\n", "{}");
        assert_eq!(
            k8s(&["owner", "team", "cost-centre"], &empty),
            [(
                "api".to_string(),
                "Deployment lacks the required labels `owner` and `team` in `metadata.labels`".to_string()
            )]
        );
    }

    #[test]
    fn pods_without_a_name_point_at_their_kind_and_other_objects_are_skipped() {
        let yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: x:1}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
        assert_eq!(
            k8s(&["owner"], yaml),
            [("Pod".to_string(), "Pod lacks the required label `owner` in `metadata.labels`".to_string())]
        );
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, labels: {owner: data}}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: x:1}]\n";
        assert!(k8s(&["owner"], cron).is_empty());
    }

    #[test]
    fn patches_are_skipped() {
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          args: [--verbose]\n";
        assert!(k8s(&["owner"], patch).is_empty());
    }

    #[test]
    fn keys_that_need_quotes_are_quoted_in_the_help() {
        assert_eq!(super::quoted_key("org.opencontainers.image.source"), "org.opencontainers.image.source");
        assert_eq!(super::quoted_key("cost centre"), "\"cost centre\"");
    }
}
