//! Package operations in shell commands: which package manager runs, what it does (install, refresh the
//! index, upgrade, remove, clean) and which packages it names, with each package's version pin.
//!
//! [`parse`] looks through wrappers (`sudo`, `env`, `xargs`…) with [`Command::program`], reads the manager's
//! options the way the manager does (so `apt-get install -t bookworm-backports curl` names `curl` only), and
//! returns the package words with their source ranges. [`PackageOp::classify`] tells what a package word
//! means in that manager's syntax: a named package and how its version is constrained, a local file or URL,
//! or something no rule should judge (a group, a pattern, a capability). Dynamic words (`$PKGS`) are returned
//! but never classified: their value is unknown.
//!
//! One file per manager family: `debian` (apt-get, apt, aptitude), `alpine` (apk), `rpm` (yum, dnf,
//! microdnf, tdnf), `suse` (zypper), `python` (pip, `python -m pip`, `uv pip`), `node` (npm, yarn, pnpm,
//! bun), `ruby` (gem), `golang` (go), `other` (cargo, composer, conda).

mod alpine;
mod args;
mod debian;
mod golang;
mod node;
mod other;
mod python;
mod rpm;
mod ruby;
mod suse;
mod version;

#[cfg(test)]
mod tests;

use plimsoll_linter::{CommandCtx, InstructionCtx, Reporter};
use plimsoll_shell::{Command, Redirect, Word};
use plimsoll_span::TextRange;

pub use args::{Opt, OptName};

/// A package manager, by the command that runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Manager {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Tdnf,
    Zypper,
    /// `pip`, `pip3`, `pip3.12`, `python -m pip`.
    Pip,
    /// `uv pip`.
    UvPip,
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Gem,
    Go,
    Cargo,
    Composer,
    /// `conda`, `mamba`, `micromamba`.
    Conda,
}

/// Managers that share a package index and package names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    /// Debian and Ubuntu: apt-get, apt, aptitude.
    Debian,
    Alpine,
    /// Red Hat, Fedora, CentOS, Amazon Linux, Photon: yum, dnf, microdnf, tdnf.
    Rpm,
    /// openSUSE and SLES: zypper.
    Suse,
    Python,
    Node,
    Ruby,
    Go,
    Rust,
    Php,
    Conda,
}

impl Manager {
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Manager::AptGet | Manager::Apt | Manager::Aptitude => Ecosystem::Debian,
            Manager::Apk => Ecosystem::Alpine,
            Manager::Yum | Manager::Dnf | Manager::Microdnf | Manager::Tdnf => Ecosystem::Rpm,
            Manager::Zypper => Ecosystem::Suse,
            Manager::Pip | Manager::UvPip => Ecosystem::Python,
            Manager::Npm | Manager::Yarn | Manager::Pnpm | Manager::Bun => Ecosystem::Node,
            Manager::Gem => Ecosystem::Ruby,
            Manager::Go => Ecosystem::Go,
            Manager::Cargo => Ecosystem::Rust,
            Manager::Composer => Ecosystem::Php,
            Manager::Conda => Ecosystem::Conda,
        }
    }

    /// Whether the manager installs operating-system packages into the image's root filesystem.
    pub fn is_system(self) -> bool {
        matches!(self.ecosystem(), Ecosystem::Debian | Ecosystem::Alpine | Ecosystem::Rpm | Ecosystem::Suse)
    }
}

impl Ecosystem {
    /// Where the operating-system package managers of the ecosystem keep the package index they download.
    pub fn index_dirs(self) -> &'static [&'static str] {
        match self {
            Ecosystem::Debian => &["/var/lib/apt/lists"],
            Ecosystem::Alpine => &["/var/cache/apk"],
            Ecosystem::Rpm => &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"],
            Ecosystem::Suse => &["/var/cache/zypp"],
            _ => &[],
        }
    }
}

/// What a package command does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Installs the named packages: `apt-get install`, `apk add`, `pip install`, `npm install`, `go get`.
    /// The bare forms that install from a lockfile (`npm ci`, `npm install`, `yarn`) have no packages.
    Install,
    /// Downloads the package index: `apt-get update`, `apk update`, `zypper refresh`, `dnf makecache`.
    Refresh,
    /// Upgrades installed packages: `apt-get upgrade`, `apk upgrade`, `yum update`, `zypper dup`.
    Upgrade,
    Remove,
    /// Deletes caches: `apt-get clean`, `yum clean all`, `npm cache clean`.
    Clean,
    /// Reads the index to download or build without installing the named packages:
    /// `apt-get build-dep`, `apt-get source`, `apk fetch`, `pip download`, `dnf builddep`.
    Fetch,
    Other,
}

