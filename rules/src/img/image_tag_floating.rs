use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{ImageRef, ImageUse};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags image references whose tag follows new releases by design, other than `latest` (which
    /// `image-tag-latest` reports): release channels such as `node:lts`, `nginx:stable-alpine`,
    /// `alpine:edge` or `myorg/app:main`, and variant-only tags such as `node:alpine`, `python:slim` or
    /// `docker:dind`, which mean "the newest version, in this variant". Applies to `FROM`, `COPY --from=`,
    /// `RUN --mount=from=`, Compose `image:` and the `image:` of Kubernetes containers.
    ///
    /// A tag is floating when it contains no digit and every part of it (split at `-`, `_` and `.`) is one of
    /// these words:
    /// - release channels: `stable`, `edge`, `nightly`, `daily`, `weekly`, `dev`, `devel`, `develop`,
    ///   `development`, `main`, `master`, `trunk`, `head`, `alpha`, `beta`, `canary`, `preview`, `insiders`,
    ///   `experimental`, `snapshot`, `next`, `test`, `testing`, `unstable`, `sid`, `rawhide`, `rolling`, `lts`,
    ///   `current`, `mainline`, `release`, `staging`, `prod`, `production`, and `latest` combined with
    ///   another word (`latest-alpine`);
    /// - variants: `alpine`, `slim`, `fpm`, `apache`, `cli`, `zts`, `jdk`, `jre`, `dind`, `rootless`,
    ///   `management`, `musl`, `glibc`, `uclibc`, `windowsservercore`, `nanoserver`.
    ///
    /// A tag with a digit names a version and passes, even when part of it floats (`node:lts-alpine3.20`);
    /// distribution codenames (`debian:bookworm`, `ubuntu:noble`) name a release and pass too. A reference
    /// with a digest is pinned whatever its tag. As for the other image rules, a Compose service that has a
    /// `build:` section is not checked (its `image:` names the built image), nor is a reference that depends
    /// on a variable without a default.
    ///
    /// ## Why is this bad?
    /// A floating tag is re-pointed by its publisher whenever a new release comes out: `node:lts` moved from
    /// Node.js 20 to 22, `python:slim` follows every new Python minor version, `myorg/app:main` changes on
    /// every merge. Two builds or deployments of the same file run different software, upgrades across major
    /// versions happen unannounced, and nothing in the file records what was running when something broke.
    /// A version tag changes only when you change it (pin a digest as well for full reproducibility).
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:lts-alpine
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22.11-alpine
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   proxy:
    ///     image: nginx:stable-alpine
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   proxy:
    ///     image: nginx:1.26-alpine
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
    ///       image: nginx:stable-alpine
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
    ///       image: nginx:1.26-alpine
    /// ```
    ///
    /// ## References
    /// - [Docker: image tags and digests](https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier)
    /// - [Docker Official Images: shared tags](https://github.com/docker-library/official-images#tags-and-aliases)
    code: "IMG022",
    name: "image-tag-floating",
    family: Img,
    severity: Info,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["service-image-require-explicit-tag"],
    checks: [Check::Image(check)],
}

/// Tags that name a release channel or a branch: the publisher moves them to each new release or build.
const CHANNELS: &[&str] = &[
    "stable",
    "edge",
    "nightly",
    "daily",
    "weekly",
    "dev",
    "devel",
    "develop",
    "development",
    "main",
    "master",
    "trunk",
    "head",
    "alpha",
    "beta",
    "canary",
    "preview",
    "insiders",
    "experimental",
    "snapshot",
    "next",
    "test",
    "testing",
    "unstable",
    "sid",
    "rawhide",
    "rolling",
    "lts",
    "current",
    "mainline",
    "release",
    "staging",
    "prod",
    "production",
    "latest",
];

/// Variant names: alone (or with a channel) they mean the newest version in that variant.
const VARIANTS: &[&str] = &[
    "alpine",
    "slim",
    "fpm",
    "apache",
    "cli",
    "zts",
    "jdk",
    "jre",
    "dind",
    "rootless",
    "management",
    "musl",
    "glibc",
    "uclibc",
    "windowsservercore",
    "nanoserver",
];

fn check(image: &ImageUse, r: &mut Reporter) {
    let Some(reference) = image.image() else { return };
    let Some(tag) = reference.tag.as_deref() else { return };
    if reference.digest.is_some() || tag == "latest" {
        return;
    }
    let Some(variants) = floating_variants(tag) else { return };
    let suggested = suggestion(reference, &variants);
    let emit = r
        .report(image.range, format!("Image `{reference}` uses the floating tag `{tag}`, which follows new releases"))
        .help(help::for_format(
            image.format,
            &format!("Use a tag that names a version, such as `FROM {suggested}`, and a digest for reproducible builds."),
            &format!(
                "Use a tag that names a version, such as `image: {suggested}`, and a digest for reproducible \
                 deployments."
            ),
            &format!(
                "Use a tag that names a version, such as `image: {suggested}`, and a digest for reproducible \
                 deployments."
            ),
        ));
    if let Some(via) = image.via {
        emit.label(via, "the tag comes from this default");
    }
}

/// The variant words of a floating tag, in order (empty for a pure channel such as `lts`); `None` when the
/// tag names a version or has a word that is neither a channel nor a variant.
fn floating_variants(tag: &str) -> Option<Vec<String>> {
    let lower = tag.to_ascii_lowercase();
    if lower.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut variants = Vec::new();
    for part in lower.split(['-', '_', '.']).filter(|p| !p.is_empty()) {
        if VARIANTS.contains(&part) {
            variants.push(part.to_string());
        } else if !CHANNELS.contains(&part) {
            return None;
        }
    }
    Some(variants)
}

