"""Unit tests of measure.py: what one run reports, and that the benchmark's own memory is not counted."""

import sys
import unittest
from pathlib import Path

from measure import run_measured


class Measure(unittest.TestCase):
    def test_exit_status_and_error_output(self):
        result = run_measured(["sh", "-c", "echo broken >&2; exit 3"], Path("."))
        self.assertEqual(result.status, 3)
        self.assertEqual(result.error, "broken")
        self.assertTrue(result.failed(frozenset({0, 1})))

    def test_killed_by_a_signal(self):
        self.assertEqual(run_measured(["sh", "-c", "kill -9 $$"], Path(".")).status, -9)

    def test_a_fast_command_is_not_lost(self):
        # The shell that starts the command must not reap it before the benchmark does.
        for _ in range(20):
            self.assertEqual(run_measured(["true"], Path(".")).status, 0)

    def test_peak_memory_is_the_commands_not_the_benchmarks(self):
        ballast = bytearray(200 * 1024 * 1024)  # this process now holds 200 MiB
        small = run_measured(["true"], Path("."))
        big = run_measured(
            [sys.executable, "-c", "b = bytearray(100 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"], Path(".")
        )
        del ballast
        self.assertLess(small.peak_kb, 20 * 1024)
        self.assertGreater(big.peak_kb, 100 * 1024)
        self.assertLess(big.peak_kb, 150 * 1024)

    def test_cpu_time_covers_the_children_it_waited_for(self):
        # Each busy child reports the CPU time it used itself; comparing against that, not against another
        # timed run, keeps the test independent of how loaded the machine is.
        work = "import sys, time; sum(range(3_000_000)); print(time.process_time(), file=sys.stderr)"
        busy = f"{sys.executable} -c '{work}'"
        result = run_measured(["sh", "-c", f"{busy}; {busy}"], Path("."))
        reported = [float(line) for line in result.error.split()]
        self.assertEqual(len(reported), 2)
        self.assertGreater(result.cpu, 0.9 * sum(reported))

    def test_a_missing_program_is_a_failure_not_a_crash(self):
        result = run_measured(["/nonexistent/tool"], Path("."))
        self.assertEqual(result.status, 127)


if __name__ == "__main__":
    unittest.main()
