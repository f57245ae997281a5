use std::time::{Duration, Instant};

use plimsoll_span::TextRange;

use super::*;
use crate::{Command, Script};

mod commands;
mod nested;
mod robustness;

fn parse(text: &str) -> Script {
    let script = parse_script(text, 0, ParseOptions::default());
    check(text, 0, &script);
    script
}

fn parse_docker(text: &str) -> Script {
    let script = parse_script(text, 0, ParseOptions { bare_heredoc_is_script: true });
    check(text, 0, &script);
    script
}

/// Invariants every result must hold: ranges inside the text and on character boundaries, parents before
/// children, pipeline back-references consistent, words inside their command.
fn check(text: &str, base: u32, script: &Script) {
    let whole = TextRange::from_usize(0, text.len()).shift(base);
    let valid = |r: TextRange| {
        assert!(whole.contains_range(r), "{r:?} outside {whole:?} in {text:?}");
        let local = TextRange::new(r.start - base, r.end - base);
        assert!(
            text.is_char_boundary(local.start as usize) && text.is_char_boundary(local.end as usize),
            "{r:?} splits a character"
        );
    };
    for (id, cmd) in script.commands.iter().enumerate() {
        valid(cmd.range);
        for word in &cmd.words {
            valid(word.range);
            assert!(cmd.range.contains_range(word.range), "word {word:?} outside command {:?}", cmd.range);
        }
        for assignment in &cmd.assignments {
            valid(assignment.range);
            assignment.value.iter().for_each(|v| valid(v.range));
        }
        for redirect in &cmd.redirects {
            valid(redirect.range);
            redirect.target.iter().for_each(|t| valid(t.range));
            redirect.heredoc_body.iter().for_each(|&b| valid(b));
        }
        if let Some(parent) = cmd.parent {
            assert!(parent < id, "parent {parent} after child {id}");
        }
        if let Some((pipe, pos)) = cmd.pipeline {
            assert_eq!(script.pipelines[pipe].commands[pos], id);
        }
    }
    for pipeline in &script.pipelines {
        valid(pipeline.range);
        assert!(pipeline.commands.len() >= 2);
    }
    script.errors.iter().for_each(|&e| valid(e));
}

fn argv(cmd: &Command) -> Vec<&str> {
    cmd.words.iter().map(|w| w.text.as_str()).collect()
}

fn argvs(script: &Script) -> Vec<Vec<&str>> {
    script.commands.iter().map(argv).collect()
}

fn find<'s>(script: &'s Script, name: &str) -> (CommandId, &'s Command) {
    script
        .commands
        .iter()
        .enumerate()
        .find(|(_, c)| c.name() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {:?}", argvs(script)))
}

/// Each word's source text, to check ranges are exact.
fn sources<'t>(text: &'t str, cmd: &Command) -> Vec<&'t str> {
    cmd.words.iter().map(|w| w.range.slice(text)).collect()
}

/// Runs `f` the way rule passes run: on a thread with Rust's default 2 MiB stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).expect("spawn").join().expect("no panic")
}
