"""The scaling run: 1×, 4×, 16× copies of the corpus side by side in one directory, each walked by plimsoll
and read by `cat` (through `find -exec cat {} +`, as 16 copies are too many paths for one command line),
alternating; the copies are deleted after each size."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import benchmark
import corpus


@dataclass
class Size:
    copies: int
    files: int
    bytes: int
    plimsoll: benchmark.Entry
    floor: benchmark.Entry


def run(
    corpus_root: Path,
    paths: tuple[str, ...],
    sizes: list[int],
    rounds: int,
    plimsoll: Path,
    scratch: Path,
    log: Callable[[str], None],
) -> list[Size]:
    one_copy = sum((corpus_root / path).stat().st_size for path in paths)
    results = []
    for copies in sizes:
        tree = scratch / f"scaling-{copies}"
        log(f"scaling: {copies}× the corpus ({copies * len(paths)} files, {copies * one_copy / 1e6:.0f} MB)")
        corpus.replicate(corpus_root, paths, tree, copies)
        corpus.warm_page_cache(tree, tuple(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file()))
        files, size = copies * len(paths), copies * one_copy
        walk_argv = [str(plimsoll), "check", "--format", "json", "."]
        floor_argv = ["find", ".", "-type", "f", "-exec", "cat", "{}", "+"]
        walk = benchmark.Entry(label=f"plimsoll ×{copies}", role="walk", version="", cwd=tree, files=files,
                               bytes=size, argv=walk_argv, ok_statuses=frozenset({0, 1}))  # fmt: skip
        floor = benchmark.Entry(label=f"cat ×{copies}", role="floor", version="", cwd=tree, files=files,
                                bytes=size, argv=floor_argv, ok_statuses=frozenset({0}))  # fmt: skip
        try:
            benchmark.run_rounds([walk, floor], rounds, repeat_slow=True, log=log)
        finally:
            shutil.rmtree(tree, ignore_errors=True)
        results.append(Size(copies, files, size, walk, floor))
    return results
