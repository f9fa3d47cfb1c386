"""The proof-bundle checker's own generators: they share no code with realize's encoder.

`realize proof check` regenerates every case CNF from the definitions here and compares it
clause for clause with the bundle's (realize's encoder writes them, `realize.backends.cases`
and `realize.encodings`); it checks the renamings of dual cases and the symmetries whose
lex-leader clauses a case CNF carries (encodings/cnf.md, "Proof bundles"). Variable
y(u, r) = 1 + u * 2^n + r is hidden unit u on input row r.

>>> clauses = independent_asummability(2, 1) + independent_output_clauses_for([1, 2], [0, 3], 2, 1, (0, 1))
>>> sym = {"units": [0], "inputs": [1, 0], "xor": 0, "negate": []}   # swap x0 x1
>>> symmetry_maps_onto(clauses, literal_map(sym, 2, 1)), lex_leader_clauses(literal_map(sym, 2, 1), 4)
(True, ([[-2, 3], [-2, -3, 4], [2, 3, 4]], 5))
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any


class BundleError(ValueError):
    """A bundle that cannot be read: missing files, malformed manifest."""


def _clause_key(clause: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(clause))


def independent_asummability(n: int, k: int) -> Counter[tuple[int, ...]]:
    """The 2-asummability clauses of k columns over 2^n rows, from the definition alone: two
    unordered pairs of distinct rows with the same sum (same AND and same OR) give the clause
    not y(a) or not y(b) or y(c) or y(d)."""
    size = 2**n
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a in range(size):
        for b in range(a + 1, size):
            groups[(a & b, a | b)].append((a, b))
    out: Counter[tuple[int, ...]] = Counter()
    for u in range(k):
        y = 1 + u * size
        for pairs in groups.values():
            for p in pairs:
                for q in pairs:
                    if p != q:
                        out[_clause_key((-(y + p[0]), -(y + p[1]), y + q[0], y + q[1]))] += 1
    return out


def read_dimacs(text: str) -> tuple[int, Counter[tuple[int, ...]]]:
    """(variables in the header, multiset of clauses) of DIMACS text; `BundleError` if malformed."""
    nvars, clauses, current = None, Counter(), []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("c"):
            continue
        if line.startswith("p"):
            parts = line.split()
            if len(parts) != 4 or parts[1] != "cnf":
                raise BundleError(f"bad DIMACS header: {line}")
            nvars = int(parts[2])
            continue
        try:
            lits = [int(x) for x in line.split()]
        except ValueError:
            raise BundleError(f"bad DIMACS line: {line[:60]}") from None
        for x in lits:
            if x == 0:
                clauses[_clause_key(current)] += 1
                current = []
            else:
                current.append(x)
    if nvars is None or current:
        raise BundleError("DIMACS text without header or with an unterminated clause")
    return nvars, clauses


def rename(clauses: Counter[tuple[int, ...]], n: int, k: int, negate_input: int) -> Counter[tuple[int, ...]]:
    """The image of clauses under y(u, r) -> not y(u, r xor e_i): a bijection on literals."""
    size, bit = 2**n, 1 << negate_input

    def image(lit: int) -> int:
        v = abs(lit) - 1
        u, r = divmod(v, size)
        if u >= k:
            raise BundleError(f"variable {abs(lit)} is not a hidden-unit variable")
        w = 1 + u * size + (r ^ bit)
        return -w if lit > 0 else w

    out: Counter[tuple[int, ...]] = Counter()
    for c, count in clauses.items():
        out[_clause_key(image(x) for x in c)] += count
    return out


def independent_output_clauses_for(ones: Sequence[int], zeros: Sequence[int], n: int, k: int,
                                   table: Sequence[int]) -> Counter[tuple[int, ...]]:
    """T(y(r)) = f(r) for a monotone T, where f = 1 on ``ones`` and 0 on ``zeros``: where f = 1,
    some unit outside each maximal false point of T is 1; where f = 0, some unit of each minimal
    true point is 0."""
    size, full = 2**n, 2**k
    ins = [[u for u in range(k) if p >> u & 1] for p in range(full)]
    max_false = [p for p in range(full) if not table[p]
                 and all(table[p | 1 << u] for u in range(k) if not p >> u & 1)]
    min_true = [p for p in range(full) if table[p]
                and all(not table[p & ~(1 << u)] for u in ins[p])]
    out: Counter[tuple[int, ...]] = Counter()
    for r in ones:
        for p in max_false:
            out[_clause_key(1 + u * size + r for u in range(k) if u not in ins[p])] += 1
    for r in zeros:
        for p in min_true:
            out[_clause_key(-(1 + u * size + r) for u in ins[p])] += 1
    return out


def literal_map(sym: Any, n: int, k: int) -> dict[int, int]:
    """The literal each variable y(u, r) goes to under a symmetry record of a bundle,
    ``{"units": [...], "inputs": [...], "xor": c, "negate": [...]}``: y(u, r) goes to
    y(units[u], t(r)), negated for the units in ``negate``, t(r) moving bit i of r to bit
    inputs[i] and then XORing c. `BundleError` unless the record is a bijection."""
    try:
        units = [int(u) for u in sym["units"]]
        inputs = [int(i) for i in sym["inputs"]]
        xor = int(sym["xor"])
        negate = {int(u) for u in sym["negate"]}
    except (KeyError, TypeError, ValueError):
        raise BundleError(f"malformed symmetry record: {str(sym)[:80]}") from None
    if sorted(units) != list(range(k)) or sorted(inputs) != list(range(n)) \
            or not 0 <= xor < 2**n or not negate <= set(range(k)):
        raise BundleError(f"symmetry {sym.get('name')!r} is not a permutation of units and inputs")
    size = 2**n
    out = {}
    for u in range(k):
        for r in range(size):
            moved = 0
            for i in range(n):
                if r >> i & 1:
                    moved |= 1 << inputs[i]
            target = 1 + units[u] * size + (moved ^ xor)
            out[1 + u * size + r] = -target if u in negate else target
    return out


def symmetry_maps_onto(clauses: Counter[tuple[int, ...]], image: dict[int, int]) -> bool:
    """Whether the literal map sends the clause multiset onto itself (a syntactic symmetry)."""
    def lit(x: int) -> int:
        return image[x] if x > 0 else -image[-x]

    try:
        mapped = Counter({_clause_key(lit(x) for x in c): m for c, m in clauses.items()})
    except KeyError:
        return False
    return mapped == clauses


def lex_leader_clauses(image: dict[int, int], first_free: int) -> tuple[list[list[int]], int]:
    """The clauses of "the assignment is lexicographically at most its image", variables in
    increasing order, with auxiliary variables numbered from ``first_free``: (clauses, next
    free variable).

    Variable v meets its image literal s(v). Skipped: s(v) = v, and s(v) = w (or not w) when w
    came earlier with s(w) = v (resp. not v): equality at w already gives equality at v. An
    aux variable e after each compared position says "equal up to here"; at a position,
    "equal before" implies v <= s(v), and "equal before, and v = s(v)" implies e. When s(v) =
    not v the position can never be equal: v = 0 is forced there and the clauses end.
    """
    clauses: list[list[int]] = []
    compared: set[tuple[int, int]] = set()
    before: list[int] = []  # [not e] of the previous position, [] at the first
    nxt = first_free
    for v in sorted(image):
        s = image[v]
        if s == v:
            continue
        w, sign = abs(s), (1 if s > 0 else -1)
        if (w, sign * v) in compared:
            continue
        compared.add((v, s))
        if s == -v:
            clauses.append(before + [-v])
            break
        clauses.append(before + [-v, s])
        clauses.append(before + [-v, -s, nxt])
        clauses.append(before + [v, s, nxt])
        before = [-nxt]
        nxt += 1
    return clauses, nxt
