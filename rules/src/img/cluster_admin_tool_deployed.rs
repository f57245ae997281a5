use plimsoll_kubernetes::project::labels;
use plimsoll_kubernetes::{pod_labels, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::{ImageRef, ImageSpec};
use plimsoll_span::Spanned;
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags two in-cluster administration tools that have a record of handing over whole clusters:
    ///
    /// - Helm v2's Tiller: a container running a `tiller` image (`gcr.io/kubernetes-helm/tiller`,
    ///   `ghcr.io/helm/tiller`, mirrors of them), and a Service that selects Tiller's pods (its selector
    ///   is Helm's `app: helm, name: tiller`, or matches the labels of a Tiller workload of the file). The
    ///   message says when Tiller listens beyond `localhost` without requiring client certificates.
    /// - The Kubernetes Dashboard: a container running `kubernetesui/dashboard`,
    ///   `kubernetesui/dashboard-web` or a v1 `kubernetes-dashboard-<arch>` image. The message says when it
    ///   lets visitors skip the login (`--enable-skip-login`) or log in over plain HTTP
    ///   (`--enable-insecure-login`).
    ///
    /// A Dashboard bound to `cluster-admin` is reported by the RBAC rules as well (`cluster-admin-bound`).
    ///
    /// ## Why is this bad?
    /// Tiller, the server side of Helm v2, is unmaintained since November 2020. It listens for gRPC on
    /// port 44134 without authentication unless TLS client verification was set up, and is almost always
    /// bound to `cluster-admin`: any pod of the cluster can ask it to install a chart that runs a
    /// privileged pod or grants itself any permission. Helm 3 needs no in-cluster component.
    ///
    /// The Dashboard is a web console that can read Secrets, exec into pods and create workloads with the
    /// rights of its ServiceAccount or of the token a visitor brings. Exposed Dashboards, with the login
    /// skipped or a ServiceAccount bound to `cluster-admin`, are how several cluster compromises started
    /// (Tesla's, in 2018). Clients that run outside the cluster, such as `kubectl`, leave no such target.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: tiller-deploy
    ///   namespace: kube-system
    /// spec:
    ///   selector:
    ///     matchLabels: {app: helm, name: tiller}
    ///   template:
    ///     metadata:
    ///       labels: {app: helm, name: tiller}
    ///     spec:
    ///       serviceAccountName: tiller
    ///       containers:
    ///         - name: tiller
    ///           image: gcr.io/kubernetes-helm/tiller:v2.17.0
    /// ```
    ///
    /// Use instead: Helm 3, which runs nothing in the cluster and acts with its caller's credentials, here
    /// a CI job's ServiceAccount limited to the namespace it deploys to.
    /// ```kubernetes,good
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: deploy-shop
    ///   namespace: shop
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: shop-deployer
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: helm
    ///           image: alpine/helm:3.15.0
    ///           args: [upgrade, --install, shop, ./chart, --namespace, shop]
    /// ```
    ///
    /// ## References
    /// - [Helm: Helm 2 and the Charts Project are now unsupported](https://helm.sh/blog/helm-2-becomes-unsupported/)
    /// - [Helm v2: securing your Helm installation](https://v2.helm.sh/docs/securing_installation/)
    /// - [Kubernetes Dashboard: access control](https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md)
    code: "IMG031",
    name: "cluster-admin-tool-deployed",
    family: Img,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_33", "CKV_K8S_34", "CKV_K8S_44", "CKV_K8S_45", "KSV-0102"],
    checks: [Check::Kubernetes(check)],
}

const TILLER_HELP: &str = "Migrate to Helm 3, which runs nothing in the cluster, then delete Tiller's Deployment, \
                           Service and ServiceAccount binding.";

const DASHBOARD_HELP: &str = "Manage the cluster with a client outside it; if the Dashboard must stay, require the \
                              login, keep it off Ingresses and LoadBalancers, and give its ServiceAccount read-only \
                              rights.";

/// Helm v2's standard labels on Tiller's pods and Service.
const TILLER_LABELS: [(&str, &str); 2] = [("app", "helm"), ("name", "tiller")];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let mut tiller_pods: Vec<Vec<(String, String)>> = Vec::new();
    for pod in pods::pod_specs(ctx) {
        for container in pods::containers(tree, pod.spec) {
            let Some(image) = tree.get(container, "image").and_then(|i| string(tree, i)) else { continue };
            let Some(reference) = reference(&image.value) else { continue };
            if is_tiller(&reference) {
                tiller_pods.extend(pod_labels(tree, pod.object));
                report_tiller(tree, container, &image, r);
            } else if is_dashboard(&reference) {
                report_dashboard(tree, container, &image, r);
            }
        }
    }
    for service in pods::objects_of_kind(ctx, &["Service"]) {
        let Some(selector) = tree.path(service.node, &["spec", "selector"]) else { continue };
        let selector = labels(tree, selector);
        let has = |labels: &[(String, String)], (key, value): &(String, String)| {
            labels.iter().any(|(k, v)| k == key && v == value)
        };
        let helm_labels =
            TILLER_LABELS.iter().all(|(k, v)| selector.iter().any(|(sk, sv)| sk == k && sv == v));
        let selects_tiller = !selector.is_empty()
            && tiller_pods.iter().any(|pod| selector.iter().all(|label| has(pod, label)));
        if helm_labels || selects_tiller {
            r.report(service.anchor, "Service exposes Helm v2's Tiller API to every pod of the cluster")
                .help(TILLER_HELP);
        }
    }
}

