use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting, UserRef};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose user is not root but whose group is: `USER app:0`, `USER 1000:root`, Compose
    /// `user: "1000:0"`. (A root user is `container-runs-as-root`'s finding.)
    ///
    /// ## Why is this bad?
    /// The process's group decides what it can do with group-owned files, and most of a Linux filesystem is
    /// owned by group `root`: files such as `/etc/sudoers` (mode 0440) become readable, every directory made
    /// group-writable for group 0 becomes writable, and so do host files and devices that a volume or bind
    /// mount exposes with root-group permissions. Running as a non-root user gives up most of its benefit
    /// when the group stays root.
    ///
    /// OpenShift runs containers under an arbitrary UID whose group is always 0, and Red Hat's guidelines
    /// make the application's directories group-owned by 0 and group-writable (`chgrp -R 0 … && chmod -R
    /// g=u …`) for that reason. The platform supplies the group itself, so the image needs only
    /// `USER 1001`; the `:0` in `USER 1001:0` changes nothing on OpenShift and grants the root group
    /// everywhere else. The rule therefore still reports it.
    ///
    /// `USER 1000` (or `user: "1000"`) without a group takes the user's primary group from the image's
    /// `/etc/passwd`, or 0 when the UID has no entry there; plimsoll cannot see the image's files, so that case
    /// is not reported. A Compose service is checked on its own `user:`; the `USER` of a Dockerfile it builds
    /// is checked in that Dockerfile.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM alpine:3.22
    /// RUN adduser -D -u 10001 app
    /// USER app:root
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM alpine:3.22
    /// RUN addgroup -g 10001 app && adduser -D -u 10001 -G app app
    /// USER 10001:10001
    /// ```
    ///
    /// In a Compose file:
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     user: "10001:0"
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     user: "10001:10001"
    /// ```
    ///
    /// ## References
    /// - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    /// - [Compose file reference: user](https://docs.docker.com/reference/compose-file/services/#user)
    /// - [OpenShift: creating images](https://docs.openshift.com/container-platform/latest/openshift_images/create-images.html), "Support arbitrary user ids"
    code: "ISO002",
    name: "container-runs-with-root-group",
    family: Iso,
    severity: Warning,
    formats: [Dockerfile, Compose],
    aliases: ["KSV-0116"],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let Setting::Explicit(user, range) = &container.user else { return };
    if user.user.is_root() == Some(true) {
        return;
    }
    let group = match &user.group {
        Some(UserRef::Id(0)) => "GID 0",
        Some(UserRef::Name(name)) if name == "root" => "group `root`",
        _ => return,
    };
    r.report(*range, format!("Container runs with the root group ({group})")).help(help::for_format(
        container.format,
        "Give the user a group of its own, `USER 10001:10001`, and grant that group write access only where the \
         application writes.",
        "Set a non-zero group in `user:`, such as `user: \"10001:10001\"`.",
        "Set `securityContext.runAsGroup` to a non-zero GID.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_compose_clean, compose_spans, lint_compose, messages, spans};

    #[test]
    fn root_group_with_a_non_root_user() {
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER app:root\n"), ["app:root"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nUSER 1001:0\n"), ["1001:0"]);
        assert_eq!(
            messages(&RULE, "FROM alpine:3.22\nUSER 1001:0\n"),
            ["Container runs with the root group (GID 0)"]
        );
        assert_eq!(
            messages(&RULE, "FROM alpine:3.22\nUSER app:root\n"),
            ["Container runs with the root group (group `root`)"]
        );
    }

    #[test]
    fn variables_and_inheritance() {
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nARG GID=0\nUSER app:${GID}\n"), ["app:${GID}"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22\nARG UID\nUSER ${UID}:0\n"), ["${UID}:0"]);
        assert_eq!(spans(&RULE, "FROM alpine:3.22 AS base\nUSER 1001:0\nFROM base\nRUN true\n"), ["1001:0"]);
        assert_clean(&RULE, "FROM alpine:3.22\nARG GID\nUSER app:${GID}\n");
    }

    #[test]
    fn other_groups_root_users_and_missing_users_pass() {
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 10001:10001\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER app\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER app:rootless\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER root:root\n");
        assert_clean(&RULE, "FROM alpine:3.22\nUSER 0:0\n");
        assert_clean(&RULE, "FROM alpine:3.22\n");
        assert_clean(&RULE, "FROM alpine:3.22 AS build\nUSER 1001:0\nFROM alpine:3.22\nUSER 1001:1001\n");
    }

    #[test]
    fn compose_users() {
        let yaml = "services:\n  a:\n    image: x:1\n    user: \"10001:0\"\n  b:\n    image: x:1\n    user: app:root\n";
        assert_eq!(compose_spans(&RULE, yaml), ["10001:0", "app:root"]);
        let yaml = "services:\n  a:\n    image: x:1\n    user: ${UID:-1000}:${GID:-0}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["${UID:-1000}:${GID:-0}"]);
        assert_eq!(
            lint_compose(&RULE, yaml)[0].help.as_deref(),
            Some("Set a non-zero group in `user:`, such as `user: \"10001:10001\"`.")
        );
    }

    #[test]
    fn compose_other_groups_and_unknowns_pass() {
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"10001:10001\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"0:0\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: ${UID}:${GID}\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n    user: \"1000\"\n");
        assert_compose_clean(&RULE, "services:\n  a:\n    image: x:1\n");
    }
}
