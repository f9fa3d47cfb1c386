"""The two portfolios side by side: sat racing smt over reals in two processes, against the two
alternating in doubling time slices in one.

    python -m benchmarks.portfolio_bench [--timeout 120] [--out benchmarks/results/portfolio.json]

Each instance runs through `realize.backends.racing.Racing` and then through
`realize.backends.portfolio.Alternating` (the same members: the sat strategy, and z3 over
unbounded real weights as the refuter), in this process; every witness is verified and the two
answers must agree (`instances`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.instances import random7, random8
from realize.backends.portfolio import Alternating
from realize.backends.racing import Racing, can_race
from realize.backends.smt import SmtBackend
from realize.backends.strategy import SatBackend
from realize.options import Deadline, Options
from realize.readers.registry import parse_function
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness


def instances() -> list[tuple[str, BooleanFunction, Architecture]]:
    """The skip-connection question the refuter decides, and three long ones for sat (the
    benchmark families' seeded functions)."""
    skip = Architecture.parse("6-1-1", skip=True)
    picked = {i.name: i for i in random7() + random8() if i.name in ("planted7 7-5-1", "uniform8 8-3-1")}
    return [("x0x1 or x2x3 or x4x5 6-1-1 skip", parse_function("x0 & x1 | x2 & x3 | x4 & x5", 6), skip),
            ("parity6 6-5-1", parse_function("parity", 6), Architecture.parse("6-5-1")),
            *((name, i.f, i.arch) for name, i in sorted(picked.items()))]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--out", default="benchmarks/results/portfolio.json")
    args = p.parse_args(argv)
    if not can_race():
        raise SystemExit("racing needs the fork start method and two usable cores")
    sat, smt = SatBackend(), SmtBackend()
    portfolios = {"racing": Racing("portfolio", sat, smt), "alternating": Alternating("portfolio", sat, smt)}
    warm_up = (parse_function("96", 3), Architecture.parse("3-2-1"))  # z3 and the encoders imported
    for portfolio in portfolios.values():
        portfolio.decide(*warm_up, Bounds(), Options(), Deadline())
    records = []
    print("| instance | answer | racing (s) | decided by | alternating (s) | decided by "
          "| alternating/racing |")
    print("|---|---|---|---|---|---|---|")
    for name, f, arch in instances():
        row = {}
        for label, portfolio in portfolios.items():
            start = time.perf_counter()
            d = portfolio.decide(f, arch, Bounds(), Options(), Deadline.after(args.timeout))
            spent = time.perf_counter() - start
            if d.network is not None:
                verify_witness(d.network, f, Bounds())
            row[label] = (d.status.value, spent, d.stats.decided_by)
        statuses = {status for status, _, _ in row.values() if status != "unknown"}
        if len(statuses) > 1:
            raise SystemExit(f"the portfolios disagree on {name}: {row}")
        (rs, rt, rb), (als, at, ab) = row["racing"], row["alternating"]
        answer = " / ".join(sorted(statuses)) or "unknown"

        def shown(status: str, seconds: float) -> str:
            return f"{seconds:.2f}" + (" (unknown)" if status == "unknown" else "")

        print(f"| {name} | {answer} | {shown(rs, rt)} | {rb} | {shown(als, at)} | {ab} "
              f"| {at / max(rt, 1e-9):.1f}x |", flush=True)
        records.append({"instance": name, "racing": row["racing"], "alternating": row["alternating"]})
    Path(args.out).write_text(json.dumps({"timeout_s": args.timeout, "records": records,
                                          "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())},
                                         indent=1))


if __name__ == "__main__":
    main()
