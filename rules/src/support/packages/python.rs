//! pip (`pip`, `pip3`, `pip3.12`, `python -m pip`) and `uv pip`.
//!
//! Package words are PEP 508 requirements (`name[extras] specifiers ; marker`), direct references
//! (`name @ https://…`), VCS URLs (`git+https://host/repo@ref#egg=name`), archives and local paths.
//! Requirements and constraints files (`-r`, `-c`) are option values, not packages; `-e`/`--editable`
//! values are packages (a path or a VCS URL).

use plimsoll_shell::Word;

use super::args::{Cli, Opt};
use super::{Kind, Manager, Operation, PackageOp, Pin, version};

/// pip's options and uv's `pip` interface options that take a value (both also accepted before the
/// subcommand).
const PIP: Cli = Cli {
    short: "rceitfCpPbd",
    long: &[
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "find-links",
        "target",
        "prefix",
        "root",
        "src",
        "upgrade-strategy",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "trusted-host",
        "progress-bar",
        "cache-dir",
        "log",
        "log-file",
        "proxy",
        "retries",
        "timeout",
        "exists-action",
        "cert",
        "client-cert",
        "global-option",
        "install-option",
        "config-settings",
        "config-setting",
        "build-option",
        "report",
        "python",
        "keyring-provider",
        "use-feature",
        "use-deprecated",
        "root-user-action",
        "group",
        "dest",
        "index",
        "default-index",
        "python-platform",
        "override",
        "build-constraints",
        "build-constraint",
        "extra",
        "resolution",
        "prerelease",
        "exclude-newer",
        "upgrade-package",
        "reinstall-package",
        "link-mode",
        "index-strategy",
        "no-build-isolation-package",
        "refresh-package",
        "directory",
        "project",
        "config-file",
        "color",
    ],
    single_dash_long: false,
    boolean_values: false,
    stop_at_double_dash: false,
};

/// `pip`, `pip3`, `pip3.12`.
pub(super) fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`, `py`.
pub(super) fn is_python(name: &str) -> bool {
    name == "py"
        || name.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python -m pip …`: the interpreter's own options come first (`-u`, `-W ignore`, `-X utf8`).
pub(super) fn module<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.literal()?;
        i += 1;
        match text {
            "-m" => {
                return (args.get(i)?.literal()? == "pip")
                    .then(|| pip(Manager::Pip, program, &args[i + 1..]))?;
            }
            "-mpip" => return pip(Manager::Pip, program, &args[i..]),
            "-W" | "-X" => i += 1,
            _ if text.starts_with('-') && !text.contains(['c', 'm']) => {}
            _ => return None,
        }
    }
    None
}

/// `uv pip install …`, with uv's global options before `pip`.
pub(super) fn uv<'a>(program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let (interface, rest) = PIP.split_subcommand(args)?;
    (interface.literal()? == "pip").then(|| pip(Manager::UvPip, program, rest))?
}

pub(super) fn pip<'a>(manager: Manager, program: &'a Word, args: &'a [Word]) -> Option<PackageOp<'a>> {
    let parsed = PIP.parse(args);
    let (&verb, operands) = parsed.operands.split_first()?;
    let operation = match verb.literal()? {
        "install" => Operation::Install,
        "uninstall" => Operation::Remove,
        "download" | "wheel" => Operation::Fetch,
        "cache" => Operation::Clean,
        _ => Operation::Other,
    };
    // Editable installs name their package as the option's value.
    let editable =
        parsed.options.iter().filter(|o| o.is(Some('e'), &["editable"])).filter_map(|o: &Opt| o.value_word);
    let mut packages: Vec<&Word> = editable.collect();
    packages.extend(operands);
    packages.sort_by_key(|w| w.range.start);
    Some(PackageOp { manager, operation, program, verb: vec![verb], options: parsed.options, packages })
}

pub(super) fn classify(text: &str) -> Kind<'_> {
    let text = text.trim();
    // `name @ url` (PEP 508 direct reference): the URL decides.
    if let Some((name, url)) = text.split_once('@')
        && !name.contains("://")
        && url.contains("://")
    {
        let name = name.trim();
        return match url_pin(url.trim()) {
            Some(pin) if !name.is_empty() => Kind::Named { name, pin },
            _ => archive(url.trim()),
        };
    }
    if text.contains("://") {
        return match url_pin(text) {
            Some(pin) => Kind::Named { name: repository(text), pin },
            None => archive(text),
        };
    }
    const ARCHIVES: &[&str] = &[".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz"];
    if text == "."
        || text.starts_with(['.', '/', '~'])
        || text.contains('/')
        || ARCHIVES.iter().any(|a| text.ends_with(a))
    {
        return Kind::File;
    }
    requirement(text)
}

