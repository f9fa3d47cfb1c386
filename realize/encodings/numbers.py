"""Integers in CNF: the number encodings of the CNF encoding (see encodings/cnf.md).

A `NumberEncoding` keeps integer variables, each within a range [lo, hi], in one `ClauseBuilder`:
`integer` creates one, `times` multiplies one by a literal, `reify_at_least` ties a literal to
"sum of terms >= k", `value` reads one off a model. Each encoding owns its size limits:
`practical(arch, bounds)` is None when the encoding fits the question, else the reason.
`build_cnf(..., numbers=name)` takes an encoding from `NUMBER_ENCODINGS` by name.

`OrderEncoding` (the only one so far): a `Unary` number is ``offset + (number of true
literals)`` with literals sorted so that ``lits[k]`` means "value >= offset + k + 1". Sums are
built with bidirectional totalizer merges; identical merges are shared (memoized), which is what
makes the first layer of a network cheap: rows that agree on a group of inputs share that
group's sum.

>>> b = ClauseBuilder()
>>> order = number_encoding("order")(b)
>>> x = order.integer(-2, 2)            # order-encoded integer in [-2, 2]
>>> y = b.new_var()
>>> order.reify_at_least(y, [x], 1)     # y <-> x >= 1
>>> from pysat.solvers import Solver
>>> s = Solver(bootstrap_with=b.clauses)
>>> [v for v in range(-2, 3) if s.solve(assumptions=[y, x.at_least(v), -x.at_least(v + 1)])]
[1, 2]
>>> [v for v in range(-2, 3) if s.solve(assumptions=[-y, x.at_least(v), -x.at_least(v + 1)])]
[-2, -1, 0]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.errors import InputError

if TYPE_CHECKING:
    from realize.spec.architecture import Architecture
    from realize.spec.bounds import Bounds

#: the encoding's integer type (`Unary` for the order encoding)
N = TypeVar("N")


class NumberEncoding(ABC, Generic[N]):
    """Integer variables of one encoding, in the clauses of ``builder``."""

    #: weight magnitudes above this go to the SMT encoding in the sat strategy
    #: (`realize.backends.strategy`), although `practical` may still accept them
    PREFERS_SMT_ABOVE: ClassVar[int]

    def __init__(self, builder: ClauseBuilder) -> None:
        self.builder = builder

    @classmethod
    @abstractmethod
    def practical(cls, arch: Architecture, bounds: Bounds, rows: int = 1) -> str | None:
        """None when the encoding of arch under bounds on ``rows`` rows has a practical size,
        else why not (one line naming the limit)."""

    @abstractmethod
    def integer(self, lo: int, hi: int) -> N:
        """A fresh integer variable in [lo, hi]."""

    @abstractmethod
    def times(self, x: N, z: int) -> N:
        """``x * z`` for a literal z (0 or 1)."""

    @abstractmethod
    def reify_at_least(self, y: int, terms: Sequence[N], k: int) -> None:
        """Clauses for ``y <-> sum(terms) >= k``."""

    @abstractmethod
    def value(self, x: N, model: Sequence[int]) -> int:
        """The integer a model assigns to ``x`` (model as returned by pysat, 1-based)."""

    @abstractmethod
    def describe(self, x: N) -> str:
        """The variables of ``x`` for a DIMACS comment."""


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

    def normalized(self) -> Unary:
        """Leading TRUE literals folded into the offset, trailing FALSE literals dropped.

        >>> Unary(0, (TRUE, 5, FALSE)).normalized()
        Unary(offset=1, lits=(5,))
        """
        lits = list(self.lits)
        offset = self.offset
        while lits and lits[0] == TRUE:
            lits.pop(0)
            offset += 1
        while lits and lits[-1] == FALSE:
            lits.pop()
        return Unary(offset, tuple(lits))


class OrderEncoding(NumberEncoding[Unary]):
    """Order-encoded (unary) integers: a range [lo, hi] costs hi - lo literals.

    >>> from realize.spec.architecture import Architecture
    >>> from realize.spec.bounds import Bounds
    >>> OrderEncoding.practical(Architecture.parse("7-1"), Bounds()) is None   # W*(7) = 18
    True
    >>> OrderEncoding.practical(Architecture.parse("8-1"), Bounds())
    'weights up to 76 exceed the order encoding limit |w| <= 20'
    >>> OrderEncoding.practical(Architecture.parse("2-1"), Bounds(max_weight=10**6, max_bias=10**6))
    'weights up to 1000000 exceed the order encoding limit |w| <= 20'
    >>> OrderEncoding.practical(Architecture.parse("16-2-1"), Bounds(max_weight=2), rows=2**16)
    'about 26,148,864 order literals for 65536 rows exceed the limit of 20,000,000'
    """

    #: beyond this weight magnitude (W*(8) = 76 and up: fan-in >= 8 in exact mode) the encoding
    #: is far too large (a fan-in-10 unit needs 1,042 order literals per weight)
    MAX_WEIGHT = 20
    #: beyond this (W*(7) = 18: fan-in 7) the SMT encoding (linear integer arithmetic) decides
    #: the exact question faster than this CNF: e.g. planted 7-input threshold functions on 7-1
    #: 1.8 s -> 0.06 s, parity on 7-2-2-1 4.1 s -> 0.8 s, x0x1|x2x3|x4x5 on 6-1-1 with skip
    #: connections unknown at 15 s -> 0.08 s; fan-in 6 stays with the CNF (parity on 6-3-2-1:
    #: CNF 3 s, SMT unknown at 15 s)
    PREFERS_SMT_ABOVE = 9
    #: the widest bias range (literals of one bias)
    MAX_BIAS_SPAN = 4096
    #: the most literals of weights, products and sums, estimated before building (about
    #: 1 GiB of clauses in Python lists)
    MAX_LITERALS = 20_000_000

    def __init__(self, builder: ClauseBuilder) -> None:
        super().__init__(builder)
        self._merges: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, ...]] = {}

    @classmethod
    def practical(cls, arch: Architecture, bounds: Bounds, rows: int = 1) -> str | None:
        widest = bounds.widest_weight(arch)
        if widest > cls.MAX_WEIGHT:
            return f"weights up to {widest} exceed the order encoding limit |w| <= {cls.MAX_WEIGHT}"
        spans = [bounds.bias_range(len(fanin)) for fanin in arch.fanins]
        span = max((hi - lo for lo, hi in spans), default=0)
        if span > cls.MAX_BIAS_SPAN:
            return f"a bias range of {span} values exceeds the order encoding limit {cls.MAX_BIAS_SPAN}"
        # per row and unit: each product w_i * z_i and its share of the sums, about 2 * range
        per_row = sum(2 * sum(bounds.weight_range(len(fanin))[1] - bounds.weight_range(len(fanin))[0]
                              for _ in fanin) + hi - lo
                      for fanin, (lo, hi) in zip(arch.fanins, spans, strict=True))
        literals = per_row * max(rows, 1)
        if literals > cls.MAX_LITERALS:
            return (f"about {literals:,} order literals for {rows} rows exceed the limit of "
                    f"{cls.MAX_LITERALS:,}")
        return None

    def integer(self, lo: int, hi: int) -> Unary:
        lits = tuple(self.builder.new_var() for _ in range(hi - lo))
        for a, b in zip(lits, lits[1:], strict=False):
            self.builder.clauses.append([-b, a])
        return Unary(lo, lits)

    def value(self, x: Unary, model: Sequence[int]) -> int:
        return x.offset + sum(1 for lit in x.lits if _holds(lit, model))

    def describe(self, x: Unary) -> str:
        return f"offset {x.offset} order-lits {' '.join(map(str, x.lits))}"

    def times(self, x: Unary, z: int) -> Unary:
        """Sorted again: "x*z >= v" is ``not z or x >= v`` for v <= 0, ``z and x >= v`` for v > 0."""
        lo, hi = min(x.offset, 0), max(x.max, 0)
        lits = []
        for v in range(lo + 1, hi + 1):
            bit = x.at_least(v)
            lits.append(self.builder.or_gate(-z, bit) if v <= 0 else self.builder.and_gate(z, bit))
        return Unary(lo, tuple(lits)).normalized()

    def reify_at_least(self, y: int, terms: Sequence[Unary], k: int) -> None:
        """All terms but the last (typically the bias) are summed with totalizers.

        The last is compared directly: with S the sum and B the last term, S + B >= k iff for
        every s, (S <= s -> B >= k - s), and S + B < k iff for every s, (S >= s -> B <= k - s - 1).
        That costs O(|S|) clauses per row instead of a merge.
        """
        if not terms:
            self.builder.add([y] if k <= 0 else [-y])
            return
        s = self.total(terms[:-1])
        last = terms[-1].normalized()
        for v in range(s.offset, s.max + 1):
            # S <= v (i.e. not S >= v+1) and y -> last >= k - v
            self.builder.add([-y, s.at_least(v + 1), last.at_least(k - v)])
            # S >= v and not y -> last <= k - v - 1
            self.builder.add([y, -s.at_least(v), -last.at_least(k - v)])

    def total(self, terms: Sequence[Unary]) -> Unary:
        """The sum of unary numbers as one unary number (balanced totalizer tree)."""
        terms = [t.normalized() for t in terms]
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
        c = tuple(self.builder.new_var() for _ in range(p + q))
        ext_a = (TRUE, *a, FALSE)
        ext_b = (TRUE, *b, FALSE)
        ext_c = (TRUE, *c, FALSE)
        for i in range(p + 1):
            for j in range(q + 1):
                if i + j >= 1:  # a >= i and b >= j  ->  c >= i + j
                    self.builder.add([-ext_a[i], -ext_b[j], ext_c[i + j]])
                if i + j < p + q:  # a <= i and b <= j  ->  c <= i + j
                    self.builder.add([ext_a[i + 1], ext_b[j + 1], -ext_c[i + j + 1]])
        return c


def _holds(lit: int, model: Sequence[int]) -> bool:
    if lit == TRUE:
        return True
    if lit == FALSE:
        return False
    return (model[abs(lit) - 1] > 0) == (lit > 0)


#: every number encoding by name; a new encoding is one class above and one entry here
NUMBER_ENCODINGS: dict[str, type[NumberEncoding[Any]]] = {"order": OrderEncoding}
#: the encoding `build_cnf` and the sat backend use unless told otherwise
DEFAULT_NUMBERS = "order"


def number_encoding(name: str) -> type[NumberEncoding[Any]]:
    """The encoding registered as ``name``; `InputError` names the choices otherwise.

    >>> number_encoding("order").__name__
    'OrderEncoding'
    >>> number_encoding("binary")
    Traceback (most recent call last):
    ...
    realize.errors.InputError: unknown number encoding 'binary' (choose from: order)
    """
    try:
        return NUMBER_ENCODINGS[name]
    except KeyError:
        raise InputError(f"unknown number encoding {name!r} "
                         f"(choose from: {', '.join(NUMBER_ENCODINGS)})") from None
