use std::ops::Range;

use plimsoll_diagnostic::Fix;
use plimsoll_dockerfile::Keyword;
use plimsoll_linter::{Check, CommandCtx, Emit, InstructionCtx, Reporter, declare_rule};
use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::env_settings::{self, EnvSetting, is_off, is_on};
use crate::support::file_writes::{self, FileWrite, key_value};
use crate::support::option_removal::{remove_option, remove_option_with_value, remove_short_option};
use crate::support::options;
use crate::support::word_parts::part_range;

declare_rule! {
    /// ## What it does
    /// Flags build steps that install packages without checking their signatures:
    /// - `apk --allow-untrusted`;
    /// - `apt-get`/`apt` `--allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes` (which
    ///   implies them), and the options `-o APT::Get::AllowUnauthenticated=true` and
    ///   `-o Acquire::AllowInsecureRepositories=true`;
    /// - APT sources marked `[trusted=yes]` or `[allow-insecure=yes]` (`Trusted: yes` in deb822 files),
    ///   written with `echo`, `tee`, heredocs or `COPY <<EOF`, or passed to `add-apt-repository`, and the
    ///   APT options above written into `/etc/apt/apt.conf.d/`;
    /// - `yum`/`dnf`/`microdnf`/`tdnf` `--nogpgcheck` and `--setopt=gpgcheck=0`, and `gpgcheck=0` written
    ///   into `.repo` files, `yum.conf`, `dnf.conf` or `zypp.conf` (also with `sed -i`);
    /// - `rpm` installs with `--nosignature`, `--nodigest`, `--nofiledigest` or `--noverify`;
    /// - `zypper --no-gpg-checks`, `zypper addrepo --no-gpgcheck`/`-G`,
    ///   `zypper install --allow-unsigned-rpm`;
    /// - `snap install --dangerous`, `SigLevel = Never` in `pacman.conf`, `allow-untrusted` in
    ///   `/etc/apk/config`, and `GOSUMDB=off` (Go's checksum database).
    ///
    /// Not flagged: `zypper --gpg-auto-import-keys` (signatures are still checked, against a key accepted on
    /// first use); `--allow-downgrades` (not about signatures); APT commands that only remove packages
    /// (`apt-get purge --force-yes`); and `[trusted=yes]` on a local `file:` or `copy:` repository, the usual
    /// way to install packages built earlier in the same build.
    ///
    /// ## Why is this bad?
    /// Package signatures are what make a repository trustworthy even over plain HTTP or through a mirror:
    /// the package manager refuses anything the publisher did not sign. With the check off, whoever controls
    /// the mirror, the network path or a cache can hand the build any package, and it is installed as root.
    ///
    /// Install the repository's signing key instead (`signed-by=` for APT, `/etc/apk/keys` for Alpine,
    /// `rpm --import` or `gpgkey=` for RPM repositories).
    ///
    /// ## Fix
    /// Removes a command option written as a plain word, with its value and one blank: `--allow-untrusted`,
    /// `--allow-unauthenticated`, `-o APT::Get::AllowUnauthenticated=true`, `--nogpgcheck`,
    /// `--setopt=gpgcheck=0`, `rpm --nosignature`, `zypper --no-gpg-checks`, the `G` of `zypper ar -fG`,
    /// `snap install --dangerous`. `--force-yes` gets no fix, since it also allows downgrades and removals a
    /// build may rely on; nor do repository sources, configuration files and `GOSUMDB`. A package that
    /// really is unsigned then fails to install, which is the point: install its signing key instead.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM debian:bookworm
    /// RUN echo "deb [trusted=yes] http://apt.example.com stable main" \
    ///       > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update && apt-get install -y example
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM debian:bookworm
    /// COPY example-archive-keyring.gpg /usr/share/keyrings/example.gpg
    /// RUN echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://apt.example.com stable main" \
    ///       > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update && apt-get install -y example
    /// ```
    ///
    /// ## References
    /// - [sources.list(5): trusted, signed-by](https://manpages.debian.org/bookworm/apt/sources.list.5.en.html)
    /// - [apt-get(8): --allow-unauthenticated](https://manpages.debian.org/bookworm/apt/apt-get.8.en.html)
    /// - [dnf.conf(5): gpgcheck](https://dnf.readthedocs.io/en/latest/conf_ref.html)
    /// - CIS Docker Benchmark v1.6.0, 4.11 "Ensure only verified packages are installed"
    code: "IMG011",
    name: "package-signature-check-disabled",
    family: Img,
    severity: Error,
    formats: [Dockerfile],
    aliases: ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
    checks: [
        Check::RunCommand(check_command),
        Check::Instruction(&[Keyword::Env, Keyword::Arg], check_instruction_settings),
        Check::Instruction(&[Keyword::Copy, Keyword::Add], check_copied_files),
    ],
}

