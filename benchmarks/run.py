"""Run the baseline, the realize backends and the peers on the benchmark families; print and save a table.

    python -m benchmarks.run                                  # the default families, 60 s per instance
    python -m benchmarks.run --families npn4 parity --solvers baseline sat --timeout 30
    python -m benchmarks.run --families all --solvers sat cpsat1 cpsat2 highs   # with the peers
    python -m benchmarks.run --summarize benchmarks/results/latest.json   # table of a saved run
    python -m benchmarks.run --families all --solvers sat sat2 cpsat1 --resume   # after a kill

Every solver runs in this one process on the same instances, one after the other; the realize
``sat`` solver takes each NPN family (one architecture) in one `realize.apps.batch.check_many` call,
every other instance through `realize.check`. A solver's
PAR-2 is the sum over instances of its time, or twice the time limit when it did not decide the
instance. Realize answers go through `realize.check` (witnesses verified); baseline and peer
(`peers.py`: CP-SAT on 1 and 2 workers, HiGHS) witnesses are verified with `realize.verify` too
(one that fails is recorded as ``wrong-witness`` and counted as unsolved), and any two decided
answers must agree. A peer whose package is absent is skipped (with the
reason, also in the JSON); a bare run takes the `DEFAULT_FAMILIES` and the four solvers of the
first table, ``--families all`` every family. Besides the backends, ``sat2`` is the sat backend
with ``jobs=2`` (a long case split on two processes) and ``portfolio`` the racing portfolio.
``--resume`` keeps the records already in ``--out`` and runs the rest. Results (one record
per instance and solver) go to ``--out`` as JSON; the table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.baseline import solve_baseline
from benchmarks.instances import DEFAULT_FAMILIES, FAMILIES, Instance, instances
from benchmarks.peers import PEERS, missing
from realize.apps.batch import check_many
from realize.errors import VerificationError
from realize.pipeline import check
from realize.spec.bounds import Bounds
from realize.verify import verify_witness

DEFAULT_SOLVERS = ("baseline", "sat", "smt", "smt-real")
#: realize configurations beyond one backend each: name -> keyword arguments of `realize.check`
VARIANTS = {"sat2": {"backend": "sat", "jobs": 2}, "portfolio": {"backend": "portfolio"}}
SOLVERS = DEFAULT_SOLVERS + tuple(VARIANTS) + tuple(PEERS)
#: the status of a peer or baseline witness that fails verification (counted as unsolved)
WRONG = "wrong-witness"


def run_one(solver: str, inst: Instance, timeout: float) -> dict:
    """One solver on one instance: status and wall time."""
    start = time.perf_counter()
    if solver == "baseline" or solver in PEERS:
        solve = solve_baseline if solver == "baseline" else PEERS[solver][1]
        status, net = solve(inst.f, inst.arch, Bounds(), timeout=timeout)
        if net is not None:
            try:
                verify_witness(net, inst.f, Bounds())
            except VerificationError:  # e.g. a floating-point solver's rounded witness
                status = WRONG
    else:
        how = VARIANTS.get(solver, {"backend": solver})
        status = check(inst.f, inst.arch, timeout=timeout, **how).status.value
    elapsed = time.perf_counter() - start
    if elapsed > timeout:  # an answer after the limit counts as a timeout
        status = "unknown"
    return {"family": inst.family, "instance": inst.name, "solver": solver,
            "status": status, "time_s": round(elapsed, 4)}


def batch_npn(todo: list[Instance], timeout: float) -> dict[int, dict]:
    """The sat records of the NPN families, each family through one `check_many` call.

    An instance's time is its own solve plus its share of the family's encoding.
    """
    records = {}
    for family in sorted({i.family for i in todo if i.family.startswith("npn")}):
        members = [i for i in todo if i.family == family]
        start = time.perf_counter()
        results = check_many([i.f for i in members], members[0].arch, timeout=timeout)
        print(f"{family}: check_many on {len(members)} functions in "
              f"{time.perf_counter() - start:.3f} s", flush=True)
        for inst, r in zip(members, results, strict=True):
            records[id(inst)] = {"family": family, "instance": inst.name, "solver": "sat",
                                 "status": r.status.value, "time_s": round(r.time_s, 4)}
    return records


def decided(record: dict) -> bool:
    return record["status"] in ("realizable", "unrealizable")


def par2(records: list[dict], timeout: float) -> float:
    return sum(r["time_s"] if decided(r) else 2 * timeout for r in records)


def table(records: list[dict], solvers: list[str], timeout: float) -> str:
    """Markdown: per family and in total, solved/instances and PAR-2 per solver, and the ratios
    baseline/realize backend and peer/sat."""
    by_family: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        by_family[r["family"]][r["solver"]].append(r)
    for r in records:
        by_family["total"][r["solver"]].append(r)
    ratios = [("baseline", s) for s in solvers if "baseline" in solvers and s not in ("baseline", *PEERS)]
    ratios += [(s, "sat") for s in solvers if s in PEERS and "sat" in solvers]
    ratios += [("cpsat2", "sat2")] if {"cpsat2", "sat2"} <= set(solvers) else []
    head = ["family", "instances"] + [f"{s} solved / PAR-2 (s)" for s in solvers]
    head += [f"{a}/{b}" for a, b in ratios]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for family, per in by_family.items():
        count = len(next(iter(per.values())))
        row = [f"**{family}**" if family == "total" else family, str(count)]
        scores = {}
        for s in solvers:
            rs = per.get(s, [])
            solved = sum(decided(r) for r in rs)
            scores[s] = par2(rs, timeout)
            row.append(f"{solved}/{len(rs)} / {scores[s]:.2f}")
        row += [f"{scores[a] / max(scores[b], 1e-9):.1f}x" for a, b in ratios]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--families", nargs="+", choices=[*FAMILIES, "all"], default=list(DEFAULT_FAMILIES),
                   help="default: " + " ".join(DEFAULT_FAMILIES) + "; all: every family")
    p.add_argument("--solvers", nargs="+", choices=SOLVERS, default=list(DEFAULT_SOLVERS))
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per instance and solver")
    p.add_argument("--out", default="benchmarks/results/latest.json")
    p.add_argument("--summarize", metavar="JSON", help="only print the table of a saved run")
    p.add_argument("--resume", action="store_true",
                   help="keep the records of --out (same time limit) and run only what is missing")
    args = p.parse_args(argv)
    if args.summarize:
        saved = json.loads(Path(args.summarize).read_text())
        print(table(saved["records"], saved["solvers"], saved["timeout_s"]))
        return
    if "all" in args.families:
        args.families = list(FAMILIES)
    args.skipped = {s: reason for s in args.solvers if s in PEERS and (reason := missing(s))}
    for solver, reason in args.skipped.items():
        print(f"skipping {solver}: {reason}", flush=True)
    args.solvers = [s for s in args.solvers if s not in args.skipped]
    records = resumed(args) if args.resume else []
    done = {(r["family"], r["instance"], r["solver"]): r for r in records}
    todo = instances(args.families)
    fresh = [i for i in todo if (i.family, i.name, "sat") not in done]
    batched = batch_npn(fresh, args.timeout) if "sat" in args.solvers else {}
    for inst in todo:
        answers = {}
        for solver in args.solvers:
            rec = done.get((inst.family, inst.name, solver))
            if rec is None:
                rec = batched.get(id(inst)) if solver == "sat" else None
                rec = rec or run_one(solver, inst, args.timeout)
                records.append(rec)
            if decided(rec):
                answers[solver] = rec["status"]
            print(f"{inst.family:12} {inst.name:22} {solver:9} {rec['status']:13} {rec['time_s']:9.3f}",
                  flush=True)
        if len(set(answers.values())) > 1:
            raise SystemExit(f"solvers disagree on {inst.family} {inst.name}: {answers}")
        save(args, records, done=False)
    print()
    print(save(args, records, done=True))


def resumed(args: argparse.Namespace) -> list[dict]:
    """The records of an earlier run into ``args.out`` (none if there is no such file); its time
    limit must be this run's."""
    out = Path(args.out)
    if not out.exists():
        return []
    saved = json.loads(out.read_text())
    if saved["timeout_s"] != args.timeout:
        raise SystemExit(f"{out} was run with --timeout {saved['timeout_s']}, not {args.timeout}")
    return saved["records"]


def save(args: argparse.Namespace, records: list[dict], done: bool) -> str:
    """Write the records so far (and the table over them) to ``args.out``; return the table."""
    text = table(records, args.solvers, args.timeout)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"timeout_s": args.timeout, "families": args.families,
                               "solvers": args.solvers, "skipped": args.skipped, "complete": done,
                               "machine": platform.platform(),
                               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "records": records, "table": text}, indent=1))
    return text


if __name__ == "__main__":
    main()
