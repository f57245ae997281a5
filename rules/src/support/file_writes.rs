//! Text that a build writes into files, for rules that look for a setting in a configuration file:
//! `echo …`/`printf …` redirected (`>`, `>>`) or piped into `tee`, heredocs (`cat > f <<EOF`,
//! `tee f <<EOF`, `COPY <<EOF f`), and the replacement text of `sed -i 's/…/…/' f`.
//!
//! The written text keeps a map back to the words (or heredoc body) it came from, so a rule can point at the
//! exact part of a line. `\n` escapes count as line breaks, as `echo -e`, `printf` and dash's `echo` print
//! them.

use std::ops::Range;

use plimsoll_dockerfile::{Body, Instruction};
use plimsoll_shell::{Command, CommandId, Script, Word};

use crate::support::shells::basename;
use plimsoll_span::TextRange;

use crate::support::word_parts::part_range;

/// Text written into one file.
#[derive(Clone, Debug)]
pub struct FileWrite<'a> {
    /// The file as written in the command (`/etc/yum.repos.d/x.repo`, `~/.npmrc`).
    pub path: &'a str,
    pub content: String,
    segments: Vec<Segment<'a>>,
}

/// A stretch of `content` copied from a word (or heredoc body) of the source.
#[derive(Clone, Debug)]
struct Segment<'a> {
    content: Range<usize>,
    range: TextRange,
    text: &'a str,
    offset: usize,
    /// The shell expands variables in this stretch (an unquoted or double-quoted word, an unquoted heredoc).
    expands: bool,
}

impl<'a> FileWrite<'a> {
    fn new(path: &'a str) -> Self {
        FileWrite { path, content: String::new(), segments: Vec::new() }
    }

    fn push(&mut self, range: TextRange, text: &'a str, part: Range<usize>, expands: bool) {
        let start = self.content.len();
        self.content.push_str(&text[part.clone()]);
        self.segments.push(Segment {
            content: start..self.content.len(),
            range,
            text,
            offset: part.start,
            expands,
        });
    }

    fn push_plain(&mut self, text: &str) {
        self.content.push_str(text);
    }

    /// The lines of the content with their ranges in it (split at newlines and at `\n` escapes).
    pub fn lines(&self) -> Vec<(Range<usize>, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = self.content.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let width = match bytes[i] {
                b'\n' => 1,
                b'\\' if bytes.get(i + 1) == Some(&b'n') => 2,
                _ => 0,
            };
            if width > 0 {
                out.push((start..i, &self.content[start..i]));
                start = i + width;
                i = start;
            } else {
                i += 1;
            }
        }
        out.push((start..self.content.len(), &self.content[start..]));
        out
    }

    /// The source range of `content[part]`, clamped to the word it starts in.
    pub fn range_of(&self, source: &str, part: Range<usize>) -> Option<TextRange> {
        let segment =
            self.segments.iter().find(|s| s.content.start <= part.start && part.start < s.content.end)?;
        let end = part.end.min(segment.content.end);
        let from = segment.offset + part.start - segment.content.start;
        Some(part_range(
            source,
            segment.range,
            segment.text,
            from..segment.offset + end - segment.content.start,
        ))
    }

    /// Whether the shell expands variables at `offset` of the content: `false` when the text was quoted
    /// (`'${TOKEN}'`, `<<'EOF'`) and reaches the file as written.
    pub fn expands_at(&self, offset: usize) -> bool {
        self.segments
            .iter()
            .find(|s| s.content.start <= offset && offset < s.content.end)
            .is_some_and(|s| s.expands)
    }

    /// The file's name without its directory.
    pub fn file_name(&self) -> &str {
        basename(self.path)
    }
}

/// A configuration line read as `key = value`, `key: value`, `key value` or APT's `Key::Path "value";`
/// (comments, section headers and blank lines give `None`). The value has its quotes and a trailing `;`
/// removed; a key alone has an empty value. Ruby's `:key: value` (`.gemrc`) loses its leading colon.
pub fn key_value(line: &str) -> Option<(&str, &str)> {
    let line = line.trim().trim_start_matches(':');
    if line.is_empty() || line.starts_with(['#', ';', '[']) {
        return None;
    }
    let split = if let Some(at) = line.find('=') {
        Some((&line[..at], &line[at + 1..]))
    } else if line.contains("::") {
        line.split_once(char::is_whitespace)
    } else {
        line.split_once(':').or_else(|| line.split_once(char::is_whitespace))
    };
    let (key, value) = split.unwrap_or((line, ""));
    let value = value.trim().trim_end_matches(';').trim().trim_matches(['"', '\'']);
    Some((key.trim(), value))
}

