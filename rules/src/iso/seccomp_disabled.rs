use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Profile, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers that run without seccomp filtering: Compose `security_opt: ["seccomp:unconfined"]`
    /// (or `seccomp=unconfined`), Kubernetes `seccompProfile.type: Unconfined` in the container's or the pod's
    /// securityContext.
    ///
    /// ## Why is this bad?
    /// The runtime's default seccomp profile blocks a few dozen system calls that containers have no use for
    /// and that a large share of kernel privilege-escalation exploits go through: `keyctl` and `add_key`,
    /// `bpf`, `userfaultfd`, `perf_event_open`, `kexec_load`, `init_module`, and the creation of new
    /// namespaces with `unshare` or `clone`. Unconfined, the whole kernel interface is reachable from the
    /// container, so a kernel bug that the profile would have kept out of reach becomes a path to the host.
    ///
    /// In Kubernetes the container's `seccompProfile` wins over the pod's, and where neither is set the
    /// pod's legacy annotations (`seccomp.security.alpha.kubernetes.io/pod`,
    /// `container.seccomp.security.alpha.kubernetes.io/<container>`) set to `unconfined` are reported too.
    /// A pod-level setting is reported once for the pod. Leaving the profile out is not reported: the kubelet
    /// then runs the container `Unconfined` unless it is configured to default to `RuntimeDefault`, which the
    /// manifest cannot show.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:unconfined
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   app:
    ///     image: example/app:1.0
    ///     security_opt:
    ///       - seccomp:./seccomp/app.json
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: Unconfined
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.0
    /// ```
    ///
    /// ## References
    /// - [Docker: seccomp security profiles](https://docs.docker.com/engine/security/seccomp/)
    /// - [Kubernetes: restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - CIS Docker Benchmark v1.6.0, 5.22 "Ensure that the default seccomp profile is not disabled"
    code: "ISO023",
    name: "seccomp-disabled",
    family: Iso,
    severity: Error,
    formats: [Compose, Kubernetes],
    aliases: ["404fde2c-bc4b-4371-9747-7054132ac953", "KSV-0104"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let (Setting::Explicit(Profile::Unconfined, range) | Setting::Inherited(Profile::Unconfined, range)) =
        container.runtime.seccomp
    else {
        return;
    };
    r.report(range, "Container runs without a seccomp profile, with every system call available").help(
        help::for_format(
            container.format,
            "Keep the runtime's default seccomp profile.",
            "Remove `seccomp:unconfined`; if the default profile blocks a call the service needs, use a copy of \
             it that allows just that call (`seccomp:./profile.json`).",
            "Set `securityContext.seccompProfile.type: RuntimeDefault`, or `Localhost` with a profile that \
             allows just the calls the container needs.",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, assert_k8s_clean, compose_spans, k8s_spans, pod};

    #[test]
    fn unconfined_points_at_the_option() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt:\n      - seccomp:unconfined\n";
        assert_eq!(compose_spans(&RULE, yaml), ["seccomp:unconfined"]);
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt: [\"seccomp=unconfined\", no-new-privileges]\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"seccomp=unconfined\""]);
    }

    #[test]
    fn the_last_seccomp_option_wins() {
        let yaml = "services:\n  a:\n    image: x:1\n    security_opt:\n      - seccomp:./p.json\n      - seccomp:unconfined\n";
        assert_eq!(compose_spans(&RULE, yaml), ["seccomp:unconfined"]);
    }

    #[test]
    fn default_and_custom_profiles_pass() {
        for option in
            ["seccomp:default", "seccomp=./profile.json", "seccomp:${PROFILE}", "apparmor:unconfined"]
        {
            assert_compose_clean(
                &RULE,
                &format!("services:\n  a:\n    image: x:1\n    security_opt:\n      - {option}\n"),
            );
        }
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n");
    }

    #[test]
    fn kubernetes_unconfined_field_points_at_the_type() {
        let yaml = pod("", "      securityContext:\n        seccompProfile:\n          type: Unconfined\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["Unconfined"]);
        // The pod's profile covers both containers and is reported once.
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    seccompProfile: {type: \"Unconfined\"}\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: y:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["Unconfined"]);
    }

    #[test]
    fn kubernetes_container_profile_wins_over_the_pod() {
        let yaml = pod(
            "  securityContext:\n    seccompProfile:\n      type: Unconfined\n",
            "      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n",
        );
        assert_k8s_clean(&RULE, &yaml);
        let yaml = pod(
            "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n",
            "      securityContext:\n        seccompProfile:\n          type: Unconfined\n",
        );
        assert_eq!(k8s_spans(&RULE, &yaml), ["Unconfined"]);
    }

    #[test]
    fn kubernetes_legacy_annotations() {
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        seccomp.security.alpha.kubernetes.io/pod: unconfined\n    spec:\n      containers:\n        - name: app\n          image: x:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["unconfined"]);
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.seccomp.security.alpha.kubernetes.io/app: \"unconfined\"\nspec:\n  containers:\n    - name: app\n      image: x:1\n    - name: other\n      image: y:1\n";
        assert_eq!(k8s_spans(&RULE, yaml), ["unconfined"]);
        let yaml = yaml.replace("\"unconfined\"", "runtime/default");
        assert_k8s_clean(&RULE, &yaml);
    }

    #[test]
    fn kubernetes_default_localhost_and_missing_profiles_pass() {
        for ty in ["RuntimeDefault", "Localhost\n          localhostProfile: profiles/app.json"] {
            let yaml =
                pod("", &format!("      securityContext:\n        seccompProfile:\n          type: {ty}\n"));
            assert_k8s_clean(&RULE, &yaml);
        }
        assert_k8s_clean(&RULE, &pod("", ""));
    }
}
