use plimsoll_kubernetes::{Object, boolean, entry_range, integer, string};
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::Capabilities;
use plimsoll_yaml::{NodeId, Tree};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags PodSecurityPolicy objects (`policy/v1beta1`) that admit pods able to weaken their isolation,
    /// with one finding per permissive field:
    /// - `privileged: true`, `hostPID: true`, `hostIPC: true`, `hostNetwork: true`;
    /// - `allowPrivilegeEscalation` not `false` (it defaults to `true`);
    /// - `runAsUser.rule: RunAsAny`, or a `MustRunAs` range starting at 0 (root admitted);
    /// - `allowedCapabilities` or `defaultAddCapabilities` with a capability other than
    ///   `NET_BIND_SERVICE`, or `*`;
    /// - `requiredDropCapabilities` empty or missing, or dropping neither `ALL` nor `NET_RAW`;
    /// - `volumes` admitting `hostPath` (or `*`) without `allowedHostPaths` to limit it;
    /// - no default seccomp profile (annotation `seccomp.security.alpha.kubernetes.io/defaultProfileName`
    ///   missing or `unconfined`), or `allowedProfileNames` admitting `unconfined` or `*`.
    ///
    /// A setting written is reported at the setting; a missing one at the policy's name.
    ///
    /// ## Why is this bad?
    /// A PodSecurityPolicy is what the admission controller lets the pods of its users create: any pod
    /// whose author (or service account) may `use` it can ask for everything it admits. Privileged
    /// containers and the node's namespaces reach the node directly, hostPath volumes hand over its
    /// directories, setuid binaries and root users regain what the rest of the policy takes away, added
    /// or kept capabilities (`NET_RAW` forges packets on the pod network) widen what a compromised
    /// process may do, and without a default seccomp profile every system call stays open.
    ///
    /// PodSecurityPolicy was removed in Kubernetes 1.25; clusters that still run it should move to Pod
    /// Security admission (namespace labels `pod-security.kubernetes.io/enforce: restricted`), whose levels
    /// follow the same lines.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: policy/v1beta1
    /// kind: PodSecurityPolicy
    /// metadata:
    ///   name: apps
    ///   annotations:
    ///     seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default
    /// spec:
    ///   privileged: true
    ///   allowPrivilegeEscalation: false
    ///   requiredDropCapabilities: [ALL]
    ///   runAsUser:
    ///     rule: MustRunAsNonRoot
    ///   seLinux:
    ///     rule: RunAsAny
    ///   fsGroup:
    ///     rule: RunAsAny
    ///   supplementalGroups:
    ///     rule: RunAsAny
    ///   volumes: [configMap, secret, emptyDir, persistentVolumeClaim]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: policy/v1beta1
    /// kind: PodSecurityPolicy
    /// metadata:
    ///   name: apps
    ///   annotations:
    ///     seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default
    ///     seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default
    /// spec:
    ///   privileged: false
    ///   allowPrivilegeEscalation: false
    ///   requiredDropCapabilities: [ALL]
    ///   runAsUser:
    ///     rule: MustRunAsNonRoot
    ///   seLinux:
    ///     rule: RunAsAny
    ///   fsGroup:
    ///     rule: RunAsAny
    ///   supplementalGroups:
    ///     rule: RunAsAny
    ///   volumes: [configMap, secret, emptyDir, persistentVolumeClaim]
    /// ```
    ///
    /// ## References
    /// - [Pod Security Policies (Kubernetes v1.24 documentation)](https://v1-24.docs.kubernetes.io/docs/concepts/security/pod-security-policy/)
    /// - [Migrate from PodSecurityPolicy to the built-in PodSecurity admission controller](https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/)
    /// - [Pod Security Standards](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    code: "ISO052",
    name: "pod-security-policy-permissive",
    family: Iso,
    severity: Warning,
    formats: [Kubernetes],
    aliases: [
        "CKV_K8S_1", "CKV_K8S_2", "CKV_K8S_3", "CKV_K8S_4", "CKV_K8S_5", "CKV_K8S_6", "CKV_K8S_7",
        "CKV_K8S_24", "CKV_K8S_32", "CKV_K8S_36",
    ],
    checks: [Check::Kubernetes(check)],
}

/// The switches that open the node to the pods, with what each admits.
const SWITCHES: [(&str, &str); 4] = [
    ("privileged", "privileged containers, which have every capability and device of the node"),
    ("hostPID", "pods in the node's process namespace"),
    ("hostIPC", "pods in the node's IPC namespace"),
    ("hostNetwork", "pods in the node's network namespace"),
];

