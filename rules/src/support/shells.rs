//! Commands that run code they are given: shells and script interpreters, and where an invocation takes its
//! program from: standard input (`sh`, `bash -s -- -y`, `python3 -`), a command string (`sh -c '…'`,
//! `python3 -c '…'`) or a file (`bash install.sh`, `. ./env.sh`, `bash <(curl …)`).
//!
//! Interpreters count only when they run a program: `python3 -c 'import json…'` reading data from a pipe
//! runs the string, not its input.

pub use plimsoll_shell::basename;
use plimsoll_shell::{Command, Word};

/// POSIX-style and other login shells.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash", "fish", "csh", "tcsh"];

/// Where a command takes the program it runs from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramSource<'a> {
    /// Standard input: whatever is piped into the command is run.
    Stdin,
    /// A command-line string (`-c`, `-e`): this word.
    String(&'a Word),
    /// A file named by this word (also a `<(…)` process substitution).
    File(&'a Word),
}

/// A code-running program: the shell or interpreter and where its program comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Runner<'a> {
    /// The word naming the shell or interpreter (after wrappers such as `sudo -E`).
    pub word: &'a Word,
    pub source: ProgramSource<'a>,
}

pub fn is_shell(name: &str) -> bool {
    SHELLS.contains(&name)
}

/// The language family of an interpreter name (`python3.12` → `python`), if it is one.
fn interpreter(name: &str) -> Option<&'static str> {
    let family = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match family {
        "python" | "pypy" => Some("python"),
        "perl" => Some("perl"),
        "ruby" => Some("ruby"),
        "node" | "nodejs" => Some("node"),
        "php" => Some("php"),
        _ => None,
    }
}

/// The shell or interpreter a command runs and where its program comes from, looking through wrappers
/// (`sudo`, `env`, …) and `busybox sh`; `.` and `source` run a file in the current shell.
pub fn runner(command: &Command) -> Option<Runner<'_>> {
    let mut program = command.program();
    let mut name = program.first().and_then(Word::literal).map(basename)?;
    if name == "busybox" && program.get(1).and_then(Word::literal).is_some_and(|w| is_shell(basename(w))) {
        program = &program[1..];
        name = basename(&program[0].text);
    }
    let word = &program[0];
    let args = &program[1..];
    let source = if name == "." || name == "source" {
        ProgramSource::File(args.first()?)
    } else if is_shell(name) {
        shell_source(args)?
    } else {
        interpreter_source(interpreter(name)?, args)?
    };
    Some(Runner { word, source })
}

/// Shells: options end at the first operand, `--` or `-`; with `-c` the first operand is the script, with
/// `-s` or no operand the script is read from standard input.
fn shell_source(args: &[Word]) -> Option<ProgramSource<'_>> {
    let mut i = 0;
    let (mut string, mut stdin) = (false, false);
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        if text == "--" || text == "-" {
            i += 1;
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") { 2 } else { 1 };
            continue;
        }
        let Some(cluster) =
            text.strip_prefix('-').or_else(|| text.strip_prefix('+')).filter(|c| !c.is_empty())
        else {
            break;
        };
        i += 1;
        for letter in cluster.chars() {
            match letter {
                'c' if text.starts_with('-') => string = true,
                's' => stdin = true,
                // `-o pipefail`: the option name is the next word.
                'o' | 'O' => i += 1,
                _ => {}
            }
        }
    }
    match args.get(i) {
        Some(operand) if string => Some(ProgramSource::String(operand)),
        None if string => None,
        _ if stdin => Some(ProgramSource::Stdin),
        None => Some(ProgramSource::Stdin),
        Some(operand) if operand.text == "/dev/stdin" => Some(ProgramSource::Stdin),
        Some(operand) => Some(ProgramSource::File(operand)),
    }
}

/// What an interpreter's options mean.
struct Options {
    /// Short options whose argument is the program text (`-c`, `-e`).
    code: &'static str,
    /// Long options whose argument is the program text.
    long_code: &'static [&'static str],
    /// Short options whose argument is a module to run (`python -m`) or, for `php -f`, the script file.
    module: &'static str,
    /// Short and long options that take a value.
    value: &'static str,
    long_value: &'static [&'static str],
}

fn options(family: &str) -> Option<Options> {
    let (code, long_code, module, value, long_value): (
        _,
        &'static [&'static str],
        _,
        _,
        &'static [&'static str],
    ) = match family {
        "python" => ("c", &[], "m", "WXQ", &[]),
        "perl" => ("eE", &[], "", "IMmx", &[]),
        "ruby" => ("e", &[], "", "IrCE", &[]),
        "node" => ("ep", &["eval", "print"], "", "r", &["require", "import", "loader"]),
        "php" => ("r", &[], "f", "dcz", &[]),
        _ => return None,
    };
    Some(Options { code, long_code, module, value, long_value })
}