/// The files command `id` of `script` writes text into.
pub fn of_command<'a>(script: &'a Script, id: CommandId, source: &'a str) -> Vec<FileWrite<'a>> {
    let command = &script.commands[id];
    let Some(name) = command.program_name() else {
        return Vec::new();
    };
    if name == "sed" {
        return sed_in_place(command);
    }
    let mut targets: Vec<&'a str> = Vec::new();
    if let Some(file) = stdout_file(command) {
        targets.push(file);
    }
    for reader in script.downstream(id).take(1) {
        if reader.program_name() == Some("tee") {
            targets.extend(tee_files(reader));
        }
    }
    if name == "tee" {
        targets.extend(tee_files(command));
    }
    let mut out = Vec::new();
    for path in targets {
        let mut write = FileWrite::new(path);
        match name {
            "echo" => echo(command, &mut write),
            "printf" => printf(command, &mut write),
            "cat" | "tee" => heredoc(command, source, &mut write),
            _ => continue,
        }
        if !write.content.is_empty() {
            out.push(write);
        }
    }
    out
}

/// The files a `COPY <<EOF dest` (or `ADD`) writes from heredocs.
pub fn of_copy(instruction: &Instruction) -> Vec<FileWrite<'_>> {
    let (Body::Copy(copy) | Body::Add(copy)) = &instruction.body else { return Vec::new() };
    let Some(dest) = &copy.dest else { return Vec::new() };
    let mut out = Vec::new();
    for heredoc in &instruction.heredocs {
        let named = copy.sources.iter().any(|s| {
            s.text.trim_start_matches('<').trim_start_matches('-').trim_matches(['"', '\''])
                == heredoc.delimiter
        });
        if !named || (copy.sources.len() > 1 && !dest.text.ends_with('/')) {
            continue;
        }
        // A heredoc copied into a directory is named after its delimiter; that name is not in the source.
        let mut write = FileWrite::new(&dest.text);
        write.push(heredoc.body, &heredoc.content, 0..heredoc.content.len(), !heredoc.quoted);
        out.push(write);
    }
    out
}

/// The file a command's standard output goes to.
fn stdout_file(command: &Command) -> Option<&str> {
    command
        .redirects
        .iter()
        .rev()
        .find(|r| matches!(r.operator.as_str(), ">" | ">>" | "1>" | "1>>" | ">|" | "&>" | "&>>"))
        .and_then(|r| r.target.as_ref())
        .map(|t| t.text.as_str())
        .filter(|t| !t.starts_with("/dev/"))
}

fn tee_files(command: &Command) -> impl Iterator<Item = &str> {
    command
        .program_args()
        .iter()
        .map(|w| w.text.as_str())
        .filter(|t| !t.starts_with('-') && !t.starts_with("/dev/"))
}

fn echo<'a>(command: &'a Command, write: &mut FileWrite<'a>) {
    let args = command.program_args();
    let skip = args
        .iter()
        .take_while(|w| {
            w.text.len() > 1 && w.text.starts_with('-') && w.text[1..].chars().all(|c| "neE".contains(c))
        })
        .count();
    for (i, word) in args[skip..].iter().enumerate() {
        if i > 0 {
            write.push_plain(" ");
        }
        write.push(word.range, &word.text, 0..word.text.len(), word.dynamic);
    }
}

/// `printf FORMAT ARGS…`: each `%s`-style directive takes the next argument; the format repeats while
/// arguments remain, as printf does.
fn printf<'a>(command: &'a Command, write: &mut FileWrite<'a>) {
    let args = command.program_args();
    let Some((format, mut rest)) = args.split_first() else { return };
    loop {
        let text = &format.text;
        let mut literal_start = 0;
        let mut i = 0;
        let mut used = false;
        while let Some(at) = text[i..].find('%') {
            let at = i + at;
            let directive_end =
                text[at + 1..].find(|c: char| c.is_ascii_alphabetic() || c == '%').map(|e| at + 1 + e + 1);
            let Some(end) = directive_end else { break };
            write.push(format.range, text, literal_start..at, format.dynamic);
            if &text[end - 1..end] == "%" {
                write.push_plain("%");
            } else if let Some((arg, remaining)) = rest.split_first() {
                write.push(arg.range, &arg.text, 0..arg.text.len(), arg.dynamic);
                rest = remaining;
                used = true;
            }
            literal_start = end;
            i = end;
        }
        write.push(format.range, text, literal_start..text.len(), format.dynamic);
        if rest.is_empty() || !used {
            break;
        }
    }
}

