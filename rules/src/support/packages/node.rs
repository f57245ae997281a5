//! npm, yarn, pnpm and bun.
//!
//! Package words (npm-package-arg's grammar): `name`, `@scope/name`, `name@spec` where the spec is a
//! version, a range or a dist-tag (`latest`), aliases `alias@npm:name@spec`, git URLs and shorthands
//! (`github:org/repo#ref`, `org/repo#ref`), tarball URLs and paths, and local folders.
//! Bare `npm install`, `npm ci`, `yarn`, `pnpm install` install what the lockfile says: no packages.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin, version};

/// Long options of the four tools that take a value.
const LONG: &[&str] = &[
    "prefix",
    "registry",
    "cache",
    "tag",
    "userconfig",
    "globalconfig",
    "workspace",
    "loglevel",
    "omit",
    "include",
    "install-strategy",
    "before",
    "cpu",
    "os",
    "libc",
    "fetch-retries",
    "fetch-timeout",
    "fetch-retry-mintimeout",
    "fetch-retry-maxtimeout",
    "otp",
    "location",
    "save-prefix",
    "scope",
    "script-shell",
    "access",
    "auth-type",
    "cafile",
    "proxy",
    "https-proxy",
    "noproxy",
    "maxsockets",
    "node-options",
    "cwd",
    "cache-folder",
    "modules-folder",
    "network-timeout",
    "mutex",
    "global-folder",
    "link-folder",
    "network-concurrency",
    "preferred-cache-folder",
    "mode",
    "filter",
    "dir",
    "store-dir",
    "virtual-store-dir",
    "modules-dir",
    "reporter",
    "workspace-concurrency",
    "cache-dir",
    "backend",
    "config",
    "concurrent-scripts",
];

const NPM: Cli = Cli {
    short: "wC",
    long: LONG,
    single_dash_long: false,
    boolean_values: true,
    stop_at_double_dash: false,
};

pub(super) fn parse<'a>(manager: Manager, program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let cli = match manager {
        Manager::Npm => NPM,
        Manager::Pnpm => Cli { short: "FC", boolean_values: false, ..NPM },
        Manager::Bun => Cli { short: "c", boolean_values: false, ..NPM },
        _ => Cli { short: "", boolean_values: false, ..NPM },
    };
    let parsed = cli.parse(args);
    let mut operands = &parsed.operands[..];
    let mut verb = Vec::new();
    // `yarn global add x`.
    if manager == Manager::Yarn && operands.first().is_some_and(|w| w.text == "global") {
        verb.push(operands[0]);
        operands = &operands[1..];
    }
    let operation = match operands.split_first() {
        Some((&word, rest)) => {
            verb.push(word);
            operands = rest;
            operation(manager, word.literal()?)
        }
        // A bare `yarn` installs from the lockfile.
        None if manager == Manager::Yarn && verb.is_empty() => Operation::Install,
        None => return None,
    };
    Some(PackageOp {
        manager,
        operation,
        program,
        verb,
        options: parsed.options,
        packages: operands.to_vec(),
    })
}

fn operation(manager: Manager, verb: &str) -> Operation {
    match (manager, verb) {
        (
            Manager::Npm,
            "install" | "i" | "in" | "ins" | "inst" | "insta" | "instal" | "isnt" | "isnta" | "isntal",
        )
        | (
            Manager::Npm,
            "isntall" | "add" | "ci" | "clean-install" | "ic" | "install-clean" | "isntall-clean",
        )
        | (Manager::Npm, "install-test" | "it" | "install-ci-test" | "cit")
        | (Manager::Yarn, "add" | "install")
        | (Manager::Pnpm, "add" | "install" | "i")
        | (Manager::Bun, "add" | "a" | "install" | "i") => Operation::Install,
        (_, "uninstall" | "remove" | "rm" | "r" | "un" | "unlink") => Operation::Remove,
        (_, "update" | "up" | "upgrade" | "udpate") => Operation::Upgrade,
        (_, "cache") => Operation::Clean,
        _ => Operation::Other,
    }
}

