//! apt-get, apt and aptitude (Debian, Ubuntu).
//!
//! Package words: `name`, `name=version` (a trailing `*` selects a version series), `name/release`,
//! `name:arch`, a `.deb` path; `name-` removes the package, and `?pattern`/`~pattern` select by pattern.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin};

const APT_GET: Cli = Cli {
    short: "octaP",
    long: &[
        "option",
        "config-file",
        "target-release",
        "default-release",
        "host-architecture",
        "build-profiles",
        "solver",
        "planner",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

const APTITUDE: Cli = Cli {
    short: "otFwSO",
    long: &["option", "target-release", "default-release", "display-format", "width", "sort"],
    ..APT_GET
};

pub(super) fn parse<'a>(manager: Manager, program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let cli = if manager == Manager::Aptitude { APTITUDE } else { APT_GET };
    let parsed = cli.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" | "reinstall" => Operation::Install,
        "update" => Operation::Refresh,
        "upgrade" | "dist-upgrade" | "full-upgrade" | "safe-upgrade" => Operation::Upgrade,
        "remove" | "purge" | "autoremove" | "autopurge" => Operation::Remove,
        "clean" | "autoclean" | "distclean" | "dist-clean" => Operation::Clean,
        "build-dep" | "source" | "download" | "satisfy" => Operation::Fetch,
        _ => Operation::Other,
    };
    Some(PackageOp {
        manager,
        operation,
        program,
        verb: vec![verb],
        options: parsed.options,
        packages: packages.to_vec(),
    })
}

pub(super) fn classify(text: &str) -> Kind<'_> {
    if text.ends_with(".deb") || text.starts_with(['/', '.', '~']) || text.contains("://") {
        // `~` also starts aptitude patterns (`~nfoo`); neither a path nor a pattern is judged by name.
        return if text.starts_with('~') { Kind::Unjudged } else { Kind::File };
    }
    let (name, pin) = if let Some((name, version)) = text.split_once('=') {
        (name, if version.is_empty() { Pin::Missing } else { Pin::Pinned })
    } else if let Some((name, release)) = text.split_once('/') {
        (name, if release.is_empty() { Pin::Missing } else { Pin::Floating(release) })
    } else {
        (text, Pin::Missing)
    };
    // A trailing `-` removes the package; patterns and regular expressions select many packages.
    if name.ends_with('-') || name.starts_with(['?', '!', '^']) || name.contains(['(', '*', '$', '[']) {
        return Kind::Unjudged;
    }
    // `libc6:i386` is the package `libc6` for another architecture.
    let name = name.split_once(':').map_or(name, |(name, _)| name);
    if name.is_empty() {
        return Kind::Unjudged;
    }
    Kind::Named { name, pin }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_words() {
        assert_eq!(classify("curl"), Kind::Named { name: "curl", pin: Pin::Missing });
        assert_eq!(classify("curl=7.88.1-10+deb12u5"), Kind::Named { name: "curl", pin: Pin::Pinned });
        assert_eq!(classify("curl=7.88.*"), Kind::Named { name: "curl", pin: Pin::Pinned });
        assert_eq!(classify("lib*-dev"), Kind::Unjudged);
        assert_eq!(
            classify("git/bookworm-backports"),
            Kind::Named { name: "git", pin: Pin::Floating("bookworm-backports") }
        );
        assert_eq!(classify("libc6:i386"), Kind::Named { name: "libc6", pin: Pin::Missing });
        assert_eq!(classify("libc6:i386=2.36-9"), Kind::Named { name: "libc6", pin: Pin::Pinned });
        assert_eq!(classify("g++"), Kind::Named { name: "g++", pin: Pin::Missing });
        assert_eq!(classify("./pkg.deb"), Kind::File);
        assert_eq!(classify("/tmp/pkg_1.0_amd64.deb"), Kind::File);
        assert_eq!(classify("nano-"), Kind::Unjudged);
        assert_eq!(classify("?name(^lib)"), Kind::Unjudged);
        assert_eq!(classify("~nfoo"), Kind::Unjudged);
        assert_eq!(classify("=1"), Kind::Unjudged);
    }
}