/// The reference with the channel replaced by a version placeholder, keeping the variant:
/// `nginx:stable-alpine` → `nginx:<version>-alpine`.
fn suggestion(reference: &ImageRef, variants: &[String]) -> String {
    let mut tag = "<version>".to_string();
    for variant in variants {
        tag.push('-');
        tag.push_str(variant);
    }
    format!("{}:{tag}", reference.familiar())
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, compose_spans, cron_job_running, lint, lint_compose, messages,
        pod_running, spans,
    };
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn channels_and_variants_in_every_image_position() {
        assert_eq!(spans(&RULE, "FROM node:lts\n"), ["node:lts"]);
        assert_eq!(spans(&RULE, "FROM node:alpine AS build\n"), ["node:alpine"]);
        assert_eq!(
            spans(&RULE, "FROM a:1\nCOPY --from=docker:dind /usr/local/bin/docker /d\n"),
            ["docker:dind"]
        );
        assert_eq!(
            spans(&RULE, "FROM a:1\nRUN --mount=from=ghcr.io/acme/tools:main,target=/t make\n"),
            ["ghcr.io/acme/tools:main"]
        );
        assert_eq!(spans(&RULE, "FROM a:1\nONBUILD COPY --from=alpine:edge /etc/apk /a\n"), ["alpine:edge"]);
        assert_eq!(spans(&RULE, "FROM nginx:Stable-Alpine-Slim\n"), ["nginx:Stable-Alpine-Slim"]);
        assert_eq!(
            spans(&RULE, "FROM cgr.dev/chainguard/node:latest-dev\n"),
            ["cgr.dev/chainguard/node:latest-dev"]
        );
    }

    #[test]
    fn the_help_keeps_the_variant() {
        let found = lint(&RULE, "FROM nginx:stable-alpine\n");
        assert_eq!(
            found[0].message,
            "Image `nginx:stable-alpine` uses the floating tag `stable-alpine`, which follows new releases"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Use a tag that names a version, such as `FROM nginx:<version>-alpine`, and a digest for reproducible builds."
            )
        );
        let found = lint(&RULE, "FROM docker.io/library/python:slim\n");
        assert!(found[0].help.as_deref().unwrap().contains("`FROM python:<version>-slim`"));
        let found = lint(&RULE, "FROM jenkins/jenkins:lts\n");
        assert!(found[0].help.as_deref().unwrap().contains("`FROM jenkins/jenkins:<version>`"));
    }

    #[test]
    fn arg_defaults_are_followed_and_labelled() {
        let text = "ARG CHANNEL=nightly\nFROM rust:$CHANNEL\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "rust:$CHANNEL");
        assert_eq!(found[0].labels[0].range.slice(text), "nightly");
    }

    #[test]
    fn versions_codenames_latest_and_digests_pass() {
        assert_clean(&RULE, "FROM node:22-alpine\n");
        assert_clean(&RULE, "FROM node:lts-alpine3.20\n");
        assert_clean(&RULE, "FROM debian:bookworm-slim\n");
        assert_clean(&RULE, "FROM ubuntu:noble\n");
        assert_clean(&RULE, "FROM gcr.io/distroless/static-debian12:nonroot\n");
        assert_clean(&RULE, "FROM node:latest\n");
        assert_clean(&RULE, "FROM node\n");
        assert_clean(
            &RULE,
            "FROM node:lts@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        );
        assert_clean(&RULE, "ARG TAG\nFROM node:${TAG}\n");
        assert_clean(&RULE, "FROM node:22 AS alpine\nFROM alpine\n");
        assert_clean(&RULE, "FROM myorg/app:feature-login\n");
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  proxy:\n    image: nginx:stable-alpine\n  ci:\n    image: \"docker:dind\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["nginx:stable-alpine", "docker:dind"]);
        let yaml = "services:\n  app:\n    image: acme/app:${ENV:-staging}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["acme/app:${ENV:-staging}"]);
        let found = lint_compose(&RULE, yaml);
        assert!(found[0].help.as_deref().unwrap().contains("`image: acme/app:<version>`"));
        assert_eq!(
            messages(&RULE, "FROM acme/app:staging\n"),
            ["Image `acme/app:staging` uses the floating tag `staging`, which follows new releases"]
        );
    }

    #[test]
    fn compose_built_pinned_and_unresolved_images_pass() {
        assert_compose_clean(&RULE, "services:\n  app:\n    build: .\n    image: acme/app:dev\n");
        assert_compose_clean(&RULE, "services:\n  proxy:\n    image: nginx:1.26-alpine\n");
        assert_compose_clean(&RULE, "services:\n  proxy:\n    image: nginx:${TAG}\n");
        assert_compose_clean(&RULE, "services:\n  proxy:\n    image: nginx:latest\n");
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = pod_running("nginx:stable-alpine");
        assert_eq!(k8s_spans(&RULE, &yaml), ["nginx:stable-alpine"]);
        let found = lint_k8s(&RULE, &yaml);
        assert_eq!(
            found[0].message,
            "Image `nginx:stable-alpine` uses the floating tag `stable-alpine`, which follows new releases"
        );
        assert!(found[0].help.as_deref().unwrap().contains("`image: nginx:<version>-alpine`"));
        assert_eq!(
            k8s_spans(&RULE, &cron_job_running("docker:dind", "ghcr.io/org/app:main")),
            ["docker:dind", "ghcr.io/org/app:main"]
        );
    }

    #[test]
    fn kubernetes_versions_pass() {
        assert_k8s_clean(&RULE, &pod_running("nginx:1.27-alpine"));
        assert_k8s_clean(&RULE, &pod_running("nginx:latest"));
    }
}
