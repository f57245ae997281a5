use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags containers that read a Secret into environment variables: `env[*].valueFrom.secretKeyRef`, or
    /// `envFrom[*].secretRef` for every key of a Secret.
    ///
    /// The rule is off by default: many applications only read configuration from the environment, and
    /// passing a Secret that way is far better than writing its value in the manifest.
    ///
    /// ## Why is this bad?
    /// Environment variables are easy to leak: crash reports, debug pages and logging libraries dump them,
    /// every child process inherits them, and they stay readable in `/proc/<pid>/environ` and in the
    /// container runtime's inspection output for the container's lifetime. A Secret mounted as a volume
    /// is a file only the process that needs it reads, with file permissions of its own, and it is
    /// updated in place when the Secret rotates, which environment variables never are.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:4.2
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: db
    ///               key: password
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:4.2
    ///       env:
    ///         - name: DB_PASSWORD_FILE
    ///           value: /run/secrets/db/password
    ///       volumeMounts:
    ///         - name: db
    ///           mountPath: /run/secrets/db
    ///           readOnly: true
    ///   volumes:
    ///     - name: db
    ///       secret:
    ///         secretName: db
    /// ```
    ///
    /// ## References
    /// - [Secrets: using Secrets as files from a Pod](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    code: "SEC012",
    name: "secret-read-from-env",
    family: Sec,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_35", "read-secret-from-env-var"],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Mount the Secret as a `secret` volume and have the application read the file.";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let text = |node, key| tree.get(node, key).and_then(|n| string(tree, n)).map(|s| s.value);
    for pod in pods::pod_specs(ctx) {
        for container in pods::containers(tree, pod.spec) {
            if let Some(env) = tree.get(container, "env") {
                for &var in tree.items(env) {
                    let Some(from) = tree.get(var, "valueFrom") else { continue };
                    let Some(entry) = tree.entry(from, "secretKeyRef") else { continue };
                    let variable = text(var, "name").map_or_else(
                        || "an environment variable".to_string(),
                        |v| format!("the environment variable `{v}`"),
                    );
                    let message = match (text(entry.value, "name"), text(entry.value, "key")) {
                        (Some(secret), Some(key)) => {
                            format!("Key `{key}` of Secret `{secret}` is read into {variable}")
                        }
                        _ => format!("A Secret is read into {variable}"),
                    };
                    r.report(tree.node(entry.key).range, message).help(HELP);
                }
            }
            if let Some(env_from) = tree.get(container, "envFrom") {
                for &source in tree.items(env_from) {
                    let Some(entry) = tree.entry(source, "secretRef") else { continue };
                    let message = match text(entry.value, "name") {
                        Some(secret) => {
                            format!("Every key of Secret `{secret}` is read into an environment variable")
                        }
                        None => "Every key of a Secret is read into an environment variable".to_string(),
                    };
                    r.report(tree.node(entry.key).range, message).help(HELP);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn secret_references_point_at_their_key() {
        let yaml = pod(
            "",
            "      env:\n        - name: TOKEN\n          valueFrom:\n            secretKeyRef: {name: api, key: token}\n        - name: MODE\n          value: prod\n      envFrom:\n        - configMapRef: {name: settings}\n        - secretRef:\n            name: db\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["secretKeyRef", "secretRef"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Key `token` of Secret `api` is read into the environment variable `TOKEN`"
        );
        assert_eq!(found[1].message, "Every key of Secret `db` is read into an environment variable");
        let yaml = pod("", "      env:\n        - valueFrom:\n            secretKeyRef: {optional: true}\n");
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "A Secret is read into an environment variable");
    }

    #[test]
    fn config_maps_fields_and_mounted_secrets_pass() {
        let yaml = pod(
            "  volumes:\n    - name: s\n      secret: {secretName: s}\n",
            "      env:\n        - name: HOST\n          valueFrom:\n            fieldRef: {fieldPath: status.hostIP}\n        - name: LEVEL\n          valueFrom:\n            configMapKeyRef: {name: c, key: level}\n      envFrom:\n        - configMapRef: {name: c}\n      volumeMounts:\n        - {name: s, mountPath: /run/secrets/s}\n",
        );
        assert_k8s_clean(&RULE, &yaml);
    }
}
