"""The miter: clauses satisfied exactly by the inputs where a fixed network and expressions disagree.

The network with its fixed weights is encoded unit by unit (``y <-> sum w_i z_i + b >= 0`` over
unary sums), the expressions by Tseitin over their AST, and the clauses ask for some output j
with ``network_j(x) xor f_j(x)``. The sums are unary: a unit costs about (sum of its
|weights|)^2 / 2 clauses, fine for the weights of exact synthesis (up to a few hundred per
unit), not for weights in the millions.

>>> from pysat.solvers import Solver
>>> from realize.readers.expressions import parse_expression
>>> from realize.spec.architecture import Architecture
>>> from realize.spec.network import Network
>>> net = Network(Architecture.parse("2-1"), ((1, 1),), (-1,))      # OR2
>>> miter = build_miter(net, [parse_expression("x0 ^ x1")])
>>> with Solver(bootstrap_with=miter.clauses) as s:
...     row = miter.row(s.get_model()) if s.solve() else None
...     s.add_clause(miter.blocking_clause(row))
...     row, s.solve()
(3, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.numbers import OrderEncoding, Unary
from realize.errors import InputError, UnsupportedError
from realize.readers.expressions import And, Const, Expr, Not, Or, Var, Xor
from realize.spec.network import Network

__all__ = ["Miter", "build_miter", "expression_literal", "network_literals", "xor_gate"]

#: the largest sum of |weights| and |bias| of one unit the unary sums take (about 2 million
#: clauses); checked before anything is built
MAX_UNIT_WEIGHT = 2000


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


def build_miter(network: Network, exprs: Sequence[Expr]) -> Miter:
    """The miter of the network against the expressions (one per output, over its inputs);
    `UnsupportedError` for a unit whose weights are too large for unary sums."""
    for u, (ws, bias) in enumerate(zip(network.weights, network.biases, strict=True)):
        total = sum(abs(w) for w in ws) + abs(bias)
        if total > MAX_UNIT_WEIGHT:
            name = network.arch.unit_names[u]
            raise UnsupportedError(
                f"unit {name} has weights summing to {total}, beyond the SAT miter's limit of "
                f"{MAX_UNIT_WEIGHT} (use --method evaluate on up to 20 inputs)")
    b = ClauseBuilder()
    inputs = [b.new_var() for _ in range(network.arch.n_inputs)]
    outputs = network_literals(b, network, inputs)
    tseitin: dict[Expr, int] = {}
    try:
        wanted = [expression_literal(b, e, inputs, tseitin) for e in exprs]
    except RecursionError:
        raise InputError("an expression is nested too deeply for the SAT miter") from None
    b.add([xor_gate(b, got, want) for got, want in zip(outputs, wanted, strict=True)])
    return Miter(b.clauses, inputs)


def network_literals(b: ClauseBuilder, network: Network, inputs: Sequence[int]) -> list[int]:
    """Literals of the network's outputs as functions of the input literals (fixed weights)."""
    signals = list(inputs)
    order = OrderEncoding(b)
    for u, fanin in enumerate(network.arch.fanins):
        terms = [order.times(Unary(w, ()), signals[s]) for w, s in zip(network.weights[u], fanin,
                                                                        strict=True)]
        y = b.new_var()
        order.reify_at_least(y, [*terms, Unary(network.biases[u], ())], 0)
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


def expression_literal(b: ClauseBuilder, e: Expr, inputs: Sequence[int], memo: dict[Expr, int]) -> int:
    """Tseitin: a literal equivalent to expression ``e`` over the input literals."""
    if e in memo:
        return memo[e]
    if isinstance(e, Var):
        lit = inputs[e.index]
    elif isinstance(e, Const):
        lit = TRUE if e.value else FALSE
    elif isinstance(e, Not):
        lit = -expression_literal(b, e.operand, inputs, memo)
    else:
        gate = {And: b.and_gate, Or: b.or_gate, Xor: lambda x, y: xor_gate(b, x, y)}[type(e)]
        args = [expression_literal(b, a, inputs, memo) for a in e.children]
        lit = args[0]
        for a in args[1:]:
            lit = gate(lit, a)
    memo[e] = lit
    return lit
