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

from collections.abc import Callable, Iterable, Sequence

TRUE = 1
FALSE = -1


class ClauseBuilder:
    """Collects clauses; creates variables and gates."""

    def __init__(self) -> None:
        self.num_vars = 1
        self.clauses: list[list[int]] = [[TRUE]]
        self._gates: dict[tuple, int] = {}

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


def lex_chain(pairs: Sequence[tuple[int, int]], new_var: Callable[[], int]) -> list[list[int]]:
    """Clauses for ``xs <=lex ys``, given as pairs ``(x, y)``, most significant first.

    A fresh variable ``e`` after each pair means "equal so far"; while equal, x <= y must hold
    at the next pair. ``e`` is only forced up, which suffices: an assignment with xs <=lex ys
    satisfies the clauses with each ``e`` set to the true prefix equality. A pair (x, not x) can
    never be equal: x = 0 is forced there and the chain ends.

    >>> counter = iter(range(10, 20))
    >>> lex_chain([(1, 2), (3, -3), (4, 5)], lambda: next(counter))
    [[-1, 2], [-1, -2, 10], [1, 2, 10], [-10, -3]]
    """
    out: list[list[int]] = []
    equal: list[int] = []
    for x, y in pairs:
        if x == -y:
            out.append(equal + [-x])
            break
        out.append(equal + [-x, y])
        e = new_var()
        out += [equal + [-x, -y, e], equal + [x, y, e]]
        equal = [-e]
    return out
