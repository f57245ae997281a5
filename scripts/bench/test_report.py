"""Unit tests of the formatting, medians, pair-by-pair ratios and verdicts in report.py."""

import unittest

import report
from measure import Run


def run(wall: float, cpu: float = 0.0, peak_kb: int = 1000) -> Run:
    return Run(wall=wall, cpu=cpu, peak_kb=peak_kb, status=0, error="")


class Formatting(unittest.TestCase):
    def test_significant_digits(self):
        cases = {
            0.00123: "0.00123",
            0.5: "0.500",
            1.234: "1.23",
            12.34: "12.3",
            123.4: "123",
            12345.6: "12,300",
            99.96: "100",
            9.996: "10.0",
            0: "0",
        }
        for value, expected in cases.items():
            self.assertEqual(report.significant(value), expected, value)

    def test_units(self):
        self.assertEqual(report.seconds(1.5), "1.50 s")
        self.assertEqual(report.megabytes(97_657), "100 MB")  # KiB from ru_maxrss into 10^6-byte MB
        self.assertEqual(report.rate(6560, 2.0), "3,280")
        self.assertEqual(report.rate(22.0, 2.0, "MB/s"), "11.0 MB/s")
        self.assertEqual(report.rate(1, 0.0), "—")
        self.assertEqual(report.times(None), "—")
        self.assertEqual(report.times(312.4), "312×")

    def test_table_aligns_numbers_right_and_escapes_pipes(self):
        text = report.table(["tool", "version", "wall"], [["a|b", "1", "2 s"]])
        self.assertEqual(
            text.splitlines(), ["| tool | version | wall |", "| --- | --- | ---: |", "| a\\|b | 1 | 2 s |"]
        )


class Statistics(unittest.TestCase):
    def test_median_run_takes_each_measure_on_its_own(self):
        median = report.median_run([run(1.0, 5.0, 300), run(3.0, 1.0, 100), run(2.0, 3.0, 200)])
        self.assertEqual((median.wall, median.cpu, median.peak_kb), (2.0, 3.0, 200))

    def test_paired_ratio_pairs_runs_of_the_same_round(self):
        peer = [run(100.0), run(300.0), run(120.0)]
        plimsoll = [run(1.0), run(1.0), run(0.4)]
        # Rounds: 100×, 300×, 300×: the median of the pairs, not the ratio of the medians (120 / 1 = 120×).
        self.assertEqual(report.paired_ratio(peer, plimsoll, "wall"), 300.0)

    def test_paired_ratio_skips_rounds_one_side_did_not_run(self):
        self.assertEqual(report.paired_ratio([run(60.0), None, None], [run(0.2), run(0.1), run(0.1)], "wall"), 300.0)
        self.assertIsNone(report.paired_ratio([None], [run(1.0)], "wall"))

    def test_paired_ratio_of_cpu_time(self):
        self.assertEqual(report.paired_ratio([run(1.0, cpu=8.0)], [run(1.0, cpu=2.0)], "cpu"), 4.0)


class Verdicts(unittest.TestCase):
    def test_at_least(self):
        self.assertEqual(report.at_least("t", 300.0, 300).word, "PASS")
        self.assertEqual(report.at_least("t", 299.9, 300).word, "FAIL")
        self.assertEqual(report.at_least("t", None, 300).word, "NOT MEASURED")

    def test_wall_and_cpu(self):
        ratio, shown = report.wall_and_cpu([run(3.0, cpu=8.0)], [run(1.0, cpu=2.0)])
        self.assertEqual((ratio, shown), (3.0, "3.00× (CPU: 4.00×)"))

    def test_at_most(self):
        self.assertEqual(report.at_most("t", 3.0, 3.0, "3×").word, "PASS")
        self.assertEqual(report.at_most("t", 3.1, 3.0, "3.1×").word, "FAIL")

    def test_files_checked_from_the_summary_line(self):
        line = "Found 38797 problems (1237 errors, 22912 warnings, 14648 info) in 3887 of 5173 files checked."
        self.assertEqual(report.files_checked(line), 5173)
        self.assertEqual(report.files_checked("No problems found in 1 file checked."), 1)
        self.assertIsNone(report.files_checked("no summary"))


if __name__ == "__main__":
    unittest.main()
