"""Input symmetries of a function that the CNF encoding breaks with lex-leader constraints.

An *input transform* t maps row x to t(x): a transposition of two inputs, or the negation of
one input or of two adjacent inputs (all involutions). If every output j satisfies
f_j(t(x)) = f_j(x) (or = not f_j(x)) on the care set, and the care set is closed under t, then a
network N computing f gives a network N' with N'(x) = N(t(x)) (outputs negated where f_j flips)
that also computes f within the same bounds; its hidden unit u outputs y_u(t(x)). See
encodings/cnf.md ("input-symmetry") for when this is sound and why it combines with the other rules.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> xor3 = BooleanFunction.from_hex("96", 3)
>>> [name for name, _ in input_symmetries(xor3, Architecture.parse("3-3-1"), Bounds())]
['swap x0 x1', 'swap x1 x2', 'swap x0 x2', 'negate x0', 'negate x1', 'negate x2', 'negate x0 x1', \
'negate x1 x2']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction


def _transforms(n: int) -> list[tuple[str, np.ndarray]]:
    """Adjacent transpositions, the other transpositions, single negations, then negations of
    two adjacent inputs (a symmetry of f when single negations flip it, as for parity)."""
    rows = np.arange(2**n, dtype=np.int64)
    out = []
    pairs = [(i, i + 1) for i in range(n - 1)]
    pairs += [(i, j) for i in range(n) for j in range(i + 2, n)]
    for i, j in pairs:
        bi, bj = (rows >> i) & 1, (rows >> j) & 1
        swapped = rows ^ ((bi ^ bj) << i) ^ ((bi ^ bj) << j)
        out.append((f"swap x{i} x{j}", swapped))
    out += [(f"negate x{i}", rows ^ (1 << i)) for i in range(n)]
    out += [(f"negate x{i} x{i + 1}", rows ^ (3 << i)) for i in range(n - 1)]
    return out


def _arch_allows(arch: Architecture, name: str) -> bool:
    """Transposing inputs i and j needs every unit that reads one of them to read both."""
    parts = name.split()
    if parts[0] != "swap":
        return True
    i, j = (int(p[1:]) for p in parts[1:])
    return all((i in fi) == (j in fi) for fi in arch.fanins)


def input_symmetries(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, max_inputs: int = 12
) -> list[tuple[str, np.ndarray]]:
    """The input transforms under which f is invariant, as maps of encoded positions.

    Only for functions with every row stored (2^n rows, n <= ``max_inputs``). Negated inputs and
    outputs need symmetric bounds (the weight's sign and the bias move); a negated output must be
    read by no unit. Each result is ``(name, t)`` with ``t[x]`` the row t(x).
    """
    n = f.n
    if n > max_inputs or f.num_rows != 2**n or bounds.real:
        return []
    values = f.values.astype(np.int64)
    care = values != DONT_CARE
    readers = arch.consumers()
    found = []
    for name, t in _transforms(n):
        if name.startswith("negate") and not bounds.symmetric:
            continue
        if not _arch_allows(arch, name) or not np.array_equal(care[:, t], care):
            continue
        ok = True
        for j, u in enumerate(arch.outputs):
            same = np.all((values[j, t] == values[j]) | ~care[j])
            flipped = np.all((values[j, t] != values[j]) | ~care[j])
            if not same and not (flipped and bounds.symmetric and not readers[u]):
                ok = False
                break
        if ok:
            found.append((name, t))
    return found


@dataclass(frozen=True)
class ColumnSymmetry:
    """A map of hidden columns: y(u, x) -> y(units[u], t(x)), complemented for the units in
    ``negate``, where t(x) moves bit i of x to bit ``inputs[i]`` and then XORs ``xor``.

    A symmetry of a CNF over the columns is broken by ``V <=lex sigma(V)``, V the columns
    concatenated (`lex_pairs`, then `realize.encodings.clauses.lex_chain`).

    >>> s = ColumnSymmetry.of_rows("negate x0", [1, 0, 3, 2], 2)
    >>> s.inputs, s.xor, s.lex_pairs([[5, 6, 7, 8], [9, 10, 11, 12]], [0, 1, 2, 3])
    ((0, 1), 1, [(5, 6), (7, 8), (9, 10), (11, 12)])
    """

    name: str
    units: tuple[int, ...]
    inputs: tuple[int, ...]
    xor: int = 0
    negate: frozenset[int] = frozenset()

    @classmethod
    def of_rows(cls, name: str, t: Sequence[int], k: int, negate: bool = False) -> ColumnSymmetry:
        """The input transform with row map ``t`` (a bit permutation then an XOR), on k units."""
        n = (len(t) - 1).bit_length()
        xor = int(t[0])
        inputs = tuple((int(t[1 << i]) ^ xor).bit_length() - 1 for i in range(n))
        out = cls(name, tuple(range(k)), inputs, xor, frozenset(range(k)) if negate else frozenset())
        if list(out.rows(n)) != [int(r) for r in t]:
            raise ValueError(f"{name}: the row map is not a permutation of inputs and an XOR")
        return out

    def rows(self, n: int) -> np.ndarray:
        """t(x) for every row x of n inputs."""
        x = np.arange(2**n, dtype=np.int64)
        moved = sum(((x >> i) & 1) << j for i, j in enumerate(self.inputs))
        return np.asarray(moved, dtype=np.int64) ^ self.xor

    def lex_pairs(self, columns: Sequence[Sequence[int | None]], positions: Sequence[int]
                  ) -> list[tuple[int, int]]:
        """The pairs (v, sigma(v)) that ``V <=lex sigma(V)`` compares, V the concatenated
        columns (``columns[u][k]`` is unit u on row ``positions[k]``).

        Dropped: a literal paired with itself, and a pair whose mirror image came earlier (equal
        so far makes it equal already). The list stops before a position without a literal, or
        whose image row is not encoded (comparing a prefix is weaker, so still sound).
        """
        image = self.rows(len(self.inputs))
        index = {int(p): k for k, p in enumerate(positions)}
        pairs: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        for u, column in enumerate(columns):
            sign = -1 if u in self.negate else 1
            for k, x in enumerate(column):
                target = index.get(int(image[positions[k]]))
                other = None if target is None else columns[self.units[u]][target]
                if x is None or other is None:
                    return pairs
                other *= sign
                if x == other or (sign * other, sign * x) in seen:
                    continue
                seen.add((x, other))
                pairs.append((x, other))
        return pairs

    def to_record(self) -> dict[str, Any]:
        """As JSON (a proof bundle's manifest); `from_record` reads it back."""
        return {"name": self.name, "units": list(self.units), "inputs": list(self.inputs),
                "xor": self.xor, "negate": sorted(self.negate)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ColumnSymmetry:
        return cls(str(record["name"]), tuple(int(u) for u in record["units"]),
                   tuple(int(i) for i in record["inputs"]), int(record["xor"]),
                   frozenset(int(u) for u in record["negate"]))
