use plimsoll_span::TextRange;

/// Index of a command in [`Script::commands`].
pub type CommandId = usize;

/// Every simple command of a piece of shell code, flattened in source order.
#[derive(Clone, Debug, Default)]
pub struct Script {
    pub commands: Vec<Command>,
    /// Pipelines of two or more commands (`curl … | sh`), in source order.
    pub pipelines: Vec<Pipeline>,
    /// Ranges the shell grammar could not parse; the commands around them are still in `commands`.
    pub errors: Vec<TextRange>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// The commands of the pipeline, left to right.
    pub commands: Vec<CommandId>,
    pub range: TextRange,
}

/// Where a command sits, for rules that care how its output or arguments are used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Run directly by the script (possibly inside `if`, `for`, a subshell or a function body).
    Script,
    /// Inside `$(…)` or backticks: its output becomes part of the parent command's words.
    CommandSubstitution,
    /// Inside `<(…)` or `>(…)`: its output is read by the parent command as a file.
    ProcessSubstitution,
    /// The script passed to a shell as a string: `sh -c '…'`, `bash -c "…"`.
    ShellString,
    /// The body of a heredoc that a shell reads as its script (`bash <<EOF`, or Docker's `RUN <<EOF`).
    HeredocScript,
}

/// One simple command: optional `NAME=value` prefixes, the words of its argv, and its redirections.
#[derive(Clone, Debug)]
pub struct Command {
    pub range: TextRange,
    /// `FOO=bar` prefixes before the command name (they set the command's environment).
    pub assignments: Vec<Assignment>,
    /// The argv: `words[0]` is the command name as written. Empty for a bare assignment (`FOO=bar`) or a
    /// redirect-only command (`<<EOF`).
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub context: Context,
    /// The command that contains this one in a substitution, a `sh -c` string or a heredoc script.
    pub parent: Option<CommandId>,
    /// `(index into Script::pipelines, position in that pipeline)` when the command is part of a pipeline.
    pub pipeline: Option<(usize, usize)>,
}

/// One shell word after quote removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word's source range, quotes included.
    pub range: TextRange,
    /// The word with quotes removed and escapes processed. Expansions (`$X`, `${X:-y}`, `$(…)`, `` `…` ``)
    /// are kept as written, so a rule can still see `http://` in `"http://$HOST/x"`.
    pub text: String,
    /// The word contains an expansion, so `text` is not its value at run time.
    pub dynamic: bool,
}

/// `NAME=value`, either as a command prefix or as a bare statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub range: TextRange,
    pub name: String,
    pub value: Option<Word>,
}

/// A redirection such as `> /dev/null`, `2>&1`, `< file` or a heredoc `<<EOF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    pub range: TextRange,
    /// The operator as written: `>`, `>>`, `<`, `&>`, `<<`, `<<-`, `<<<`, `>&`, …
    pub operator: String,
    /// The target (file, descriptor, here-string or heredoc delimiter).
    pub target: Option<Word>,
    /// For heredocs, the range of the body (between the delimiter lines).
    pub heredoc_body: Option<TextRange>,
}

impl Word {
    /// The word's value when it has no expansion.
    pub fn literal(&self) -> Option<&str> {
        (!self.dynamic).then_some(self.text.as_str())
    }
}

/// Commands that run the command named by their arguments; [`Command::program`] looks through them. A
/// `match` rather than a list: every rule asks for the program of every command, and most names are not
/// wrappers, which a `match` rejects on the length alone.
fn is_wrapper(name: &str) -> bool {
    matches!(
        name,
        "sudo"
            | "doas"
            | "env"
            | "exec"
            | "nohup"
            | "time"
            | "nice"
            | "ionice"
            | "command"
            | "builtin"
            | "chroot"
            | "su-exec"
            | "gosu"
            | "tini"
            | "dumb-init"
            | "stdbuf"
            | "timeout"
            | "xargs"
            | "eatmydata"
            | "fakeroot"
    )
}

impl Command {
    /// A command run directly by a script, with literal words and no source positions: for tests and for
    /// callers that build an argv themselves.
    pub fn from_argv(argv: &[&str]) -> Command {
        Command {
            range: TextRange::default(),
            assignments: Vec::new(),
            words: argv
                .iter()
                .map(|w| Word { range: TextRange::default(), text: (*w).to_string(), dynamic: false })
                .collect(),
            redirects: Vec::new(),
            context: Context::Script,
            parent: None,
            pipeline: None,
        }
    }

    /// The command name without its directory (`/usr/bin/curl` → `curl`), when it is a literal.
    pub fn name(&self) -> Option<&str> {
        self.words.first().and_then(Word::literal).map(basename)
    }

    /// The arguments after the command name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The argv of the program that actually runs, looking through wrappers such as `sudo -E`, `env A=b`,
    /// `exec`, `nice -n 5`, `timeout 30`, `gosu user` and `xargs -r`. Returns the whole argv when there is no
    /// wrapper.
    pub fn program(&self) -> &[Word] {
        let mut words = &self.words[..];
        loop {
            let Some(name) = words.first().and_then(Word::literal).map(basename) else { return words };
            if !is_wrapper(name) {
                return words;
            }
            let mut rest = &words[1..];
            // Skip the wrapper's own options, assignments (env) and the wrapper's positional argument.
            let takes_value: &[&str] = match name {
                "sudo" | "doas" => {
                    &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group"]
                }
                "nice" => &["-n", "--adjustment"],
                "ionice" => &["-c", "-n", "-p"],
                "env" => &["-u", "-C", "-S", "--unset", "--chdir"],
                "xargs" => &["-I", "-L", "-n", "-P", "-s", "-d", "-E", "-a"],
                "stdbuf" => &["-i", "-o", "-e"],
                "timeout" => &["-k", "-s", "--signal", "--kill-after"],
                _ => &[],
            };
            while let Some(word) = rest.first() {
                let text = word.text.as_str();
                if takes_value.contains(&text) {
                    rest = rest.get(2..).unwrap_or(&[]);
                } else if (text.starts_with('-') && text.len() > 1)
                    || (name == "env" && text.contains('=') && !text.starts_with('='))
                {
                    rest = &rest[1..];
                } else {
                    break;
                }
            }
            // Wrappers whose first positional argument is not the program.
            if matches!(name, "timeout" | "chroot" | "su-exec" | "gosu") && !rest.is_empty() {
                rest = &rest[1..];
            }
            if rest.is_empty() || rest.len() == words.len() {
                return words;
            }
            words = rest;
        }
    }