/// A package manager command.
#[derive(Clone, Debug)]
pub struct PackageOp<'a> {
    pub manager: Manager,
    pub operation: Operation,
    /// The word that names the manager (`apt-get`; `python3` in `python3 -m pip`; `uv` in `uv pip`).
    pub program: &'a Word,
    /// The subcommand words (`install`; `global`, `add`; `module`, `install`); empty for a bare `yarn`.
    pub verb: Vec<&'a Word>,
    /// Every option of the command line, with its value.
    pub options: Vec<Opt<'a>>,
    /// The operands after the subcommand, option values excluded: the packages for [`Operation::Install`].
    pub packages: Vec<&'a Word>,
}

/// What a package word asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// A package from the manager's index or registry (or a VCS repository), by name.
    Named { name: &'a str, pin: Pin<'a> },
    /// A local file or directory, or a URL to an archive: the artifact decides what is installed.
    File,
    /// Something the rules do not judge: a package group, a pattern, a capability, a removal.
    Unjudged,
}

/// How a named package's version is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin<'a> {
    /// An exact version, a release series (`1.2.*`, `~1.2`, `~=1.2`, `^1.2`) or an upper bound: new major
    /// releases cannot come in unnoticed.
    Pinned,
    /// No version at all.
    Missing,
    /// A constraint that still admits every new release: a lower bound (`>=1.0`), a tag (`latest`), a
    /// release name (`/bookworm-backports`) or a branch (`@main`). Holds the constraint as written.
    Floating(&'a str),
}

/// Whether what this `RUN` command installs ends up in the image `docker build` produces: the command
/// belongs to the final stage or a stage it is built on ([`super::stages::ships`]). Packages of other stages
/// reach the image only through an explicit `COPY --from=`.
pub fn ships(ctx: &CommandCtx) -> bool {
    let instruction = InstructionCtx {
        doc: ctx.doc,
        index: ctx.index,
        instruction: ctx.instruction,
        onbuild: ctx.onbuild,
        stage: ctx.stage,
    };
    super::stages::ships(&instruction)
}

/// Recognises a package manager command, looking through wrappers.
pub fn parse(command: &Command) -> Option<PackageOp<'_>> {
    let program = command.program();
    let (first, args) = program.split_first()?;
    // `Command::program_name`, without looking through the wrappers a second time.
    let name = first.literal().map(plimsoll_shell::basename)?;
    match name {
        "apt-get" => debian::parse(Manager::AptGet, first, args),
        "apt" => debian::parse(Manager::Apt, first, args),
        "aptitude" => debian::parse(Manager::Aptitude, first, args),
        "apk" => alpine::parse(first, args),
        "yum" => rpm::parse(Manager::Yum, first, args),
        "dnf" | "dnf5" | "dnf-3" => rpm::parse(Manager::Dnf, first, args),
        "microdnf" => rpm::parse(Manager::Microdnf, first, args),
        "tdnf" => rpm::parse(Manager::Tdnf, first, args),
        "zypper" => suse::parse(first, args),
        "uv" => python::uv(first, args),
        "npm" => node::parse(Manager::Npm, first, args),
        "yarn" => node::parse(Manager::Yarn, first, args),
        "pnpm" => node::parse(Manager::Pnpm, first, args),
        "bun" => node::parse(Manager::Bun, first, args),
        "gem" => ruby::parse(first, args),
        "go" => golang::parse(first, args),
        "cargo" => other::cargo(first, args),
        "composer" | "composer.phar" => other::composer(first, args),
        "conda" | "mamba" | "micromamba" => other::conda(first, args),
        _ if python::is_pip(name) => python::pip(Manager::Pip, first, args),
        _ if python::is_python(name) => python::module(first, args),
        _ => None,
    }
}

impl<'a> PackageOp<'a> {
    /// What a package word of this command asks for; `None` for a dynamic word (`$PKGS`, `curl=$V`), whose
    /// value is unknown.
    pub fn classify(&self, word: &'a Word) -> Option<Kind<'a>> {
        let text = word.literal()?;
        Some(match self.manager.ecosystem() {
            Ecosystem::Debian => debian::classify(text),
            Ecosystem::Alpine => alpine::classify(text),
            Ecosystem::Rpm => rpm::classify(self, text),
            Ecosystem::Suse => suse::classify(text),
            Ecosystem::Python => python::classify(text),
            Ecosystem::Node => node::classify(text),
            Ecosystem::Ruby => ruby::classify(self, text),
            Ecosystem::Go => golang::classify(self, text),
            Ecosystem::Rust => other::classify_cargo(self, text),
            Ecosystem::Php => other::classify_composer(text),
            Ecosystem::Conda => other::classify_conda(text),
        })
    }

    /// The packages this command installs, with their classification (dynamic words left out).
    pub fn installed(&self) -> impl Iterator<Item = (&'a Word, Kind<'a>)> + '_ {
        let installs = self.operation == Operation::Install;
        self.packages.iter().filter(move |_| installs).filter_map(|&w| Some((w, self.classify(w)?)))
    }

