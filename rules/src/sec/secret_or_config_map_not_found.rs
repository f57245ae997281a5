use plimsoll_kubernetes::project::StoreKind;
use plimsoll_kubernetes::{boolean, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags references from a Kubernetes pod to a Secret or ConfigMap that the files linted together do
    /// not define, or to a key the Secret or ConfigMap does not hold: `env[].valueFrom.secretKeyRef` and
    /// `configMapKeyRef`, `envFrom[].secretRef` and `configMapRef`, and `secret`, `configMap` and
    /// `projected` volumes. Only namespaces where the run defines Secrets (or ConfigMaps) are checked, and
    /// references marked `optional: true` are not reported.
    ///
    /// ## Why is this bad?
    /// The pod does not start until the object exists, and whoever creates a Secret or ConfigMap of that
    /// name in the namespace decides what the container reads as its credentials or configuration — a typo
    /// turns into configuration injection for anyone with `create` on Secrets or ConfigMaps there. Objects
    /// generated at deploy time (Kustomize `secretGenerator`, external secret operators) are not visible in
    /// the manifests, which is why the rule is off by default.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: db
    /// stringData:
    ///   url: postgres://db:5432/shop
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       env:
    ///         - name: DATABASE_URL
    ///           valueFrom:
    ///             secretKeyRef: {name: db, key: uri}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: db
    /// stringData:
    ///   url: postgres://db:5432/shop
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       env:
    ///         - name: DATABASE_URL
    ///           valueFrom:
    ///             secretKeyRef: {name: db, key: url}
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - [Kubernetes: ConfigMaps](https://kubernetes.io/docs/concepts/configuration/configmap/)
    code: "SEC016",
    name: "secret-or-config-map-not-found",
    family: Sec,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["env-value-from"],
    checks: [Check::Kubernetes(check)],
}

/// One reference to a Secret or ConfigMap: its mapping, which kind, the key holding the object's name
/// (`name` or a volume's `secretName`), and whether a `key` is named in it.
struct Reference {
    map: NodeId,
    kind: StoreKind,
    name_key: &'static str,
    with_key: bool,
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let namespace = pod.object.namespace.as_ref().map(|n| n.value.as_str());
        for reference in references(tree, pod.spec) {
            if tree.get(reference.map, "optional").and_then(|n| boolean(tree, n)) == Some(true)
                || !ctx.project.defines_stores(reference.kind, namespace)
            {
                continue;
            }
            let Some(name) = tree.get(reference.map, reference.name_key).and_then(|n| string(tree, n)) else {
                continue;
            };
            let what = match reference.kind {
                StoreKind::Secret => "Secret",
                StoreKind::ConfigMap => "ConfigMap",
            };
            let Some(store) = ctx.project.store(reference.kind, namespace, &name.value) else {
                let place = namespace.map_or_else(String::new, |n| format!(" in namespace `{n}`"));
                r.report(name.range, format!("{what} `{}`{place} is not defined", name.value))
                    .help(format!("Define the {what} with the workload, correct the name, or mark the reference `optional: true`"));
                continue;
            };
            let key = reference.with_key.then(|| tree.get(reference.map, "key")).flatten();
            if let Some(key) = key.and_then(|k| string(tree, k))
                && !store.keys.contains(&key.value)
            {
                r.report(key.range, format!("{what} `{}` has no key `{}`", name.value, key.value))
                    .help(format!("Use one of the {what}'s keys, or add this one to it"));
            }
        }
    }
}

/// Every Secret and ConfigMap reference of a pod spec: containers' `env` and `envFrom`, then volumes.
fn references(tree: &Tree, spec: NodeId) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut add = |map: Option<NodeId>, kind, name_key, with_key| {
        if let Some(map) = map {
            out.push(Reference { map, kind, name_key, with_key });
        }
    };
    for container in pods::containers(tree, spec) {
        for &env in tree.get(container, "env").map(|l| tree.items(l)).unwrap_or_default() {
            let from = tree.get(env, "valueFrom");
            add(from.and_then(|f| tree.get(f, "secretKeyRef")), StoreKind::Secret, "name", true);
            add(from.and_then(|f| tree.get(f, "configMapKeyRef")), StoreKind::ConfigMap, "name", true);
        }
        for &source in tree.get(container, "envFrom").map(|l| tree.items(l)).unwrap_or_default() {
            add(tree.get(source, "secretRef"), StoreKind::Secret, "name", false);
            add(tree.get(source, "configMapRef"), StoreKind::ConfigMap, "name", false);
        }
    }
    for &volume in tree.get(spec, "volumes").map(|l| tree.items(l)).unwrap_or_default() {
        add(tree.get(volume, "secret"), StoreKind::Secret, "secretName", false);
        add(tree.get(volume, "configMap"), StoreKind::ConfigMap, "name", false);
        let sources = tree.path(volume, &["projected", "sources"]).map(|l| tree.items(l)).unwrap_or_default();
        for &source in sources {
            add(tree.get(source, "secret"), StoreKind::Secret, "name", false);
            add(tree.get(source, "configMap"), StoreKind::ConfigMap, "name", false);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans_in, lint_k8s_in, pod};

    const STORES: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: aHVudGVyMg==}\nstringData: {user: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {mode: fast}\nbinaryData: {logo: AAEC}\n";

    fn env(refs: &str) -> String {
        pod("", &format!("      env:\n{refs}"))
    }

    #[test]
    fn missing_objects_and_keys_point_at_the_name_or_key() {
        let yaml = env(
            "        - {name: A, valueFrom: {secretKeyRef: {name: dbs, key: password}}}\n        - {name: B, valueFrom: {secretKeyRef: {name: db, key: pasword}}}\n        - {name: C, valueFrom: {configMapKeyRef: {name: web, key: logo}}}\n",
        );
        assert_eq!(k8s_spans_in(&RULE, &yaml, &[STORES]), ["dbs", "pasword"]);
        let found = lint_k8s_in(&RULE, &yaml, &[STORES]);
        assert_eq!(found[0].message, "Secret `dbs` is not defined");
        assert_eq!(found[1].message, "Secret `db` has no key `pasword`");
        let from = pod(
            "  volumes:\n    - {name: v, secret: {secretName: tls}}\n    - name: p\n      projected:\n        sources: [{configMap: {name: webb}}]\n",
            "      envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: db}}]\n",
        );
        assert_eq!(k8s_spans_in(&RULE, &from, &[STORES]), ["tls", "webb", "settings"]);
    }

    #[test]
    fn optional_present_and_unmanaged_references_pass() {
        let yaml = env(
            "        - {name: A, valueFrom: {secretKeyRef: {name: dbs, key: password, optional: true}}}\n        - {name: B, valueFrom: {secretKeyRef: {name: db, key: user}}}\n        - {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n",
        );
        assert!(k8s_spans_in(&RULE, &yaml, &[STORES]).is_empty());
        assert_k8s_clean(
            &RULE,
            &env("        - {name: A, valueFrom: {secretKeyRef: {name: dbs, key: x}}}\n"),
        );
        let elsewhere = STORES
            .replace("name: db}", "name: db, namespace: other}")
            .replace("name: web}", "name: web, namespace: other}");
        assert!(
            k8s_spans_in(
                &RULE,
                &env("        - {name: A, valueFrom: {secretKeyRef: {name: dbs, key: x}}}\n"),
                &[&elsewhere]
            )
            .is_empty(),
            "the namespace's Secrets are managed elsewhere"
        );
    }
}
