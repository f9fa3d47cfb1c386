"""The layered tables (`realize.backends.layers`) against the plain CNF on deep networks, exact mode.

    python -m benchmarks.layers_bench                  # the table in benchmarks/README.md
    python -m benchmarks.layers_bench --timeout 60 --out benchmarks/results/layers.json

Each instance is decided, one after the other in this one process, by ``cnf`` (the plain
exact-mode CNF, `realize.backends.strategy.decide_cnf`, every sound symmetry rule, automatic
number encoding) and by ``layers`` (`realize.backends.layers.decide_by_layers`, its symmetric
probes included); neither runs the small-weight probe, which the sat strategy runs before
both. Instances (seeded, `benchmarks.numbers_bench.pair`: a uniformly random table and a
function planted by a random network of the architecture): the two kinds on 4-2-2-1, 4-2-1-1,
4-3-2-1, 5-2-2-1, 5-3-3-1, 6-3-2-1, 6-3-3-1 and 7-2-2-1; parity 4 on 4-2-2-1, 5 on 5-2-2-1,
5-3-2-1 and 5-4-2-1, 6 on 6-3-2-1 and 6-5-2-1, 7 on 7-2-2-1. Witnesses are verified; any two
decided answers must agree (exit code 1 otherwise). Times are wall-clock seconds, encoding
included.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.instances import Instance
from benchmarks.numbers_bench import pair
from realize.backends.layers import decide_by_layers
from realize.backends.strategy import decide_cnf
from realize.options import Deadline, Options
from realize.readers.families import family_function
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.verify import verify_witness

METHODS = ("cnf", "layers")
RANDOM_ARCHS = ("4-2-2-1", "4-2-1-1", "4-3-2-1", "5-2-2-1", "5-3-3-1", "6-3-2-1", "6-3-3-1", "7-2-2-1")
PARITY_ARCHS = ("4-2-2-1", "5-2-2-1", "5-3-2-1", "5-4-2-1", "6-3-2-1", "6-5-2-1", "7-2-2-1")


def instances(seed: int = 13) -> list[Instance]:
    rng = np.random.default_rng(seed)
    out = [i for a in RANDOM_ARCHS for i in pair("random", int(a.split("-")[0]), a, rng)]
    for a in PARITY_ARCHS:
        n = int(a.split("-")[0])
        out.append(Instance("parity", f"parity{n} {a}", family_function("parity", n), Architecture.parse(a)))
    return out


def run_one(method: str, inst: Instance, timeout: float) -> dict:
    start = time.perf_counter()
    decide = decide_cnf if method == "cnf" else decide_by_layers
    d = decide(inst.f, inst.arch, Bounds(), Options(), Deadline.after(timeout))
    if d.network is not None:
        verify_witness(d.network, inst.f, Bounds())
    return {"instance": inst.name, "method": method, "status": d.status.value,
            "time_s": round(time.perf_counter() - start, 3), "conflicts": d.stats.conflicts,
            "extra": d.stats.extra}


def table(records: list[dict]) -> str:
    by = {(r["instance"], r["method"]): r for r in records}
    lines = ["| instance | answer | cnf s (conflicts) | layers s (conflicts) |", "|---|---|---|---|"]
    for name in dict.fromkeys(r["instance"] for r in records):
        got = [by.get((name, m)) for m in METHODS]
        answers = {r["status"] for r in got if r and r["status"] != "unknown"}
        cells = [f"{r['time_s']:.2f} ({r['conflicts']:,})" if r["status"] != "unknown" else
                 f"unknown at {r['time_s']:.0f}" for r in got if r]
        lines.append(f"| {name} | {'/'.join(sorted(answers)) or 'unknown'} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    records = []
    for inst in instances():
        for method in METHODS:
            records.append(run_one(method, inst, args.timeout))
            print(json.dumps(records[-1]), file=sys.stderr, flush=True)
    if args.out is not None:
        args.out.write_text(json.dumps(records, indent=1) + "\n")
    print(table(records))
    disagree = [name for name in {r["instance"] for r in records}
                if len({r["status"] for r in records if r["instance"] == name} - {"unknown"}) > 1]
    if disagree:
        print("answers disagree:", ", ".join(sorted(disagree)))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
