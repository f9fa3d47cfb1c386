"""The smt backend: z3 on the linear-arithmetic encoding of `realize.encodings.smt`.

Over integers within the bounds, or over unbounded reals when the bounds say so (``Bounds(real=
True)``; the command line's ``--backend smt-real`` is that bounds mode). `decide_with_relaxation`
runs z3 over integers beside z3 over unbounded reals, whose refutation refutes every integer
bound.

>>> from realize.spec.functions import BooleanFunction
>>> xor2 = BooleanFunction.from_hex("6", 2)
>>> solve_smt(xor2, Architecture.parse("2-1"), Bounds()).status.value
'unrealizable'
>>> d = solve_smt(xor2, Architecture.parse("2-2-1"), Bounds(real=True))
>>> d.status.value, d.network.function().to_hex(), d.stats.stage
('realizable', '6', 'smt-real')
"""

from __future__ import annotations

import queue
import threading
import time
from typing import TYPE_CHECKING, Any

from realize.options import Deadline, DeadlineExpired, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

if TYPE_CHECKING:
    import z3

    from realize.encodings.smt import SmtEncoding

# z3 (about 50 ms to import) and the SMT encoding are imported by the functions that run them:
# the sat backend reaches z3 only for wide units, and the registry lists this backend always.


class SmtBackend:
    """z3 over integers within the bounds, or over reals in the ``real`` bounds mode."""

    name = "smt"
    summary = "z3 on linear arithmetic: integers within the bounds, or unbounded reals"

    def refuses(self, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                options: Options) -> str | None:
        return None

    def decide(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
               deadline: Deadline) -> Decision:
        return solve_smt(f, arch, bounds, deadline=deadline, symmetry=options.uses("hidden-order"))


def run_z3(enc: SmtEncoding, deadline: Deadline | None = None, rlimit: int | None = None) -> Decision:
    """Run z3 once on an encoding; ``unknown`` (time or resource limit) gives `Status.UNKNOWN`."""
    import z3

    ms = (deadline or Deadline()).milliseconds()
    if ms is not None:
        enc.solver.set("timeout", ms)
    if rlimit is not None:
        enc.solver.set("rlimit", int(rlimit))
    start = time.perf_counter()
    answer = enc.solver.check()
    elapsed = time.perf_counter() - start
    counters = _z3_counters(enc.solver)
    extra: dict[str, Any] = {"z3_result": str(answer), **counters}
    if answer == z3.unknown:
        extra["reason_unknown"] = enc.solver.reason_unknown()
    stats = Stats("smt-real" if enc.real else "smt", time_s=elapsed, solve_s=elapsed,
                  vars=enc.stats.get("variables_values", 0), clauses=enc.stats.get("assertions", 0),
                  conflicts=int(counters.get("z3_conflicts", 0)), extra=extra)
    if answer == z3.sat:
        return Decision(Status.REALIZABLE, enc.decode(enc.solver.model()), stats)
    if answer == z3.unsat:
        return Decision(Status.UNREALIZABLE, None, stats)
    return Decision(Status.UNKNOWN, None, stats)


def solve_smt(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    deadline: Deadline | None = None,
    symmetry: bool = True,
    rlimit: int | None = None,
) -> Decision:
    """Build the encoding and run z3 on it; the network in the answer is NOT verified.

    The ``deadline`` covers building and solving; ``rlimit`` is z3's deterministic resource
    limit. Either running out gives `Status.UNKNOWN`.
    """
    from realize.encodings.smt import build_smt

    start = time.perf_counter()
    try:
        enc = build_smt(f, arch, bounds, symmetry=symmetry, deadline=deadline)
    except DeadlineExpired:
        spent = time.perf_counter() - start
        stage = "smt-real" if bounds.real else "smt"
        return Decision(Status.UNKNOWN, None, Stats(stage, time_s=spent, encode_s=spent))
    encode_s = time.perf_counter() - start
    decision = run_z3(enc, deadline, rlimit)
    decision.stats.encode_s = encode_s
    decision.stats.time_s = time.perf_counter() - start
    return decision


def decide_with_relaxation(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    deadline: Deadline | None = None,
    symmetry: bool = True,
) -> Decision:
    """z3 over integers within ``bounds``, with z3 over unbounded reals beside it.

    The real question relaxes every weight and bias bound (``nonneg`` stays), so a real
    refutation refutes the integer question too; a real witness proves nothing here (it may need
    weights beyond the bounds) and is ignored. The two run in threads (z3 releases the GIL, so
    they use both cores); the first conclusive answer interrupts the other.

    >>> from realize.spec.functions import BooleanFunction
    >>> d = decide_with_relaxation(BooleanFunction.from_hex("96", 3), Architecture.parse("3-1"),
    ...                            Bounds(max_weight=12))
    >>> d.status.value, d.stats.decided_by in ("smt", "smt-real")
    ('unrealizable', True)
    """
    from realize.encodings.smt import build_smt

    start = time.perf_counter()
    try:
        encodings = {
            "smt": build_smt(f, arch, bounds, symmetry=symmetry, deadline=deadline),
            "smt-real": build_smt(f, arch, Bounds(nonneg=bounds.nonneg, real=True),
                                  symmetry=symmetry, deadline=deadline),
        }
    except DeadlineExpired:
        spent = time.perf_counter() - start
        return Decision(Status.UNKNOWN, None, Stats("smt+relaxation", time_s=spent, encode_s=spent))
    encode_s = time.perf_counter() - start
    answers: queue.Queue[tuple[str, Decision | Exception]] = queue.Queue()

    def solve(name: str) -> None:
        try:
            answers.put((name, run_z3(encodings[name], deadline)))
        except Exception as err:  # e.g. z3 'canceled' when interrupted while decoding a model
            answers.put((name, err))

    threads = [threading.Thread(target=solve, args=(name,)) for name in encodings]
    for thread in threads:
        thread.start()
    done: dict[str, Decision] = {}
    try:
        for _ in encodings:
            name, d = answers.get()
            if isinstance(d, Exception):
                raise d
            done[name] = d
            if name == "smt" or d.status is Status.UNREALIZABLE:
                break
    finally:
        for enc in encodings.values():
            enc.ctx.interrupt()
        for thread in threads:
            thread.join()
    answer = done[name]
    solving = Stats.combine("solve", [d.stats for d in done.values()], concurrent=True,
                            decided_by=name)
    stats = Stats.combine("smt+relaxation", [Stats("encode", time_s=encode_s, encode_s=encode_s),
                                             solving], time_s=time.perf_counter() - start)
    return Decision(answer.status, answer.network, stats)  # smt-real only ever refutes here


def _z3_counters(solver: z3.Solver) -> dict[str, Any]:
    import z3

    wanted = ("conflicts", "decisions", "arith conflicts", "memory", "rlimit count")
    out: dict[str, Any] = {}
    try:
        st = solver.statistics()
        for i in range(len(st)):
            key, value = st[i]
            if key in wanted:
                out["z3_" + key.replace(" ", "_")] = value
    except z3.Z3Exception:      # statistics are informative only
        pass
    return out
