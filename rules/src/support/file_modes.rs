//! File permission modes as `chmod`, `install -m`, `mkdir -m` and `COPY --chmod` take them, octal (`755`,
//! `4755`, `01777`) or symbolic (`u+s`, `go-w`, `a=rwx,+t`), and the permissions a mode certainly grants.
//!
//! Symbolic modes follow GNU chmod: without a `who` letter (`+w`) the umask applies to the permission bits,
//! and the build's umask (022) never grants write to others, so `chmod +w` is not world-writable; the
//! setuid, setgid and sticky bits are not masked, so `chmod +s` sets both setuid and setgid.

use std::ops::Range;

use plimsoll_shell::{Command, Word};
use plimsoll_span::TextRange;

use crate::support::shells::basename;
use crate::support::word_parts::part_range;

/// What a mode certainly turns on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    pub world_writable: bool,
    pub setuid: bool,
    pub setgid: bool,
    pub sticky: bool,
}

/// The permissions `mode` certainly grants, or `None` when it is not a mode (or not known: `$MODE`).
pub fn grants(mode: &str) -> Option<Grants> {
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let bits = u32::from_str_radix(mode, 8).ok().filter(|&b| b <= 0o7777)?;
        return Some(Grants {
            world_writable: bits & 0o002 != 0,
            setuid: bits & 0o4000 != 0,
            setgid: bits & 0o2000 != 0,
            sticky: bits & 0o1000 != 0,
        });
    }
    symbolic(mode)
}

/// Tracks each bit we care about: `Some(true)` set, `Some(false)` cleared, `None` unknown or unchanged.
#[derive(Default)]
struct Bits {
    other_write: Option<bool>,
    setuid: Option<bool>,
    setgid: Option<bool>,
    sticky: Option<bool>,
}

fn symbolic(mode: &str) -> Option<Grants> {
    let mut bits = Bits::default();
    for clause in mode.split(',') {
        let who_len = clause.find(|c: char| !"ugoa".contains(c)).unwrap_or(clause.len());
        let who = &clause[..who_len];
        let (user, group, other) = if who.is_empty() || who.contains('a') {
            (true, true, true)
        } else {
            (who.contains('u'), who.contains('g'), who.contains('o'))
        };
        // Without `who`, the umask (022) keeps write for group and others unchanged.
        let write_other = other && !who.is_empty();
        let mut rest = &clause[who_len..];
        if rest.is_empty() {
            return None;
        }
        while let Some(op) = rest.chars().next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            let perms_len = rest[1..].find(['+', '-', '=']).map_or(rest.len() - 1, |i| i);
            let perms = &rest[1..1 + perms_len];
            rest = &rest[1 + perms_len..];
            let copies = !perms.is_empty() && perms.chars().all(|c| "ugo".contains(c));
            if !copies && !perms.chars().all(|c| "rwxXst".contains(c)) {
                return None;
            }
            let has = |p: char| perms.contains(p);
            let set = |slot: &mut Option<bool>, applies: bool, on: bool| {
                if applies {
                    *slot = match op {
                        '+' if on => Some(true),
                        '-' if on => Some(false),
                        '=' => Some(on),
                        _ => *slot,
                    };
                }
            };
            if copies {
                // `o=u` copies bits we cannot see.
                if write_other {
                    bits.other_write = None;
                }
                continue;
            }
            set(&mut bits.other_write, write_other, has('w'));
            set(&mut bits.setuid, user, has('s'));
            set(&mut bits.setgid, group, has('s'));
            set(&mut bits.sticky, other, has('t'));
        }
    }
    Some(Grants {
        world_writable: bits.other_write == Some(true),
        setuid: bits.setuid == Some(true),
        setgid: bits.setgid == Some(true),
        sticky: bits.sticky == Some(true),
    })
}

/// A mode written in a command: the word it is in and where in the word's text.
#[derive(Clone, Debug)]
pub struct ModeText<'a> {
    pub word: &'a Word,
    pub part: Range<usize>,
}

impl ModeText<'_> {
    pub fn text(&self) -> &str {
        &self.word.text[self.part.clone()]
    }

    pub fn range(&self, source: &str) -> TextRange {
        part_range(source, self.word.range, &self.word.text, self.part.clone())
    }
}

/// A command that gives files a mode.
#[derive(Clone, Debug)]
pub struct ModeUse<'a> {
    /// `chmod`, `install` or `mkdir`.
    pub tool: &'static str,
    pub mode: ModeText<'a>,
    /// The files or directories the mode is given to (empty when they come from elsewhere, `xargs chmod`).
    pub targets: Vec<&'a Word>,
    /// The targets are known to be directories (`mkdir -m`, `install -d`, `find -type d -exec chmod`).
    pub directories: bool,
}