/// Package managers, for the help text.
#[derive(Clone, Copy)]
enum Manager {
    Apk,
    Apt,
    Rpm,
    Snap,
    Pacman,
    Go,
}

fn help(manager: Manager) -> &'static str {
    match manager {
        Manager::Apk => {
            "Add the repository's public key to `/etc/apk/keys/` instead, so `apk` can check the signatures."
        }
        Manager::Apt => {
            "Install the repository's signing key and reference it (`[signed-by=/usr/share/keyrings/<name>.gpg]`) instead."
        }
        Manager::Rpm => {
            "Import the repository's signing key (`rpm --import <key>` or `gpgkey=`) and keep `gpgcheck=1`."
        }
        Manager::Snap => "Install the snap from a store or with its signed assertion (`snap ack`) instead.",
        Manager::Pacman => "Keep `SigLevel = Required` and import the packager's key with `pacman-key`.",
        Manager::Go => "Keep `GOSUMDB` on; list private modules in `GOPRIVATE` or `GONOSUMDB` instead.",
    }
}

fn report<'r>(r: &'r mut Reporter<'_>, range: TextRange, what: String, manager: Manager) -> Emit<'r> {
    r.report(range, format!("{what} turns off package signature checks")).help(help(manager))
}

fn check_command(ctx: &CommandCtx, r: &mut Reporter) {
    let command = ctx.command;
    if let Some(name) = command.program_name() {
        for (word, what, manager, fix) in command_findings(name, command, ctx.doc.text) {
            let emitted = report(r, word.range, what, manager);
            if let Some(fix) = fix {
                emitted.fix(fix);
            }
        }
        if name == "add-apt-repository" {
            for word in command.program_args() {
                if let Some((part, option)) = trusted_source_option(&word.text) {
                    let range = part_range(ctx.doc.text, word.range, &word.text, part);
                    report(r, range, format!("`{option}` in the APT source"), Manager::Apt);
                }
            }
        }
    }
    for setting in env_settings::of_command(command) {
        check_setting(&setting, r);
    }
    for write in file_writes::of_command(ctx.script, ctx.id, ctx.doc.text) {
        check_file(&write, ctx.doc.text, r);
    }
}

fn check_instruction_settings(ctx: &InstructionCtx, r: &mut Reporter) {
    for setting in env_settings::of_instruction(ctx.instruction) {
        check_setting(&setting, r);
    }
}

fn check_copied_files(ctx: &InstructionCtx, r: &mut Reporter) {
    for write in file_writes::of_copy(ctx.instruction) {
        check_file(&write, ctx.doc.text, r);
    }
}

/// zypper's short options that take no value, which may come before `G` in a cluster (`zypper ar -fG`).
const ZYPPER_FLAGS: &str = "fkKcCgd";

