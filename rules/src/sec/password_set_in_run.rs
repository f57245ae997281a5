use plimsoll_linter::{Check, CommandCtx, Reporter, declare_rule};
use plimsoll_shell::Word;

use crate::support::options;

declare_rule! {
    /// ## What it does
    /// Flags `RUN` commands that set or remove an account password: `chpasswd` (`echo 'root:pw' | chpasswd`),
    /// `passwd` fed from standard input (`passwd --stdin`, `echo … | passwd`, `passwd <<<…`), `passwd -d`,
    /// `useradd`/`usermod` with `-p`/`--password` (unless the value is a lock marker such as `!` or `*`), and
    /// `htpasswd -b`, which takes the password on the command line.
    ///
    /// `openssl passwd` and `mkpasswd` only print a hash and are not flagged; the command that uses the hash
    /// is.
    ///
    /// ## Why is this bad?
    /// Every container started from the image shares the password, and anyone who pulls the image can read
    /// the hash from `/etc/shadow` and crack it offline; the clear text is usually in the Dockerfile and the
    /// image history too. An account with an empty password (`passwd -d`, `useradd -p ''`) is worse: anything
    /// that honours passwords (`su`, an SSH server) lets anyone in. Containers do not need login passwords:
    /// keep accounts locked (the default for `useradd`) and give access through keys or secrets provided at
    /// run time.
    ///
    /// ## Example
    /// ```dockerfile,bad
    /// FROM ubuntu:24.04
    /// RUN useradd -m app && echo 'app:changeme' | chpasswd
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile,good
    /// FROM ubuntu:24.04
    /// RUN useradd -m app
    /// USER app
    /// ```
    ///
    /// ## References
    /// - [chpasswd(8)](https://manpages.debian.org/bookworm/passwd/chpasswd.8.en.html)
    /// - [useradd(8): -p, --password](https://manpages.debian.org/bookworm/passwd/useradd.8.en.html)
    /// - CIS Docker Benchmark v1.6.0, 4.10 "Ensure secrets are not stored in Dockerfiles"
    code: "SEC006",
    name: "password-set-in-run",
    family: Sec,
    severity: Warning,
    formats: [Dockerfile],
    aliases: ["CKV2_DOCKER_17"],
    checks: [Check::RunCommand(check)],
}

const HELP: &str = "Keep accounts locked (the default for `useradd`) and provide access at run time with keys or \
                    secrets instead of a password baked into the image.";
const EMPTY_HELP: &str = "Lock the account (`passwd -l`) instead of giving it an empty password.";

fn check(ctx: &CommandCtx, r: &mut Reporter) {
    let command = ctx.command;
    let Some(name) = command.program_name() else { return };
    let Some(word) = command.program().first() else { return };
    let args = command.program_args();
    match name {
        "chpasswd" => {
            r.report(word.range, "`chpasswd` sets an account password in the image").help(HELP);
        }
        "passwd" => {
            if let Some(delete) =
                args.iter().find(|w| w.text == "--delete" || options::cluster_has(&w.text, 'd'))
            {
                r.report(
                    delete.range,
                    "`passwd -d` removes the account's password, allowing logins without one",
                )
                .help(EMPTY_HELP);
                return;
            }
            let piped = command.pipeline.is_some_and(|(_, position)| position > 0);
            let redirected =
                command.redirects.iter().any(|r| matches!(r.operator.as_str(), "<" | "<<" | "<<-" | "<<<"));
            if args.iter().any(|w| w.text == "--stdin") || piped || redirected {
                r.report(word.range, "`passwd` sets an account password in the image").help(HELP);
            }
        }
        "useradd" | "usermod" => {
            let Some((option, value)) = password_option(args) else { return };
            let range = option.range.cover(value.map_or(option.range, |v| v.range));
            let text = match value {
                Some(v) => v.text.as_str(),
                None => {
                    option.text.strip_prefix("--password=").or_else(|| option.text.get(2..)).unwrap_or("")
                }
            };
            if is_lock_marker(text) {
                return;
            }
            if text.is_empty() {
                r.report(range, format!("`{name} -p ''` gives the account an empty password"))
                    .help(EMPTY_HELP);
            } else {
                r.report(range, format!("`{name} -p` sets an account password in the image")).help(HELP);
            }
        }
        "htpasswd" => {
            if let Some(batch) = args.iter().find(|w| options::cluster_has(&w.text, 'b')) {
                r.report(batch.range, "`htpasswd -b` sets a password given on the command line").help(
                    "Create the password file outside the image and provide it at run time (a secret or a mounted file).",
                );
            }
        }
        _ => {}
    }
}

