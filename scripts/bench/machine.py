"""The machine a benchmark ran on, for the record: CPU, cores, memory, kernel, OS, rustc, plimsoll's version
and commit."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def _first_line(argv: list[str], cwd: Path | None = None) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = result.stdout.strip().splitlines()
    return lines[0].strip() if result.returncode == 0 and lines else "unknown"


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        return fields.get("PRETTY_NAME", "unknown").strip('"')
    except OSError:
        return "unknown"


def describe(plimsoll: Path, repository: Path) -> list[tuple[str, str]]:
    """(what, value) pairs describing this machine and the plimsoll under test."""
    memory_kb = _proc_field("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_kb.split()[0]) / 1024**2:.1f} GiB" if memory_kb else "unknown"
    commit = _first_line(["git", "rev-parse", "--short=12", "HEAD"], repository)
    dirty = _first_line(["sh", "-c", "git status --porcelain --untracked-files=no | head -1"], repository)
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        ("CPU", _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
        ("cores", f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable by this run"),
        ("memory", memory),
        ("kernel", f"{platform.system()} {platform.release()}"),
        ("OS", _os_name()),
        ("rustc", _first_line(["rustc", "--version"])),
        ("plimsoll", f"{_first_line([str(plimsoll), '--version'])} ({plimsoll})"),
        ("commit", commit + (" with uncommitted changes" if dirty not in ("", "unknown") else "")),
        ("load average at the start (1/5/15 min)", load),
    ]