/// A VCS URL's pin (`git+https://host/org/repo@v1.2#egg=x`); `None` for other URLs (archives).
fn url_pin(url: &str) -> Option<Pin<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if !["git+", "hg+", "svn+", "bzr+"].iter().any(|vcs| scheme.starts_with(vcs)) {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    // The revision follows the last `@` of the path; an `@` in the host part is a user (`git@github.com`).
    let path = rest.split_once('/').map_or("", |(_, path)| path);
    Some(match path.rsplit_once('@') {
        Some((_, reference)) => version::vcs_ref(reference),
        None => Pin::Missing,
    })
}

/// An archive URL: a file, unless it is the moving archive of a branch.
fn archive(url: &str) -> Kind<'_> {
    match version::archive_branch(url) {
        Some(branch) => Kind::Named { name: url, pin: Pin::Floating(branch) },
        None => Kind::File,
    }
}

/// A VCS URL without its revision and fragment: `git+https://host/org/repo`.
fn repository(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or(url);
    let host_end = url.find("://").map_or(0, |at| at + 3);
    match url[host_end..]
        .find('/')
        .and_then(|slash| url[host_end + slash..].rfind('@').map(|at| host_end + slash + at))
    {
        Some(at) => &url[..at],
        None => url,
    }
}

/// `requests`, `requests==2.32.3`, `uvicorn[standard]>=0.30,<1`, `black (==24.4.2) ; python_version>'3'`.
fn requirement(text: &str) -> Kind<'_> {
    let text = text.split(';').next().unwrap_or(text).trim();
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    if name.is_empty() {
        return Kind::Unjudged;
    }
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(extras) => extras.split_once(']').map_or("", |(_, after)| after),
        None => rest,
    };
    let spec = rest.trim().trim_start_matches('(').trim_end_matches(')');
    Kind::Named { name, pin: version::comparison(spec, &[',']) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements() {
        let named = |name, pin| Kind::Named { name, pin };
        assert_eq!(classify("requests"), named("requests", Pin::Missing));
        assert_eq!(classify("requests==2.32.3"), named("requests", Pin::Pinned));
        assert_eq!(classify("Django~=5.0"), named("Django", Pin::Pinned));
        assert_eq!(classify("numpy==1.26.*"), named("numpy", Pin::Pinned));
        assert_eq!(classify("uvicorn[standard]>=0.30,<1"), named("uvicorn", Pin::Pinned));
        assert_eq!(classify("uvicorn[standard]"), named("uvicorn", Pin::Missing));
        assert_eq!(classify("flask>=3"), named("flask", Pin::Floating(">=3")));
        assert_eq!(classify("black (==24.4.2) ; python_version > '3.8'"), named("black", Pin::Pinned));
        assert_eq!(classify("six; python_version<'3'"), named("six", Pin::Missing));
    }

    #[test]
    fn urls_and_paths() {
        let named = |name, pin| Kind::Named { name, pin };
        assert_eq!(
            classify("git+https://github.com/org/repo@v1.2.0#egg=repo"),
            named("git+https://github.com/org/repo", Pin::Pinned)
        );
        assert_eq!(
            classify("git+https://github.com/org/repo"),
            named("git+https://github.com/org/repo", Pin::Missing)
        );
        assert_eq!(
            classify("git+ssh://git@github.com/org/repo.git"),
            named("git+ssh://git@github.com/org/repo.git", Pin::Missing)
        );
        assert_eq!(
            classify("git+https://github.com/org/repo@main"),
            named("git+https://github.com/org/repo", Pin::Floating("main"))
        );
        assert_eq!(classify("repo @ git+https://github.com/org/repo@3f2a9c1"), named("repo", Pin::Pinned));
        assert_eq!(classify("repo @ https://example.com/repo-1.0.tar.gz"), Kind::File);
        assert_eq!(classify("https://example.com/repo-1.0.tar.gz"), Kind::File);
        let branch = "https://github.com/org/repo/archive/refs/heads/master.zip";
        assert_eq!(classify(branch), named(branch, Pin::Floating("master")));
        for path in [".", "./pkg", "/src", "dist/app-1.0-py3-none-any.whl", "app.whl", "~/x"] {
            assert_eq!(classify(path), Kind::File, "{path}");
        }
        assert!(is_pip("pip") && is_pip("pip3") && is_pip("pip3.12") && !is_pip("pipenv") && !is_pip("pipx"));
        assert!(is_python("python3.12") && is_python("py") && !is_python("python-config"));
    }
}