/// Options of the package manager a command runs that turn signature checks off, each with the fix that
/// removes it where that is a plain option (`text` is the Dockerfile).
fn command_findings<'a>(
    name: &str,
    command: &'a Command,
    text: &str,
) -> Vec<(&'a Word, String, Manager, Option<Fix>)> {
    let args = command.program_args();
    let long = |names: &[&str]| command.find_option(None, names);
    let without = |w: &Word| remove_option(text, w, None);
    let mut out = Vec::new();
    match name {
        "apk" => {
            if let Some(w) = long(&["allow-untrusted"]) {
                out.push((w, "`apk --allow-untrusted`".to_string(), Manager::Apk, without(w)));
            }
        }
        // Removing packages fetches nothing, so there is no signature to check (`apt-get purge --force-yes`).
        "apt-get" | "apt" | "aptitude" if !apt_removes(args) => {
            for flag in
                ["allow-unauthenticated", "allow-insecure-repositories", "force-yes", "allow-untrusted"]
            {
                // `--force-yes` also allows downgrades and removing held or essential packages.
                if let Some(w) = long(&[flag]) {
                    let fix = if flag == "force-yes" { None } else { without(w) };
                    out.push((w, format!("`{name} --{flag}`"), Manager::Apt, fix));
                }
            }
            for (w, value) in options::values(args, &["-o", "--option"]) {
                if key_value(value).is_some_and(|(k, v)| is_apt_unauthenticated_key(k) && is_on(v)) {
                    let fix = remove_option_with_value(text, args, w, value);
                    out.push((w, format!("`{name} -o {value}`"), Manager::Apt, fix));
                }
            }
        }
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => {
            if let Some(w) = long(&["nogpgcheck", "no-gpgchecks"]) {
                out.push((w, format!("`{name} {}`", w.text), Manager::Rpm, without(w)));
            }
            for (w, value) in options::values(args, &["--setopt"]) {
                if key_value(value).is_some_and(|(k, v)| is_gpgcheck_key(k) && is_off(v)) {
                    let fix = remove_option_with_value(text, args, w, value);
                    out.push((w, format!("`--setopt={value}`"), Manager::Rpm, fix));
                }
            }
        }
        "rpm" if rpm_installs(args) => {
            for flag in ["nosignature", "nodigest", "nofiledigest", "noverify"] {
                if let Some(w) = long(&[flag]) {
                    out.push((w, format!("`rpm --{flag}`"), Manager::Rpm, without(w)));
                }
            }
        }
        "zypper" => {
            if let Some(w) = long(&["no-gpg-checks", "allow-unsigned-rpm", "no-gpgcheck"]) {
                out.push((w, format!("`zypper {}`", w.text), Manager::Rpm, without(w)));
            }
            let adds_repo = args
                .iter()
                .find(|w| !w.text.starts_with('-'))
                .is_some_and(|w| matches!(w.text.as_str(), "addrepo" | "ar" | "modifyrepo" | "mr"));
            if adds_repo && let Some(w) = args.iter().find(|w| options::cluster_has(&w.text, 'G')) {
                let fix = remove_short_option(text, w, 'G', ZYPPER_FLAGS);
                out.push((w, "`zypper addrepo -G`".to_string(), Manager::Rpm, fix));
            }
        }
        "snap" => {
            if let Some(w) = long(&["dangerous"]) {
                out.push((w, "`snap install --dangerous`".to_string(), Manager::Snap, without(w)));
            }
        }
        _ => {}
    }
    out
}

/// Whether an APT command only removes or cleans (`remove`, `purge`, `autoremove`, `clean`).
fn apt_removes(args: &[Word]) -> bool {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        if matches!(text, "-o" | "-c" | "-t" | "--option" | "--config-file" | "--target-release") {
            i += 2;
        } else if text.starts_with('-') {
            i += 1;
        } else {
            return matches!(text, "remove" | "purge" | "autoremove" | "autopurge" | "clean" | "autoclean");
        }
    }
    false
}

/// Whether an `rpm` command installs, upgrades or freshens packages (`-i`, `-Uvh`, `--install`, …), not
/// queries (`-qip`) or verifies them.
fn rpm_installs(args: &[Word]) -> bool {
    args.iter().any(|w| {
        let text = w.text.as_str();
        matches!(text, "--install" | "--upgrade" | "--freshen" | "--reinstall")
            || text.strip_prefix('-').is_some_and(|c| !c.starts_with('-') && c.starts_with(['i', 'U', 'F']))
    })
}

fn is_apt_unauthenticated_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["::allowunauthenticated", "::allowinsecurerepositories", "::allowdowngradetoinsecurerepositories"]
        .iter()
        .any(|suffix| key.ends_with(suffix))
}

/// `gpgcheck`, `pkg_gpgcheck` or `<repository>.gpgcheck`.
fn is_gpgcheck_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let name = key.rsplit('.').next().unwrap_or(&key);
    name == "gpgcheck" || name == "pkg_gpgcheck"
}

