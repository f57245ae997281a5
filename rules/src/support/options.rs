//! Reading a command's options beyond `Command::find_option`: the values an option takes (`-o X`, `-oX`,
//! `--option X`, `--option=X`, possibly repeated) and short-option clusters (`-bc`).

use plimsoll_shell::Word;

/// Every value of the named options, with the word each value is in (the option's own word when the value
/// is attached). Short names take attached values (`-oX`); long names take them after `=`.
pub fn values<'a>(args: &'a [Word], names: &[&str]) -> Vec<(&'a Word, &'a str)> {
    let mut out = Vec::new();
    for (i, word) in args.iter().enumerate() {
        for name in names {
            if word.text == *name {
                out.extend(args.get(i + 1).map(|next| (next, next.text.as_str())));
            } else if let Some(value) = word.text.strip_prefix(name) {
                let attached = if name.starts_with("--") { value.strip_prefix('=') } else { Some(value) };
                out.extend(attached.filter(|v| !v.is_empty()).map(|v| (word, v)));
            }
        }
    }
    out
}

/// Whether a word is a cluster of short options (`-d`, `-bc`) containing `letter`.
pub fn cluster_has(text: &str, letter: char) -> bool {
    text.strip_prefix('-').is_some_and(|c| {
        !c.starts_with('-') && c.chars().all(|ch| ch.is_ascii_alphabetic()) && c.contains(letter)
    })
}

#[cfg(test)]
mod tests {
    use plimsoll_span::TextRange;

    use super::*;

    fn words(argv: &[&str]) -> Vec<Word> {
        argv.iter().map(|w| Word { range: TextRange::default(), text: (*w).into(), dynamic: false }).collect()
    }

    #[test]
    fn option_values() {
        let args = words(&["-o", "A=1", "-oB=2", "--option=C=3", "--option", "D=4", "--optional", "-x"]);
        let found: Vec<&str> = values(&args, &["-o", "--option"]).into_iter().map(|(_, v)| v).collect();
        assert_eq!(found, ["A=1", "B=2", "C=3", "D=4"]);
        assert!(values(&words(&["-o"]), &["-o"]).is_empty());
    }

    #[test]
    fn clusters() {
        assert!(cluster_has("-bc", 'b'));
        assert!(cluster_has("-d", 'd'));
        assert!(!cluster_has("--delete", 'd'));
        assert!(!cluster_has("-d1", 'd'));
        assert!(!cluster_has("d", 'd'));
    }
}
