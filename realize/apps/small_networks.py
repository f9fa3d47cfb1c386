"""Networks of one unit or of three hidden units, found in the table of all threshold functions.

For n <= 5 inputs every threshold function is in one table (`threshold_units`: 94,572 for
n = 5, each with weights that compute it). A single unit is a lookup. An ``n-3-1`` network is a
choice of three tables and an output unit, and normal forms make the choice small:

- a hidden unit may be negated (the table holds its complement; the output unit absorbs the
  sign), so the output unit has weights >= 0: it is a positive threshold function of 3 inputs;
- those are, up to the order of the hidden units, MAJ3, ``a & (b | c)``, ``a | (b & c)``,
  AND3 and OR3, or read fewer units (then some forms above still cover them with repeated
  units or a constant unit: ``a & b = a & (b | b)``), and OR-like forms of f are AND-like
  forms of ~f with every unit negated;
- ``f = a & r(b, c)`` needs ``a >= f`` (a superset of f's rows), and on the rows of a, ``r(b, c)``
  must be f: each of b, c must avoid f's zeros there (r = OR) or contain f (r = AND), and two of
  them must cover what is left (`covers`);
- MAJ3: each row agrees with f on at least two of the three units, so some unit agrees with f
  on at least 22 of the 32 rows (64 / 3); with it fixed, the other two must avoid f's zeros
  where it is 1 and contain f's ones where it is 0, and cover the rest.

The search is exhaustive unless it runs past its time budget, so it finds a network of three
hidden units whenever one exists. MAJ3 goes first: on 5 inputs it was the form found for every
class of a sample that needs three units, most often with the unit nearest to f. It says
nothing about two: the caller asks SAT for the sizes below. Every network is built from the
table's weights and verified by the caller.

>>> table_network(0xe8, 3).describe()           # MAJ3: one unit
'y0 = [+1*x0 +1*x1 +1*x2 -2 >= 0]'
>>> table_network(0x96, 3).function().to_hex()  # XOR3 on three hidden units
'96'
>>> table_network(0x6996, 4, budget_s=5) is None  # parity 4 needs four
True
"""

from __future__ import annotations

import time

import numpy as np

from realize.apps.threshold_enum import threshold_units
from realize.spec.network import Network

#: largest number of inputs (the threshold functions of 6 inputs are 15 million)
MAX_INPUTS = 5
#: MAJ3: some unit agrees with f on at least this fraction of the rows (2 of 3 per row)
_AGREEMENT = 2 / 3
#: first members of a pair tried at once by `covers`
_CHUNK = 32