const DEFAULT_SECCOMP: &str = "seccomp.security.alpha.kubernetes.io/defaultProfileName";
const ALLOWED_SECCOMP: &str = "seccomp.security.alpha.kubernetes.io/allowedProfileNames";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for policy in pods::objects_of_kind(ctx, &["PodSecurityPolicy"]) {
        let Some(spec) = tree.get(policy.node, "spec") else { continue };
        for (key, admits) in SWITCHES {
            if tree.get(spec, key).and_then(|v| boolean(tree, v)) == Some(true)
                && let Some(range) = entry_range(tree, spec, key)
            {
                r.report(range, format!("PodSecurityPolicy admits {admits}")).help(format!(
                    "Set `{key}: false`; leave this to a separate policy that only the service accounts needing \
                     it may use."
                ));
            }
        }
        privilege_escalation(tree, policy, spec, r);
        run_as_user(tree, spec, r);
        added_capabilities(tree, spec, r);
        dropped_capabilities(tree, policy, spec, r);
        host_paths(tree, spec, r);
        seccomp(tree, policy, r);
    }
}

fn privilege_escalation(tree: &Tree, policy: &Object, spec: NodeId, r: &mut Reporter) {
    let help = "Set `allowPrivilegeEscalation: false`.";
    match tree.get(spec, "allowPrivilegeEscalation").map(|v| boolean(tree, v)) {
        Some(Some(true)) => {
            let Some(range) = entry_range(tree, spec, "allowPrivilegeEscalation") else { return };
            r.report(
                range,
                "PodSecurityPolicy admits containers that gain privileges through setuid binaries",
            )
            .help(help);
        }
        None => {
            r.report(
                policy.anchor,
                "PodSecurityPolicy admits containers that gain privileges through setuid binaries, since \
                 `allowPrivilegeEscalation` defaults to true",
            )
            .help(help);
        }
        Some(_) => {}
    }
}

/// `rule: RunAsAny`, or a `MustRunAs` range from UID 0. A policy without `runAsUser` is invalid and
/// never admits anything.
fn run_as_user(tree: &Tree, spec: NodeId, r: &mut Reporter) {
    let help = "Set `runAsUser.rule: MustRunAsNonRoot`, or `MustRunAs` with ranges that start above 0.";
    let Some(run_as_user) = tree.get(spec, "runAsUser") else { return };
    match tree.get(run_as_user, "rule").and_then(|v| tree.text(v)) {
        Some("RunAsAny") => {
            let Some(range) = entry_range(tree, run_as_user, "rule") else { return };
            r.report(range, "PodSecurityPolicy admits containers running as any user, root included")
                .help(help);
        }
        Some("MustRunAs") => {
            let ranges = tree.get(run_as_user, "ranges").map(|l| tree.items(l)).unwrap_or_default();
            for &uids in ranges {
                if tree.get(uids, "min").and_then(|m| integer(tree, m)) != Some(0) {
                    continue;
                }
                let Some(range) = entry_range(tree, uids, "min") else { continue };
                r.report(range, "PodSecurityPolicy admits root: a `runAsUser` range starts at 0").help(help);
            }
        }
        _ => {}
    }
}

/// Capabilities pods may add (`allowedCapabilities`) or get without asking (`defaultAddCapabilities`).
/// `NET_BIND_SERVICE` alone is what the restricted Pod Security level allows.
fn added_capabilities(tree: &Tree, spec: NodeId, r: &mut Reporter) {
    for key in ["allowedCapabilities", "defaultAddCapabilities"] {
        let Some(entry) = tree.entry(spec, key) else { continue };
        let names: Vec<String> = tree
            .items(entry.value)
            .iter()
            .filter_map(|&n| string(tree, n))
            .map(|n| if n.value.trim() == "*" { "*".to_string() } else { Capabilities::normalise(&n.value) })
            .filter(|n| n != "NET_BIND_SERVICE")
            .collect();
        if names.is_empty() {
            continue;
        }
        let listed = format!("`{}`", names.join("`, `"));
        let message = match (key, names.iter().any(|n| n == "*")) {
            ("allowedCapabilities", true) => {
                "PodSecurityPolicy lets containers add any capability".to_string()
            }
            ("allowedCapabilities", false) => format!("PodSecurityPolicy lets containers add {listed}"),
            (_, _) => format!("PodSecurityPolicy adds {listed} to every container"),
        };
        r.report(tree.node(entry.key).range, message).help(format!(
            "Remove `{key}` (or keep only `NET_BIND_SERVICE`); admit other capabilities only in a separate policy \
             for the workloads that need them."
        ));
    }
}

