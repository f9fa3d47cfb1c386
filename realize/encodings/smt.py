"""SMT backend: the realizability question in linear arithmetic for z3.

Variables (``u`` is a unit index, ``r`` a care row, i.e. an input assignment):

- ``w_u_i`` and ``b_u``: the weights and bias of unit u; z3 ``Int`` within
  ``bounds.weight_range(fan_in)`` / ``bounds.bias_range(fan_in)`` in integer mode, z3 ``Real``
  (unbounded; ``w >= 0`` under ``nonneg``) in real mode (``bounds.real``).
- ``y_u_r``: a ``Bool``, the output of unit u on row r, for every (unit, row) whose value is
  needed and not already fixed. An output unit on a row where its output is specified is the
  constant wanted value, not a variable.

Per row the pre-activation of unit u is a plain ``Sum`` of its bias and the weights of the
*inputs* that are 1 on that row, plus ``If(y_src, w, 0)`` for every source that is a unit. Then
``y <-> sum >= 0`` (integer mode) or ``y -> sum >= 0`` and ``not y -> sum <= -1`` (real mode, see
`build_smt` for why ``<= -1`` loses nothing). Units whose value on a row nobody needs (an output
that is free there, read by no needed unit) get no constraint on that row.

Optional symmetry breaking: the units of each group of `Architecture.interchangeable_groups`
(same sources, same readers) are ordered by their output columns over the encoded rows,
non-strictly and lexicographically. Documented in ``encodings/smt.md``.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> enc = build_smt(BooleanFunction.from_hex("6", 2), Architecture.parse("2-1"), Bounds())
>>> enc.logic, enc.stats["assertions"] > 0
('QF_LIA', True)
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from realize.options import Deadline
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction
from realize.spec.network import Network, network_from_units

#: A unit's value on one row: a z3 Bool variable, or a Python bool when it is fixed.
Value = z3.BoolRef | bool


@dataclass
class SmtEncoding:
    """A z3 solver holding the realizability constraints, and the variables to decode.

    ``weights[u][i]`` and ``biases[u]`` are the z3 variables of unit u; ``values[u]`` maps a row
    (input assignment) to the unit's value there (z3 Bool or fixed bool) on the encoded rows.
    Everything lives in the private z3 context ``ctx``: one encoding per thread.
    """

    f: BooleanFunction
    arch: Architecture
    bounds: Bounds
    ctx: z3.Context
    solver: z3.Solver
    weights: list[list[z3.ArithRef]]
    biases: list[z3.ArithRef]
    values: list[dict[int, Value]]
    symmetry: bool
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def real(self) -> bool:
        return self.bounds.real

    @property
    def logic(self) -> str:
        """The SMT-LIB logic: ``QF_LRA`` in real mode, ``QF_LIA`` otherwise."""
        return "QF_LRA" if self.real else "QF_LIA"

    def to_smt2(self) -> str:
        """SMT-LIB2 text of the constraints, ending with ``(check-sat)``.

        A comment header names the units: ``w_u_i`` is weight i of unit u (its i-th source in
        ``arch.fanins[u]``), ``b_u`` its bias, ``y_u_r`` its value on input row r.
        """
        arch = self.arch
        lines = [
            f"; realize SMT encoding: {arch.describe()}, {self.f.num_rows} care rows, "
            f"bounds {self.bounds.describe()}, symmetry {'on' if self.symmetry else 'off'}",
            "; unit output is 1 iff sum_i w_u_i * source_i + b_u >= 0",
        ]
        for u, fanin in enumerate(arch.fanins):
            sources = " ".join(_comment_safe(arch.signal_name(s)) for s in fanin)
            lines.append(f"; unit {u} = {_comment_safe(arch.unit_names[u])} reads [{sources}]")
        lines.append(f"(set-logic {self.logic})")
        text = self.solver.to_smt2()
        if "(check-sat)" not in text:
            text += "(check-sat)\n"
        return "\n".join(lines) + "\n" + text

    def decode(self, model: z3.ModelRef) -> Network:
        """The integer network of a z3 model (not verified here; the caller verifies).

        In real mode each unit's weights and bias are multiplied by the least common multiple
        of their denominators: a positive factor keeps the sign of every pre-activation, so the
        unit computes the same function of its inputs, and hence so does the whole network.
        """
        weights: list[list[int]] = []
        biases: list[int] = []
        for ws, b in zip(self.weights, self.biases, strict=True):
            if self.real:
                fracs = [_fraction(model.eval(v, model_completion=True)) for v in (*ws, b)]
                scale = math.lcm(*(q.denominator for q in fracs))
                ints = [int(q * scale) for q in fracs]
            else:
                ints = [model.eval(v, model_completion=True).as_long() for v in (*ws, b)]
            weights.append(ints[:-1])
            biases.append(ints[-1])
        return network_from_units(self.arch, weights, biases)


def build_smt(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, *, symmetry: bool = True,
    deadline: Deadline | None = None,
) -> SmtEncoding:
    """Encode "does ``arch`` compute ``f`` within ``bounds``?" for z3 (see the module docstring);
    `DeadlineExpired` when the ``deadline`` passes while building.

    Real mode (``bounds.real``) encodes output 0 as ``sum <= -1`` rather than ``sum < 0``. This
    loses nothing: the network is constrained only on finitely many rows, so if real weights
    make every "0" pre-activation of a unit negative, let ``eps > 0`` be the smallest of their
    absolute values; dividing that unit's weights and bias by ``eps`` moves all of them to
    ``<= -1`` while every ">= 0" pre-activation stays ``>= 0``. A positive factor does not change
    the unit's 0/1 output on any row, so its readers see the same values, and doing this unit by
    unit gives a solution of the ``<= -1`` form. Non-strict bounds only keep z3 in plain linear
    real arithmetic and make the model's rationals easy to scale to integers (`decode`).

    >>> from realize.spec.functions import BooleanFunction
    >>> enc = build_smt(BooleanFunction.from_hex("8", 2), Architecture.parse("2-1"), Bounds())
    >>> enc.stats["assertions"], enc.logic
    (7, 'QF_LIA')
    """
    if f.n != arch.n_inputs or f.m != arch.m:
        raise ValueError(
            f"the function has {f.n} inputs and {f.m} outputs; "
            f"the architecture {arch.describe()} has {arch.n_inputs} and {arch.m}"
        )
    start = time.perf_counter()
    ctx = z3.Context()
    solver = z3.SolverFor("QF_LRA" if bounds.real else "QF_LIA", ctx=ctx)
    n = arch.n_inputs
    num_units = arch.num_units
    real = bounds.real
    make = z3.Real if real else z3.Int
    zero = z3.RealVal(0, ctx) if real else z3.IntVal(0, ctx)

    # -- weight and bias variables with their ranges --------------------------------------------
    weights: list[list[z3.ArithRef]] = []
    biases: list[z3.ArithRef] = []
    for u, fanin in enumerate(arch.fanins):
        ws = [make(f"w_{u}_{i}", ctx) for i in range(len(fanin))]
        b = make(f"b_{u}", ctx)
        weights.append(ws)
        biases.append(b)
        if real:
            if bounds.nonneg:
                solver.add(*(w >= 0 for w in ws))
        else:
            lo, hi = bounds.weight_range(len(fanin))
            blo, bhi = bounds.bias_range(len(fanin))
            solver.add(*(z3.And(w >= lo, w <= hi) for w in ws))
            solver.add(z3.And(b >= blo, b <= bhi))

    # -- which unit values are fixed or needed on which row -----------------------------------
    rows = [int(r) for r in f.rows]
    bits = f.bits()
    wanted: list[dict[int, int]] = [{} for _ in range(num_units)]   # position -> 0/1
    conflict = False
    for j, u in enumerate(arch.outputs):
        for p, v in enumerate(f.values[j]):
            if v == DONT_CARE:
                continue
            if wanted[u].get(p, int(v)) != int(v):
                conflict = True     # one unit listed twice as an output with different values
            wanted[u][p] = int(v)
    if conflict:
        solver.add(z3.BoolVal(False, ctx))
    needed = [set(w) for w in wanted]
    for u in reversed(range(num_units)):         # readers come after their sources
        for s in arch.fanins[u]:
            if s >= n:
                needed[s - n] |= needed[u]

    # -- per-row constraints ------------------------------------------------------------------
    values: list[dict[int, Value]] = [{} for _ in range(num_units)]
    for u, fanin in enumerate(arch.fanins):
        ws, b = weights[u], biases[u]
        in_pos = [(i, s) for i, s in enumerate(fanin) if s < n]
        unit_pos = [(i, s - n) for i, s in enumerate(fanin) if s >= n]
        for k, p in enumerate(sorted(needed[u])):
            if deadline is not None and k % 256 == 0:
                deadline.check(f"encoding unit {u} for z3")
            terms: list[Any] = [b]
            terms += [ws[i] for i, s in in_pos if bits[p, s]]
            for i, src in unit_pos:
                y_src = values[src][p]
                if y_src is True:
                    terms.append(ws[i])
                elif y_src is not False:
                    terms.append(z3.If(y_src, ws[i], zero))
            total = terms[0] if len(terms) == 1 else z3.Sum(terms)
            if p in wanted[u]:
                value: Value = bool(wanted[u][p])
                solver.add(total >= 0 if value else total <= -1)
            else:
                value = z3.Bool(f"y_{u}_r{rows[p]}", ctx)
                if real:
                    solver.add(z3.Implies(value, total >= 0))
                    solver.add(z3.Implies(z3.Not(value), total <= -1))
                else:
                    solver.add(value == (total >= 0))
            values[u][p] = value

    # -- symmetry breaking: interchangeable units ordered by output column ---------------------
    symmetry_pairs = 0
    if symmetry:
        for group in arch.interchangeable_groups():
            for a, c in zip(group, group[1:], strict=False):
                assert_lex_leq(solver, values[a], values[c], f"lex_{a}_{c}")
                symmetry_pairs += 1

    stats = {
        "backend": "smt-real" if real else "smt",
        "rows": len(rows),
        "variables_weights": sum(len(ws) + 1 for ws in weights),
        "variables_values": sum(
            1 for vs in values for v in vs.values() if not isinstance(v, bool)
        ),
        "assertions": len(solver.assertions()),
        "symmetry_pairs": symmetry_pairs,
        "build_time_s": round(time.perf_counter() - start, 6),
    }
    return SmtEncoding(f, arch, bounds, ctx, solver, weights, biases, values, symmetry, stats)


# -- helpers ----------------------------------------------------------------------------------
def assert_lex_leq(solver: z3.Solver, a: dict[int, Value], c: dict[int, Value], name: str) -> None:
    """Assert column a <= column c lexicographically (first row most significant, 0 < 1).

    ``e_k`` may be true only while the prefix before position k is equal; it is forced true
    whenever it is.
    """
    ctx = solver.ctx
    positions = sorted(set(a) & set(c))
    prefix_equal: z3.BoolRef | None = None      # None: the empty prefix, always equal
    for k, p in enumerate(positions):
        x, y = _as_bool(a[p], ctx), _as_bool(c[p], ctx)
        guard = x if prefix_equal is None else z3.And(prefix_equal, x)
        solver.add(z3.Implies(guard, y))      # equal so far: a_k <= c_k
        if k + 1 < len(positions):
            e = z3.Bool(f"{name}_e{k + 1}", ctx)
            same = x == y
            solver.add(z3.Implies(same if prefix_equal is None else z3.And(prefix_equal, same), e))
            prefix_equal = e


def _as_bool(v: Value, ctx: z3.Context) -> z3.BoolRef:
    return z3.BoolVal(v, ctx) if isinstance(v, bool) else v


def _fraction(v: z3.ExprRef) -> Fraction:
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    raise ValueError(f"z3 returned a non-rational value {v}")   # not expected in linear arithmetic


def _comment_safe(name: str) -> str:
    return re.sub(r"[\r\n]", " ", name)
