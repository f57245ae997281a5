use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting, UserRef};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags a container whose user is set by name (`USER app`, Compose `user: app`) rather than by numeric
    /// UID (`USER 10001`, `user: "10001"`). Off by default: enable it where images must run under Kubernetes
    /// `runAsNonRoot` or policies that check the UID.
    ///
    /// ## Why is this bad?
    /// The kubelet enforces `runAsNonRoot` by reading the image's user: a numeric UID can be checked, a name
    /// cannot (it would have to be looked up in the image's `/etc/passwd`), so the pod is refused with "image
    /// has non-numeric user … cannot verify user is non-root". Admission policies that check UIDs have the
    /// same blind spot. A name also resolves through whatever `/etc/passwd` the image ends up with, so a base
    /// image update or a later `RUN` can map it to another UID, including 0.
    ///
    /// `root` is left to `container-runs-as-root`, and users that come from a variable without a value are not
    /// checked. The group may stay a name: only the UID is verified. A Compose service is checked on its own
    /// `user:`; the `USER` of a Dockerfile it builds is checked in that Dockerfile.
    ///
    /// Kubernetes manifests are not checked: `runAsUser` only takes a number, and the user an image names is
    /// the image's business, checked in its Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:trixie-slim
    /// RUN useradd --uid 10001 app
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:trixie-slim
    /// RUN useradd --uid 10001 app
    /// USER 10001
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   web:
    ///     image: node:22-alpine
    ///     user: node
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   web:
    ///     image: node:22-alpine
    ///     user: "1000"
    /// ```
    ///
    /// ## References
    /// - [Kubernetes: security context, `runAsNonRoot`](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    code: "ISO003",
    name: "user-not-numeric",
    family: Iso,
    severity: Info,
    default_enabled: false,
    formats: [Dockerfile, Compose],
    aliases: ["DL3066"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let Setting::Explicit(user, range) = &container.user else { return };
    let UserRef::Name(name) = &user.user else { return };
    if name == "root" {
        return;
    }
    r.report(*range, format!("User `{name}` is a name, not a numeric UID")).help(help::for_format(
        container.format,
        "Create the user with a fixed UID (`useradd --uid 10001 app`) and switch to it by number: `USER 10001`.",
        "Set `user:` to the numeric UID, such as `user: \"10001\"`.",
        "Set `securityContext.runAsUser` to the image user's numeric UID.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_compose_clean, compose_spans, lint_compose, messages, spans};

    #[test]
    fn named_users() {
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER app\n"), ["app"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER www-data:www-data\n"), ["www-data:www-data"]);
        assert_eq!(
            messages(&RULE, "FROM alpine:3.22\nUSER node\n"),
            ["User `node` is a name, not a numeric UID"]
        );
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nARG USERNAME=app\nUSER ${USERNAME}\n"), ["${USERNAME}"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22 AS base\nUSER app\nFROM base\nRUN true\n"), ["app"]);
    }

    #[test]
    fn numeric_root_unknown_and_inherited_users_pass() {
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 10001\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 10001:app\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER root\n");
        assert_clean(&RULE, "FROM alpine:3.22\nARG UID\nUSER $UID\n");
        assert_clean(&RULE, "FROM alpine:3.22\nARG UID=1000\nUSER ${UID}\n");
        assert_clean(&RULE, "FROM gcr.io/distroless/static-debian12:nonroot\n");
        assert_clean(&RULE, "FROM alpine:3.22\n");
        assert_clean(&RULE, "FROM alpine:3.22 AS build\nUSER app\nFROM alpine:3.22\nUSER 10001\n");
    }

    #[test]
    fn compose_users() {
        let yaml = "services:\n  a:\n    image: x:1\n    user: node\n  b:\n    image: x:1\n    user: \"www-data:www-data\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["node", "www-data:www-data"]);
        let found = lint_compose(&RULE, "services:\n  a:\n    image: x:1\n    user: ${APP_USER:-app}\n");
        assert_eq!(found[0].message, "User `app` is a name, not a numeric UID");
        assert_eq!(
            found[0].help.as_deref(),
            Some("Set `user:` to the numeric UID, such as `user: \"10001\"`.")
        );
    }

    #[test]
    fn compose_numeric_root_unknown_and_inherited_users_pass() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"1000:1000\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: 1000\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: root\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: ${UID}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: bitnami/redis:7.4\n");
    }
}
