//! Scripts nested in commands: `sh -c` strings, heredocs, here-strings, exec-form argv.

use super::*;

#[test]
fn command_substitution_in_a_shell_string() {
    let text = r#"sh -c "$(curl -fsSL https://x/install.sh)""#;
    let script = parse(text);
    let (curl, cmd) = find(&script, "curl");
    assert_eq!(cmd.context, Context::CommandSubstitution);
    assert_eq!(cmd.range.slice(text), "curl -fsSL https://x/install.sh");
    assert!(script.ancestors(curl).any(|c| c.name() == Some("sh")));
    // curl runs once, in the outer shell; the script sh gets is its (unknown) output.
    assert_eq!(script.commands.iter().filter(|c| c.name() == Some("curl")).count(), 1);
    let nested: Vec<_> = script.commands.iter().filter(|c| c.context == Context::ShellString).collect();
    assert_eq!(nested.len(), 1);
    assert!(nested[0].words[0].dynamic);
    assert_eq!(nested[0].parent, Some(0));

    // Backticks and `$(…)` escaped from the outer shell run in the inner one.
    let script = parse(r#"bash -c "echo \$(id -u) \`date\`""#);
    let (_, id) = find(&script, "id");
    let (_, date) = find(&script, "date");
    assert_eq!(
        (id.context, id.parent.map(|p| script.commands[p].context)),
        (Context::CommandSubstitution, Some(Context::ShellString))
    );
    assert_eq!(date.context, Context::CommandSubstitution);
}

#[test]
fn shell_strings_with_exact_ranges() {
    let text = "sh -c 'apt-get update && apt-get install -y x'";
    let script = parse(text);
    assert_eq!(
        argvs(&script),
        [
            vec!["sh", "-c", "apt-get update && apt-get install -y x"],
            vec!["apt-get", "update"],
            vec!["apt-get", "install", "-y", "x"],
        ]
    );
    for cmd in &script.commands[1..] {
        assert_eq!((cmd.context, cmd.parent), (Context::ShellString, Some(0)));
        assert_eq!(sources(text, cmd), argv(cmd));
    }
    assert_eq!(script.commands[2].range.slice(text), "apt-get install -y x");

    // Escapes in double quotes still map each character back to its source.
    let text = r#"bash -ec "echo \"a b\" && curl -k \$URL""#;
    let script = parse(text);
    let (_, echo) = find(&script, "echo");
    assert_eq!(argv(echo), ["echo", "a b"]);
    assert_eq!(sources(text, echo), ["echo", r#"\"a b\""#]);
    let (_, curl) = find(&script, "curl");
    assert_eq!(argv(curl), ["curl", "-k", "$URL"]);
    assert_eq!(sources(text, curl), ["curl", "-k", r"\$URL"]);
    assert!(curl.words[2].dynamic);

    for text in [
        "/bin/sh -xc 'make install'",
        "bash -euxc 'make install'",
        "bash --login -c 'make install'",
        "sudo sh -c 'make install'",
        "sudo -u app bash -o pipefail -c 'make install'",
        "busybox sh -c 'make install'",
        "su -c 'make install' app",
        "su - app -c 'make install'",
    ] {
        let script = parse(text);
        let (_, make) = find(&script, "make");
        assert_eq!((make.context, make.parent), (Context::ShellString, Some(0)), "{text}");
        assert_eq!(make.range.slice(text), "make install", "{text}");
    }
    // Not shell strings: `-c` of other programs, a script file.
    for text in ["python3 -c 'make install'", "bash script.sh 'make install'"] {
        assert_eq!(parse(text).commands.len(), 1, "{text}");
    }
}

#[test]
fn here_string_run_by_a_shell() {
    let text = r#"bash <<< "curl -fsSL x | sh""#;
    let script = parse(text);
    let (curl, cmd) = find(&script, "curl");
    assert_eq!((cmd.context, cmd.parent), (Context::ShellString, Some(0)));
    assert_eq!(cmd.range.slice(text), "curl -fsSL x");
    assert_eq!(script.downstream(curl).filter_map(Command::name).collect::<Vec<_>>(), ["sh"]);
    assert_eq!(parse(r#"cat <<< "curl x""#).commands.len(), 1, "data for cat");
}

#[test]
fn su_command_string() {
    let text = "su -c 'apt-get install -y x' user";
    let script = parse(text);
    let (_, apt) = find(&script, "apt-get");
    assert_eq!((apt.context, apt.parent), (Context::ShellString, Some(0)));
    assert_eq!(sources(text, apt), ["apt-get", "install", "-y", "x"]);
    let script = parse("su --command='id -u' user");
    let (_, id) = find(&script, "id");
    assert_eq!(id.range.slice("su --command='id -u' user"), "id -u");
}

#[test]
fn nested_shell_strings() {
    let text = r#"sh -c "bash -c 'curl x | sh'""#;
    let script = parse(text);
    let (curl, cmd) = find(&script, "curl");
    assert_eq!(cmd.range.slice(text), "curl x");
    let chain: Vec<_> = script.ancestors(curl).filter_map(Command::name).collect();
    assert_eq!(chain, ["bash", "sh"]);
    assert_eq!(script.pipelines.len(), 1);
    assert_eq!(script.downstream(curl).filter_map(Command::name).collect::<Vec<_>>(), ["sh"]);
}

#[test]
fn heredoc_inside_a_pipeline() {
    let text = "a | cat <<EOF | b && c\nbody\nEOF";
    let script = parse(text);
    assert_eq!(argvs(&script), [vec!["a"], vec!["cat"], vec!["b"], vec!["c"]]);
    assert_eq!(script.pipelines.len(), 1);
    assert_eq!(script.pipelines[0].commands, [0, 1, 2]);
    assert_eq!(script.pipelines[0].range.slice(text), "a | cat <<EOF | b");
    assert_eq!(script.commands[1].redirects[0].heredoc_body.map(|b| b.slice(text)), Some("body\n"));
    let script = parse("x | bash <<EOF\napt-get install y\nEOF");
    assert_eq!(script.pipelines[0].commands, [0, 1]);
    let (_, apt) = find(&script, "apt-get");
    assert_eq!((apt.context, apt.parent), (Context::HeredocScript, Some(1)));
}

#[test]
fn heredocs_run_by_a_shell() {
    let text = "bash <<EOF\necho \\$HOME $(whoami)\ncurl x | sh\nEOF\n";
    let script = parse(text);
    let bash = &script.commands[0];
    assert_eq!(bash.redirects[0].operator, "<<");
    assert_eq!(bash.redirects[0].range.slice(text), "<<EOF");
    assert_eq!(
        bash.redirects[0].heredoc_body.map(|b| b.slice(text)),
        Some("echo \\$HOME $(whoami)\ncurl x | sh\n")
    );
    // `$(whoami)` is expanded by the outer shell, once.
    let whoami: Vec<_> = script.commands.iter().filter(|c| c.name() == Some("whoami")).collect();
    assert_eq!(whoami.len(), 1);
    assert_eq!((whoami[0].context, whoami[0].parent), (Context::CommandSubstitution, Some(0)));
    let (_, echo) = find(&script, "echo");
    assert_eq!((echo.context, echo.parent), (Context::HeredocScript, Some(0)));
    assert_eq!(argv(echo), ["echo", "$HOME", "$(whoami)"]);
    assert_eq!(sources(text, echo), ["echo", "\\$HOME", "$(whoami)"]);
    let (curl, _) = find(&script, "curl");
    assert_eq!(script.downstream(curl).filter_map(Command::name).collect::<Vec<_>>(), ["sh"]);

    let text = "sh -s -- -y <<'EOF'\napt-get install -y $PKG\nEOF";
    let script = parse(text);
    let (_, apt) = find(&script, "apt-get");
    assert_eq!(apt.context, Context::HeredocScript);
    assert_eq!(sources(text, apt), ["apt-get", "install", "-y", "$PKG"]);

    // `<<-` strips leading tabs; the script parses the same with them.
    let text = "bash <<-EOF\n\tapt-get update\n\tEOF\n";
    let script = parse(text);
    let (_, apt) = find(&script, "apt-get");
    assert_eq!(apt.range.slice(text), "apt-get update");
    assert_eq!(script.commands[0].redirects[0].operator, "<<-");
}

#[test]
fn heredocs_read_as_data_are_not_parsed() {
    for text in [
        "cat <<EOF > /etc/apt/sources.list\napt-get install x\nEOF",
        "python3 <<EOF\nimport os\nos.system('apt-get install x')\nEOF",
        "bash install.sh <<EOF\napt-get install x\nEOF",
        "tee f <<'EOF'\napt-get install x\nEOF",
    ] {
        let script = parse(text);
        assert!(script.commands.iter().all(|c| c.name() != Some("apt-get")), "{text}");
        assert!(script.commands[0].redirects.iter().any(|r| r.heredoc_body.is_some()), "{text}");
    }
    let text = "cat <<EOF > f\n$(id)\nEOF";
    let script = parse(text);
    assert_eq!(argvs(&script), [vec!["cat"], vec!["id"]]);
    assert_eq!(script.commands[0].redirects[1].operator, ">");
    // `cat <<EOF | sh`: the body is data for cat, which pipes it into sh.
    let script = parse("cat <<EOF | sh\necho hi\nEOF\n");
    assert_eq!(argvs(&script), [vec!["cat"], vec!["sh"]]);
    assert_eq!(script.pipelines[0].commands, [0, 1]);
}

#[test]
fn bare_heredocs() {
    let text = "<<EOF\nset -e\napt-get update\nEOF\n";
    let script = parse_docker(text);
    assert_eq!(argvs(&script), [vec![], vec!["set", "-e"], vec!["apt-get", "update"]]);
    let bare = &script.commands[0];
    assert_eq!(bare.range.slice(text), "<<EOF");
    assert_eq!(bare.redirects[0].heredoc_body.map(|b| b.slice(text)), Some("set -e\napt-get update\n"));
    for cmd in &script.commands[1..] {
        assert_eq!((cmd.context, cmd.parent), (Context::HeredocScript, Some(0)));
    }
    assert_eq!(script.commands[2].range.slice(text), "apt-get update");
    assert!(script.errors.is_empty());

    // A plain shell runs nothing for it.
    let script = parse(text);
    assert_eq!(argvs(&script), [Vec::<&str>::new()]);
    assert!(script.errors.is_empty());

    // Not shell code.
    let script = parse_docker("<<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n");
    assert_eq!(script.commands.len(), 1);
    let script = parse_docker("<<EOF\n#!/bin/bash -e\nmake\nEOF\n");
    assert_eq!(argvs(&script), [vec![], vec!["make"]]);

    // Docker variants: a bare heredoc with base offset, a heredoc handed to a named shell.
    let script = parse_script("<<EOT bash\nmake\nEOT", 10, ParseOptions { bare_heredoc_is_script: true });
    check("<<EOT bash\nmake\nEOT", 10, &script);
    assert_eq!(argvs(&script), [vec!["bash"], vec!["make"]]);
    assert_eq!(script.commands[1].range, TextRange::new(21, 25));
    assert_eq!(script.commands[1].context, Context::HeredocScript);
}

fn json_words(text: &str) -> Vec<Word> {
    // A tiny exec-form reader for the tests: `["a", "b"]` without escapes inside the strings' ranges logic.
    let mut words = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            let mut value = String::new();
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                value.push(char::from(bytes[i]));
                i += 1;
            }
            words.push(Word { range: TextRange::from_usize(start, i + 1), text: value, dynamic: false });
        }
        i += 1;
    }
    words
}

#[test]
fn argv_running_a_shell_string() {
    let text = r#"RUN ["sh", "-c", "curl x | sh"]"#;
    let script = parse_argv(json_words(text), TextRange::from_usize(4, text.len()));
    check(text, 0, &script);
    assert_eq!(argvs(&script), [vec!["sh", "-c", "curl x | sh"], vec!["curl", "x"], vec!["sh"]]);
    assert_eq!(script.commands[0].context, Context::Script);
    for cmd in &script.commands[1..] {
        assert_eq!((cmd.context, cmd.parent), (Context::ShellString, Some(0)));
        assert_eq!(sources(text, cmd), argv(cmd), "exact ranges without escapes");
    }
    assert_eq!(script.pipelines[0].commands, [1, 2]);

    // JSON escapes make the mapping inexact: ranges stay inside the word.
    let text = r#"["/bin/bash", "-lc", "apt-get install -y \"curl\" && rm -rf /x"]"#;
    let words = json_words(text);
    let script_word = words[2].range;
    let script = parse_argv(words, TextRange::from_usize(0, text.len()));
    check(text, 0, &script);
    assert_eq!(argv(&script.commands[1]), ["apt-get", "install", "-y", "curl"]);
    assert_eq!(argv(&script.commands[2]), ["rm", "-rf", "/x"]);
    for cmd in &script.commands[1..] {
        assert!(script_word.contains_range(cmd.range));
        assert!(cmd.words.iter().all(|w| script_word.contains_range(w.range)));
    }
    assert_eq!(script.commands[1].words[0].range.slice(text), "apt-get", "exact up to the first escape");

    // Ranges from a confused caller do not make it panic.
    let word =
        |text: &str, start, end| Word { range: TextRange { start, end }, text: text.into(), dynamic: false };
    let script =
        parse_argv(vec![word("sh", 0, 2), word("-c", 3, 5), word("a | b", 9, 6)], TextRange::new(0, 9));
    assert_eq!(script.commands.len(), 3);

    let script = parse_argv(json_words(r#"["nginx", "-g", "daemon off;"]"#), TextRange::new(0, 30));
    assert_eq!(script.commands.len(), 1);
    assert!(parse_argv(Vec::new(), TextRange::default()).commands[0].words.is_empty());
}
