//! Broken, half-typed and hostile input.

use super::*;

#[test]
fn half_typed_and_broken_input() {
    let script = parse("apt-get ins");
    assert_eq!(argvs(&script), [vec!["apt-get", "ins"]]);
    assert!(script.errors.is_empty());

    let script = parse("if then fi && apt-get install x");
    assert!(argvs(&script).contains(&vec!["apt-get", "install", "x"]));
    assert!(!script.errors.is_empty());

    // An unterminated quote keeps all of its characters.
    let text = r#"echo "abc"#;
    let script = parse(text);
    assert_eq!(argvs(&script), [vec!["echo", "abc"]]);
    assert_eq!(script.commands[0].words[1].range.slice(text), "\"abc");
    assert!(!script.errors.is_empty());
    let script = parse("echo 'abc' 'def");
    assert_eq!(argvs(&script), [vec!["echo", "abc", "def"]]);
    let text = r#"apt-get install -y "curl $(id)"#;
    let script = parse(text);
    assert_eq!(argv(&script.commands[0]), ["apt-get", "install", "-y", "curl $(id)"]);
    assert_eq!(script.errors, [TextRange::empty(30)], "the MISSING quote");

    let script = parse("curl x | && echo y");
    assert_eq!(argvs(&script), [vec!["curl", "x"], vec!["echo", "y"]]);
    assert!(!script.errors.is_empty());

    for text in
        ["(", "$(", "'", "\"", "<<", "<<EOF", "|", "&&", "`", "${", "case", "for", "a <<A <<B\nx\nA", "\\"]
    {
        parse(text);
        let script = parse_docker(text);
        assert!(script.commands.len() <= 2, "{text}");
    }
    assert!(parse("").commands.is_empty());
}

#[test]
fn nesting_is_bounded() {
    let deep = |n: usize| format!("{}a{}", "( ".repeat(n), " )".repeat(n));
    let script = parse(&deep(20));
    assert_eq!(argvs(&script), [vec!["a"]]);
    assert!(script.errors.is_empty());
    let script = parse(&deep(40));
    assert!(script.commands.is_empty());
    assert_eq!(script.errors.len(), 1, "the too-deep part is reported");

    // Heredoc scripts nest linearly; parsing stops after MAX_SCRIPT_DEPTH levels. (Delimiters must not be
    // prefixes of each other: tree-sitter-bash ends a heredoc at a line that merely starts with its delimiter.)
    let nest = |levels: usize| {
        let open: String = (0..levels).map(|i| format!("bash <<'E{i}X'\n")).collect();
        let close: String = (0..levels).rev().map(|i| format!("E{i}X\n")).collect();
        format!("{open}curl x\n{close}")
    };
    let script = parse(&nest(5));
    assert!(script.errors.is_empty());
    let (curl, _) = find(&script, "curl");
    assert_eq!(script.ancestors(curl).count(), 5);
    let script = parse(&nest(20));
    assert!(script.errors.is_empty());
    let bashes = script.commands.iter().filter(|c| c.name() == Some("bash")).count();
    assert_eq!(bashes, MAX_SCRIPT_DEPTH as usize + 1);
    assert!(script.commands.iter().all(|c| c.name() != Some("curl")));
}

#[test]
fn oversized_input_is_one_error() {
    let text = "a".repeat(MAX_INPUT + 1);
    let script = parse_script(&text, 5, ParseOptions::default());
    assert!(script.commands.is_empty());
    assert_eq!(script.errors, [TextRange::from_usize(5, MAX_INPUT + 6)]);
}

#[test]
fn hostile_input_finishes_quickly() {
    let inputs: Vec<(&str, String)> = vec![
        ("100k (", "(".repeat(100_000)),
        ("100k $(", "$(".repeat(100_000)),
        ("10k nested if", "if a; then ".repeat(10_000) + &"fi; ".repeat(10_000)),
        ("1 MB of quotes", "\"'".repeat(500_000)),
        ("2k nested $(", "echo $(".repeat(2_000) + &")".repeat(2_000)),
        ("50k balanced ( )", "(".repeat(50_000) + &")".repeat(50_000)),
        ("300 heredocs", "cat <<EOF\n".repeat(300) + "x\nEOF\n"),
        ("1 MB of backslashes", "\\".repeat(1_000_000)),
        ("5k nested pipelines", "( a |".repeat(5_000) + &" b )".repeat(5_000)),
        ("10k heredocs in one pipeline", "cat <<E | ".repeat(10_000) + "x\nE\n"),
        ("3k heredoc pipeline lines", "cat <<E |\n".repeat(3_000) + "x\nE\n"),
        ("50k-element pipeline", "a | ".repeat(50_000) + "b"),
        ("10k pipelines joined by &&", "a | b | c && ".repeat(10_000) + "d"),
    ];
    for (name, text) in inputs {
        let (elapsed, script) = on_small_stack(move || {
            let start = Instant::now();
            let script = parse_script(&text, 0, ParseOptions { bare_heredoc_is_script: true });
            check(&text, 0, &script);
            (start.elapsed(), script)
        });
        // The parse itself stops at TIME_BUDGET; the rest is bounded linear work (slow in debug builds).
        assert!(elapsed < Duration::from_secs(5), "{name}: {elapsed:?}");
        assert!(script.commands.len() <= 10_000, "{name}");
    }
}

#[test]
fn cancelled_parse_is_one_error_over_the_whole_text() {
    let text = "\"'".repeat(500_000);
    let script = on_small_stack(move || parse_script(&text, 7, ParseOptions::default()));
    assert!(script.commands.is_empty());
    assert_eq!(script.errors, [TextRange::from_usize(7, 1_000_007)]);
    // The thread's parser is usable again afterwards.
    assert_eq!(argvs(&parse("echo ok")), [vec!["echo", "ok"]]);
}
