//! yum, dnf, microdnf and tdnf (Red Hat, Fedora, CentOS, Rocky, Alma, Amazon Linux, Photon OS).
//!
//! Package words are NEVRA specs: `name`, `name-version`, `name-version-release`, with an optional epoch
//! (`name-1:2.0-1`) and architecture (`.x86_64`), and globs (`name-1.2*`). Package names contain dashes
//! too (`java-17-openjdk-devel`), so a spec is pinned only when its last dash-separated part (or the one
//! before it, for `-release`) looks like a version. `@group` installs a group, `@module:stream` a module
//! stream; `dnf module install name:stream/profile` takes module specs; `.rpm` paths and URLs are files.

use plimsoll_shell::Word;

use super::args::Cli;
use super::{Kind, Manager, Operation, PackageOp, Pin};

const YUM: Cli = Cli {
    short: "cdexR",
    long: &[
        "config",
        "installroot",
        "releasever",
        "enablerepo",
        "disablerepo",
        "repo",
        "repoid",
        "exclude",
        "excludepkgs",
        "setopt",
        "downloaddir",
        "destdir",
        "forcearch",
        "color",
        "rpmverbosity",
        "debuglevel",
        "errorlevel",
        "disableexcludes",
        "disableexcludepkgs",
        "disableplugin",
        "enableplugin",
        "repofrompath",
        "comment",
        "advisory",
        "advisories",
        "bz",
        "bzs",
        "cve",
        "cves",
        "sec-severity",
        "secseverity",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

pub(super) fn parse<'a>(manager: Manager, program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = YUM.parse(args);
    let (&verb, mut packages) = parsed.operands.split_first()?;
    let mut verbs = vec![verb];
    let operation = match verb.literal()? {
        "install" | "in" | "reinstall" | "localinstall" | "install-n" | "install-na" | "install-nevra" => {
            Operation::Install
        }
        "makecache" | "mc" | "check-update" | "check-upgrade" => Operation::Refresh,
        "update" | "upgrade" | "up" | "update-to" | "upgrade-to" | "distro-sync" | "dsync"
        | "update-minimal" | "upgrade-minimal" => Operation::Upgrade,
        "remove" | "erase" | "rm" | "autoremove" => Operation::Remove,
        "clean" => Operation::Clean,
        "download" | "builddep" | "build-dep" => Operation::Fetch,
        // `dnf module install nodejs:20`: module specs; `dnf module enable` only selects a stream.
        "module" => match packages.split_first() {
            Some((&sub, rest)) if sub.literal() == Some("install") => {
                verbs.push(sub);
                packages = rest;
                Operation::Install
            }
            _ => Operation::Other,
        },
        // Group installs (`groupinstall`, `group install`) name groups, which have no version.
        _ => Operation::Other,
    };
    Some(PackageOp {
        manager,
        operation,
        program,
        verb: verbs,
        options: parsed.options,
        packages: packages.to_vec(),
    })
}

pub(super) fn classify<'a>(op: &PackageOp<'_>, text: &'a str) -> Kind<'a> {
    if text.ends_with(".rpm") || text.starts_with(['/', '.']) || text.contains("://") {
        return Kind::File;
    }
    // Capabilities (`dnf-command(config-manager)`, `perl(JSON)`) are provided by whatever package has them.
    if text.contains('(') {
        return Kind::Unjudged;
    }
    let modules = op.verb.first().is_some_and(|v| v.text == "module");
    if modules || text.starts_with('@') {
        let spec = text.strip_prefix('@').unwrap_or(text);
        return match spec.split_once(':') {
            Some((name, stream)) if !name.is_empty() && !stream.is_empty() => {
                Kind::Named { name, pin: Pin::Pinned }
            }
            // `@development-tools` is a group.
            _ if text.starts_with('@') => Kind::Unjudged,
            _ => Kind::Named { name: spec.split('/').next().unwrap_or(spec), pin: Pin::Missing },
        };
    }
    if let Some(name) = nevra_name(text) {
        return Kind::Named { name, pin: Pin::Pinned };
    }
    if text.contains(['*', '?', '[']) {
        return Kind::Unjudged;
    }
    // `glibc.i686` is `glibc` for another architecture.
    let name = ARCHES.iter().find_map(|arch| text.strip_suffix(arch)).unwrap_or(text);
    Kind::Named { name, pin: Pin::Missing }
}

const ARCHES: &[&str] =
    &[".x86_64", ".i686", ".i386", ".noarch", ".aarch64", ".ppc64le", ".s390x", ".armv7hl", ".src"];

/// The name of a spec that carries a version (`nginx-1.24.0`, `nginx-1.24.0-1.el9.x86_64`,
/// `nodejs-18.19.0-1nodesource`), or `None` when the spec is a bare name.
fn nevra_name(text: &str) -> Option<&str> {
    let parts: Vec<&str> = text.split('-').collect();
    let n = parts.len();
    if n >= 2 && is_version(parts[n - 1]) {
        // `name-version-release`: both trailing parts belong to the version.
        let tail = if n >= 3 && is_version(parts[n - 2]) {
            parts[n - 1].len() + parts[n - 2].len() + 2
        } else {
            parts[n - 1].len() + 1
        };
        return Some(&text[..text.len() - tail]);
    }
    // `name-version-release` whose release is not version-like on its own (`1nodesource`).
    if n >= 3 && parts[n - 1].starts_with(|c: char| c.is_ascii_digit()) && is_version(parts[n - 2]) {
        let tail = parts[n - 1].len() + parts[n - 2].len() + 2;
        return Some(&text[..text.len() - tail]);
    }
    None
}

/// A version or release: starts with a digit (after an optional epoch), and is dotted, numeric or a glob
/// (`1.24.0`, `2:1.0`, `3`, `1.el9.x86_64`, `18*`), which `75dpi` in `xorg-x11-fonts-75dpi` is not.
fn is_version(part: &str) -> bool {
    part.starts_with(|c: char| c.is_ascii_digit())
        && part.chars().all(|c| c.is_ascii_alphanumeric() || "._+~^*:".contains(c))
        && (part.contains(['.', ':', '*']) || part.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::super::{parse as parse_op, tests::command};
    use super::*;

    fn kind(line: &str, word: &str) -> Option<Kind<'static>> {
        let cmd = Box::leak(Box::new(command(line)));
        let op = parse_op(cmd).expect("package command");
        let word = op.packages.iter().find(|w| w.text == word).expect("package word");
        op.classify(word)
    }

    #[test]
    fn nevra_specs() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kind("yum install -y nginx", "nginx"), named("nginx", Pin::Missing));
        assert_eq!(kind("yum install nginx-1.24.0", "nginx-1.24.0"), named("nginx", Pin::Pinned));
        let nevra = "nginx-1:1.24.0-1.el9.x86_64";
        assert_eq!(kind(&format!("dnf install {nevra}"), nevra), named("nginx", Pin::Pinned));
        let node = "nodejs-18.19.0-1nodesource";
        assert_eq!(kind(&format!("yum install {node}"), node), named("nodejs", Pin::Pinned));
        assert_eq!(kind("dnf install nodejs-18*", "nodejs-18*"), named("nodejs", Pin::Pinned));
        assert_eq!(kind("dnf install glibc.i686", "glibc.i686"), named("glibc", Pin::Missing));
        for bare in ["java-17-openjdk-devel", "xorg-x11-fonts-75dpi", "gcc-c++", "python3.11"] {
            assert_eq!(kind(&format!("dnf install {bare}"), bare), named(bare, Pin::Missing), "{bare}");
        }
    }

    #[test]
    fn groups_modules_files_and_capabilities() {
        let named = |name, pin| Some(Kind::Named { name, pin });
        assert_eq!(kind("dnf install @development-tools", "@development-tools"), Some(Kind::Unjudged));
        assert_eq!(kind("dnf install @nodejs:20", "@nodejs:20"), named("nodejs", Pin::Pinned));
        assert_eq!(
            kind("dnf module install nodejs:20/common", "nodejs:20/common"),
            named("nodejs", Pin::Pinned)
        );
        assert_eq!(kind("dnf module install nodejs/common", "nodejs/common"), named("nodejs", Pin::Missing));
        assert_eq!(
            kind(
                "yum install https://x/epel-release-latest-9.noarch.rpm",
                "https://x/epel-release-latest-9.noarch.rpm"
            ),
            Some(Kind::File)
        );
        assert_eq!(
            kind("dnf install 'dnf-command(config-manager)'", "dnf-command(config-manager)"),
            Some(Kind::Unjudged)
        );
        assert_eq!(kind("dnf install 'php-*'", "php-*"), Some(Kind::Unjudged));
    }
}
