use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::ImageUse;

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags image references that name a tag but no digest (`python:3.13-slim` rather than
    /// `python:3.13-slim@sha256:…`), in `FROM`, `COPY --from=`, `RUN --mount=from=`, Compose `image:` and
    /// the `image:` of Kubernetes containers. Off by default: enable it where policy requires every image to
    /// be pinned by digest.
    ///
    /// ## Why is this bad?
    /// A tag is a name the publisher (or anyone who takes over the repository or the registry account) can
    /// point at different content at any time. Two builds from the same file may get different images, and a
    /// malicious push to a tag you use flows into your next build unnoticed. A digest names the exact content:
    /// the registry cannot serve anything else under it. Keep the tag next to the digest for readers and for
    /// update tools (Dependabot, Renovate), which update both together.
    ///
    /// References without a tag are left to `image-untagged`; `scratch`, build stages and references that
    /// depend on a variable without a value are not checked, nor is the `image:` of a Compose service that
    /// has a `build:` section (it names the built image). Any digest algorithm counts as pinned.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:3.13-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim@sha256:4e2b5d3b3ca9c8d9fd1e3d8b1b3f7f14b3d16a1b6a3a2e4d0c1f5e6a7b8c9d0e
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   db:
    ///     image: postgres:17.2
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   db:
    ///     image: postgres:17.2@sha256:87ec5e0a167dc7d4831729f9e1d2ee7b8597dcc49ccd9e43cc5f89e808d2adae
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
    ///       image: postgres:17.2
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
    ///       image: postgres:17.2@sha256:87ec5e0a167dc7d4831729f9e1d2ee7b8597dcc49ccd9e43cc5f89e808d2adae
    /// ```
    ///
    /// ## References
    /// - [Docker: pull an image by digest](https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier)
    /// - [Docker build best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
    code: "IMG003",
    name: "image-not-pinned-by-digest",
    family: Img,
    severity: Info,
    default_enabled: false,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["CKV_K8S_43"],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let Some(reference) = image.image() else { return };
    if reference.tag.is_none() || reference.digest.is_some() {
        return;
    }
    let emit = r.report(image.range, format!("Image `{reference}` is not pinned by digest")).help(help::for_format(
        image.format,
        "Add the digest after the tag: `FROM name:tag@sha256:…` (`docker buildx imagetools inspect name:tag` prints it).",
        "Add the digest after the tag: `image: name:tag@sha256:…` (`docker buildx imagetools inspect name:tag` prints it).",
        "Add the digest after the tag: `image: name:tag@sha256:…` (`crane digest name:tag` prints it).",
    ));
    if let Some(via) = image.via {
        emit.label(via, "the reference comes from this default");
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, compose_spans, cron_job_running, lint, pod_running, spans,
    };
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    const DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn tagged_references_in_every_image_position() {
        assert_eq!(spans(&RULE, "FROM python:3.13-slim\n"), ["python:3.13-slim"]);
        assert_eq!(spans(&RULE, "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n"), ["golang:1.23"]);
        assert_eq!(spans(&RULE, "FROM ubuntu:latest\n"), ["ubuntu:latest"]);
        assert_eq!(
            spans(&RULE, "FROM scratch\nCOPY --from=ghcr.io/org/tools:1.2 /bin/t /t\n"),
            ["ghcr.io/org/tools:1.2"]
        );
        assert_eq!(
            spans(&RULE, "FROM scratch\nRUN --mount=type=bind,from=busybox:1.36,target=/b /b/sh -c true\n"),
            ["busybox:1.36"]
        );
        assert_eq!(
            spans(&RULE, "FROM scratch\nONBUILD COPY --from=alpine:3.20 /etc/os-release /\n"),
            ["alpine:3.20"]
        );
    }

    #[test]
    fn arg_defaults_are_followed_and_labelled() {
        let text = "ARG BASE=node:22-alpine\nFROM ${BASE}\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "${BASE}");
        assert_eq!(found[0].message, "Image `node:22-alpine` is not pinned by digest");
        assert_eq!(found[0].labels[0].range.slice(text), "node:22-alpine");
    }

    #[test]
    fn digests_and_everything_else_pass() {
        assert_clean(&RULE, &format!("FROM python:3.13-slim@{DIGEST}\n"));
        assert_clean(&RULE, &format!("FROM python@{DIGEST}\n"));
        assert_clean(&RULE, &format!("ARG BASE=python:3.13@{DIGEST}\nFROM $BASE\n"));
        assert_clean(&RULE, "FROM ubuntu\n");
        assert_clean(&RULE, "FROM scratch\n");
        let sha512 = format!("sha512:{}", "0".repeat(128));
        assert_clean(
            &RULE,
            &format!("FROM alpine:3.20@{sha512} AS base\nFROM base\nCOPY --from=base /a /a\n"),
        );
        assert_clean(&RULE, "ARG TAG\nFROM node:${TAG}\n");
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  db:\n    image: postgres:17.2\n  web:\n    image: \"nginx:${TAG:-1.27}\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["postgres:17.2", "\"nginx:${TAG:-1.27}\""]);
        assert_compose_clean(&RULE, &format!("services:\n  db:\n    image: postgres:17.2@{DIGEST}\n"));
        assert_compose_clean(&RULE, "services:\n  app:\n    build: .\n    image: acme/app:1.0\n");
        assert_compose_clean(&RULE, "services:\n  db:\n    image: postgres:${PG_VERSION}\n");
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = pod_running("postgres:17.2");
        assert_eq!(k8s_spans(&RULE, &yaml), ["postgres:17.2"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(found[0].message, "Image `postgres:17.2` is not pinned by digest");
        assert!(found[0].help.as_deref().unwrap().contains("`crane digest name:tag`"));
        assert_eq!(
            k8s_spans(&RULE, &cron_job_running("busybox:1.36", "app:1.0")),
            ["busybox:1.36", "app:1.0"]
        );
    }

    #[test]
    fn kubernetes_digests_pass() {
        assert_k8s_clean(&RULE, &pod_running(&format!("postgres:17.2@{DIGEST}")));
        assert_k8s_clean(&RULE, &pod_running(&format!("postgres@{DIGEST}")));
        // Untagged images are `image-untagged`'s.
        assert_k8s_clean(&RULE, &pod_running("postgres"));
    }
}
