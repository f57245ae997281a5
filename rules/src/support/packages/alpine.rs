//! apk (Alpine Linux).
//!
//! Package words (apk-world(5)): `name`, `name@tag` (a repository tag), and a constraint after the name:
//! `=1.2.3-r0` exact, `~1.2` fuzzy (any 1.2.x), `<`, `<=`, `>`, `>=`; `!name` forbids a package; a
//! `.apk` path installs a file.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, version};

const APK: Cli = Cli {
    short: "tXp",
    long: &[
        "virtual",
        "repository",
        "root",
        "arch",
        "cache-dir",
        "cache-max-age",
        "keys-dir",
        "repositories-file",
        "wait",
        "timeout",
        "progress-fd",
        "from",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

pub(super) fn parse<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = APK.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "add" => Operation::Install,
        "update" => Operation::Refresh,
        "upgrade" => Operation::Upgrade,
        "del" => Operation::Remove,
        "cache" => Operation::Clean,
        "fix" | "fetch" => Operation::Fetch,
        _ => Operation::Other,
    };
    Some(PackageOp {
        manager: Manager::Apk,
        operation,
        program,
        verb: vec![verb],
        options: parsed.options,
        packages: packages.to_vec(),
    })
}

pub(super) fn classify(text: &str) -> Kind<'_> {
    if text.ends_with(".apk") || text.starts_with(['/', '.']) || text.contains("://") {
        return Kind::File;
    }
    if text.starts_with('!') || text.contains('*') {
        return Kind::Unjudged;
    }
    let at = text.find(['=', '<', '>', '~']).unwrap_or(text.len());
    let (name, constraint) = text.split_at(at);
    // `name@edge` picks a tagged repository, not a version.
    let name = name.split_once('@').map_or(name, |(name, _)| name);
    if name.is_empty() {
        return Kind::Unjudged;
    }
    Kind::Named { name, pin: version::comparison(constraint, &[]) }
}

#[cfg(test)]
mod tests {
    use super::super::Pin;
    use super::*;

    #[test]
    fn package_words() {
        let named = |name, pin| Kind::Named { name, pin };
        assert_eq!(classify("curl"), named("curl", Pin::Missing));
        assert_eq!(classify("curl=8.5.0-r0"), named("curl", Pin::Pinned));
        assert_eq!(classify("curl~8.5"), named("curl", Pin::Pinned));
        assert_eq!(classify("curl<9"), named("curl", Pin::Pinned));
        assert_eq!(classify("curl>8"), named("curl", Pin::Floating(">8")));
        assert_eq!(classify("curl>=8.5"), named("curl", Pin::Floating(">=8.5")));
        assert_eq!(classify("py3-pip@edge"), named("py3-pip", Pin::Missing));
        assert_eq!(classify("py3-pip@community=23.3-r0"), named("py3-pip", Pin::Pinned));
        assert_eq!(classify("so:libssl.so.3"), named("so:libssl.so.3", Pin::Missing));
        assert_eq!(classify("/tmp/pkg-1.0-r0.apk"), Kind::File);
        assert_eq!(classify("!busybox-extras"), Kind::Unjudged);
    }
}
