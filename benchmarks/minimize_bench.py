"""Smallest networks: the 4-input NPN classification and the 5-input parity minima, timed.

    python benchmarks/minimize_bench.py                 # both, 2 worker processes
    python benchmarks/minimize_bench.py --only classify --jobs 2 --json
    python benchmarks/minimize_bench.py --only parity --inputs 5
    python benchmarks/minimize_bench.py --only portfolio     # sat and smt-real complement

Prints the distribution of minima over the NPN classes (layered hidden units, then units in
all with skip connections) and, for parity and a 6-input function whose refutation only the
smt-real half of the portfolio finds quickly, each check of the search with its time.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from realize.apps.classify import classify
from realize.apps.minimize import minimize


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_classify(n: int, jobs: int) -> list[dict]:
    records = []
    for skip in (False, True):
        cpu = cpu_seconds()
        c = classify(n, skip=skip, workers=jobs)
        cpu = cpu_seconds() - cpu
        print(c.report().split("\ntime:")[0])
        print(f"time: {c.time_s:.1f} s wall, {cpu:.1f} s CPU, {jobs} worker(s)\n", flush=True)
        records.append({"skip": skip, "time_s": round(c.time_s, 3), "cpu_s": round(cpu, 3),
                        "workers": jobs, "distribution": c.distribution()})
    return records


def run_minimize(label: str, function: str, n: int, skip: bool, **options) -> dict:
    """One timed `minimize`, printed with every check it made."""
    start, cpu = time.perf_counter(), cpu_seconds()
    r = minimize(function, n, skip=skip, **options)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    mode = "units in all (skip)" if skip else "hidden units (layered)"
    print(f"{label}: {r.describe()} {mode}, {wall:.1f} s wall, {cpu:.1f} s CPU")
    for a in r.attempts:
        print(f"  {a.arch:<16} {'probe' if a.probe else a.backend:<9} {a.status.value:<13} "
              f"{a.time_s:7.2f} s")
    return {"label": label, "skip": skip, "minimum": r.minimum, "lower": r.lower,
            "upper": r.upper, "time_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "attempts": [a.to_dict() for a in r.attempts]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", choices=["classify", "parity", "portfolio"])
    p.add_argument("--jobs", type=int, default=2, help="worker processes for classify")
    p.add_argument("--inputs", type=int, default=5, help="parity inputs (default 5)")
    p.add_argument("--timeout", type=float, help="time limit of each parity check")
    p.add_argument("--json", action="store_true", help="also print one JSON object at the end")
    args = p.parse_args()
    out = {}
    if args.only in (None, "classify"):
        out["classify4"] = run_classify(4, args.jobs)
    if args.only in (None, "parity"):
        out[f"parity{args.inputs}"] = [
            run_minimize(f"parity {args.inputs}", "xor", args.inputs, skip, timeout=args.timeout)
            for skip in (False, True)]
    if args.only in (None, "portfolio"):
        out["portfolio"] = [run_minimize("x0x1 | x2x3 | x4x5", "x0 & x1 | x2 & x3 | x4 & x5", 6,
                                         True, timeout=args.timeout)]
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
