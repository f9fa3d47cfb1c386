"""The miter: clauses satisfied exactly by the inputs where a fixed network and a circuit disagree.

The network with its fixed weights is encoded unit by unit (``y <-> sum w_i z_i + b >= 0``), the
circuit (`realize.spec.circuits`) by Tseitin, a variable per gate, and the clauses ask for
some output j with ``network_j(x) xor f_j(x)``. A light unit's sum is unary
(about (sum of its |weights|)^2 / 2 clauses), a heavy one's a binary adder (`UNARY_UP_TO`), so
weights in the millions cost a few thousand clauses.

>>> from pysat.solvers import Solver
>>> from realize.readers.expressions import expressions_circuit, parse_expression
>>> from realize.spec.architecture import Architecture
>>> from realize.spec.network import Network
>>> net = Network(Architecture.parse("2-1"), ((1, 1),), (-1,))      # OR2
>>> miter = build_miter(net, expressions_circuit([parse_expression("x0 ^ x1")], 2))
>>> with Solver(bootstrap_with=miter.clauses) as s:
...     row = miter.row(s.get_model()) if s.solve() else None
...     s.add_clause(miter.blocking_clause(row))
...     row, s.solve()
(3, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.numbers import BinaryEncoding, NumberEncoding, OrderEncoding
from realize.spec.circuits import Circuit
from realize.spec.network import Network

__all__ = ["Miter", "build_miter", "circuit_literals", "network_literals", "xor_gate"]

#: units whose |weights| and |bias| sum to at most this are unary sums (about total^2 / 2
#: clauses); heavier ones, such as exact mode's units of fan-in 10 and more, binary adders
#: (linear in the bits)
UNARY_UP_TO = 64


@dataclass(frozen=True)
class Miter:
    """The miter's clauses and the variables of the inputs x0 .. x(n-1)."""

    clauses: list[list[int]]
    inputs: list[int]

    def row(self, model: Sequence[int]) -> int:
        """The row (bit i = input i) of a satisfying assignment."""
        return sum(int(model[v - 1] > 0) << i for i, v in enumerate(self.inputs))

    def blocking_clause(self, row: int) -> list[int]:
        """The clause that excludes this row."""
        return [-v if (row >> i) & 1 else v for i, v in enumerate(self.inputs)]


def build_miter(network: Network, circuit: Circuit) -> Miter:
    """The miter of the network against the circuit (one output each, the same inputs)."""
    b = ClauseBuilder()
    inputs = [b.new_var() for _ in range(network.arch.n_inputs)]
    outputs = network_literals(b, network, inputs)
    wanted = circuit_literals(b, circuit, inputs)
    b.add([xor_gate(b, got, want) for got, want in zip(outputs, wanted, strict=True)])
    return Miter(b.clauses, inputs)


def network_literals(b: ClauseBuilder, network: Network, inputs: Sequence[int]) -> list[int]:
    """Literals of the network's outputs as functions of the input literals (fixed weights)."""
    signals = list(inputs)
    order, binary = OrderEncoding(b), BinaryEncoding(b)
    for u, fanin in enumerate(network.arch.fanins):
        ws, bias = network.weights[u], network.biases[u]
        heavy = sum(abs(w) for w in ws) + abs(bias) > UNARY_UP_TO
        numbers: NumberEncoding[Any] = binary if heavy else order
        terms = [numbers.times(numbers.integer(w, w), signals[s])
                 for w, s in zip(ws, fanin, strict=True)]
        y = b.new_var()
        numbers.reify_at_least(y, [*terms, numbers.integer(bias, bias)], 0)
        signals.append(y)
    n = network.arch.n_inputs
    return [signals[n + u] for u in network.arch.outputs]


def xor_gate(b: ClauseBuilder, x: int, y: int) -> int:
    """A literal equivalent to ``x xor y`` (constants folded)."""
    if x in (TRUE, FALSE):
        return -y if x == TRUE else y
    if y in (TRUE, FALSE):
        return -x if y == TRUE else x
    g = b.new_var()
    b.clauses.extend([[-g, x, y], [-g, -x, -y], [g, -x, y], [g, x, -y]])
    return g


def circuit_literals(b: ClauseBuilder, circuit: Circuit, inputs: Sequence[int]) -> list[int]:
    """Tseitin: a literal per output of the circuit over the input literals (one per gate)."""
    signals = [FALSE, *inputs]
    gates = {"and": b.and_gate, "or": b.or_gate, "xor": lambda x, y: xor_gate(b, x, y)}

    def literal(lit: int) -> int:
        v = signals[lit >> 1]
        return -v if lit & 1 else v

    for gate in circuit.gates:
        acc = literal(gate.args[0])
        for lit in gate.args[1:]:
            acc = gates[gate.op](acc, literal(lit))
        signals.append(acc)
    return [literal(o) for o in circuit.outputs]
