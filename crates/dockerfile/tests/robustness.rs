//! Hostile and odd inputs: the parser must return quickly (linear work), never panic, and keep every range
//! inside the text.

use std::time::{Duration, Instant};

mod common;

/// Parses `text`, checks its ranges and that it took less than `limit` (generous: debug builds, shared
/// machine; a quadratic path would take minutes on these sizes).
fn parse_within(name: &str, text: &str, limit: Duration) -> plimsoll_dockerfile::Dockerfile {
    let start = Instant::now();
    let file = plimsoll_dockerfile::parse(text);
    let took = start.elapsed();
    assert!(took < limit, "{name}: {took:?}");
    let problems = common::range_problems(text, &file);
    assert!(problems.is_empty(), "{name}: {problems:?}");
    file
}

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn long_continuations() {
    let text = format!("FROM a\nENV {} \\\n  Z=1\n", "A=1 \\\n  # c\n\n ".repeat(50_000));
    let file = parse_within("continuations", &text, LIMIT);
    assert_eq!(file.instructions.len(), 2);
    assert_eq!(file.comments.len(), 50_000);
}

#[test]
fn many_heredocs_on_one_line() {
    let text = format!("FROM a\nCOPY {} /d/\n{}", "<<A ".repeat(20_000), "x\nA\n".repeat(20_000));
    let file = parse_within("heredocs", &text, LIMIT);
    assert_eq!(file.instructions[1].heredocs.len(), 20_000);
    assert!(file.errors.is_empty());
    let text = format!("FROM a\nCOPY {} /d/\n", "<<A ".repeat(20_000));
    let file = parse_within("unterminated heredocs", &text, LIMIT);
    assert_eq!(file.errors.len(), 20_000);
}

#[test]
fn huge_words_and_lines() {
    parse_within("long keyword", &"X".repeat(1 << 20), LIMIT);
    parse_within("quotes", &format!("FROM a\nENV A=\"{}", "\\\"'".repeat(100_000)), LIMIT);
    parse_within("braces", &format!("FROM a\nENV A=${}", "{".repeat(200_000)), LIMIT);
    parse_within("flags", &format!("FROM a\nCOPY {} a b", "--x=1 ".repeat(100_000)), LIMIT);
    parse_within("json", &format!("FROM a\nCMD {}{}", "[".repeat(100_000), "]".repeat(100_000)), LIMIT);
    parse_within("onbuild", &"ONBUILD ".repeat(100_000), LIMIT);
    parse_within("many lines", &"RUN x\n".repeat(20_000), LIMIT);
}

#[test]
fn odd_bytes_and_endings() {
    for text in [
        "",
        "\u{feff}",
        "\\",
        "\\\n\\\n",
        "#",
        "# escape=`\n`",
        "FROM a\r\rRUN b\r",
        "FROM a\nRUN é\\\n\u{a0}ü\n",
        "FROM\u{a0}a",
        "RUN <<",
        "RUN <<\"\"\n\n",
        "RUN <<-\t\n",
        "COPY <<E\u{301} /x\nE\u{301}\n",
        "FROM a\nUSER ${a:b\nLABEL \"",
        "HEALTHCHECK CMD\t[\"a\"",
        "ONBUILD ONBUILD",
        "ENV a b",
        "\u{0}\u{1}\u{7f}",
    ] {
        parse_within(&format!("{text:?}"), text, LIMIT);
    }
}

#[test]
fn lone_carriage_returns_end_lines() {
    let file = parse_within("cr", "FROM a\rRUN b\rCMD c", LIMIT);
    assert_eq!(file.instructions.len(), 3);
}

#[test]
fn many_heredocs_in_a_run() {
    let text = format!("FROM a\nRUN cat {}\n{}", "<<A ".repeat(20_000), "x\nA\n".repeat(20_000));
    let file = parse_within("run heredocs", &text, LIMIT);
    assert_eq!(file.instructions[1].heredocs.len(), 20_000);
}
