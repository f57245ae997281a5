//! Smaller ecosystems: `cargo install`, `composer require`, `conda`/`mamba`/`micromamba install`.
//!
//! * cargo: `name`, `name@version`, `--version`/`--vers`; `--git URL` with `--tag`/`--rev` (pinned) or
//!   `--branch` (floating); `--path` builds a local crate.
//! * composer: `vendor/name`, `vendor/name:constraint`, `vendor/name=constraint`, `"vendor/name constraint"`;
//!   names without a vendor are platform packages (`php`, `ext-intl`).
//! * conda: `name`, `channel::name`, `name=1.2` (the 1.2 series), `name==1.2.3`, `name>=1,<2`, `"name 1.2"`;
//!   `--file` names a requirements file.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin, version};

const CARGO: Cli = Cli {
    short: "jFZ",
    long: &[
        "version",
        "vers",
        "git",
        "branch",
        "tag",
        "rev",
        "path",
        "root",
        "index",
        "registry",
        "target",
        "target-dir",
        "features",
        "profile",
        "jobs",
        "bin",
        "example",
        "config",
        "color",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

const COMPOSER: Cli = Cli { short: "d", long: &["working-dir"], ..CARGO };

const CONDA: Cli = Cli {
    short: "cnp",
    long: &["channel", "name", "prefix", "file", "solver", "repodata-fn", "platform", "subdir"],
    ..CARGO
};

fn op<'a>(
    manager: Manager,
    program: &'a Word,
    verb: Vec<&'a Word>,
    operation: Operation,
    options: Vec<super::Opt<'a>>,
    packages: &[&'a Word],
) -> Option<PackageOp<'a>> {
    Some(PackageOp { manager, operation, program, verb, options, packages: packages.to_vec() })
}

pub(super) fn cargo<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = CARGO.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" => Operation::Install,
        "uninstall" => Operation::Remove,
        _ => Operation::Other,
    };
    op(Manager::Cargo, program, vec![verb], operation, parsed.options, packages)
}

pub(super) fn classify_cargo<'a>(op: &PackageOp<'a>, text: &'a str) -> Kind<'a> {
    if op.option(None, &["path"]).is_some() {
        return Kind::File;
    }
    let (name, version) = match text.split_once('@') {
        Some((name, version)) => (name, Some(version)),
        None => (text, op.option(None, &["version", "vers"]).and_then(|o| o.value)),
    };
    let pin = if op.option(None, &["git"]).is_some() {
        match (op.option(None, &["tag", "rev"]), op.option(None, &["branch"])) {
            (Some(_), _) => Pin::Pinned,
            (None, Some(branch)) => Pin::Floating(branch.value.unwrap_or("")),
            (None, None) => Pin::Missing,
        }
    } else {
        version.map_or(Pin::Missing, |v| version::comparison(v, &[',']))
    };
    Kind::Named { name, pin }
}

pub(super) fn composer<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = COMPOSER.parse(args);
    let mut operands = &parsed.operands[..];
    let mut verb = Vec::new();
    if operands.first().is_some_and(|w| w.text == "global") {
        verb.push(operands[0]);
        operands = &operands[1..];
    }
    let (&word, packages) = operands.split_first()?;
    verb.push(word);
    let operation = match word.literal()? {
        "require" | "install" => Operation::Install,
        "remove" => Operation::Remove,
        "update" | "upgrade" => Operation::Upgrade,
        "clear-cache" | "clearcache" | "cc" => Operation::Clean,
        _ => Operation::Other,
    };
    op(Manager::Composer, program, verb, operation, parsed.options, packages)
}

pub(super) fn classify_composer(text: &str) -> Kind<'_> {
    let at = text.find([':', '=', ' ']).unwrap_or(text.len());
    let (name, constraint) = text.split_at(at);
    if !name.contains('/') {
        return Kind::Unjudged;
    }
    let constraint = constraint.get(1..).unwrap_or("").trim();
    // Branch constraints (`dev-main`) follow the branch; stability flags (`@dev`) do not change the version.
    let pin = if constraint.starts_with("dev-") {
        Pin::Floating(constraint)
    } else {
        match composer_range(constraint) {
            Pin::Pinned => Pin::Pinned,
            Pin::Missing => Pin::Missing,
            Pin::Floating(_) => Pin::Floating(constraint),
        }
    };
    Kind::Named { name, pin }
}