fn reference(text: &str) -> Option<ImageRef> {
    match ImageSpec::from_text(text) {
        ImageSpec::Ref(r) | ImageSpec::Invalid { lenient: r, .. } => Some(r),
        _ => None,
    }
}

/// `gcr.io/kubernetes-helm/tiller`, `ghcr.io/helm/tiller`, and mirrors or rebuilds named `tiller-…`.
fn is_tiller(image: &ImageRef) -> bool {
    let name = image.name();
    name == "tiller" || name.starts_with("tiller-")
}

/// The Dashboard's v2 image, v7's web front end, and v1's per-architecture images
/// (`k8s.gcr.io/kubernetes-dashboard-amd64`), wherever they are mirrored: under the same path, or
/// flattened into one name (`rancher/mirrored-kubernetesui-dashboard`).
fn is_dashboard(image: &ImageRef) -> bool {
    let mut components = image.path.rsplit('/');
    let name = components.next().unwrap_or_default();
    let publisher = components.next();
    name.starts_with("kubernetes-dashboard")
        || (publisher == Some("kubernetesui") && matches!(name, "dashboard" | "dashboard-web"))
        || name.ends_with("kubernetesui-dashboard")
        || name.ends_with("kubernetesui-dashboard-web")
}

fn report_tiller(tree: &Tree, container: NodeId, image: &Spanned<String>, r: &mut Reporter) {
    let words = words(tree, container);
    let local = flag_value(&words, "listen").is_some_and(|address| {
        let host = address.rsplit_once(':').map_or(address.as_str(), |(host, _)| host);
        matches!(host, "localhost" | "127.0.0.1" | "[::1]")
    });
    let verifies_clients = flag_value(&words, "tls-verify").is_some_and(|v| v != "false")
        || env_value(tree, container, "TILLER_TLS_VERIFY")
            .is_some_and(|v| matches!(v.as_str(), "1" | "true"));
    let message = if local || verifies_clients {
        "Helm v2's Tiller is deployed: unmaintained since 2020, and usually bound to `cluster-admin`"
    } else {
        "Helm v2's Tiller serves its API without authentication to every pod of the cluster, usually with \
         `cluster-admin` rights"
    };
    r.report(image.range, message).help(TILLER_HELP);
}

fn report_dashboard(tree: &Tree, container: NodeId, image: &Spanned<String>, r: &mut Reporter) {
    let words = words(tree, container);
    let switched_on = |name: &str| {
        words.iter().find(|w| {
            let text = w.value.trim_start_matches('-');
            w.value.starts_with("--") && (text == name || text.strip_prefix(name) == Some("=true"))
        })
    };
    if let Some(flag) = switched_on("enable-skip-login") {
        r.report(
            image.range,
            "The Kubernetes Dashboard lets visitors skip the login and act with its own ServiceAccount's rights",
        )
        .help(DASHBOARD_HELP)
        .label(flag.range, "the login is optional");
    } else if let Some(flag) = switched_on("enable-insecure-login") {
        r.report(
            image.range,
            "The Kubernetes Dashboard accepts logins over plain HTTP, where tokens can be read",
        )
        .help(DASHBOARD_HELP)
        .label(flag.range, "plain HTTP logins are allowed");
    } else {
        r.report(
            image.range,
            "The Kubernetes Dashboard is deployed, a web console that can manage the whole cluster",
        )
        .help(DASHBOARD_HELP);
    }
}

/// The container's `command` and `args` words.
fn words(tree: &Tree, container: NodeId) -> Vec<Spanned<String>> {
    ["command", "args"]
        .iter()
        .filter_map(|key| tree.get(container, key))
        .flat_map(|list| tree.items(list).iter().filter_map(|&w| string(tree, w)))
        .collect()
}

/// The value of `--name=value` or `--name value`; `true` for a bare boolean flag.
fn flag_value(words: &[Spanned<String>], name: &str) -> Option<String> {
    words.iter().enumerate().find_map(|(i, word)| {
        let rest =
            word.value.strip_prefix("--").or_else(|| word.value.strip_prefix('-'))?.strip_prefix(name)?;
        match rest.strip_prefix('=') {
            Some(value) => Some(value.to_string()),
            None if rest.is_empty() => Some(match words.get(i + 1) {
                Some(next) if !next.value.starts_with('-') => next.value.clone(),
                _ => "true".to_string(),
            }),
            None => None,
        }
    })
}

