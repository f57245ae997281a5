//! gem (RubyGems).
//!
//! Package words: `name`, `name:version` (RubyGems 2.0+), a `.gem` file; `-v`/`--version` pins every gem of
//! the command. Arguments after `--` go to native extension builds.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin, version};

const GEM: Cli = Cli {
    short: "vinsPpg",
    long: &[
        "version",
        "install-dir",
        "bindir",
        "document",
        "source",
        "http-proxy",
        "trust-policy",
        "platform",
        "file",
        "build-root",
        "config-file",
        "target-rbconfig",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: true,
};

pub(super) fn parse<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = GEM.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" | "i" => Operation::Install,
        "update" => Operation::Upgrade,
        "uninstall" => Operation::Remove,
        "cleanup" => Operation::Clean,
        "fetch" => Operation::Fetch,
        _ => Operation::Other,
    };
    Some(PackageOp {
        manager: Manager::Gem,
        operation,
        program,
        verb: vec![verb],
        options: parsed.options,
        packages: packages.to_vec(),
    })
}

pub(super) fn classify<'a>(op: &PackageOp<'a>, text: &'a str) -> Kind<'a> {
    if text.ends_with(".gem") || text.starts_with(['.', '/', '~']) || text.contains('/') {
        return Kind::File;
    }
    let (name, requirement) = match text.split_once(':') {
        Some((name, requirement)) => (name, Some(requirement)),
        None => (text, op.option(Some('v'), &["version"]).and_then(|o| o.value)),
    };
    if name.is_empty() {
        return Kind::Unjudged;
    }
    Kind::Named { name, pin: requirement.map_or(Pin::Missing, |r| version::comparison(r, &[','])) }
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
    fn versions_inline_and_as_options() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kinds("gem install bundler"), [named("bundler", Pin::Missing)]);
        assert_eq!(kinds("gem install bundler:2.5.6"), [named("bundler", Pin::Pinned)]);
        assert_eq!(kinds("gem install bundler -v 2.5.6"), [named("bundler", Pin::Pinned)]);
        assert_eq!(kinds("gem install rails --version '~> 7.1'"), [named("rails", Pin::Pinned)]);
        assert_eq!(kinds("gem install rails -v '>= 7'"), [named("rails", Pin::Floating(">= 7"))]);
        assert_eq!(
            kinds("gem install -N nokogiri -- --use-system-libraries"),
            [named("nokogiri", Pin::Missing)]
        );
        assert_eq!(kinds("gem install ./pkg/app-1.0.gem"), [Some(Kind::File)]);
    }
}