/// `requiredDropCapabilities` must take away at least `NET_RAW`; `ALL` is best.
fn dropped_capabilities(tree: &Tree, policy: &Object, spec: NodeId, r: &mut Reporter) {
    let help = "Set `requiredDropCapabilities: [ALL]`.";
    let entry = tree.entry(spec, "requiredDropCapabilities");
    let dropped: Vec<String> = entry
        .map(|e| tree.items(e.value))
        .unwrap_or_default()
        .iter()
        .filter_map(|&n| string(tree, n))
        .map(|n| Capabilities::normalise(&n.value))
        .collect();
    let key = entry.map(|e| tree.node(e.key).range);
    if dropped.is_empty() {
        r.report(
            key.unwrap_or(policy.anchor),
            "PodSecurityPolicy does not make containers drop any capability",
        )
        .help(help);
    } else if !dropped.iter().any(|c| c == "ALL" || c == "NET_RAW") {
        r.report(
            key.unwrap_or(policy.anchor),
            "PodSecurityPolicy lets containers keep `NET_RAW`, with which they forge packets on the pod network",
        )
        .help(help);
    }
}

/// `hostPath` (or every volume type, `*`) admitted without `allowedHostPaths`: any directory of the node.
fn host_paths(tree: &Tree, spec: NodeId, r: &mut Reporter) {
    let limited = tree.get(spec, "allowedHostPaths").is_some_and(|l| !tree.items(l).is_empty());
    let Some(volumes) = tree.get(spec, "volumes") else { return };
    if limited {
        return;
    }
    for &volume in tree.items(volumes) {
        let Some(kind) = string(tree, volume) else { continue };
        let message = match kind.value.trim() {
            "hostPath" => "PodSecurityPolicy admits hostPath volumes of any node directory",
            "*" => {
                "PodSecurityPolicy admits every volume type, hostPath volumes of any node directory included"
            }
            _ => continue,
        };
        r.report(kind.range, message).help(
            "List in `volumes` only the types pods need, without `hostPath`; or limit it with `allowedHostPaths` \
             (`pathPrefix`, `readOnly: true`).",
        );
    }
}

