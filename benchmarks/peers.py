"""Peer baselines: the question as a CP-SAT expert and a MIP expert would model it.

Both models share one layout (`_build`): integer weights and biases in the exact-mode ranges of
`realize.spec.bounds` (the ones `baseline.py` and the realize encodings search), and, for every
row with a care output and every unit whose value another unit reads, a Boolean output variable
tied to the unit's pre-activation: 1 iff ``pre >= 0``, 0 iff ``pre <= -1`` (integers leave no gap
between). An output unit on a care row gets the sign constraint of its value directly. Inputs
are constants on a row, so a first-layer pre-activation is linear in the weights; a unit reading
a Boolean signal h through weight w reads a product variable ``c = w * h``.

- **CP-SAT** (`solve_cpsat`, ortools): ``c == w`` enforced if h, ``c == 0`` if not h, the output
  variable reified with `OnlyEnforceIf` in both directions, and the hidden units of each layer in
  lexicographic order of their (weights, bias) vectors (sound: the units of a hidden layer read
  the same signals and feed the same units over the same weight ranges, so sorting them, with the
  readers' weights permuted alike, maps any solution to an ordered one).
- **HiGHS** (`solve_highs`, highspy): the same variables as a big-M MIP, M the pre-activation's
  range over the weight and bias bounds (``pre >= lo * (1 - h)``, ``pre <= -1 + (hi + 1) * h``),
  products linearised exactly by McCormick with the weight bounds (h binary), no objective.
  HiGHS detects and exploits the unit-permutation symmetry itself (``mip_detect_symmetry``).

A status is ``realizable`` with a network (values read back as integers; the harness verifies
it on every care row), ``unrealizable`` only when the solver proved infeasibility, otherwise
``unknown`` (a time limit included).

>>> from realize import Architecture, BooleanFunction
>>> xor = BooleanFunction.from_hex("6", 2)
>>> solve_cpsat(xor, Architecture.parse("2-1"), timeout=10)
('unrealizable', None)
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network, network_from_units

Answer = tuple[str, Network | None]


class _CpSat:
    """Builder for one CP-SAT model."""

    def __init__(self) -> None:
        from ortools.sat.python import cp_model

        self.cp = cp_model
        self.model = cp_model.CpModel()

    def int_var(self, lo: int, hi: int) -> Any:
        return self.model.new_int_var(lo, hi, "")

    def bool_var(self) -> Any:
        return self.model.new_bool_var("")

    def product(self, w: Any, lo: int, hi: int, h: Any) -> Any:
        c = self.model.new_int_var(min(lo, 0), max(hi, 0), "")
        self.model.add(c == w).only_enforce_if(h)
        self.model.add(c == 0).only_enforce_if(~h)
        return c

    def threshold(self, terms: list, lo: int, hi: int, h: Any) -> None:
        pre = sum(terms)
        self.model.add(pre >= 0).only_enforce_if(h)
        self.model.add(pre <= -1).only_enforce_if(~h)

    def fix(self, terms: list, value: bool) -> None:
        self.model.add(sum(terms) >= 0 if value else sum(terms) <= -1)

    def order(self, a: list, b: list) -> None:
        """``a <= b`` lexicographically: ``eq[i]`` says the first i entries are equal."""
        eq = self.model.new_constant(1)
        for x, y in zip(a, b, strict=True):
            nxt = self.model.new_bool_var("")
            self.model.add_implication(nxt, eq)
            self.model.add(x == y).only_enforce_if(nxt)
            self.model.add(x + 1 <= y).only_enforce_if(eq, ~nxt)
            eq = nxt

    def solve(self, timeout: float, workers: int) -> str:
        self.solver = self.cp.CpSolver()
        self.solver.parameters.max_time_in_seconds = max(timeout, 0.01)
        self.solver.parameters.num_workers = workers
        status = self.solver.solve(self.model)
        if status in (self.cp.OPTIMAL, self.cp.FEASIBLE):
            return "realizable"
        return "unrealizable" if status == self.cp.INFEASIBLE else "unknown"

    def value(self, x: Any) -> int:
        return int(self.solver.value(x))


class _Highs:
    """Builder for one HiGHS MIP (feasibility, no objective)."""

    def __init__(self) -> None:
        import highspy

        self.hs = highspy
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        # the big-M rows of wide units hold coefficients in the thousands: the default
        # tolerances (1e-6) let a row miss its integer gap, and the rounded witness fail
        self.h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        self.h.setOptionValue("primal_feasibility_tolerance", 1e-9)

    def int_var(self, lo: int, hi: int) -> Any:
        return self.h.addIntegral(lb=lo, ub=hi)

    def bool_var(self) -> Any:
        return self.h.addBinary()

    def product(self, w: Any, lo: int, hi: int, h: Any) -> Any:
        c = self.h.addVariable(lb=min(lo, 0), ub=max(hi, 0))  # integral whenever h is
        self.h.addConstr(c - lo * h >= 0)
        self.h.addConstr(c - hi * h <= 0)
        self.h.addConstr(c - w - hi * h >= -hi)
        self.h.addConstr(c - w - lo * h <= -lo)
        return c

    def threshold(self, terms: list, lo: int, hi: int, h: Any) -> None:
        pre = self.h.qsum(terms)
        self.h.addConstr(pre + lo * h >= lo)
        self.h.addConstr(pre - (hi + 1) * h <= -1)

    def fix(self, terms: list, value: bool) -> None:
        pre = self.h.qsum(terms)
        self.h.addConstr(pre >= 0 if value else pre <= -1)

    def order(self, a: list, b: list) -> None:
        """No explicit ordering: HiGHS breaks the symmetry it detects."""

    def solve(self, timeout: float) -> str:
        self.h.setOptionValue("time_limit", max(timeout, 0.01))
        self.h.run()
        status = self.h.getModelStatus()
        if status == self.hs.HighsModelStatus.kOptimal:
            return "realizable"
        return "unrealizable" if status == self.hs.HighsModelStatus.kInfeasible else "unknown"

    def value(self, x: Any) -> int:
        return round(self.h.val(x))


def _build(model: _CpSat | _Highs, f: BooleanFunction, arch: Architecture, bounds: Bounds,
           ) -> tuple[list[list[Any]], list[Any]]:
    """The shared layout (module docstring) in ``model``; returns the weight and bias variables."""
    ranges = [(bounds.weight_range(len(fi)), bounds.bias_range(len(fi))) for fi in arch.fanins]
    w = [[model.int_var(*wr) for _ in fi] for fi, (wr, _) in zip(arch.fanins, ranges, strict=True)]
    b = [model.int_var(*br) for _, br in ranges]
    output_of = {u: j for j, u in enumerate(arch.outputs)}
    read = {src for fi in arch.fanins for src in fi}
    n, bits, care = arch.n_inputs, f.bits(), f.care()
    for k in np.flatnonzero(care.any(axis=0)):
        signal: list[Any] = [int(v) for v in bits[k]]  # an int is a constant, else a Boolean variable
        for u, fi in enumerate(arch.fanins):
            (lo, hi), (blo, bhi) = ranges[u]
            terms, low, high = [b[u]], blo, bhi
            for i, src in enumerate(fi):
                s = signal[src]
                if not isinstance(s, int):
                    terms.append(model.product(w[u][i], lo, hi, s))
                    low, high = low + min(lo, 0), high + max(hi, 0)
                elif s:
                    terms.append(w[u][i])
                    low, high = low + lo, high + hi
            j = output_of.get(u)
            if j is not None and care[j, k]:
                model.fix(terms, bool(f.values[j, k]))
                signal.append(int(f.values[j, k]))
            elif n + u in read:
                h = model.bool_var()
                model.threshold(terms, low, high, h)
                signal.append(h)
            else:
                signal.append(0)  # an unread output on a don't-care row: never looked at
    if arch.layers is not None:
        first = 0
        for width in arch.layers[:-1]:
            for u in range(first, first + width - 1):
                model.order(w[u] + [b[u]], w[u + 1] + [b[u + 1]])
            first += width
    return w, b


def _decode(model: _CpSat | _Highs, arch: Architecture, w: list[list[Any]], b: list[Any]) -> Network:
    return network_from_units(arch, [[model.value(x) for x in ws] for ws in w], [model.value(x) for x in b])


def solve_cpsat(f: BooleanFunction, arch: Architecture, bounds: Bounds | None = None,
                timeout: float = 60.0, workers: int = 1) -> Answer:
    """Decide with CP-SAT on ``workers`` threads: ``(status, network or None)``."""
    start = time.perf_counter()
    model = _CpSat()
    w, b = _build(model, f, arch, bounds or Bounds())
    status = model.solve(timeout - (time.perf_counter() - start), workers)
    return status, _decode(model, arch, w, b) if status == "realizable" else None


def solve_highs(f: BooleanFunction, arch: Architecture, bounds: Bounds | None = None,
                timeout: float = 60.0) -> Answer:
    """Decide with the HiGHS big-M MIP: ``(status, network or None)``."""
    start = time.perf_counter()
    model = _Highs()
    w, b = _build(model, f, arch, bounds or Bounds())
    status = model.solve(timeout - (time.perf_counter() - start))
    return status, _decode(model, arch, w, b) if status == "realizable" else None


#: solver name: (the module it needs, the solve function)
PEERS: dict[str, tuple[str, Callable[..., Answer]]] = {
    "cpsat1": ("ortools.sat.python.cp_model", partial(solve_cpsat, workers=1)),
    "cpsat2": ("ortools.sat.python.cp_model", partial(solve_cpsat, workers=2)),
    "highs": ("highspy", solve_highs),
}


def missing(peer: str) -> str | None:
    """Why ``peer`` cannot run (its package does not import), or None.

    Importing here also keeps the package's import time out of the first instance's time.
    """
    module = PEERS[peer][0]
    try:
        importlib.import_module(module)
    except ImportError as exc:
        return f"{module.split('.')[0]} does not import ({exc}); pip install '.[peers]'"
    return None
