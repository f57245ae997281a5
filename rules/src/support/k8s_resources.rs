//! Kubernetes resource requests and limits as the API server completes them, for the rules about
//! requests, limits and the LimitRanges that default them.
//!
//! The API server fills in what a manifest leaves out: a container with a limit but no request gets a
//! request equal to the limit, and a LimitRange of the namespace gives containers without them its
//! `default` limit (else its `max`) and its `defaultRequest` (else that default limit, else its `min`).
//! Quantities are compared by value: `1` CPU is `1000m`, `1Gi` is `1024Mi`.

use plimsoll_kubernetes::{Object, string};
use plimsoll_linter::KubernetesCtx;
use plimsoll_model::Container;
use plimsoll_span::{Spanned, TextRange};
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods::{self, PodSpec};

/// A resource a container can request and be limited in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    Memory,
    EphemeralStorage,
}

impl Resource {
    /// The key under `requests` and `limits`.
    pub fn key(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
            Resource::EphemeralStorage => "ephemeral-storage",
        }
    }

    /// How messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Resource::Cpu => "CPU",
            Resource::Memory => "memory",
            Resource::EphemeralStorage => "ephemeral storage",
        }
    }

    /// Pod-level `resources` (`spec.resources`) only take CPU and memory.
    fn pod_level(self) -> bool {
        self != Resource::EphemeralStorage
    }
}

/// The containers of a pod spec that have resources of their own: init and regular containers. Ephemeral
/// (debug) containers cannot set resources; they run within the pod's.
pub fn containers(tree: &Tree, spec: NodeId) -> impl Iterator<Item = NodeId> + '_ {
    ["initContainers", "containers"]
        .into_iter()
        .filter_map(move |list| tree.get(spec, list))
        .flat_map(move |list| tree.items(list).iter().copied())
        .filter(move |&item| !tree.entries(item).is_empty())
}

/// The lowered container of a container mapping, for what the model knows about it (Windows, a patch's
/// partial container).
pub fn model_container<'a>(ctx: &'a KubernetesCtx, pod: &PodSpec<'_>, item: NodeId) -> Option<&'a Container> {
    let anchor = pods::container_anchor(ctx.tree, item);
    pods::model_containers(ctx, pod).find(|c| c.anchor == anchor)
}

/// `resources.<section>.<resource>` of a container (or of a pod spec) as written.
pub fn written(tree: &Tree, node: NodeId, section: &str, resource: Resource) -> Option<Spanned<String>> {
    tree.path(node, &["resources", section, resource.key()]).and_then(|n| string(tree, n))
}

/// Where a container's request comes from once the API server has completed its pod.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Request {
    /// `resources.requests` sets it or, without a request, `resources.limits`, which the request copies.
    Written {
        value: Spanned<String>,
        from_limit: bool,
    },
    /// The pod-level `resources` reserve for all the pod's containers together.
    Pod,
    /// A LimitRange of the namespace gives containers a default request.
    LimitRange,
    Missing,
}

/// The request of container `item` of `pod` for `resource`.
fn request(ctx: &KubernetesCtx, pod: &PodSpec<'_>, item: NodeId, resource: Resource) -> Request {
    let tree = ctx.tree;
    if let Some(value) = written(tree, item, "requests", resource) {
        return Request::Written { value, from_limit: false };
    }
    if let Some(value) = written(tree, item, "limits", resource) {
        return Request::Written { value, from_limit: true };
    }
    let pod_level = |section| written(tree, pod.spec, section, resource).is_some();
    if resource.pod_level() && (pod_level("requests") || pod_level("limits")) {
        return Request::Pod;
    }
    let namespace = namespace(pod.object);
    // A default limit (`default`, or `max` in its place) is also the default request.
    let from_facts = match resource {
        Resource::Cpu => ctx.project.limit_defaults(namespace).is_some_and(|d| d.cpu.is_some()),
        Resource::Memory => ctx.project.limit_defaults(namespace).is_some_and(|d| d.memory.is_some()),
        Resource::EphemeralStorage => false,
    };
    let sections = ["defaultRequest", "default", "max", "min"];
    if from_facts || limit_range_value(ctx, namespace, resource, &sections).is_some() {
        return Request::LimitRange;
    }
    Request::Missing
}