fn heredoc<'a>(command: &'a Command, source: &'a str, write: &mut FileWrite<'a>) {
    for redirect in &command.redirects {
        if let Some(body) = redirect.heredoc_body {
            let text = body.slice(source);
            // `<<'EOF'` and `<<"EOF"` keep the body as written.
            let quoted =
                redirect.target.as_ref().is_some_and(|t| t.range.slice(source).contains(['\'', '"', '\\']));
            write.push(body, text, 0..text.len(), !quoted);
        }
    }
}

/// `sed -i 's/old/new/' files`: each file gets the replacement text (`new`) as one written line.
fn sed_in_place(command: &Command) -> Vec<FileWrite<'_>> {
    let args = command.program_args();
    let in_place = args.iter().any(|w| {
        w.text.starts_with("--in-place")
            || w.text.strip_prefix('-').is_some_and(|c| !c.starts_with('-') && c.contains('i'))
    });
    if !in_place {
        return Vec::new();
    }
    let explicit = args.iter().any(|w| w.text == "-e" || w.text.starts_with("--expression"));
    let mut scripts: Vec<(&Word, usize)> = Vec::new();
    let mut files = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "-e" || text == "--expression" {
            scripts.extend(words.next().map(|w| (w, 0)));
        } else if let Some(value) = text.strip_prefix("--expression=") {
            scripts.push((word, text.len() - value.len()));
        } else if text.len() > 1 && text.starts_with('-') {
            continue;
        } else if !explicit && scripts.is_empty() {
            scripts.push((word, 0));
        } else {
            files.push(text);
        }
    }
    let mut out = Vec::new();
    for path in files {
        for &(word, offset) in &scripts {
            for part in replacements(&word.text, offset) {
                let mut write = FileWrite::new(path);
                write.push(word.range, &word.text, part, word.dynamic);
                out.push(write);
            }
        }
    }
    out
}

