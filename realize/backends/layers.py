"""Exact mode on two or more hidden layers: units as truth tables (encodings/cnf.md, "layers").

In exact mode every unit computes an arbitrary threshold function of its inputs, so weights can
be forgotten: a layered network n-k1-...-kL-1 computes f iff there are

- first-layer columns y_u over all 2^n rows, each a threshold function of the n inputs, and
- for every later unit v (the output included) a table g_v over the 2^k patterns of the
  previous layer (k units), a threshold function of k inputs, with unit values
  z_v(x) = g_v(pattern of the previous layer at x),

such that the output's values equal f on the care rows. "Threshold" is relaxed to the necessary
condition 2-asummable (`realize.encodings.asummable`) for columns and tables alike, so a
refutation is sound; a model's columns and tables are realized one by one by z3 (one unit,
exact mode), any that is not threshold is blocked and the CNF solved again. The hidden units
are normalized as in the plain CNF: 0 on row 0 (negation, absorbed by the next layer's table),
columns of each layer in lexicographic order (permutation), plus f's input symmetries.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> xor3 = BooleanFunction.from_hex("96", 3)
>>> decide_by_layers(xor3, Architecture.parse("3-2-2-1"), Bounds(), Options(), Deadline()).status.value
'unrealizable'
>>> d = decide_by_layers(xor3, Architecture.parse("3-3-2-1"), Bounds(), Options(), Deadline())
>>> d.status.value, d.network.function().to_hex(), d.stats.stage
('realizable', '96', 'layers')
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pysat.solvers import Solver

from realize.backends.cases import realize_columns
from realize.backends.satsolver import solve_loaded
from realize.encodings.asummable import asummability_clauses
from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.cnf import lex_leader, lex_leq
from realize.encodings.symmetry import ColumnSymmetry, input_symmetries
from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.spec.network import network_from_units

#: largest n: the first layer's 2-asummability clauses grow as about 6^n / 2 (61,824 per unit
#: for n = 7), and z3 realizes a 7-input column in about 0.1 s
MAX_INPUTS = 7
#: widest hidden layer: a table of k inputs has 2^k entries, linked on every row
MAX_WIDTH = 6


def applies(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> bool:
    """Exact mode, layered n-k1-...-kL-1 (L >= 2) without skip connections, 1 <= n <= 7, every
    k <= 6."""
    return (bounds.mode == "exact" and bounds.symmetric and arch.layers is not None
            and len(arch.layers) >= 3 and not arch.skip and arch.layers[-1] == 1
            and 1 <= f.n <= MAX_INPUTS and max(arch.layers[:-1]) <= MAX_WIDTH)


def link_clauses(previous: Sequence[Sequence[int]], table: Sequence[int], x: int, value: int
                 ) -> list[list[int]]:
    """Clauses "value = table[pattern of the ``previous`` columns on row x]": for every pattern p,
    (previous(x) = p) -> (value <-> table[p]). ``value`` may be the constant ``TRUE`` or
    ``FALSE`` (the output on a care row); `ClauseBuilder.add` folds it.

    >>> link_clauses([[2, 3]], [4, 5], 1, 6)   # one previous unit, its literal 3 on row 1
    [[3, -6, 4], [3, 6, -4], [-3, -6, 5], [-3, 6, -5]]
    """
    out = []
    for p, g in enumerate(table):
        differs = [-col[x] if p >> u & 1 else col[x] for u, col in enumerate(previous)]
        out += [[*differs, -value, g], [*differs, value, -g]]
    return out


def decide_by_layers(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    options: Options,
    deadline: Deadline,
) -> Decision:
    """Decide ``f`` on ``arch`` (requires `applies`); the witness is decoded, not verified."""
    if not applies(f, arch, bounds):
        raise ValueError("the layered method needs exact mode and a layered network with at least "
                         f"two hidden layers of at most {MAX_WIDTH} units, n <= {MAX_INPUTS}")
    start = time.perf_counter()
    n, widths = f.n, arch.layers
    stats = Stats("layers", extra={"models": 0, "blocked_columns": 0})
    b = ClauseBuilder()
    every_row = range(2**n)
    # columns[l][u][x]: unit u of layer l on row x (hidden layers); tables[l][u][p] (l >= 1)
    columns = [[[b.new_var() for _ in every_row] for _ in range(widths[0])]]
    tables: list[list[list[int]]] = []
    for col in columns[0]:
        b.clauses += asummability_clauses(col, n)
    output = [(int(x), TRUE if v == 1 else FALSE) for x, v in zip(f.rows, f.values[0], strict=True)
              if v in (0, 1)]
    for depth, width in enumerate(widths[1:], start=1):
        k, last = widths[depth - 1], depth == len(widths) - 1
        tables.append([[b.new_var() for _ in range(2**k)] for _ in range(width)])
        if not last:
            columns.append([[b.new_var() for _ in every_row] for _ in range(width)])
        for u, table in enumerate(tables[-1]):
            b.clauses += asummability_clauses(table, k)
            for x, value in output if last else [(x, columns[depth][u][x]) for x in every_row]:
                for clause in link_clauses(columns[depth - 1], table, x, value):
                    b.add(clause)
    add_symmetry_breaking(b, f, arch, bounds, options, columns)
    groups = [(n, columns[0])] + [(widths[d], tables[d]) for d in range(len(tables))]
    known: dict[tuple[int, bytes], tuple[list[int], int] | None] = {}
    with Solver(name=options.solver, bootstrap_with=b.clauses) as s:
        stats.encode_s = time.perf_counter() - start
        while True:
            t0 = time.perf_counter()
            out = solve_loaded(s, deadline=deadline, name=options.solver)
            stats.solve_s += time.perf_counter() - t0
            if out.satisfiable is None:
                return Decision(Status.UNKNOWN, None, _finish(stats, s, start))
            if not out.satisfiable:
                return Decision(Status.UNREALIZABLE, None, _finish(stats, s, start))
            stats.extra["models"] += 1
            units = realize_columns(s, out.model, groups, stats, known)
            if units is not None:
                net = network_from_units(arch, [w for w, _ in units], [c for _, c in units])
                return Decision(Status.REALIZABLE, net, _finish(stats, s, start))


def add_symmetry_breaking(b: ClauseBuilder, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                          options: Options, columns: Sequence[Sequence[Sequence[int]]]) -> None:
    """The rules `options` allows (encodings/cnf.md, "layers"): every hidden unit 0 on row 0
    (hidden-negation), the columns of each hidden layer in lexicographic order (hidden-order),
    and ``V <=lex t(V)`` for each input symmetry t of f, V the first layer's columns."""
    for layer in columns:
        if options.uses("hidden-negation"):
            for col in layer:
                b.add([-col[0]])
        if options.uses("hidden-order"):
            for left, right in zip(layer, layer[1:], strict=False):
                lex_leq(b, left, right)
    if options.uses("input-symmetry"):
        for name, t in input_symmetries(f, arch, bounds):
            lex_leader(b, columns[0], ColumnSymmetry.of_rows(name, t, len(columns[0])), range(2**f.n))


def _finish(stats: Stats, s: Solver, start: float) -> Stats:
    """Solving time: the SAT solves and z3's realizations; the rest is encoding."""
    stats.time_s = time.perf_counter() - start
    stats.encode_s = stats.time_s - stats.solve_s
    stats.vars, stats.clauses = s.nof_vars(), s.nof_clauses()
    stats.conflicts = int(s.accum_stats().get("conflicts", 0))
    return stats
