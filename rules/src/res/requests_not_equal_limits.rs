use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_span::TextRange;
use plimsoll_yaml::NodeId;

use crate::support::k8s_resources::{self, Resource, quantity};
use crate::support::pods::{self, PodSpec};

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers (init containers included) that keep their pod out of the Guaranteed
    /// quality-of-service class: no CPU or memory limit (or a zero one, which is none), or a CPU or memory
    /// request that differs from the limit. Quantities are compared by value (`1` and `1000m` are equal).
    ///
    /// A container that sets a limit and no request is not reported: the API server copies the limit to
    /// the request. A limit given by a LimitRange of the namespace (`default` or `max` under
    /// `type: Container`, in any file linted together) counts, and the container's request is compared
    /// with it: the one written, else the LimitRange's `defaultRequest` when the same file shows it. When
    /// the pod sets pod-level `spec.resources`, those decide the class and are checked instead of the
    /// containers'. Ephemeral containers, the containers of a Kustomize patch without an image, and Windows
    /// pods (Windows has no OOM killer to order and cannot reserve CPU time) are not reported.
    ///
    /// The rule is off by default: a Guaranteed pod reserves its peak use at all times, which most workloads
    /// do not need and the cluster pays for.
    ///
    /// ## Why is this bad?
    /// A pod whose every container has requests equal to limits is Guaranteed: it is the last the kubelet
    /// evicts when the node runs short of memory, the kernel's OOM killer picks it after every other pod,
    /// and with the static CPU manager it can get CPUs of its own. Pods whose requests are below their
    /// limits are Burstable: they rely on memory and CPU that were never reserved for them, and when a
    /// noisy neighbour takes it, they are slowed down, evicted or killed first. For workloads that must not
    /// be disturbed (databases, control planes, latency-critical services), equal requests and limits are
    /// what keep them safe from their neighbours.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       resources:
    ///         requests:
    ///           cpu: 500m
    ///           memory: 1Gi
    ///         limits:
    ///           cpu: "1"
    ///           memory: 2Gi
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17
    ///       resources:
    ///         requests:
    ///           cpu: "1"
    ///           memory: 2Gi
    ///         limits:
    ///           cpu: 1000m
    ///           memory: 2Gi
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: pod quality of service classes](https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/)
    /// - [Kubernetes: configure quality of service for pods](https://kubernetes.io/docs/tasks/configure-pod-container/quality-service-pod/)
    /// - [Kubernetes: resource management for Windows nodes](https://kubernetes.io/docs/concepts/configuration/windows-resource-management/)
    code: "RES018",
    name: "requests-not-equal-limits",
    family: Res,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: [
        "container-resource-requests-equal-limits",
        "container-cpu-requests-equal-limits",
        "container-memory-requests-equal-limits",
    ],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Set `resources.requests` equal to `resources.limits` for both CPU and memory, or set \
                    only the limits (the requests then copy them).";

/// The resources the quality-of-service class depends on.
const QOS_RESOURCES: [Resource; 2] = [Resource::Cpu, Resource::Memory];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let items: Vec<NodeId> = k8s_resources::containers(tree, pod.spec).collect();
        if items
            .iter()
            .any(|&item| k8s_resources::model_container(ctx, &pod, item).is_some_and(|c| c.windows))
        {
            continue;
        }
        let pod_level = QOS_RESOURCES.iter().any(|&resource| {
            ["requests", "limits"]
                .iter()
                .any(|section| k8s_resources::written(tree, pod.spec, section, resource).is_some())
        });
        if pod_level {
            let anchor = pods::key_range(tree, pod.spec, "resources").unwrap_or(pod.anchor());
            compare(ctx, r, &pod, pod.spec, anchor, Subject::Pod);
            continue;
        }
        for item in items {
            if k8s_resources::model_container(ctx, &pod, item).is_some_and(|c| c.partial) {
                continue;
            }
            compare(ctx, r, &pod, item, pods::container_anchor(tree, item), Subject::Container);
        }
    }
}

/// What is checked: a container, or a pod with pod-level resources.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject {
    Container,
    Pod,
}

impl Subject {
    fn name(self) -> &'static str {
        match self {
            Subject::Container => "Container",
            Subject::Pod => "Pod",
        }
    }

    fn consequence(self) -> &'static str {
        match self {
            Subject::Container => "so its pod is not in the Guaranteed QoS class",
            Subject::Pod => "so it is not in the Guaranteed QoS class",
        }
    }
}

