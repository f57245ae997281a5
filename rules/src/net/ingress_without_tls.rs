use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::NodeId;

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Ingresses without TLS: no `spec.tls` entry, and no annotation of a cloud load balancer
    /// (AWS, GKE, Azure Application Gateway) that attaches a certificate instead.
    ///
    /// The annotations understood are AWS's `alb.ingress.kubernetes.io/certificate-arn` (or an `HTTPS`
    /// listener in `alb.ingress.kubernetes.io/listen-ports`, whose certificate is found by host name),
    /// GKE's `ingress.gcp.kubernetes.io/pre-shared-cert` and `networking.gke.io/managed-certificates`, and
    /// Azure's `appgw.ingress.kubernetes.io/appgw-ssl-certificate`.
    ///
    /// ## Why is this bad?
    /// An Ingress without a `tls` section serves its hosts over plain HTTP: passwords, session cookies and
    /// API tokens cross the network readable and modifiable by anyone on the path, and clients cannot tell
    /// the real service from an impostor. TLS at the Ingress costs one Secret, which cert-manager can
    /// issue and renew automatically.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service: {name: shop, port: {number: 80}}
    /// ```
    ///
    /// ## References
    /// - [Ingress: TLS](https://kubernetes.io/docs/concepts/services-networking/ingress/#tls)
    /// - [cert-manager: securing Ingress resources](https://cert-manager.io/docs/usage/ingress/)
    code: "NET013",
    name: "ingress-without-tls",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["tlsSettingsMissing"],
    checks: [Check::Kubernetes(check)],
}

/// Annotations through which a cloud load balancer terminates TLS for an Ingress without `spec.tls`.
const CERTIFICATE_ANNOTATIONS: [&str; 4] = [
    "alb.ingress.kubernetes.io/certificate-arn",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "networking.gke.io/managed-certificates",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    let help = "Add `spec.tls` with the hosts and the Secret holding their certificate (cert-manager can issue \
                and renew it).";
    for ingress in pods::objects_of_kind(ctx, &["Ingress"]) {
        let spec = tree.get(ingress.node, "spec");
        let tls = spec.and_then(|s| tree.entry(s, "tls"));
        if tls.is_some_and(|t| !tree.items(t.value).is_empty()) || certificate_annotation(ctx, ingress.node) {
            continue;
        }
        let range = tls.map_or(ingress.anchor, |t| tree.node(t.key).range);
        r.report(range, "Ingress serves its hosts over plain HTTP, without TLS").help(help);
    }
}

fn certificate_annotation(ctx: &KubernetesCtx, object: NodeId) -> bool {
    let tree = ctx.tree;
    let Some(annotations) = tree.path(object, &["metadata", "annotations"]) else { return false };
    // The AWS load balancer controller finds certificates by host name for an HTTPS listener.
    let alb_https = tree
        .get(annotations, "alb.ingress.kubernetes.io/listen-ports")
        .and_then(|v| string(tree, v))
        .is_some_and(|v| v.value.contains("HTTPS"));
    alb_https
        || CERTIFICATE_ANNOTATIONS.iter().any(|key| {
            tree.get(annotations, key).and_then(|v| string(tree, v)).is_some_and(|v| !v.value.is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn ingress(meta: &str, spec: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n{meta}spec:\n{spec}  rules:\n    - host: shop.example.com\n"
        )
    }

    #[test]
    fn missing_or_empty_tls() {
        let yaml = ingress("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["shop"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Ingress serves its hosts over plain HTTP, without TLS"
        );
        assert_eq!(k8s_spans(&RULE, &ingress("", "  tls: []\n")), ["tls"]);
        let legacy = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend:\n    serviceName: s\n    servicePort: 80\n";
        assert_eq!(k8s_spans(&RULE, legacy), ["old"]);
        // cert-manager needs `spec.tls` to know which Secret to fill.
        let yaml = ingress("  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["shop"]);
    }

    #[test]
    fn tls_sections_and_load_balancer_certificates_pass() {
        assert_k8s_clean(
            &RULE,
            &ingress("", "  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n"),
        );
        assert_k8s_clean(&RULE, &ingress("", "  tls:\n    - hosts: [shop.example.com]\n"));
        let alb = ingress(
            "  annotations:\n    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:123456789012:certificate/x\n",
            "",
        );
        assert_k8s_clean(&RULE, &alb);
        let discovery = ingress(
            "  annotations:\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\":443}]'\n",
            "",
        );
        assert_k8s_clean(&RULE, &discovery);
        let http_only =
            ingress("  annotations:\n    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}]'\n", "");
        assert_eq!(crate::testing::k8s_spans(&RULE, &http_only), ["shop"]);
        assert_k8s_clean(&RULE, "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec: {}\n");
    }
}