impl ModeUse<'_> {
    /// How a message names the targets: `` `/app` ``, `` `/app` and 2 more paths ``, or "files".
    pub fn described_targets(&self) -> String {
        match self.targets.as_slice() {
            [] => "files".to_string(),
            [one] => format!("`{}`", one.text),
            [first, rest @ ..] => {
                format!(
                    "`{}` and {} more path{}",
                    first.text,
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// The mode a command gives files: `chmod MODE files`, `install -m MODE`, `mkdir -m MODE`, and
/// `find … -exec chmod MODE {} +`.
pub fn mode_use(command: &Command) -> Option<ModeUse<'_>> {
    let program = command.program();
    let name = program.first().and_then(Word::literal).map(basename)?;
    let args = &program[1..];
    match name {
        "chmod" => chmod(args, false),
        "install" => option_mode(args, "install", "ogtS", |cluster| cluster.contains('d')),
        "mkdir" => option_mode(args, "mkdir", "", |_| true),
        "find" => find_exec_chmod(args),
        _ => None,
    }
}

fn chmod(args: &[Word], directories: bool) -> Option<ModeUse<'_>> {
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            i += 1;
            break;
        }
        if text.starts_with("--reference") {
            return None;
        }
        // `-w` and `-x` are modes (removals); `-R`, `-v`, `-f`, `-c` are options.
        let is_option = text.starts_with("--")
            || text
                .strip_prefix('-')
                .is_some_and(|c| !c.is_empty() && !c.chars().all(|ch| "rwxXst".contains(ch)));
        if !is_option {
            break;
        }
        i += 1;
    }
    let word = args.get(i)?;
    Some(ModeUse {
        tool: "chmod",
        mode: ModeText { word, part: 0..word.text.len() },
        targets: args[i + 1..].iter().collect(),
        directories,
    })
}

/// `install`/`mkdir` with `-m MODE`, `-mMODE`, `--mode=MODE`, `--mode MODE` (also in clusters: `-Dm755`).
/// `other_values` are the other short options that take a value; `dirs` tells from a cluster whether the
/// command creates directories.
fn option_mode<'a>(
    args: &'a [Word],
    tool: &'static str,
    other_values: &str,
    dirs: impl Fn(&str) -> bool,
) -> Option<ModeUse<'a>> {
    let mut mode = None;
    let mut directories = tool == "mkdir";
    let mut targets = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        i += 1;
        if let Some(long) = text.strip_prefix("--") {
            if let Some(value) = long.strip_prefix("mode=") {
                mode = Some(ModeText { word, part: text.len() - value.len()..text.len() });
            } else if long == "mode" {
                mode = args.get(i).map(|w| ModeText { word: w, part: 0..w.text.len() });
                i += 1;
            } else if long == "directory" {
                directories = true;
            }
            continue;
        }
        let Some(cluster) = text.strip_prefix('-').filter(|c| !c.is_empty()) else {
            targets.push(word);
            continue;
        };
        directories |= dirs(cluster) && tool == "install";
        for (at, letter) in cluster.char_indices() {
            let rest = 1 + at + 1..text.len();
            if letter == 'm' {
                mode = if rest.is_empty() {
                    i += 1;
                    args.get(i - 1).map(|w| ModeText { word: w, part: 0..w.text.len() })
                } else {
                    Some(ModeText { word, part: rest })
                };
                break;
            }
            if other_values.contains(letter) {
                i += usize::from(rest.is_empty());
                break;
            }
        }
    }
    Some(ModeUse { tool, mode: mode?, targets, directories })
}

