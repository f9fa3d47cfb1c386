"""A clause builder with constant folding, gates and sorted unary numbers.

Literals are DIMACS integers. ``TRUE`` and ``FALSE`` are the two constant literals (variable 1 is
reserved for them, with a unit clause); clauses that contain ``TRUE`` are dropped and ``FALSE``
literals are removed as clauses are added, so encoders may pass constants freely.

A `Unary` number is ``offset + (number of true literals)`` with literals sorted so that
``lits[k]`` means "value >= offset + k + 1" (the order encoding). Sums of unary numbers are built
with bidirectional totalizer merges; identical merges are shared (memoized), which is what makes
the first layer of a network cheap: rows that agree on a group of inputs share that group's sum.

>>> b = ClauseBuilder()
>>> x = b.integer(-2, 2)             # order-encoded integer in [-2, 2]
>>> y = b.new_var()
>>> b.reify_at_least(y, [x], 1)      # y <-> x >= 1
>>> from pysat.solvers import Solver
>>> s = Solver(bootstrap_with=b.clauses)
>>> [v for v in range(-2, 3) if s.solve(assumptions=[y, x.at_least(v), -x.at_least(v + 1)])]
[1, 2]
>>> [v for v in range(-2, 3) if s.solve(assumptions=[-y, x.at_least(v), -x.at_least(v + 1)])]
[-2, -1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TRUE = 1
FALSE = -1


@dataclass(frozen=True)
class Unary:
    """``offset + count(lits)``, with ``lits`` sorted: lits[k] <-> value >= offset + k + 1."""

    offset: int
    lits: tuple[int, ...]

    @property
    def max(self) -> int:
        return self.offset + len(self.lits)

    def at_least(self, v: int) -> int:
        """The literal "value >= v" (a constant outside the range)."""
        k = v - self.offset
        if k <= 0:
            return TRUE
        if k > len(self.lits):
            return FALSE
        return self.lits[k - 1]


class ClauseBuilder:
    """Collects clauses; creates variables, gates, order-encoded integers and unary sums."""

    def __init__(self) -> None:
        self.num_vars = 1
        self.clauses: list[list[int]] = [[TRUE]]
        self._gates: dict[tuple, int] = {}
        self._merges: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, ...]] = {}

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

    # -- integers -----------------------------------------------------------------------------
    def integer(self, lo: int, hi: int) -> Unary:
        """A fresh order-encoded integer in [lo, hi]."""
        lits = tuple(self.new_var() for _ in range(hi - lo))
        for a, b in zip(lits, lits[1:], strict=False):
            self.clauses.append([-b, a])
        return Unary(lo, lits)

    @staticmethod
    def value(x: Unary, model: Sequence[int]) -> int:
        """The integer a model assigns to ``x`` (model as returned by pysat, 1-based)."""
        return x.offset + sum(1 for lit in x.lits if _holds(lit, model))

    def times(self, x: Unary, z: int) -> Unary:
        """The unary number ``x * z`` for a literal z (0 or 1), sorted.

        Bits: "x*z >= v" is ``not z or x >= v`` for v <= 0 and ``z and x >= v`` for v > 0.
        """
        lo, hi = min(x.offset, 0), max(x.max, 0)
        lits = []
        for v in range(lo + 1, hi + 1):
            bit = x.at_least(v)
            lits.append(self.or_gate(-z, bit) if v <= 0 else self.and_gate(z, bit))
        return self.normalize(Unary(lo, tuple(lits)))

    @staticmethod
    def normalize(x: Unary) -> Unary:
        """Fold leading TRUE literals into the offset and drop trailing FALSE literals."""
        lits = list(x.lits)
        offset = x.offset
        while lits and lits[0] == TRUE:
            lits.pop(0)
            offset += 1
        while lits and lits[-1] == FALSE:
            lits.pop()
        return Unary(offset, tuple(lits))

    # -- sums ---------------------------------------------------------------------------------
    def total(self, terms: Sequence[Unary]) -> Unary:
        """The sum of unary numbers as one unary number (balanced totalizer tree)."""
        terms = [self.normalize(t) for t in terms]
        if not terms:
            return Unary(0, ())
        while len(terms) > 1:
            paired = [self.merge(a, b) for a, b in zip(terms[::2], terms[1::2], strict=False)]
            if len(terms) % 2:
                paired.append(terms[-1])
            terms = paired
        return terms[0]

    def merge(self, a: Unary, b: Unary) -> Unary:
        """``a + b`` with a bidirectional totalizer merge (shared when repeated)."""
        if not a.lits or not b.lits:
            return Unary(a.offset + b.offset, a.lits or b.lits)
        key = (a.lits, b.lits) if a.lits <= b.lits else (b.lits, a.lits)
        if key not in self._merges:
            self._merges[key] = self._totalizer(*key)
        return Unary(a.offset + b.offset, self._merges[key])

    def _totalizer(self, a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
        p, q = len(a), len(b)
        c = tuple(self.new_var() for _ in range(p + q))
        ext_a = (TRUE, *a, FALSE)
        ext_b = (TRUE, *b, FALSE)
        ext_c = (TRUE, *c, FALSE)
        for i in range(p + 1):
            for j in range(q + 1):
                if i + j >= 1:  # a >= i and b >= j  ->  c >= i + j
                    self.add([-ext_a[i], -ext_b[j], ext_c[i + j]])
                if i + j < p + q:  # a <= i and b <= j  ->  c <= i + j
                    self.add([ext_a[i + 1], ext_b[j + 1], -ext_c[i + j + 1]])
        return c

    def reify_at_least(self, y: int, terms: Sequence[Unary], k: int) -> None:
        """Clauses for ``y <-> sum(terms) >= k``.

        All terms but the last are summed with totalizers; the last (typically the bias) is
        compared directly: with S the sum and B the last term, S + B >= k iff for every s,
        (S <= s -> B >= k - s), and S + B < k iff for every s, (S >= s -> B <= k - s - 1).
        That costs O(|S|) clauses per row instead of a merge.
        """
        if not terms:
            self.add([y] if k <= 0 else [-y])
            return
        s = self.total(terms[:-1])
        last = self.normalize(terms[-1])
        for v in range(s.offset, s.max + 1):
            # S <= v (i.e. not S >= v+1) and y -> last >= k - v
            self.add([-y, s.at_least(v + 1), last.at_least(k - v)])
            # S >= v and not y -> last <= k - v - 1
            self.add([y, -s.at_least(v), -last.at_least(k - v)])


def _holds(lit: int, model: Sequence[int]) -> bool:
    if lit == TRUE:
        return True
    if lit == FALSE:
        return False
    return (model[abs(lit) - 1] > 0) == (lit > 0)
