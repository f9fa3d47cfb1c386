"""Whole-process time of small ``realize check`` commands: start-up, imports and the check.

Run: ``python -m benchmarks.startup`` (about 20 s), or ``--baseline DIR`` to alternate, run by
run, with the package of another checkout (DIR holds its ``realize`` folder, e.g. one made by
``git worktree add /tmp/base <commit>``). Each command is a fresh ``python -m realize ...`` run
in the checkout's folder, so that its package is the one imported; bytecode is compiled first,
as an installed package has it. Floors for comparison: the bare interpreter, and the two
libraries the check path needs (``FLOORS``).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["-m", "realize", "check", "e8", "--arch", "3-1"],
    ["-m", "realize", "check", "6996", "--arch", "4-3-1"],
]
#: the bare interpreter, and the libraries the check path needs (numpy as the command loads it)
FLOORS = [
    ["-c", "pass"],
    ["-c", "import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); import numpy, pysat.solvers"],
]


def wall(args: list[str], tree: Path) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree), os.environ.get("PYTHONPATH", "")]))
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, cwd=tree, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default 21)")
    parser.add_argument("--baseline", type=Path, help="a checkout to compare with, run by run")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    for tree in trees.values():
        compileall.compile_dir(tree / "realize", quiet=1)
    print("| command | " + " | ".join(f"{name} median ms" for name in trees) + " |")
    print("| --- |" + " --- |" * len(trees))
    for command in COMMANDS + FLOORS:
        for tree in trees.values():  # warm-up: the file cache
            wall(command, tree)
        times: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():  # alternate, so that a drift hits both alike
                times[name].append(wall(command, tree))
        medians = " | ".join(f"{statistics.median(t) * 1e3:.0f}" for t in times.values())
        print(f"| `python {' '.join(command)}` | {medians} |", flush=True)


if __name__ == "__main__":
    main()