/// `find PATHS … -exec chmod MODE {} +` (also `-execdir`, `-ok`).
fn find_exec_chmod(args: &[Word]) -> Option<ModeUse<'_>> {
    let exec =
        args.iter().position(|w| matches!(w.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir"))?;
    let command = &args[exec + 1..];
    if command.first().and_then(Word::literal).map(basename) != Some("chmod") {
        return None;
    }
    let end = command.iter().position(|w| matches!(w.text.as_str(), ";" | "+")).unwrap_or(command.len());
    let filters = &args[..exec];
    let directories = filters.windows(2).any(|w| w[0].text == "-type" && w[1].text == "d");
    let mut found = chmod(&command[1..end], directories)?;
    found.targets = filters.iter().take_while(|w| !w.text.starts_with('-')).collect();
    Some(found)
}

#[cfg(test)]
mod tests {
    use plimsoll_dockerfile::{Body, parse};

    use super::*;

    fn g(mode: &str) -> Option<(bool, bool, bool, bool)> {
        grants(mode).map(|g| (g.world_writable, g.setuid, g.setgid, g.sticky))
    }

    #[test]
    fn octal_modes() {
        assert_eq!(g("777"), Some((true, false, false, false)));
        assert_eq!(g("0777"), Some((true, false, false, false)));
        assert_eq!(g("1777"), Some((true, false, false, true)));
        assert_eq!(g("755"), Some((false, false, false, false)));
        assert_eq!(g("4755"), Some((false, true, false, false)));
        assert_eq!(g("02775"), Some((false, false, true, false)));
        assert_eq!(g("6755"), Some((false, true, true, false)));
        assert_eq!(g("666"), Some((true, false, false, false)));
        assert_eq!(g("772"), Some((true, false, false, false)));
        assert_eq!(g("17777"), None);
        assert_eq!(g("8"), None);
    }

    #[test]
    fn symbolic_modes() {
        assert_eq!(g("o+w"), Some((true, false, false, false)));
        assert_eq!(g("a+rwx"), Some((true, false, false, false)));
        assert_eq!(g("ugo=rwx"), Some((true, false, false, false)));
        assert_eq!(g("go+rw,o-w"), Some((false, false, false, false)));
        assert_eq!(g("+w"), Some((false, false, false, false)), "the umask keeps others' write");
        assert_eq!(g("+x"), Some((false, false, false, false)));
        assert_eq!(g("a+rwxt"), Some((true, false, false, true)));
        assert_eq!(g("o+w,+t"), Some((true, false, false, true)));
        assert_eq!(g("u+s"), Some((false, true, false, false)));
        assert_eq!(g("g+s"), Some((false, false, true, false)));
        assert_eq!(g("+s"), Some((false, true, true, false)));
        assert_eq!(g("ug+s,u-s"), Some((false, false, true, false)));
        assert_eq!(g("u=rwxs,go=rx"), Some((false, true, false, false)));
        assert_eq!(g("o=u"), Some((false, false, false, false)));
        assert_eq!(g("-w"), Some((false, false, false, false)));
        assert_eq!(g("$MODE"), None);
        assert_eq!(g("rwx"), None);
        assert_eq!(g("u+q"), None);
    }

    /// (tool, mode as spelled, targets, directories) of each command of a RUN.
    fn uses(run: &str) -> Vec<(String, String, Vec<String>, bool)> {
        let text = format!("FROM a\nRUN {run}\n");
        let file = parse(&text);
        let Body::Run(form) = &file.instructions[1].body else { panic!() };
        form.script()
            .unwrap()
            .commands
            .iter()
            .filter_map(mode_use)
            .map(|u| {
                let spelled = u.mode.range(&text).slice(&text).to_string();
                (
                    u.tool.to_string(),
                    spelled,
                    u.targets.iter().map(|w| w.text.clone()).collect(),
                    u.directories,
                )
            })
            .collect()
    }

    fn one(
        tool: &str,
        mode: &str,
        targets: &[&str],
        directories: bool,
    ) -> Vec<(String, String, Vec<String>, bool)> {
        vec![(tool.into(), mode.into(), targets.iter().map(|t| (*t).into()).collect(), directories)]
    }

    #[test]
    fn commands_that_set_modes() {
        assert_eq!(uses("chmod -R 777 /app /data"), one("chmod", "777", &["/app", "/data"], false));
        assert_eq!(uses("chmod -w x"), one("chmod", "-w", &["x"], false));
        assert_eq!(uses("sudo chmod -- u+s /bin/x"), one("chmod", "u+s", &["/bin/x"], false));
        assert!(uses("chmod --reference=a b").is_empty());
        assert_eq!(uses("install -Dm4755 a /usr/bin/a"), one("install", "4755", &["a", "/usr/bin/a"], false));
        assert_eq!(uses("install -d -m 2775 /srv"), one("install", "2775", &["/srv"], true));
        assert_eq!(uses("install -o root -m 0755 a b"), one("install", "0755", &["a", "b"], false));
        assert_eq!(uses("mkdir -p --mode=777 /x"), one("mkdir", "777", &["/x"], true));
        assert_eq!(uses("mkdir -pm 1777 /x"), one("mkdir", "1777", &["/x"], true));
        assert!(uses("mkdir -p /x && install a b").is_empty());
        assert_eq!(uses("find /app -type d -exec chmod g+s {} +"), one("chmod", "g+s", &["/app"], true));
        assert_eq!(uses("find /app -exec chmod 777 {} \\;"), one("chmod", "777", &["/app"], false));
    }
}
