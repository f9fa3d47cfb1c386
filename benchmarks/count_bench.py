"""Count the functions of tiny architectures with two methods each and time them.

    python benchmarks/count_bench.py                 # the cases with n <= 4 (a few minutes)
    python benchmarks/count_bench.py --arch 5-2-1    # 5-2-1: two methods, several minutes, 4 GiB each
    python benchmarks/count_bench.py --json out.json

Each row: architecture, method, count, capacity bits, fraction, the Baldi-Vershynin formula,
wall-clock and CPU seconds (the CPU time is the better figure on a shared machine).
The script exits 1 if two methods disagree on a count.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from realize.apps.counting import count

#: (architecture, keyword arguments, methods to run): the first method is the fast one.
CASES = [
    ("4-1", {}, ["npn", "direct", "allsat"]),
    ("4-1", {"nonneg": True}, ["direct", "allsat"]),
    ("4-1", {"max_weight": 2}, ["npn", "direct", "allsat"]),
    ("2-2-1", {}, ["npn", "direct", "allsat"]),
    ("3-2-1", {}, ["npn", "direct", "allsat"]),
    ("3-2-2", {}, ["direct", "allsat"]),
    ("4-1-1", {}, ["npn", "direct"]),
    ("4-2-1", {}, ["npn", "and-pairs", "direct", "perm"]),
    ("4-3-1", {}, ["npn", "perm", "allsat"]),
    ("4-4-1", {}, ["npn", "perm"]),
    ("4-2-1", {"skip": True}, ["npn", "perm"]),
    ("4-3-1", {"skip": True}, ["npn"]),
    ("4-4-1", {"skip": True}, ["npn"]),
    ("4-2-1", {"nonneg": True}, ["perm", "direct", "allsat"]),
    ("4-4-1", {"nonneg": True}, ["perm", "allsat"]),
    ("4-2-1", {"max_bias": 1}, ["perm", "direct", "allsat"]),
    ("4-3-1", {"max_bias": 1}, ["perm", "allsat"]),
    ("4-4-1", {"max_bias": 1}, ["perm"]),
    ("5-1", {}, ["direct"]),
    ("5-2-1", {}, ["and-pairs", "direct"]),
]
DEFAULT = [case for case in CASES if not case[0].startswith("5")]


def run(cases: list) -> tuple[list[dict], bool]:
    rows, agree = [], True
    for arch, kwargs, methods in cases:
        counts = set()
        for method in methods:
            start, cpu = time.perf_counter(), time.process_time()
            r = count(arch, method=method, **kwargs)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            counts.add(r.count)
            row = {"arch": arch + "".join(f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}")
                                          for k, v in kwargs.items()),
                   "method": method, "count": r.count, "total": r.total,
                   "capacity_bits": round(r.capacity_bits, 4), "fraction": r.fraction,
                   "formula_bits": r.formula_bits, "seconds": round(seconds, 2),
                   "cpu_seconds": round(cpu, 2)}
            rows.append(row)
            print(f"| {row['arch']} | {method} | {r.count} | {row['capacity_bits']} | "
                  f"{r.fraction:.6g} | {r.formula_bits} | {seconds:.2f} | {cpu:.2f} |", flush=True)
        if len(counts) > 1:
            print(f"DISAGREEMENT on {arch} {kwargs}: {sorted(counts)}", file=sys.stderr)
            agree = False
    return rows, agree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", action="append", help="only these architectures (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args()
    cases = DEFAULT if not args.arch else [c for c in CASES if c[0] in args.arch]
    print("| architecture | method | count | capacity bits | fraction | B-V formula | seconds | CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    rows, agree = run(cases)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