/// The replacement parts of the `s` commands of a sed script (`s|a|b|g; s/c/d/`), as ranges of `script`.
fn replacements(script: &str, from: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = script.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let command_start = i == from || matches!(bytes[i - 1], b';' | b'\n' | b' ' | b'{');
        if bytes[i] != b's' || !command_start || i + 1 >= bytes.len() {
            i += 1;
            continue;
        }
        let delimiter = bytes[i + 1];
        if !delimiter.is_ascii()
            || delimiter.is_ascii_alphanumeric()
            || delimiter == b'\\'
            || delimiter == b'\n'
        {
            i += 1;
            continue;
        }
        let field = |start: usize| {
            let mut j = start;
            while j < bytes.len() && bytes[j] != delimiter {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            j.min(bytes.len())
        };
        let pattern_end = field(i + 2);
        if pattern_end >= bytes.len() {
            break;
        }
        let replacement_end = field(pattern_end + 1);
        out.push(pattern_end + 1..replacement_end);
        i = replacement_end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use plimsoll_dockerfile::parse;

    use super::*;

    /// (path, lines, source of the first line) for each write of every RUN command and COPY.
    fn writes(dockerfile: &str) -> Vec<(String, Vec<String>, String)> {
        let file = parse(dockerfile);
        let mut out = Vec::new();
        let mut record = |w: &FileWrite| {
            let lines: Vec<String> = w.lines().iter().map(|(_, l)| l.to_string()).collect();
            let first = w.lines()[0].0.clone();
            let spelled =
                w.range_of(dockerfile, first).map_or(String::new(), |r| r.slice(dockerfile).to_string());
            out.push((w.path.to_string(), lines, spelled));
        };
        for inst in &file.instructions {
            match &inst.body {
                Body::Run(form) => {
                    let script = form.script().unwrap();
                    for id in 0..script.commands.len() {
                        of_command(script, id, dockerfile).iter().for_each(&mut record);
                    }
                }
                _ => of_copy(inst).iter().for_each(&mut record),
            }
        }
        out
    }

    fn w(path: &str, lines: &[&str], spelled: &str) -> (String, Vec<String>, String) {
        (path.into(), lines.iter().map(|l| (*l).into()).collect(), spelled.into())
    }

    #[test]
    fn echo_and_printf_redirected() {
        assert_eq!(
            writes("FROM a\nRUN echo -e \"[x]\\ngpgcheck=0\" > /etc/yum.repos.d/x.repo\n"),
            [w("/etc/yum.repos.d/x.repo", &["[x]", "gpgcheck=0"], "[x]")]
        );
        assert_eq!(
            writes("FROM a\nRUN echo deb [trusted=yes] http://x stable >> /etc/apt/sources.list\n"),
            [w("/etc/apt/sources.list", &["deb [trusted=yes] http://x stable"], "deb")]
        );
        assert_eq!(
            writes("FROM a\nRUN printf '%s\\n' 'a=1' \"b=$B\" > /etc/x.conf\n"),
            [w("/etc/x.conf", &["a=1", "b=$B", ""], "a=1")]
        );
        assert!(writes("FROM a\nRUN echo hi > /dev/null && echo hi\n").is_empty());
    }

    #[test]
    fn tee_and_heredocs() {
        assert_eq!(
            writes(
                "FROM a\nRUN echo 'deb [trusted=yes] http://x y' | sudo tee -a /etc/apt/sources.list.d/x.list\n"
            ),
            [w(
                "/etc/apt/sources.list.d/x.list",
                &["deb [trusted=yes] http://x y"],
                "deb [trusted=yes] http://x y"
            )]
        );
        assert_eq!(
            writes("FROM a\nRUN cat <<EOF > /etc/yum.repos.d/x.repo\n[x]\ngpgcheck=0\nEOF\n"),
            [w("/etc/yum.repos.d/x.repo", &["[x]", "gpgcheck=0"], "[x]")]
        );
        assert_eq!(
            writes("FROM a\nRUN <<EOF\ntee /etc/x.conf <<EOT\nsslverify=0\nEOT\nEOF\n"),
            [w("/etc/x.conf", &["sslverify=0"], "sslverify=0")]
        );
        assert_eq!(
            writes("FROM a\nCOPY <<EOF /etc/apt/sources.list.d/x.list\ndeb [trusted=yes] http://x y\nEOF\n"),
            [w(
                "/etc/apt/sources.list.d/x.list",
                &["deb [trusted=yes] http://x y", ""],
                "deb [trusted=yes] http://x y"
            )]
        );
    }

    #[test]
    fn configuration_lines() {
        assert_eq!(key_value("sslverify = 0"), Some(("sslverify", "0")));
        assert_eq!(key_value("  strict-ssl false"), Some(("strict-ssl", "false")));
        assert_eq!(key_value("enableStrictSsl: false"), Some(("enableStrictSsl", "false")));
        assert_eq!(
            key_value("Acquire::https::Verify-Peer \"false\";"),
            Some(("Acquire::https::Verify-Peer", "false"))
        );
        assert_eq!(key_value(":ssl_verify_mode: 0"), Some(("ssl_verify_mode", "0")));
        assert_eq!(
            key_value("//registry.npmjs.org/:_authToken=abc"),
            Some(("//registry.npmjs.org/:_authToken", "abc"))
        );
        assert_eq!(key_value("insecure"), Some(("insecure", "")));
        assert_eq!(key_value("# sslverify=0"), None);
        assert_eq!(key_value("[main]"), None);
    }

    #[test]
    fn sed_in_place_replacements() {
        assert_eq!(
            writes("FROM a\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/g' /etc/yum.conf /etc/dnf/dnf.conf\n"),
            [
                w("/etc/yum.conf", &["gpgcheck=0"], "gpgcheck=0"),
                w("/etc/dnf/dnf.conf", &["gpgcheck=0"], "gpgcheck=0")
            ]
        );
        assert_eq!(
            writes("FROM a\nRUN sed -i -e 's|a|b|' -e 's/c\\/d/e/' f\n"),
            [w("f", &["b"], "b"), w("f", &["e"], "e")]
        );
        assert!(writes("FROM a\nRUN sed 's/a/b/' f > g\n").is_empty());
        assert!(writes("FROM a\nRUN sed -i 's§a§b§' f\n").is_empty());
    }
}
