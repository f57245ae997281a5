use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags pods that write their own name resolution entries with `spec.hostAliases`.
    ///
    /// ## Why is this bad?
    /// `hostAliases` adds lines to the pod's `/etc/hosts`, which the resolver consults before DNS: the
    /// listed names go to the pinned addresses whatever DNS says. The addresses go stale silently when a
    /// service moves, and the override is invisible to whoever manages the cluster's DNS, so it is also a
    /// quiet way to send a trusted name (a registry, an API, a database) to another address. Names are
    /// better resolved through DNS: a Service, an `ExternalName` Service or the cluster DNS configuration.
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   hostAliases:
    ///     - ip: 10.0.3.7
    ///       hostnames: [db.example.internal]
    ///   containers:
    ///     - name: api
    ///       image: example/api:4.2
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.example.internal
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:4.2
    /// ```
    ///
    /// ## References
    /// - [Adding entries to Pod /etc/hosts with HostAliases](https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/)
    /// - [Service: ExternalName](https://kubernetes.io/docs/concepts/services-networking/service/#externalname)
    code: "NET014",
    name: "host-aliases-set",
    family: Net,
    severity: Info,
    formats: [Kubernetes],
    aliases: ["KSV-0007"],
    checks: [Check::Kubernetes(check)],
}

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        let Some(entry) = tree.entry(pod.spec, "hostAliases") else { continue };
        let count = tree.items(entry.value).len();
        if count == 0 {
            continue;
        }
        let what = if count == 1 { "an entry".to_string() } else { format!("{count} entries") };
        r.report(
            tree.node(entry.key).range,
            format!("Pod overrides name resolution with {what} in `/etc/hosts`"),
        )
        .help(
            "Resolve the names through DNS instead: a Service, an `ExternalName` Service or the cluster's \
                 DNS configuration.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn host_aliases_point_at_the_key() {
        let yaml = pod(
            "  hostAliases:\n    - ip: 127.0.0.1\n      hostnames: [foo.local]\n    - {ip: 10.1.2.3, hostnames: [bar]}\n",
            "",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["hostAliases"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Pod overrides name resolution with 2 entries in `/etc/hosts`"
        );
        let yaml = pod("  hostAliases: [{ip: 10.1.2.3, hostnames: [bar]}]\n", "");
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Pod overrides name resolution with an entry in `/etc/hosts`"
        );
    }

    #[test]
    fn empty_or_absent_pass() {
        assert_k8s_clean(&RULE, &pod("  hostAliases: []\n", ""));
        assert_k8s_clean(&RULE, &pod("", ""));
    }
}
