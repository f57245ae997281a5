//! Simple commands, words, lists, pipelines and control structures.

use super::*;

#[test]
fn apt_get_with_flags_and_packages() {
    let text = "apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 ca-certificates";
    let script = parse(text);
    assert_eq!(script.commands.len(), 1);
    let cmd = &script.commands[0];
    let expected =
        ["apt-get", "install", "-y", "--no-install-recommends", "curl=7.88.1-10+deb12u5", "ca-certificates"];
    assert_eq!(argv(cmd), expected);
    assert_eq!(sources(text, cmd), expected);
    assert_eq!(cmd.range, TextRange::from_usize(0, text.len()));
    assert_eq!((cmd.context, cmd.parent, cmd.pipeline), (Context::Script, None, None));
    assert!(script.errors.is_empty() && script.pipelines.is_empty());
    assert_eq!(cmd.words[4].range, TextRange::new(43, 65));
}

#[test]
fn multi_line_scripts_and_continuations() {
    let text = "set -eux\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*";
    let script = parse(text);
    assert_eq!(
        argvs(&script),
        [
            vec!["set", "-eux"],
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "curl"],
            vec!["rm", "-rf", "/var/lib/apt/lists/*"],
        ]
    );
    let text = "set -eux; \\\n    apt-get install -y \\\n        curl \\\n        git; \\\n    rm -rf /tmp/*";
    let script = parse(text);
    assert_eq!(
        argvs(&script),
        [vec!["set", "-eux"], vec!["apt-get", "install", "-y", "curl", "git"], vec!["rm", "-rf", "/tmp/*"]]
    );
    let apt = &script.commands[1];
    assert_eq!(sources(text, apt), ["apt-get", "install", "-y", "curl", "git"]);
    assert!(apt.range.slice(text).starts_with("apt-get") && apt.range.slice(text).ends_with("git"));
    // A continuation inside a word joins it (tree-sitter-bash splits it into two words).
    let text = "echo ab\\\ncd$(id)ef x";
    let script = parse(text);
    assert_eq!(argvs(&script), [vec!["echo", "abcd$(id)ef", "x"], vec!["id"]]);
    assert_eq!(script.commands[0].words[1].range.slice(text), "ab\\\ncd$(id)ef");
    assert!(script.commands[0].words[1].dynamic);
}

#[test]
fn lists_and_separators() {
    let script = parse("a 1 && b 2 || c 3; d 4 & e 5\nf 6");
    assert_eq!(
        argvs(&script),
        [vec!["a", "1"], vec!["b", "2"], vec!["c", "3"], vec!["d", "4"], vec!["e", "5"], vec!["f", "6"]]
    );
    assert!(script.pipelines.is_empty());
}

#[test]
fn environment_prefixes() {
    let text = "DEBIAN_FRONTEND=noninteractive TZ='Europe/Paris' apt-get install -y tzdata";
    let script = parse(text);
    let cmd = &script.commands[0];
    assert_eq!(argv(cmd), ["apt-get", "install", "-y", "tzdata"]);
    assert_eq!(cmd.assignments.len(), 2);
    assert_eq!(cmd.assignments[0].name, "DEBIAN_FRONTEND");
    assert_eq!(cmd.assignments[0].value.as_ref().map(|v| v.text.as_str()), Some("noninteractive"));
    assert_eq!(cmd.assignments[0].range.slice(text), "DEBIAN_FRONTEND=noninteractive");
    assert_eq!(cmd.assignments[1].value.as_ref().map(|v| v.text.as_str()), Some("Europe/Paris"));
    assert_eq!(cmd.assignments[1].value.as_ref().map(|v| v.range.slice(text)), Some("'Europe/Paris'"));
    assert_eq!(cmd.range.slice(text), text);

    // Bare assignments are commands without words.
    let script = parse("A=1 B=; C=$(curl x)");
    assert_eq!(script.commands[0].words.len(), 0);
    let names: Vec<_> = script.commands[0].assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    assert_eq!(script.commands[0].assignments[1].value, None);
    let (curl, cmd) = find(&script, "curl");
    assert_eq!((cmd.context, cmd.parent), (Context::CommandSubstitution, Some(1)));
    assert_eq!(script.commands[1].assignments[0].name, "C");
    assert!(script.ancestors(curl).next().is_some_and(|c| c.words.is_empty()));
}

