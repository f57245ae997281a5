use plimsoll_kubernetes::string;
use plimsoll_linter::{Check, KubernetesCtx, Reporter, declare_rule};
use plimsoll_model::ImageSpec;

use crate::support::pods;

declare_rule! {
    /// ## What it does
    /// Flags Kubernetes containers whose image is a mutable tag and whose `imagePullPolicy` is not `Always`:
    /// `IfNotPresent` or `Never` written out, or no policy for a tag other than `latest` (which defaults to
    /// `IfNotPresent`).
    ///
    /// Images pinned by digest are not reported, since they cannot change. The rule is off by default:
    /// pinning images by digest (`image-not-pinned-by-digest`, IMG003) is the stronger fix, and `Always`
    /// adds a registry round trip to every pod start.
    ///
    /// ## Why is this bad?
    /// With `IfNotPresent`, a node starts whatever it cached under the tag the first time it pulled it. A
    /// tag republished with a security fix never reaches nodes that already have the old image, different
    /// nodes run different images under the same name, and an image cached by one workload can be started
    /// by any pod on that node without the registry checking its pull credentials. `Always` makes the
    /// kubelet ask the registry which image the tag names at every start (layers already present are not
    /// downloaded again).
    ///
    /// ## Example
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       imagePullPolicy: IfNotPresent
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       imagePullPolicy: Always
    /// ```
    ///
    /// ## References
    /// - [Images: image pull policy](https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy)
    /// - [Admission controllers: AlwaysPullImages](https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages)
    code: "IMG030",
    name: "image-pull-policy-not-always",
    family: Img,
    severity: Info,
    default_enabled: false,
    formats: [Kubernetes],
    aliases: ["CKV_K8S_15", "pullPolicyNotAlways", "container-image-pull-policy"],
    checks: [Check::Kubernetes(check)],
}

const HELP: &str = "Set `imagePullPolicy: Always`, or pin the image by digest (`name:tag@sha256:…`).";

fn check(ctx: &KubernetesCtx, r: &mut Reporter) {
    let tree = ctx.tree;
    for pod in pods::pod_specs(ctx) {
        for container in pods::containers(tree, pod.spec) {
            let Some(image) = tree.get(container, "image").and_then(|i| string(tree, i)) else { continue };
            let tag = match ImageSpec::from_text(&image.value) {
                ImageSpec::Ref(r) | ImageSpec::Invalid { lenient: r, .. } if r.digest.is_none() => r.tag,
                _ => continue,
            };
            match tree.get(container, "imagePullPolicy").and_then(|p| string(tree, p)) {
                Some(policy) if policy.value == "IfNotPresent" || policy.value == "Never" => {
                    r.report(
                        policy.range,
                        format!(
                            "Nodes start a cached copy of the mutable tag `{}` (`imagePullPolicy: {}`)",
                            image.value, policy.value
                        ),
                    )
                    .help(HELP);
                }
                Some(_) => {}
                // Without a policy, `latest` and untagged images are pulled `Always`; other tags are not.
                None if tag.as_deref().is_some_and(|t| t != "latest") => {
                    r.report(
                        pods::container_anchor(tree, container),
                        format!(
                            "Nodes start a cached copy of the mutable tag `{}`, since no `imagePullPolicy` is set",
                            image.value
                        ),
                    )
                    .help(HELP);
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

    #[test]
    fn explicit_policies_point_at_the_value_and_defaults_at_the_container() {
        let yaml = pod("", "      imagePullPolicy: IfNotPresent\n");
        assert_eq!(k8s_spans(&RULE, &yaml), ["IfNotPresent"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Nodes start a cached copy of the mutable tag `nginx:1.27` (`imagePullPolicy: IfNotPresent`)"
        );
        assert_eq!(k8s_spans(&RULE, &pod("", "      imagePullPolicy: \"Never\"\n")), ["Never"]);
        let yaml = pod("", "");
        assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
        assert_eq!(
            lint_k8s(&RULE, &yaml)[0].message,
            "Nodes start a cached copy of the mutable tag `nginx:1.27`, since no `imagePullPolicy` is set"
        );
        // `latest` explicitly set to IfNotPresent is cached too.
        let yaml = pod("", "      imagePullPolicy: IfNotPresent\n").replace("nginx:1.27", "nginx:latest");
        assert_eq!(k8s_spans(&RULE, &yaml), ["IfNotPresent"]);
    }

    #[test]
    fn always_digests_and_latest_defaults_pass() {
        assert_k8s_clean(&RULE, &pod("", "      imagePullPolicy: Always\n"));
        let digest = "nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000";
        assert_k8s_clean(
            &RULE,
            &pod("", "      imagePullPolicy: IfNotPresent\n").replace("nginx:1.27", digest),
        );
        assert_k8s_clean(&RULE, &pod("", "").replace("nginx:1.27", "nginx:latest"));
        assert_k8s_clean(&RULE, &pod("", "").replace("nginx:1.27", "nginx"));
        assert_k8s_clean(
            &RULE,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n",
        );
    }
}
