//! zypper (openSUSE, SLES).
//!
//! Global options come before the subcommand and differ from the subcommand's own (`zypper -t` is terse
//! output, `zypper in -t pattern` selects the kind of resolvable). Package words: `name[.arch]` with an
//! optional constraint `=`, `<`, `<=`, `>`, `>=` and a version; `.rpm` paths and URLs are files.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, version};

const GLOBAL: Cli = Cli {
    short: "cDCRs",
    long: &[
        "config",
        "reposd-dir",
        "cache-dir",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
        "root",
        "installroot",
        "userdata",
        "table-style",
        "releasever",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

const SUBCOMMAND: Cli = Cli {
    short: "rtp",
    long: &["repo", "type", "from", "download", "plus-repo", "plus-content", "releasever"],
    ..GLOBAL
};

pub(super) fn parse<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let (verb, rest) = GLOBAL.split_subcommand(args)?;
    let parsed = SUBCOMMAND.parse(rest);
    let mut operation = match verb.literal()? {
        "install" | "in" => Operation::Install,
        "refresh" | "ref" => Operation::Refresh,
        "update" | "up" | "dist-upgrade" | "dup" | "patch" => Operation::Upgrade,
        "remove" | "rm" => Operation::Remove,
        "clean" | "cc" => Operation::Clean,
        "source-install" | "si" | "download" => Operation::Fetch,
        _ => Operation::Other,
    };
    // `zypper in -t pattern devel_basis`: patterns, patches and products have no package version.
    let kind = parsed.options.iter().find(|o| o.is(Some('t'), &["type"])).and_then(|o| o.value);
    if operation == Operation::Install && kind.is_some_and(|k| k != "package") {
        operation = Operation::Other;
    }
    Some(PackageOp {
        manager: Manager::Zypper,
        operation,
        program,
        verb: vec![verb],
        options: parsed.options,
        packages: parsed.operands,
    })
}

pub(super) fn classify(text: &str) -> Kind<'_> {
    if text.ends_with(".rpm") || text.starts_with(['/', '.']) || text.contains("://") {
        return Kind::File;
    }
    // `pattern:x`, `patch:y` name other kinds of resolvables; `+`/`~`/`!` prefixes and globs select or
    // remove several.
    if text.contains([':', '*', '?']) || text.starts_with(['+', '~', '!']) {
        return Kind::Unjudged;
    }
    let at = text.find(['=', '<', '>']).unwrap_or(text.len());
    let (name, constraint) = text.split_at(at);
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
        assert_eq!(classify("curl=8.6.0"), named("curl", Pin::Pinned));
        assert_eq!(classify("curl<9"), named("curl", Pin::Pinned));
        assert_eq!(classify("curl>=8"), named("curl", Pin::Floating(">=8")));
        assert_eq!(classify("pattern:devel_basis"), Kind::Unjudged);
        assert_eq!(classify("./local.rpm"), Kind::File);
    }
}
