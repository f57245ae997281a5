use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::rbac;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update` or `patch` on `pods` or on the workloads
    /// that create pods: `deployments`, `statefulsets`, `daemonsets`, `replicasets`,
    /// `replicationcontrollers`, `jobs` and `cronjobs`.
    ///
    /// ## Why is this bad?
    /// Whoever can create a pod, or change the pod template of a workload, chooses what runs in it: any
    /// image, any command, any ServiceAccount of the namespace (and so that account's permissions and
    /// token), any Secret or ConfigMap of the namespace mounted as a file, and, where Pod Security admission
    /// does not stop it, privileged containers and host mounts that reach the node. Changing a pod's
    /// image (`update`, `patch`) is the same. The permission is an escalation path to everything the
    /// namespace holds, so it belongs to deployment tooling, not to the workloads themselves.
    ///
    /// A rule limited with `resourceNames` passes (`create` cannot be limited by name; `update` and `patch`
    /// then reach only the named objects). A `*` verb or resource that implies creating pods is reported by
    /// RBAC001 instead, at the `*`.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: worker
    ///   namespace: jobs
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["jobs"]
    ///     verbs: ["get", "list", "create"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: worker
    ///   namespace: jobs
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["jobs"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: RBAC good practices, workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [Kubernetes: Pod Security admission](https://kubernetes.io/docs/concepts/security/pod-security-admission/)
    /// - CIS Kubernetes Benchmark, 5.1.4 "Minimize access to create pods"
    code: "RBAC003",
    name: "pod-creation-granted",
    family: Rbac,
    severity: Warning,
    formats: [Kubernetes],
    aliases: ["access-to-create-pods", "KSV-0048"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    rbac::each_hit(ctx, &rbac::POD_CREATION, |role, _, hit| {
        let (kind, scope, verbs) = (role.kind(), role.scope(), hit.verb_list());
        let message = match hit.resource.value.as_str() {
            "pods" if hit.has_verb("create") => {
                format!("{kind} can {verbs} pods {scope}, running any image as any service account there")
            }
            "pods" => format!("{kind} can {verbs} pods {scope}, replacing the images they run"),
            resource => {
                format!("{kind} can {verbs} `{resource}` {scope}, which run pods from any template")
            }
        };
        r.report(hit.resource.range, message).help(
            "Leave creating pods and workloads to deployment tooling; grant the workload `get`, `list` and `watch` only, and enforce Pod Security admission where pods can be created",
        );
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::support::rbac::fixtures::{cluster_role, role};
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn pods_and_workloads() {
        let yaml = role("  - apiGroups: [\"\"]\n    resources: [pods, pods/log]\n    verbs: [get, create]\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["pods"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `create` pods in its namespace, running any image as any service account there"
        );
        let yaml = cluster_role(
            "  - apiGroups: [apps, batch]\n    resources: [deployments, jobs, \"daemonsets\"]\n    verbs: [patch]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["deployments", "jobs", "daemonsets"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "ClusterRole can `patch` `deployments` in the cluster, which run pods from any template"
        );
        let yaml = role("  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: [update]\n");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Role can `update` pods in its namespace, replacing the images they run"
        );
    }

    #[test]
    fn reading_other_groups_names_and_wildcards_pass() {
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [\"\", apps]\n    resources: [pods, deployments]\n    verbs: [get, list, watch, delete]\n",
            ),
        );
        // `jobs` of another API group, `deployments/scale` subresource, deployments in the core group.
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [example.com]\n    resources: [jobs]\n    verbs: [create]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [apps]\n    resources: [deployments/scale]\n    verbs: [patch]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role("  - apiGroups: [\"\"]\n    resources: [deployments]\n    verbs: [create]\n"),
        );
        assert_k8s_clean(
            &RULE,
            &role(
                "  - apiGroups: [apps]\n    resources: [deployments]\n    resourceNames: [web]\n    verbs: [patch]\n",
            ),
        );
        assert_k8s_clean(&RULE, &role("  - apiGroups: [\"\"]\n    resources: [pods]\n    verbs: ['*']\n"));
    }
}
