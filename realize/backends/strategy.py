"""The sat backend's strategy: a cheap small-weight probe, then the exact question.

1. **Probe** (exact mode only): the same question with every weight in [-1, 1] (``[0, 1]`` under
   ``nonneg``), a far smaller CNF, for at most `PROBE_CONFLICTS` conflicts (fewer before the SMT
   stage), without the input-symmetry rule (it makes satisfiable instances harder). It is a restriction
   of exact mode (its ranges lie inside the exact ones), so a network it finds is a witness; any
   other outcome just moves on.
2. **Exact**: the output-case split (`realize.backends.cases`) when it applies (exact mode, a
   layered n-k-1 network, n <= 7); else, when some weight range exceeds the number encoding's
   ``PREFERS_SMT_ABOVE`` (order encoding: 9, so fan-in >= 7 in exact mode), the SMT encoding;
   else the CNF of `realize.encodings.cnf`.

Measured in benchmarks/README.md; the losing alternatives are recorded in encodings/cnf.md.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.functions import BooleanFunction
>>> d = decide_sat(BooleanFunction.from_hex("96", 3), Architecture.parse("3-3-1"), Bounds())
>>> d.status.value, d.stats["strategy"]
('realizable', 'probe')
"""

from __future__ import annotations

import queue
import threading
import time

from realize.backends import cases
from realize.backends.satsolver import DEFAULT_SOLVER
from realize.encodings.numbers import DEFAULT_NUMBERS, number_encoding
from realize.results import Decision, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

#: conflict budget of the small-weight probe
PROBE_CONFLICTS = 20000
#: ... when the exact stage is the SMT encoding, which is fast on those instances
PROBE_CONFLICTS_BEFORE_SMT = 2000


def decide_sat(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
    probe: bool = True,
) -> Decision:
    """Decide with the sat backend; the witness is decoded but not yet verified."""
    start = time.perf_counter()
    deadline = None if timeout is None else start + timeout
    widest = bounds.widest_weight(arch)
    smt_above = number_encoding(DEFAULT_NUMBERS).PREFERS_SMT_ABOVE
    needs_probe = bounds.max_weight is None and not bounds.real and widest > 1
    probe_stats = {}
    if probe and needs_probe:
        small = Bounds(max_weight=1, max_bias=bounds.max_bias, nonneg=bounds.nonneg)
        budget = PROBE_CONFLICTS if widest <= smt_above else PROBE_CONFLICTS_BEFORE_SMT
        d = decide_cnf(f, arch, small, deadline=deadline, solver=solver, symmetry=symmetry,
                       max_conflicts=budget, input_symmetry=False)
        if d.status is Status.REALIZABLE:
            d.stats["strategy"] = "probe"
            return d
        probe_stats = {"probe_" + key: d.stats.get(key) for key in ("conflicts", "solve_s")}
    left = None if deadline is None else max(0.0, deadline - time.perf_counter())
    if cases.applies(f, arch, bounds):
        d = cases.decide_by_cases(f, arch, bounds, timeout=left, solver=solver, symmetry=symmetry)
    elif widest > smt_above:
        d = decide_smt_with_relaxation(f, arch, bounds, timeout=left, symmetry=symmetry)
    else:
        d = decide_cnf(f, arch, bounds, deadline=deadline, solver=solver, symmetry=symmetry)
        d.stats["strategy"] = "cnf"
    d.stats.update(probe_stats)
    return d


def decide_smt_with_relaxation(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    timeout: float | None = None,
    symmetry: bool = True,
) -> Decision:
    """z3 over integers within ``bounds``, with z3 over unbounded reals beside it.

    The real question relaxes every weight and bias bound (``nonneg`` stays), so a real
    refutation refutes the integer question too; a real witness proves nothing here (it may need
    weights beyond the bounds) and is ignored. The two run in threads (z3 releases the GIL, so
    they use both cores); the first conclusive answer interrupts the other.

    >>> from realize.spec.functions import BooleanFunction
    >>> d = decide_smt_with_relaxation(BooleanFunction.from_hex("96", 3), Architecture.parse("3-1"),
    ...                                Bounds(max_weight=12))
    >>> d.status.value, d.stats["strategy"] in ("smt", "smt-real refutation")
    ('unrealizable', True)
    """
    from realize.encodings.smt import build_smt

    start = time.perf_counter()
    encodings = {
        "smt": build_smt(f, arch, bounds, symmetry=symmetry),
        "smt-real refutation": build_smt(f, arch, Bounds(nonneg=bounds.nonneg, real=True),
                                         symmetry=symmetry),
    }
    left = None if timeout is None else max(0.001, timeout - (time.perf_counter() - start))
    answers: queue.Queue[tuple[str, Decision | Exception]] = queue.Queue()

    def solve(name: str) -> None:
        try:
            answers.put((name, encodings[name].solve(timeout=left)))
        except Exception as err:  # e.g. z3 'canceled' when interrupted while decoding a model
            answers.put((name, err))

    threads = [threading.Thread(target=solve, args=(name,)) for name in encodings]
    for thread in threads:
        thread.start()
    try:
        for _ in encodings:
            name, d = answers.get()
            if isinstance(d, Exception):
                raise d
            if name == "smt" or d.status is Status.UNREALIZABLE:
                break
    finally:
        for enc in encodings.values():
            enc.ctx.interrupt()
        for thread in threads:
            thread.join()
    d.stats["strategy"] = name
    d.stats["time_s"] = round(time.perf_counter() - start, 6)
    return d


def decide_cnf(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    deadline: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
    max_conflicts: int | None = None,
    input_symmetry: bool = True,
) -> Decision:
    """The plain CNF encoding, solved once (UNKNOWN at the deadline or the conflict budget)."""
    from realize.backends.satsolver import solve_clauses
    from realize.encodings.cnf import EncodingTimeout, build_cnf

    start = time.perf_counter()
    try:
        enc = build_cnf(f, arch, bounds, symmetry=symmetry, deadline=deadline,
                        input_symmetry=input_symmetry)
    except EncodingTimeout:
        return Decision(Status.UNKNOWN, None, {"encode_s": time.perf_counter() - start})
    encode_s = time.perf_counter() - start
    left = None if deadline is None else max(0.0, deadline - time.perf_counter())
    outcome = solve_clauses(enc.clauses, timeout=left, solver=solver, max_conflicts=max_conflicts)
    stats = {
        "vars": enc.num_vars,
        "clauses": len(enc.clauses),
        "encode_s": round(encode_s, 6),
        "symmetry": enc.symmetry,
        **outcome.stats,
    }
    if outcome.satisfiable is None:
        return Decision(Status.UNKNOWN, None, stats)
    if outcome.satisfiable:
        return Decision(Status.REALIZABLE, enc.decode(outcome.model), stats)
    return Decision(Status.UNREALIZABLE, None, stats)
