use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, ImageSpec, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose effective user is root: a Dockerfile whose final stage never sets `USER`
    /// (directly or through the stages it builds on) or whose last `USER` is `root` or `0`.
    ///
    /// ## Why is this bad?
    /// A process running as root inside a container is root on the host's kernel: any container escape,
    /// kernel bug or mounted host path then acts with full privileges, and the process can rewrite its own
    /// binaries and install tools. Images should run as an unprivileged user by default; the few steps that
    /// need root belong in earlier instructions or build stages.
    ///
    /// Base images that are documented to run as a non-root user (distroless `nonroot` tags, Chainguard
    /// images, `nginx-unprivileged`, Bitnami images) satisfy the rule without a `USER`; Windows images are
    /// not checked.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM node:22-alpine
    /// COPY . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM node:22-alpine
    /// COPY . /app
    /// USER node
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - CIS Docker Benchmark v1.6.0, 4.1 "Ensure that a user for the container has been created"
    code: "ISO001",
    name: "container-runs-as-root",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile],
    aliases: [
        "DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS-0002",
        "fd54f200-402c-4333-a5a4-36ef6709af2f", "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae", "CIS-DI-0001",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    match &container.user {
        Setting::Explicit(user, range) if user.user.is_root() == Some(true) => {
            r.report(*range, "Container runs as root").help(help::for_format(
                container.format,
                "Create an unprivileged user in an earlier step and switch to it with `USER 10001` (or a named user).",
                "Set `user: \"10001:10001\"` on the service, or fix the image's `USER`.",
                "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`.",
            ));
        }
        Setting::Unset { anchor } => {
            r.report(*anchor, unset_message(container)).help(help::for_format(
                container.format,
                "Add `USER 10001` (or a named unprivileged user) to the final stage.",
                "Set `user: \"10001:10001\"` on the service, or add a `USER` to its image.",
                "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`.",
            ));
        }
        _ => {}
    }
}

/// Official images and `scratch` are known to default to root; for any other base the default user is the
/// image's choice, which is root for most images.
fn unset_message(container: &Container) -> &'static str {
    let known_root = match container.image.as_ref().map(|i| &i.spec) {
        None | Some(ImageSpec::Scratch) => true,
        Some(_) => container.image.as_ref().and_then(|i| i.image()).is_some_and(|r| r.is_official()),
    };
    if known_root {
        "Container runs as root because no user is set"
    } else {
        "No user is set, so the container runs as its base image's default user, usually root"
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, spans};

    #[test]
    fn missing_user_points_at_the_final_from() {
        let text = "FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
        assert_eq!(spans(&RULE, text), ["FROM alpine:3.20"]);
        assert_eq!(messages(&RULE, text), ["Container runs as root because no user is set"]);
    }

    #[test]
    fn explicit_root_points_at_the_user() {
        assert_eq!(spans(&RULE, "FROM alpine:3.20\nUSER app\nUSER root\n"), ["root"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.20\nUSER 0:0\n"), ["0:0"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.20\nuser root:root\n"), ["root:root"]);
    }

    #[test]
    fn user_set_in_a_parent_stage_counts() {
        assert_clean(&RULE, "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN true\n");
        assert_eq!(spans(&RULE, "FROM alpine:3.20 AS base\nUSER app\nFROM base\nUSER root\n"), ["root"]);
    }

    #[test]
    fn only_the_final_stage_matters() {
        assert_clean(&RULE, "FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER 10001\n");
    }

    #[test]
    fn users_from_variables() {
        assert_eq!(spans(&RULE, "FROM alpine:3.20\nARG U=root\nUSER $U\n"), ["$U"]);
        assert_clean(&RULE, "FROM alpine:3.20\nARG U=1000\nUSER ${U}\n");
        assert_clean(&RULE, "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n");
    }

    #[test]
    fn non_root_and_windows_base_images() {
        assert_clean(&RULE, "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n");
        assert_clean(&RULE, "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n");
        assert_eq!(spans(&RULE, "FROM scratch\nCOPY app /app\n"), ["FROM scratch"]);
    }

    #[test]
    fn unknown_bases_default_to_their_own_user() {
        let text = "ARG BASE\nFROM $BASE\nRUN make\n";
        assert_eq!(spans(&RULE, text), ["FROM $BASE"]);
        assert_eq!(
            messages(&RULE, text),
            ["No user is set, so the container runs as its base image's default user, usually root"]
        );
        assert_eq!(messages(&RULE, "FROM grafana/grafana:11.0.0\n").len(), 1);
        assert_clean(&RULE, "ARG V\nFROM mcr.microsoft.com/windows/servercore:$V\nRUN dir\n");
    }

    #[test]
    fn empty_file_has_no_container() {
        assert_clean(&RULE, "# nothing here\n");
    }
}