/// In a one-line APT source (`deb [trusted=yes arch=amd64] http://… main`), the option that turns
/// signature checks off, as a range of the line and its text.
fn trusted_source_option(line: &str) -> Option<(Range<usize>, &str)> {
    let start = line.len() - line.trim_start().len();
    let rest = &line[start..];
    let after_type = rest.strip_prefix("deb-src").or_else(|| rest.strip_prefix("deb"))?;
    let open = after_type.find(|c: char| !c.is_whitespace()).filter(|&i| after_type[i..].starts_with('['))?;
    let options_start = line.len() - after_type.len() + open + 1;
    let options_end = options_start + line[options_start..].find(']')?;
    // A local repository (`file:`, `copy:`), typically of packages built earlier in the same build, has
    // nothing to protect in transit.
    let uri = line[options_end + 1..].trim_start();
    if uri.starts_with("file:") || uri.starts_with("copy:") {
        return None;
    }
    let mut at = options_start;
    for option in line[options_start..options_end].split(' ') {
        if let Some((key, value)) = option.split_once('=')
            && matches!(key, "trusted" | "allow-insecure" | "allow-downgrade-to-insecure")
            && value == "yes"
        {
            return Some((at..at + option.len(), option));
        }
        at += option.len() + 1;
    }
    None
}

fn check_setting(setting: &EnvSetting, r: &mut Reporter) {
    if setting.name == "GOSUMDB" && is_off(setting.value) {
        report(r, setting.range, format!("`GOSUMDB={}`", setting.value), Manager::Go);
    }
}

