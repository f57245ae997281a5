use plimsoll_kubernetes::{entry_range, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Services that are reachable from outside the cluster: `spec.type: NodePort`, or
    /// `spec.type: LoadBalancer` without `loadBalancerSourceRanges` and without a cloud provider's
    /// internal load balancer annotation.
    ///
    /// The rule is off by default and informational: exposing a Service is often the intent. Enable it to
    /// review every entry point into a cluster.
    ///
    /// ## Why is this bad?
    /// A NodePort Service opens its port on every node of the cluster, on whatever networks the nodes are
    /// attached to, bypassing the Ingress or Gateway where TLS, authentication and rate limits are usually
    /// enforced. A LoadBalancer Service asks the cloud provider for an address, public unless told
    /// otherwise, that forwards straight to the pods. Either way the workload is exposed to every client
    /// that can reach the address, so it should be a deliberate, reviewed choice.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 8080
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    /// spec:
    ///   type: ClusterIP
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 8080
    /// ```
    ///
    /// ## References
    /// - [Service types: NodePort and LoadBalancer](https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types)
    /// - [Configure your cloud provider's firewalls: loadBalancerSourceRanges](https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/)
    code: "NET011",
    name: "service-exposed-outside-cluster",
    family: Net,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["exposed-services", "service-type"],
    checks: [Check::Kubernetes(check)],
}

/// Annotations that make a cloud provider create an internal load balancer, with the value that does.
/// A value of `None` means any value but `false`.
const INTERNAL: [(&str, Option<&str>); 7] = [
    ("service.beta.kubernetes.io/aws-load-balancer-internal", None),
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", Some("internal")),
    ("networking.gke.io/load-balancer-type", Some("Internal")),
    ("cloud.google.com/load-balancer-type", Some("Internal")),
    ("service.beta.kubernetes.io/azure-load-balancer-internal", None),
    ("service.beta.kubernetes.io/oci-load-balancer-internal", None),
    ("service.beta.kubernetes.io/openstack-internal-load-balancer", None),
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for service in pods::objects_of_kind(ctx, &["Service"]) {
        let Some(spec) = tree.get(service.node, "spec") else { continue };
        let Some(kind) = tree.get(spec, "type").and_then(|t| string(tree, t)) else { continue };
        let Some(range) = entry_range(tree, spec, "type") else { continue };
        match kind.value.as_str() {
            "NodePort" => {
                r.report(range, "Service is exposed on a port of every node with `type: NodePort`").help(
                    "Use `type: ClusterIP` behind an Ingress or Gateway that enforces TLS and authentication.",
                );
            }
            "LoadBalancer" => {
                let restricted =
                    tree.get(spec, "loadBalancerSourceRanges").is_some_and(|l| !tree.items(l).is_empty());
                if restricted || internal(ctx, service.node) {
                    continue;
                }
                r.report(range, "Service is exposed through a cloud load balancer open to any client").help(
                    "Use `type: ClusterIP` behind an Ingress or Gateway, limit the clients with \
                     `loadBalancerSourceRanges`, or request an internal load balancer.",
                );
            }
            _ => {}
        }
    }
}

fn internal(ctx: &KubernetesCtx, service: plimsoll_yaml::NodeId) -> bool {
    let tree = ctx.tree;
    let Some(annotations) = tree.path(service, &["metadata", "annotations"]) else { return false };
    INTERNAL.iter().any(|(key, wanted)| {
        let Some(value) = tree.get(annotations, key).and_then(|v| string(tree, v)) else { return false };
        match wanted {
            Some(wanted) => value.value.eq_ignore_ascii_case(wanted),
            None => !value.value.eq_ignore_ascii_case("false"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn service(meta: &str, spec: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n{meta}spec:\n{spec}  ports:\n    - port: 80\n"
        )
    }

    #[test]
    fn node_ports_and_open_load_balancers() {
        let yaml = service("", "  type: NodePort\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: NodePort"]);
        let yaml = service("", "  type: \"LoadBalancer\"\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: \"LoadBalancer\""]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Service is exposed through a cloud load balancer open to any client"
        );
        let yaml = service(
            "  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: \"false\"\n",
            "  type: LoadBalancer\n  loadBalancerSourceRanges: []\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: LoadBalancer"]);
    }

    #[test]
    fn cluster_internal_and_restricted_services_pass() {
        assert_k8s_clean(&RULE, &service("", "  type: ClusterIP\n"));
        assert_k8s_clean(&RULE, &service("", ""));
        assert_k8s_clean(&RULE, &service("", "  type: ExternalName\n  externalName: db.example.com\n"));
        assert_k8s_clean(
            &RULE,
            &service("", "  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n"),
        );
        let internal = service(
            "  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n",
            "  type: LoadBalancer\n",
        );
        assert_k8s_clean(&RULE, &internal);
        let internal = service(
            "  annotations:\n    networking.gke.io/load-balancer-type: \"Internal\"\n",
            "  type: LoadBalancer\n",
        );
        assert_k8s_clean(&RULE, &internal);
    }
}