#[test]
fn download_piped_to_a_shell() {
    for (text, shell) in [
        ("curl -fsSL https://get.example.com | sh", "sh"),
        ("wget -O- https://x/install.sh | bash", "bash"),
        ("curl -fsSL https://x | sudo -E bash -", "bash"),
        ("curl x | sudo bash -s -- -y", "bash"),
    ] {
        let script = parse(text);
        assert_eq!(script.pipelines.len(), 1, "{text}");
        assert_eq!(script.pipelines[0].commands, [0, 1]);
        assert_eq!(script.pipelines[0].range.slice(text), text);
        assert_eq!(script.commands[0].pipeline, Some((0, 0)));
        assert_eq!(script.commands[1].pipeline, Some((0, 1)));
        let downstream: Vec<_> = script.downstream(0).filter_map(Command::program_name).collect();
        assert_eq!(downstream, [shell], "{text}");
    }
    // tree-sitter-bash nests these as `pipeline(a, list(pipeline(b, c), …))`; the walk repairs it.
    let script = parse("a | b | c && d | e");
    let pipes: Vec<_> = script.pipelines.iter().map(|p| p.commands.clone()).collect();
    assert_eq!(pipes, [vec![0, 1, 2], vec![3, 4]]);
    let script = parse("curl x | gunzip | tar x -C /opt || echo failed");
    assert_eq!(script.pipelines.len(), 1);
    assert_eq!(script.pipelines[0].commands, [0, 1, 2]);
    assert_eq!(script.commands[3].pipeline, None);
}

#[test]
fn process_substitution() {
    let text = "bash <(curl -fsSL https://x) > >(tee log)";
    let script = parse(text);
    let (bash, _) = find(&script, "bash");
    let (_, curl) = find(&script, "curl");
    assert_eq!((curl.context, curl.parent), (Context::ProcessSubstitution, Some(bash)));
    assert_eq!(curl.range.slice(text), "curl -fsSL https://x");
    let (_, tee) = find(&script, "tee");
    assert_eq!((tee.context, tee.parent), (Context::ProcessSubstitution, Some(bash)));
    let bash = &script.commands[bash];
    assert!(bash.words[1].dynamic);
    assert_eq!(bash.redirects[0].target.as_ref().map(|t| t.text.as_str()), Some(">(tee log)"));
}

#[test]
fn control_structures_and_functions() {
    let text = "for i in $(seq 3); do echo $i; done
if [ -f x ]; then a; elif b; then c; else d; fi
while true; do e; done
until f; do g; done
case $x in a|b) h;; *) i;; esac
fn() { j; }
function k { l; }
for ((n=0; n<3; n++)); do m; done
(( z = 1 ))";
    let script = parse(text);
    let names: Vec<_> = script.commands.iter().filter_map(Command::name).collect();
    assert_eq!(
        names,
        ["seq", "echo", "[", "a", "b", "c", "d", "true", "e", "f", "g", "h", "i", "j", "l", "m"]
    );
    assert!(script.errors.is_empty(), "{:?}", script.errors);
    let (_, seq) = find(&script, "seq");
    assert_eq!((seq.context, seq.parent), (Context::CommandSubstitution, None));
    assert!(script.commands.iter().all(|c| c.name() == Some("seq") || c.context == Context::Script));
}

#[test]
fn subshells_and_groups() {
    let script = parse("( cd x && make ) ; { a; b; }");
    assert_eq!(argvs(&script), [vec!["cd", "x"], vec!["make"], vec!["a"], vec!["b"]]);
    // Compound pipeline elements contribute the commands they run directly.
    let script = parse("( cd x && make ) | tee log");
    assert_eq!(script.pipelines.len(), 1);
    assert_eq!(script.pipelines[0].commands, [0, 1, 2]);
    let script = parse("{ a | b; } | c");
    let pipes: Vec<_> = script.pipelines.iter().map(|p| p.commands.clone()).collect();
    assert_eq!(pipes, [vec![0, 1, 2], vec![0, 1]], "outer pipeline first");
    assert_eq!(script.commands[0].pipeline, Some((1, 0)), "a command keeps its innermost pipeline");
    assert_eq!(script.commands[2].pipeline, Some((0, 2)));
    // Substitutions inside an element are not members.
    let script = parse("echo $(id) | sh");
    assert_eq!(script.pipelines[0].commands, [0, 2]);
}

