"""The CNF encoding of "architecture A computes f under bounds B" (see encodings/cnf.md).

Variables: every weight and bias is an integer within its bound, in the number encoding chosen
by name (`realize.encodings.numbers`, the order encoding by default); every unit u on every
encoded row r has an output literal y[u][r]. Inputs are constants on each row, and so are the
output units on rows where f is specified (or, with ``selectors``, they are tied to their value
under a per-row selector literal). Each unit on each row contributes

    y[u][r] <-> sum_i w_i * z_i(r) + b >= 0

with the products ``w_i * z_i`` and the comparison built by the number encoding (order encoding:
sorted unary numbers from gates, summed by shared totalizers and compared with the bias).
Symmetry breaking (only where sound, see `symmetry_rules`): interchangeable hidden units have
lexicographically ordered output columns, in symmetric bounds every hidden unit outputs 0 on the
first encoded row, and input transforms that f is invariant under (`realize.encodings.symmetry`)
get lex-leader constraints on the hidden columns.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> enc = build_cnf(BooleanFunction.from_hex("6", 2), Architecture.parse("2-2-1"), Bounds())
>>> enc.symmetry, type(enc.numbers).__name__
(['hidden-order', 'hidden-negation', 'input-symmetry'], 'OrderEncoding')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder, lex_chain
from realize.encodings.numbers import (
    DEFAULT_NUMBERS,
    NumberEncoding,
    choose_numbers,
    number_encoding,
)
from realize.encodings.symmetry import ColumnSymmetry, input_symmetries
from realize.errors import UnsupportedError
from realize.options import Deadline
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction
from realize.spec.network import Network, network_from_units


@dataclass
class CnfEncoding:
    """The clauses plus what is needed to decode a model into a `Network`."""

    f: BooleanFunction
    arch: Architecture
    bounds: Bounds
    builder: ClauseBuilder
    #: the number encoding of the weights and biases (in ``builder``)
    numbers: NumberEncoding[Any]
    weights: list[list[Any]]
    biases: list[Any]
    #: positions (into f.rows) of the rows that are encoded, in order
    positions: list[int]
    #: y[u][k]: output literal of unit u on encoded row k (None where not needed)
    y: list[list[int | None]]
    #: selector literal of each encoded row (only with ``selectors=True``)
    selectors: list[int] = field(default_factory=list)
    symmetry: list[str] = field(default_factory=list)

    @property
    def clauses(self) -> list[list[int]]:
        return self.builder.clauses

    @property
    def num_vars(self) -> int:
        return self.builder.num_vars

    def decode(self, model: Sequence[int]) -> Network:
        """The network a satisfying assignment describes."""
        value = self.numbers.value
        return network_from_units(
            self.arch,
            [[value(w, model) for w in ws] for ws in self.weights],
            [value(b, model) for b in self.biases],
        )

    def to_dimacs(self) -> str:
        """DIMACS CNF text with comments recording the question and the variable meaning."""
        lines = [
            f"c realize: arch {self.arch.describe()}, bounds {self.bounds.describe()}",
            f"c function rows {self.f.num_rows}, outputs {self.f.m}, symmetry {self.symmetry}",
        ]
        for u, ws in enumerate(self.weights):
            for i, w in enumerate(ws):
                lines.append(f"c w {u} {i} {self.numbers.describe(w)}")
            lines.append(f"c b {u} {self.numbers.describe(self.biases[u])}")
        lines.append(f"p cnf {self.num_vars} {len(self.clauses)}")
        lines.extend(" ".join(map(str, c)) + " 0" for c in self.clauses)
        return "\n".join(lines) + "\n"


def symmetry_rules(arch: Architecture, bounds: Bounds) -> list[str]:
    """The symmetry-breaking rules that are sound for this architecture and these bounds.

    - ``hidden-order``: units with the same sources and readers may be permuted; always sound.
    - ``hidden-negation``: (w, b) -> (-w, -b-1) with readers' (v, c) -> (-v, c+v); needs weight
      ranges symmetric around 0 and lossless bias ranges (no ``nonneg``, no ``max_bias``).
    """
    rules = []
    if arch.interchangeable_groups():
        rules.append("hidden-order")
    if arch.hidden_units and bounds.symmetric and not bounds.real:
        rules.append("hidden-negation")
    return rules


def build_cnf(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    symmetry: bool = True,
    selectors: bool = False,
    deadline: Deadline | None = None,
    free_outputs: bool = False,
    input_symmetry: bool = True,
    numbers: str = DEFAULT_NUMBERS,
) -> CnfEncoding:
    """Encode the question; ``selectors`` adds one literal per row that switches the row on.

    ``numbers`` names the number encoding of weights and biases (`NUMBER_ENCODINGS`, or
    ``auto``: `choose_numbers` picks; an unknown name raises `InputError`).

    ``free_outputs`` encodes every stored row with a fresh literal for each output unit (f's
    values are ignored): a template for many functions on the same rows, each one solved under
    assumptions on ``y`` (`realize.apps.batch`). Input symmetries of f are then not used, nor with
    ``selectors`` or ``input_symmetry=False`` (they make satisfiable instances harder: the
    small-weight probe of `realize.backends.strategy` leaves them out).

    Raises `DeadlineExpired` when the ``deadline`` passes while encoding, and
    `UnsupportedError` before building anything when the number encoding's size limits
    (`NumberEncoding.practical`) refuse the question.
    """
    if bounds.real:
        raise ValueError("the CNF encoding needs integer bounds (use the smt-real backend)")
    care = f.values != DONT_CARE
    positions = [int(p) for p in np.flatnonzero(care.any(axis=0) | free_outputs)]
    encoding = number_encoding(choose_numbers(numbers, arch, bounds))
    too_large = encoding.practical(arch, bounds, len(positions))
    if too_large is not None:
        raise UnsupportedError(f"the CNF is too large: {too_large} (narrow --max-weight or "
                               "--max-bias, or use the smt backend)")
    b = ClauseBuilder()
    num = encoding(b)
    weights = [[num.integer(*bounds.weight_range(len(fi))) for _ in fi] for fi in arch.fanins]
    biases = [num.integer(*bounds.bias_range(len(fi))) for fi in arch.fanins]
    bits = f.bits()[positions] if positions else np.zeros((0, f.n), dtype=np.uint8)
    readers = arch.consumers()
    output_of = {u: j for j, u in enumerate(arch.outputs)}

    sel = [b.new_var() for _ in positions] if selectors else []
    y: list[list[int | None]] = []
    for u in range(arch.num_units):
        column: list[int | None] = []
        for k, p in enumerate(positions):
            j = output_of.get(u)
            wanted = None if j is None else int(f.values[j, p])
            if free_outputs and j is not None:
                column.append(b.new_var())
            elif wanted is None or wanted == DONT_CARE:
                column.append(b.new_var() if readers[u] or j is None else None)
            elif selectors:
                lit = b.new_var()
                b.add([-sel[k], lit if wanted else -lit])
                column.append(lit)
            else:
                column.append(TRUE if wanted else FALSE)
        y.append(column)

    n = arch.n_inputs
    for u, fanin in enumerate(arch.fanins):
        for k in range(len(positions)):
            out = y[u][k]
            if out is None:
                continue
            if deadline is not None:
                deadline.check(f"encoding unit {u}, row {k}")
            terms = []
            for w, s in zip(weights[u], fanin, strict=True):
                z = (TRUE if bits[k, s] else FALSE) if s < n else y[s - n][k]
                terms.append(num.times(w, z))
            num.reify_at_least(out, [*terms, biases[u]], 0)

    applied = symmetry_rules(arch, bounds) if symmetry and positions else []
    if "hidden-negation" in applied:
        for u in arch.hidden_units:
            b.add([-y[u][0]])
    if "hidden-order" in applied:
        for group in arch.interchangeable_groups():
            for u, v in zip(group, group[1:], strict=False):
                lex_leq(b, y[u], y[v])
    # input symmetries are symmetries of f on all its rows: not of a row subset that selectors
    # switch on, nor of the functions a free-output template stands for
    if symmetry and input_symmetry and positions and arch.hidden_units and not (free_outputs or selectors):
        hidden = [y[u] for u in arch.hidden_units]
        for name, t in input_symmetries(f, arch, bounds):
            lex_leader(b, hidden, ColumnSymmetry.of_rows(name, t, len(hidden)), positions)
            if "input-symmetry" not in applied:
                applied.append("input-symmetry")
    return CnfEncoding(f, arch, bounds, b, num, weights, biases, positions, y, sel, applied)


def lex_leader(b: ClauseBuilder, columns: Sequence[Sequence[int | None]], sym: ColumnSymmetry,
               positions: Sequence[int]) -> None:
    """``V <=lex sym(V)`` for V the concatenated columns (`ColumnSymmetry.lex_pairs`)."""
    for clause in lex_chain(sym.lex_pairs(columns, positions), b.new_var):
        b.add(clause)


def lex_leq(b: ClauseBuilder, xs: Sequence[int | None], ys: Sequence[int | None]) -> None:
    """Clauses for ``xs <=lex ys`` (first element most significant; up to the first None)."""
    pairs = []
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None:
            break
        pairs.append((x, y))
    for clause in lex_chain(pairs, b.new_var):
        b.add(clause)
