use plimsoll_kubernetes::{boolean, entry_range, integer, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_yaml::NodeId;

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags OpenShift SecurityContextConstraints that admit pods able to break out of their isolation,
    /// with one finding per permissive field:
    /// - `allowPrivilegedContainer: true` (privileged containers);
    /// - `allowHostNetwork: true`, `allowHostPID: true`, `allowHostIPC: true` (the node's namespaces);
    /// - `allowHostDirVolumePlugin: true` (hostPath volumes);
    /// - `runAsUser.type: RunAsAny` (any user, root included), or a `runAsUser` that forces UID 0
    ///   (`type: MustRunAs` with `uid: 0`) or whose range starts at 0 (`uidRangeMin: 0`).
    ///
    /// Fields that widen what a pod may do inside its own isolation (`allowHostPorts`,
    /// `allowPrivilegeEscalation`, `allowedCapabilities`) are not reported by this rule.
    ///
    /// The rule is off by default, as in kube-linter: OpenShift ships such constraints itself
    /// (`privileged`, `hostaccess`, `hostnetwork`, `anyuid`), and an operator that defines its own usually
    /// needs it for a node agent. Enable it to review every constraint a repository adds to a cluster.
    ///
    /// ## Why is this bad?
    /// A SecurityContextConstraints object decides what the pods of the users and service accounts it is
    /// granted to may ask for. Each field above lets those pods reach the node: a privileged container
    /// has every device and capability, the node's network, process and IPC namespaces expose its
    /// traffic, processes and shared memory, a hostPath volume hands over any directory of the node, and
    /// a root user turns any of these into full control. Whoever can use the constraint, or create pods
    /// as a service account granted it, gets that power.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: security.openshift.io/v1
    /// kind: SecurityContextConstraints
    /// metadata:
    ///   name: agent
    /// allowPrivilegedContainer: true
    /// allowHostNetwork: false
    /// runAsUser:
    ///   type: MustRunAsRange
    /// seLinuxContext:
    ///   type: MustRunAs
    /// users:
    ///   - system:serviceaccount:monitoring:agent
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: security.openshift.io/v1
    /// kind: SecurityContextConstraints
    /// metadata:
    ///   name: agent
    /// allowPrivilegedContainer: false
    /// allowHostNetwork: false
    /// requiredDropCapabilities: [ALL]
    /// runAsUser:
    ///   type: MustRunAsRange
    /// seLinuxContext:
    ///   type: MustRunAs
    /// users:
    ///   - system:serviceaccount:monitoring:agent
    /// ```
    ///
    /// ## References
    /// - [OpenShift: managing security context constraints](https://docs.redhat.com/en/documentation/openshift_container_platform/4.18/html/authentication_and_authorization/managing-pod-security-policies)
    /// - [OpenShift API: SecurityContextConstraints](https://docs.redhat.com/en/documentation/openshift_container_platform/4.18/html/security_apis/securitycontextconstraints-security-openshift-io-v1)
    code: "ISO051",
    name: "scc-allows-privileged",
    family: Iso,
    severity: Warning,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["scc-deny-privileged-container"],
    checks: [Check::Kubernetes(check)],
}

/// The switches that open the node to the pods, with what each admits.
const SWITCHES: [(&str, &str); 5] = [
    ("allowPrivilegedContainer", "privileged containers, which have every capability and device of the node"),
    ("allowHostNetwork", "pods in the node's network namespace"),
    ("allowHostPID", "pods in the node's process namespace"),
    ("allowHostIPC", "pods in the node's IPC namespace"),
    ("allowHostDirVolumePlugin", "hostPath volumes, which mount directories of the node"),
];

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for scc in pods::objects_of_kind(ctx, &["SecurityContextConstraints"]) {
        for (key, admits) in SWITCHES {
            if tree.get(scc.node, key).and_then(|v| boolean(tree, v)) != Some(true) {
                continue;
            }
            let Some(range) = entry_range(tree, scc.node, key) else { continue };
            r.report(range, format!("SecurityContextConstraints admits {admits}")).help(format!(
                "Set `{key}: false`; leave this to a constraint granted only to the service accounts that need \
                 it."
            ));
        }
        if let Some(run_as_user) = tree.get(scc.node, "runAsUser") {
            check_run_as_user(ctx, run_as_user, r);
        }
    }
}

