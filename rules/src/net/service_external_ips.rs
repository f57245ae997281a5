use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Services that claim external addresses with `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// Every node routes traffic for a Service's external IPs to the Service's pods, whoever owns those
    /// addresses: nothing checks that the Service's author may use them. A Service that lists someone
    /// else's IP (another tenant's database, a public DNS resolver, an API the cluster calls) silently
    /// captures the cluster's traffic to it, a man-in-the-middle open to anyone who can create Services
    /// (CVE-2020-8554). Kubernetes recommends blocking the field with the `DenyServiceExternalIPs`
    /// admission plugin; a manifest that needs it deserves review.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///   externalIPs:
    ///     - 203.0.113.10
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - [Service: external IPs](https://kubernetes.io/docs/concepts/services-networking/service/#external-ips)
    /// - [CVE-2020-8554: man in the middle using LoadBalancer or ExternalIPs](https://github.com/kubernetes/kubernetes/issues/97076)
    /// - [Admission controllers: DenyServiceExternalIPs](https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips)
    code: "NET012",
    name: "service-external-ips",
    family: Net,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["KSV-0108"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for service in pods::objects_of_kind(ctx, &["Service"]) {
        let Some(spec) = tree.get(service.node, "spec") else { continue };
        let Some(entry) = tree.entry(spec, "externalIPs") else { continue };
        let addresses: Vec<String> =
            tree.items(entry.value).iter().filter_map(|&ip| string(tree, ip)).map(|ip| ip.value).collect();
        if addresses.is_empty() {
            continue;
        }
        r.report(
            tree.node(entry.key).range,
            match addresses.as_slice() {
                [one] => format!("Service claims the external IP `{one}`, capturing the cluster's traffic to it"),
                _ => format!(
                    "Service claims the external IPs `{}`, capturing the cluster's traffic to them",
                    addresses.join("`, `")
                ),
            },
        )
        .help(
            "Remove `externalIPs`; expose the Service with `type: LoadBalancer` or an Ingress, and enable the \
             `DenyServiceExternalIPs` admission plugin.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn external_ips_point_at_the_key() {
        let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs:\n    - 1.1.1.1\n    - \"8.8.8.8\"\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["externalIPs"]);
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "Service claims the external IPs `1.1.1.1`, `8.8.8.8`, capturing the cluster's traffic to them"
        );
    }

    #[test]
    fn one_address() {
        let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs: [10.1.2.3]\n";
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "Service claims the external IP `10.1.2.3`, capturing the cluster's traffic to it"
        );
    }

    #[test]
    fn empty_lists_and_other_kinds_pass() {
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs: []\n",
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ClusterIP\n",
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: example.com/v1\nkind: Gateway\nmetadata:\n  name: g\nspec:\n  externalIPs: [1.1.1.1]\n",
        );
    }
}
