use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers whose output is logged by the `json-file` driver — Docker's default — without a
    /// size limit: a Compose service with no `logging.options.max-size`, or with `max-size: -1`. Services that
    /// choose another driver pass: `local` rotates by default, and `journald`, `syslog`, `fluentd`, `gelf`,
    /// `awslogs` and the like send the logs away.
    ///
    /// ## Why is this bad?
    /// The `json-file` driver appends everything the container prints to one file under `/var/lib/docker`
    /// and never trims it. A chatty service, a crash loop or an attacker provoking error messages grows it
    /// until the host's disk is full; then the database next to it stops writing, the daemon cannot create
    /// containers, and the host may not even let an administrator log in. `max-size` (with `max-file`) makes
    /// Docker rotate the file.
    ///
    /// Docker's default driver and its options can also be set for every container in the daemon's
    /// `daemon.json` (`"log-opts": {"max-size": "10m"}`); the linter cannot see that file. If your hosts
    /// rotate logs that way, disable this rule. Services completed by another file (override files,
    /// `extends` from another file, services with neither `image` nor `build`) are not checked.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   api:
    ///     image: example/api:2.1
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   api:
    ///     image: example/api:2.1
    ///     logging:
    ///       driver: json-file
    ///       options:
    ///         max-size: 10m
    ///         max-file: "3"
    /// ```
    ///
    /// ## References
    /// - [Docker: JSON File logging driver](https://docs.docker.com/engine/logging/drivers/json-file/)
    /// - [Docker: local file logging driver](https://docs.docker.com/engine/logging/drivers/local/)
    /// - [Compose file reference: logging](https://docs.docker.com/reference/compose-file/services/#logging)
    code: "RES006",
    name: "log-rotation-missing",
    family: Res,
    severity: Info,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    let (range, message) = match &container.runtime.log_rotation {
        Setting::Unset { .. } if container.partial => return,
        Setting::Unset { anchor } => {
            (*anchor, "Container's logs are never rotated and can fill the host's disk")
        }
        Setting::Explicit(value, range) if value.trim() == "-1" => {
            (*range, "Container's log size limit `-1` means its logs are never rotated")
        }
        _ => return,
    };
    r.report(range, message).help(help::for_format(
        container.format,
        "Rotate its logs.",
        "Set `logging.options.max-size` (e.g. `10m`, with `max-file: \"3\"`), or use the `local` driver, which rotates by default.",
        "Set the kubelet's `containerLogMaxSize` and `containerLogMaxFiles`.",
    ));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn points_at_the_logging_key_or_the_service() {
        assert_eq!(compose_spans(&RULE, "services:\n  api:\n    image: a:1\n"), ["api"]);
        let yaml = "services:\n  api:\n    image: a:1\n    logging:\n      driver: json-file\n      options:\n        max-file: \"5\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["logging"]);
        let yaml =
            "services:\n  api:\n    image: a:1\n    logging:\n      options:\n        max-size: \"-1\"\n";
        assert_eq!(compose_spans(&RULE, yaml), ["\"-1\""]);
    }

    #[test]
    fn shared_logging_blocks() {
        let yaml = "x-logging: &logging\n  driver: json-file\n  options: {max-size: 10m}\nservices:\n  a:\n    image: a:1\n    logging: *logging\n  b:\n    image: b:1\n";
        assert_eq!(compose_spans(&RULE, yaml), ["b"]);
        let yaml = "services:\n  base:\n    image: a:1\n    logging: {options: {max-size: 1m}}\n  child:\n    extends: base\n";
        assert_compose_clean(&RULE, yaml);
    }

    #[test]
    fn other_drivers_unknown_and_partial_services_pass() {
        for driver in ["local", "journald", "syslog", "none", "\"${LOG_DRIVER}\""] {
            let yaml = format!("services:\n  a:\n    image: a:1\n    logging:\n      driver: {driver}\n");
            assert!(lint_compose(&RULE, &yaml).is_empty(), "{driver}");
        }
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    logging: {options: {max-size: \"${SIZE}\"}}\n",
        );
        assert_compose_clean(&RULE, "services:\n  a:\n    environment: [A=1]\n");
        let yaml = "services:\n  a:\n    image: a:1\n    logging: {driver: \"${LOG_DRIVER:-json-file}\"}\n";
        assert_eq!(compose_spans(&RULE, yaml), ["logging"]);
    }
}
