//! Fixes that delete an insecure option from a command line or a Dockerfile instruction: the option's
//! words and one blank beside them, so the words around stay apart and the command stays well formed.
//!
//! An edit is offered only where it provably removes the option and nothing else: the option is written
//! literally (its source text is the word itself: no quotes, escapes or line continuations inside), an
//! option and its value are separated by blanks only, and the line left behind is not blank (a blank last
//! line of a continued `RUN` would end the instruction early or pull the next line into it).

use plimsoll_diagnostic::{Edit, Fix};
use plimsoll_shell::Word;
use plimsoll_span::TextRange;

/// A fix removing `option` and, when it takes one as a separate word, its `value`.
pub fn remove_option(text: &str, option: &Word, value: Option<&Word>) -> Option<Fix> {
    if !written_as(text, option) {
        return None;
    }
    let words = match value {
        Some(value) => {
            let gap = text.get(option.range.end as usize..value.range.start as usize)?;
            if gap.is_empty() || !gap.chars().all(is_blank) {
                return None;
            }
            TextRange::new(option.range.start, value.range.end)
        }
        None => option.range,
    };
    let range = with_one_blank(text, words)?;
    Some(Fix {
        title: format!("Remove `{}`", words.slice(text)),
        edits: vec![Edit { range, replacement: String::new() }],
    })
}

/// Whether the source of `word` is the option it holds: the text itself, or, for an option with a quoted
/// value (`--setopt=sslverify='0'`), the text with quotes around parts of it and no escapes. The option
/// itself must start unquoted, so the word cannot be an argument that only looks like it once unquoted.
fn written_as(text: &str, word: &Word) -> bool {
    let source = word.range.slice(text);
    source == word.text
        || (source.starts_with('-') && !source.contains('\\') && source.replace(['\'', '"'], "") == word.text)
}

/// A fix removing an option that `options::values` found among `args` with its `value`: `value_word` is the
/// option's own word when the value is attached (`-oX`, `--opt=X`), else the word after the option.
pub fn remove_option_with_value(text: &str, args: &[Word], value_word: &Word, value: &str) -> Option<Fix> {
    if value_word.text != value {
        return remove_option(text, value_word, None);
    }
    let at = args.iter().position(|w| std::ptr::eq(w, value_word))?;
    remove_option(text, args.get(at.checked_sub(1)?)?, Some(value_word))
}

/// A fix removing the short option `letter` from a cluster such as `-fsSLk` (the whole word when it is
/// `-k` alone). `no_value` lists the program's short options that take no value: the letter is removed only
/// when every option before it in the cluster is one of them, since after an option that takes a value
/// (`-ok`) the rest of the cluster is that value.
pub fn remove_short_option(text: &str, word: &Word, letter: char, no_value: &str) -> Option<Fix> {
    if word.range.slice(text) != word.text || word.text.starts_with("--") {
        return None;
    }
    let cluster = word.text.strip_prefix('-')?;
    if cluster.len() == 1 && cluster.starts_with(letter) {
        return remove_option(text, word, None);
    }
    let at = cluster.find(letter)?;
    if !cluster[..at].chars().all(|c| no_value.contains(c)) {
        return None;
    }
    let start = word.range.start + 1 + at as u32;
    Some(Fix {
        title: format!("Remove `-{letter}` from `{}`", word.text),
        edits: vec![Edit { range: TextRange::new(start, start + 1), replacement: String::new() }],
    })
}

