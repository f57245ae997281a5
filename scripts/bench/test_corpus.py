"""Unit tests of INDEX.tsv parsing, file-set selection and the hard-link trees in corpus.py."""

import os
import tempfile
import unittest
from pathlib import Path

import corpus

INDEX = """kind\tpath\tbytes\tdocs\tsha256
dockerfile\ta/Dockerfile\t10\t1\tx
k8s\tb/deploy.yaml\t20\t1\tx
dockerfile\tc/app.dockerfile\t30\t1\tx
iam\td/policy\t40\t1\tx
"""


class Index(unittest.TestCase):
    def test_columns_are_found_by_name(self):
        rows = corpus.parse_index("path\tbytes\tkind\nx/Dockerfile\t5\tdockerfile\n")
        self.assertEqual(rows, [("dockerfile", "x/Dockerfile", 5)])

    def test_malformed_rows_are_errors(self):
        with self.assertRaises(ValueError):
            corpus.parse_index("kind\tpath\tbytes\ndockerfile\tx\tmany\n")
        with self.assertRaises(ValueError):
            corpus.parse_index("kind\tpath\n")

    def test_file_sets_keep_index_order_and_limit_each_kind(self):
        sets = corpus.file_sets(corpus.parse_index(INDEX), ["dockerfile", "all"], limit=None)
        self.assertEqual([s.name for s in sets], ["dockerfile", "all"])
        self.assertEqual(sets[0].paths, ("a/Dockerfile", "c/app.dockerfile"))
        self.assertEqual(sets[0].bytes, 40)
        self.assertEqual(sets[1].files, 4)
        limited = corpus.file_sets(corpus.parse_index(INDEX), ["all"], limit=1)
        self.assertEqual(limited[0].paths, ("a/Dockerfile", "b/deploy.yaml", "d/policy"))
        self.assertEqual(limited[0].bytes, 70)

    def test_unknown_kinds_are_refused(self):
        with self.assertRaises(ValueError):
            corpus.file_sets(corpus.parse_index(INDEX), ["helm"], limit=None)


class Trees(unittest.TestCase):
    def test_link_tree_keeps_paths_and_shares_inodes(self):
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch, "corpus")
            (root / "a").mkdir(parents=True)
            (root / "a" / "Dockerfile").write_text("FROM scratch\n")
            made = corpus.link_tree(root, ("a/Dockerfile",), Path(scratch, "tree"))
            linked = Path(scratch, "tree", "a", "Dockerfile")
            self.assertEqual(linked.read_text(), "FROM scratch\n")
            self.assertEqual(made, "hard links")
            self.assertEqual(os.stat(linked).st_ino, os.stat(root / "a" / "Dockerfile").st_ino)

    def test_replicate_makes_side_by_side_copies(self):
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch, "corpus")
            root.mkdir()
            (root / "policy").write_text("{}")
            corpus.replicate(root, ("policy",), Path(scratch, "copies"), 3)
            found = sorted(str(p.relative_to(scratch)) for p in Path(scratch, "copies").rglob("policy"))
            self.assertEqual(found, ["copies/copy-00/policy", "copies/copy-01/policy", "copies/copy-02/policy"])


if __name__ == "__main__":
    unittest.main()
