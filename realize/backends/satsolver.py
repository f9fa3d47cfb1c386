"""Running a SAT solver on clauses under a time limit, and with Ctrl-C.

CaDiCaL cannot be interrupted from another thread in pysat, so a time limit is enforced by
solving in slices of a conflict budget (``conf_budget`` + ``solve_limited``) and checking the
clock between slices; learned clauses are kept from slice to slice. A slice grows geometrically
but never past half the time left and never past half a second, at the last slice's conflict
rate.

Every solve of realize's goes through `solve_sliced`, time limit or not, because of Ctrl-C:
in the main thread pysat catches SIGINT during a solve by jumping out of the solver
(``longjmp``), which can leave the solver's memory, or the C heap itself, half updated, so that
freeing the solver later aborts the process ("corrupted double-linked list"). Each slice runs
with SIGINT held back (`sigint_held`); a Ctrl-C that arrives meanwhile is delivered when the
slice returns, as a plain `KeyboardInterrupt` at most half a second later, with the solver
intact.

>>> solve_clauses([[1, 2], [-1], [-2, 3]]).satisfiable
True
>>> solve_clauses([[1], [-1]]).satisfiable
False
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from pysat.solvers import Solver, SolverNames

from realize.errors import InputError, UnsupportedError
from realize.options import DEFAULT_SOLVER, Deadline
from realize.results import Stats

#: solvers that abort the process on a second solve() call: refused here
ONE_SHOT_SOLVERS = {"kissat404"}
#: solvers without ``solve_limited`` in pysat: they cannot stop at a time limit, so they are
#: refused when one is set; a conflict budget alone (the small-weight probe) gives up at once
UNLIMITED_SOLVERS = {"lingeling"}


@dataclass
class SatOutcome:
    """``satisfiable`` is True, False or None (time limit); ``model`` when True."""

    satisfiable: bool | None
    model: list[int] | None = None
    stats: Stats = field(default_factory=lambda: Stats("sat"))


def require_solver(name: str, limited: bool = False) -> str:
    """Return ``name`` if pysat knows it (any alias), it is installed, it survives repeated
    solves and, when ``limited`` (a time limit is set), it can stop at a limit.

    >>> require_solver("g4")
    'g4'
    >>> require_solver("kissat")
    Traceback (most recent call last):
    ...
    realize.errors.UnsupportedError: SAT solver 'kissat' aborts on a second solve; use cadical195
    >>> require_solver("lingeling")
    'lingeling'
    >>> require_solver("lingeling", limited=True)
    Traceback (most recent call last):
    ...
    realize.errors.UnsupportedError: SAT solver 'lingeling' cannot stop at a time limit (pysat has no \
limited solve for it); drop --timeout or use cadical195
    """
    names = {attr: aliases for attr, aliases in vars(SolverNames).items() if not attr.startswith("_")}
    for attr, aliases in names.items():
        if name in aliases:
            if attr in ONE_SHOT_SOLVERS:
                raise UnsupportedError(
                    f"SAT solver '{name}' aborts on a second solve; use {DEFAULT_SOLVER}"
                )
            if limited and attr in UNLIMITED_SOLVERS:
                raise UnsupportedError(
                    f"SAT solver '{name}' cannot stop at a time limit (pysat has no limited "
                    f"solve for it); drop --timeout or use {DEFAULT_SOLVER}"
                )
            missing = _unavailable(name)
            if missing:
                raise UnsupportedError(f"SAT solver '{name}' is not available: {missing}")
            return name
    usable = ", ".join(sorted(a[-1] for k, a in names.items() if k not in ONE_SHOT_SOLVERS))
    raise InputError(f"unknown SAT solver '{name}' (pysat names: {usable})")


@cache
def _unavailable(name: str) -> str:
    """Why pysat cannot make the solver ``name`` (say, its package is not installed), or ''."""
    # the half-made solver object of a failure complains from its __del__: keep that off stderr
    # (a solver that was made and deleted is quiet, so the collection runs only on failure: it
    # costs 10 to 30 ms with numpy loaded, a good part of a small check)
    hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        try:
            Solver(name=name).delete()
        except (AssertionError, ImportError, OSError, NotImplementedError) as err:
            reason = str(err) or type(err).__name__
        else:
            return ""
        gc.collect()
        return reason
    finally:
        sys.unraisablehook = hook


def solve_clauses(
    clauses: Sequence[Sequence[int]],
    *,
    deadline: Deadline | None = None,
    solver: str = DEFAULT_SOLVER,
    assumptions: Sequence[int] = (),
    max_conflicts: int | None = None,
) -> SatOutcome:
    """Solve ``clauses``; give up (``satisfiable=None``) at the ``deadline`` or after
    ``max_conflicts`` conflicts."""
    start = time.perf_counter()
    with Solver(name=solver, bootstrap_with=clauses) as s:
        return solve_loaded(s, assumptions, deadline=deadline, start=start, name=solver,
                            max_conflicts=max_conflicts)


def solve_loaded(
    s: Solver,
    assumptions: Sequence[int] = (),
    *,
    deadline: Deadline | None = None,
    start: float | None = None,
    name: str = DEFAULT_SOLVER,
    max_conflicts: int | None = None,
) -> SatOutcome:
    """One (incremental) solve of a solver that already holds its clauses.

    The conflict count is the solver's, cumulative over its life; ``solve_s`` counts from
    ``start`` (default: now).
    """
    start = time.perf_counter() if start is None else start
    answer = solve_sliced(s, deadline, assumptions, max_conflicts)
    spent = time.perf_counter() - start
    counters = s.accum_stats()
    stats = Stats("sat", time_s=spent, solve_s=spent, vars=s.nof_vars(), clauses=s.nof_clauses(),
                  conflicts=int(counters.get("conflicts", 0)), extra={"solver": name})
    return SatOutcome(answer, s.get_model() if answer else None, stats)


#: the longest a slice should run: how late a deadline or a Ctrl-C may be noticed
SLICE_S = 0.5


def solve_sliced(
    s: Solver,
    deadline: Deadline | None = None,
    assumptions: Sequence[int] = (),
    max_conflicts: int | None = None,
) -> bool | None:
    """``solve_limited`` in slices of a conflict budget until an answer, the deadline or
    ``max_conflicts`` (None: no answer); SIGINT is held back during each slice.

    A solver without a limited solve (`UNLIMITED_SOLVERS`; `require_solver` refuses it under a
    time limit) gives no answer under a conflict budget alone, which guards only optional
    stages (the probe); without a budget it solves in one piece, under pysat's own SIGINT
    handling.

    >>> from pysat.solvers import Solver
    >>> with Solver(bootstrap_with=[[1, 2], [-1]]) as s:
    ...     solve_sliced(s), solve_sliced(s, assumptions=[-2])
    (True, False)
    """
    deadline = deadline or Deadline()
    budget = 1000
    first = _conflicts(s)
    while True:
        if deadline.expired():
            return None
        before = _conflicts(s)
        if max_conflicts is not None:
            if before - first >= max_conflicts:
                return None
            budget = min(budget, max_conflicts - (before - first))
        t0 = time.perf_counter()
        try:
            s.conf_budget(budget)
            with sigint_held():
                answer = s.solve_limited(assumptions=list(assumptions))
        except NotImplementedError as err:
            if deadline.end is not None:
                raise UnsupportedError(f"the SAT solver cannot stop at a time limit: {err}") from None
            return None if max_conflicts is not None else s.solve(assumptions=list(assumptions))
        if answer is not None:
            return answer
        spent = time.perf_counter() - t0
        done = max(1, _conflicts(s) - before)
        rate = done / max(spent, 1e-6)  # conflicts per second in the last slice
        left = deadline.left()
        # next slice: at most half the time left and at most SLICE_S, so that a slower conflict
        # rate cannot carry the solve far past the deadline or a Ctrl-C
        longest = SLICE_S if left is None else min(left * 0.5, SLICE_S)
        budget = max(100, min(budget * 2, int(rate * longest)))


def _conflicts(s: Solver) -> int:
    return int(s.accum_stats().get("conflicts", 0))


@contextmanager
def sigint_held() -> Iterator[None]:
    """Hold SIGINT back in the main thread for the block; one that arrived meanwhile is
    delivered (as `KeyboardInterrupt`) when the block ends. Other threads: no effect (pysat
    sets no SIGINT handler there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
