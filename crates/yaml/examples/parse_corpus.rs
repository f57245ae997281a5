//! Parses every Kubernetes and Compose file of the shared corpus, keeping every tree (as a whole-corpus run
//! that holds its trees would), and prints per kind: the CPU time of parsing alone (files are read first) and
//! of saphyr's bare event stream over the same texts (the floor under the tree), the node count and the heap
//! bytes the trees hold; at the end the process's peak resident memory.
//!
//! `cargo run --release -p plimsoll_yaml --example parse_corpus [CORPUS_DIR] [KIND...]`
//!
//! The corpus defaults to `../shared/corpus` beside the checkout; kinds default to `k8s compose`. CPU time
//! is this thread's time on the CPU (`/proc/thread-self/schedstat`, kernel time included, since zeroing
//! fresh pages for the trees is part of their cost), so it means something on a loaded machine.

use std::fs;
use std::mem::size_of;
use std::path::{Path, PathBuf};

use plimsoll_yaml::{Comment, Document, Entry, Node, NodeId, Problem, Tree, Value, parse_yaml};

// The allocator of the plimsoll binary: its size classes decide what slack costs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = args
        .next()
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"), PathBuf::from);
    let mut kinds: Vec<String> = args.collect();
    if kinds.is_empty() {
        kinds = vec!["k8s".to_owned(), "compose".to_owned()];
    }
    let index = fs::read_to_string(corpus.join("INDEX.tsv"))
        .unwrap_or_else(|e| panic!("no corpus index at {}: {e}", corpus.display()));

    let mut kept = Vec::new();
    for kind in &kinds {
        let texts = read_kind(&corpus, &index, kind);
        let bytes: usize = texts.iter().map(String::len).sum();
        let started = cpu_ns();
        let events: usize = texts
            .iter()
            .map(|text| saphyr_parser::Parser::new_from_str(text).take_while(Result::is_ok).count())
            .sum();
        let scanner = (cpu_ns() - started) as f64 / 1e9;
        let started = cpu_ns();
        let trees: Vec<Tree> = texts.iter().map(|text| parse_yaml(text)).collect();
        let cpu = (cpu_ns() - started) as f64 / 1e9;
        let nodes: usize = trees.iter().map(|t| t.nodes.len()).sum();
        let mut held = Held::default();
        trees.iter().for_each(|tree| held.add(tree));
        println!(
            "{kind}: {} files, {:.2} MB, {:.3} s CPU ({:.1} MB/s), {nodes} nodes, {:.1} MB held by the trees \
             ({:.1} bytes per node: {:.1} MB node array of {} bytes per node, {:.1} MB strings, {:.1} MB \
             collections, {:.1} MB other); saphyr's {events} events alone: {scanner:.3} s CPU",
            texts.len(),
            bytes as f64 / 1e6,
            cpu,
            bytes as f64 / 1e6 / cpu.max(1e-9),
            held.total() as f64 / 1e6,
            held.total() as f64 / nodes.max(1) as f64,
            held.node_array as f64 / 1e6,
            size_of::<Node>(),
            held.strings as f64 / 1e6,
            held.collections as f64 / 1e6,
            held.other as f64 / 1e6,
        );
        kept.push((texts, trees));
    }
    println!("peak resident memory: {:.1} MB (texts and trees held)", peak_rss_kb() as f64 / 1e3);
    drop(kept);
}

fn read_kind(corpus: &Path, index: &str, kind: &str) -> Vec<String> {
    index
        .lines()
        .skip(1)
        .filter_map(|row| {
            let mut fields = row.split('\t');
            (fields.next() == Some(kind)).then(|| fields.next()).flatten()
        })
        .filter_map(|path| fs::read(corpus.join(path)).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// Heap bytes owned by trees (capacities, not lengths: slack is memory too), allocator overhead aside.
#[derive(Default)]
struct Held {
    /// `Tree::nodes`.
    node_array: usize,
    /// Scalar texts and tags.
    strings: usize,
    /// Mapping entries and sequence items.
    collections: usize,
    /// Documents, comments and problems.
    other: usize,
}

impl Held {
    fn add(&mut self, tree: &Tree) {
        self.node_array += tree.nodes.capacity() * size_of::<Node>();
        self.strings += tree.tags.capacity() * size_of::<(NodeId, String)>()
            + tree.tags.iter().map(|(_, tag)| tag.capacity()).sum::<usize>();
        for node in &tree.nodes {
            match &node.value {
                Value::Scalar(scalar) => self.strings += scalar.text.capacity(),
                Value::Map(entries) => self.collections += entries.capacity() * size_of::<Entry>(),
                Value::Seq(items) => self.collections += items.capacity() * size_of::<NodeId>(),
                Value::Invalid => {}
            }
        }
        self.other += tree.documents.capacity() * size_of::<Document>()
            + tree.comments.capacity() * size_of::<Comment>()
            + tree.comments.iter().map(|c| c.text.capacity()).sum::<usize>()
            + tree.problems.capacity() * size_of::<Problem>()
            + tree.problems.iter().map(|p| p.message.capacity()).sum::<usize>();
    }

    fn total(&self) -> usize {
        self.node_array + self.strings + self.collections + self.other
    }
}

/// This thread's CPU time in nanoseconds, user and kernel.
fn cpu_ns() -> u64 {
    let stat = fs::read_to_string("/proc/thread-self/schedstat").expect("Linux /proc");
    stat.split_whitespace().next().and_then(|ns| ns.parse().ok()).expect("schedstat's first field")
}

fn peak_rss_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