/// `runAsUser` that admits root: any user, a fixed UID 0, or a range from 0.
fn check_run_as_user(ctx: &KubernetesCtx, run_as_user: NodeId, r: &mut Reporter) {
    let tree = ctx.tree;
    let kind = tree.get(run_as_user, "type").and_then(|t| string(tree, t)).map(|t| t.value);
    let (key, message) = match kind.as_deref() {
        Some("RunAsAny") => {
            ("type", "SecurityContextConstraints admits containers running as any user, root included")
        }
        Some("MustRunAs") => ("uid", "SecurityContextConstraints makes containers run as root"),
        Some("MustRunAsRange") => {
            ("uidRangeMin", "SecurityContextConstraints admits root: its user ID range starts at 0")
        }
        _ => return,
    };
    let value = tree.get(run_as_user, key);
    if key != "type" && value.and_then(|v| integer(tree, v)) != Some(0) {
        return;
    }
    let Some(range) = entry_range(tree, run_as_user, key) else { return };
    r.report(range, message).help(
        "Set `runAsUser.type: MustRunAsRange` (the namespace's range) or `MustRunAsNonRoot`, so that no container \
         runs as root.",
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    fn scc(body: &str) -> String {
        format!(
            "apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata:\n  name: agent\n{body}"
        )
    }

    #[test]
    fn every_permissive_switch_is_a_finding_of_its_own() {
        let yaml = scc(
            "allowHostDirVolumePlugin: true\nallowHostIPC: true\nallowHostNetwork: true\nallowHostPID: true\nallowHostPorts: true\nallowPrivilegedContainer: true\n",
        );
        assert_eq!(
            k8s_spans(&RULE, &yaml),
            [
                "allowHostDirVolumePlugin: true",
                "allowHostIPC: true",
                "allowHostNetwork: true",
                "allowHostPID: true",
                "allowPrivilegedContainer: true"
            ]
        );
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[4].message,
            "SecurityContextConstraints admits privileged containers, which have every capability and device of \
             the node"
        );
        assert_eq!(
            found[4].help.as_deref(),
            Some(
                "Set `allowPrivilegedContainer: false`; leave this to a constraint granted only to the service \
                 accounts that need it."
            )
        );
    }

    #[test]
    fn users_that_admit_root() {
        let yaml = scc("runAsUser:\n  type: RunAsAny\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["type: RunAsAny"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "SecurityContextConstraints admits containers running as any user, root included"
        );
        assert_eq!(k8s_spans(&RULE, &scc("runAsUser: {type: MustRunAs, uid: 0}\n")), ["uid: 0"]);
        assert_eq!(
            k8s_spans(&RULE, &scc("runAsUser: {type: MustRunAsRange, uidRangeMin: 0, uidRangeMax: 65535}\n")),
            ["uidRangeMin: 0"]
        );
    }

    #[test]
    fn restrictive_constraints_and_other_kinds_pass() {
        assert_k8s_clean(
            &RULE,
            &scc(
                "allowPrivilegedContainer: false\nallowHostNetwork: false\nallowHostPorts: true\nrunAsUser:\n  type: MustRunAsRange\n",
            ),
        );
        assert_k8s_clean(&RULE, &scc("runAsUser: {type: MustRunAs, uid: 1000}\n"));
        assert_k8s_clean(&RULE, &scc("runAsUser: {type: MustRunAsNonRoot}\nallowHostPID: \"true\"\n"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  allowPrivilegedContainer: \"true\"\n",
        );
    }
}
