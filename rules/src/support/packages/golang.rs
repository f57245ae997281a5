//! `go install` and `go get`.
//!
//! `go install pkg@version` fetches and builds a module outside the current one; `go install pkg` without a
//! version builds what the current module's `go.mod` requires, so the version is pinned there. `go get pkg`
//! without a version resolves to the latest release (`@upgrade`), and in GOPATH mode fetches the default
//! branch. `@latest`, `@upgrade`, `@patch` and branch names float.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin, version};

const GO: Cli = Cli {
    short: "",
    long: &[
        "ldflags",
        "gcflags",
        "asmflags",
        "gccgoflags",
        "tags",
        "mod",
        "modfile",
        "o",
        "p",
        "C",
        "buildmode",
        "compiler",
        "installsuffix",
        "overlay",
        "pgo",
        "pkgdir",
        "toolexec",
        "exec",
    ],
    single_dash_long: true,
    boolean_values: false,
    stop_at_double_dash: false,
};

pub(super) fn parse<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = GO.parse(args);
    let (&verb, packages) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" | "get" => Operation::Install,
        "clean" => Operation::Clean,
        _ => Operation::Other,
    };
    Some(PackageOp {
        manager: Manager::Go,
        operation,
        program,
        verb: vec![verb],
        options: parsed.options,
        packages: packages.to_vec(),
    })
}

pub(super) fn classify<'a>(op: &PackageOp<'_>, text: &'a str) -> Kind<'a> {
    if text.starts_with(['.', '/']) {
        return Kind::File;
    }
    // Package patterns of the standard library and the current module.
    if matches!(text, "all" | "std" | "cmd") {
        return Kind::Unjudged;
    }
    let Some((name, query)) = text.split_once('@') else {
        let installs_from_go_mod = op.verb.first().is_some_and(|v| v.text == "install");
        return if installs_from_go_mod {
            Kind::Unjudged
        } else {
            Kind::Named { name: text, pin: Pin::Missing }
        };
    };
    let pin = match query {
        // `@none` removes the dependency.
        "none" => return Kind::Unjudged,
        "latest" | "upgrade" | "patch" => Pin::Floating(query),
        _ => version::vcs_ref(query),
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
    fn versions_and_queries() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        let tool = "golang.org/x/tools/gopls";
        assert_eq!(kinds(&format!("go install {tool}@v0.16.1")), [named(tool, Pin::Pinned)]);
        assert_eq!(
            kinds(&format!("go install -ldflags '-s -w' {tool}@latest")),
            [named(tool, Pin::Floating("latest"))]
        );
        assert_eq!(kinds(&format!("go install {tool}@master")), [named(tool, Pin::Floating("master"))]);
        assert_eq!(kinds(&format!("go install {tool}")), [Some(Kind::Unjudged)]);
        assert_eq!(kinds(&format!("go get -u {tool}")), [named(tool, Pin::Missing)]);
        assert_eq!(kinds("go get -d ./..."), [Some(Kind::File)]);
        assert_eq!(kinds("go install -v ."), [Some(Kind::File)]);
    }
}
