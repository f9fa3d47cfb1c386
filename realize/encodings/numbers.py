"""Integers in CNF: the number encodings of the CNF encoding (see encodings/cnf.md).

A `NumberEncoding` keeps integer variables, each within a range [lo, hi], in one `ClauseBuilder`:
`integer` creates one, `times` multiplies one by a literal, `reify_at_least` ties a literal to
"sum of terms >= k", `value` reads one off a model. Each encoding owns its size limits:
`practical(arch, bounds)` is None when the encoding fits the question, else the reason.
`build_cnf(..., numbers=name)` takes an encoding from `NUMBER_ENCODINGS` by name, or with
``auto`` the one `choose_numbers` picks by the measured rule (the sat backend's default).

`OrderEncoding`: a `Unary` number is ``offset + (number of true
literals)`` with literals sorted so that ``lits[k]`` means "value >= offset + k + 1". Sums are
built with bidirectional totalizer merges; identical merges are shared (memoized), which is what
makes the first layer of a network cheap: rows that agree on a group of inputs share that
group's sum.

`BinaryEncoding`: a `Binary` number is two's complement, about log2 of its range in bits;
products are AND gates per bit, sums shared ripple-carry adders, and ``sum >= k`` the sign bit
of ``sum - k`` in an accumulator as wide as its range (so it cannot overflow).

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

import itertools
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


class Binary:
    """A two's-complement integer: ``sum(2^i * bits[i] for i < t) - 2^t * bits[t]``, t = len - 1.

    ``bits`` run from the least significant; ``()`` is 0. Every model gives the value a place in
    [``lo``, ``hi``] (range clauses for a fresh integer, arithmetic for a derived one), and
    ``len(bits)`` is at least the two's-complement width of that range, so the bits never
    overflow. Bits past the top are copies of the sign bit (sign extension).
    """

    __slots__ = ("bits", "lo", "hi")

    def __init__(self, bits: tuple[int, ...], lo: int, hi: int) -> None:
        self.bits, self.lo, self.hi = bits, lo, hi

    def bit(self, i: int) -> int:
        """Bit i of the value (two's complement, sign-extended)."""
        if i < len(self.bits):
            return self.bits[i]
        return self.bits[-1] if self.bits else FALSE

    def __repr__(self) -> str:
        return f"Binary(bits={self.bits}, lo={self.lo}, hi={self.hi})"


ZERO = Binary((), 0, 0)


def twos_width(lo: int, hi: int) -> int:
    """The fewest two's-complement bits that hold every value of [lo, hi] (0 for {0}).

    >>> [twos_width(0, 0), twos_width(-1, 0), twos_width(0, 1), twos_width(-18, 18), twos_width(-337, 336)]
    [0, 1, 2, 6, 10]
    """
    def need(v: int) -> int:
        if v == 0:
            return 0
        return (v if v > 0 else ~v).bit_length() + 1
    return max(need(lo), need(hi))


class BinaryEncoding(NumberEncoding[Binary]):
    """Two's-complement integers: a range [lo, hi] costs about log2(hi - lo) literals.

    - ``integer``: fresh bits, plus clauses (no auxiliary variables) for lo <= x <= hi where the
      width alone does not give them; a constant sign bit when the range has one sign.
    - ``times(x, z)``: every bit AND z (two's complement is linear in its bits, so this is
      exactly z * x); a constant z gives x itself or 0 without clauses.
    - sums: a balanced tree of ripple-carry adders (full adders: XOR3 and majority, Tseitin,
      constants folded, plus the implied clauses "sum and carry equal force the inputs"), each
      as wide as the range of its sum, shared when repeated: in the first layer, rows that agree
      on a group of inputs share that group's sum.
    - ``reify_at_least(y, terms, k)``: with S the sum of all terms but the last, B the last (the
      bias) and T = S + B - k, y <-> not sign(T), where sign(T) is the top bit of T computed
      modulo 2^w, w the two's-complement width of T's range. Only the carries below the top bit
      are built (one majority gate per bit), no sum bits.

    Soundness of the width (encodings/cnf.md, "The binary encoding"): every value has a
    place in its range in every model, T's range is the sum of the ranges, and modulo 2^w
    arithmetic on bits is exact for a value in [-2^(w-1), 2^(w-1) - 1]; its top bit is then 1
    exactly when the value is negative.

    >>> from realize.spec.architecture import Architecture
    >>> from realize.spec.bounds import Bounds
    >>> BinaryEncoding.practical(Architecture.parse("9-1"), Bounds()) is None   # W*(9) = 195
    True
    >>> BinaryEncoding.practical(Architecture.parse("2-1"), Bounds(max_weight=2**30, max_bias=1))
    'weights up to 1073741824 exceed the binary encoding limit |w| <= 1048576'
    """

    #: beyond this weight magnitude (2^20) a question is refused (there is no reason for such
    #: weights: every threshold function of m inputs has a realization within W*(m))
    MAX_WEIGHT = 2**20
    #: beyond this (fan-in >= 7 in exact mode) z3 decides faster overall: binary won on 7-2-2-1
    #: (1.4 to 4 times faster than z3) but lost on x0x1|x2x3|x4x5 on 6-1-1 with skip connections
    #: (12.8 s against 0.08 s for z3 over reals) and on 8-3-1 (benchmarks/README.md)
    PREFERS_SMT_ABOVE = 9
    #: the most gates (products, adders, comparisons) estimated before building
    MAX_GATES = 4_000_000

    def __init__(self, builder: ClauseBuilder) -> None:
        super().__init__(builder)
        self._sums: dict[tuple[tuple[int, ...], tuple[int, ...]], Binary] = {}
        self._gates: dict[tuple[Any, ...], int] = {}

    @classmethod
    def practical(cls, arch: Architecture, bounds: Bounds, rows: int = 1) -> str | None:
        widest = bounds.widest_weight(arch)
        if widest > cls.MAX_WEIGHT:
            return f"weights up to {widest} exceed the binary encoding limit |w| <= {cls.MAX_WEIGHT}"
        # per row and unit: each product (one AND per bit) and its adder (one per bit of the
        # partial sum), then the comparison's carry chain
        per_row = 0
        for fanin in arch.fanins:
            m = len(fanin)
            wlo, whi = bounds.weight_range(m)
            blo, bhi = bounds.bias_range(m)
            width = twos_width(min(wlo, 0) * m + blo, max(whi, 0) * m + bhi)
            per_row += m * (twos_width(wlo, whi) + width) + width
        gates = per_row * max(rows, 1)
        if gates > cls.MAX_GATES:
            return (f"about {gates:,} gates for {rows} rows exceed the binary encoding limit of "
                    f"{cls.MAX_GATES:,}")
        return None

    # -- integers -------------------------------------------------------------------------------
    def integer(self, lo: int, hi: int) -> Binary:
        if lo > hi:
            raise ValueError(f"empty range [{lo}, {hi}]")
        w = twos_width(lo, hi)
        if lo == hi:
            return Binary(_constant_bits(lo, w), lo, hi)
        bits = [self.builder.new_var() for _ in range(w - 1)]
        sign = FALSE if lo >= 0 else TRUE if hi < 0 else self.builder.new_var()
        x = Binary((*bits, sign), lo, hi)
        if lo > -(2 ** (w - 1)):
            self._at_least(x, lo)
        if hi < 2 ** (w - 1) - 1:
            self._at_most(x, hi)
        return x

    def _at_most(self, x: Binary, c: int) -> None:
        """Clauses for x <= c (x's width holds c), without auxiliary variables.

        On u = x + 2^(w-1) (the bits with the sign bit negated, an unsigned number) and
        C = c + 2^(w-1): u > C iff at the highest bit i where they differ u_i = 1 and C_i = 0;
        so for every i with C_i = 0, not (u_i and u_j for all j > i with C_j = 1).
        """
        u, big = self._unsigned(x), c + 2 ** (len(x.bits) - 1)
        for i in range(len(u)):
            if not big >> i & 1:
                self.builder.add([-u[i], *(-u[j] for j in range(i + 1, len(u)) if big >> j & 1)])

    def _at_least(self, x: Binary, c: int) -> None:
        """Clauses for x >= c, as `_at_most` with the roles of 0 and 1 swapped."""
        u, big = self._unsigned(x), c + 2 ** (len(x.bits) - 1)
        for i in range(len(u)):
            if big >> i & 1:
                self.builder.add([u[i], *(u[j] for j in range(i + 1, len(u)) if not big >> j & 1)])

    @staticmethod
    def _unsigned(x: Binary) -> list[int]:
        return [*x.bits[:-1], -x.bits[-1]]

    def value(self, x: Binary, model: Sequence[int]) -> int:
        top = len(x.bits) - 1
        return sum((-(2**i) if i == top else 2**i) for i, lit in enumerate(x.bits)
                   if _holds(lit, model))

    def describe(self, x: Binary) -> str:
        return (f"range {x.lo} {x.hi} twos-complement-bits (least significant first) "
                f"{' '.join(map(str, x.bits))}")

    # -- arithmetic -----------------------------------------------------------------------------
    def times(self, x: Binary, z: int) -> Binary:
        """``x * z``: each bit AND z (the value is z * x, since two's complement is linear)."""
        if z == TRUE:
            return x
        if z == FALSE or not x.bits:
            return ZERO
        bits = tuple(self.builder.and_gate(b, z) for b in x.bits)
        return Binary(bits, min(x.lo, 0), max(x.hi, 0))

    def add(self, a: Binary, b: Binary) -> Binary:
        """``a + b`` by a ripple-carry adder as wide as the sum's range (shared when repeated)."""
        if not a.bits and a.lo == 0:
            return b
        if not b.bits and b.lo == 0:
            return a
        key = (a.bits, b.bits) if a.bits <= b.bits else (b.bits, a.bits)
        lo, hi = a.lo + b.lo, a.hi + b.hi
        found = self._sums.get(key)
        if found is None or (found.lo, found.hi) != (lo, hi):
            w = twos_width(lo, hi)
            bits, carry = [], FALSE
            for i in range(w):
                x, y = a.bit(i), b.bit(i)
                bits.append(self._xor3(x, y, carry))
                if i < w - 1:
                    out = self._majority(x, y, carry)
                    # implied by the gates, kept for propagation from the outputs back to the
                    # inputs: sum and carry both 1 (0) make every input 1 (0)
                    for v in (x, y, carry):
                        self.builder.add([-out, -bits[-1], v])
                        self.builder.add([out, bits[-1], -v])
                    carry = out
            found = self._sums[key] = Binary(tuple(bits), lo, hi)
        return found

    def total(self, terms: Sequence[Binary]) -> Binary:
        """The sum of the terms (a balanced tree of adders, by position: shareable subtrees)."""
        terms = list(terms)
        if not terms:
            return ZERO
        while len(terms) > 1:
            paired = [self.add(a, b) for a, b in zip(terms[::2], terms[1::2], strict=False)]
            if len(terms) % 2:
                paired.append(terms[-1])
            terms = paired
        return terms[0]

    def reify_at_least(self, y: int, terms: Sequence[Binary], k: int) -> None:
        """y <-> S + B - k >= 0, the sign bit of T = S + B - k (S: all terms but the last,
        summed by `total`; B: the last term, typically the bias)."""
        if not terms:
            self.builder.add([y] if k <= 0 else [-y])
            return
        s, last = self.total(terms[:-1]), terms[-1]
        lo, hi = s.lo + last.lo - k, s.hi + last.hi - k
        if lo >= 0 or hi < 0:  # decided by the ranges alone
            self.builder.add([y] if lo >= 0 else [-y])
            return
        w = twos_width(lo, hi)
        sign = self._sign_bit([s, last, Binary(_constant_bits(-k, w), -k, -k)], w)
        self.builder.add([y, sign])
        self.builder.add([-y, -sign])

    def _sign_bit(self, operands: Sequence[Binary], w: int) -> int:
        """Bit w - 1 of ``sum(operands) mod 2^w``: a carry-save reduction of the columns.

        Column j holds bit j of every operand (sign-extended to w bits). Full adders reduce a
        column to one bit, sending carries to column j + 1; carries out of column w - 1 are
        dropped (modulo 2^w). Below the top only the carries matter, so the last adder of a
        column builds its carry alone (a majority or an AND gate), never its sum.
        """
        columns = [[op.bit(j) for op in operands] for j in range(w)]
        for j in range(w - 1):
            bits = [lit for lit in columns[j] if lit != FALSE]
            while len(bits) > 3:
                a, b, c = bits.pop(0), bits.pop(0), bits.pop(0)
                bits.append(self._xor3(a, b, c))
                columns[j + 1].append(self._majority(a, b, c))
            if len(bits) == 3:
                columns[j + 1].append(self._majority(*bits))
            elif len(bits) == 2:
                columns[j + 1].append(self.builder.and_gate(*bits))
        top = FALSE
        for lit in columns[w - 1]:
            top = self._xor3(top, lit, FALSE)
        return top

    # -- gates ----------------------------------------------------------------------------------
    def _xor3(self, a: int, b: int, c: int) -> int:
        """A literal equivalent to ``a xor b xor c`` (constants and repeated variables folded,
        shared up to the signs of the inputs)."""
        negate = False
        vars_: list[int] = []
        for lit in (a, b, c):
            if lit in (TRUE, FALSE):
                negate ^= lit == TRUE
                continue
            if lit < 0:
                negate, lit = not negate, -lit
            if lit in vars_:
                vars_.remove(lit)
            else:
                vars_.append(lit)
        vars_.sort()
        if not vars_:
            out = FALSE
        elif len(vars_) == 1:
            out = vars_[0]
        else:
            key = ("xor", *vars_)
            out = self._gates.get(key, 0)
            if not out:
                out = self._gates[key] = self.builder.new_var()
                for signs in itertools.product((1, -1), repeat=len(vars_)):
                    # the clause [s*v ...] is false exactly where v = (s < 0) for every v; the
                    # xor there is the parity of the negative signs, which out must equal
                    odd = sum(s < 0 for s in signs) % 2
                    self.builder.add([*(s * v for s, v in zip(signs, vars_, strict=True)),
                                      out if odd else -out])
        return -out if negate else out

    def _majority(self, a: int, b: int, c: int) -> int:
        """A literal equivalent to "at least two of a, b, c" (constants folded, shared)."""
        for x, y, z in ((a, b, c), (b, c, a), (c, a, b)):
            if x == TRUE:
                return self.builder.or_gate(y, z)
            if x == FALSE:
                return self.builder.and_gate(y, z)
            if x == y:
                return x
            if x == -y:
                return z
        lits = sorted((a, b, c))
        negate = sum(lit < 0 for lit in lits) >= 2  # maj(-a, -b, -c) = -maj(a, b, c)
        if negate:
            lits = sorted(-lit for lit in lits)
        key = ("maj", *lits)
        out = self._gates.get(key, 0)
        if not out:
            out = self._gates[key] = self.builder.new_var()
            for x, y in itertools.combinations(lits, 2):
                self.builder.add([-out, x, y])
                self.builder.add([out, -x, -y])
        return -out if negate else out


def _constant_bits(c: int, w: int) -> tuple[int, ...]:
    """The w-bit two's complement of c (modulo 2^w) as constant literals."""
    return tuple(TRUE if c >> i & 1 else FALSE for i in range(w))


#: every number encoding by name; a new encoding is one class above and one entry here
NUMBER_ENCODINGS: dict[str, type[NumberEncoding[Any]]] = {"order": OrderEncoding,
                                                            "binary": BinaryEncoding}
#: the encoding `build_cnf` uses unless told otherwise
DEFAULT_NUMBERS = "order"
#: the name that lets the measured rule of `choose_numbers` pick (the sat backend's default)
AUTO_NUMBERS = "auto"
#: `choose_numbers` picks the binary encoding when some weight magnitude exceeds this, else
#: the order encoding. Measured (benchmarks/numbers_bench.py, benchmarks/README.md): with
#: weights up to 9 (fan-in 6) binary was 1.6 to 11 times faster than order on every instance
#: decided, with weights up to 3 or 5 order was as fast or up to 2.5 times faster
BINARY_ABOVE = 5


def choose_numbers(name: str, arch: Architecture, bounds: Bounds) -> str:
    """The encoding to use: ``name`` itself, or for ``auto`` the measured rule: binary when
    ``bounds.widest_weight(arch) > BINARY_ABOVE``, else order. `InputError` for an unknown name.

    >>> from realize.spec.architecture import Architecture
    >>> from realize.spec.bounds import Bounds
    >>> [choose_numbers("auto", Architecture.parse(a), Bounds()) for a in ("5-3-2-1", "6-3-2-1", "8-1")]
    ['order', 'binary', 'binary']
    >>> choose_numbers("auto", Architecture.parse("8-1"), Bounds(max_weight=1))
    'order'
    >>> choose_numbers("order", Architecture.parse("8-1"), Bounds())
    'order'
    """
    if check_numbers(name) == AUTO_NUMBERS:
        return "binary" if bounds.widest_weight(arch) > BINARY_ABOVE else DEFAULT_NUMBERS
    return name


def number_choices() -> list[str]:
    """The names ``--numbers`` accepts: ``auto``, then every registered encoding."""
    return [AUTO_NUMBERS, *NUMBER_ENCODINGS]


def check_numbers(name: str) -> str:
    """``name`` if it is ``auto`` or a registered encoding, else `InputError` naming the choices.

    >>> check_numbers("auto")
    'auto'
    >>> check_numbers("log")
    Traceback (most recent call last):
    ...
    realize.errors.InputError: unknown number encoding 'log' (choose from: auto, order, binary)
    """
    if name not in number_choices():
        raise InputError(f"unknown number encoding {name!r} (choose from: {', '.join(number_choices())})")
    return name


def number_encoding(name: str) -> type[NumberEncoding[Any]]:
    """The encoding registered as ``name``; `InputError` names the choices otherwise.

    >>> number_encoding("order").__name__
    'OrderEncoding'
    >>> number_encoding("binary").__name__
    'BinaryEncoding'
    >>> number_encoding("unary")
    Traceback (most recent call last):
    ...
    realize.errors.InputError: unknown number encoding 'unary' (choose from: order, binary)
    """
    try:
        return NUMBER_ENCODINGS[name]
    except KeyError:
        raise InputError(f"unknown number encoding {name!r} "
                         f"(choose from: {', '.join(NUMBER_ENCODINGS)})") from None
