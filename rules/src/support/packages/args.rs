//! Splits a package manager's arguments into options and operands, skipping option values so that
//! `apt-get install -t bookworm-backports curl` yields the operand `curl` and not `bookworm-backports`.
//!
//! Each manager describes which of its options take a value; everything else that starts with `-` is a flag.
//! GNU-style parsing is assumed: options may follow operands, `--` ends the options.

use plimsoll_shell::Word;

/// The options of one command line interface.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Cli {
    /// Short options that take a value, as one string of letters: `"otc"` for `-o X`, `-tX`, `-c FILE`.
    pub short: &'static str,
    /// Long options (without dashes) that take a value: `--virtual NAME` or `--virtual=NAME`.
    pub long: &'static [&'static str],
    /// Options are written with one dash, as Go's tools do (`-ldflags X`, `-tags=x`); `--name` works too.
    pub single_dash_long: bool,
    /// A flag may be followed by `true` or `false` as its value (npm: `--unsafe-perm true`).
    pub boolean_values: bool,
    /// Everything after `--` is not an operand of the command (gem passes it to extension builds).
    pub stop_at_double_dash: bool,
}

/// The name of an option as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptName<'a> {
    /// A letter of `-x` or of a cluster `-xyz`.
    Short(char),
    /// `--name` (or `-name` for single-dash tools), without the dashes and any `=value`.
    Long(&'a str),
}

/// One option with its value, if it takes one.
#[derive(Clone, Copy, Debug)]
pub struct Opt<'a> {
    /// The word that holds the option.
    pub word: &'a Word,
    pub name: OptName<'a>,
    /// The value: attached (`--virtual=.deps`, `-t.deps`) or the next word.
    pub value: Option<&'a str>,
    /// The word holding a value given as the next word.
    pub value_word: Option<&'a Word>,
}

impl Opt<'_> {
    /// Whether the option is spelled `-short` or `--long`.
    pub fn is(&self, short: Option<char>, long: &[&str]) -> bool {
        match self.name {
            OptName::Short(c) => short == Some(c),
            OptName::Long(name) => long.contains(&name),
        }
    }
}

/// Options and operands of an argument list.
#[derive(Clone, Debug, Default)]
pub(super) struct Parsed<'a> {
    pub options: Vec<Opt<'a>>,
    pub operands: Vec<&'a Word>,
}