/// Interpreters: a code option (`-c`, `-e`, `--eval`) runs its argument; `-m` runs an installed module;
/// otherwise the first operand is the script (`-` or none: standard input).
fn interpreter_source<'a>(family: &str, args: &'a [Word]) -> Option<ProgramSource<'a>> {
    let options = options(family)?;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        i += 1;
        if text == "--" {
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            if options.long_code.contains(&name) {
                return if attached {
                    Some(ProgramSource::String(word))
                } else {
                    args.get(i).map(ProgramSource::String)
                };
            }
            if options.long_value.contains(&name) && !attached {
                i += 1;
            }
            continue;
        }
        let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) else {
            i -= 1;
            break;
        };
        for (at, letter) in cluster.char_indices() {
            let attached = at + letter.len_utf8() < cluster.len();
            if options.code.contains(letter) {
                return if attached {
                    Some(ProgramSource::String(word))
                } else {
                    args.get(i).map(ProgramSource::String)
                };
            }
            if options.module.contains(letter) {
                // `php -f script.php` names the script file; `python -m module` runs an installed module.
                return match family {
                    "php" if !attached => args.get(i).map(ProgramSource::File),
                    _ => None,
                };
            }
            if options.value.contains(letter) {
                i += usize::from(!attached);
                break;
            }
        }
    }
    match args.get(i) {
        None => Some(ProgramSource::Stdin),
        Some(operand) if operand.text == "-" || operand.text == "/dev/stdin" => Some(ProgramSource::Stdin),
        Some(operand) => Some(ProgramSource::File(operand)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(argv: &[&str]) -> Command {
        Command::from_argv(argv)
    }

    /// `stdin`, `string:<word>`, `file:<word>` or `none`.
    fn source(argv: &[&str]) -> String {
        let command = cmd(argv);
        match runner(&command).map(|r| r.source) {
            Some(ProgramSource::Stdin) => "stdin".into(),
            Some(ProgramSource::String(w)) => format!("string:{}", w.text),
            Some(ProgramSource::File(w)) => format!("file:{}", w.text),
            None => "none".into(),
        }
    }

    #[test]
    fn shells() {
        assert_eq!(source(&["sh"]), "stdin");
        assert_eq!(source(&["bash", "-"]), "stdin");
        assert_eq!(source(&["sh", "-s", "--", "-y"]), "stdin");
        assert_eq!(source(&["sudo", "-E", "bash", "-"]), "stdin");
        assert_eq!(source(&["bash", "-o", "pipefail"]), "stdin");
        assert_eq!(source(&["bash", "/dev/stdin"]), "stdin");
        assert_eq!(source(&["sh", "-c", "make"]), "string:make");
        assert_eq!(source(&["bash", "-euxc", "make", "arg0"]), "string:make");
        assert_eq!(source(&["sh", "-c"]), "none");
        assert_eq!(source(&["bash", "install.sh", "-y"]), "file:install.sh");
        assert_eq!(source(&["/bin/busybox", "sh", "x.sh"]), "file:x.sh");
        assert_eq!(source(&[".", "./env.sh"]), "file:./env.sh");
        assert_eq!(source(&["source"]), "none");
    }

    #[test]
    fn interpreters() {
        assert_eq!(source(&["python3"]), "stdin");
        assert_eq!(source(&["python3.12", "-u", "-"]), "stdin");
        assert_eq!(source(&["python", "-c", "import json"]), "string:import json");
        assert_eq!(source(&["python3", "-m", "json.tool"]), "none");
        assert_eq!(source(&["python3", "-W", "ignore", "get-pip.py"]), "file:get-pip.py");
        assert_eq!(source(&["perl", "-pe", "s/a/b/"]), "string:s/a/b/");
        assert_eq!(source(&["perl"]), "stdin");
        assert_eq!(source(&["ruby", "-e", "puts 1"]), "string:puts 1");
        assert_eq!(source(&["node", "--eval=1"]), "string:--eval=1");
        assert_eq!(source(&["node", "-r", "dotenv/config", "-"]), "stdin");
        assert_eq!(source(&["perl", "-Ilib", "-e", "1"]), "string:1");
        assert_eq!(source(&["node", "-"]), "stdin");
        assert_eq!(source(&["nodejs", "server.js"]), "file:server.js");
        assert_eq!(source(&["php", "-r", "echo 1;"]), "string:echo 1;");
        assert_eq!(source(&["php", "-f", "x.php"]), "file:x.php");
        assert_eq!(source(&["php"]), "stdin");
    }

    #[test]
    fn other_commands_run_nothing() {
        assert_eq!(source(&["tar", "xz"]), "none");
        assert_eq!(source(&["pythonic"]), "none");
        assert_eq!(source(&["tee", "x"]), "none");
    }
}