/// The legacy seccomp annotations: a default profile other than `unconfined`, and no way to opt out.
fn seccomp(tree: &Tree, policy: &Object, r: &mut Reporter) {
    let help = "Annotate the policy with `seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default`, \
                and allow only `runtime/default` or `localhost/…` profiles in `allowedProfileNames`.";
    let annotations = tree.path(policy.node, &["metadata", "annotations"]);
    let annotation = |key: &str| annotations.and_then(|a| tree.get(a, key)).and_then(|v| string(tree, v));
    match annotation(DEFAULT_SECCOMP) {
        None => {
            r.report(
                policy.anchor,
                "PodSecurityPolicy sets no default seccomp profile, so containers run without one",
            )
            .help(help);
        }
        Some(default) if default.value.trim() == "unconfined" => {
            r.report(default.range, "PodSecurityPolicy's default seccomp profile is `unconfined`").help(help);
        }
        Some(_) => {}
    }
    if let Some(allowed) = annotation(ALLOWED_SECCOMP)
        && allowed.value.split(',').any(|p| matches!(p.trim(), "*" | "unconfined"))
    {
        r.report(
            allowed.range,
            format!(
                "PodSecurityPolicy lets pods turn seccomp off (`allowedProfileNames: {}`)",
                allowed.value
            ),
        )
        .help(help);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    const RESTRICTED_SPEC: &str = "  privileged: false\n  allowPrivilegeEscalation: false\n  requiredDropCapabilities: [ALL]\n  runAsUser:\n    rule: MustRunAsNonRoot\n  seLinux:\n    rule: RunAsAny\n  fsGroup:\n    rule: RunAsAny\n  supplementalGroups:\n    rule: RunAsAny\n  volumes: [configMap, secret, emptyDir]\n";

    /// A restricted policy with `extra` appended to its spec.
    fn policy(extra: &str) -> String {
        format!(
            "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: apps\n  annotations:\n    seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default\nspec:\n{RESTRICTED_SPEC}{extra}"
        )
    }

    #[test]
    fn switches_point_at_the_setting() {
        let yaml = policy("  hostPID: true\n  hostIPC: true\n  hostNetwork: true\n  privileged: true\n");
        assert_eq!(
            k8s_spans(&RULE, &yaml),
            ["hostPID: true", "hostIPC: true", "hostNetwork: true", "privileged: true"]
        );
        assert_eq!(
            lint_k8s(&RULE, &yaml)[1].message,
            "PodSecurityPolicy admits pods in the node's IPC namespace"
        );
        assert_k8s_clean(&RULE, &policy("  hostPID: false\n  hostNetwork: \"true\"\n"));
    }

    #[test]
    fn privilege_escalation_is_allowed_unless_false() {
        let yaml = policy("").replace("  allowPrivilegeEscalation: false\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["apps"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "PodSecurityPolicy admits containers that gain privileges through setuid binaries, since \
             `allowPrivilegeEscalation` defaults to true"
        );
        assert_eq!(
            k8s_spans(&RULE, &policy("  allowPrivilegeEscalation: true\n")),
            ["allowPrivilegeEscalation: true"]
        );
    }

    #[test]
    fn root_users() {
        let yaml = policy("").replace("rule: MustRunAsNonRoot", "rule: RunAsAny");
        assert_eq!(k8s_spans(&RULE, &yaml), ["rule: RunAsAny"]);
        let ranges = "rule: MustRunAs\n    ranges:\n      - min: 0\n        max: 65535\n      - {min: 1000, max: 2000}";
        let yaml = policy("").replace("rule: MustRunAsNonRoot", ranges);
        assert_eq!(k8s_spans(&RULE, &yaml), ["min: 0"]);
        let yaml = policy("")
            .replace("rule: MustRunAsNonRoot", "rule: MustRunAs\n    ranges: [{min: 1, max: 65535}]");
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn capabilities_added_and_kept() {
        let yaml = policy(
            "  allowedCapabilities: [NET_BIND_SERVICE, cap_sys_admin, NET_RAW]\n  defaultAddCapabilities: [CHOWN]\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["allowedCapabilities", "defaultAddCapabilities"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "PodSecurityPolicy lets containers add `SYS_ADMIN`, `NET_RAW`");
        assert_eq!(found[1].message, "PodSecurityPolicy adds `CHOWN` to every container");
        let yaml = policy("  allowedCapabilities: ['*']\n");
        assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "PodSecurityPolicy lets containers add any capability");
        assert_k8s_clean(
            &RULE,
            &policy("  allowedCapabilities: [NET_BIND_SERVICE]\n  defaultAddCapabilities: []\n"),
        );

        let yaml =
            policy("").replace("requiredDropCapabilities: [ALL]", "requiredDropCapabilities: [SYS_ADMIN]");
        assert_eq!(k8s_spans(&RULE, &yaml), ["requiredDropCapabilities"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "PodSecurityPolicy lets containers keep `NET_RAW`, with which they forge packets on the pod network"
        );
        let yaml = policy("").replace("requiredDropCapabilities: [ALL]", "requiredDropCapabilities: []");
        assert_eq!(k8s_spans(&RULE, &yaml), ["requiredDropCapabilities"]);
        let yaml = policy("").replace("  requiredDropCapabilities: [ALL]\n", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["apps"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "PodSecurityPolicy does not make containers drop any capability"
        );
        assert_k8s_clean(&RULE, &policy("").replace("[ALL]", "[net_raw, MKNOD]"));
    }

    #[test]
    fn host_paths_without_limits() {
        let yaml =
            policy("").replace("volumes: [configMap, secret, emptyDir]", "volumes: [configMap, hostPath]");
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostPath"]);
        let yaml = policy("").replace("volumes: [configMap, secret, emptyDir]", "volumes: ['*']");
        assert_eq!(k8s_spans(&RULE, &yaml), ["*"]);
        let limited =
            "volumes: [hostPath]\n  allowedHostPaths:\n    - pathPrefix: /var/log\n      readOnly: true";
        assert_k8s_clean(&RULE, &policy("").replace("volumes: [configMap, secret, emptyDir]", limited));
    }

    #[test]
    fn seccomp_defaults_and_opt_outs() {
        let yaml = policy("").replace("runtime/default", "unconfined");
        assert_eq!(k8s_spans(&RULE, &yaml), ["unconfined"]);
        let yaml = policy("").replace("runtime/default", "runtime/default\n    seccomp.security.alpha.kubernetes.io/allowedProfileNames: 'runtime/default,*'");
        assert_eq!(k8s_spans(&RULE, &yaml), ["runtime/default,*"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "PodSecurityPolicy lets pods turn seccomp off (`allowedProfileNames: runtime/default,*`)"
        );
        let yaml = policy("").replace(
            "  annotations:\n    seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default\n",
            "",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["apps"]);
        assert_k8s_clean(&RULE, &policy("").replace("runtime/default", "localhost/profiles/app.json"));
        assert_k8s_clean(&RULE, &policy("").replace("runtime/default", "docker/default"));
    }

    #[test]
    fn restricted_policies_and_other_kinds_pass() {
        assert_k8s_clean(&RULE, &policy(""));
        assert_k8s_clean(
            &RULE,
            "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: empty\n",
        );
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers: []\n",
        );
    }
}