impl Cli {
    /// Splits `args` into options and operands.
    pub fn parse<'a>(&self, args: &'a [Word]) -> Parsed<'a> {
        let mut out = Parsed::default();
        let mut i = 0;
        while let Some(word) = args.get(i) {
            i += 1;
            let text = word.text.as_str();
            if text == "--" {
                if !self.stop_at_double_dash {
                    out.operands.extend(&args[i..]);
                }
                break;
            }
            // `-` alone is an operand (standard input); a dynamic word is only an option if its literal
            // start says so.
            if !text.starts_with('-') || text == "-" {
                out.operands.push(word);
                continue;
            }
            let next = args.get(i);
            let long = text.strip_prefix("--").or_else(|| self.single_dash_long.then(|| &text[1..]));
            if let Some(long) = long {
                let (name, attached) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (long, None),
                };
                let mut opt = Opt { word, name: OptName::Long(name), value: attached, value_word: None };
                if attached.is_none() {
                    if self.long.contains(&name) {
                        if let Some(next) = next {
                            opt.value = Some(next.text.as_str());
                            opt.value_word = Some(next);
                            i += 1;
                        }
                    } else if self.boolean_values
                        && let Some(next) = next.filter(|n| matches!(n.text.as_str(), "true" | "false"))
                    {
                        opt.value = Some(next.text.as_str());
                        opt.value_word = Some(next);
                        i += 1;
                    }
                }
                out.options.push(opt);
                continue;
            }
            // A cluster of short options: the first letter that takes a value takes the rest of the word,
            // or the next word when it is the last letter.
            let cluster = &text[1..];
            for (at, letter) in cluster.char_indices() {
                let mut opt = Opt { word, name: OptName::Short(letter), value: None, value_word: None };
                if self.short.contains(letter) {
                    let rest = &cluster[at + letter.len_utf8()..];
                    if !rest.is_empty() {
                        opt.value = Some(rest);
                    } else if let Some(next) = next {
                        opt.value = Some(next.text.as_str());
                        opt.value_word = Some(next);
                        i += 1;
                    }
                    out.options.push(opt);
                    break;
                }
                out.options.push(opt);
            }
        }
        out
    }

    /// The first operand (a subcommand) and the arguments after it, reading only the options before it.
    /// For tools whose options before the subcommand differ from those after it (`zypper -t in`, where `-t`
    /// is a flag, and `zypper in -t pattern`, where it takes a value).
    pub fn split_subcommand<'a>(&self, args: &'a [Word]) -> Option<(&'a Word, &'a [Word])> {
        let mut i = 0;
        while let Some(word) = args.get(i) {
            let text = word.text.as_str();
            if !text.starts_with('-') || text == "-" {
                return Some((word, &args[i + 1..]));
            }
            if text == "--" {
                return args.get(i + 1).map(|w| (w, &args[i + 2..]));
            }
            i += 1;
            let takes_value = match text.strip_prefix("--") {
                Some(long) => !long.contains('=') && self.long.contains(&long),
                // In a cluster, the first letter that takes a value takes the rest of the word, if any.
                None => text[1..]
                    .char_indices()
                    .find(|&(_, c)| self.short.contains(c))
                    .is_some_and(|(at, c)| at + c.len_utf8() == text.len() - 1),
            };
            if takes_value {
                i += 1;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(argv: &[&str]) -> Vec<Word> {
        argv.iter()
            .map(|t| Word { range: Default::default(), text: (*t).to_string(), dynamic: t.contains('$') })
            .collect()
    }

    fn operands(cli: Cli, argv: &[&str]) -> Vec<String> {
        let args = words(argv);
        cli.parse(&args).operands.iter().map(|w| w.text.clone()).collect()
    }

    const APT: Cli = Cli { short: "otca", long: &["target-release", "option"], ..NONE };
    const NONE: Cli = Cli {
        short: "",
        long: &[],
        single_dash_long: false,
        boolean_values: false,
        stop_at_double_dash: false,
    };

    #[test]
    fn values_of_short_and_long_options_are_skipped() {
        let argv = ["-y", "install", "-t", "rel", "-o", "A=b", "--target-release=x", "curl", "-oC=d", "git"];
        assert_eq!(operands(APT, &argv), ["install", "curl", "git"]);
        assert_eq!(operands(APT, &["install", "--option", "A=b", "-yqt", "rel", "vim"]), ["install", "vim"]);
        assert_eq!(operands(APT, &["install", "-ytrel", "vim"]), ["install", "vim"]);
    }

    #[test]
    fn double_dash_and_stdin() {
        assert_eq!(operands(APT, &["install", "--", "-weird", "-"]), ["install", "-weird", "-"]);
        let gem = Cli { stop_at_double_dash: true, ..NONE };
        assert_eq!(operands(gem, &["install", "x", "--", "--with-opt"]), ["install", "x"]);
    }

    #[test]
    fn option_values_are_reported() {
        let args = words(&["add", "--virtual", ".deps", "-X", "http://r", "--arch=x86", "gcc"]);
        let cli = Cli { short: "tX", long: &["virtual"], ..NONE };
        let parsed = cli.parse(&args);
        let values: Vec<_> = parsed.options.iter().map(|o| (o.name, o.value)).collect();
        assert_eq!(
            values,
            [
                (OptName::Long("virtual"), Some(".deps")),
                (OptName::Short('X'), Some("http://r")),
                (OptName::Long("arch"), Some("x86")),
            ]
        );
        assert!(parsed.options[0].is(Some('t'), &["virtual"]));
        assert_eq!(parsed.options[1].value_word.map(|w| w.text.as_str()), Some("http://r"));
    }

    #[test]
    fn single_dash_long_options_and_boolean_values() {
        let go = Cli { long: &["ldflags", "tags"], single_dash_long: true, ..NONE };
        assert_eq!(
            operands(go, &["install", "-ldflags", "-s -w", "-tags=x", "-v", "a/b@v1"]),
            ["install", "a/b@v1"]
        );
        let npm = Cli { boolean_values: true, ..NONE };
        assert_eq!(operands(npm, &["install", "--unsafe-perm", "true", "-g", "x"]), ["install", "x"]);
    }

    #[test]
    fn subcommand_after_global_options() {
        let zypper = Cli { short: "R", long: &["root"], ..NONE };
        let args = words(&["-n", "--root", "/mnt", "-R", "/x", "in", "-t", "pattern", "x"]);
        let (verb, rest) = zypper.split_subcommand(&args).expect("subcommand");
        assert_eq!(verb.text, "in");
        assert_eq!(rest.len(), 3);
        assert!(zypper.split_subcommand(&words(&["-n"])).is_none());
    }
}
