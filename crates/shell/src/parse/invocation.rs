//! Which commands run a nested shell script: `sh -c '…'`, `su -c '…'`, `bash <<EOF`, `sh -s`.

use crate::ast::basename;
use crate::{Command, Word};

/// POSIX-style shells whose `-c` string and stdin script we parse.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Invocation {
    /// Not a shell, or a shell running a script file.
    None,
    /// The script is `words[word]`, without its first `skip` bytes (`--command=…`).
    String { word: usize, skip: usize },
    /// A shell reading its script from stdin.
    Stdin,
}

fn is_shell(word: Option<&Word>) -> bool {
    word.and_then(Word::literal).is_some_and(|w| SHELLS.contains(&basename(w)))
}

/// How `cmd` runs a shell, looking through wrappers (`sudo`, `env`, …) and `busybox sh`.
pub(super) fn invocation(cmd: &Command) -> Invocation {
    let program = cmd.program();
    let offset = cmd.words.len() - program.len();
    let Some(name) = program.first().and_then(Word::literal).map(basename) else { return Invocation::None };
    let found = if SHELLS.contains(&name) {
        shell_options(&program[1..])
    } else if name == "busybox" && is_shell(program.get(1)) {
        shell_options(&program[2..]).map_word(1)
    } else if name == "su" || name == "runuser" {
        su_command(&program[1..])
    } else {
        return Invocation::None;
    };
    // `found` indexes the arguments after the program name.
    found.map_word(offset + 1)
}

impl Invocation {
    fn map_word(self, by: usize) -> Invocation {
        match self {
            Invocation::String { word, skip } => Invocation::String { word: word + by, skip },
            other => other,
        }
    }
}

/// Parses `sh`'s options the way bash and dash do: options end at the first operand, `--` or `-`; with
/// `-c` the first operand is the script; with `-s` or no operand the script comes from stdin.
fn shell_options(args: &[Word]) -> Invocation {
    let mut i = 0;
    let mut command_string = false;
    let mut stdin = false;
    while let Some(word) = args.get(i) {
        let Some(text) = word.literal() else { break };
        if text == "--" || text == "-" {
            i += 1;
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") { 2 } else { 1 };
            continue;
        }
        let Some(cluster) = text.strip_prefix('-').or_else(|| text.strip_prefix('+')) else { break };
        if cluster.is_empty() {
            break;
        }
        i += 1;
        for letter in cluster.chars() {
            match letter {
                'c' if text.starts_with('-') => command_string = true,
                's' => stdin = true,
                // `-o pipefail`, `-O extglob`: the option name is the next word.
                'o' | 'O' => i += 1,
                _ => {}
            }
        }
    }
    match (command_string, args.get(i)) {
        (true, Some(_)) => Invocation::String { word: i, skip: 0 },
        (true, None) => Invocation::None,
        (false, operand) if stdin || operand.is_none() => Invocation::Stdin,
        (false, _) => Invocation::None,
    }
}

/// `su [options] [user] -c 'command'`, `su --command=…`, `runuser -l user -c …`.
fn su_command(args: &[Word]) -> Invocation {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            break;
        }
        if text == "--command" || text == "--session-command" {
            return script_at(args, i + 1, 0);
        }
        if let Some(rest) = text.strip_prefix("--") {
            for long in ["command=", "session-command="] {
                if rest.starts_with(long) {
                    return Invocation::String { word: i, skip: 2 + long.len() };
                }
            }
            i += 1;
            continue;
        }
        if let Some(cluster) =
            text.strip_prefix('-').filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric()))
        {
            if let Some(at) = cluster.find('c') {
                let skip = 1 + at + 1;
                return if skip == text.len() {
                    script_at(args, i + 1, 0)
                } else {
                    Invocation::String { word: i, skip }
                };
            }
            // Options whose value is the next word.
            if cluster.ends_with(['s', 'g', 'G', 'w', 'u']) {
                i += 1;
            }
        }
        i += 1;
    }
    Invocation::None
}

fn script_at(args: &[Word], i: usize, skip: usize) -> Invocation {
    if i < args.len() { Invocation::String { word: i, skip } } else { Invocation::None }
}

