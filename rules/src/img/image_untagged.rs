use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::ImageUse;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags image references with neither a tag nor a digest (`FROM ubuntu`, Compose or Kubernetes
    /// `image: redis`), which Docker and Kubernetes resolve to `latest`.
    ///
    /// ## Why is this bad?
    /// An image without a tag silently means `latest`: every build or deployment may get a different image,
    /// and nothing in the file says which version was intended. Stage names (`FROM builder`), `scratch` and
    /// references that depend on a variable without a default are not flagged. A Compose service that has a
    /// `build:` section is not checked either: its `image:` names the image the build produces.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM ubuntu
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM ubuntu:24.04
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   cache:
    ///     image: redis
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   cache:
    ///     image: redis:7.4-alpine
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: redis
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
    ///       image: redis:7.4-alpine
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    code: "IMG002",
    name: "image-untagged",
    family: Img,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: [
        "DL3006", "CKV_DOCKER_7", "DS-0001", "9efb0b2d-89c9-41a3-91ca-dcc0aec911fd", "missing_tag",
        "service-image-require-explicit-tag", "CKV_K8S_14", "KSV-0013", "latest-tag", "container-image-tag",
        "tagNotSpecified",
    ],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let Some(reference) = image.image() else { return };
    if reference.tag.is_some() || reference.digest.is_some() {
        return;
    }
    let emit = r.report(image.range, format!("Image `{reference}` has no tag, so it means `latest`")).help(
        help::for_format(
            image.format,
            "Add a version tag, and a digest for reproducible builds: `FROM name:1.2.3@sha256:…`.",
            "Add a version tag, and a digest for reproducible deployments: `image: name:1.2.3@sha256:…`.",
            "Add a version tag, and a digest for reproducible deployments: `image: name:1.2.3@sha256:…`.",
        ),
    );
    if let Some(via) = image.via {
        emit.label(via, "the reference comes from this default");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, compose_spans, cron_job_running, lint_compose, pod_running, spans,
    };
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn untagged_references() {
        assert_eq!(spans(&RULE, "FROM ubuntu\n"), ["ubuntu"]);
        assert_eq!(spans(&RULE, "FROM --platform=$BUILDPLATFORM golang AS build\n"), ["golang"]);
        assert_eq!(spans(&RULE, "FROM localhost:5000/app\n"), ["localhost:5000/app"]);
        assert_eq!(spans(&RULE, "ARG BASE=debian\nFROM ${BASE}\n"), ["${BASE}"]);
        assert_eq!(spans(&RULE, "FROM a:1\nCOPY --from=busybox /bin/sh /sh\n"), ["busybox"]);
    }

    #[test]
    fn tags_digests_stages_and_variables_pass() {
        assert_clean(&RULE, "FROM ubuntu:24.04\n");
        assert_clean(
            &RULE,
            "FROM ubuntu@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
        assert_clean(&RULE, "FROM localhost:5000/app:1\n");
        assert_clean(&RULE, "FROM a:1 AS build\nFROM build\nCOPY --from=build /x /x\nCOPY --from=0 /y /y\n");
        assert_clean(&RULE, "FROM scratch\n");
        assert_clean(&RULE, "ARG IMAGE\nFROM $IMAGE\n");
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  cache:\n    image: redis\n  registry:\n    image: 'localhost:5000/app'\n";
        assert_eq!(compose_spans(&RULE, yaml), ["redis", "localhost:5000/app"]);
        let yaml = "services:\n  cache:\n    image: ${IMAGE:-redis}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["${IMAGE:-redis}"]);
        let found = lint_compose(&RULE, yaml);
        assert_eq!(found[0].message, "Image `redis` has no tag, so it means `latest`");
        assert!(found[0].help.as_deref().unwrap().contains("`image: name:1.2.3@sha256:…`"));
    }

    #[test]
    fn compose_built_tagged_and_unresolved_images_pass() {
        assert_compose_clean(&RULE, "services:\n  app:\n    build: ./app\n    image: acme/app\n");
        assert_compose_clean(&RULE, "services:\n  app:\n    build:\n      context: .\n    image: acme/app\n");
        assert_compose_clean(&RULE, "services:\n  cache:\n    image: redis:7.4\n");
        assert_compose_clean(&RULE, "services:\n  cache:\n    image: ${IMAGE}\n");
        assert_compose_clean(
            &RULE,
            "services:\n  cache:\n    image: redis@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = pod_running("redis");
        assert_eq!(k8s_spans(&RULE, &yaml), ["redis"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Image `redis` has no tag, so it means `latest`");
        assert!(found[0].help.as_deref().unwrap().contains("`image: name:1.2.3@sha256:…`"));
        assert_eq!(
            k8s_spans(&RULE, &cron_job_running("busybox", "\"registry.example.com:5000/team/app\"")),
            ["busybox", "registry.example.com:5000/team/app"]
        );
    }

    #[test]
    fn kubernetes_tags_digests_and_templates_pass() {
        assert_k8s_clean(&RULE, &pod_running("redis:7.4"));
        assert_k8s_clean(
            &RULE,
            &pod_running("redis@sha256:0000000000000000000000000000000000000000000000000000000000000000"),
        );
        assert_k8s_clean(&RULE, &pod_running("${REGISTRY}/app"));
    }
}
