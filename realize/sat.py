"""Running a SAT solver on clauses under a time limit.

CaDiCaL cannot be interrupted from another thread in pysat, so a time limit is enforced by
solving in slices of a conflict budget (``conf_budget`` + ``solve_limited``) and checking the
clock between slices; learned clauses are kept from slice to slice. A slice grows geometrically
but never past half the time left (at most half a second), at the last slice's conflict rate.

>>> solve_clauses([[1, 2], [-1], [-2, 3]]).satisfiable
True
>>> solve_clauses([[1], [-1]]).satisfiable
False
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from pysat.solvers import Solver, SolverNames

DEFAULT_SOLVER = "cadical195"
#: solvers that abort the process on a second solve() call (DESIGN.md): refused here
ONE_SHOT_SOLVERS = {"kissat404"}


@dataclass
class SatOutcome:
    """``satisfiable`` is True, False or None (time limit); ``model`` when True."""

    satisfiable: bool | None
    model: list[int] | None = None
    stats: dict = field(default_factory=dict)


def known_solvers() -> list[str]:
    """Solver names pysat accepts (each solver's first alias)."""
    names = [aliases[-1] for attr, aliases in vars(SolverNames).items() if not attr.startswith("_")]
    return sorted(n for n in names if n not in ONE_SHOT_SOLVERS)


def solve_clauses(
    clauses: Sequence[Sequence[int]],
    *,
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    assumptions: Sequence[int] = (),
) -> SatOutcome:
    """Solve ``clauses``; give up (``satisfiable=None``) after about ``timeout`` seconds."""
    start = time.perf_counter()
    with Solver(name=solver, bootstrap_with=clauses) as s:
        if timeout is None:
            answer = s.solve(assumptions=list(assumptions))
        else:
            answer = _solve_sliced(s, start + timeout, assumptions)
        stats = dict(s.accum_stats())
        stats["solve_s"] = round(time.perf_counter() - start, 6)
        stats["solver"] = solver
        return SatOutcome(answer, s.get_model() if answer else None, stats)


def _solve_sliced(s: Solver, deadline: float, assumptions: Sequence[int]) -> bool | None:
    budget = 1000
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        before_conflicts = s.accum_stats().get("conflicts", 0)
        t0 = time.perf_counter()
        s.conf_budget(budget)
        answer = s.solve_limited(assumptions=list(assumptions))
        if answer is not None:
            return answer
        spent = time.perf_counter() - t0
        done = max(1, s.accum_stats().get("conflicts", 0) - before_conflicts)
        rate = done / max(spent, 1e-6)  # conflicts per second in the last slice
        left = deadline - time.perf_counter()
        # next slice: at most half the time left and at most half a second, so that a slower
        # conflict rate cannot carry the solve far past the deadline
        budget = max(100, min(budget * 2, int(rate * min(max(left, 0.0) * 0.5, 0.5))))
