"""Numbers into Markdown: the formatting of times, sizes, rates and ratios, the medians and pair-by-pair
ratios of alternating runs, and the issue's targets judged PASS or FAIL."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from measure import Run

# The throughput targets: (kind, peer, how many times the peer's throughput plimsoll must reach).
PEER_TARGETS = (
    ("dockerfile", "hadolint", 300),
    ("k8s", "trivy", 300),
    ("k8s", "checkov", 1000),
    ("compose", "dclint", 300),
    ("iam", "parliament", 100),
)
FLOOR_TARGET = 3.0  # plimsoll may take at most this many times as long as `cat` of the same files
MEMORY_TARGET_MB = 100.0
# "Flat" memory across the scaling run: 16 times the files may cost at most this factor in peak memory. A run
# that held per-file state would grow with the file count (about 16×); allocator and thread noise stays well
# under 1.5×.
FLAT_MEMORY_FACTOR = 1.5


def significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits (whole numbers above that in full, with thousands separators)."""
    if value == 0:
        return "0"
    value = float(f"{value:.{digits}g}")  # round first, so 99.96 becomes 100 and not 100.0
    if abs(value) >= 10 ** (digits - 1):
        return f"{round(value):,}"
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    return f"{value:.{decimals}f}"


def seconds(value: float) -> str:
    return f"{significant(value)} s"


def megabytes(kilobytes: int) -> str:
    """ru_maxrss (KiB) in MB of 10^6 bytes, the unit of the issue's 100 MB target."""
    return f"{significant(kilobytes * 1024 / 1e6)} MB"


def rate(count: float, wall: float, unit: str = "") -> str:
    """`count` per second of `wall`, followed by `unit` if any."""
    return (significant(count / wall) + (f" {unit}" if unit else "")) if wall > 0 else "—"


def times(ratio: float | None) -> str:
    return "—" if ratio is None else f"{significant(ratio)}×"


def median_run(runs: Sequence[Run]) -> Run:
    """Per measure, the median over the runs (wall, CPU and peak memory each on its own)."""
    return Run(
        wall=statistics.median(r.wall for r in runs),
        cpu=statistics.median(r.cpu for r in runs),
        peak_kb=int(statistics.median(r.peak_kb for r in runs)),
        status=runs[-1].status,
        error=runs[-1].error,
    )


def paired_ratio(numerators: Sequence[Run | None], denominators: Sequence[Run | None], measure: str) -> float | None:
    """The median over rounds of numerator/denominator for `measure` ("wall" or "cpu"), taking only rounds in
    which both ran: each run is compared with the run of the same round, which ran next to it."""
    ratios = [
        getattr(top, measure) / getattr(bottom, measure)
        for top, bottom in zip(numerators, denominators, strict=False)
        if top is not None and bottom is not None and getattr(bottom, measure) > 0
    ]
    return statistics.median(ratios) if ratios else None


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 2) -> str:
    """A Markdown table; columns from `right_from` on hold numbers and are right-aligned."""
    align = ["---" if i < right_from else "---:" for i in range(len(headers))]
    escaped = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in [list(headers), align, *escaped])


SUMMARY = re.compile(r"in (?:\d+ of )?(\d+) files? checked")


def files_checked(summary_output: str) -> int | None:
    """How many files plimsoll checked, from its summary line (`Found … in 3887 of 5173 files checked.` or
    `No problems found in 12 files checked.`)."""
    match = SUMMARY.search(summary_output)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    passed: bool | None  # None: not measured

    @property
    def word(self) -> str:
        return {True: "PASS", False: "FAIL", None: "NOT MEASURED"}[self.passed]


def at_least(target: str, ratio: float | None, needed: float, shown: str | None = None) -> Verdict:
    if ratio is None:
        return Verdict(target, "not run", None)
    return Verdict(target, shown or times(ratio), ratio >= needed)


def at_most(target: str, value: float | None, limit: float, shown: str) -> Verdict:
    if value is None:
        return Verdict(target, "not run", None)
    return Verdict(target, shown, value <= limit)


def wall_and_cpu(numerators: Sequence[Run | None], denominators: Sequence[Run | None]) -> tuple[float | None, str]:
    """The pair-by-pair wall ratio, which targets are judged on, and a text with the CPU ratio beside it."""
    wall = paired_ratio(numerators, denominators, "wall")
    cpu = paired_ratio(numerators, denominators, "cpu")
    return wall, f"{times(wall)} (CPU: {times(cpu)})"


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    return table(["target", "measured", "result"], [[v.target, v.measured, f"**{v.word}**"] for v in verdicts], 99)
