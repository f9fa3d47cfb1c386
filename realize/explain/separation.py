"""Is a Boolean function a threshold function? An answer with an exact certificate, either way.

This module shares no code with the encodings or the case split (`realize.backends.cases`): it is
the independent side of the proof bundles (`realize.explain.proofs`).

- **Threshold**: rational weights w and bias b with w.x + b >= 0 on every true point and
  w.x + b < 0 on every false point (`Hyperplane`).
- **Not threshold**: rational weights lam >= 0 on true points and mu >= 0 on false points, each
  summing to 1, with sum lam_i x_i = sum mu_j x_j (`HullPoint`): a point in both convex hulls.
  A separating (w, b) would give w.p + b >= 0 and w.p + b < 0 at that point p: no threshold
  function agrees with f there (Farkas' lemma says one of the two always exists).

z3 over the reals (exact rational simplex) *finds* the certificate; `Hyperplane.holds` and
`HullPoint.holds` check it in `fractions.Fraction` arithmetic, so z3 is only an oracle.

`regular_monotone_functions(k)` enumerates every monotone Boolean function of k inputs in which
input i is at least as strong as input i + 1 (regular), by its own recursion (not from weight
vectors): with `threshold_certificate` it lists the regular positive threshold functions, the
cases the case split must cover.

>>> separate([(1, 1)], [(0, 0), (0, 1), (1, 0)]).kind          # AND2
'hyperplane'
>>> c = separate([(0, 1), (1, 0)], [(0, 0), (1, 1)])           # XOR2
>>> c.kind, c.point, c.holds([(0, 1), (1, 0)], [(0, 0), (1, 1)])
('hull', (Fraction(1, 2), Fraction(1, 2)), True)
>>> [len(regular_monotone_functions(k)) for k in range(1, 5)]
[3, 5, 10, 27]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import z3

Point = tuple[int, ...]


@dataclass(frozen=True)
class Hyperplane:
    """w.x + b >= 0 exactly on the true points."""

    weights: tuple[Fraction, ...]
    bias: Fraction
    kind: str = "hyperplane"

    def holds(self, ones: Sequence[Point], zeros: Sequence[Point]) -> bool:
        def value(x: Point) -> Fraction:
            return sum((w * xi for w, xi in zip(self.weights, x, strict=True)), Fraction(0)) + self.bias
        return all(value(x) >= 0 for x in ones) and all(value(x) < 0 for x in zeros)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "weights": [str(w) for w in self.weights], "bias": str(self.bias)}


@dataclass(frozen=True)
class HullPoint:
    """A point in the convex hull of the true points and in that of the false points.

    ``lam[i]`` weighs ``ones[i]``, ``mu[j]`` weighs ``zeros[j]`` (only nonzero entries stored).
    """

    lam: dict[int, Fraction]
    mu: dict[int, Fraction]
    point: tuple[Fraction, ...]
    kind: str = "hull"

    def holds(self, ones: Sequence[Point], zeros: Sequence[Point]) -> bool:
        """Exact check: nonnegative weights summing to 1 on each side, both sums at ``point``."""
        sides = ((self.lam, ones), (self.mu, zeros))
        for weights, points in sides:
            if not weights or any(c < 0 for c in weights.values()) or sum(weights.values()) != 1:
                return False
            if any(not 0 <= i < len(points) for i in weights):
                return False
            n = len(self.point)
            total = [sum((c * points[i][d] for i, c in weights.items()), Fraction(0)) for d in range(n)]
            if tuple(total) != self.point:
                return False
        return True

    def to_dict(self) -> dict:
        return {"kind": self.kind, "lam": {str(i): str(c) for i, c in sorted(self.lam.items())},
                "mu": {str(i): str(c) for i, c in sorted(self.mu.items())},
                "point": [str(c) for c in self.point]}

    @classmethod
    def from_dict(cls, data: dict) -> HullPoint:
        """Raises ValueError (or TypeError, KeyError) on a malformed record."""
        return cls({int(i): Fraction(c) for i, c in data["lam"].items()},
                   {int(i): Fraction(c) for i, c in data["mu"].items()},
                   tuple(Fraction(c) for c in data["point"]))


def _fraction(value: z3.ExprRef) -> Fraction:
    v = value.as_fraction() if z3.is_rational_value(value) else None
    if v is None:
        raise ArithmeticError(f"z3 gave a non-rational value {value}")
    return Fraction(v.numerator, v.denominator)


def separate(ones: Sequence[Point], zeros: Sequence[Point]) -> Hyperplane | HullPoint:
    """A checked certificate that the points are, or are not, linearly separable (see above)."""
    n = len((ones or zeros or [()])[0])
    s = z3.Solver()
    w = [z3.Real(f"w{i}") for i in range(n)]
    b = z3.Real("b")
    for x in ones:
        s.add(z3.Sum([w[i] for i in range(n) if x[i]] + [b]) >= 0)
    for x in zeros:
        s.add(z3.Sum([w[i] for i in range(n) if x[i]] + [b]) <= -1)
    if s.check() == z3.sat:
        m = s.model()
        cert: Hyperplane | HullPoint = Hyperplane(
            tuple(_fraction(m.eval(v, model_completion=True)) for v in w),
            _fraction(m.eval(b, model_completion=True)))
    else:
        s = z3.Solver()
        lam = [z3.Real(f"l{i}") for i in range(len(ones))]
        mu = [z3.Real(f"m{j}") for j in range(len(zeros))]
        s.add(*[v >= 0 for v in lam + mu], z3.Sum(lam) == 1, z3.Sum(mu) == 1)
        for d in range(n):
            s.add(z3.Sum([lam[i] for i, x in enumerate(ones) if x[d]] + [z3.RealVal(0)])
                  == z3.Sum([mu[j] for j, x in enumerate(zeros) if x[d]] + [z3.RealVal(0)]))
        if s.check() != z3.sat:
            raise ArithmeticError("neither a separating hyperplane nor a common hull point")
        m = s.model()
        lv = {i: _fraction(m.eval(v, model_completion=True)) for i, v in enumerate(lam)}
        mv = {j: _fraction(m.eval(v, model_completion=True)) for j, v in enumerate(mu)}
        lv = {i: c for i, c in lv.items() if c}
        mv = {j: c for j, c in mv.items() if c}
        point = tuple(sum((c * ones[i][d] for i, c in lv.items()), Fraction(0)) for d in range(n))
        cert = HullPoint(lv, mv, point)
    if not cert.holds(ones, zeros):
        raise ArithmeticError("z3's certificate does not hold in exact arithmetic")
    return cert


def points_of(table: Sequence[int], k: int) -> tuple[list[Point], list[Point]]:
    """(true points, false points) of a truth table over k inputs (bit u of p = input u)."""
    ones, zeros = [], []
    for p, v in enumerate(table):
        (ones if v else zeros).append(tuple(p >> u & 1 for u in range(k)))
    return ones, zeros


def is_monotone(table: Sequence[int], k: int) -> bool:
    """T(p) <= T(p with one more input set), for every p and input."""
    return all(table[p] <= table[p | 1 << u] for p in range(2**k) for u in range(k))


def is_regular(table: Sequence[int], k: int) -> bool:
    """Input i at least as strong as input j for every i < j: moving a 1 from j to i never
    switches T off."""
    for i, j in itertools.combinations(range(k), 2):
        for p in range(2**k):
            if not p >> i & 1 and p >> j & 1 and table[p] > table[p ^ (1 << i) ^ (1 << j)]:
                return False
    return True


@cache
def regular_monotone_functions(k: int) -> tuple[tuple[int, ...], ...]:
    """Every regular monotone function of k inputs, as truth tables (sorted).

    Recursion on the weakest input x_(k-1): T is (T0 where x_(k-1) = 0, T1 where it is 1), both
    regular monotone in x_0 .. x_(k-2) (their defining inequalities are among T's), with
    T0 <= T1 (monotone in x_(k-1)) and T1(q) <= T0(q + x_i) for i < k - 1 (x_i as strong as
    x_(k-1)). Each table is re-checked against the definitions before it is kept.
    """
    if k == 0:
        return ((0,), (1,))
    smaller = regular_monotone_functions(k - 1)
    half = 2 ** (k - 1)
    out = []
    for t0 in smaller:
        for t1 in smaller:
            if any(a > b for a, b in zip(t0, t1, strict=True)):
                continue
            if any(t1[q] > t0[q | 1 << i] for i in range(k - 1) for q in range(half)
                   if not q >> i & 1):
                continue
            table = t0 + t1
            if not (is_monotone(table, k) and is_regular(table, k)):
                raise AssertionError(f"the recursion built a table that is not regular monotone: {table}")
            out.append(table)
    return tuple(sorted(out))


def _sorted_hyperplane(table: Sequence[int], k: int) -> Hyperplane | None:
    """A quick try for a monotone table: weights w_0 >= ... >= w_(k-1) >= 0, constraints only on
    the minimal true and maximal false points (None if z3 finds none; the caller checks)."""
    def index(x: Point) -> int:
        return sum(b << i for i, b in enumerate(x))
    ones, zeros = points_of(table, k)
    low = [x for x in ones if all(not x[u] or not table[index(x) ^ 1 << u] for u in range(k))]
    high = [x for x in zeros if all(x[u] or table[index(x) | 1 << u] for u in range(k))]
    s = z3.Solver()
    w = [z3.Real(f"w{i}") for i in range(k)]
    b = z3.Real("b")
    s.add(*[w[i] >= w[i + 1] for i in range(k - 1)], *([w[-1] >= 0] if k else []))
    s.add(*[z3.Sum([w[i] for i in range(k) if x[i]] + [b]) >= 0 for x in low])
    s.add(*[z3.Sum([w[i] for i in range(k) if x[i]] + [b]) <= -1 for x in high])
    if s.check() != z3.sat:
        return None
    m = s.model()
    return Hyperplane(tuple(_fraction(m.eval(v, model_completion=True)) for v in w),
                      _fraction(m.eval(b, model_completion=True)))


def threshold_certificate(table: Sequence[int], k: int) -> Hyperplane | HullPoint:
    """`separate` for a truth table of k inputs, trying sorted nonnegative weights first (fast
    for regular monotone tables); whatever is returned holds on every point, exactly."""
    ones, zeros = points_of(table, k)
    if is_monotone(table, k):
        quick = _sorted_hyperplane(table, k)
        if quick is not None and quick.holds(ones, zeros):
            return quick
    return separate(ones, zeros)


@cache
def regular_positive_threshold_functions(k: int) -> dict[tuple[int, ...], Hyperplane]:
    """Every regular monotone threshold function of k inputs, with its checked hyperplane.

    These are exactly the functions with some real weights v_1 >= ... >= v_k >= 0 (such weights
    make a function monotone, regular and threshold); a bigger set than needed would do no harm
    to soundness, a smaller one would."""
    out = {}
    for table in regular_monotone_functions(k):
        cert = threshold_certificate(table, k)
        if isinstance(cert, Hyperplane):
            out[table] = cert
    return out
