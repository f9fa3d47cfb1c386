"""A clause builder with constant folding and gates.

Literals are DIMACS integers. ``TRUE`` and ``FALSE`` are the two constant literals (variable 1 is
reserved for them, with a unit clause); clauses that contain ``TRUE`` are dropped and ``FALSE``
literals are removed as clauses are added, so encoders may pass constants freely. Integers live
in `realize.encodings.numbers`.

>>> b = ClauseBuilder()
>>> x, y = b.new_var(), b.new_var()
>>> b.and_gate(x, TRUE) == x, b.and_gate(x, -x), b.and_gate(x, y) == b.and_gate(y, x)
(True, -1, True)
>>> b.add([x, FALSE, y]); b.add([TRUE, x]); b.clauses
[[1], [-4, 2], [-4, 3], [4, -2, -3], [2, 3]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from realize.encodings.numbers import OrderEncoding, Unary

TRUE = 1
FALSE = -1


class ClauseBuilder:
    """Collects clauses; creates variables and gates."""

    def __init__(self) -> None:
        self.num_vars = 1
        self.clauses: list[list[int]] = [[TRUE]]
        self._gates: dict[tuple, int] = {}
        self._order: OrderEncoding | None = None

    def new_var(self) -> int:
        self.num_vars += 1
        return self.num_vars

    def add(self, clause: Iterable[int]) -> None:
        """Add a clause, folding the constants."""
        out = []
        for lit in clause:
            if lit == TRUE:
                return
            if lit != FALSE:
                out.append(lit)
        self.clauses.append(out)

    # -- gates ------------------------------------------------------------------------------
    def and_gate(self, a: int, b: int) -> int:
        """A literal equivalent to ``a and b`` (shared, constants folded)."""
        if a == FALSE or b == FALSE or a == -b:
            return FALSE
        if a in (TRUE, b):
            return b
        if b == TRUE:
            return a
        key = ("and", min(a, b), max(a, b))
        if key not in self._gates:
            g = self.new_var()
            self.clauses += [[-g, a], [-g, b], [g, -a, -b]]
            self._gates[key] = g
        return self._gates[key]

    def or_gate(self, a: int, b: int) -> int:
        """A literal equivalent to ``a or b``."""
        return -self.and_gate(-a, -b)

    # -- order-encoded sums for the miter of realize.explain.counterexample, which calls them on
    #    the builder; they go once it holds an OrderEncoding itself ------------------------------
    def times(self, x: Unary, z: int) -> Unary:
        """`OrderEncoding.times` in this builder."""
        return self._order_encoding().times(x, z)

    def reify_at_least(self, y: int, terms: Sequence[Unary], k: int) -> None:
        """`OrderEncoding.reify_at_least` in this builder."""
        self._order_encoding().reify_at_least(y, terms, k)

    def _order_encoding(self) -> OrderEncoding:
        from realize.encodings.numbers import OrderEncoding  # numbers imports this module

        if self._order is None:
            self._order = OrderEncoding(self)
        return self._order


def __getattr__(name: str) -> Any:
    """``Unary`` for the miter's ``from realize.encodings.clauses import Unary`` (see above)."""
    if name == "Unary":
        from realize.encodings.numbers import Unary

        return Unary
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
