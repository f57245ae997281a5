//! Recognition of package commands across managers: subcommands, option values, wrappers.

use plimsoll_shell::{Command, ParseOptions, parse_script};

use super::*;

/// The first command of a shell line.
pub(super) fn command(line: &str) -> Command {
    parse_script(line, 0, ParseOptions::default()).commands.into_iter().next().expect("a command")
}

/// (manager, operation, verb, packages) of a line.
fn recognise(line: &str) -> Option<(Manager, Operation, String, Vec<String>)> {
    let cmd = command(line);
    let op = parse(&cmd)?;
    let packages = op.packages.iter().map(|w| w.text.clone()).collect();
    Some((op.manager, op.operation, op.verb_text(), packages))
}

fn packages(line: &str) -> Vec<String> {
    recognise(line).map(|(_, _, _, p)| p).unwrap_or_default()
}

#[test]
fn apt_family() {
    assert_eq!(
        recognise(
            "apt-get -y -o Dpkg::Options::=--force-confnew install -t bookworm-backports --no-install-recommends curl git"
        ),
        Some((Manager::AptGet, Operation::Install, "install".into(), vec!["curl".into(), "git".into()]))
    );
    assert_eq!(packages("apt install -y -q=2 --option=A=b vim"), ["vim"]);
    assert_eq!(packages("aptitude -y -t stable install htop"), ["htop"]);
    assert_eq!(recognise("apt-get update -qq").map(|r| r.1), Some(Operation::Refresh));
    assert_eq!(recognise("apt-get dist-upgrade -y").map(|r| r.1), Some(Operation::Upgrade));
    assert_eq!(recognise("apt-get build-dep -y python3").map(|r| r.1), Some(Operation::Fetch));
    assert_eq!(recognise("apt-get -y"), None);
    assert_eq!(recognise("apt-cache policy curl"), None);
}

#[test]
fn wrappers_are_looked_through() {
    assert_eq!(packages("sudo -E apt-get install -y curl"), ["curl"]);
    assert_eq!(packages("env DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata"), ["tzdata"]);
    assert_eq!(packages("DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y tzdata"), ["tzdata"]);
    assert_eq!(packages("xargs -r apt-get install -y"), Vec::<String>::new());
    let cmd = command("sudo apt-get -qq update");
    let op = parse(&cmd).expect("apt-get");
    assert_eq!(op.command_range().slice("sudo apt-get -qq update"), "apt-get -qq update");
}

#[test]
fn apk() {
    assert_eq!(
        recognise(
            "apk add --no-cache --virtual .build-deps -X http://dl-cdn.alpinelinux.org/alpine/edge/testing gcc musl-dev"
        ),
        Some((Manager::Apk, Operation::Install, "add".into(), vec!["gcc".into(), "musl-dev".into()]))
    );
    assert_eq!(packages("apk -U add -t.deps --repository=http://x curl"), ["curl"]);
    assert_eq!(recognise("apk update").map(|r| r.1), Some(Operation::Refresh));
    assert_eq!(recognise("apk --no-cache upgrade").map(|r| r.1), Some(Operation::Upgrade));
}

#[test]
fn rpm_family() {
    assert_eq!(
        recognise("yum -y --setopt tsflags=nodocs --enablerepo=epel install nginx"),
        Some((Manager::Yum, Operation::Install, "install".into(), vec!["nginx".into()]))
    );
    assert_eq!(recognise("dnf makecache").map(|r| r.1), Some(Operation::Refresh));
    assert_eq!(
        recognise("microdnf install -y --nodocs shadow-utils").map(|r| r.3),
        Some(vec!["shadow-utils".into()])
    );
    assert_eq!(recognise("tdnf install -y tar").map(|r| r.0), Some(Manager::Tdnf));
    assert_eq!(
        recognise("dnf module install -y nodejs:20").map(|r| (r.1, r.2)),
        Some((Operation::Install, "module install".into()))
    );
    assert_eq!(recognise("dnf module enable -y nodejs:20").map(|r| r.1), Some(Operation::Other));
    assert_eq!(recognise("yum groupinstall -y 'Development Tools'").map(|r| r.1), Some(Operation::Other));
    assert_eq!(recognise("yum update -y").map(|r| r.1), Some(Operation::Upgrade));
}

#[test]
fn zypper() {
    assert_eq!(
        recognise("zypper --non-interactive --root /mnt in -y --no-recommends -r repo-oss curl"),
        Some((Manager::Zypper, Operation::Install, "in".into(), vec!["curl".into()]))
    );
    assert_eq!(recognise("zypper -t -n install -t pattern devel_basis").map(|r| r.1), Some(Operation::Other));
    assert_eq!(recognise("zypper --gpg-auto-import-keys refresh").map(|r| r.1), Some(Operation::Refresh));
    assert_eq!(recognise("zypper ref").map(|r| r.1), Some(Operation::Refresh));
}

