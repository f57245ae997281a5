//! Where each workload kind keeps its pod spec: the built-in kinds, and custom resources the user names
//! ([`WorkloadKinds`]).

use plimsoll_yaml::{NodeId, Tree};

use crate::Object;

/// Workload kinds beyond the built-in ones: custom resources whose objects embed a pod spec (a Knative
/// Service, a KEDA ScaledJob, an in-house operator's resource), each with the path to it.
/// (Serialised into the result cache's keys: the kinds change what files report.)
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WorkloadKinds {
    custom: Vec<CustomKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
struct CustomKind {
    /// The API group the kind must be in (`serving.knative.dev`); `None`: any group.
    group: Option<String>,
    kind: String,
    path: Vec<String>,
}

impl WorkloadKinds {
    /// Adds a kind written as `KIND=PATH` or `GROUP/KIND=PATH`, the path dot-separated from the object to its
    /// pod spec: `serving.knative.dev/Service=spec.template.spec`. A custom kind wins over a built-in kind
    /// of the same name in its group.
    pub fn add(&mut self, spec: &str) -> Result<(), String> {
        let (name, path) = spec.split_once('=').ok_or_else(|| {
            format!("`{spec}` is not KIND=PATH (e.g. `serving.knative.dev/Service=spec.template.spec`)")
        })?;
        let (group, kind) = match name.trim().rsplit_once('/') {
            Some((group, kind)) => (Some(group.to_string()), kind),
            None => (None, name.trim()),
        };
        let path: Vec<String> = path.trim().split('.').map(str::to_string).collect();
        if kind.is_empty() || path.iter().any(String::is_empty) {
            return Err(format!(
                "`{spec}` needs a kind and a dot-separated path such as `spec.template.spec`"
            ));
        }
        self.custom.push(CustomKind { group, kind: kind.to_string(), path });
        Ok(())
    }

    /// Whether a configured kind has this name (in any group).
    pub(crate) fn names_kind(&self, kind: &str) -> bool {
        self.custom.iter().any(|custom| custom.kind == kind)
    }

    /// The path from an object of `kind` in API `group` to its pod spec.
    pub(crate) fn path<'a>(&'a self, group: &str, kind: &str) -> Option<Vec<&'a str>> {
        let custom =
            self.custom.iter().find(|c| c.kind == kind && c.group.as_deref().is_none_or(|g| g == group));
        match custom {
            Some(custom) => Some(custom.path.iter().map(String::as_str).collect()),
            None => pod_spec_path(kind).map(<[&str]>::to_vec),
        }
    }
}

/// The path from a workload object to its pod spec, for the kinds that run pods: core and `apps`
/// workloads, `batch` Jobs and CronJobs, OpenShift DeploymentConfigs and Argo Rollouts. `None` for kinds
/// that run no pod of their own.
pub fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "PodTemplate" => &["template", "spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job"
        | "DeploymentConfig"
        | "Rollout" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    })
}

/// Whether some plimsoll check reads this object: workloads (built-in or configured), the kinds that
/// configure their isolation, exposure and resources, and OPA Gatekeeper constraints. Other kinds (custom
/// resources, PersistentVolumeClaims, …) are skipped, and said to be.
pub fn is_checked(object: &Object) -> bool {
    let kind = object.kind.value.as_str();
    object.group() == "constraints.gatekeeper.sh"
        || object.pod_spec.is_some()
        || pod_spec_path(kind).is_some()
        || matches!(
            kind,
            "Service"
                | "Ingress"
                | "NetworkPolicy"
                | "LimitRange"
                | "ServiceAccount"
                | "Role"
                | "ClusterRole"
                | "RoleBinding"
                | "ClusterRoleBinding"
                | "PodSecurityPolicy"
                | "SecurityContextConstraints"
                | "ResourceQuota"
                | "ConfigMap"
                | "Secret"
                | "PriorityClass"
                | "Kustomization"
        )
}

