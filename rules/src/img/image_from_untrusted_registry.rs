use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::ImageUse;

use crate::support::registries;

declare_rule! {
    /// ## What it does
    /// When trusted registries are configured (`trusted-registries` in the `[images]` table of
    /// `plimsoll.toml`, or `--trusted-registry`), flags every image that does not come from one of them:
    /// `FROM`, `COPY --from=<image>`, `RUN --mount=from=<image>`, Compose `image:` and the `image:` of
    /// Kubernetes containers. Without configured registries the rule does nothing.
    ///
    /// Patterns:
    /// - a registry host, `ghcr.io` or `registry.example.com:5000`, trusts every repository on it (a pattern
    ///   without a port matches the host on any port);
    /// - `*` in the host matches any characters: `*.example.com` trusts every subdomain of `example.com`
    ///   (not `example.com` itself), and `*` alone trusts everything;
    /// - a registry with a path, `ghcr.io/my-org`, trusts the repositories under that path, compared whole
    ///   component by component (`ghcr.io/my-org/app`, not `ghcr.io/my-org-evil/app`).
    ///
    /// Images written without a registry (`nginx`, `bitnami/redis`) are on Docker Hub, which the patterns
    /// `docker.io`, `hub.docker.com`, `index.docker.io` and `registry-1.docker.io` all name. Official images
    /// are under `library/`: `docker.io/library` trusts only the official images, `docker.io/bitnami` one
    /// publisher, and `docker.io/nginx` both the official `nginx` image and the `nginx/` namespace.
    ///
    /// A reference whose registry or path comes from a build argument or Compose variable without a default
    /// (`FROM ${REGISTRY}/app`, `image: ${REGISTRY}/app:1`) cannot be checked and is skipped; when only the
    /// tag is variable (`image: ghcr.io/org/app:${TAG}`), the registry is known and checked. `scratch` and
    /// build stages are not images and always pass, and the `image:` of a Compose service that has a
    /// `build:` section names the image it builds, which is not pulled.
    ///
    /// ## Why is this bad?
    /// Every image a build pulls runs code in the build and usually ships in the result, and every image a
    /// Compose file names runs as a service. Organisations that mirror, scan and sign images in their own
    /// registry need every Dockerfile and deployment to use it: an image pulled straight from a public
    /// registry bypasses the scanning, can disappear or change upstream, and is the entry point of
    /// typosquatting and account-takeover attacks. A `COPY --from=` of a public image is as much a
    /// dependency as the base image.
    ///
    /// ## Example
    /// With `--trusted-registry registry.example.com`:
    ///
    /// ```dockerfile,bad,trusted-registry=registry.example.com
    /// FROM node:22-alpine
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good,trusted-registry=registry.example.com
    /// FROM registry.example.com/mirror/node:22-alpine
    /// ```
    ///
    /// In a Compose file, with the same setting:
    /// ```compose,bad,trusted-registry=registry.example.com
    /// services:
    ///   cache:
    ///     image: redis:7.4
    /// ```
    ///
    /// Use instead:
    /// ```compose,good,trusted-registry=registry.example.com
    /// services:
    ///   cache:
    ///     image: registry.example.com/mirror/redis:7.4
    /// ```
    ///
    /// In a Kubernetes manifest, with the same setting:
    /// ```kubernetes,bad,trusted-registry=registry.example.com
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   containers:
    ///     - name: cache
    ///       image: redis:7.4
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good,trusted-registry=registry.example.com
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   containers:
    ///     - name: cache
    ///       image: registry.example.com/mirror/redis:7.4
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.2 "Ensure that containers use only trusted base images"
    /// - [hadolint DL3026](https://github.com/hadolint/hadolint/wiki/DL3026)
    code: "IMG005",
    name: "image-from-untrusted-registry",
    family: Img,
    severity: Error,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: ["DL3026", "KSV-0125"],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let trusted = &r.settings().trusted_registries;
    if trusted.iter().all(|p| p.trim().is_empty()) {
        return;
    }
    let Some(name) = registries::known_name(image) else { return };
    if registries::is_trusted(&name, trusted) {
        return;
    }
    let allowed = trusted
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("`{}`", p.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let shown = image.image().map_or_else(|| image.written.clone(), ToString::to_string);
    // The remedy is the same in every format: another image, or a wider configuration.
    let emit = r.report(image.range, format!("Image `{shown}` is not from a trusted registry")).help(format!(
        "Use an image from a trusted registry ({allowed}), for example a mirror of it, or add its registry to \
         `trusted-registries` in `[images]` of `plimsoll.toml`."
    ));
    if let Some(via) = image.via {
        emit.label(via, format!("`{}` comes from this default", name.familiar()));
    }
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::{Diagnostic, Format};
    use plimsoll_linter::Settings;

    use super::RULE;
    use crate::testing::{assert_clean, lint_with, pod_running, settings};

    fn lint(trusted: &[&str], text: &str) -> Vec<Diagnostic> {
        let settings =
            Settings { trusted_registries: trusted.iter().map(|p| p.to_string()).collect(), ..settings() };
        lint_with(&RULE, Format::Dockerfile, text, settings)
    }

    fn spans(trusted: &[&str], text: &str) -> Vec<String> {
        lint(trusted, text).iter().map(|d| d.range.slice(text).to_string()).collect()
    }

    #[test]
    fn silent_without_trusted_registries() {
        assert_clean(&RULE, "FROM evil.example/app:1\n");
        assert!(lint(&["", " "], "FROM evil.example/app:1\n").is_empty());
    }

    #[test]
    fn every_image_position_is_checked() {
        let text = "FROM quay.io/org/base:1 AS build\n\
                    COPY --from=ghcr.io/other/tools:2 /t /t\n\
                    RUN --mount=type=bind,from=gcr.io/x/y:3,target=/y make\n\
                    FROM registry.example.com/app:1\n\
                    ONBUILD COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n";
        assert_eq!(
            spans(&["registry.example.com"], text),
            ["quay.io/org/base:1", "ghcr.io/other/tools:2", "gcr.io/x/y:3", "nginx:1.27"]
        );
    }

    #[test]
    fn message_and_help_name_the_image_and_the_allowed_registries() {
        let found = lint(&["ghcr.io/acme", "*.example.com"], "FROM node:22\n");
        assert_eq!(found[0].message, "Image `node:22` is not from a trusted registry");
        assert!(found[0].help.as_deref().unwrap().contains("(`ghcr.io/acme`, `*.example.com`)"));
    }

    #[test]
    fn docker_hub_shorthand_is_docker_io() {
        assert!(lint(&["docker.io"], "FROM node:22\nCOPY --from=bitnami/kubectl:1 /k /k\n").is_empty());
        assert!(lint(&["hub.docker.com"], "FROM node:22\n").is_empty());
        assert!(lint(&["docker.io/library"], "FROM docker.io/library/node:22\n").is_empty());
        assert_eq!(spans(&["docker.io/library"], "FROM bitnami/redis:7\n"), ["bitnami/redis:7"]);
        assert_eq!(spans(&["ghcr.io"], "FROM node:22\n"), ["node:22"]);
    }

    #[test]
    fn path_prefixes_and_wildcards() {
        assert!(lint(&["ghcr.io/acme"], "FROM ghcr.io/acme/team/app:1\n").is_empty());
        assert_eq!(spans(&["ghcr.io/acme"], "FROM ghcr.io/acme-evil/app:1\n"), ["ghcr.io/acme-evil/app:1"]);
        assert!(lint(&["*.example.com"], "FROM eu.registry.example.com:5000/app:1\n").is_empty());
        assert_eq!(
            spans(&["*.example.com"], "FROM example.com.evil.io/app:1\n"),
            ["example.com.evil.io/app:1"]
        );
    }

    #[test]
    fn variables() {
        // Resolved through the default, labelled.
        let text = "ARG BASE=quay.io/org/app:1\nFROM $BASE\n";
        let found = lint(&["ghcr.io"], text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "$BASE");
        assert_eq!(found[0].labels[0].range.slice(text), "quay.io/org/app:1");
        // Only the tag is unknown: the registry still decides.
        assert_eq!(spans(&["ghcr.io"], "ARG TAG\nFROM quay.io/org/app:${TAG}\n"), ["quay.io/org/app:${TAG}"]);
        assert!(lint(&["ghcr.io"], "ARG TAG\nFROM ghcr.io/org/app:${TAG}\n").is_empty());
        // The registry itself is unknown: not guessed.
        assert!(lint(&["ghcr.io"], "ARG REGISTRY\nFROM ${REGISTRY}/org/app:1\n").is_empty());
    }

    #[test]
    fn scratch_and_stages_always_pass() {
        let text = "FROM scratch AS empty\nFROM ghcr.io/acme/base:1 AS build\nFROM build\n\
                    COPY --from=build /a /a\nCOPY --from=0 /b /b\nCOPY --from=empty / /\n";
        assert!(lint(&["ghcr.io/acme"], text).is_empty());
    }

    fn compose_spans(trusted: &[&str], yaml: &str) -> Vec<String> {
        let settings =
            Settings { trusted_registries: trusted.iter().map(|p| p.to_string()).collect(), ..settings() };
        lint_with(&RULE, Format::Compose, yaml, settings)
            .iter()
            .map(|d| d.range.slice(yaml).to_string())
            .collect()
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  cache:\n    image: redis:7.4\n  app:\n    image: ghcr.io/acme/app:${TAG}\n  \
                    web:\n    image: quay.io/org/web:${TAG:-1}\n";
        assert_eq!(compose_spans(&["ghcr.io/acme"], yaml), ["redis:7.4", "quay.io/org/web:${TAG:-1}"]);
        assert!(compose_spans(&["ghcr.io/acme", "docker.io", "quay.io"], yaml).is_empty());
        let unknown = "services:\n  app:\n    image: ${REGISTRY}/acme/app:1\n  built:\n    build: .\n    image: acme/built:1\n";
        assert!(compose_spans(&["ghcr.io/acme"], unknown).is_empty());
    }

    fn k8s_spans(trusted: &[&str], yaml: &str) -> Vec<String> {
        let settings =
            Settings { trusted_registries: trusted.iter().map(|p| p.to_string()).collect(), ..settings() };
        lint_with(&RULE, Format::Kubernetes, yaml, settings)
            .iter()
            .map(|d| d.range.slice(yaml).to_string())
            .collect()
    }

    #[test]
    fn kubernetes_images() {
        assert_eq!(k8s_spans(&["ghcr.io/acme"], &pod_running("redis:7.4")), ["redis:7.4"]);
        assert_eq!(
            k8s_spans(&["ghcr.io/acme"], &pod_running("\"quay.io/org/web:1\"")),
            ["quay.io/org/web:1"]
        );
        assert!(k8s_spans(&["ghcr.io/acme"], &pod_running("ghcr.io/acme/app:1")).is_empty());
        // Filled in before the manifest is applied.
        assert!(k8s_spans(&["ghcr.io/acme"], &pod_running("${REGISTRY}/acme/app:1")).is_empty());
        assert!(k8s_spans(&[], &pod_running("redis:7.4")).is_empty());
    }
}