/// Reports what keeps `node` (a container, or a pod spec with pod-level resources) out of the Guaranteed
/// class: its missing limits at `anchor`, zero limits and requests that differ from their limits where
/// they are written.
fn compare(
    ctx: &KubernetesCtx,
    r: &mut Reporter,
    pod: &PodSpec<'_>,
    node: NodeId,
    anchor: TextRange,
    subject: Subject,
) {
    let tree = ctx.tree;
    let (name, consequence) = (subject.name(), subject.consequence());
    let mut missing = Vec::new();
    for resource in QOS_RESOURCES {
        let label = resource.label();
        let written = k8s_resources::written(tree, node, "limits", resource);
        if let Some(zero) = written.as_ref().filter(|l| quantity(&l.value) == Some(0)) {
            r.report(
                zero.range,
                format!("{name}'s {label} limit `{}` means no limit, {consequence}", zero.value),
            )
            .help(HELP);
            continue;
        }
        // A LimitRange only gives containers their defaults, not pods.
        let namespace = k8s_resources::namespace(pod.object);
        let (limit, defaulted) = match written {
            Some(limit) => (limit.value, false),
            None if subject == Subject::Container => {
                match k8s_resources::default_limit(ctx, namespace, resource) {
                    Some(default) => (default, true),
                    None => {
                        missing.push(label);
                        continue;
                    }
                }
            }
            None => {
                missing.push(label);
                continue;
            }
        };
        let differs =
            |request: &str| matches!((quantity(request), quantity(&limit)), (Some(a), Some(b)) if a != b);
        match k8s_resources::written(tree, node, "requests", resource) {
            Some(request) if differs(&request.value) => {
                r.report(
                    request.range,
                    format!(
                        "{name}'s {label} request `{}` is not its limit `{limit}`, {consequence}",
                        request.value
                    ),
                )
                .help(HELP);
            }
            Some(_) => {}
            // Both from the LimitRange: its `defaultRequest`, when this file shows one, may differ.
            None if defaulted => {
                let sections = ["defaultRequest"];
                let Some(request) = k8s_resources::limit_range_value(ctx, namespace, resource, &sections)
                else {
                    continue;
                };
                if differs(&request.value) {
                    r.report(
                        anchor,
                        format!(
                            "{name}'s {label} request defaults to `{}` (the LimitRange's `defaultRequest`), not \
                             its limit `{limit}`, {consequence}",
                            request.value
                        ),
                    )
                    .help(HELP);
                }
            }
            None => {}
        }
    }
    if !missing.is_empty() {
        r.report(anchor, format!("{name} has no {} limit, {consequence}", missing.join(" or "))).help(HELP);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, k8s_spans_in, lint_k8s, pod};

    fn resources(requests: &str, limits: &str) -> String {
        format!("      resources:\n        requests: {{{requests}}}\n        limits: {{{limits}}}\n")
    }

    #[test]
    fn requests_that_differ_point_at_the_request() {
        let yaml = pod("", &resources("cpu: 250m, memory: 1Gi", "cpu: 500m, memory: 1024Mi"));
        assert_eq!(k8s_spans(&RULE, &yaml), ["250m"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Container's CPU request `250m` is not its limit `500m`, so its pod is not in the Guaranteed QoS class"
        );
        assert_eq!(found[0].help.as_deref(), Some(super::HELP));
        let yaml = pod("", &resources("cpu: \"0.5\", memory: 512Mi", "cpu: 500m, memory: 1Gi"));
        assert_eq!(k8s_spans(&RULE, &yaml), ["512Mi"]);
    }

    #[test]
    fn missing_and_zero_limits() {
        let yaml = pod("", "      resources:\n        requests: {cpu: 100m}\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container has no CPU or memory limit, so its pod is not in the Guaranteed QoS class"
        );
        let yaml = pod("", "      resources:\n        limits: {cpu: \"0\", memory: 1Gi}\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container's CPU limit `0` means no limit, so its pod is not in the Guaranteed QoS class"
        );
        let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: init\n          image: x:1\n          resources: {limits: {cpu: 1}}\n      containers:\n        - name: main\n          image: x:1\n          resources: {limits: {cpu: 1, memory: 1Gi}}\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["init"]);
        assert_eq!(
            lint_k8s(&RULE, yaml)[0].message,
            "Container has no memory limit, so its pod is not in the Guaranteed QoS class"
        );
    }

    #[test]
    fn equal_values_and_limits_alone_pass() {
        assert_k8s_clean(
            &RULE,
            &pod("", &resources("cpu: \"1\", memory: 1Gi", "cpu: 1000m, memory: 1024Mi")),
        );
        assert_k8s_clean(&RULE, &pod("", "      resources:\n        limits: {cpu: 2, memory: 2Gi}\n"));
        // Values that cannot be read are not compared.
        assert_k8s_clean(
            &RULE,
            &pod("", &resources("cpu: \"{{ .Values.cpu }}\", memory: 1Gi", "cpu: 1, memory: 1Gi")),
        );
    }

    #[test]
    fn limit_range_defaults_are_limits() {
        let limit_range = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      default: {cpu: 500m, memory: 512Mi}\n";
        assert!(k8s_spans_in(&RULE, &pod("", ""), &[limit_range]).is_empty());
        let yaml = pod("", "      resources:\n        requests: {memory: 256Mi}\n");
        assert_eq!(k8s_spans_in(&RULE, &yaml, &[limit_range]), ["256Mi"]);
        // A default request of its own, shown in the same file.
        let defaults = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\nspec:\n  limits:\n    - type: Container\n      default: {cpu: 500m, memory: 512Mi}\n      defaultRequest: {cpu: 100m, memory: 512Mi}\n---\n";
        let yaml = format!("{defaults}{}", pod("", ""));
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Container's CPU request defaults to `100m` (the LimitRange's `defaultRequest`), not its \
             limit `500m`, so its pod is not in the Guaranteed QoS class"
        );
    }

    #[test]
    fn pod_level_resources_decide_instead_of_the_containers() {
        let yaml =
            pod("  resources:\n    requests: {cpu: 1, memory: 1Gi}\n    limits: {cpu: 1, memory: 1Gi}\n", "");
        assert_k8s_clean(&RULE, &yaml);
        let yaml = pod("  resources:\n    limits: {cpu: 2}\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["resources"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Pod has no memory limit, so it is not in the Guaranteed QoS class"
        );
    }

    #[test]
    fn windows_ephemeral_and_patches_are_skipped() {
        assert_k8s_clean(&RULE, &pod("  os: {name: windows}\n", ""));
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: x:1\n      resources: {limits: {cpu: 1, memory: 1Gi}}\n  ephemeralContainers:\n    - name: debug\n      image: busybox:1.36\n";
        assert_k8s_clean(&RULE, yaml);
        let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env: [{name: A, value: b}]\n";
        assert_k8s_clean(&RULE, patch);
    }
}
