#!/usr/bin/env python3
"""Benchmark plimsoll against its peers (hadolint, Checkov, Trivy, dclint, parliament) and against the floor of
reading the same files with `cat`, on the shared corpus, and write the results as Markdown.

    python3 scripts/bench/run.py                           # everything, printed
    python3 scripts/bench/run.py --scaling --write docs/benchmarks.md
    python3 scripts/bench/run.py --peers hadolint,dclint --kinds dockerfile,compose
    python3 scripts/bench/run.py --peers none --rounds 1 --kinds dockerfile --limit 50   # seconds, no installs

The peers are installed, pinned, into --tools-dir (outside the repository) before anything is timed. Exits 0
whether or not plimsoll meets its targets; non-zero only when the benchmark itself cannot run."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import benchmark
import corpus
import machine
import scaling
import tables
import tools

REPOSITORY = Path(__file__).resolve().parents[2]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=REPOSITORY.parent / "shared" / "corpus",
        help="the corpus, with its INDEX.tsv (default: ../shared/corpus beside the repository)",
    )
    parser.add_argument(
        "--plimsoll",
        type=Path,
        default=None,
        help="the binary to measure (default: the release build in CARGO_TARGET_DIR or target/)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are reported (3)")
    parser.add_argument(
        "--repeat-slow",
        action="store_true",
        help=f"repeat peers whose first run took over {benchmark.SLOW_SECONDS:.0f} s (by default they run once)",
    )
    parser.add_argument(
        "--peers",
        default=",".join(tools.PEERS),
        help=f"comma-separated peers to run, or `none` (default: {','.join(tools.PEERS)})",
    )
    parser.add_argument(
        "--kinds",
        default=",".join([*corpus.KINDS, corpus.ALL]),
        help="comma-separated file sets: dockerfile, compose, k8s, iam, all (default: every one)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N files of each kind (trials, CI)")
    parser.add_argument("--scaling", action="store_true", help="also the scaling run over copies of the corpus")
    parser.add_argument("--scaling-sizes", default="1,4,16", help="corpus copies for --scaling (1,4,16)")
    parser.add_argument(
        "--tools-dir",
        type=Path,
        default=Path.home() / ".cache" / "plimsoll-bench",
        help="where the peers are installed (default: ~/.cache/plimsoll-bench)",
    )
    parser.add_argument("--write", type=Path, default=None, help="also write the Markdown to this file")
    args = parser.parse_args(argv)
    args.peers = [] if args.peers.strip() == "none" else [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [peer for peer in args.peers if peer not in tools.PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {unknown}; known: {', '.join(tools.PEERS)}, or none")
    args.kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    args.scaling_sizes = [int(size) for size in args.scaling_sizes.split(",")]
    if args.rounds < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--rounds and --limit must be at least 1")
    return args


def default_plimsoll() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPOSITORY / "target"))
    return (target if target.is_absolute() else REPOSITORY / target) / "release" / "plimsoll"


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    plimsoll = (args.plimsoll or default_plimsoll()).resolve()
    if not os.access(plimsoll, os.X_OK):
        log(f"no plimsoll binary at {plimsoll}: build it (cargo build --release -p plimsoll_cli) or pass --plimsoll")
        return 2
    corpus_root = args.corpus.resolve()
    rows = corpus.parse_index((corpus_root / "INDEX.tsv").read_text())
    file_sets = corpus.file_sets(rows, args.kinds, args.limit)
    machine_facts = machine.describe(plimsoll, REPOSITORY)

    # Only the peers that lint one of the selected kinds are installed and run.
    set_names = {file_set.name for file_set in file_sets}
    args.peers = [name for name in args.peers if set_names & set(tools.PEERS[name].kinds)]
    install_failures: dict[str, str] = {}
    for name in args.peers:
        package = tools.PEERS[name].package
        log(f"installing {package.name}=={package.version} ({package.manager}) into {args.tools_dir}")
        failure = tools.install(package, args.tools_dir)
        if failure:
            log(f"  failed: {failure}")
            install_failures[name] = f"did not install: {failure}"
    versions = {
        "plimsoll": tools.version_of("plimsoll", [str(plimsoll), "--version"]),
        "cat": tools.version_of("cat", ["cat", "--version"]),
    }
    for name in args.peers:
        if name not in install_failures:
            versions[name] = tools.version_of(name, tools.PEERS[name].version_argv(args.tools_dir))

    with tempfile.TemporaryDirectory(prefix="plimsoll-bench-") as scratch:
        log("reading every file once, so all tools read from the page cache")
        for file_set in file_sets:
            corpus.warm_page_cache(corpus_root, file_set.paths)
        results = []
        for file_set in file_sets:
            log(f"{file_set.name}: {file_set.files} files, {file_set.bytes / 1e6:.2f} MB")
            entries = tables.entries_for(
                file_set, corpus_root, Path(scratch), plimsoll, args.peers, args.tools_dir, versions, install_failures
            )
            benchmark.run_rounds(entries, args.rounds, args.repeat_slow, log=log)
            results.append((file_set, entries))
        scaling_rows = None
        if args.scaling:
            # Always the whole corpus (cut by --limit), whichever kinds the tables were for.
            whole = corpus.file_sets(rows, [corpus.ALL], args.limit)[0]
            scaling_rows = scaling.run(
                corpus_root, whole.paths, args.scaling_sizes, args.rounds, plimsoll, Path(scratch), log
            )

    command = "python3 scripts/bench/run.py" + ("" if not argv else " " + shlex.join(argv))
    document = tables.document(command, machine_facts, args, results, scaling_rows, time.monotonic() - started)
    print(document)
    if args.write:
        args.write.write_text(document)
        log(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except benchmark.PlimsollBroke as error:
        log(f"benchmark broken: {error}")
        sys.exit(1)
