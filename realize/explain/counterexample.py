"""Counterexamples: the care rows where a given network disagrees with a function.

Two methods, the same answer:

- ``evaluate``: the function is a table of care rows (hex, family, PLA, CSV, or expressions with
  n <= 20); the network is evaluated on every care row with numpy.
- ``sat``: the function is given as a circuit (expressions, BLIF or AIGER; any n, also 64 inputs,
  where no table fits). A *miter* (`realize.encodings.miter`: the network with its fixed weights
  against a Tseitin encoding of the circuit) asks a SAT solver for an input x with
  ``network(x) != f(x)``. Every answer is re-evaluated (numpy, network and circuit) before it is
  reported; further counterexamples come from blocking each one found, so EQUIVALENT is an UNSAT
  answer of the solver, i.e. a proof.

>>> from realize.spec.network import Network
>>> from realize.spec.architecture import Architecture
>>> net = Network(Architecture.parse("2-1"), ((1, 1),), (-1,))      # OR2
>>> r = find_counterexamples(net, "x0 ^ x1", method="sat", all_rows=True)
>>> r.status.value, r.rows, r.count
('counterexample', [3], 1)
>>> find_counterexamples(net, "e").status.value
'equivalent'
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from pysat.solvers import Solver

from realize.backends.satsolver import require_solver, solve_sliced
from realize.encodings.miter import build_miter
from realize.errors import InputError, VerificationError
from realize.options import DEFAULT_SOLVER, Deadline, DeadlineExpired
from realize.readers.expressions import Expr, expressions_circuit
from realize.readers.registry import parse_circuit, parse_function, reader_for
from realize.spec.circuits import Circuit
from realize.spec.functions import (
    DONT_CARE,
    MAX_TABLE_INPUTS,
    BooleanFunction,
    row_bits,
)
from realize.spec.network import Network

METHODS = ("auto", "evaluate", "sat")
#: rows reported when not all are asked for
DEFAULT_LIMIT = 10


class Verdict(StrEnum):
    """Whether the network agrees with the function on every care row."""

    COUNTEREXAMPLE = "counterexample"
    EQUIVALENT = "equivalent"

    @property
    def exit_code(self) -> int:
        """10 when a counterexample exists, 20 when equivalent (SAT-solver convention)."""
        return 10 if self is Verdict.COUNTEREXAMPLE else 20


@dataclass
class CounterexampleResult:
    """The disagreeing rows found (row x: bit i = input i), with both outputs on each.

    ``network_outputs[k]`` and ``wanted[k]`` are the m outputs on ``rows[k]`` (wanted -1 = don't
    care). ``count`` is the number of disagreeing care rows when it is known (always with
    ``evaluate``; with ``sat`` when the enumeration ran to the end), else None.
    """

    status: Verdict
    n: int
    m: int
    method: str
    rows: list[int] = field(default_factory=list)
    network_outputs: list[list[int]] = field(default_factory=list)
    wanted: list[list[int]] = field(default_factory=list)
    count: int | None = None
    time_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output)."""
        return {
            "status": self.status.value,
            "n": self.n,
            "m": self.m,
            "method": self.method,
            "rows": self.rows,
            "network_outputs": self.network_outputs,
            "wanted": self.wanted,
            "count": self.count,
            "time_s": round(self.time_s, 6),
        }

    def report(self, source: str = "network") -> str:
        """What ``realize counterexample`` prints: the verdict, how it was found, the rows."""
        method = {"evaluate": "evaluated on every care row", "sat": "SAT miter"}[self.method]
        lines = [self.status.value.upper(),
                 f"network:  {source} ({self.n} input(s), {self.m} output(s)); {method}, "
                 f"{self.time_s:.3f} s"]
        if self.rows:
            total = "" if self.count is None else f" of {self.count}"
            more = "" if self.count == len(self.rows) else " (--all lists every one)"
            lines.append(f"disagreeing rows: {len(self.rows)}{total} shown{more}")
            lines.append(self.table())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def table(self) -> str:
        """One line per row: input bits (x0 first), network output(s), wanted output(s)."""
        lines = [f"{'x0..x' + str(self.n - 1):<{max(self.n, 8)}}  network  wanted"]
        for row, got, want in zip(self.rows, self.network_outputs, self.wanted, strict=True):
            lines.append(
                f"{row_bits(row, self.n):<{max(self.n, 8)}}  {''.join(map(str, got)):<7}  "
                f"{''.join('-' if v == DONT_CARE else str(v) for v in want)}"
            )
        return "\n".join(lines)