    /// The name of [`Command::program`] without its directory.
    pub fn program_name(&self) -> Option<&str> {
        self.program().first().and_then(Word::literal).map(basename)
    }

    /// The program's arguments (after [`Command::program_name`]).
    pub fn program_args(&self) -> &[Word] {
        self.program().get(1..).unwrap_or(&[])
    }

    /// Whether the program's arguments contain an option, given as a short letter (also found inside
    /// clusters such as `-fsSLk`) and/or long names (also as `--name=value`). Arguments after `--` are
    /// operands and do not count.
    pub fn has_option(&self, short: Option<char>, long: &[&str]) -> bool {
        self.find_option(short, long).is_some()
    }

    /// The first argument that spells the option (see [`Command::has_option`]).
    pub fn find_option(&self, short: Option<char>, long: &[&str]) -> Option<&Word> {
        for word in self.program_args() {
            let text = word.text.as_str();
            if text == "--" {
                break;
            }
            if let Some(name) = text.strip_prefix("--") {
                let name = name.split('=').next().unwrap_or(name);
                if long.iter().any(|l| l.trim_start_matches('-') == name) {
                    return Some(word);
                }
            } else if let (Some(letter), Some(cluster)) = (short, text.strip_prefix('-'))
                && !cluster.is_empty()
                && cluster.chars().all(|c| c.is_ascii_alphanumeric())
                && cluster.contains(letter)
            {
                return Some(word);
            }
        }
        None
    }
}

/// `/usr/bin/curl` → `curl`.
pub fn basename(path: &str) -> &str {
    // Command names are short: a plain backwards scan beats the general `rsplit` searcher, and this runs
    // for every rule on every command.
    match path.bytes().rposition(|b| b == b'/') {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

impl Script {
    /// Rewrites every range (used by front ends that parsed a joined view of the source, such as a
    /// Dockerfile RUN with its line continuations removed, to map ranges back to the file).
    pub fn remap(&mut self, map: impl Fn(TextRange) -> TextRange) {
        let word = |w: &mut Word| w.range = map(w.range);
        for cmd in &mut self.commands {
            cmd.range = map(cmd.range);
            cmd.words.iter_mut().for_each(word);
            for a in &mut cmd.assignments {
                a.range = map(a.range);
                a.value.iter_mut().for_each(word);
            }
            for r in &mut cmd.redirects {
                r.range = map(r.range);
                r.target.iter_mut().for_each(word);
                r.heredoc_body = r.heredoc_body.map(&map);
            }
        }
        for p in &mut self.pipelines {
            p.range = map(p.range);
        }
        for e in &mut self.errors {
            *e = map(*e);
        }
    }

    /// The commands run in a pipeline after `id` (its downstream readers).
    pub fn downstream(&self, id: CommandId) -> impl Iterator<Item = &Command> {
        let (pipe, pos) = self.commands[id].pipeline.unwrap_or((usize::MAX, 0));
        self.pipelines
            .get(pipe)
            .into_iter()
            .flat_map(move |p| p.commands[pos + 1..].iter().map(|&c| &self.commands[c]))
    }

    /// The command's ancestors through substitutions and shell strings, nearest first.
    pub fn ancestors(&self, id: CommandId) -> impl Iterator<Item = &Command> {
        std::iter::successors(self.commands[id].parent, |&p| self.commands[p].parent)
            .map(|p| &self.commands[p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(argv: &[&str]) -> Command {
        Command::from_argv(argv)
    }

    #[test]
    fn program_looks_through_wrappers() {
        let cmd = command(&["sudo", "-E", "-u", "root", "env", "A=b", "/usr/bin/apt-get", "install", "x"]);
        assert_eq!(cmd.name(), Some("sudo"));
        assert_eq!(cmd.program_name(), Some("apt-get"));
        assert_eq!(cmd.program_args().len(), 2);
        let cmd = command(&["timeout", "30", "curl", "-k", "x"]);
        assert_eq!(cmd.program_name(), Some("curl"));
        let cmd = command(&["sudo"]);
        assert_eq!(cmd.program_name(), Some("sudo"));
    }

    #[test]
    fn basename_is_the_part_after_the_last_slash() {
        assert_eq!(basename("/usr/bin/curl"), "curl");
        assert_eq!(basename("curl"), "curl");
        assert_eq!(basename("./run"), "run");
        assert_eq!(basename("dir/"), "");
        assert_eq!(basename(""), "");
    }

    #[test]
    fn options_in_clusters_and_long_forms() {
        let cmd = command(&["curl", "-fsSLk", "--retry=3", "https://x", "--", "-v"]);
        assert!(cmd.has_option(Some('k'), &["insecure"]));
        assert!(cmd.has_option(None, &["retry"]));
        assert!(!cmd.has_option(Some('v'), &["verbose"]), "after --");
        assert!(!cmd.has_option(Some('o'), &[]));
    }
}