fn check_file(write: &FileWrite, source: &str, r: &mut Reporter) {
    let path = write.path;
    let apt_sources =
        path.contains("/etc/apt/sources.list") || path.ends_with(".list") || path.ends_with(".sources");
    let rpm_config =
        path.ends_with(".repo") || ["yum.conf", "dnf.conf", "zypp.conf"].iter().any(|f| path.ends_with(f));
    for (range, line) in write.lines() {
        let key_value = key_value(line);
        let (part, what, manager) = if apt_sources && let Some((part, option)) = trusted_source_option(line) {
            (
                range.start + part.start..range.start + part.end,
                format!("`{option}` in `{path}`"),
                Manager::Apt,
            )
        } else if let Some((key, value)) = key_value
            && apt_sources
            && (key.eq_ignore_ascii_case("trusted") || key.eq_ignore_ascii_case("allow-insecure"))
            && is_on(value)
        {
            (range, format!("`{}` in `{path}`", line.trim()), Manager::Apt)
        } else if let Some((key, value)) = key_value
            && path.contains("/apt.conf")
            && is_apt_unauthenticated_key(key)
            && is_on(value)
        {
            (range, format!("`{}` in `{path}`", line.trim()), Manager::Apt)
        } else if let Some((key, value)) = key_value
            && rpm_config
            && is_gpgcheck_key(key)
            && is_off(value)
        {
            (range, format!("`{}` in `{path}`", line.trim()), Manager::Rpm)
        } else if let Some((key, value)) = key_value
            && path.ends_with("pacman.conf")
            && key == "SigLevel"
            && value.split_whitespace().any(|v| v == "Never")
        {
            (range, format!("`{}` in `{path}`", line.trim()), Manager::Pacman)
        } else if let Some((key, _)) = key_value
            && path.ends_with("/etc/apk/config")
            && key == "allow-untrusted"
        {
            (range, format!("`allow-untrusted` in `{path}`"), Manager::Apk)
        } else {
            continue;
        };
        if let Some(at) = write.range_of(source, part) {
            report(r, at, what, manager);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, assert_fixed, assert_no_fix, messages, run, spans};

    /// Asserts that the fix turns `RUN before` into `RUN after`.
    #[track_caller]
    fn run_fixed(before: &str, after: &str) {
        assert_fixed(&RULE, &run(before), &run(after));
    }

    #[test]
    fn fixes_remove_the_option() {
        run_fixed("apk add --no-cache --allow-untrusted x.apk", "apk add --no-cache x.apk");
        run_fixed("apt-get install -y --allow-unauthenticated x", "apt-get install -y x");
        run_fixed("apt-get update --allow-insecure-repositories", "apt-get update");
        run_fixed("apt-get -o APT::Get::AllowUnauthenticated=true install x", "apt-get install x");
        run_fixed("yum install -y --nogpgcheck x", "yum install -y x");
        run_fixed("dnf install --setopt=epel.gpgcheck=0 x", "dnf install x");
        run_fixed("rpm -Uvh --nodigest --nosignature x.rpm", "rpm -Uvh x.rpm");
        run_fixed("rpm -i x.rpm --nodigest --nosignature", "rpm -i x.rpm");
        run_fixed("zypper --no-gpg-checks install x", "zypper install x");
        run_fixed("zypper ar -fG https://r/x x", "zypper ar -f https://r/x x");
        run_fixed("zypper in --allow-unsigned-rpm ./x.rpm", "zypper in ./x.rpm");
        run_fixed("snap install --dangerous x.snap", "snap install x.snap");
        run_fixed("sh -c 'yum -y --nogpgcheck install x'", "sh -c 'yum -y install x'");
        assert_fixed(
            &RULE,
            "FROM a\nRUN apt-get update \\\n && apt-get install -y \\\n      --allow-unauthenticated \\\n      x\n",
            "FROM a\nRUN apt-get update \\\n && apt-get install -y \\\n      x\n",
        );
        assert_fixed(
            &RULE,
            "FROM a\nRUN rpm \\\n    -i x.rpm \\\n    --nodigest \\\n    --nosignature\n",
            "FROM a\nRUN rpm \\\n    -i x.rpm\n",
        );
        let found = crate::testing::lint(&RULE, &run("apk add --allow-untrusted x.apk"));
        assert_eq!(found[0].fix.as_ref().map(|f| f.title.as_str()), Some("Remove `--allow-untrusted`"));
    }

    #[test]
    fn no_fix_where_removing_is_not_plainly_safe() {
        assert_no_fix(&RULE, &run("apt-get install -y --force-yes x"));
        assert_no_fix(&RULE, "FROM a\nRUN [\"apk\", \"add\", \"--allow-untrusted\", \"x\"]\n");
        assert_no_fix(&RULE, "FROM golang:1.23\nENV GOSUMDB=off\n");
        assert_no_fix(
            &RULE,
            &run("add-apt-repository 'deb [allow-insecure=yes] http://r.example stable main'"),
        );
        assert_no_fix(&RULE, &run("sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.conf"));
        assert_no_fix(&RULE, &run("zypper ar -pG 90 https://r/x x"));
    }

    #[test]
    fn apk_and_apt_flags() {
        assert_eq!(spans(&RULE, &run("apk add --no-cache --allow-untrusted x.apk")), ["--allow-untrusted"]);
        assert_eq!(
            spans(&RULE, &run("apt-get install -y --allow-unauthenticated x")),
            ["--allow-unauthenticated"]
        );
        assert_eq!(
            spans(&RULE, &run("apt-get update --allow-insecure-repositories")),
            ["--allow-insecure-repositories"]
        );
        assert_eq!(spans(&RULE, &run("apt-get install -y --force-yes x")), ["--force-yes"]);
        assert_eq!(
            spans(&RULE, &run("apt-get -o APT::Get::AllowUnauthenticated=true install x")),
            ["APT::Get::AllowUnauthenticated=true"]
        );
        assert_eq!(
            messages(&RULE, &run("apk add --allow-untrusted x.apk")),
            ["`apk --allow-untrusted` turns off package signature checks"]
        );
        assert_clean(&RULE, &run("apt-get install -y --allow-downgrades x && apk add --no-cache curl"));
        assert_clean(
            &RULE,
            &run("apt-get purge -y -f --force-yes x && apt-get -o Debug::x=1 autoremove --force-yes"),
        );
    }

    #[test]
    fn rpm_family() {
        assert_eq!(spans(&RULE, &run("yum install -y --nogpgcheck x")), ["--nogpgcheck"]);
        assert_eq!(spans(&RULE, &run("microdnf install --nogpgcheck x")), ["--nogpgcheck"]);
        assert_eq!(
            spans(&RULE, &run("dnf install --setopt=epel.gpgcheck=0 x")),
            ["--setopt=epel.gpgcheck=0"]
        );
        assert_eq!(spans(&RULE, &run("rpm -ivh --nosignature x.rpm")), ["--nosignature"]);
        assert_eq!(
            spans(&RULE, &run("rpm -Uvh --nodigest --nosignature x.rpm")),
            ["--nodigest", "--nosignature"]
        );
        assert_eq!(spans(&RULE, &run("zypper --no-gpg-checks install x")), ["--no-gpg-checks"]);
        assert_eq!(spans(&RULE, &run("zypper ar -fG https://r/x x")), ["-fG"]);
        assert_eq!(spans(&RULE, &run("zypper in --allow-unsigned-rpm ./x.rpm")), ["--allow-unsigned-rpm"]);
        assert_clean(&RULE, &run("rpm -qip --nosignature x.rpm && rpm --import https://r/key"));
        assert_clean(
            &RULE,
            &run("zypper --gpg-auto-import-keys refresh && yum install --setopt=tsflags=nodocs x"),
        );
    }

    #[test]
    fn apt_sources() {
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "echo \"deb [trusted=yes] http://r.example stable main\" > /etc/apt/sources.list.d/r.list"
                )
            ),
            ["trusted=yes"]
        );
        assert_eq!(
            spans(
                &RULE,
                &run("echo 'deb [arch=amd64 trusted=yes] https://r ./' | tee -a /etc/apt/sources.list")
            ),
            ["trusted=yes"]
        );
        assert_eq!(
            spans(&RULE, &run("add-apt-repository 'deb [allow-insecure=yes] http://r.example stable main'")),
            ["allow-insecure=yes"]
        );
        assert_eq!(
            spans(
                &RULE,
                "FROM a\nCOPY <<EOF /etc/apt/sources.list.d/r.sources\nTypes: deb\nURIs: https://r\nTrusted: yes\nEOF\n"
            ),
            ["Trusted: yes"]
        );
        assert_eq!(
            spans(&RULE, &run("echo 'APT::Get::AllowUnauthenticated \"true\";' > /etc/apt/apt.conf.d/99x")),
            ["APT::Get::AllowUnauthenticated \"true\";"]
        );
        assert_eq!(
            messages(&RULE, &run("echo 'deb [trusted=yes] http://r x' > /etc/apt/sources.list.d/r.list")),
            ["`trusted=yes` in `/etc/apt/sources.list.d/r.list` turns off package signature checks"]
        );
        assert_clean(
            &RULE,
            &run(
                "echo 'deb [signed-by=/usr/share/keyrings/r.gpg] http://r stable main' > /etc/apt/sources.list.d/r.list",
            ),
        );
        assert_clean(&RULE, &run("echo 'deb [trusted=yes] http://r x' > /tmp/notes.txt"));
        assert_clean(
            &RULE,
            &run("echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list"),
        );
    }

    #[test]
    fn repository_files() {
        assert_eq!(
            spans(
                &RULE,
                &run(
                    "echo -e '[mongodb]\\nbaseurl=https://r\\ngpgcheck=0\\nenabled=1' > /etc/yum.repos.d/mongodb.repo"
                )
            ),
            ["gpgcheck=0"]
        );
        assert_eq!(
            spans(&RULE, &run("printf '[r]\\nname=r\\ngpgcheck=0\\n' | tee /etc/yum.repos.d/r.repo")),
            ["gpgcheck=0"]
        );
        assert_eq!(spans(&RULE, &run("sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.conf")), ["gpgcheck=0"]);
        assert_eq!(
            spans(&RULE, &run("cat > /etc/pacman.conf <<EOF\n[options]\nSigLevel = Never\nEOF")),
            ["SigLevel = Never"]
        );
        assert_clean(&RULE, &run("echo -e '[r]\\ngpgcheck=1\\nrepo_gpgcheck=0' > /etc/yum.repos.d/r.repo"));
    }

    #[test]
    fn other_managers() {
        assert_eq!(spans(&RULE, &run("snap install --dangerous x.snap")), ["--dangerous"]);
        assert_eq!(spans(&RULE, "FROM golang:1.23\nENV GOSUMDB=off\n"), ["GOSUMDB=off"]);
        assert_eq!(spans(&RULE, &run("go env -w GOSUMDB=off")), ["GOSUMDB=off"]);
        assert_clean(&RULE, "FROM golang:1.23\nENV GOSUMDB=sum.golang.org GONOSUMDB=corp.example\n");
    }

    #[test]
    fn nested_forms() {
        assert_eq!(spans(&RULE, "FROM a\nONBUILD RUN apk add --allow-untrusted x\n"), ["--allow-untrusted"]);
        assert_eq!(
            spans(&RULE, "FROM a\nRUN [\"apk\", \"add\", \"--allow-untrusted\", \"x\"]\n"),
            ["\"--allow-untrusted\""]
        );
        assert_eq!(spans(&RULE, &run("sh -c 'yum -y --nogpgcheck install x'")), ["--nogpgcheck"]);
    }
}
