"""Exact mode on one hidden layer: split on the output unit's function (encodings/cnf.md, "cases").

For a layered n-k-1 network in exact mode (every weight real, equivalently within W*), every
hidden unit computes *some* threshold function of the n inputs and the output unit computes a
threshold function T of the k hidden values. Negating hidden units and permuting them (both sound
in exact mode) makes T *regular positive*: realized by weights v_1 >= ... >= v_k >= 0. So:

    f is realizable  iff  for some regular positive T of k inputs, there are threshold
                          columns y_1 .. y_k over the 2^n rows with T(y(x)) = f(x) on care rows.

Each T is one *case*. Within a case the output is a fixed Boolean function (its prime clauses),
and "y_u is a threshold function" is relaxed to the necessary condition that y_u is
2-asummable: no rows x1, x2 with y = 1 and x3, x4 with y = 0 have x1 + x2 = x3 + x4. A case
that is unsatisfiable even so is refuted; a model's columns are realized one by one with the
single-unit SMT encoding, and a column that is not a threshold function is blocked (never
observed for n <= 7, but handled). All cases share one incremental solver; each case's clauses
hang on an activation literal.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> xor3 = BooleanFunction.from_hex("96", 3)
>>> decide_by_cases(xor3, Architecture.parse("3-2-1"), Bounds(), Options(), Deadline()).status.value
'unrealizable'
>>> d = decide_by_cases(xor3, Architecture.parse("3-3-1"), Bounds(), Options(), Deadline())
>>> d.status.value, d.network.function().to_hex()
('realizable', '96')
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from pysat.solvers import Solver

from realize.backends.processes import NO_ANSWER, answers, fork_context, forked
from realize.backends.satsolver import solve_loaded
from realize.backends.smt import solve_smt
from realize.encodings.asummable import asummability_clauses
from realize.encodings.clauses import ClauseBuilder
from realize.encodings.cnf import lex_leader
from realize.encodings.symmetry import ColumnSymmetry, input_symmetries
from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds, exact_max_weight
from realize.spec.functions import DONT_CARE, BooleanFunction, all_rows
from realize.spec.network import network_from_units

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: largest n and k (hidden units) the case split takes on
MAX_INPUTS = 7
MAX_HIDDEN = 6


def applies(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> bool:
    """Exact mode, a layered n-k-1 network without skip connections, n <= 7, k <= 6."""
    return (
        bounds.max_weight is None and bounds.max_bias is None and not bounds.nonneg
        and not bounds.real and arch.layers is not None and len(arch.layers) == 2
        and not arch.skip and arch.m == 1 and 2 <= f.n <= MAX_INPUTS
        and 1 <= arch.layers[0] <= MAX_HIDDEN
    )


def regular_positive_functions(k: int) -> Iterator[tuple[tuple[int, ...], tuple[int, ...], int]]:
    """Every threshold function T of k inputs with weights v_1 >= ... >= v_k >= 0, once each.

    Yielded lazily as ``(table, weights, bias)``, lightest weights first: ``table[p]`` is T on
    pattern p (bit u = input u), realized by the first weights found. Weights up to W*(k)
    suffice (exact mode).

    >>> [t for t, _, _ in regular_positive_functions(1)]
    [(1, 1), (0, 0), (0, 1)]
    """
    patterns = (np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1
    vectors = sorted(itertools.combinations_with_replacement(range(exact_max_weight(k), -1, -1), k),
                     key=lambda v: (sum(v), tuple(reversed(v))))
    seen: set[bytes] = set()
    for v in vectors:
        sums = patterns @ np.array(v)
        # bias -s switches on exactly the patterns with sum >= s (sorted(set()), not np.unique,
        # which imports numpy.ma, some 10 ms, on its first call)
        levels = sorted(set(sums.tolist()))
        for threshold in [*levels, levels[-1] + 1]:
            table = sums >= threshold
            key = np.packbits(table).tobytes()
            if key not in seen:
                seen.add(key)
                yield tuple(int(x) for x in table), tuple(int(x) for x in v), -int(threshold)


def output_clauses(table: tuple[int, ...], k: int) -> tuple[list[list[int]], list[list[int]]]:
    """For a positive T: the unit sets one of which must be 1 where T = 1 (from the maximal
    false points), and those one of which must be 0 where T = 0 (from the minimal true points).
    """
    full = 2**k - 1
    need_one = [[u for u in range(k) if not p >> u & 1] for p in range(2**k)
                if not table[p] and all(table[p | 1 << u] for u in range(k) if not p >> u & 1)]
    need_zero = [[u for u in range(k) if p >> u & 1] for p in range(2**k)
                 if table[p] and all(not table[p & (full ^ 1 << u)] for u in range(k) if p >> u & 1)]
    return need_one, need_zero


def _swap_invariant(table: tuple[int, ...], u: int, w: int) -> bool:
    def swap(p: int) -> int:
        bu, bw = p >> u & 1, p >> w & 1
        return p ^ ((bu ^ bw) << u) ^ ((bu ^ bw) << w)
    return all(table[p] == table[swap(p)] for p in range(len(table)))


@lru_cache(maxsize=1 << 14)
def realize_table(table: tuple[int, ...]) -> tuple[tuple[int, ...], int] | None:
    """Weights and bias (exact mode) of one unit computing ``table`` (all 2^m rows), or None.

    One unit in linear integer arithmetic (z3) takes some 0.1 s for m = 7; its CNF took 2 s.
    Cached: the same columns come back from model to model and from question to question.

    >>> realize_table((0, 0, 0, 1)), realize_table((0, 1, 1, 0))
    (((1, 1), -2), None)
    """
    m = (len(table) - 1).bit_length()
    g = BooleanFunction(m, all_rows(m), np.array([table], dtype=np.int8))
    d = solve_smt(g, Architecture.parse(f"{m}-1"), Bounds())
    if d.status is Status.UNREALIZABLE:
        return None
    if d.network is None:  # blocking a column z3 did not decide could lose solutions
        raise RuntimeError(f"z3 did not decide a single {m}-input unit: {d.stats}")
    return d.network.weights[0], d.network.biases[0]


def realize_columns(
    s: Solver, model: Sequence[int], groups: Sequence[tuple[int, Sequence[Sequence[int]]]], stats: Stats
) -> list[tuple[tuple[int, ...], int]] | None:
    """Weights and bias (exact mode) of every column of ``groups`` in ``model``, in order, or None.

    Each group is ``(m, columns)``: columns of 2^m literals that must be threshold functions of
    m inputs. The first column that is not one (`realize_table`) is forbidden for every column
    of every group of the same m (one clause each, added to ``s``;
    ``stats.extra["blocked_columns"]`` counts them) and None is returned. z3's time counts as
    solving.
    """
    out = []
    for m, columns in groups:
        for col in columns:
            column = tuple(int(model[x - 1] > 0) for x in col)
            t0 = time.perf_counter()
            unit = realize_table(column)
            stats.solve_s += time.perf_counter() - t0
            if unit is None:
                stats.extra["blocked_columns"] += 1
                for width, others in groups:
                    if width == m:
                        for other in others:
                            s.add_clause([-x if c else x for x, c in zip(other, column, strict=True)])
                return None
            out.append(unit)
    return out


def split_input_symmetries(f: BooleanFunction, arch: Architecture, bounds: Bounds
                           ) -> tuple[list[ColumnSymmetry], list[ColumnSymmetry]]:
    """f's input transforms t (`input_symmetries`) as maps of the k hidden columns: those with
    f(t(x)) = f(x), a symmetry of every case, and those with f(t(x)) = not f(x), which map case T
    to its dual (and, with every hidden unit negated, a self-dual case to itself)."""
    k = arch.layers[0]
    values = f.values[0]
    care = values != DONT_CARE
    keeps, flips = [], []
    for name, t in input_symmetries(f, arch, bounds):
        if np.all((values[t] == values) | ~care):
            keeps.append(ColumnSymmetry.of_rows(name, t, k))
        else:
            flips.append(ColumnSymmetry.of_rows(name, t, k, negate=True))
    return keeps, flips


def case_symmetries(table: tuple[int, ...], k: int, n: int, flips: list[ColumnSymmetry]
                    ) -> list[ColumnSymmetry]:
    """The symmetries of case T's clauses besides f's own: swapping two hidden units T is
    symmetric in, negating a unit T ignores, and (T self-dual) each of ``flips``.

    >>> [s.name for s in case_symmetries((0, 0, 0, 1), 2, 3, [])]  # AND of two units
    ['swap units 0 1']
    """
    identity, inputs = tuple(range(k)), tuple(range(n))
    out = []
    for u, w in itertools.combinations(range(k), 2):
        if _swap_invariant(table, u, w):
            units = tuple(w if x == u else u if x == w else x for x in identity)
            out.append(ColumnSymmetry(f"swap units {u} {w}", units, inputs))
    for u in range(k):
        if all(table[p] == table[p ^ 1 << u] for p in range(2**k)):  # T ignores u
            out.append(ColumnSymmetry(f"negate unit {u}", identity, inputs, 0, frozenset({u})))
    if dual_table(table) == table:  # t, then negating every hidden unit and the output
        out += flips
    return out


def dual_table(table: tuple[int, ...]) -> tuple[int, ...]:
    """T^d(p) = not T(not p)."""
    full = len(table) - 1
    return tuple(1 - table[full - p] for p in range(len(table)))


#: seconds the case split runs in this process before it hands the remaining cases to workers
HEAD_START = 1.0


def decide_by_cases(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    options: Options,
    deadline: Deadline,
) -> Decision:
    """Decide ``f`` on ``arch`` case by case (requires `applies`); witness decoded, not verified.

    With ``options.jobs`` > 1 the cases left after `HEAD_START` seconds go to that many forked
    worker processes, each continuing from a copy of the solver (and what it has learnt), each
    taking the next case from a shared counter; the first witness ends the search.
    """
    if not applies(f, arch, bounds):
        raise ValueError("the case split needs exact mode and a layered n-k-1 network, n <= 7")
    start = time.perf_counter()
    stats = Stats("cases", extra={"cases": 0, "cases_refuted": 0, "blocked_columns": 0})
    if deadline.expired():
        return Decision(Status.UNKNOWN, None, _finish(stats, None, start))
    search = _CaseSearch(f, arch, bounds, options, stats)
    with search.solver:
        listed = search.cases()
        stats.extra["cases"] = len(listed) + search.duals
        stats.extra["cases_refuted"] = search.duals
        for index, case in enumerate(listed):
            if options.jobs > 1 and len(listed) - index > 1 and time.perf_counter() - start > HEAD_START:
                return _in_workers(search, listed[index:], options.jobs, deadline, start)
            d = search.run(case, deadline)
            if d is not None:
                d.stats = _finish(stats, search.solver, start)
                return d
        return Decision(Status.UNREALIZABLE, None, _finish(stats, search.solver, start))


Case = tuple[tuple[int, ...], tuple[int, ...], int]


class _CaseSearch:
    """The shared part of every case (hidden columns, 2-asummability, f's own symmetries) in one
    incremental solver, and `run`, which decides one case under an activation literal."""

    def __init__(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
                 stats: Stats):
        self.options, self.stats, self.arch = options, stats, arch
        self.n, self.k = n, k = f.n, arch.layers[0]
        b = ClauseBuilder()
        self.y = y = [[b.new_var() for _ in range(2**n)] for _ in range(k)]
        for col in y:
            b.clauses.extend(asummability_clauses(col, n))
        keeps, self.flips = (split_input_symmetries(f, arch, bounds)
                             if options.uses("input-symmetry") else ([], []))
        for sym in keeps:
            lex_leader(b, y, sym, range(2**n))
        rows = [int(r) for r in f.rows]
        self.ones = [r for r, v in zip(rows, f.values[0], strict=True) if v == 1]
        self.zeros = [r for r, v in zip(rows, f.values[0], strict=True) if v == 0]
        self.solver = Solver(name=options.solver, bootstrap_with=b.clauses)
        self.top = b.num_vars
        self.duals = 0

    def cases(self) -> list[Case]:
        """The regular positive T of k inputs in order; when some input transform flips f, a
        case whose dual came earlier is left out (the two are satisfiable alike), counted in
        ``duals``."""
        listed, seen = [], set()
        for case in regular_positive_functions(self.k):
            if self.flips and dual_table(case[0]) in seen:
                self.duals += 1
                continue
            seen.add(case[0])
            listed.append(case)
        return listed

    def run(self, case: Case, deadline: Deadline) -> Decision | None:
        """None when the case is refuted, else REALIZABLE (witness decoded) or UNKNOWN."""
        table, v, bias = case
        s, y, n, k, stats = self.solver, self.y, self.n, self.k, self.stats
        act = self.top = self.top + 1
        need_one, need_zero = output_clauses(table, k)
        clauses = [[-act] + [y[u][r] for u in units] for r in self.ones for units in need_one]
        clauses += [[-act] + [-y[u][r] for u in units] for r in self.zeros for units in need_zero]
        if self.options.symmetry:
            rules = ClauseBuilder()
            rules.num_vars = self.top
            for sym in case_symmetries(table, k, n, self.flips):
                lex_leader(rules, y, sym, range(2**n))
            clauses += [[-act, *c] for c in rules.clauses[1:]]
            self.top = rules.num_vars
        s.append_formula(clauses)
        while True:
            if deadline.expired():
                return Decision(Status.UNKNOWN, None, stats)
            t0 = time.perf_counter()
            out = solve_loaded(s, [act], deadline=deadline, name=self.options.solver)
            stats.solve_s += time.perf_counter() - t0
            if out.satisfiable is None:
                return Decision(Status.UNKNOWN, None, stats)
            if not out.satisfiable:
                stats.extra["cases_refuted"] += 1
                s.add_clause([-act])
                return None
            units = realize_columns(s, out.model, [(n, y)], stats)
            if units is not None:  # else a 2-asummable column that is not threshold: blocked
                weights, biases = [w for w, _ in units], [c for _, c in units]
                net = network_from_units(self.arch, [*weights, v], [*biases, bias])
                return Decision(Status.REALIZABLE, net, stats)


def _in_workers(search: _CaseSearch, left: list[Case], jobs: int, deadline: Deadline,
                start: float) -> Decision:
    """Decide the cases ``left`` in ``jobs`` forked copies of ``search``; kill them at the
    first witness or the deadline. Each worker reports its counts when it stops; their wall
    time counts as solving time."""
    counter = fork_context().Value("i", 0)
    stats = search.stats
    status, network, conflicts, began = Status.UNREALIZABLE, None, 0, time.perf_counter()
    seconds = deadline.left()
    with forked([(_work, (search, left, counter, seconds))] * jobs) as pending:
        for _, answer in answers(pending, deadline):
            if answer is NO_ANSWER:
                raise RuntimeError("a case-split worker died without an answer")
            d, figures = answer
            for key in ("cases_refuted", "blocked_columns"):
                stats.extra[key] += figures.extra[key]
            conflicts += figures.conflicts
            if d is not None:
                status, network = d.status, d.network
                break
        else:
            if pending:  # the deadline passed with cases still open
                status = Status.UNKNOWN
    stats.extra["jobs"] = jobs
    stats.solve_s += time.perf_counter() - began  # the workers' wall time counts as solving
    figures = _finish(stats, search.solver, start)  # the conflicts of the head start ...
    figures.conflicts += conflicts  # ... and of the workers
    return Decision(status, network, figures)


def _work(search: _CaseSearch, left: list[Case], counter: Any, seconds: float | None,
          conn: Connection) -> None:
    """A worker: cases from the shared counter until one is not refuted or none is left; then
    its decision (None when it refuted all it took) and its own figures, down the pipe."""
    deadline = Deadline.after(seconds)
    mine = Stats("cases", extra={"cases_refuted": 0, "blocked_columns": 0})
    search.stats = mine
    before = int(search.solver.accum_stats().get("conflicts", 0))
    d = None
    while d is None:
        with counter.get_lock():
            i = counter.value
            counter.value += 1
        if i >= len(left):
            break
        d = search.run(left[i], deadline)
    mine.conflicts = int(search.solver.accum_stats().get("conflicts", 0)) - before
    conn.send((d, mine))
    conn.close()


def _finish(stats: Stats, s: Solver | None, start: float) -> Stats:
    """The stage's figures: the SAT solves and z3's column realizations are its solving time;
    everything else (making the cases, their clauses and symmetry rules) its encoding time."""
    stats.time_s = time.perf_counter() - start
    stats.encode_s = stats.time_s - stats.solve_s
    if s is not None:
        stats.vars, stats.clauses = s.nof_vars(), s.nof_clauses()
        stats.conflicts = int(s.accum_stats().get("conflicts", 0))
    return stats
