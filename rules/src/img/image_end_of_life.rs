use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::eol::{self, EolEntry};
use plimsoll_model::{ImageRef, ImageUse};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags images whose product release has reached its end of life, in a Dockerfile, a Compose `image:` or
    /// a Kubernetes container's `image:`: operating systems (`debian:buster`, `ubuntu:18.04`, `centos:7`,
    /// `alpine:3.12`), language runtimes (`python:2.7`, `node:16`, `golang:1.20`) and databases
    /// (`postgres:11`, `mysql:5.7`), including tags built on an end-of-life distribution
    /// (`python:3.12-buster`, `node:20-bullseye`). Applies to `FROM`, `COPY --from=`, `RUN --mount=from=`,
    /// Compose `image:` (not to the `image:` of a service that has a `build:` section, which names the built
    /// image: its `FROM` lines are checked in its Dockerfile) and the `image:` of Kubernetes containers.
    ///
    /// ## Why is this bad?
    /// Once a release is past its end of life, its maintainers stop publishing security fixes: every
    /// vulnerability found afterwards stays open in the image for good, and scanners report a growing list
    /// that cannot be fixed by rebuilding. Images are often still published under the old tags, so nothing
    /// fails until someone looks.
    ///
    /// The rule uses a bundled table of release cycles, compiled on 2026-11-28, with the end of free upstream
    /// support of each (Debian LTS, Ubuntu standard support, the language's own release policy); the dates
    /// are compared with the day of the run, so a cycle in the table is reported from its end date on. Only
    /// the Docker Official Images (and their mirrors) and the vendors' own registries are recognised: a
    /// private `registry.example.com/python:2.7` is not matched. Images tagged `latest`, without a tag or by
    /// digest only have no known version and are not reported, except Docker Hub `centos`, which only ever
    /// published the end-of-life CentOS Linux; the deprecated Docker Hub `openjdk` image is reported for
    /// every version tag but its early-access builds.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM python:2.7-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM python:3.13-slim
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   db:
    ///     image: postgres:11-alpine
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   db:
    ///     image: postgres:17-alpine
    /// ```
    ///
    /// In a Kubernetes manifest:
    /// ```kubernetes,bad
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:11-alpine
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   containers:
    ///     - name: db
    ///       image: postgres:17-alpine
    /// ```
    ///
    /// ## References
    /// - [endoflife.date](https://endoflife.date/), which links each product's lifecycle page
    /// - [Debian LTS](https://wiki.debian.org/LTS), [Ubuntu releases](https://wiki.ubuntu.com/Releases),
    ///   [Python versions](https://devguide.python.org/versions/)
    code: "IMG004",
    name: "image-end-of-life",
    family: Img,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: [],
    checks: [Check::Image(check)],
}

fn check(image: &ImageUse, r: &mut Reporter) {
    let Some(reference) = image.image() else { return };
    let Some(entry) = eol::lookup(reference) else { return };
    if !eol::is_eol(entry, r.settings().today) {
        return;
    }
    let message = format!(
        "Image `{reference}` is end-of-life: {} {} reached end of life on {}",
        entry.product, entry.cycle, entry.eol
    );
    let emit = r.report(image.range, message).help(help_for(image, reference, entry));
    if let Some(via) = image.via {
        emit.label(via, "the reference comes from this default");
    }
}

/// Points at the successor; for a tag built on an end-of-life distribution (`python:3.12-buster`), at the
/// same image on a supported distribution.
fn help_for(image: &ImageUse, reference: &ImageRef, entry: &EolEntry) -> String {
    let target = if eol::through_distribution_tag(reference, entry) {
        format!(
            "a `{}` tag built on a supported {} release ({})",
            reference.familiar(),
            entry.product,
            entry.successor
        )
    } else {
        entry.successor.to_string()
    };
    help::for_format(
        image.format,
        &format!("Move to {target}, which still receives security fixes."),
        &format!("Set `image:` to {target}, which still receives security fixes."),
        &format!("Set `image:` to {target}, which still receives security fixes."),
    )
}

