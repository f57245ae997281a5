use plimsoll_diagnostic::Format;
use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, ImageSpec, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose effective user is root (Dockerfile `USER`, Compose `user:`, Kubernetes
    /// `securityContext.runAsUser` and `runAsNonRoot`):
    /// - a Dockerfile whose final stage never sets `USER` (directly or through the stages it builds on) or
    ///   whose last `USER` is `root` or `0`;
    /// - a Compose service whose `user:` is `root` or `0`, or that sets no `user:` and runs an image that
    ///   defaults to root. For a service that builds its image (`build:`), that image's user is read from
    ///   its Dockerfile (the `target` stage, or the last one): a final `USER root` is reported on `build:`,
    ///   a Dockerfile without `USER` on the service. A Dockerfile that cannot be read is not guessed;
    /// - a Kubernetes container whose `securityContext.runAsUser` (its own, else the pod's) is `0`, or that
    ///   sets neither a `runAsUser` nor `runAsNonRoot: true` and runs an image that defaults to root.
    ///
    /// ## Why is this bad?
    /// A process running as root inside a container is root on the host's kernel: any container escape,
    /// kernel bug or mounted host path then acts with full privileges, and the process can rewrite its own
    /// binaries and install tools. Images should run as an unprivileged user by default; the few steps that
    /// need root belong in earlier instructions or build stages.
    ///
    /// Images that are documented to run as a non-root user (distroless `nonroot` tags, Chainguard images,
    /// `nginx-unprivileged`, Bitnami images) satisfy the rule without a `USER` or `user:`; Windows images are
    /// not checked. Docker Official Images (`postgres`, `redis`, `node`…) and `scratch` run as root unless
    /// told otherwise; any other image chooses its own default, which is usually root, and the message says
    /// so. Compose services completed by another file (an override file, `extends` from another file, a
    /// service with neither `image` nor `build`) are only checked for an explicit root `user:`, since the
    /// other file may set one.
    ///
    /// In Kubernetes, `runAsNonRoot: true` makes the kubelet refuse to start a container whose user would be
    /// root, so it satisfies the rule without a `runAsUser`. The pod's `runAsUser: 0` is reported once, at
    /// the pod's field. Containers without an `image` (patches) are only checked for an explicit
    /// `runAsUser: 0`; Windows pods (`os.name: windows`, a Windows node selector, a
    /// `windowsOptions.runAsUserName` or `hostProcess`) are not checked. A pod with a user namespace of its own (`hostUsers: false`) is still reported: its root is
    /// not the host's root, but it is root over everything in the container.
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
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: node:22-alpine
    ///     command: ["node", "/app/server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: node:22-alpine
    ///     user: "1000:1000"
    ///     command: ["node", "/app/server.js"]
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
    ///       image: node:22-alpine
    ///       command: ["node", "/app/server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```kubernetes,good
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 1000
    ///   containers:
    ///     - name: web
    ///       image: node:22-alpine
    ///       command: ["node", "/app/server.js"]
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    /// - [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Kubernetes Pod Security Standards: restricted](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
    /// - CIS Docker Benchmark v1.6.0, 4.1 "Ensure that a user for the container has been created"
    code: "ISO001",
    name: "container-runs-as-root",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile, Compose, Kubernetes],
    aliases: [
        "DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS-0002",
        "fd54f200-402c-4333-a5a4-36ef6709af2f", "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae", "CIS-DI-0001",
        "run-as-non-root", "runAsRootAllowed", "CKV_K8S_23", "KSV-0012", "KSV-0105",
    ],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    match &container.user {
        Setting::Explicit(user, range) if user.user.is_root() == Some(true) => {
            r.report(*range, "Container runs as root").help(help::for_format(
                container.format,
                "Create an unprivileged user in an earlier step and switch to it with `USER 10001` (or a named user).",
                "Set `user:` to an unprivileged user, such as `user: \"10001:10001\"`.",
                KUBERNETES_HELP,
            ));
        }
        // A Kubernetes container under the pod's `runAsUser: 0`.
        Setting::Inherited(user, range)
            if container.format == Format::Kubernetes && user.user.is_root() == Some(true) =>
        {
            r.report(*range, "Container runs as root").help(KUBERNETES_HELP);
        }
        // A Compose service building an image whose Dockerfile ends with `USER root`.
        Setting::Inherited(user, range) if user.user.is_root() == Some(true) => {
            r.report(*range, "Container runs as root, the user its image is built with").help(help::for_format(
                container.format,
                "Switch to an unprivileged user with `USER 10001` at the end of the final stage.",
                "Set `user: \"10001:10001\"` on the service, or end the Dockerfile with an unprivileged `USER`.",
                KUBERNETES_HELP,
            ));
        }
        // A partial definition may get its user from the file that completes it.
        Setting::Unset { anchor } if !container.partial => {
            let built = container.format == Format::Compose && container.image.is_none();
            let compose_help = if built {
                "Set `user: \"10001:10001\"` on the service, or add a `USER` to the Dockerfile it builds."
            } else {
                "Set `user: \"10001:10001\"` on the service, or use an image that runs as a non-root user."
            };
            r.report(*anchor, unset_message(container)).help(help::for_format(
                container.format,
                "Add `USER 10001` (or a named unprivileged user) to the final stage.",
                compose_help,
                KUBERNETES_HELP,
            ));
        }
        _ => {}
    }
}