    /// From the manager's name to its subcommand: `apt-get update`, `apt-get -qq update`.
    pub fn command_range(&self) -> TextRange {
        let end = self.verb.last().map_or(self.program.range.end, |w| w.range.end);
        TextRange::new(self.program.range.start, end.max(self.program.range.start))
    }

    /// The subcommand as written, words joined by spaces (`install`, `global add`).
    pub fn verb_text(&self) -> String {
        self.verb.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// The first option spelled `-short` or `--long`.
    pub fn option(&self, short: Option<char>, long: &[&str]) -> Option<&Opt<'a>> {
        self.options.iter().find(|o| o.is(short, long))
    }
}

/// A package an install command leaves unpinned, for the pin rules.
#[derive(Clone, Debug)]
pub struct Unpinned<'a> {
    pub manager: Manager,
    pub word: &'a Word,
    /// The package name, without version, release or extras.
    pub name: &'a str,
    /// The constraint that does not pin, when there is one (`>=1.0`, `latest`).
    pub floating: Option<&'a str>,
    /// An unquoted `>`/`<` right after the word: the shell took the version constraint as a redirection.
    pub redirect: Option<&'a Redirect>,
}

impl Unpinned<'_> {
    /// The finding's message.
    pub fn message(&self) -> String {
        let name = self.name;
        match (self.floating, self.redirect) {
            (Some(branch), _) if version::is_branch(branch) => {
                format!("Package `{name}` is not pinned: branch `{branch}` moves with every commit")
            }
            (Some(constraint), _) => {
                format!("Package `{name}` is not pinned: `{constraint}` admits every new release")
            }
            (None, Some(redirect)) => format!(
                "Package `{name}` is installed without a version: the unquoted `{}{}` is a shell redirection",
                redirect.operator,
                redirect.target.as_ref().map_or("", |t| t.text.as_str())
            ),
            (None, None) => format!("Package `{name}` is installed without a version pin"),
        }
    }
}

/// The packages that `command` installs with one of `managers` and does not pin.
pub fn unpinned<'a>(command: &'a Command, managers: &[Manager]) -> Vec<Unpinned<'a>> {
    let Some(op) = parse(command).filter(|op| managers.contains(&op.manager)) else { return Vec::new() };
    op.installed()
        .filter_map(|(word, kind)| {
            let Kind::Named { name, pin } = kind else { return None };
            let floating = match pin {
                Pin::Pinned => return None,
                Pin::Missing => None,
                Pin::Floating(constraint) => Some(constraint),
            };
            // `flask>=3` unquoted is `flask` with output sent to a file named `=3`; `curl>/dev/null` is meant.
            let redirect = command.redirects.iter().find(|r| {
                r.range.start == word.range.end
                    && matches!(r.operator.as_str(), ">" | "<")
                    && r.target
                        .as_ref()
                        .is_some_and(|t| t.text.starts_with(|c: char| c == '=' || c.is_ascii_digit()))
            });
            Some(Unpinned { manager: op.manager, word, name, floating, redirect })
        })
        .collect()
}

/// Reports each package that the command installs with one of `managers` without pinning it (names in
/// `exempt` excepted), at the package word, with `help` for that package.
pub fn report_unpinned(
    ctx: &CommandCtx,
    r: &mut Reporter,
    managers: &[Manager],
    exempt: &[&str],
    help: impl Fn(&Unpinned) -> String,
) {
    for package in unpinned(ctx.command, managers) {
        if exempt.iter().any(|e| e.eq_ignore_ascii_case(package.name)) {
            continue;
        }
        let mut help = help(&package);
        if let Some(redirect) = package.redirect {
            let constraint = redirect.range.slice(ctx.doc.text);
            help = format!(
                "Quote the word so that the shell passes the constraint on (`'{}{constraint}'`). {help}",
                package.word.text
            );
        }
        let emit = r.report(package.word.range, package.message()).help(help);
        if let Some(redirect) = package.redirect {
            emit.label(redirect.range, "the shell reads this as a redirection to a file");
        }
    }
}
