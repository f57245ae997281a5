use plimsoll_linter::{Check, DockerfileCtx, Reporter, declare_rule};
use plimsoll_model::{ImageRole, ImageUse};

use crate::support::image_patterns::{self, Hidden, Pattern, Verdict};
use crate::support::registries::glob;

declare_rule! {
    /// ## What it does
    /// When allowed base images are configured (`allowed-base-images` in the `[images]` table of
    /// `plimsoll.toml`), flags every Dockerfile `FROM` whose image matches none of them. Without configured
    /// patterns the rule does nothing. `FROM scratch` and `FROM <earlier stage>` are not images and always
    /// pass; `COPY --from=<image>` is not a base and is left to `image-from-untrusted-registry`.
    ///
    /// Patterns are written like image references, `[registry/]repository[:tag][@digest]`, with `*` for any
    /// run of characters within one part:
    /// - shorthand and full names are the same image: `python:3.13-slim` matches
    ///   `FROM docker.io/library/python:3.13-slim` and the pattern `docker.io/library/python:3.13-slim`
    ///   matches `FROM python:3.13-slim`;
    /// - `*` never crosses a `/`: `gcr.io/distroless/*` allows `gcr.io/distroless/static-debian12`, not
    ///   `gcr.io/distroless/java/jre` (write `gcr.io/distroless/*/*` too), and `*` alone allows the Docker
    ///   Official Images;
    /// - a pattern without a tag or digest allows every tag and digest of the repository (`python`); a tag
    ///   must match the image's (`python:3.13-*`, with `FROM python` meaning `python:latest`); a digest must
    ///   match the image's (`python@sha256:…`, or `python@sha256:*` to require digest pinning). An image
    ///   pinned beyond the pattern passes: `python:3.13-slim` allows `python:3.13-slim@sha256:…`.
    ///
    /// Images whose name comes from a build argument are checked with the argument's default, and the
    /// finding points at the default too. When a build argument without a default hides the tag and only
    /// the tag would decide (`FROM python:${PY}` with the pattern `python:3.13-*`), or hides the image
    /// altogether (`FROM ${BASE}`), the rule says the image cannot be checked rather than guess; give the
    /// argument an allowed default. A reference that may name an earlier stage once its variables are set
    /// (`FROM binary-${TARGETOS}` after `FROM … AS binary-linux`) is taken for that stage; one that is
    /// only a variable (`FROM $BASE`) is taken for an image. Registries as a
    /// whole are `image-from-untrusted-registry`'s subject.
    ///
    /// ## Why is this bad?
    /// Teams that maintain approved base images (patched, scanned, with the right users and certificates,
    /// often from their own registry) need every Dockerfile to build on them: an image built on anything
    /// else misses those fixes, drifts from what security reviewed, and brings its own vulnerabilities and
    /// licences. A registry allow-list cannot express "only the distroless images" or "only Python 3.13":
    /// this rule names the images themselves.
    ///
    /// ## Example
    /// With `[images] allowed-base-images = ["gcr.io/distroless/*", "python:3.13-slim*"]`:
    ///
    /// ```dockerfile,bad,allowed-base-image=gcr.io/distroless/*,allowed-base-image=python:3.13-slim*
    /// FROM python:3.13 AS build
    /// RUN pip install --no-cache-dir --target /app/deps requests==2.32.3
    /// FROM ubuntu:24.04
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good,allowed-base-image=gcr.io/distroless/*,allowed-base-image=python:3.13-slim*
    /// FROM python:3.13-slim-bookworm AS build
    /// RUN pip install --no-cache-dir --target /app/deps requests==2.32.3
    /// FROM gcr.io/distroless/python3-debian12:nonroot
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark v1.6.0, 4.2 "Ensure that containers use only trusted base images"
    /// - [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
    /// - [Image references and Docker Hub names](https://docs.docker.com/get-started/docker-concepts/building-images/build-tag-and-publish-an-image/#tagging-images)
    code: "IMG033",
    name: "base-image-not-allowed",
    family: Img,
    severity: Error,
    formats: [Dockerfile],
    aliases: [],
    checks: [Check::Dockerfile(check)],
}

fn check(ctx: &DockerfileCtx, r: &mut Reporter) {
    let configured = &r.settings().allowed_base_images;
    let patterns: Vec<Pattern> = configured.iter().filter_map(|p| Pattern::parse(p)).collect();
    if patterns.is_empty() {
        return;
    }
    let allowed = configured
        .iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("`{}`", p.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    // `FROM` images only: `COPY --from=<image>` copies files, it is not built on.
    for image in ctx.model.images.iter().filter(|i| i.role == ImageRole::Base) {
        let Some(verdict) = image_patterns::judge(image, &patterns) else { continue };
        if verdict == Verdict::Unknown(Hidden::Name) && may_name_an_earlier_stage(ctx, image) {
            continue;
        }
        report(image, verdict, &allowed, r);
    }
}

/// Whether an unresolved `FROM` reference may be an earlier stage's name once its variables are set:
/// `binary-${TARGETOS}` after `FROM golang:1.23 AS binary-linux` (BuildKit sets `TARGETOS` itself).
fn may_name_an_earlier_stage(ctx: &DockerfileCtx, image: &ImageUse) -> bool {
    let pattern = variables_as_stars(&image.written).to_ascii_lowercase();
    // `FROM $BASE` could name any stage, and is far more often an image: only a reference with some
    // literal text of a stage name is taken for one.
    if pattern.chars().all(|c| c == '*') {
        return false;
    }
    ctx.analysis
        .stages
        .iter()
        .filter(|s| ctx.file.instructions[s.from].range.end <= image.range.start)
        .filter_map(|s| s.name.as_deref())
        .any(|name| glob(&pattern, name))
}

/// `text` with each variable (`$NAME`, `${NAME}`, `${NAME:-default}`) replaced by `*`.
fn variables_as_stars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let skip = if after.starts_with('{') {
            after.find('}').map_or(after.len(), |i| i + 1)
        } else {
            after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len())
        };
        out.push('*');
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

fn report(image: &ImageUse, verdict: Verdict, allowed: &str, r: &mut Reporter) {
    let shown = image.image().map_or_else(|| image.written.clone(), ToString::to_string);
    let emit = match verdict {
        Verdict::Allowed => return,
        Verdict::NotAllowed => r
            .report(image.range, format!("Base image `{shown}` is not one of the allowed base images"))
            .help(format!(
                "Build on an allowed base image ({allowed}), or add a pattern matching this one to the \
                 `allowed-base-images` option of `[images]` in `plimsoll.toml`."
            )),
        Verdict::Unknown(hidden) => {
            let (variable, argument) = match first_variable(&image.written) {
                Some(name) => (format!("`{name}`"), format!("`ARG {name}`")),
                None => ("a build argument".to_string(), "the build argument".to_string()),
            };
            let (what, remedy) = match hidden {
                Hidden::Name => ("the image", "a default that an allowed pattern matches"),
                Hidden::Tag => ("its tag", "a default tag that an allowed pattern matches"),
                Hidden::Digest => ("its digest", "a default digest that an allowed pattern matches"),
            };
            r.report(
                image.range,
                format!(
                    "Base image `{}` cannot be checked against the allowed base images: {variable} has no \
                     default and decides {what}",
                    image.written
                ),
            )
            .help(format!(
                "Give {argument} {remedy} ({allowed}), so the build's base image is known to be allowed."
            ))
        }
    };
    if let Some(via) = image.via {
        emit.label(via, "the image comes from this default");
    }
}

/// The name of the first variable in `text` (`PY` in `python:${PY}-slim`, `BASE` in `$BASE`).
fn first_variable(text: &str) -> Option<&str> {
    let after = &text[text.find('$')? + 1..];
    let after = after.strip_prefix('{').unwrap_or(after);
    let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
    (end > 0).then(|| &after[..end])
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::{Diagnostic, Format};
    use plimsoll_linter::Settings;

    use super::{RULE, first_variable, variables_as_stars};
    use crate::testing::{assert_clean, lint_with, settings};

    fn lint(allowed: &[&str], text: &str) -> Vec<Diagnostic> {
        let settings =
            Settings { allowed_base_images: allowed.iter().map(|p| p.to_string()).collect(), ..settings() };
        lint_with(&RULE, Format::Dockerfile, text, settings)
    }

    fn spans(allowed: &[&str], text: &str) -> Vec<String> {
        lint(allowed, text).iter().map(|d| d.range.slice(text).to_string()).collect()
    }

    #[test]
    fn silent_without_patterns() {
        assert_clean(&RULE, "FROM evil.example/app:1\n");
        assert!(lint(&["", "  "], "FROM evil.example/app:1\n").is_empty());
    }

    #[test]
    fn every_from_is_checked_but_stages_scratch_and_build_sources_are_not() {
        let text = "FROM node:22 AS deps\nFROM scratch AS empty\nFROM deps AS build\n\
                    COPY --from=alpine:3.20 /bin/busybox /bin/\nRUN --mount=from=golang:1.23,target=/go true\n\
                    FROM gcr.io/distroless/nodejs22-debian12\nCOPY --from=build /app /app\n\
                    FROM ubuntu:24.04 AS extra\n";
        assert_eq!(spans(&["gcr.io/distroless/*"], text), ["node:22", "ubuntu:24.04"]);
    }

    #[test]
    fn message_and_help_name_the_image_and_the_patterns() {
        let found = lint(&["gcr.io/distroless/*", " python:3.13-slim* "], "FROM node:22-alpine\n");
        assert_eq!(found[0].message, "Base image `node:22-alpine` is not one of the allowed base images");
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Build on an allowed base image (`gcr.io/distroless/*`, `python:3.13-slim*`), or add a pattern \
                 matching this one to the `allowed-base-images` option of `[images]` in `plimsoll.toml`."
            )
        );
    }

    #[test]
    fn shorthand_and_full_names_match_each_other() {
        let text = "FROM docker.io/library/python:3.13-slim\nFROM python:3.13-slim\nFROM index.docker.io/python:3.13-slim\n";
        assert!(lint(&["python:3.13-slim"], text).is_empty());
        assert!(lint(&["docker.io/library/python:3.13-slim"], text).is_empty());
        assert_eq!(spans(&["python:3.13-slim"], "FROM ghcr.io/library/python:3.13-slim\n").len(), 1);
    }

    #[test]
    fn tags_and_digests() {
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let text = format!("FROM python:3.13-slim@{digest}\nFROM python:3.12-slim\nFROM python\n");
        assert_eq!(spans(&["python:3.13-*"], &text), ["python:3.12-slim", "python"]);
        assert!(lint(&["python"], &text).is_empty());
        assert_eq!(spans(&["python@sha256:*"], &text), ["python:3.12-slim", "python"]);
        assert_eq!(
            spans(&["python:latest"], &text),
            [format!("python:3.13-slim@{digest}").as_str(), "python:3.12-slim"]
        );
    }

    #[test]
    fn build_argument_defaults_are_followed_and_labelled() {
        let text = "ARG BASE=ubuntu:24.04\nFROM $BASE\n";
        let found = lint(&["debian:*"], text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "$BASE");
        assert_eq!(found[0].message, "Base image `ubuntu:24.04` is not one of the allowed base images");
        assert_eq!(found[0].labels[0].range.slice(text), "ubuntu:24.04");
        assert!(lint(&["ubuntu:24.04"], text).is_empty());
    }

    #[test]
    fn unknown_parts_are_reported_as_unknown_not_guessed() {
        // The tag decides and is unknown.
        let text = "ARG PY\nFROM python:${PY}-slim\n";
        let found = lint(&["python:3.13-*"], text);
        assert_eq!(found[0].range.slice(text), "python:${PY}-slim");
        assert_eq!(
            found[0].message,
            "Base image `python:${PY}-slim` cannot be checked against the allowed base images: `PY` has no \
             default and decides its tag"
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("Give `ARG PY` a default tag"));
        // Any tag is allowed, or the name alone rules the image out: decided.
        assert!(lint(&["python"], text).is_empty());
        assert_eq!(
            lint(&["node"], text)[0].message,
            "Base image `python:${PY}-slim` is not one of the allowed base images"
        );
        // The whole image is unknown.
        let text = "ARG BASE\nFROM ${BASE} AS app\n";
        let found = lint(&["python"], text);
        assert_eq!(found[0].range.slice(text), "${BASE}");
        assert!(
            found[0].message.ends_with("`BASE` has no default and decides the image"),
            "{}",
            found[0].message
        );
        let found = lint(&["python@sha256:*"], "ARG D\nFROM python:3.13@${D}\n");
        assert!(found[0].message.ends_with("decides its digest"), "{}", found[0].message);
    }

    #[test]
    fn variables_are_named() {
        assert_eq!(first_variable("python:${PY}-slim"), Some("PY"));
        assert_eq!(first_variable("$BASE"), Some("BASE"));
        assert_eq!(first_variable("${REGISTRY}/app:$TAG"), Some("REGISTRY"));
        assert_eq!(first_variable("python:3"), None);
        assert_eq!(first_variable("a$"), None);
    }

    #[test]
    fn references_that_may_name_an_earlier_stage_are_stages() {
        let text = "FROM golang:1.23 AS binary-linux
FROM golang:1.23 AS binary-darwin
                    FROM binary-${TARGETOS} AS picked
FROM other-$TARGETOS
";
        assert_eq!(spans(&["golang"], text), ["other-$TARGETOS"]);
        // A later stage of that name does not count: `FROM` only sees the stages before it.
        let text = "FROM stage-$X
FROM golang:1.23 AS stage-a
";
        assert_eq!(spans(&["golang"], text), ["stage-$X"]);
        // Only a variable: an image, whatever the stages are called.
        let text = "FROM golang:1.23 AS build\nFROM $BASE\n";
        assert_eq!(spans(&["golang"], text), ["$BASE"]);
    }

    #[test]
    fn variables_become_stars() {
        assert_eq!(variables_as_stars("bin-${TARGETOS}-$ARCH:x"), "bin-*-*:x");
        assert_eq!(variables_as_stars("${A:-b}"), "*");
        assert_eq!(variables_as_stars("${unclosed"), "*");
        assert_eq!(variables_as_stars("plain"), "plain");
    }
}