class _Tables:
    """The threshold tables of n inputs as uint64 with their weights and biases."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.full = np.uint64((1 << 2**n) - 1)
        self.tables, self.weights, self.biases = threshold_units(n)

    def unit(self, table: np.uint64) -> tuple[list[int], int]:
        i = int(np.searchsorted(self.tables, table))
        return self.weights[i].tolist(), int(self.biases[i])

    def network(self, hidden: list[np.uint64], out_weights: list[int], out_bias: int) -> Network:
        """The network of the ``hidden`` tables (none: the output reads the inputs)."""
        units = [self.unit(t) for t in hidden]
        layers = [{"weights": [w for w, _ in units], "bias": [b for _, b in units]}] if hidden else []
        return Network.from_dict({"inputs": self.n, "layers": [
            *layers, {"weights": [out_weights], "bias": [out_bias]}]})


_CACHE: dict[int, _Tables] = {}


def _tables(n: int) -> _Tables:
    if n not in _CACHE:
        _CACHE[n] = _Tables(n)
    return _CACHE[n]


def covers(target: np.uint64, sets: np.ndarray) -> tuple[np.uint64, np.uint64] | None:
    """Two members of ``sets`` whose union holds ``target`` (None: no two do).

    One of the two holds the row of ``target`` that the fewest members hold: the firsts are
    those (none when some row is in no member). Largest first and in chunks, so that a pair,
    when there is one, is usually found in the first chunk.

    >>> s = np.array([0b0011, 0b0110, 0b1100], dtype=np.uint64)
    >>> [bin(int(x)) for x in covers(np.uint64(0b1111), s)], covers(np.uint64(0b10001), s)
    (['0b11', '0b1100'], None)
    """
    if target == 0:
        return np.uint64(0), np.uint64(0)
    holding = np.unpackbits(sets.view(np.uint8).reshape(-1, 8), axis=1,
                            bitorder="little").sum(axis=0)  # members holding each row
    rows = [r for r in range(64) if int(target) >> r & 1]
    rarest = min(rows, key=lambda r: holding[r])
    if holding[rarest] == 0:
        return None
    sets = sets[np.argsort(-np.bitwise_count(sets & target), kind="stable")]
    firsts = sets[(sets >> np.uint64(rarest)) & np.uint64(1) != 0]
    for start in range(0, firsts.size, _CHUNK):
        need = target & ~firsts[start:start + _CHUNK]
        fits = (sets[None, :] & need[:, None]) == need[:, None]
        hits = np.flatnonzero(fits.any(axis=1))
        if hits.size:
            i = int(hits[0])
            return firsts[start + i], sets[int(np.flatnonzero(fits[i])[0])]
    return None


def _pick(values: np.ndarray, keys: np.ndarray, key: np.uint64) -> np.uint64:
    return values[int(np.flatnonzero(keys == key)[0])]


def _and_like(tabs: _Tables, f: np.uint64, deadline: float) -> tuple[str, list[np.uint64]] | None:
    """f = a & (b | c) or a & b & c; ``"?"`` when the budget ran out first."""
    supersets = tabs.tables[(tabs.tables & f) == f]
    for a in supersets[np.argsort(np.bitwise_count(supersets), kind="stable")]:  # nearest first
        if time.perf_counter() > deadline:
            return "?", []
        inside = a & ~f  # f's zeros among a's rows
        avoiding = tabs.tables[(tabs.tables & inside) == 0]
        parts = avoiding & f
        got = covers(f, np.unique(parts))
        if got is not None:
            return "or", [a, *(_pick(avoiding, parts, p) for p in got)]
        misses = ~supersets & inside
        got = covers(inside, np.unique(misses))
        if got is not None:
            return "and", [a, *(_pick(supersets, misses, m) for m in got)]
    return None


def _majority(tabs: _Tables, f: np.uint64, deadline: float) -> list[np.uint64] | str | None:
    """f = maj(a, b, c), a the unit that agrees with f most (tried nearest to f first);
    ``"?"`` past the budget."""
    rows = 2**tabs.n
    wrong = tabs.tables ^ f  # the rows where each unit disagrees with f
    distance = np.bitwise_count(wrong)
    order = np.argsort(distance, kind="stable")
    wrong, distance = wrong[order], distance[order]
    near = int(np.searchsorted(distance, rows - int(np.ceil(_AGREEMENT * rows)), side="right"))
    for i in range(near):
        if time.perf_counter() > deadline:
            return "?"
        # b and c agree with f where a does not, and (a agreeing most) nowhere more often
        others = wrong[int(np.searchsorted(distance, distance[i])):]
        fit = others[(others & wrong[i]) == 0]
        rest = tabs.full & ~wrong[i]  # rows the other two must settle
        settled = ~fit & rest  # the rows of rest where each candidate agrees with f
        got = covers(rest, settled)
        if got is not None:
            return [wrong[i] ^ f, *(_pick(fit, settled, s) ^ f for s in got)]
    return None


def table_network(table: int, n: int, budget_s: float = 0.05) -> Network | None:
    """One unit for the ``n``-input ``table`` if it is a threshold function, else a network of
    three hidden units if the search finds one within ``budget_s`` seconds (None: none exists,
    or the budget ran out). Not verified here."""
    if not 0 <= n <= MAX_INPUTS:
        raise ValueError(f"the table search takes 0 to {MAX_INPUTS} inputs, not {n}")
    tabs = _tables(n)
    f = np.uint64(table)
    deadline = time.perf_counter() + budget_s
    i = int(np.searchsorted(tabs.tables, f))
    if i < len(tabs.tables) and tabs.tables[i] == f:
        return tabs.network([], *tabs.unit(f))
    majority = _majority(tabs, f, deadline)
    if isinstance(majority, list):
        return tabs.network(majority, [1, 1, 1], -2)
    for target, negated in ((tabs.full & ~f, True), (f, False)):  # ~f first: measured faster
        found = _and_like(tabs, target, deadline)
        if found is not None and found[0] != "?":
            return _built(tabs, negated, found[1], found[0])
    return None


#: output units (weights, bias) of each form, over units (a, b, c), and of its dual
_FORMS = {"and": (([1, 1, 1], -3), ([1, 1, 1], -1)),  # a & b & c  | ~a | ~b | ~c
          "or": (([2, 1, 1], -3), ([2, 1, 1], -2))}   # a & (b|c)  | ~a | (~b & ~c)


def _built(tabs: _Tables, negated: bool, units: list[np.uint64], form: str) -> Network:
    weights, bias = _FORMS[form][1 if negated else 0]
    hidden = [tabs.full & ~u for u in units] if negated else units
    return tabs.network(hidden, weights, bias)
