"""The corpus as the benchmark sees it: the files of each kind listed in INDEX.tsv, and the trees built from
them for tools that only take a directory and for the scaling run."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# INDEX.tsv's kind names, in the order the tables are printed, and the words used for them on the command
# line and in the document.
KINDS = {"dockerfile": "Dockerfile", "compose": "Compose", "k8s": "Kubernetes", "iam": "IAM"}
ALL = "all"


@dataclass(frozen=True)
class FileSet:
    """Files of the corpus, as paths relative to its root, with their total size in bytes."""

    name: str
    paths: tuple[str, ...]
    bytes: int

    @property
    def files(self) -> int:
        return len(self.paths)


def parse_index(text: str) -> list[tuple[str, str, int]]:
    """(kind, path, bytes) for each row of INDEX.tsv, whose header names the columns."""
    lines = text.splitlines()
    if not lines:
        raise ValueError("INDEX.tsv is empty")
    header = lines[0].split("\t")
    try:
        kind_at, path_at, bytes_at = (header.index(column) for column in ("kind", "path", "bytes"))
    except ValueError as error:
        raise ValueError(f"INDEX.tsv header lacks a column: {header}") from error
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        try:
            rows.append((cells[kind_at], cells[path_at], int(cells[bytes_at])))
        except (IndexError, ValueError) as error:
            raise ValueError(f"INDEX.tsv line {number} is malformed: {line!r}") from error
    return rows


def file_sets(rows: list[tuple[str, str, int]], kinds: list[str], limit: int | None) -> list[FileSet]:
    """One file set per requested kind, in INDEX order and cut to `limit` files each, then the whole corpus
    (`all`) as the union of those sets, so `--limit` shrinks every set alike."""
    unknown = [kind for kind in kinds if kind not in KINDS and kind != ALL]
    if unknown:
        raise ValueError(f"unknown kind(s) {unknown}; known: {', '.join([*KINDS, ALL])}")
    per_kind = []
    for kind in KINDS:
        if kind not in kinds and ALL not in kinds:
            continue
        chosen = [(path, size) for row_kind, path, size in rows if row_kind == kind][:limit]
        per_kind.append(FileSet(kind, tuple(p for p, _ in chosen), sum(s for _, s in chosen)))
    sets = [s for s in per_kind if s.name in kinds]
    if ALL in kinds:
        sets.append(FileSet(ALL, tuple(p for s in per_kind for p in s.paths), sum(s.bytes for s in per_kind)))
    return sets


def warm_page_cache(root: Path, paths: tuple[str, ...]) -> None:
    """Read every file once so that the first timed run reads from memory like the others."""
    for path in paths:
        with open(root / path, "rb") as file:
            while file.read(1 << 20):
                pass


def link_tree(root: Path, paths: tuple[str, ...], destination: Path) -> str:
    """Mirror `paths` under `destination`, keeping their relative paths (tools recognise Dockerfiles by name).
    Hard links where the file system allows, so every tool reads the same inodes; else copies. Returns
    which it made."""
    made = "hard links"
    for path in paths:
        target = destination / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if made == "hard links":
            try:
                os.link(root / path, target)
                continue
            except OSError:
                made = "copies"
        shutil.copyfile(root / path, target)
    return made


def replicate(root: Path, paths: tuple[str, ...], destination: Path, copies: int) -> str:
    """`copies` side-by-side replicas of the files (copy-00/, copy-01/, …) under `destination`."""
    made = "hard links"
    for index in range(copies):
        if link_tree(root, paths, destination / f"copy-{index:02}") == "copies":
            made = "copies"
    return made
