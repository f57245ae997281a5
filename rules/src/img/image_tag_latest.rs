use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::ImageUse;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags image references pinned to the `latest` tag without a digest: Dockerfile `FROM`, `COPY --from=`
    /// and `RUN --mount=from=`, Compose `image:`, and the `image:` of Kubernetes containers.
    ///
    /// ## Why is this bad?
    /// `latest` is a moving pointer: every build may pull a different image, with different packages,
    /// vulnerabilities and behaviour, and a compromised or mistaken push to `latest` flows straight into your
    /// images. Builds are not reproducible and reviews cannot tell what was deployed. Pin a version tag, and
    /// ideally a digest.
    ///
    /// References resolved through `ARG` defaults are checked too (`ARG TAG=latest` then `FROM node:$TAG`), and
    /// so are Compose interpolation defaults (`image: node:${TAG:-latest}`); a reference that depends on a
    /// variable without a default is not. A Compose service that has a `build:` section is not checked:
    /// its `image:` names the image the build produces, not one that is pulled.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim@sha256:4e2b5d3b3ca9c8d9fd1e3d8b1b3f7f14b3d16a1b6a3a2e4d0c1f5e6a7b8c9d0e1
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: nginx:latest
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: nginx:1.27-alpine
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
    ///       image: nginx:latest
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
    ///       image: nginx:1.27-alpine
    /// ```
    ///
    /// ## References
    /// - [Docker: image tags and digests](https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier)
    /// - CIS Docker Benchmark v1.6.0, 5.28
    code: "IMG001",
    name: "image-tag-latest",
    family: Img,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: [
        "DL3007", "CKV_DOCKER_7", "DS-0001", "f45ea400-6bbe-4501-9fc7-1c3d75c32067", "latest_tag", "DKL-DI-0006",
        "service-image-require-explicit-tag", "CKV_K8S_14", "KSV-0013", "latest-tag", "container-image-tag",
        "tagNotSpecified",
    ],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let Some(reference) = image.image() else { return };
    if reference.tag.as_deref() != Some("latest") || reference.digest.is_some() {
        return;
    }
    let emit = r.report(image.range, format!("Image `{reference}` uses the mutable `latest` tag")).help(
        help::for_format(
            image.format,
            "Pin a version tag, and a digest for reproducible builds: `FROM name:1.2.3@sha256:…`.",
            "Pin a version tag, and a digest for reproducible deployments: `image: name:1.2.3@sha256:…`.",
            "Pin a version tag, and a digest for reproducible deployments: `image: name:1.2.3@sha256:…`.",
        ),
    );
    if let Some(via) = image.via {
        emit.label(via, "the tag comes from this default");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, compose_spans, cron_job_running, lint, lint_compose, pod_running,
        spans,
    };
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn latest_in_every_image_position() {
        assert_eq!(spans(&RULE, "FROM ubuntu:latest\n"), ["ubuntu:latest"]);
        assert_eq!(
            spans(&RULE, "FROM docker.io/library/ubuntu:latest AS base\n"),
            ["docker.io/library/ubuntu:latest"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\n"),
            ["nginx:latest"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN --mount=type=bind,from=tools:latest,target=/t make\n"),
            ["tools:latest"]
        );
    }

    #[test]
    fn arg_defaults_are_followed_and_labelled() {
        let text = "ARG TAG=latest\nFROM node:$TAG\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "node:$TAG");
        assert_eq!(found[0].labels[0].range.slice(text), "latest");
    }

    #[test]
    fn pinned_and_unresolved_references_pass() {
        assert_clean(&RULE, "FROM ubuntu:24.04\n");
        assert_clean(
            &RULE,
            "FROM ubuntu:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
        assert_clean(&RULE, "ARG TAG\nFROM node:$TAG\n");
        assert_clean(&RULE, "FROM a:1 AS latest\nFROM latest\n");
        assert_clean(&RULE, "FROM scratch\n");
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  web:\n    image: nginx:latest\n  db:\n    image: \"postgres:latest\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["nginx:latest", "postgres:latest"]);
        let yaml = "services:\n  web:\n    image: nginx:${TAG:-latest}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["nginx:${TAG:-latest}"]);
        let found = lint_compose(&RULE, yaml);
        assert_eq!(found[0].message, "Image `nginx:latest` uses the mutable `latest` tag");
        assert!(found[0].help.as_deref().unwrap().contains("`image: name:1.2.3@sha256:…`"));
    }

    #[test]
    fn compose_services_sharing_an_image_line_get_one_finding() {
        let yaml = "services:\n  base:\n    image: redis:latest\n  replica:\n    extends: base\n";
        assert_eq!(compose_spans(&RULE, yaml), ["redis:latest"]);
    }

    #[test]
    fn compose_built_pinned_and_unresolved_images_pass() {
        // With `build:`, `image:` names the image the build produces.
        assert_compose_clean(&RULE, "services:\n  app:\n    build: .\n    image: acme/app:latest\n");
        assert_compose_clean(&RULE, "services:\n  web:\n    image: nginx:1.27\n");
        assert_compose_clean(
            &RULE,
            "services:\n  web:\n    image: nginx:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
        assert_compose_clean(&RULE, "services:\n  web:\n    image: nginx:${TAG}\n");
        assert_compose_clean(&RULE, "services:\n  web:\n    image: nginx\n");
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = pod_running("\"nginx:latest\"");
        assert_eq!(k8s_spans(&RULE, &yaml), ["nginx:latest"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Image `nginx:latest` uses the mutable `latest` tag");
        assert!(found[0].help.as_deref().unwrap().contains("`image: name:1.2.3@sha256:…`"));
        assert_eq!(
            k8s_spans(&RULE, &cron_job_running("busybox:latest", "'ghcr.io/org/app:latest'")),
            ["busybox:latest", "ghcr.io/org/app:latest"]
        );
    }

    #[test]
    fn kubernetes_versions_digests_and_templates_pass() {
        assert_k8s_clean(&RULE, &pod_running("nginx:1.27"));
        assert_k8s_clean(
            &RULE,
            &pod_running(
                "nginx:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            ),
        );
        // Filled in by envsubst or a similar tool before the manifest is applied.
        assert_k8s_clean(&RULE, &pod_running("${IMAGE}"));
    }
}