#[cfg(test)]
mod tests {
    use plimsoll_diagnostic::Format;
    use plimsoll_linter::Settings;
    use plimsoll_model::Date;

    use super::RULE;
    use crate::testing::{
        assert_clean, assert_compose_clean, assert_fires, compose_spans, lint, lint_compose, lint_with,
        messages, pod_running, settings, spans,
    };
    use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s};

    #[test]
    fn end_of_life_releases_in_every_image_position() {
        assert_eq!(spans(&RULE, "FROM python:2.7-slim\n"), ["python:2.7-slim"]);
        assert_eq!(
            spans(&RULE, "FROM docker.io/library/debian:stretch AS base\n"),
            ["docker.io/library/debian:stretch"]
        );
        assert_eq!(
            spans(&RULE, "FROM scratch\nCOPY --from=node:14 /usr/local/bin/node /node\n"),
            ["node:14"]
        );
        assert_eq!(
            spans(&RULE, "FROM alpine:3.22\nRUN --mount=from=centos:7,target=/c ls /c\n"),
            ["centos:7"]
        );
        assert_eq!(
            spans(&RULE, "FROM alpine:3.22\nONBUILD COPY --from=ubuntu:18.04 /etc/os-release /\n"),
            ["ubuntu:18.04"]
        );
    }

    #[test]
    fn the_message_names_the_cycle_and_the_date() {
        assert_eq!(
            messages(&RULE, "FROM debian:buster-slim\n"),
            [
                "Image `debian:buster-slim` is end-of-life: Debian 10 (buster) reached end of life on 2024-06-30"
            ]
        );
        let found = lint(&RULE, "FROM python:2.7\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Move to a supported Python 3 (python:3.13 or newer), which still receives security fixes.")
        );
    }

    #[test]
    fn runtimes_on_an_end_of_life_distribution() {
        let found = lint(&RULE, "FROM python:3.12-buster\n");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Image `python:3.12-buster` is end-of-life: Debian 10 (buster) reached end of life on 2024-06-30"
        );
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("Move to a `python` tag built on a supported Debian")
        );
        let alpine = lint(&RULE, "FROM node:24-alpine3.18\n");
        let help = alpine[0].help.as_deref().unwrap();
        assert!(help.starts_with("Move to a `node` tag built on a supported Alpine Linux release"), "{help}");
        let os_itself = lint(&RULE, "FROM alpine:3.18\n");
        assert!(os_itself[0].help.as_deref().unwrap().starts_with("Move to a supported branch (alpine:3."));
    }

    #[test]
    fn repositories_end_of_life_in_every_form() {
        assert_fires(&RULE, "FROM centos\n");
        assert_fires(&RULE, "FROM centos:latest\n");
        assert_fires(&RULE, "FROM openjdk:21-jdk\n");
    }

    #[test]
    fn arg_defaults_are_followed_and_labelled() {
        let text = "ARG PYTHON_VERSION=2.7\nFROM python:${PYTHON_VERSION}-alpine\n";
        let found = lint(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.slice(text), "python:${PYTHON_VERSION}-alpine");
        assert_eq!(found[0].labels[0].range.slice(text), "2.7");
    }

    #[test]
    fn the_date_of_the_run_decides() {
        // Debian 11 LTS ends on 2026-08-31.
        let text = "FROM debian:bullseye\n";
        assert_eq!(spans(&RULE, text), ["debian:bullseye"]);
        let before = Settings { today: Date { year: 2026, month: 8, day: 30 }, ..settings() };
        assert!(lint_with(&RULE, Format::Dockerfile, text, before).is_empty());
        let on_the_day = Settings { today: Date { year: 2026, month: 8, day: 31 }, ..settings() };
        assert_eq!(lint_with(&RULE, Format::Dockerfile, text, on_the_day).len(), 1);
    }

    #[test]
    fn scheduled_ends_are_reported_once_reached() {
        // Node.js 22 is supported on the table's compile date, which already holds its end, 2027-04-30.
        let text = "FROM node:22\n";
        let on = |year, month, day| Settings { today: Date { year, month, day }, ..settings() };
        assert!(lint(&RULE, text).is_empty());
        assert!(lint_with(&RULE, Format::Dockerfile, text, on(2027, 4, 29)).is_empty());
        assert_eq!(lint_with(&RULE, Format::Dockerfile, text, on(2027, 4, 30)).len(), 1);
        let found = lint_with(&RULE, Format::Dockerfile, text, on(2027, 5, 1));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "Image `node:22` is end-of-life: Node.js 22 (jod) reached end of life on 2027-04-30"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("Move to node:24 or a newer LTS release, which still receives security fixes.")
        );
        // A runtime on a distribution: whichever ends first, here Debian 12 before Python 3.12.
        let text = "FROM python:3.12-slim-bookworm\n";
        assert!(lint_with(&RULE, Format::Dockerfile, text, on(2028, 6, 29)).is_empty());
        let found = lint_with(&RULE, Format::Dockerfile, text, on(2028, 6, 30));
        assert_eq!(
            found[0].message,
            "Image `python:3.12-slim-bookworm` is end-of-life: Debian 12 (bookworm) reached end of life on \
             2028-06-30"
        );
    }

    #[test]
    fn supported_unknown_and_private_images_pass() {
        assert_clean(&RULE, "FROM python:3.13-slim\n");
        assert_clean(&RULE, "FROM debian:bookworm\n");
        assert_clean(&RULE, "FROM node:22-alpine\n");
        assert_clean(&RULE, "FROM ubuntu:24.04\n");
        assert_clean(&RULE, "FROM python:3.12-bookworm\n");
        assert_clean(&RULE, "FROM python:latest\n");
        assert_clean(&RULE, "FROM python\n");
        assert_clean(&RULE, "FROM registry.example.com/python:2.7\n");
        assert_clean(&RULE, "ARG V\nFROM python:${V}\n");
        assert_clean(&RULE, "FROM scratch\n");
        assert_clean(&RULE, "FROM python:3.13 AS centos\nFROM centos\n");
    }

    #[test]
    fn the_documentation_states_the_table_date() {
        assert!(RULE.meta.documentation().contains(plimsoll_model::eol::COMPILED));
    }

    #[test]
    fn compose_images() {
        let yaml = "services:\n  db:\n    image: postgres:11-alpine\n  app:\n    image: python:${PY:-2.7}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["postgres:11-alpine", "python:${PY:-2.7}"]);
        let found = lint_compose(&RULE, "services:\n  app:\n    image: python:2.7\n");
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "Set `image:` to a supported Python 3 (python:3.13 or newer), which still receives security fixes."
            )
        );
        assert_compose_clean(&RULE, "services:\n  db:\n    image: postgres:17-alpine\n");
        assert_compose_clean(&RULE, "services:\n  app:\n    build: .\n    image: python:2.7\n");
        assert_compose_clean(&RULE, "services:\n  app:\n    image: python:${PY}\n");
    }

    #[test]
    fn kubernetes_containers_point_at_the_image() {
        let yaml = pod_running("\"postgres:11-alpine\"");
        assert_eq!(k8s_spans(&RULE, &yaml), ["postgres:11-alpine"]);
        let found = lint_k8s(&RULE, &yaml);
        assert!(
            found[0].message.starts_with("Image `postgres:11-alpine` is end-of-life: PostgreSQL 11"),
            "{}",
            found[0].message
        );
        assert!(found[0].help.as_deref().unwrap().starts_with("Set `image:` to"));
        assert_k8s_clean(&RULE, &pod_running("postgres:17-alpine"));
    }
}