def parse_specification(text: str, n: int, method: str = "auto") -> BooleanFunction | Circuit:
    """FUNCTION text as a table (for ``evaluate``) or as a circuit (for the SAT miter).

    A circuit reader's text (expressions, BLIF, AIGER) becomes a table when n <= 20 and
    ``method`` is not ``sat``; the other readers' (PLA, CSV, hex, families) are always tables.
    """
    if method not in METHODS:
        raise InputError(f"unknown method '{method}' (choose from {', '.join(METHODS)})")
    stripped = text.strip()
    if method == "sat" or (n > MAX_TABLE_INPUTS and method == "auto"):
        reader = reader_for(stripped)
        if method == "auto" and reader is not None and reader.kind == "table":
            return parse_function(stripped, n)  # a table file: its rows
        try:
            return parse_circuit(stripped, n)
        except InputError:
            if method == "sat":
                raise InputError("the SAT miter needs the function as a circuit (expressions "
                                 f"over x0..x{n - 1}, BLIF or AIGER): '{stripped[:60]}' is not "
                                 "one") from None
            raise
    return parse_function(stripped, n)


def find_counterexamples(
    network: Network,
    function: BooleanFunction | Circuit | Sequence[Expr] | str,
    *,
    all_rows: bool = False,
    limit: int | None = DEFAULT_LIMIT,
    method: str = "auto",
    solver: str = DEFAULT_SOLVER,
    deadline: Deadline | None = None,
) -> CounterexampleResult:
    """The care rows where ``network`` disagrees with ``function`` (at most ``limit`` of them,
    every one with ``all_rows``); EQUIVALENT when there is none.

    ``deadline`` bounds the SAT miter: past it, the rows found so far (``count`` None), or
    `DeadlineExpired` when there are none.

    ``function`` is a `BooleanFunction`, a `Circuit`, expressions (one per output), or
    FUNCTION text.
    """
    require_solver(solver)
    start = time.perf_counter()
    n, m = network.arch.n_inputs, network.arch.m
    try:
        spec = parse_specification(function, n, method) if isinstance(function, str) else function
    except InputError as err:
        raise InputError(f"the network has {n} input(s): {err}") from None
    if limit is not None and limit < 1:
        raise InputError(f"the row limit must be at least 1, got {limit}")
    cap = None if all_rows else limit
    if isinstance(spec, BooleanFunction):
        if method == "sat":
            raise InputError("the SAT miter needs the function as a circuit")
        _check_shape(spec.n, spec.m, n, m)
        result = _by_evaluation(network, spec, cap)
    else:
        if not isinstance(spec, Circuit):
            exprs = list(spec)
            for e in exprs:
                unknown = [i for i in e.variables() if i >= n]
                if unknown:
                    raise InputError(f"unknown variable 'x{unknown[0]}': the network has {n} "
                                     "inputs")
            spec = expressions_circuit(exprs, n)
        _check_shape(spec.n, spec.m, n, m)
        result = _by_miter(network, spec, cap, solver, deadline or Deadline())
    result.time_s = time.perf_counter() - start
    return result


def _check_shape(fn: int, fm: int, n: int, m: int) -> None:
    if fn != n:
        raise InputError(f"the function has {fn} inputs; the network has {n}")
    if fm != m:
        raise InputError(f"the function has {fm} output(s); the network has {m}")


def _by_evaluation(network: Network, f: BooleanFunction, cap: int | None) -> CounterexampleResult:
    got = network.evaluate(f.rows)
    wrong = np.flatnonzero(np.any(f.care() & (got != f.values), axis=0))
    shown = wrong if cap is None else wrong[:cap]
    return CounterexampleResult(
        Verdict.COUNTEREXAMPLE if wrong.size else Verdict.EQUIVALENT,
        f.n, f.m, "evaluate",
        rows=[int(r) for r in f.rows[shown]],
        network_outputs=got[:, shown].T.tolist(),
        wanted=f.values[:, shown].T.tolist(),
        count=int(wrong.size),
    )


def _by_miter(
    network: Network, circuit: Circuit, cap: int | None, solver: str, deadline: Deadline
) -> CounterexampleResult:
    n, m = network.arch.n_inputs, network.arch.m
    miter = build_miter(network, circuit)
    rows: list[int] = []
    found_all = False
    with Solver(name=solver, bootstrap_with=miter.clauses) as s:
        while cap is None or len(rows) < cap:
            answer = solve_sliced(s, deadline)
            if answer is None:
                if not rows:
                    raise DeadlineExpired("time limit reached in the SAT miter")
                break
            if not answer:
                found_all = True
                break
            rows.append(miter.row(s.get_model()))
            s.add_clause(miter.blocking_clause(rows[-1]))
    row_array = np.array(rows, dtype=np.uint64)
    got = network.evaluate(row_array)
    want = circuit.evaluate(row_array).reshape(m, len(rows))
    if rows and not np.all(np.any(got != want, axis=0)):
        raise VerificationError("the SAT miter reported a row where network and function agree")
    return CounterexampleResult(
        Verdict.COUNTEREXAMPLE if rows else Verdict.EQUIVALENT,
        n, m, "sat",
        rows=rows,
        network_outputs=got.T.tolist(),
        wanted=want.T.tolist(),
        count=len(rows) if found_all else None,
    )

