//! Hostile input through the whole engine (parser, shell parsing, lowering, every rule): no panic, no
//! hang, on a thread with the 2 MiB stack rayon workers have.

use std::time::{Duration, Instant};

use plimsoll_diagnostic::Format;
use plimsoll_linter::{Linter, RuleSelector, Selection, Settings, SourceFile};

fn lint_on_small_stack(name: &'static str, bytes: Vec<u8>) {
    lint_as_on_small_stack(name, Format::Dockerfile, bytes);
}

fn lint_as_on_small_stack(name: &'static str, format: Format, bytes: Vec<u8>) {
    let started = Instant::now();
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let settings = Settings {
                selection: Selection { select: Some(vec![RuleSelector::All]), ..Selection::default() },
                ..Settings::default()
            };
            let linter = Linter::new(plimsoll_rules::all(), settings);
            linter.lint(&SourceFile::from_bytes(bytes), format).diagnostics.len()
        })
        .expect("spawn");
    handle.join().unwrap_or_else(|_| panic!("{name}: the linter panicked"));
    // Generous: debug builds on a loaded 2-core machine; the point is "no hang".
    assert!(started.elapsed() < Duration::from_secs(30), "{name}: took {:?}", started.elapsed());
}

fn repeat(piece: &str, times: usize) -> Vec<u8> {
    piece.repeat(times).into_bytes()
}

#[test]
fn deep_shell_nesting() {
    lint_on_small_stack("subshells", format!("FROM a:1\nRUN {}\n", "(".repeat(100_000)).into_bytes());
    lint_on_small_stack(
        "substitutions",
        format!("FROM a:1\nRUN echo {}\n", "$(".repeat(50_000)).into_bytes(),
    );
    lint_on_small_stack(
        "sh -c",
        format!("FROM a:1\nRUN {}true{}\n", "sh -c '".repeat(2_000), "'".repeat(2_000)).into_bytes(),
    );
}

#[test]
fn long_and_many_lines() {
    lint_on_small_stack(
        "continuations",
        [b"FROM a:1\nRUN x".as_slice(), &repeat(" \\\n y", 50_000)].concat(),
    );
    lint_on_small_stack("instructions", repeat("RUN sudo curl -k http://x | sh\n", 20_000));
    lint_on_small_stack("one huge word", [b"FROM a:1\nENV A=".as_slice(), &repeat("x", 4_000_000)].concat());
    lint_on_small_stack("stages", repeat("FROM a:latest AS s\nCOPY --from=s / /\n", 10_000));
    lint_on_small_stack("onbuild chain", [repeat("ONBUILD ", 50_000), b"RUN sudo x\n".to_vec()].concat());
}

#[test]
fn binary_and_broken_bytes() {
    let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    lint_on_small_stack("noise", noise);
    lint_on_small_stack("nul bytes", vec![0; 100_000]);
    lint_on_small_stack("unterminated heredocs", repeat("RUN <<EOF <<EOG\n", 5_000));
    lint_on_small_stack("unterminated json", repeat("CMD [\"a\", [\"b\", {\n", 5_000));
    lint_on_small_stack("variables", format!("ARG A=${{A}}\nFROM {}\n", "${A:-".repeat(20_000)).into_bytes());
}

/// IAM rules expand actions against a catalogue of 20,000: a file of endless broad statements must stay
/// bounded (the reader stops after 1,000 statements).
#[test]
fn iam_policies_of_every_shape() {
    let iam = |name, text: String| lint_as_on_small_stack(name, Format::Iam, text.into_bytes());
    let identity = r#"{"Effect": "Allow", "NotAction": ["s3:*", "iam:Get*"], "Resource": "*"},"#;
    let resource = r#"{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*", "Principal": "*"},"#;
    for (name, statement) in
        [("broad identity statements", identity), ("broad resource statements", resource)]
    {
        iam(name, format!(r#"{{"Version": "2012-10-17", "Statement": [{}{{}}]}}"#, statement.repeat(50_000)));
    }
    let distinct: String = (0..5_000)
        .map(|i| {
            format!(
                r#"{{"Effect": "Allow", "Action": ["{}*", "ec2:D*{i}"], "Resource": "*"}},"#,
                "s".repeat(i % 40)
            )
        })
        .collect();
    iam("distinct patterns", format!(r#"{{"Version": "2012-10-17", "Statement": [{distinct}{{}}]}}"#));
    iam(
        "many policies",
        format!(
            "[{}1]",
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},"#
                .repeat(20_000)
        ),
    );
    iam("deep", format!("{}{}", r#"{"a": "#.repeat(100), "}".repeat(100)));
    iam("too deep", "[".repeat(100_000));
    iam(
        "long action",
        format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "{}", "Resource": "*"}}}}"#,
            "*?".repeat(500_000)
        ),
    );
    iam(
        "alias bomb",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nVersion: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n    Resource: '*'\n".to_string(),
    );
}
