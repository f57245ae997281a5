//! Where each workload kind keeps its pod spec.

use plimsoll_yaml::{NodeId, Tree};

use crate::Object;

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

/// Whether some plimsoll check reads objects of this kind: workloads, and the kinds that configure their
/// isolation and exposure. Other kinds (custom resources, ConfigMaps, …) are skipped, and said to be.
pub fn is_checked_kind(kind: &str) -> bool {
    pod_spec_path(kind).is_some()
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
        )
}

pub(crate) fn pod_spec(tree: &Tree, object: &Object) -> Option<NodeId> {
    tree.path(object.node, pod_spec_path(&object.kind.value)?)
}

/// The metadata of the pod a workload runs: the Pod's own, or its template's (annotations that configure
/// the pod, such as AppArmor profiles, live there).
pub fn pod_template_metadata(tree: &Tree, object: &Object) -> Option<NodeId> {
    let path = pod_spec_path(&object.kind.value)?;
    let (_, template) = path.split_last()?;
    match template {
        [] => tree.get(object.node, "metadata"),
        template => tree.path(object.node, template).and_then(|t| tree.get(t, "metadata")),
    }
}

/// A Kustomize or strategic-merge patch rather than a whole object: a Deployment, StatefulSet, DaemonSet
/// or ReplicaSet without the `spec.selector` the API server requires. The object it patches holds the rest
/// of its containers: a container without an image is an override, whose missing settings may be set
/// there.
pub(crate) fn is_patch(tree: &Tree, object: &Object) -> bool {
    matches!(object.kind.value.as_str(), "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        && tree.path(object.node, &["spec", "selector"]).is_none()
}

/// The labels of the pod a workload runs; `None` for kinds that run no pod.
pub fn pod_labels(tree: &Tree, object: &Object) -> Option<Vec<(String, String)>> {
    pod_spec_path(&object.kind.value)?;
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
            let spec = pod_spec(&tree, object).unwrap_or_else(|| panic!("{kind}"));
            assert!(tree.get(spec, "containers").is_some(), "{kind}");
        }
        assert_eq!(pod_spec_path("Service"), None);
    }
}