const KUBERNETES_HELP: &str = "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`.";

/// Official images and `scratch` are known to default to root; for any other image the default user is the
/// image's choice, which is root for most images.
fn unset_message(container: &Container) -> &'static str {
    let image = container.image.as_ref();
    if container.format == Format::Compose && image.is_none() {
        // A service that builds its image from a Dockerfile without `USER`.
        return "No user is set in the service or its Dockerfile, so the container runs as its base image's \
                default user, usually root";
    }
    let known_root = match image.map(|i| &i.spec) {
        None | Some(ImageSpec::Scratch) => true,
        Some(_) => image.and_then(|i| i.image()).is_some_and(|r| r.is_official()),
    };
    match (known_root, container.format) {
        (true, _) => "Container runs as root because no user is set",
        (false, Format::Dockerfile) => {
            "No user is set, so the container runs as its base image's default user, usually root"
        }
        (false, _) => "No user is set, so the container runs as its image's default user, usually root",
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

    mod kubernetes {
        use super::super::RULE;
        use crate::testing::{assert_k8s_clean, k8s_spans, lint_k8s, pod};

        #[test]
        fn runs_as_uid_0_points_at_the_value() {
            let yaml = pod("", "      securityContext:\n        runAsUser: 0\n");
            assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
            let found = lint_k8s(&RULE, &yaml);
            assert_eq!(found[0].message, "Container runs as root");
            assert_eq!(
                found[0].help.as_deref(),
                Some("Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`.")
            );
            // `runAsNonRoot` does not make UID 0 safe: the kubelet refuses to start the container instead.
            let yaml = pod("", "      securityContext:\n        runAsNonRoot: true\n        runAsUser: 0\n");
            assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        }

        #[test]
        fn the_pods_uid_0_is_reported_once() {
            let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: a\n      image: x:1\n    - name: b\n      image: y:1\n";
            let found = lint_k8s(&RULE, yaml);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].range.slice(yaml), "0");
            assert_eq!(found[0].message, "Container runs as root");
            // The container's own user wins over the pod's.
            let yaml = pod(
                "  securityContext:\n    runAsUser: 0\n",
                "      securityContext:\n        runAsUser: 1000\n",
            );
            assert_k8s_clean(&RULE, &yaml);
            let yaml = pod(
                "  securityContext:\n    runAsUser: 1000\n",
                "      securityContext:\n        runAsUser: 0\n",
            );
            assert_eq!(k8s_spans(&RULE, &yaml), ["0"]);
        }

        #[test]
        fn no_user_points_at_the_container_name() {
            let yaml = pod("", "");
            assert_eq!(k8s_spans(&RULE, &yaml), ["app"]);
            assert_eq!(lint_k8s(&RULE, &yaml)[0].message, "Container runs as root because no user is set");
            let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: grafana\n          image: grafana/grafana:11.2.0\n          securityContext:\n            runAsNonRoot: false\n";
            assert_eq!(k8s_spans(&RULE, yaml), ["grafana"]);
            assert_eq!(
                lint_k8s(&RULE, yaml)[0].message,
                "No user is set, so the container runs as its image's default user, usually root"
            );
        }

        #[test]
        fn non_root_settings_images_windows_and_patches_pass() {
            assert_k8s_clean(&RULE, &pod("", "      securityContext:\n        runAsUser: 10001\n"));
            assert_k8s_clean(&RULE, &pod("  securityContext:\n    runAsNonRoot: true\n", ""));
            assert_k8s_clean(&RULE, &pod("  securityContext:\n    runAsUser: 1000\n", ""));
            let distroless = pod("", "").replace("nginx:1.27", "gcr.io/distroless/static-debian12:nonroot");
            assert_k8s_clean(&RULE, &distroless);
            assert_k8s_clean(&RULE, &pod("  os:\n    name: windows\n", ""));
            assert_k8s_clean(
                &RULE,
                &pod("  securityContext:\n    windowsOptions:\n      runAsUserName: ContainerUser\n", ""),
            );
            let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          args: [--verbose]\n";
            assert_k8s_clean(&RULE, patch);
            let root_patch = patch.replace("args: [--verbose]", "securityContext: {runAsUser: 0}");
            assert_eq!(k8s_spans(&RULE, &root_patch), ["0"]);
        }
    }

    mod compose {
        use std::collections::HashMap;
        use std::path::{Path, PathBuf};

        use plimsoll_diagnostic::{Diagnostic, Format};
        use plimsoll_linter::{FileContext, Linter, SourceFile, Workspace};

        use super::super::RULE;
        use crate::testing::{assert_compose_clean, compose_spans, lint_compose, settings};

        /// Project files in memory, keyed by path.
        struct Files(HashMap<PathBuf, String>);

        impl Workspace for Files {
            fn read(&self, path: &Path) -> Option<String> {
                self.0.get(path).cloned()
            }
        }

        /// Lints `/project/compose.yaml` beside the given project files.
        fn lint_project(yaml: &str, files: &[(&str, &str)]) -> Vec<Diagnostic> {
            let files =
                Files(files.iter().map(|(p, t)| (Path::new("/project").join(p), t.to_string())).collect());
            let context = FileContext { path: Some(Path::new("/project/compose.yaml")), workspace: &files };
            let linter = Linter::new(&[&RULE], settings());
            linter.lint_in(&SourceFile::from_text(yaml), Format::Compose, &context).diagnostics
        }

        fn project_spans(yaml: &str, files: &[(&str, &str)]) -> Vec<String> {
            lint_project(yaml, files).iter().map(|d| d.range.slice(yaml).to_string()).collect()
        }

        #[test]
        fn explicit_root_users_point_at_the_value() {
            assert_eq!(compose_spans(&RULE, "services:\n  a:\n    image: x:1\n    user: root\n"), ["root"]);
            assert_eq!(compose_spans(&RULE, "services:\n  a:\n    image: x:1\n    user: \"0:0\"\n"), ["0:0"]);
            assert_eq!(compose_spans(&RULE, "services:\n  a:\n    image: x:1\n    user: 0\n"), ["0"]);
            let yaml = "services:\n  a:\n    image: x:1\n    user: ${RUN_AS:-root}\n";
            assert_eq!(compose_spans(&RULE, yaml), ["${RUN_AS:-root}"]);
            assert_eq!(lint_compose(&RULE, yaml)[0].message, "Container runs as root");
            // An override file's explicit root is as bad as anyone's.
            assert_eq!(compose_spans(&RULE, "services:\n  a:\n    user: root\n"), ["root"]);
        }

        #[test]
        fn images_that_default_to_root() {
            let yaml = "services:\n  db:\n    image: postgres:16\n";
            let found = lint_compose(&RULE, yaml);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].range.slice(yaml), "db");
            assert_eq!(found[0].message, "Container runs as root because no user is set");
            assert_eq!(
                found[0].help.as_deref(),
                Some(
                    "Set `user: \"10001:10001\"` on the service, or use an image that runs as a non-root user."
                )
            );
            let yaml = "services:\n  grafana:\n    image: grafana/grafana:11.2.0\n";
            assert_eq!(
                lint_compose(&RULE, yaml)[0].message,
                "No user is set, so the container runs as its image's default user, usually root"
            );
            assert_eq!(compose_spans(&RULE, "services:\n  app:\n    image: ${IMAGE}\n"), ["app"]);
        }

        #[test]
        fn non_root_users_and_images_pass() {
            assert_compose_clean(&RULE, "services:\n  a:\n    image: postgres:16\n    user: \"999:999\"\n");
            assert_compose_clean(&RULE, "services:\n  a:\n    image: node:22\n    user: node\n");
            assert_compose_clean(&RULE, "services:\n  a:\n    image: node:22\n    user: ${UID}:${GID}\n");
            assert_compose_clean(&RULE, "services:\n  cache:\n    image: bitnami/redis:7.4\n");
            assert_compose_clean(&RULE, "services:\n  web:\n    image: cgr.dev/chainguard/nginx:latest\n");
            assert_compose_clean(&RULE, "services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n");
            assert_compose_clean(
                &RULE,
                "services:\n  w:\n    image: mcr.microsoft.com/windows/servercore:ltsc2022\n",
            );
            assert_compose_clean(
                &RULE,
                "services:\n  w:\n    image: mcr.microsoft.com/windows/servercore:${TAG}\n",
            );
        }

        #[test]
        fn partial_services_without_a_user_are_skipped() {
            assert_compose_clean(&RULE, "services:\n  a:\n    environment:\n      A: 1\n");
            assert_compose_clean(
                &RULE,
                "services:\n  a:\n    extends:\n      file: base.yml\n      service: a\n",
            );
            // Within the file, `extends` brings the base's image and user.
            let yaml = "services:\n  base:\n    image: postgres:16\n    user: postgres\n  replica:\n    extends: base\n";
            assert_compose_clean(&RULE, yaml);
        }

        #[test]
        fn built_images_take_the_dockerfile_user() {
            let yaml = "services:\n  api:\n    build: .\n";
            assert!(lint_project(yaml, &[("Dockerfile", "FROM node:22\nUSER app\n")]).is_empty());
            let found = lint_project(yaml, &[("Dockerfile", "FROM node:22\nCOPY . /app\n")]);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].range.slice(yaml), "api");
            assert_eq!(
                found[0].message,
                "No user is set in the service or its Dockerfile, so the container runs as its base image's default \
                 user, usually root"
            );
            assert_eq!(
                found[0].help.as_deref(),
                Some(
                    "Set `user: \"10001:10001\"` on the service, or add a `USER` to the Dockerfile it builds."
                )
            );
            let found = lint_project(yaml, &[("Dockerfile", "FROM node:22\nUSER app\nUSER root\n")]);
            assert_eq!(found[0].range.slice(yaml), "build: .");
            assert_eq!(found[0].message, "Container runs as root, the user its image is built with");
        }

        #[test]
        fn build_sections_in_every_form() {
            let yaml = "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: docker/Prod.Dockerfile\n      target: runtime\n";
            let dockerfile = "FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.22 AS runtime\nCOPY --from=build /a /a\nFROM runtime AS debug\nUSER app\n";
            assert_eq!(project_spans(yaml, &[("api/docker/Prod.Dockerfile", dockerfile)]), ["api"]);
            let fixed =
                dockerfile.replace("COPY --from=build /a /a\n", "COPY --from=build /a /a\nUSER 10001\n");
            assert!(lint_project(yaml, &[("api/docker/Prod.Dockerfile", &fixed)]).is_empty());
            let inline = "services:\n  api:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n        RUN true\n";
            assert_eq!(compose_spans(&RULE, inline), ["api"]);
        }

        #[test]
        fn built_images_that_need_no_user_or_cannot_be_read() {
            let yaml = "services:\n  api:\n    build: .\n";
            assert!(lint_project(yaml, &[("Dockerfile", "FROM bitnami/node:22\nCOPY . /app\n")]).is_empty());
            assert!(lint_project(yaml, &[]).is_empty(), "an unreadable Dockerfile is not guessed");
            let with_user = "services:\n  api:\n    build: .\n    user: \"10001\"\n";
            assert!(lint_project(with_user, &[("Dockerfile", "FROM node:22\nUSER root\n")]).is_empty());
            let override_file = "services:\n  api:\n    build: .\n";
            let files =
                Files(HashMap::from([(PathBuf::from("/p/Dockerfile"), "FROM node:22\n".to_string())]));
            let context =
                FileContext { path: Some(Path::new("/p/docker-compose.override.yml")), workspace: &files };
            let linter = Linter::new(&[&RULE], settings());
            let found = linter.lint_in(&SourceFile::from_text(override_file), Format::Compose, &context);
            assert!(found.diagnostics.is_empty(), "an override file may be completed elsewhere");
        }
    }
}