/// `words` widened by one blank so the command left behind is well formed, or, when they stand alone on
/// a continued line (`  -k \`, or the last line of a continued command), by the continuation that leads
/// to them; `None` when no such edit exists.
pub fn with_one_blank(text: &str, words: TextRange) -> Option<TextRange> {
    let (start, end) = (words.start as usize, words.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let before = &text[line_start..start];
    let after = text[end..line_end].trim_end_matches('\r');
    let rest = after.trim_matches(is_blank);
    if before.chars().all(is_blank) && (rest.is_empty() || rest == "\\") {
        // Dropping the line would leave the line before continuing onto whatever follows, and dropping
        // only the words would leave a blank continuation line; so the words go with the ` \` and line
        // break before them, and the line before ends the way this one did. Options on consecutive lines
        // then remove adjacent, not overlapping, ranges.
        return continued_from(text, line_start).map(|from| TextRange::from_usize(from, end));
    }
    // A blank after a backslash is part of the word before it, not a separator.
    if before.ends_with(is_blank) && !before[..before.len() - 1].ends_with('\\') {
        // The blank before, not after: two options side by side then remove disjoint ranges.
        Some(TextRange::from_usize(start - 1, end))
    } else if after.starts_with(is_blank) {
        Some(TextRange::from_usize(start, end + 1))
    } else {
        None
    }
}

/// Where the content of the line before `line_start` ends, when that line continues onto this one
/// (`curl -fsSL \`); `None` when it does not, or is blank or a comment (which a Dockerfile skips inside a
/// continued instruction, so its `\` continues nothing).
fn continued_from(text: &str, line_start: usize) -> Option<usize> {
    let previous = &text[..line_start.checked_sub(1)?];
    let previous_start = previous.rfind('\n').map_or(0, |i| i + 1);
    let line = previous[previous_start..].trim_end_matches('\r').trim_end_matches(is_blank);
    let content = line.strip_suffix('\\')?.trim_end_matches(is_blank);
    let shown = content.trim_start_matches(is_blank);
    if shown.is_empty() || shown.starts_with('#') {
        return None;
    }
    Some(previous_start + content.len())
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word at `needle`'s first occurrence in `text`, taken literally.
    fn word(text: &str, needle: &str) -> Word {
        let at = text.find(needle).expect("needle in text");
        Word { range: TextRange::from_usize(at, at + needle.len()), text: needle.into(), dynamic: false }
    }

    fn apply(text: &str, fix: Option<Fix>) -> Option<String> {
        let fix = fix?;
        let mut out = text.to_string();
        for edit in fix.edits.iter().rev() {
            out.replace_range(edit.range.as_usize(), &edit.replacement);
        }
        Some(out)
    }

    fn removed(text: &str, option: &str, value: Option<&str>) -> Option<String> {
        let option = word(text, option);
        let value = value.map(|v| {
            let at = option.range.end as usize + text[option.range.end as usize..].find(v).expect("value");
            Word { range: TextRange::from_usize(at, at + v.len()), text: v.into(), dynamic: false }
        });
        apply(text, remove_option(text, &option, value.as_ref()))
    }

    #[test]
    fn an_option_goes_with_the_blank_before_it() {
        assert_eq!(removed("curl -k https://x", "-k", None).as_deref(), Some("curl https://x"));
        assert_eq!(removed("curl https://x -k; true", "-k", None).as_deref(), Some("curl https://x; true"));
        assert_eq!(
            removed("pip install --trusted-host  h x", "--trusted-host", Some("h")).as_deref(),
            Some("pip install x")
        );
    }

    #[test]
    fn an_option_alone_on_a_continued_line_goes_with_the_continuation_before_it() {
        let text = "RUN curl \\\n    -k \\\n    https://x\n";
        assert_eq!(removed(text, "-k", None).as_deref(), Some("RUN curl \\\n    https://x\n"));
        let last = "RUN curl https://x \\\n    -k\nUSER app\n";
        assert_eq!(removed(last, "-k", None).as_deref(), Some("RUN curl https://x\nUSER app\n"));
        let after_comment = "RUN curl https://x \\\n# note \\\n    -k\nUSER app\n";
        assert_eq!(removed(after_comment, "-k", None), None, "the comment's `\\` continues nothing");
        let after_blank = "RUN curl \\\n    \\\n    -k\n";
        assert_eq!(removed(after_blank, "-k", None), None);
    }

    #[test]
    fn a_quoted_value_goes_with_its_option() {
        let text = "dnf install --setopt=sslverify='0' x";
        let option = Word {
            range: TextRange::from_usize(12, 34),
            text: "--setopt=sslverify=0".into(),
            dynamic: false,
        };
        let fix = remove_option(text, &option, None);
        assert_eq!(fix.as_ref().map(|f| f.title.as_str()), Some("Remove `--setopt=sslverify='0'`"));
        assert_eq!(apply(text, fix).as_deref(), Some("dnf install x"));
    }

    #[test]
    fn quoted_or_split_options_are_not_touched() {
        let text = "curl \"-k\" https://x";
        let quoted = Word { range: TextRange::from_usize(5, 9), text: "-k".into(), dynamic: false };
        assert!(remove_option(text, &quoted, None).is_none());
        let dquoted = "curl \"--insecure\" https://x";
        let option = Word { range: TextRange::from_usize(5, 17), text: "--insecure".into(), dynamic: false };
        assert!(remove_option(dquoted, &option, None).is_none(), "the option itself is quoted");
        let escaped = "dnf --setopt=\\*.sslverify=0 x";
        let option = Word {
            range: TextRange::from_usize(4, 27),
            text: "--setopt=*.sslverify=0".into(),
            dynamic: false,
        };
        assert!(remove_option(escaped, &option, None).is_none());
        let across = "pip install --trusted-host \\\n  h x";
        assert_eq!(removed(across, "--trusted-host", Some("h")), None);
    }

    #[test]
    fn options_with_attached_or_separate_values() {
        let words = |text: &str| -> Vec<Word> {
            let mut at = 0;
            text.split(' ')
                .map(|w| {
                    let word = Word {
                        range: TextRange::from_usize(at, at + w.len()),
                        text: w.into(),
                        dynamic: false,
                    };
                    at += w.len() + 1;
                    word
                })
                .collect()
        };
        let separate = "git -c http.sslVerify=false clone r";
        let args = words(separate);
        let fix = remove_option_with_value(separate, &args, &args[2], "http.sslVerify=false");
        assert_eq!(fix.as_ref().map(|f| f.title.as_str()), Some("Remove `-c http.sslVerify=false`"));
        assert_eq!(apply(separate, fix).as_deref(), Some("git clone r"));
        let attached = "dnf install --setopt=sslverify=0 x";
        let args = words(attached);
        let fix = remove_option_with_value(attached, &args, &args[2], "sslverify=0");
        assert_eq!(apply(attached, fix).as_deref(), Some("dnf install x"));
    }

    #[test]
    fn short_options_in_clusters() {
        let text = "curl -fsSLk https://x";
        let fix = remove_short_option(text, &word(text, "-fsSLk"), 'k', "fsSL");
        assert_eq!(fix.as_ref().map(|f| f.title.as_str()), Some("Remove `-k` from `-fsSLk`"));
        assert_eq!(apply(text, fix).as_deref(), Some("curl -fsSL https://x"));
        let value = "curl -okx https://x";
        assert!(remove_short_option(value, &word(value, "-okx"), 'k', "fsSL").is_none());
        let alone = "curl -k https://x";
        assert_eq!(
            apply(alone, remove_short_option(alone, &word(alone, "-k"), 'k', "")).as_deref(),
            Some("curl https://x")
        );
    }
}
