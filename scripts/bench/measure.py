"""One timed run of a command: wall time from a monotonic clock, and CPU time and peak memory from the
kernel's accounting of the process, taken with os.wait4.

Why the command is not simply this script's child: Linux keeps the peak RSS a process had before it called
exec, and a child forked from Python starts with Python's pages, so `cat` would report this script's 15 MB or
more. The command is therefore started by a small shell that puts it in the background and exits at once;
this script, registered as the "child subreaper", inherits the orphan and waits for it with wait4. The
command then starts from the shell's small memory image, as it would from a user's shell."""

from __future__ import annotations

import ctypes
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36

# Forks a subshell that waits on a gate (the pipe whose descriptor is $1) and then becomes "$@" with standard
# input closed, output discarded and errors to $2; prints its pid and exits, orphaning it. The gate keeps the
# command from finishing, and the shell from reaping it, before this script has inherited it.
LAUNCHER = """gate=$1 errors=$2; shift 2
(read -r _ <&"$gate"; eval "exec $gate<&-"; exec "$@") </dev/null >/dev/null 2>"$errors" &
echo $!"""


@dataclass(frozen=True)
class Run:
    """What one run cost. `cpu` is user + system seconds; `peak_kb` is ru_maxrss."""

    wall: float
    cpu: float
    peak_kb: int
    status: int  # exit code, or -signal when killed
    error: str  # the end of its standard error, kept to explain a failure

    def failed(self, ok_statuses: frozenset[int]) -> bool:
        return self.status not in ok_statuses


_subreaper = False


def _become_subreaper() -> None:
    global _subreaper
    if _subreaper:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    _subreaper = True


def run_measured(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `argv` in `cwd` with standard output discarded and standard input closed.

    wait4 reports the command's own usage plus that of every descendant it waited for, so CPU time covers
    the whole process tree of a tool that forks workers and reaps them. ru_maxrss, however, is the largest
    single process of that tree, not the sum of concurrent ones."""
    _become_subreaper()
    gate_read, gate_write = os.pipe()
    with tempfile.NamedTemporaryFile(prefix="bench-stderr-") as stderr:
        try:
            launcher = subprocess.run(
                ["/bin/sh", "-c", LAUNCHER, "sh", str(gate_read), stderr.name, *argv],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                pass_fds=(gate_read,),
                check=False,
            )
        finally:
            os.close(gate_read)
        try:
            pid = int(launcher.stdout)
        except ValueError:
            os.close(gate_write)
            return Run(0.0, 0.0, 0, -255, f"could not start {argv[0]}: launcher said {launcher.stdout!r}")
        start = time.monotonic()
        os.close(gate_write)  # end of file on the gate: the command starts
        _, wait_status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - start
        status = os.waitstatus_to_exitcode(wait_status)
        stderr.seek(0, os.SEEK_END)
        stderr.seek(max(0, stderr.tell() - 2000))
        tail = stderr.read().decode(errors="replace").strip()
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_kb=usage.ru_maxrss, status=status, error=tail)
