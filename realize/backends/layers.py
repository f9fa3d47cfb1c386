"""Exact mode on two or more hidden layers: every unit a truth table (encodings/cnf.md,
"The layered tables").

In exact mode every unit computes an arbitrary threshold function of its inputs, so weights can
be forgotten: a layered network n-k1-...-kL-1 computes f iff there are

- first-layer columns y_u over all 2^n rows, each a threshold function of the n inputs, and
- for every later unit v (the output included) a table g_v over the 2^k patterns of the
  previous layer (k units), a threshold function of k inputs, with unit values
  z_v(x) = g_v(pattern of the previous layer at x),

such that the output equals f on the care rows. "Threshold" is relaxed to the necessary
condition 2-asummable (`realize.encodings.asummable`) for columns and tables alike, and rows
with different values of f must differ on the first layer (separation), so a refutation is
sound. A model's columns and tables are realized one by one by z3 (one unit, exact mode); any
that is not threshold is blocked and the CNF solved again. Hidden units are normalized as in
the plain CNF: 0 on row 0 (negation, absorbed by the next table), the columns of each layer in
lexicographic order (permutation), plus f's input symmetries.

Before that, when f is symmetric in some inputs, *symmetric probes* search only for networks
whose first-layer units are symmetric in blocks of those inputs (`probe_blocks`): far smaller
CNFs, each given `PROBE_CONFLICTS` conflicts; a model is a network like any other. Parity 6
on 6-5-2-1 is found with blocks 3+2+1 (Paterson's five hyperplanes slicing the 6-cube are
symmetric in three and in two coordinates).

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> xor3 = BooleanFunction.from_hex("96", 3)
>>> decide_by_layers(xor3, Architecture.parse("3-2-2-1"), Bounds(), Options(), Deadline()).status.value
'unrealizable'
>>> d = decide_by_layers(xor3, Architecture.parse("3-3-2-1"), Bounds(), Options(), Deadline())
>>> d.status.value, d.network.function().to_hex(), d.stats.stage, d.stats.extra["probe"]
('realizable', '96', 'layers', '3')
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from pysat.solvers import Solver

from realize.backends.cases import realize_columns
from realize.backends.satsolver import solve_loaded
from realize.encodings.asummable import asummability_clauses, asummable_quadruples
from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.cnf import lex_leader, lex_leq
from realize.encodings.symmetry import ColumnSymmetry, input_symmetries
from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network, network_from_units

#: largest n: the first layer's 2-asummability clauses grow as about 6^n / 2 (61,824 per unit
#: for n = 7), and z3 realizes a 7-input column in about 0.1 s
MAX_INPUTS = 7
#: widest hidden layer: a table of k inputs has 2^k entries, linked on every row
MAX_WIDTH = 6
#: widest single hidden layer the symmetric probes take on (`probes_apply`): the output's table
#: has 2^k entries
MAX_PROBE_WIDTH = 7
#: conflict budget of each symmetric probe
PROBE_CONFLICTS = 20000


def applies(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> bool:
    """Exact mode, layered n-k1-...-kL-1 (L >= 2) without skip connections, 1 <= n <= 7, every
    k <= 6."""
    return (bounds.mode == "exact" and bounds.symmetric and arch.layers is not None
            and len(arch.layers) >= 3 and not arch.skip and arch.layers[-1] == 1
            and 1 <= f.n <= MAX_INPUTS and max(arch.layers[:-1]) <= MAX_WIDTH)


def probe_blocks(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> list[tuple[tuple[int, ...], ...]]:
    """The block structures the symmetric probes try, fewest orbits first.

    The inputs that f is symmetric in (its transpositions, `input_symmetries`) form classes; a
    structure splits every class into consecutive blocks, one integer partition of its size
    each (which inputs go to which block does not matter: f is symmetric in the class). Every
    unit of the first layer must then be symmetric in the inputs of each block.
    All blocks of size one is the question itself, not a probe.

    >>> from realize.spec.architecture import Architecture
    >>> from realize.readers.registry import parse_function
    >>> blocks = probe_blocks(parse_function("parity", 4), Architecture.parse("4-2-2-1"), Bounds())
    >>> [[len(b) for b in s] for s in blocks]
    [[4], [3, 1], [2, 2], [2, 1, 1]]
    """
    n = f.n
    # invariance under (i j) and (j k) gives (i k), and every transposition is tried: the pairs
    # found are already an equivalence
    swaps = {tuple(int(p[1:]) for p in name.split()[1:])
             for name, _ in input_symmetries(f, arch, bounds) if name.startswith("swap")}
    classes: list[list[int]] = []
    for i in range(n):
        if not any(i in members for members in classes):
            classes.append([i, *(j for j in range(i + 1, n) if (i, j) in swaps)])
    choices = []
    for members in classes:
        splits = []
        for sizes in integer_partitions(len(members)):
            starts = np.cumsum([0, *sizes])
            splits.append([tuple(members[a:b]) for a, b in itertools.pairwise(starts)])
        choices.append(splits)
    out = [tuple(b for part in pick for b in part) for pick in itertools.product(*choices)]
    out = [s for s in out if len(s) < n]
    return sorted(out, key=lambda s: (int(np.prod([len(b) + 1 for b in s])), [-len(b) for b in s]))


def integer_partitions(m: int, largest: int | None = None) -> Iterator[tuple[int, ...]]:
    """The partitions of m into parts <= ``largest``, largest parts first.

    >>> list(integer_partitions(4))
    [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
    """
    largest = m if largest is None else largest
    if m == 0:
        yield ()
        return
    for first in range(min(m, largest), 0, -1):
        for rest in integer_partitions(m - first, first):
            yield (first, *rest)


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


def separation_clauses(b: ClauseBuilder, layer: Sequence[Sequence[int]], ones: Sequence[int],
                       zeros: Sequence[int]) -> None:
    """Rows x1 with f = 1 and x0 with f = 0 differ on some unit of ``layer`` (else every later
    value, the output's included, is the same on both): a literal d_u -> y_u(x1) != y_u(x0)
    per unit and the clause OR_u d_u, for every such pair."""
    for x1 in ones:
        for x0 in zeros:
            differs = []
            for col in layer:
                d = b.new_var()
                b.add([-d, col[x1], col[x0]])
                b.add([-d, -col[x1], -col[x0]])
                differs.append(d)
            b.add(differs)


@dataclass
class LayerCnf:
    """The CNF of `decide_by_layers`: ``columns[l][u][x]`` is hidden unit u of layer l on row x
    (literals), ``tables[l][v][p]`` the table of unit v of layer l + 1 on pattern p."""

    builder: ClauseBuilder
    columns: list[list[list[int]]]
    tables: list[list[list[int]]]

    def groups(self, arch: Architecture) -> list[tuple[int, list[list[int]]]]:
        """Every unit's column or table with its number of inputs, in unit order."""
        return [(arch.n_inputs, self.columns[0]),
                *((width, t) for width, t in zip(arch.layers, self.tables, strict=False))]


def build_layer_cnf(f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
                    blocks: Sequence[Sequence[int]] | None = None) -> LayerCnf:
    """The CNF of the module docstring. With ``blocks`` (a probe) every first-layer unit is
    symmetric in the inputs of each block, so it is constant on the orbits of rows (rows with
    the same number of 1s in each block), and so is every later unit (a function of the first
    layer): every hidden column has one variable per orbit, and only the first row of each
    orbit is encoded (f is constant on orbits: the blocks come from its symmetries)."""
    n, widths = f.n, arch.layers
    b = ClauseBuilder()
    every_row = range(2**n)
    orbit = list(every_row) if blocks is None else [
        tuple(sum(x >> i & 1 for i in block) for block in blocks) for x in every_row]
    first_of: dict[object, int] = {}
    for x, key in enumerate(orbit):
        first_of.setdefault(key, x)
    rows = sorted(first_of.values())

    def hidden_layer(width: int) -> list[list[int]]:
        out = []
        for _ in range(width):
            var = {x: b.new_var() for x in rows}
            out.append([var[first_of[key]] for key in orbit])
        return out

    columns = [hidden_layer(widths[0])]
    for col in columns[0]:
        b.clauses += orbit_asummability(col, n)
    value = dict(zip((int(x) for x in f.rows), (int(v) for v in f.values[0]), strict=True))
    ones = [x for x in rows if value.get(x) == 1]
    zeros = [x for x in rows if value.get(x) == 0]
    output = [(x, TRUE) for x in ones] + [(x, FALSE) for x in zeros]
    tables: list[list[list[int]]] = []
    for depth, width in enumerate(widths[1:], start=1):
        k, last = widths[depth - 1], depth == len(widths) - 1
        tables.append([[b.new_var() for _ in range(2**k)] for _ in range(width)])
        if not last:
            columns.append(hidden_layer(width))
        for u, table in enumerate(tables[-1]):
            b.clauses += asummability_clauses(table, k)
            for x, z in output if last else [(x, columns[depth][u][x]) for x in rows]:
                for clause in link_clauses(columns[depth - 1], table, x, z):
                    b.add(clause)
    separation_clauses(b, columns[0], ones, zeros)
    add_symmetry_breaking(b, f, arch, bounds, options, columns, rows)
    return LayerCnf(b, columns, tables)


def orbit_asummability(column: Sequence[int], n: int) -> list[list[int]]:
    """`asummability_clauses` of a column of variables (positive literals) that rows may share,
    without tautologies and repeated clauses.

    >>> from realize.encodings.asummable import asummability_clauses
    >>> symmetric = [2, 3, 3, 4, 3, 4, 4, 5]  # a column of 3 inputs, one variable per weight
    >>> len(asummability_clauses(symmetric, 3)), orbit_asummability(symmetric, 3)[:2]
    (24, [[-3, -3, 2, 4], [-2, -4, 3, 3]])
    >>> len(orbit_asummability(symmetric, 3))
    6
    """
    if len(set(column)) == len(column):
        return asummability_clauses(column, n)
    quads = np.asarray(column, dtype=np.int64)[asummable_quadruples(n)]
    ones, zeros = np.sort(quads[:, :2], axis=1), np.sort(quads[:, 2:], axis=1)
    keep = ~(ones[:, :, None] == zeros[:, None, :]).any(axis=(1, 2))
    quads = np.concatenate([ones, zeros], axis=1)[keep]
    base = int(quads.max(initial=0)) + 1  # first-layer variables: base**4 < 2**63
    keys = quads @ base ** np.arange(3, -1, -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # not np.unique: it imports numpy.ma (10 ms)
    first = order[np.concatenate([[True], keys[order][1:] != keys[order][:-1]])]
    quads = quads[np.sort(first)]
    return np.concatenate([-quads[:, :2], quads[:, 2:]], axis=1).tolist()


def add_symmetry_breaking(b: ClauseBuilder, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                          options: Options, columns: Sequence[Sequence[Sequence[int]]],
                          rows: Sequence[int]) -> None:
    """The rules ``options`` allows (encodings/cnf.md, "The layered tables"): every hidden unit
    0 on row 0 (hidden-negation); the columns of each hidden layer in lexicographic order
    (hidden-order), compared on ``rows``, the first row of each orbit (the first difference of
    two columns constant on orbits is at such a row); ``V <=lex t(V)`` for each input symmetry
    t of f, V the first layer's columns (input-symmetry)."""
    for layer in columns:
        if options.uses("hidden-negation"):
            for col in layer:
                b.add([-col[0]])
        if options.uses("hidden-order"):
            for left, right in itertools.pairwise(layer):
                lex_leq(b, [left[x] for x in rows], [right[x] for x in rows])
    if options.uses("input-symmetry"):
        for name, t in input_symmetries(f, arch, bounds):
            lex_leader(b, columns[0], ColumnSymmetry.of_rows(name, t, len(columns[0])), range(2**f.n))


def decide_by_layers(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    options: Options,
    deadline: Deadline,
) -> Decision:
    """Decide ``f`` on ``arch`` (requires `applies`): the symmetric probes (with
    ``options.probe``), then the question. The witness is decoded, not verified."""
    if not applies(f, arch, bounds):
        raise ValueError("the layered method needs exact mode and a layered network with at least "
                         f"two hidden layers of at most {MAX_WIDTH} units, n <= {MAX_INPUTS}")
    start = time.perf_counter()
    stats = Stats("layers", extra={"probes": 0, "probe": None, "models": 0, "blocked_columns": 0})
    if options.probe:
        net = _symmetric_probes(f, arch, bounds, options, deadline, stats)
        if net is not None or deadline.expired():
            return Decision(Status.UNKNOWN if net is None else Status.REALIZABLE, net,
                            _finish(stats, start))
    cnf = build_layer_cnf(f, arch, bounds, options)
    status, net = _solve(cnf, arch, options.solver, deadline, stats)
    return Decision(status, net, _finish(stats, start))


def probes_apply(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> bool:
    """The symmetric probes alone also serve exact mode on one hidden layer of up to
    `MAX_PROBE_WIDTH` units (beyond the case split's six), n <= 7, when f has input symmetries."""
    return (bounds.mode == "exact" and bounds.symmetric and arch.layers is not None
            and len(arch.layers) == 2 and not arch.skip and arch.layers[-1] == 1
            and 1 <= f.n <= MAX_INPUTS and arch.layers[0] <= MAX_PROBE_WIDTH)


def symmetric_probes(f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
                     deadline: Deadline) -> Decision:
    """Only the symmetric probes (`probe_blocks`): REALIZABLE with the witness one finds (decoded,
    not verified), else UNKNOWN; stage ``symmetric-probes``.

    >>> from realize.readers.registry import parse_function
    >>> d = symmetric_probes(parse_function("parity", 5), Architecture.parse("5-5-1"), Bounds(),
    ...                      Options(), Deadline())
    >>> d.status.value, d.stats.extra["probe"], d.network.function().to_hex()
    ('realizable', '5', '96696996')
    """
    start = time.perf_counter()
    stats = Stats("symmetric-probes", extra={"probes": 0, "probe": None, "models": 0,
                                              "blocked_columns": 0})
    net = _symmetric_probes(f, arch, bounds, options, deadline, stats)
    return Decision(Status.UNKNOWN if net is None else Status.REALIZABLE, net, _finish(stats, start))


def _symmetric_probes(f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
                      deadline: Deadline, stats: Stats) -> Network | None:
    """Each block structure in turn, `PROBE_CONFLICTS` each, until a witness or the deadline."""
    probe_options = options.replace(symmetry=options.symmetry - {"input-symmetry"})
    for blocks in probe_blocks(f, arch, bounds):
        stats.extra["probes"] += 1
        cnf = build_layer_cnf(f, arch, bounds, probe_options, blocks)
        status, net = _solve(cnf, arch, options.solver, deadline, stats, PROBE_CONFLICTS)
        if status is Status.REALIZABLE:
            stats.extra["probe"] = "+".join(str(len(block)) for block in blocks)
            return net
        if deadline.expired():
            return None
    return None


def _solve(cnf: LayerCnf, arch: Architecture, solver: str, deadline: Deadline, stats: Stats,
           max_conflicts: int | None = None) -> tuple[Status, Network | None]:
    """Solve, realize the model's columns and tables, block any that is not threshold, repeat:
    the status and the network (REALIZABLE), UNKNOWN at the deadline or the conflict budget."""
    groups = cnf.groups(arch)
    with Solver(name=solver, bootstrap_with=cnf.builder.clauses) as s:
        stats.vars = max(stats.vars, s.nof_vars())
        try:
            while True:
                t1 = time.perf_counter()
                out = solve_loaded(s, deadline=deadline, name=solver, max_conflicts=max_conflicts)
                stats.solve_s += time.perf_counter() - t1
                if not out.satisfiable:
                    status = Status.UNKNOWN if out.satisfiable is None else Status.UNREALIZABLE
                    return status, None
                stats.extra["models"] += 1
                units = realize_columns(s, out.model, groups, stats)
                if units is not None:
                    return Status.REALIZABLE, network_from_units(arch, [w for w, _ in units],
                                                                 [c for _, c in units])
        finally:
            stats.clauses = max(stats.clauses, s.nof_clauses())
            stats.conflicts += int(s.accum_stats().get("conflicts", 0))


def _finish(stats: Stats, start: float) -> Stats:
    """Solving time: the SAT solves and z3's realizations; the rest is encoding."""
    stats.time_s = time.perf_counter() - start
    stats.encode_s = stats.time_s - stats.solve_s
    return stats