#[test]
fn pip_and_python() {
    assert_eq!(
        recognise(
            "pip install --no-cache-dir -r requirements.txt -c constraints.txt -i https://pypi.org/simple flask"
        ),
        Some((Manager::Pip, Operation::Install, "install".into(), vec!["flask".into()]))
    );
    assert_eq!(
        packages("pip3 install --target /opt/lib --prefix=/usr -e ./src requests"),
        ["./src", "requests"]
    );
    assert_eq!(packages("pip3.12 --disable-pip-version-check install -U pip"), ["pip"]);
    assert_eq!(packages("python3 -m pip install --user black"), ["black"]);
    assert_eq!(packages("/usr/local/bin/python -u -W ignore -m pip install black"), ["black"]);
    assert_eq!(packages("python -mpip install black"), ["black"]);
    assert_eq!(recognise("python -c 'import pip' install x"), None);
    assert_eq!(recognise("python3 -m venv /venv"), None);
    assert_eq!(recognise("python3 script.py install x"), None);
    assert_eq!(
        recognise("uv pip install --system ruff").map(|r| (r.0, r.3)),
        Some((Manager::UvPip, vec!["ruff".into()]))
    );
    assert_eq!(packages("uv --no-cache pip install -p 3.12 ruff"), ["ruff"]);
    assert_eq!(recognise("uv sync"), None);
    assert_eq!(recognise("pipenv install requests"), None);
}

#[test]
fn node_managers() {
    assert_eq!(
        recognise("npm install -g --prefix /usr/local --unsafe-perm true typescript@5.4.5"),
        Some((Manager::Npm, Operation::Install, "install".into(), vec!["typescript@5.4.5".into()]))
    );
    assert_eq!(recognise("npm ci --omit dev").map(|r| (r.1, r.3.len())), Some((Operation::Install, 0)));
    assert_eq!(recognise("npm i").map(|r| r.3.len()), Some(0));
    assert_eq!(
        recognise("yarn global add @vue/cli").map(|r| (r.2, r.3)),
        Some(("global add".into(), vec!["@vue/cli".into()]))
    );
    assert_eq!(recognise("yarn --frozen-lockfile").map(|r| (r.1, r.3.len())), Some((Operation::Install, 0)));
    assert_eq!(packages("yarn add --cwd /app -D eslint"), ["eslint"]);
    assert_eq!(packages("pnpm add -g --filter web pnpm"), ["pnpm"]);
    assert_eq!(packages("pnpm install -C /app zod"), ["zod"]);
    assert_eq!(packages("bun add -d vitest"), ["vitest"]);
    assert_eq!(recognise("npm run build").map(|r| r.1), Some(Operation::Other));
}

#[test]
fn gem_go_and_others() {
    assert_eq!(packages("gem install -N --source https://rubygems.org -v 2.5.6 bundler"), ["bundler"]);
    assert_eq!(packages("gem update --system"), Vec::<String>::new());
    assert_eq!(
        recognise("go install -ldflags '-s -w' -tags=netgo golang.org/x/tools/gopls@v0.16.1").map(|r| r.3),
        Some(vec!["golang.org/x/tools/gopls@v0.16.1".into()])
    );
    assert_eq!(recognise("go build -o app .").map(|r| r.1), Some(Operation::Other));
    assert_eq!(
        recognise("cargo install --locked -j 4 ripgrep").map(|r| (r.0, r.3)),
        Some((Manager::Cargo, vec!["ripgrep".into()]))
    );
    assert_eq!(
        recognise("composer global require -d /x laravel/installer").map(|r| r.3),
        Some(vec!["laravel/installer".into()])
    );
    assert_eq!(
        recognise("conda install -c conda-forge -n base -y mamba").map(|r| (r.0, r.3)),
        Some((Manager::Conda, vec!["mamba".into()]))
    );
}

#[test]
fn dynamic_words_are_packages_but_not_classified() {
    let cmd = command("apt-get install -y $PKGS curl=$CURL_VERSION git");
    let op = parse(&cmd).expect("apt-get");
    assert_eq!(op.packages.len(), 3);
    let kinds: Vec<_> = op.installed().map(|(w, _)| w.text.as_str()).collect();
    assert_eq!(kinds, ["git"]);
}

#[test]
fn unpinned_packages_with_redirect_mistakes() {
    let cmd = command("pip install flask>=3.0 requests==2.32.3 'django>=5'");
    let found = unpinned(&cmd, &[Manager::Pip]);
    let names: Vec<_> = found.iter().map(|u| (u.name, u.floating, u.redirect.is_some())).collect();
    assert_eq!(names, [("flask", None, true), ("django", Some(">=5"), false)]);
    assert_eq!(
        found[0].message(),
        "Package `flask` is installed without a version: the unquoted `>=3.0` is a shell redirection"
    );
    assert_eq!(found[1].message(), "Package `django` is not pinned: `>=5` admits every new release");
    assert!(unpinned(&cmd, &[Manager::Npm]).is_empty());
    let cmd = command("pip install flask>/dev/null");
    assert!(unpinned(&cmd, &[Manager::Pip])[0].redirect.is_none());
}
