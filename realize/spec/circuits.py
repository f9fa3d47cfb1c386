"""A function given as a combinational circuit: gates over the inputs, shared, any width.

A circuit is what a function is when no truth table fits (more than 20 inputs) or when it comes
from a circuit format (BLIF, AIGER, expressions). Signals and literals follow AIGER: signal 0
is the constant 0, signals 1..n are the inputs x0..x(n-1), then one signal per gate in
topological order; literal ``2*s`` is signal s and ``2*s + 1`` its negation (literal 1 is the
constant 1). A gate is AND, OR or XOR of two or more literals. Outputs are literals.

Evaluation is vectorized over rows and linear in the gates (shared subcircuits are evaluated
once), and so is the SAT encoding of the miter (`realize.encodings.miter`).

>>> c = Circuit(2, (Gate("xor", (2, 4)),), (6,), "xor2")   # x0 ^ x1
>>> c.to_function().to_hex(), c.evaluate(np.array([1, 3], dtype=np.uint64)).tolist()
('6', [[1, 0]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from realize.errors import InputError
from realize.spec.functions import MAX_INPUTS, BooleanFunction, all_rows, check_table_inputs

Op = Literal["and", "or", "xor"]
OPS: tuple[Op, ...] = ("and", "or", "xor")


@dataclass(frozen=True)
class Gate:
    """``op`` over two or more literals of earlier signals."""

    op: Op
    args: tuple[int, ...]


@dataclass(frozen=True)
class Circuit:
    """Inputs ``n``, gates in topological order, one output literal per output."""

    n: int
    gates: tuple[Gate, ...]
    outputs: tuple[int, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.n <= MAX_INPUTS:
            raise InputError(f"a circuit has 0 to {MAX_INPUTS} inputs, not {self.n}")
        if not self.outputs:
            raise InputError("a circuit needs at least one output")
        for g, gate in enumerate(self.gates):
            if gate.op not in OPS or len(gate.args) < 2:
                raise ValueError(f"gate {g}: {gate.op} of {len(gate.args)} literal(s)")
            if max(gate.args) >= 2 * (self.n + 1 + g) or min(gate.args) < 0:
                raise ValueError(f"gate {g} reads a literal that is not defined before it")
        if max(self.outputs) >= 2 * self.signals or min(self.outputs) < 0:
            raise ValueError("an output literal is out of range")

    @property
    def m(self) -> int:
        return len(self.outputs)

    @property
    def signals(self) -> int:
        """Constant, inputs and gates."""
        return 1 + self.n + len(self.gates)

    def evaluate(self, rows: np.ndarray) -> np.ndarray:
        """The outputs (m, len(rows)) as int8 0/1 on ``rows`` (input i is bit i of a row)."""
        rows = np.asarray(rows, dtype=np.uint64)
        values = np.empty((self.signals, rows.size), dtype=bool)
        values[0] = False
        for i in range(self.n):
            values[1 + i] = (rows >> np.uint64(i)) & np.uint64(1) != 0

        def literal(lit: int) -> np.ndarray:
            v = values[lit >> 1]
            return ~v if lit & 1 else v

        combine = {"and": np.logical_and, "or": np.logical_or, "xor": np.logical_xor}
        for g, gate in enumerate(self.gates):
            acc = literal(gate.args[0])
            for lit in gate.args[1:]:
                acc = combine[gate.op](acc, literal(lit))
            values[1 + self.n + g] = acc
        return np.array([literal(o) for o in self.outputs], dtype=np.int8).reshape(self.m, -1)

    def to_function(self) -> BooleanFunction:
        """The truth table over all 2^n rows (n <= 20)."""
        check_table_inputs(self.n)
        rows = all_rows(self.n)
        return BooleanFunction(self.n, rows, self.evaluate(rows), self.name)

    def describe(self) -> str:
        """``name (n inputs, m outputs, g gates)``."""
        label = f"{self.name} " if self.name else ""
        return f"{label}({self.n} inputs, {self.m} output(s), {len(self.gates)} gates)"


class CircuitBuilder:
    """Gates added one at a time, constants folded, equal gates shared; `build` at the end.

    >>> b = CircuitBuilder(2)
    >>> b.build([b.gate("and", [b.input(0), b.input(1)]), b.gate("and", [b.input(1), 1])]).gates
    (Gate(op='and', args=(2, 4)),)
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.gates: list[Gate] = []
        self._known: dict[Gate, int] = {}

    def input(self, i: int) -> int:
        """The literal of input ``i``."""
        return 2 * (1 + i)

    def gate(self, op: Op, args: Sequence[int]) -> int:
        """The literal of ``op`` over ``args`` (a constant or an argument when that is all)."""
        if op == "xor":
            parity = sum(a & 1 for a in args) & 1  # negations move out of an xor
            kept = sorted(a & ~1 for a in args if a >> 1)
            pairs: dict[int, int] = {}
            for a in kept:
                pairs[a] = pairs.get(a, 0) ^ 1
            kept = [a for a, odd in pairs.items() if odd]
            return self._node(op, kept, 0) ^ parity
        absorbing, neutral = (0, 1) if op == "and" else (1, 0)
        if absorbing in args:
            return absorbing
        kept = sorted({a for a in args if a != neutral})
        if any(a ^ 1 in kept for a in kept):
            return absorbing
        return self._node(op, kept, neutral)

    def _node(self, op: Op, kept: list[int], empty: int) -> int:
        if not kept:
            return empty
        if len(kept) == 1:
            return kept[0]
        gate = Gate(op, tuple(kept))
        if gate not in self._known:
            self.gates.append(gate)
            self._known[gate] = 2 * (self.n + len(self.gates))
        return self._known[gate]

    def build(self, outputs: Sequence[int], name: str = "") -> Circuit:
        return Circuit(self.n, tuple(self.gates), tuple(outputs), name)