/// The containers of the manifest that reserve none of `resource` once their pods are completed, with
/// where to point and what to say: no request from anywhere (pointing at the container's name), or a zero
/// request (pointing at the zero). Containers of a patch, completed by the object it patches, are skipped.
///
/// An init container that runs to completion before the others start is skipped when another container
/// of its pod reserves the resource: the pod reserves the larger of its init containers' requests and the
/// sum of the others', so the init container runs within that reservation.
pub fn request_gaps(ctx: &KubernetesCtx, resource: Resource) -> Vec<(TextRange, String)> {
    let tree = ctx.tree;
    let mut out = Vec::new();
    for pod in pods::pod_specs(ctx) {
        let reserves = |item: NodeId| match request(ctx, &pod, item, resource) {
            Request::Missing => false,
            Request::Written { value, .. } => quantity(&value.value) != Some(0),
            Request::Pod | Request::LimitRange => true,
        };
        let pod_reserves =
            containers(tree, pod.spec).any(|item| !runs_first(tree, pod.spec, item) && reserves(item));
        for item in containers(tree, pod.spec) {
            if model_container(ctx, &pod, item).is_some_and(|c| c.partial)
                || pod_reserves && runs_first(tree, pod.spec, item)
            {
                continue;
            }
            let label = resource.label();
            match request(ctx, &pod, item, resource) {
                Request::Missing => {
                    out.push((
                        pods::container_anchor(tree, item),
                        format!("Container has no {label} request"),
                    ));
                }
                Request::Written { value, from_limit } if quantity(&value.value) == Some(0) => {
                    let message = if from_limit {
                        format!(
                            "Container's {label} request defaults to its limit `{}`, which reserves no {label}",
                            value.value
                        )
                    } else {
                        format!("Container's {label} request `{}` reserves no {label}", value.value)
                    };
                    out.push((value.range, message));
                }
                _ => {}
            }
        }
    }
    out
}

/// An init container that finishes before the app containers start: not a sidecar, which an init
/// container with `restartPolicy: Always` is, running next to them.
fn runs_first(tree: &Tree, spec: NodeId, item: NodeId) -> bool {
    let init = tree.get(spec, "initContainers").is_some_and(|list| tree.items(list).contains(&item));
    init && tree.get(item, "restartPolicy").and_then(|p| tree.text(p)) != Some("Always")
}

/// The default limit a LimitRange of the run gives containers of `namespace` for `resource`: its
/// `default`, else its `max`.
pub fn default_limit(ctx: &KubernetesCtx, namespace: Option<&str>, resource: Resource) -> Option<String> {
    if let Some(value) = limit_range_value(ctx, namespace, resource, &["default", "max"]) {
        return Some(value.value);
    }
    let defaults = ctx.project.limit_defaults(namespace)?;
    match resource {
        Resource::Cpu => defaults.cpu.clone(),
        Resource::Memory => defaults.memory.clone(),
        Resource::EphemeralStorage => None,
    }
}

/// The first of `sections` (`default`, `max`, …) that a `type: Container` limit of a LimitRange of this
/// file in `namespace` sets for `resource`. The run's other files only tell their `default` and `max` CPU
/// and memory (see [`plimsoll_kubernetes::project::LimitDefaults`]); this file's LimitRanges are read
/// whole, so a `defaultRequest` or `min` next to the workload counts too.
pub fn limit_range_value(
    ctx: &KubernetesCtx,
    namespace: Option<&str>,
    resource: Resource,
    sections: &[&str],
) -> Option<Spanned<String>> {
    let tree = ctx.tree;
    let items: Vec<NodeId> = pods::objects_of_kind(ctx, &["LimitRange"])
        .filter(|l| self::namespace(l) == namespace)
        .flat_map(|l| limit_items(tree, l, "Container"))
        .collect();
    sections.iter().find_map(|section| {
        items
            .iter()
            .find_map(|&item| tree.path(item, &[section, resource.key()]).and_then(|n| string(tree, n)))
    })
}

/// The items of a LimitRange's `spec.limits` of `kind` (`Container`, `Pod`, `PersistentVolumeClaim`).
pub fn limit_items<'t>(
    tree: &'t Tree,
    limit_range: &Object,
    kind: &'t str,
) -> impl Iterator<Item = NodeId> + 't {
    let limits = tree.path(limit_range.node, &["spec", "limits"]);
    limits
        .map(|l| tree.items(l))
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(move |&item| tree.get(item, "type").and_then(|t| tree.text(t)) == Some(kind))
}

/// An object's `metadata.namespace`.
pub fn namespace(object: &Object) -> Option<&str> {
    object.namespace.as_ref().map(|n| n.value.as_str())
}