pub(super) fn classify(text: &str) -> Kind<'_> {
    const TARBALLS: &[&str] = &[".tgz", ".tar.gz", ".tar"];
    if text.starts_with(['.', '/', '~']) || text.starts_with("file:") || text.starts_with("link:") {
        return Kind::File;
    }
    if let Some(pin) = git(text) {
        return Kind::Named { name: text.split('#').next().unwrap_or(text), pin };
    }
    if let Some(branch) = version::archive_branch(text).filter(|_| text.contains("://")) {
        return Kind::Named { name: text, pin: Pin::Floating(branch) };
    }
    if text.contains("://") || TARBALLS.iter().any(|t| text.ends_with(t)) {
        return Kind::File;
    }
    // The version separator is the first `@` after a scope's leading one.
    let (name, spec) = match text.get(1..).and_then(|t| t.find('@')) {
        Some(at) => (&text[..=at], Some(&text[at + 2..])),
        None => (text, None),
    };
    if name.is_empty() || name.contains([' ', '*']) {
        return Kind::Unjudged;
    }
    let pin = match spec {
        // `alias@npm:real-name@1.2.3`.
        Some(spec) if spec.starts_with("npm:") => match classify(&spec[4..]) {
            Kind::Named { pin, .. } => pin,
            _ => Pin::Missing,
        },
        Some(spec) => range(spec),
        None => Pin::Missing,
    };
    Kind::Named { name, pin }
}

/// A semver range's pin: exact versions, partial versions (`1.2`, `1.x`), `^`/`~` ranges and ranges with an
/// upper bound pin; `*`, `>=1` and dist-tags (`latest`, `next`) float.
fn range(spec: &str) -> Pin<'_> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Pin::Missing;
    }
    let bounded = spec.split("||").all(|alternative| {
        let alternative = alternative.trim();
        alternative.contains('<')
            || alternative.contains(" - ")
            || version::starts_like_version(alternative.trim_start_matches(['=', '^', '~']))
    });
    if bounded { Pin::Pinned } else { Pin::Floating(spec) }
}

/// The pin of a git dependency (`git+https://…#v1`, `github:org/repo#sha`, `org/repo`), or `None` when the
/// word is not one.
fn git(text: &str) -> Option<Pin<'_>> {
    const HOSTED: &[&str] = &["git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:", "git@"];
    let (source, reference) = text.split_once('#').unwrap_or((text, ""));
    let hosted = HOSTED.iter().any(|p| text.starts_with(p));
    // `org/repo` is GitHub shorthand: one slash, no scope, no URL, no version.
    let shorthand = !text.starts_with('@')
        && source.matches('/').count() == 1
        && !source.contains([':', '@', ' '])
        && !source.ends_with('/');
    if !hosted && !shorthand {
        return None;
    }
    let reference = reference.strip_prefix("semver:").unwrap_or(reference);
    Some(version::vcs_ref(reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_packages() {
        let named = |name, pin| Kind::Named { name, pin };
        assert_eq!(classify("express"), named("express", Pin::Missing));
        assert_eq!(classify("express@4.19.2"), named("express", Pin::Pinned));
        assert_eq!(classify("express@^4.19"), named("express", Pin::Pinned));
        assert_eq!(classify("express@4.x"), named("express", Pin::Pinned));
        assert_eq!(classify("express@>=4 <5"), named("express", Pin::Pinned));
        assert_eq!(classify("express@latest"), named("express", Pin::Floating("latest")));
        assert_eq!(classify("express@*"), named("express", Pin::Floating("*")));
        assert_eq!(classify("express@>=4"), named("express", Pin::Floating(">=4")));
        assert_eq!(classify("express@"), named("express", Pin::Missing));
        assert_eq!(classify("@angular/cli"), named("@angular/cli", Pin::Missing));
        assert_eq!(classify("@angular/cli@17.3.0"), named("@angular/cli", Pin::Pinned));
        assert_eq!(classify("@angular/cli@next"), named("@angular/cli", Pin::Floating("next")));
        assert_eq!(classify("lodash4@npm:lodash@4.17.21"), named("lodash4", Pin::Pinned));
        assert_eq!(classify("lodash4@npm:lodash"), named("lodash4", Pin::Missing));
    }

    #[test]
    fn git_tarballs_and_folders() {
        let named = |name, pin| Kind::Named { name, pin };
        assert_eq!(classify("github:org/repo#v1.0.0"), named("github:org/repo", Pin::Pinned));
        assert_eq!(classify("org/repo"), named("org/repo", Pin::Missing));
        assert_eq!(classify("org/repo#main"), named("org/repo", Pin::Floating("main")));
        assert_eq!(
            classify("git+https://github.com/org/repo.git#semver:^1.2"),
            named("git+https://github.com/org/repo.git", Pin::Pinned)
        );
        assert_eq!(
            classify("git@github.com:org/repo.git"),
            named("git@github.com:org/repo.git", Pin::Missing)
        );
        assert_eq!(classify("https://registry.example.com/pkg-1.0.0.tgz"), Kind::File);
        let branch = "https://github.com/org/repo/tarball/main";
        assert_eq!(classify(branch), named(branch, Pin::Floating("main")));
        assert_eq!(classify("./pkg-1.0.0.tgz"), Kind::File);
        assert_eq!(classify("file:../lib"), Kind::File);
        assert_eq!(classify("pkg.tgz"), Kind::File);
    }
}
