"""Number encodings of the CNF against each other and against z3, in exact mode.

    python -m benchmarks.numbers_bench                       # the table in benchmarks/README.md
    python -m benchmarks.numbers_bench --families n-1 parity --timeout 30
    python -m benchmarks.numbers_bench --summarize benchmarks/results/numbers.json

Each instance is decided, one after the other in this one process, by

- ``order``, ``binary``: the plain exact-mode CNF (`realize.backends.strategy.decide_cnf`, every
  sound symmetry rule, no probe, no case split) with that number encoding, in CaDiCaL 1.9.5;
  ``refused`` when the encoding's `practical` refuses the question (the order encoding from
  fan-in 8: W*(8) = 76 > 20);
- ``z3``: the sat strategy's SMT stage (`realize.backends.smt.decide_with_relaxation`: z3 over
  integers within the bounds and z3 over unbounded reals in a second thread; it uses both cores
  where the CNF uses one);
- ``sat``: `realize.check` with the sat backend as shipped (probe, case split, SMT stage), for
  reference.

Witnesses are verified; any two decided answers must agree (exit code 1 otherwise). Times are
wall-clock seconds including the encoding; PAR-2 counts an undecided instance as twice the
limit. Families (seeded): ``n-1`` (random 6-, 7- and 8-input tables on n-1 and planted threshold
functions), ``n-2-1`` and ``n-3-1`` (n = 6, 7, 8: a random table and a function planted by a
random network of the architecture), ``wide`` (7-4-1, 8-3-1, the same two kinds), ``deep``
(what the sat strategy gives the plain CNF or z3: parity 5 on 5-3-2-1, parity 6 on 6-3-2-1,
parity 7 on 7-2-2-1, x0x1 | x2x3 | x4x5 on 6-1-1 with skip connections, the two kinds on
6-3-2-1 and 7-2-2-1), ``small`` (weights up to 3 and 5: parity 4 on 4-2-2-1, parity 5 on
5-2-2-1, the two kinds on 4-3-2-1 and 5-2-2-1), ``parity``
(parity 5 on 5-4-1, parity 6 on 6-5-1).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from benchmarks.instances import Instance
from realize import check
from realize.backends.smt import decide_with_relaxation
from realize.backends.strategy import decide_cnf
from realize.encodings.numbers import number_encoding
from realize.options import Deadline, Options
from realize.readers.families import family_function
from realize.readers.registry import parse_function
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds, exact_max_weight
from realize.spec.functions import BooleanFunction, all_rows
from realize.spec.network import network_from_units
from realize.verify import verify_witness

SOLVERS = ("order", "binary", "z3", "sat")


def planted(arch: Architecture, rng: np.random.Generator) -> np.ndarray:
    """The table of a random network of ``arch`` (not constant): a single unit draws its weights
    from [-W*(n), W*(n)], hidden layers from [-3, 3]; biases centred."""
    rows = all_rows(arch.n_inputs)
    while True:
        weights = []
        for fanin in arch.fanins:
            w = exact_max_weight(len(fanin)) if arch.num_units == 1 else 3
            weights.append([int(v) for v in rng.integers(-w, w + 1, len(fanin))])
        biases = [-(sum(max(w, 0) for w in ws) + sum(min(w, 0) for w in ws)) // 2 for ws in weights]
        values = network_from_units(arch, weights, biases).evaluate(rows)[0]
        if 0 < values.sum() < len(values):
            return values


def pair(family: str, n: int, arch_text: str, rng: np.random.Generator) -> list[Instance]:
    """A uniformly random table and a planted function on the architecture."""
    arch = Architecture.parse(arch_text)
    rows = all_rows(n)
    table = rng.integers(0, 2, 2**n)
    return [
        Instance(family, f"planted{n} {arch_text}",
                 BooleanFunction(n, rows, planted(arch, rng)[None, :]), arch),
        Instance(family, f"uniform{n} {arch_text}", BooleanFunction(n, rows, table[None, :]), arch),
    ]


def family_instances(name: str, seed: int = 7) -> list[Instance]:
    rng = np.random.default_rng(seed)
    if name in ("n-1", "n-2-1", "n-3-1"):
        k = {"n-1": "", "n-2-1": "2-", "n-3-1": "3-"}[name]
        return [i for n in (6, 7, 8) for i in pair(name, n, f"{n}-{k}1", rng)]
    if name == "wide":
        return [i for n, a in ((7, "7-4-1"), (8, "8-3-1")) for i in pair(name, n, a, rng)]
    if name == "deep":  # what the sat strategy hands to the plain CNF or to z3 today
        g = parse_function("x0 & x1 | x2 & x3 | x4 & x5", 6)
        return [
            Instance("deep", "parity5 5-3-2-1", family_function("parity", 5),
                     Architecture.parse("5-3-2-1")),
            Instance("deep", "parity6 6-3-2-1", family_function("parity", 6),
                     Architecture.parse("6-3-2-1")),
            Instance("deep", "parity7 7-2-2-1", family_function("parity", 7),
                     Architecture.parse("7-2-2-1")),
            Instance("deep", "x0x1|x2x3|x4x5 6-1-1 skip", g, Architecture.parse("6-1-1", skip=True)),
            *pair("deep", 6, "6-3-2-1", rng),
            *pair("deep", 7, "7-2-2-1", rng),
        ]
    if name == "small":  # weights up to 3 (fan-in 4) and 5 (fan-in 5): where the rule's line falls
        return [
            Instance("small", "parity4 4-2-2-1", family_function("parity", 4),
                     Architecture.parse("4-2-2-1")),
            *pair("small", 4, "4-3-2-1", rng),
            *pair("small", 5, "5-2-2-1", rng),
            Instance("small", "parity5 5-2-2-1", family_function("parity", 5),
                     Architecture.parse("5-2-2-1")),
        ]
    if name == "parity":
        return [Instance("parity", f"parity{n} {n}-{n - 1}-1", family_function("parity", n),
                         Architecture.parse(f"{n}-{n - 1}-1")) for n in (5, 6)]
    raise ValueError(name)


FAMILIES = ("n-1", "n-2-1", "n-3-1", "wide", "deep", "small", "parity")


def run_one(solver: str, inst: Instance, timeout: float) -> dict:
    """One solver on one instance: status (or ``refused``), wall time, conflicts."""
    bounds = Bounds()
    record = {"family": inst.family, "instance": inst.name, "solver": solver}
    start = time.perf_counter()
    deadline = Deadline.after(timeout)
    conflicts = None
    if solver in ("order", "binary"):
        refusal = number_encoding(solver).practical(inst.arch, bounds, inst.f.num_rows)
        if refusal is not None:
            return {**record, "status": "refused", "time_s": None, "reason": refusal}
        d = decide_cnf(inst.f, inst.arch, bounds, Options(numbers=solver), deadline)
        network, status, conflicts = d.network, d.status.value, d.stats.conflicts
        record.update(vars=d.stats.vars, clauses=d.stats.clauses)
    elif solver == "z3":
        d = decide_with_relaxation(inst.f, inst.arch, bounds, deadline=deadline)
        network, status = d.network, d.status.value
        record["decided_by"] = d.stats.decided_by
    else:
        r = check(inst.f, inst.arch, backend="sat", timeout=timeout)
        network, status = None, r.status.value  # check verifies its witness itself
        record["decided_by"] = r.stats.decided_by
    if network is not None:
        verify_witness(network, inst.f, bounds)
    elapsed = time.perf_counter() - start
    if elapsed > timeout:
        status = "unknown"
    return {**record, "status": status, "time_s": round(elapsed, 4), "conflicts": conflicts}


def par2(records: list[dict], timeout: float) -> float:
    return sum(r["time_s"] if r["status"] in ("realizable", "unrealizable") else 2 * timeout
               for r in records)


def ratio(num: float, den: float) -> str:
    return f"{num / den:.1f}x" if den > 0 else "-"


def over(by: dict[tuple[str, str], list[dict]], family: str, a: str, b: str, timeout: float) -> str:
    """PAR-2 of solver a over solver b, on the instances of the family that a was run on."""
    names = {r["instance"] for r in by[family, a] if r["status"] != "refused"}
    if not names:
        return "-"
    return ratio(par2([r for r in by[family, a] if r["instance"] in names], timeout),
                 par2([r for r in by[family, b] if r["instance"] in names], timeout))


def summarize(records: list[dict], timeout: float) -> str:
    """Per-family Markdown table: solved / PAR-2 per solver, ratios against binary."""
    by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        by[r["family"], r["solver"]].append(r)
    solvers = [s for s in SOLVERS if any(k[1] == s for k in by)]
    lines = ["| family | instances | " + " | ".join(f"{s} solved / PAR-2 (s)" for s in solvers)
             + " | order/binary | z3/binary |", "|---" * (len(solvers) + 4) + "|"]
    for family in dict.fromkeys(r["family"] for r in records):
        cells, totals = [], {}
        for s in solvers:
            rs = [r for r in by[family, s] if r["status"] != "refused"]
            solved = sum(r["status"] in ("realizable", "unrealizable") for r in rs)
            totals[s] = par2(rs, timeout)
            cells.append(f"{solved}/{len(rs)} / {totals[s]:.2f}" if rs else "refused")
        n = len(by[family, solvers[0]])
        against = [over(by, family, s, "binary", timeout) for s in ("order", "z3")]
        lines.append(f"| {family} | {n} | " + " | ".join(cells + against) + " |")
    return "\n".join(lines)


def per_instance(records: list[dict]) -> str:
    rows: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in records:
        rows[r["instance"]][r["solver"]] = r
    lines = ["| instance | answer | " + " | ".join(f"{s} s" for s in SOLVERS) + " | binary conflicts |",
             "|---" * (len(SOLVERS) + 3) + "|"]
    for name, got in rows.items():
        answers = {r["status"] for r in got.values()} & {"realizable", "unrealizable"}
        cells = []
        for s in SOLVERS:
            r = got.get(s)
            if r is None:
                cells.append("")
            elif r["status"] == "refused":
                cells.append("refused")
            elif r["status"] == "unknown":
                cells.append("-")
            else:
                cells.append(f"{r['time_s']:.2f}")
        conflicts = got.get("binary", {}).get("conflicts")
        lines.append(f"| {name} | {'/'.join(sorted(answers)) or 'unknown'} | " + " | ".join(cells)
                     + f" | {conflicts if conflicts is not None else ''} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", nargs="+", choices=FAMILIES, default=list(FAMILIES))
    parser.add_argument("--solvers", nargs="+", choices=SOLVERS, default=list(SOLVERS))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per instance and solver")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="benchmarks/results/numbers.json")
    parser.add_argument("--summarize", metavar="JSON", nargs="+",
                        help="print the tables of saved runs (their records together)")
    args = parser.parse_args(argv)
    if args.summarize:
        runs = [json.loads(Path(path).read_text()) for path in args.summarize]
        records = [r for run in runs for r in run["records"]]
        print(per_instance(records), "\n")
        print(summarize(records, max(run["timeout"] for run in runs)))
        return 0
    records, agree = [], True
    for family in args.families:
        for inst in family_instances(family, args.seed):
            got = [run_one(s, inst, args.timeout) for s in args.solvers]
            answers = {r["status"] for r in got} & {"realizable", "unrealizable"}
            agree = agree and len(answers) <= 1
            records.extend(got)
            print(f"{inst.name}: " + ", ".join(
                f"{r['solver']} {r['status']}" + (f" {r['time_s']:.2f}s" if r["time_s"] is not None else "")
                for r in got) + ("" if len(answers) <= 1 else "  DISAGREE"), flush=True)
            if not agree:
                break
        if not agree:
            break
    Path(args.out).write_text(json.dumps({
        "timeout": args.timeout, "seed": args.seed, "python": platform.python_version(),
        "records": records}, indent=1) + "\n")
    print()
    print(per_instance(records), "\n")
    print(summarize(records, args.timeout))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