/// Whether a heredoc body run as a script is shell code: no shebang, or a shebang naming a POSIX shell
/// (`#!/bin/sh -e`, `#!/usr/bin/env bash`, `#!/bin/busybox sh`).
pub(super) fn shebang_is_shell(body: &str) -> bool {
    let Some(line) = body.strip_prefix("#!") else { return true };
    let line = line.lines().next().unwrap_or("");
    let mut parts = line.split_whitespace();
    let Some(mut interpreter) = parts.next().map(basename) else { return true };
    if interpreter == "env" {
        // `env -S bash -e`, `env -i PATH=… sh`.
        interpreter = parts.find(|p| !p.starts_with('-') && !p.contains('=')).map_or("", basename);
    }
    if interpreter == "busybox" {
        interpreter = parts.next().map_or("", basename);
    }
    SHELLS.contains(&interpreter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(argv: &[&str]) -> Command {
        Command::from_argv(argv)
    }

    fn string(word: usize) -> Invocation {
        Invocation::String { word, skip: 0 }
    }

    #[test]
    fn shell_command_strings() {
        assert_eq!(invocation(&cmd(&["sh", "-c", "x"])), string(2));
        assert_eq!(invocation(&cmd(&["/bin/sh", "-ec", "x"])), string(2));
        assert_eq!(invocation(&cmd(&["bash", "-euxc", "x", "arg0"])), string(2));
        assert_eq!(invocation(&cmd(&["bash", "--login", "-c", "x"])), string(3));
        assert_eq!(invocation(&cmd(&["bash", "-o", "pipefail", "-c", "x"])), string(4));
        assert_eq!(invocation(&cmd(&["bash", "-c", "-e", "x"])), string(3), "options may follow -c");
        assert_eq!(invocation(&cmd(&["sudo", "-E", "sh", "-c", "x"])), string(4));
        assert_eq!(invocation(&cmd(&["busybox", "sh", "-c", "x"])), string(3));
        assert_eq!(invocation(&cmd(&["sh", "-c"])), Invocation::None);
        assert_eq!(invocation(&cmd(&["python3", "-c", "x"])), Invocation::None);
    }

    #[test]
    fn shells_reading_stdin() {
        assert_eq!(invocation(&cmd(&["bash"])), Invocation::Stdin);
        assert_eq!(invocation(&cmd(&["sh", "-s", "--", "-y"])), Invocation::Stdin);
        assert_eq!(invocation(&cmd(&["sudo", "-E", "bash", "-"])), Invocation::Stdin);
        assert_eq!(invocation(&cmd(&["bash", "-x"])), Invocation::Stdin);
        assert_eq!(invocation(&cmd(&["bash", "install.sh"])), Invocation::None, "a script file");
    }

    #[test]
    fn su_commands() {
        assert_eq!(invocation(&cmd(&["su", "-c", "x", "user"])), string(2));
        assert_eq!(invocation(&cmd(&["su", "-", "user", "-c", "x"])), string(4));
        assert_eq!(invocation(&cmd(&["su", "-s", "/bin/sh", "user", "-c", "x"])), string(5));
        assert_eq!(
            invocation(&cmd(&["su", "--command=x", "user"])),
            Invocation::String { word: 1, skip: 10 }
        );
        assert_eq!(invocation(&cmd(&["runuser", "-l", "u", "-c", "x"])), string(4));
        assert_eq!(invocation(&cmd(&["su", "user"])), Invocation::None);
    }

    #[test]
    fn shebangs() {
        assert!(shebang_is_shell("echo hi\n"));
        assert!(shebang_is_shell("#!/bin/sh -e\necho hi\n"));
        assert!(shebang_is_shell("#!/usr/bin/env bash\n"));
        assert!(shebang_is_shell("#!/usr/bin/env -S bash -eux\n"));
        assert!(shebang_is_shell("#!/bin/busybox sh\n"));
        assert!(!shebang_is_shell("#!/usr/bin/env python3\nprint(1)\n"));
        assert!(!shebang_is_shell("#!/usr/bin/node\n"));
    }
}
