//! Reads every Compose and Kubernetes file of the shared corpus with `parse_yaml` and every IAM policy with
//! `parse_json`: nothing may panic; prints what was found and how fast. Skipped with a note when the corpus
//! is not checked out. Run with `--release --nocapture` for meaningful speed figures.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use plimsoll_yaml::{ProblemKind, Style, Tree, Value, parse_json, parse_yaml};

#[derive(Default)]
struct Stats {
    files: usize,
    bytes: usize,
    documents: usize,
    time: Duration,
    syntax: Vec<(String, String)>,
    duplicate_keys: usize,
    files_with_duplicates: usize,
    bounds: Vec<(String, String)>,
    comments: usize,
}

impl Stats {
    fn add(&mut self, name: &str, text: &str, tree: &Tree, time: Duration) {
        self.files += 1;
        self.bytes += text.len();
        self.documents += tree.documents.len();
        self.comments += tree.comments.len();
        self.time += time;
        let lines = plimsoll_span::LineIndex::new(text);
        let mut duplicates = 0;
        for problem in &tree.problems {
            let at = lines.line_col(text, problem.range.start);
            let message = format!("{}:{}: {}", at.line, at.column, problem.message);
            match problem.kind {
                ProblemKind::Syntax => self.syntax.push((name.to_owned(), message)),
                ProblemKind::DuplicateKey => duplicates += 1,
                ProblemKind::AliasLimit | ProblemKind::DepthLimit | ProblemKind::UnknownAlias => {
                    self.bounds.push((name.to_owned(), message));
                }
            }
        }
        self.duplicate_keys += duplicates;
        self.files_with_duplicates += usize::from(duplicates > 0);
    }

    fn print(&self, label: &str) {
        let mb = self.bytes as f64 / 1e6;
        let secs = self.time.as_secs_f64().max(1e-9);
        println!(
            "{label}: {} files, {:.1} MB, {} documents, {} comments, {:.1} MB/s ({:.3} s parsing)",
            self.files,
            mb,
            self.documents,
            self.comments,
            mb / secs,
            secs
        );
        println!("  files with syntax errors: {}", self.syntax.len());
        for (name, message) in &self.syntax {
            println!("    {name}:{message}");
        }
        println!("  duplicate keys: {} in {} files", self.duplicate_keys, self.files_with_duplicates);
        println!("  alias/depth problems: {}", self.bounds.len());
        for (name, message) in &self.bounds {
            println!("    {name}:{message}");
        }
    }
}

#[test]
fn corpus_reads_without_panics() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(index) = fs::read_to_string(corpus.join("INDEX.tsv")) else {
        println!("corpus not found at {}; skipped", corpus.display());
        return;
    };
    let mut yaml = Stats::default();
    let mut json = Stats::default();
    let mut panics = Vec::new();
    // saphyr's bare event stream over the same files, timed alongside so both see the same machine load.
    let mut raw_events = Duration::ZERO;
    let mut shape_errors = Vec::new();
    for row in index.lines().skip(1) {
        let mut fields = row.split('\t');
        let (Some(kind), Some(path)) = (fields.next(), fields.next()) else { continue };
        let is_json = match kind {
            "compose" | "k8s" => false,
            // IAM policies are JSON whatever their extension (many have none).
            "iam" => true,
            _ => continue,
        };
        let file: PathBuf = corpus.join(path);
        let Ok(bytes) = fs::read(&file) else {
            println!("unreadable: {path}");
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let started = Instant::now();
        let result =
            catch_unwind(AssertUnwindSafe(|| if is_json { parse_json(&text) } else { parse_yaml(&text) }));
        let took = started.elapsed();
        if !is_json {
            let started = Instant::now();
            let events = saphyr_parser::Parser::new_from_str(&text).take_while(Result::is_ok).count();
            raw_events += started.elapsed();
            std::hint::black_box(events);
        }
        match result {
            Ok(tree) => {
                check_ranges(path, &text, &tree);
                shape_errors.extend(wrong_shapes(&text, &tree).map(|what| format!("{path}: {what}")));
                let stats = if is_json { &mut json } else { &mut yaml };
                stats.add(path, &text, &tree, took);
            }
            Err(_) => panics.push(path.to_owned()),
        }
    }
    yaml.print("YAML (compose + k8s)");
    let raw_speed = yaml.bytes as f64 / 1e6 / raw_events.as_secs_f64().max(1e-9);
    println!(
        "  saphyr events alone: {raw_speed:.1} MB/s; the tree costs {:.2}x that",
        yaml.time.as_secs_f64() / raw_events.as_secs_f64().max(1e-9)
    );
    json.print("JSON (iam)");
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    assert!(
        shape_errors.is_empty(),
        "{} misplaced ranges, first: {:?}",
        shape_errors.len(),
        &shape_errors[..5.min(shape_errors.len())]
    );
    assert!(yaml.files > 3_000 && json.files > 1_500, "the corpus should be complete");
}

/// Every range lies on character boundaries inside the text, so slicing never fails.
fn check_ranges(path: &str, text: &str, tree: &Tree) {
    let ranges = tree
        .nodes
        .iter()
        .map(|n| n.range)
        .chain(tree.comments.iter().map(|c| c.range))
        .chain(tree.problems.iter().map(|p| p.range))
        .chain(tree.documents.iter().map(|d| d.range));
    for range in ranges {
        assert!(
            text.get(range.as_usize()).is_some(),
            "{path}: range {range:?} is not a slice of the text ({} bytes)",
            text.len()
        );
    }
}

/// Nodes whose range does not look like the node: a quoted scalar must be quoted, a block scalar start at
/// its indicator, a single-line plain scalar be its own text, a sequence start at `[` or `-`, and a flow
/// collection end at its closing bracket. saphyr's spans run on over trailing comments in places, so this
/// guards the corrections.
fn wrong_shapes<'t>(text: &'t str, tree: &'t Tree) -> impl Iterator<Item = String> + 't {
    tree.nodes.iter().filter_map(move |node| {
        let slice = node.range.slice(text);
        let quoted = |q: char| slice.len() >= 2 && slice.starts_with(q) && slice.ends_with(q);
        let ok = match &node.value {
            Value::Scalar(scalar) => match scalar.style {
                Style::Plain => slice == scalar.text || slice.contains('\n'),
                Style::SingleQuoted => quoted('\''),
                Style::DoubleQuoted | Style::JsonString => quoted('"'),
                Style::Literal => slice.starts_with('|'),
                Style::Folded => slice.starts_with('>'),
                Style::JsonLiteral => slice == scalar.text,
            },
            Value::Seq(_) => (slice.starts_with('[') && slice.ends_with(']')) || slice.starts_with('-'),
            Value::Map(_) => !slice.starts_with('{') || slice.ends_with('}'),
            Value::Invalid => true,
        };
        (!ok).then(|| format!("{:?} at {:?}: {slice:?}", node.value, node.range))
    })
}
