use plimsoll_linter::{Check, Reporter, declare_rule};
use plimsoll_model::{Container, Setting};

use crate::support::help;

declare_rule! {
    /// ## What it does
    /// Flags containers without a block I/O weight or throttle: a Compose service without `blkio_config`.
    /// Disabled by default: enable it where containers share disks with services that need predictable
    /// latency.
    ///
    /// ## Why is this bad?
    /// Disk bandwidth and I/O operations are shared by every container on a host. Without a weight or a
    /// throttle, one container that rebuilds an index, dumps a database or is made to write logs as fast as
    /// it can saturates the disk, and every other container — and the host itself — waits on I/O. A
    /// `weight` gives the service a fair share under contention; `device_read_bps`, `device_write_bps`,
    /// `device_read_iops` and `device_write_iops` cap it outright.
    ///
    /// Services completed by another file (override files, `extends` from another file, services with
    /// neither `image` nor `build`) are not checked.
    ///
    /// ## Example
    /// ```compose,bad
    /// services:
    ///   indexer:
    ///     image: example/indexer:1.8
    /// ```
    ///
    /// Use instead:
    /// ```compose,good
    /// services:
    ///   indexer:
    ///     image: example/indexer:1.8
    ///     blkio_config:
    ///       weight: 300
    ///       device_write_bps:
    ///         - path: /dev/sda
    ///           rate: 50mb
    /// ```
    ///
    /// ## References
    /// - [Compose file reference: blkio_config](https://docs.docker.com/reference/compose-file/services/#blkio_config)
    /// - [Docker: block I/O options of `docker run`](https://docs.docker.com/reference/cli/docker/container/run/#blkio-weight)
    code: "RES005",
    name: "block-io-limit-missing",
    family: Res,
    severity: Info,
    default_enabled: false,
    formats: [Compose],
    aliases: [],
    checks: [Check::Container(check)],
}

fn check(container: &Container, r: &mut Reporter) {
    if container.partial {
        return;
    }
    if let Setting::Unset { anchor } = container.runtime.resources.block_io {
        r.report(anchor, "Container has no block I/O weight or limit").help(help::for_format(
            container.format,
            "Give it a block I/O weight or limit.",
            "Set `blkio_config` with a `weight` (10–1000) or `device_read_bps`/`device_write_bps` limits.",
            "Limit its disk I/O at the node or storage class: Kubernetes has no per-container block I/O setting.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_compose_clean, compose_spans, lint_compose};

    #[test]
    fn services_without_blkio_config_point_at_their_key() {
        let yaml = "services:\n  api:\n    image: a:1\n  db:\n    image: b:1\n    blkio_config:\n      weight: 500\n";
        assert_eq!(compose_spans(&RULE, yaml), ["api"]);
    }

    #[test]
    fn configured_and_partial_services_pass() {
        assert_compose_clean(
            &RULE,
            "services:\n  a:\n    image: a:1\n    blkio_config: {device_read_iops: [{path: /dev/sda, rate: 120}]}\n",
        );
        assert_compose_clean(
            &RULE,
            "services:\n  base:\n    image: a:1\n    blkio_config: {weight: 10}\n  child:\n    extends: base\n",
        );
        assert!(lint_compose(&RULE, "services:\n  a:\n    environment: [A=1]\n").is_empty());
    }
}
