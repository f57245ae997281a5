"""Unit tests of the alternating rounds in benchmark.py and of the tables made from them, with a fake runner."""

import unittest
from pathlib import Path

import benchmark
import corpus
import tables
from benchmark import Entry
from measure import Run


def entry(label: str, role: str) -> Entry:
    return Entry(label=label, role=role, version=f"{label} 1.0", argv=[label], cwd=Path("."), files=10,
                 bytes=1_000_000, ok_statuses=frozenset({0, 1}))  # fmt: skip


class FakeRunner:
    """Answers each tool with the next of its scripted runs, and records the order of the calls."""

    def __init__(self, scripts: dict[str, list[Run]]):
        self.scripts = scripts
        self.calls: list[str] = []

    def __call__(self, argv, cwd, env):
        self.calls.append(argv[0])
        return self.scripts[argv[0]].pop(0)


def ok(wall: float) -> Run:
    return Run(wall=wall, cpu=wall, peak_kb=10_000, status=0, error="")


class Rounds(unittest.TestCase):
    def test_tools_alternate_round_by_round(self):
        entries = [entry("plimsoll", "plimsoll"), entry("cat", "floor"), entry("hadolint", "peer")]
        runner = FakeRunner({"plimsoll": [ok(0.1)] * 2, "cat": [ok(0.05)] * 2, "hadolint": [ok(30.0)] * 2})
        benchmark.run_rounds(entries, 2, repeat_slow=False, runner=runner, log=lambda _: None)
        self.assertEqual(runner.calls, ["plimsoll", "cat", "hadolint"] * 2)

    def test_a_slow_peer_runs_once_unless_repeats_are_asked_for(self):
        for repeat_slow, expected_runs in ((False, 1), (True, 3)):
            entries = [entry("plimsoll", "plimsoll"), entry("checkov", "peer")]
            runner = FakeRunner({"plimsoll": [ok(1.0)] * 3, "checkov": [ok(900.0)] * 3})
            benchmark.run_rounds(entries, 3, repeat_slow=repeat_slow, runner=runner, log=lambda _: None)
            self.assertEqual(len(entries[1].measured()), expected_runs)
            self.assertEqual(len(entries[1].runs), 3)  # a None for each round it sat out

    def test_a_failing_peer_is_reported_and_not_run_again(self):
        entries = [entry("plimsoll", "plimsoll"), entry("trivy", "peer")]
        broken = Run(wall=1.0, cpu=0.5, peak_kb=1, status=2, error="FATAL cannot load checks")
        runner = FakeRunner({"plimsoll": [ok(1.0)] * 2, "trivy": [broken]})
        benchmark.run_rounds(entries, 2, repeat_slow=False, runner=runner, log=lambda _: None)
        self.assertIn("FATAL cannot load checks", entries[1].failure)
        text, notes = tables.kind_table(entries)
        self.assertIn("| trivy (failed) |", text)
        self.assertTrue(any("trivy failed" in note and "status 2" in note for note in notes))

    def test_plimsoll_failing_breaks_the_benchmark(self):
        entries = [entry("plimsoll", "plimsoll")]
        crash = Run(wall=0.1, cpu=0.1, peak_kb=1, status=-11, error="")
        with self.assertRaises(benchmark.PlimsollBroke):
            benchmark.run_rounds(entries, 1, False, runner=FakeRunner({"plimsoll": [crash]}), log=lambda _: None)


class Tables(unittest.TestCase):
    def test_ratios_in_the_table(self):
        entries = [entry("plimsoll", "plimsoll"), entry("cat", "floor"), entry("hadolint", "peer")]
        runner = FakeRunner({"plimsoll": [ok(0.2)], "cat": [ok(0.1)], "hadolint": [ok(60.0)]})
        benchmark.run_rounds(entries, 1, False, runner=runner, log=lambda _: None)
        rows = tables.kind_table(entries)[0].splitlines()
        self.assertEqual(
            rows[2],
            "| plimsoll | plimsoll 1.0 | 1 | 10 | 0.200 s | 0.200 s | 10.2 MB | 50.0 | 5.00 MB/s | 2.00× |  |  |",
        )
        self.assertTrue(rows[4].endswith("|  | 300× | 300× |"), rows[4])
        self.assertTrue(rows[3].endswith("|  |  |  |"), rows[3])  # cat: the floor itself

    def test_verdicts_judge_the_targets_and_name_what_was_not_measured(self):
        entries = [entry("plimsoll", "plimsoll"), entry("cat", "floor"), entry("hadolint", "peer")]
        runner = FakeRunner({"plimsoll": [ok(0.2)], "cat": [ok(0.1)], "hadolint": [ok(70.0)]})
        benchmark.run_rounds(entries, 1, False, runner=runner, log=lambda _: None)
        dockerfile = corpus.FileSet("dockerfile", ("a",) * 10, 1_000_000)
        found = {v.target: v for v in tables.verdicts([(dockerfile, entries)], sizes=None)}
        self.assertEqual(found["plimsoll within 3× of `cat`: Dockerfile"].word, "PASS")
        self.assertEqual(found["≥ 300× hadolint's throughput: Dockerfile"].word, "PASS")
        self.assertEqual(found["≥ 300× hadolint's throughput: Dockerfile"].measured, "350× (CPU: 350×)")
        self.assertEqual(found["≥ 300× dclint's throughput: Compose"].measured, "not selected")
        self.assertEqual(found["plimsoll peak memory < 100 MB: whole corpus"].word, "NOT MEASURED")


if __name__ == "__main__":
    unittest.main()
