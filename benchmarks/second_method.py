"""A second method for the headline refutations: z3 over real weights on the output-case split.

    python -m benchmarks.second_method                      # parity 5 on 5-4-1 and 6 on 6-5-1
    python -m benchmarks.second_method --inputs 6 --case-timeout 3600   # hours; resumable

For a layered n-k-1 network the output unit computes, after hidden negations and permutations,
one of the regular positive threshold functions T of k inputs (`realize.backends.cases`). Here
each case is decided by z3 over *unbounded real* weights: the SMT encoding of the whole network
(`realize.encodings.smt`, which shares no code with the CNF) with the output unit's weights and
bias fixed to an integer realization of T (the hidden values are 0/1, so any output unit that
computes T on them can be replaced by that realization). The only symmetry breaking: hidden
units that T is symmetric in have lexicographically ordered output columns (z3's own
constraints, `realize.encodings.smt.assert_lex_leq`: permuting such units keeps T); the hidden
units are not relaxed: the columns are real threshold units. f is unrealizable iff every case is
unsatisfiable. Each case's answer is saved as it lands (``--out``), and a rerun with the same
``--out`` skips the cases already decided (resumable). The same question is then decided by
`realize.check` (the CNF strategy), and the two answers must agree (exit code 1 otherwise).
The case list itself is the one the CNF route uses; its completeness is what
`realize proof check` verifies independently.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import z3

from realize import check
from realize.backends.cases import case_symmetries, regular_positive_functions
from realize.backends.smt import run_z3
from realize.encodings.smt import assert_lex_leq, build_smt
from realize.options import Deadline
from realize.readers.registry import parse_function
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds


def decide_by_real_cases(n: int, k: int, limit: float, done: dict[str, dict],
                         save: Callable[[list[dict]], None]) -> dict:
    """Parity of n on n-k-1, case by case over real weights: per-case answers and times.

    ``done`` holds earlier answers by output table (reused, not re-solved); ``save`` receives
    the case list after each case."""
    f = parse_function("parity", n)
    arch = Architecture.parse(f"{n}-{k}-1")
    out = arch.outputs[0]
    start = time.perf_counter()
    cases = []
    answer = "unrealizable"
    for table, weights, bias in regular_positive_functions(k):
        key = "".join(map(str, table))
        if done.get(key, {}).get("status") in ("unrealizable", "realizable"):
            record = done[key]
        else:
            enc = build_smt(f, arch, Bounds(real=True), symmetry=False)
            for w, value in zip(enc.weights[out], weights, strict=True):
                enc.solver.add(w == z3.RealVal(value, enc.ctx))
            enc.solver.add(enc.biases[out] == z3.RealVal(bias, enc.ctx))
            swaps = [[u for u in range(k) if sym.units[u] != u]
                     for sym in case_symmetries(table, k, n, []) if sym.name.startswith("swap units")]
            for a, c in swaps:
                assert_lex_leq(enc.solver, enc.values[a], enc.values[c], f"case_lex_{a}_{c}")
            t0 = time.perf_counter()
            status = run_z3(enc, Deadline.after(limit)).status.value
            record = {"output": key, "status": status, "time_s": round(time.perf_counter() - t0, 3),
                      "ordered_pairs": len(swaps)}
        cases.append(record)
        save(cases)
        print(f"  parity {n}, case {len(cases)} ({key}): {record['status']} "
              f"in {record['time_s']} s", flush=True)
        if record["status"] != "unrealizable":
            answer = record["status"]  # a realizable case decides; an unknown one leaves it open
            if answer == "realizable":
                break
    return {"answer": answer, "cases": cases, "time_s": round(sum(c["time_s"] for c in cases), 3),
            "wall_s_this_run": round(time.perf_counter() - start, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, nargs="+", default=[5, 6],
                        help="parity of n on n-(n-1)-1 (default: 5 and 6)")
    parser.add_argument("--case-timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--out", default="benchmarks/results/second-method.json")
    args = parser.parse_args(argv)
    out = Path(args.out)
    records = {r["function"]: r for r in json.loads(out.read_text())} if out.exists() else {}

    def save() -> None:
        out.write_text(json.dumps(list(records.values()), indent=1) + "\n")

    agree = True
    for n in args.inputs:
        name, arch = f"parity{n}", f"{n}-{n - 1}-1"
        earlier = records.get(name, {}).get("z3_real_cases", {}).get("cases", [])
        record = records[name] = {"function": name, "arch": arch}

        def progress(cases: list[dict], record: dict = record) -> None:
            record["z3_real_cases"] = {"answer": "running", "cases": cases}
            save()

        real = decide_by_real_cases(n, n - 1, args.case_timeout,
                                    {c["output"]: c for c in earlier}, progress)
        t0 = time.perf_counter()
        cnf = check("parity", arch)
        record.update({"z3_real_cases": real, "realize_check": {
            "answer": cnf.status.value, "decided_by": cnf.stats.decided_by,
            "time_s": round(time.perf_counter() - t0, 3)}})
        record["agree"] = real["answer"] == cnf.status.value
        agree = agree and record["agree"]
        save()
        print(f"parity {n} on {arch}: z3 over reals, {len(real['cases'])} cases, "
              f"{real['answer']}; realize check {cnf.status.value} "
              f"({cnf.stats.decided_by}) in {record['realize_check']['time_s']} s; "
              f"{'agree' if record['agree'] else 'DISAGREE'}", flush=True)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