/// A quantity's value in billionths of its unit (`500m` → 500 000 000, `1Ki` → 1 024 000 000 000), as the
/// API server reads `<number><suffix>`: a decimal SI suffix (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`), a
/// binary one (`Ki` … `Ei`) or an exponent (`1e3`). Anything else (a template, a typo) and values too large
/// to compare are `None`. Fractions of a billionth round up, as the API server rounds them.
pub fn quantity(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let number_end = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    let mut mantissa: i128 = 0;
    for digit in whole.bytes().chain(fraction.bytes()) {
        mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(digit - b'0'))?;
    }
    // The value is mantissa × 10^exponent × 1024^binary, in units; billionths add 9 to the exponent.
    let (exponent, binary): (i32, u32) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 1),
        "Mi" => (0, 2),
        "Gi" => (0, 3),
        "Ti" => (0, 4),
        "Pi" => (0, 5),
        "Ei" => (0, 6),
        _ => {
            let digits = suffix.strip_prefix(['e', 'E'])?;
            let digits = digits.strip_prefix('+').unwrap_or(digits);
            (digits.parse().ok().filter(|e: &i32| e.abs() <= 30)?, 0)
        }
    };
    let fraction_digits = i32::try_from(fraction.len()).ok()?;
    let exponent = exponent + 9 - fraction_digits;
    let mut value = mantissa.checked_mul(1024_i128.checked_pow(binary)?)?;
    if exponent >= 0 {
        value = value.checked_mul(10_i128.checked_pow(exponent.unsigned_abs())?)?;
    } else {
        let divisor = 10_i128.checked_pow(exponent.unsigned_abs())?;
        value = value / divisor + i128::from(value % divisor != 0);
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::testing::with_k8s_ctx;

    #[test]
    fn quantities_compare_by_value() {
        assert_eq!(quantity("1"), quantity("1000m"));
        assert_eq!(quantity("0.5"), quantity("500m"));
        assert_eq!(quantity("1Gi"), quantity("1024Mi"));
        assert_eq!(quantity("1G"), quantity("1000M"));
        assert_eq!(quantity("1e3"), quantity("1k"));
        assert_eq!(quantity("1.5Gi"), Some(1_610_612_736 * 1_000_000_000));
        assert_eq!(quantity("500m"), Some(500_000_000));
        assert_eq!(quantity("0.1n"), Some(1), "rounded up to a billionth");
        assert_eq!(quantity("-1"), Some(-1_000_000_000));
        assert_eq!(quantity(" 0 "), Some(0));
        assert_ne!(quantity("1M"), quantity("1Mi"));
        for text in ["", "m", "Gi", "1.2.3", "{{ .Values.cpu }}", "1 Gi", "1mi", "1e400", "${CPU}"] {
            assert_eq!(quantity(text), None, "{text}");
        }
    }

    #[test]
    fn requests_come_from_the_container_the_pod_or_a_limit_range() {
        let yaml = "apiVersion: v1\nkind: LimitRange\nmetadata: {name: l, namespace: shop}\nspec:\n  limits:\n    - type: Container\n      min: {memory: 64Mi}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  resources:\n    limits: {cpu: \"2\"}\n  initContainers:\n    - name: init\n      resources:\n        requests: {cpu: 100m}\n        limits: {memory: 1Gi}\n  containers:\n    - name: app\n  ephemeralContainers:\n    - name: debug\n";
        with_k8s_ctx(yaml, |ctx| {
            let pod = pods::pod_specs(ctx).next().expect("the pod");
            let items: Vec<NodeId> = containers(ctx.tree, pod.spec).collect();
            assert_eq!(items.len(), 2, "the ephemeral container has no resources of its own");
            let init = items[0];
            match request(ctx, &pod, init, Resource::Cpu) {
                Request::Written { value, from_limit } => {
                    assert_eq!((value.value.as_str(), from_limit), ("100m", false))
                }
                other => panic!("{other:?}"),
            }
            match request(ctx, &pod, init, Resource::Memory) {
                Request::Written { value, from_limit } => {
                    assert_eq!((value.value.as_str(), from_limit), ("1Gi", true))
                }
                other => panic!("{other:?}"),
            }
            let app = items[1];
            assert_eq!(request(ctx, &pod, app, Resource::Cpu), Request::Pod);
            assert_eq!(request(ctx, &pod, app, Resource::Memory), Request::LimitRange, "from `min`");
            assert_eq!(request(ctx, &pod, app, Resource::EphemeralStorage), Request::Missing);
            assert_eq!(model_container(ctx, &pod, app).map(|c| c.anchor.slice(yaml)), Some("app"));
            assert_eq!(default_limit(ctx, Some("shop"), Resource::Memory), None, "`min` is no limit");
        });
    }
}