#[test]
fn declaration_and_test_commands() {
    let script = parse(r#"export A=1 B="x y"; local v=$(id); readonly R; unset U"#);
    assert_eq!(
        argvs(&script),
        [
            vec!["export", "A=1", "B=x y"],
            vec!["local", "v=$(id)"],
            vec!["id"],
            vec!["readonly", "R"],
            vec!["unset", "U"]
        ]
    );
    assert!(script.commands[0].assignments.is_empty());
    assert_eq!(script.commands[2].parent, Some(1));

    let text = r#"[ -f "$x" ] && [[ $a == b* ]] || test -d y"#;
    let script = parse(text);
    assert_eq!(
        argvs(&script),
        [vec!["[", "-f", "$x", "]"], vec!["[[", "$a", "==", "b*", "]]"], vec!["test", "-d", "y"]]
    );
    assert_eq!(sources(text, &script.commands[0]), ["[", "-f", "\"$x\"", "]"]);
    let script = parse(r#"[ "$(uname -m)" = x86_64 ]"#);
    assert_eq!(script.commands[1].parent, Some(0));
}

#[test]
fn redirects() {
    let text = "make >/dev/null 2>&1 < in; echo > a b; tr a b <<< \"$s\"";
    let script = parse(text);
    let make = &script.commands[0];
    assert_eq!(make.range.slice(text), "make >/dev/null 2>&1 < in");
    let ops: Vec<_> = make.redirects.iter().map(|r| r.operator.as_str()).collect();
    assert_eq!(ops, [">", ">&", "<"]);
    assert_eq!(make.redirects[1].range.slice(text), "2>&1");
    assert_eq!(make.redirects[0].target.as_ref().map(|t| t.text.as_str()), Some("/dev/null"));
    assert_eq!(argv(&script.commands[1]), ["echo", "b"], "only the first word after > is the target");
    let tr = &script.commands[2];
    assert_eq!(tr.redirects[0].operator, "<<<");
    assert!(tr.redirects[0].target.as_ref().is_some_and(|t| t.dynamic));
    // A redirect-only command.
    let script = parse("> /tmp/empty");
    assert_eq!(script.commands.len(), 1);
    assert!(script.commands[0].words.is_empty());
}

#[test]
fn quoted_words() {
    let text = r#"echo 'a b' "a\"b" a'b'"c" $'x\ty\'' a\ b "\q" '' """#;
    let script = parse(text);
    let echo = &script.commands[0];
    assert_eq!(argv(echo), ["echo", "a b", "a\"b", "abc", "x\ty'", "a b", "\\q", "", ""]);
    assert_eq!(sources(text, echo)[1..4], ["'a b'", r#""a\"b""#, r#"a'b'"c""#]);
    assert!(echo.words.iter().all(|w| !w.dynamic));
}

#[test]
fn dynamic_words() {
    let text = r#"curl "https://$HOST/x" ${URL:-y} -j"$(nproc)" `cat f` $((1+2)) '$NOT' plain"#;
    let script = parse(text);
    let curl = &script.commands[0];
    let dynamic: Vec<_> = curl.words.iter().map(|w| (w.text.as_str(), w.dynamic)).collect();
    assert_eq!(
        dynamic,
        [
            ("curl", false),
            ("https://$HOST/x", true),
            ("${URL:-y}", true),
            ("-j$(nproc)", true),
            ("`cat f`", true),
            ("$((1+2))", true),
            ("$NOT", false),
            ("plain", false),
        ]
    );
    assert_eq!(curl.words[1].literal(), None);
    assert_eq!(argvs(&script)[1..], [vec!["nproc"], vec!["cat", "f"]]);
}

#[test]
fn base_offsets_shift_every_range() {
    let text = "A=1 curl -o f \"$U\" | sh -c 'tar x' 2>/dev/null; bash <<E\nmake\nE";
    let at_zero = parse(text);
    let shifted = parse_script(text, 1000, ParseOptions::default());
    check(text, 1000, &shifted);
    assert_eq!(at_zero.commands.len(), shifted.commands.len());
    assert_eq!(at_zero.commands.len(), 5);
    for (a, b) in at_zero.commands.iter().zip(&shifted.commands) {
        assert_eq!(a.range.shift(1000), b.range);
        for (x, y) in a.words.iter().zip(&b.words) {
            assert_eq!(x.range.shift(1000), y.range);
        }
        for (x, y) in a.redirects.iter().zip(&b.redirects) {
            assert_eq!(x.range.shift(1000), y.range);
            assert_eq!(x.heredoc_body.map(|r| r.shift(1000)), y.heredoc_body);
        }
        assert_eq!(
            a.assignments.first().map(|x| x.range.shift(1000)),
            b.assignments.first().map(|x| x.range)
        );
    }
    assert_eq!(at_zero.pipelines[0].range.shift(1000), shifted.pipelines[0].range);
}

#[test]
fn program_looks_through_wrappers_of_parsed_commands() {
    let script = parse("sudo -E env A=b /usr/bin/apt-get install -y x");
    assert_eq!(script.commands[0].program_name(), Some("apt-get"));
    assert!(script.commands[0].has_option(Some('y'), &["yes"]));
}