/// Where an object's pod is: its pod spec, and the mapping whose `metadata` is the pod's (the object itself
/// for a Pod, else its pod template). `None` for kinds that run no pod, and when the spec is missing.
pub(crate) fn locate_pod(tree: &Tree, node: NodeId, path: &[&str]) -> Option<(NodeId, NodeId)> {
    let spec = tree.path(node, path)?;
    let (_, template) = path.split_last()?;
    let template = if template.is_empty() { Some(node) } else { tree.path(node, template) };
    Some((spec, template?))
}

/// The metadata of the pod a workload runs: the Pod's own, or its template's (annotations that configure
/// the pod, such as AppArmor profiles, live there).
pub fn pod_template_metadata(tree: &Tree, object: &Object) -> Option<NodeId> {
    tree.get(object.pod_template?, "metadata")
}

/// A Kustomize or strategic-merge patch rather than a whole object: a Deployment, StatefulSet, DaemonSet
/// or ReplicaSet without the `spec.selector` the API server requires. The object it patches holds the rest
/// of its containers: a container without an image is an override, whose missing settings may be set
/// there. (A Pod has nothing that tells a patch from a whole Pod written without images, as linters'
/// test fixtures often are, so Pods are always whole.)
pub fn is_patch(tree: &Tree, object: &Object) -> bool {
    matches!(object.kind.value.as_str(), "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        && tree.path(object.node, &["spec", "selector"]).is_none()
}

/// The labels of the pod a workload runs; `None` for kinds that run no pod.
pub fn pod_labels(tree: &Tree, object: &Object) -> Option<Vec<(String, String)>> {
    object.pod_spec?;
    let labels = pod_template_metadata(tree, object).and_then(|m| tree.get(m, "labels"));
    Some(labels.map(|l| crate::project::labels(tree, l)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_kind_finds_its_pod() {
        let cases = [
            ("Pod", "spec:\n  containers: []\n"),
            ("Deployment", "spec:\n  template:\n    spec:\n      containers: []\n"),
            (
                "CronJob",
                "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: []\n",
            ),
            ("PodTemplate", "template:\n  spec:\n    containers: []\n"),
        ];
        for (kind, body) in cases {
            let yaml = format!("apiVersion: v1\nkind: {kind}\nmetadata: {{name: x}}\n{body}");
            let tree = plimsoll_yaml::parse_yaml(&yaml);
            let object = &crate::objects(&tree)[0];
            let spec = object.pod_spec.unwrap_or_else(|| panic!("{kind}"));
            assert!(tree.get(spec, "containers").is_some(), "{kind}");
        }
        assert_eq!(pod_spec_path("Service"), None);
    }

    #[test]
    fn custom_kinds_by_name_and_group() {
        let mut kinds = WorkloadKinds::default();
        kinds.add("serving.knative.dev/Service=spec.template.spec").unwrap();
        kinds.add("Runner=spec").unwrap();
        assert!(
            kinds.add("Runner").is_err()
                && kinds.add("Runner=spec..x").is_err()
                && kinds.add("=spec").is_err()
        );
        let yaml = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec:\n  template:\n    metadata: {labels: {app: k}}\n    spec:\n      containers: [{image: x:1}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n---\napiVersion: ci.example.com/v1\nkind: Runner\nmetadata: {name: r}\nspec:\n  containers: []\n";
        let tree = plimsoll_yaml::parse_yaml(yaml);
        let objects = crate::objects_with(&tree, &kinds);
        assert!(objects[0].pod_spec.is_some(), "the Knative Service");
        assert_eq!(pod_labels(&tree, &objects[0]), Some(vec![("app".to_string(), "k".to_string())]));
        assert!(objects[1].pod_spec.is_none(), "a core Service");
        assert_eq!(objects[2].pod_template, Some(objects[2].node), "a pod spec at the top");
        assert!(crate::objects(&tree)[0].pod_spec.is_none(), "not configured");
    }
}