/// Composer constraints: `1.2.3`, `^1.2`, `~1.2`, `1.2.*`, `>=1 <2`, `>=1,<2`, alternatives with `||`.
fn composer_range(constraint: &str) -> Pin<'_> {
    if constraint.is_empty() {
        return Pin::Missing;
    }
    let bounded = constraint.split("||").all(|alternative| {
        let alternative = alternative.split('@').next().unwrap_or(alternative).trim();
        version::comparison(alternative, &[',', ' ']) == Pin::Pinned
            && alternative != "*"
            && !alternative.starts_with('*')
    });
    if bounded { Pin::Pinned } else { Pin::Floating(constraint) }
}

pub(super) fn conda<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = CONDA.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" | "create" => Operation::Install,
        "remove" | "uninstall" => Operation::Remove,
        "update" | "upgrade" => Operation::Upgrade,
        "clean" => Operation::Clean,
        _ => Operation::Other,
    };
    op(Manager::Conda, program, vec![verb], operation, parsed.options, packages)
}

pub(super) fn classify_conda(text: &str) -> Kind<'_> {
    if text.starts_with(['.', '/', '~'])
        || text.contains("://")
        || text.ends_with(".tar.bz2")
        || text.ends_with(".conda")
    {
        return Kind::File;
    }
    let text = text.rsplit_once("::").map_or(text, |(_, spec)| spec);
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(text.len());
    let (name, constraint) = text.split_at(end);
    if name.is_empty() {
        return Kind::Unjudged;
    }
    // `name=1.2` and `"name 1.2"` select the 1.2 series; the rest reads like pip's specifiers.
    let constraint = constraint.trim();
    let pin = match constraint.strip_prefix('=') {
        Some(series) if !series.starts_with('=') && !series.is_empty() => Pin::Pinned,
        _ if version::starts_like_version(constraint) => Pin::Pinned,
        _ => version::comparison(constraint, &[',', '|']),
    };
    Kind::Named { name, pin }
}

#[cfg(test)]
mod tests {
    use super::super::{parse as parse_op, tests::command};
    use super::*;

    fn kinds(line: &str) -> Vec<Option<Kind<'static>>> {
        let cmd = Box::leak(Box::new(command(line)));
        let op = parse_op(cmd).expect("package command");
        op.packages.iter().map(|w| op.classify(w)).collect()
    }

    #[test]
    fn cargo_install() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kinds("cargo install ripgrep"), [named("ripgrep", Pin::Missing)]);
        assert_eq!(kinds("cargo install ripgrep@14.1.0"), [named("ripgrep", Pin::Pinned)]);
        assert_eq!(kinds("cargo install --locked --version 14.1.0 ripgrep"), [named("ripgrep", Pin::Pinned)]);
        assert_eq!(kinds("cargo install --git https://x/y --tag v1 y"), [named("y", Pin::Pinned)]);
        assert_eq!(
            kinds("cargo install --git https://x/y --branch main y"),
            [named("y", Pin::Floating("main"))]
        );
        assert!(kinds("cargo install --path .").is_empty());
    }

    #[test]
    fn composer_require() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kinds("composer require monolog/monolog"), [named("monolog/monolog", Pin::Missing)]);
        assert_eq!(kinds("composer require monolog/monolog:^3.5"), [named("monolog/monolog", Pin::Pinned)]);
        assert_eq!(kinds("composer global require 'a/b 1.2.*'"), [named("a/b", Pin::Pinned)]);
        assert_eq!(kinds("composer require a/b:dev-main"), [named("a/b", Pin::Floating("dev-main"))]);
        assert_eq!(kinds("composer require a/b:*"), [named("a/b", Pin::Floating("*"))]);
        assert_eq!(kinds("composer require ext-intl"), [Some(Kind::Unjudged)]);
    }

    #[test]
    fn conda_install() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kinds("conda install -y -c conda-forge numpy"), [named("numpy", Pin::Missing)]);
        assert_eq!(kinds("mamba install numpy=1.26"), [named("numpy", Pin::Pinned)]);
        assert_eq!(kinds("conda install 'numpy>=1.26'"), [named("numpy", Pin::Floating(">=1.26"))]);
        assert_eq!(kinds("conda install 'conda-forge::numpy 1.26.4'"), [named("numpy", Pin::Pinned)]);
        assert_eq!(
            kinds("micromamba create -n env --file env.txt python=3.12"),
            [named("python", Pin::Pinned)]
        );
    }
}
