"""Alternating runs: each table's tools run round-robin (plimsoll, cat, each peer, then plimsoll again …), so
a peer is always compared with the plimsoll run next to it, and a change in the machine's load hits every
tool alike."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import Run, run_measured

# A peer whose first run takes longer than this runs only once, unless repeats are asked for.
SLOW_SECONDS = 60.0


class PlimsollBroke(RuntimeError):
    """plimsoll (or the cat floor) failed: the benchmark itself is broken, not a peer."""


@dataclass
class Entry:
    """One row of a table: a tool on a file set, and its runs by round (None where it did not run)."""

    label: str
    role: str  # "plimsoll", "walk" (plimsoll on the directory), "floor" (cat), "peer"
    version: str
    argv: list[str]
    cwd: Path
    files: int
    bytes: int
    ok_statuses: frozenset[int]
    env: dict[str, str] | None = None
    failure: str | None = None  # why it did not install or run
    runs: list[Run | None] = field(default_factory=list)

    def measured(self) -> list[Run]:
        return [run for run in self.runs if run is not None]


def run_rounds(
    entries: list[Entry],
    rounds: int,
    repeat_slow: bool,
    runner: Callable[[list[str], Path, dict[str, str] | None], Run] = run_measured,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> None:
    """Run the entries round-robin for `rounds` rounds, filling in their runs."""
    for round_index in range(rounds):
        for entry in entries:
            if not _runs_this_round(entry, round_index, repeat_slow):
                entry.runs.append(None)
                continue
            run = runner(entry.argv, entry.cwd, entry.env)
            entry.runs.append(run)
            outcome = "ok" if not run.failed(entry.ok_statuses) else f"FAILED with status {run.status}"
            log(
                f"  round {round_index + 1}: {entry.label}: {run.wall:.3f} s wall, {run.cpu:.3f} s CPU, "
                f"{run.peak_kb / 1024:.1f} MiB, {outcome}"
            )
            if run.failed(entry.ok_statuses):
                message = f"exited with status {run.status}: {run.error[-400:] or 'no message'}"
                if entry.role != "peer":
                    raise PlimsollBroke(f"{entry.label} {message}")
                entry.failure = message


def _runs_this_round(entry: Entry, round_index: int, repeat_slow: bool) -> bool:
    if entry.failure is not None:
        return False
    if round_index == 0 or entry.role != "peer" or repeat_slow:
        return True
    first = entry.runs[0]
    return first is not None and first.wall <= SLOW_SECONDS