/// `-p VALUE`, `--password VALUE`, `--password=VALUE` or `-pVALUE`: the option word and, when separate, the
/// value word.
fn password_option(args: &[Word]) -> Option<(&Word, Option<&Word>)> {
    args.iter().enumerate().find_map(|(i, w)| match w.text.as_str() {
        "-p" | "--password" => Some((w, args.get(i + 1))),
        text if text.starts_with("--password=") => Some((w, None)),
        text if text.starts_with("-p") && !text.starts_with("--") => Some((w, None)),
        _ => None,
    })
}

/// `!`, `!!`, `*`, `!$6$…`: a locked password field.
fn is_lock_marker(value: &str) -> bool {
    value.starts_with('!') || value.starts_with('*') || value == "x"
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{assert_clean, messages, run, spans};

    #[test]
    fn chpasswd_and_passwd() {
        assert_eq!(spans(&RULE, &run("echo 'root:toor' | chpasswd")), ["chpasswd"]);
        assert_eq!(
            spans(&RULE, &run("echo \"app:$PW\" | sudo /usr/sbin/chpasswd -e")),
            ["/usr/sbin/chpasswd"]
        );
        assert_eq!(spans(&RULE, &run("echo pw | passwd --stdin app")), ["passwd"]);
        assert_eq!(spans(&RULE, &run("printf 'pw\\npw\\n' | passwd app")), ["passwd"]);
        assert_eq!(spans(&RULE, &run("passwd app <<< $'pw\\npw'")), ["passwd"]);
        assert_eq!(spans(&RULE, &run("passwd -d root")), ["-d"]);
        assert_eq!(
            messages(&RULE, &run("echo 'root:toor' | chpasswd")),
            ["`chpasswd` sets an account password in the image"]
        );
        assert_clean(&RULE, &run("passwd -l root && passwd -S app && apt-get install -y passwd"));
    }

    #[test]
    fn useradd_and_usermod() {
        assert_eq!(
            spans(&RULE, &run("useradd -m -p \"$(openssl passwd -1 pw)\" app")),
            ["-p \"$(openssl passwd -1 pw)\""]
        );
        assert_eq!(spans(&RULE, &run("usermod --password '$6$abc$def' app")), ["--password '$6$abc$def'"]);
        assert_eq!(
            spans(&RULE, &run("usermod --password=x1 app && useradd -pHASH b")),
            ["--password=x1", "-pHASH"]
        );
        assert_eq!(
            messages(&RULE, &run("useradd -p '' app")),
            ["`useradd -p ''` gives the account an empty password"]
        );
        assert_clean(&RULE, &run("useradd -m -s /bin/bash app && usermod -p '!' app && usermod -p '*' root"));
        assert_clean(&RULE, &run("openssl passwd -6 pw > /dev/null"));
    }

    #[test]
    fn htpasswd_batch_mode() {
        assert_eq!(spans(&RULE, &run("htpasswd -bc /etc/nginx/.htpasswd admin s3cret")), ["-bc"]);
        assert_clean(&RULE, &run("htpasswd -c /etc/nginx/.htpasswd admin < /run/secrets/pw"));
    }

    #[test]
    fn nested_forms() {
        assert_eq!(spans(&RULE, "FROM a\nONBUILD RUN echo 'root:x' | chpasswd\n"), ["chpasswd"]);
        assert_eq!(spans(&RULE, "FROM a\nRUN [\"sh\", \"-c\", \"echo root:x | chpasswd\"]\n"), ["chpasswd"]);
        assert_clean(&RULE, "FROM a\nRUN echo 'use chpasswd to change it'\n");
    }
}