/// A literal environment variable of the container.
fn env_value(tree: &Tree, container: NodeId, name: &str) -> Option<String> {
    let env = tree.get(container, "env")?;
    tree.items(env).iter().find_map(|&var| {
        (tree.get(var, "name").and_then(|n| tree.text(n)) == Some(name))
            .then(|| tree.get(var, "value").and_then(|v| string(tree, v)).map(|v| v.value))?
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    fn tiller(container: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {{app: helm, name: tiller}}\n  template:\n    metadata:\n      labels: {{app: helm, name: tiller}}\n    spec:\n      serviceAccountName: tiller\n      containers:\n        - name: tiller\n          image: gcr.io/kubernetes-helm/tiller:v2.17.0\n{container}"
        )
    }

    #[test]
    fn tiller_points_at_the_image_and_tells_how_it_listens() {
        let yaml = tiller("");
        assert_eq!(k8s_spans(&RULE, &yaml), ["gcr.io/kubernetes-helm/tiller:v2.17.0"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Helm v2's Tiller serves its API without authentication to every pod of the cluster, usually with \
             `cluster-admin` rights"
        );
        let wide = tiller("          args: [\"--listen=10.7.2.8:44134\"]\n");
        assert!(lint_k8s(&RULE, &wide)[0].message.contains("without authentication"));
        for local in [
            "          command: [/tiller, --listen=localhost:44134]\n",
            "          args: [--listen, \"127.0.0.1:44134\"]\n",
            "          env:\n            - name: TILLER_TLS_VERIFY\n              value: \"1\"\n",
        ] {
            let found = lint_k8s(&RULE, &tiller(local));
            assert_eq!(
                found[0].message,
                "Helm v2's Tiller is deployed: unmaintained since 2020, and usually bound to `cluster-admin`"
            );
        }
        let mirror = pod("", "").replace("nginx:1.27", "ghcr.io/helm/tiller:v2.16.9");
        assert_eq!(k8s_spans(&RULE, &mirror), ["ghcr.io/helm/tiller:v2.16.9"]);
    }

    #[test]
    fn services_selecting_tiller_point_at_their_name() {
        let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: tiller-deploy\nspec:\n  selector:\n    app: helm\n    name: tiller\n  ports: [{name: tiller, port: 44134}]\n";
        assert_eq!(k8s_spans(&RULE, service), ["tiller-deploy"]);
        assert_eq!(
            lint_k8s(&RULE, service)[0].message,
            "Service exposes Helm v2's Tiller API to every pod of the cluster"
        );
        // Custom labels: the Service is Tiller's because it selects the Tiller workload of the file.
        let custom = tiller("").replace("{app: helm, name: tiller}", "{run: helm-server}");
        let selecting = format!(
            "{custom}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: helm-api\nspec:\n  selector: {{run: helm-server}}\n"
        );
        assert_eq!(k8s_spans(&RULE, &selecting), ["gcr.io/kubernetes-helm/tiller:v2.17.0", "helm-api"]);
    }

    fn dashboard(image: &str, args: &str) -> String {
        pod("", args).replace("nginx:1.27", image)
    }

    #[test]
    fn dashboards_of_every_generation() {
        for image in [
            "kubernetesui/dashboard:v2.7.0",
            "docker.io/kubernetesui/dashboard-web:1.6.0",
            "k8s.gcr.io/kubernetes-dashboard-amd64:v1.10.1",
            "registry.example.com/mirror/kubernetesui/dashboard:v2.7.0",
            "rancher/mirrored-kubernetesui-dashboard:v2.7.0",
        ] {
            assert_eq!(k8s_spans(&RULE, &dashboard(image, "")), [image]);
        }
        assert_eq!(
            lint_k8s(&RULE, &dashboard("kubernetesui/dashboard:v2.7.0", ""))[0].message,
            "The Kubernetes Dashboard is deployed, a web console that can manage the whole cluster"
        );
    }

    #[test]
    fn dashboards_without_a_login_say_so() {
        let yaml = dashboard(
            "kubernetesui/dashboard:v2.7.0",
            "      args:\n        - --auto-generate-certificates\n        - --enable-skip-login\n",
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "The Kubernetes Dashboard lets visitors skip the login and act with its own ServiceAccount's rights"
        );
        assert_eq!(found[0].labels[0].range.slice(&yaml), "--enable-skip-login");
        let yaml = dashboard("kubernetesui/dashboard:v2.7.0", "      args: [--enable-insecure-login=true]\n");
        assert!(lint_k8s(&RULE, &yaml)[0].message.contains("plain HTTP"));
        let yaml = dashboard("kubernetesui/dashboard:v2.7.0", "      args: [--enable-skip-login=false]\n");
        assert!(lint_k8s(&RULE, &yaml)[0].message.ends_with("manage the whole cluster"));
    }

    #[test]
    fn lookalikes_helpers_and_other_services_pass() {
        assert_k8s_clean(&RULE, &pod("", ""));
        for image in [
            "kubernetesui/metrics-scraper:v1.0.9",
            "kubernetesui/dashboard-metrics-scraper:1.2.1",
            "rancher/mirrored-kubernetesui-metrics-scraper:v1.0.9",
            "grafana/grafana:11.0.0",
            "example/distiller:1",
            "alpine/helm:3.15.0",
        ] {
            assert_k8s_clean(&RULE, &dashboard(image, ""));
        }
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: helm}\n",
        );
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: Service\nmetadata:\n  name: headless\nspec: {}\n");
    }
}
