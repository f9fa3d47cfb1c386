"""Networks of at most three hidden units found in the table of all threshold functions.

For n <= 5 inputs every threshold function is in one table (`threshold_units`: 94,572 for
n = 5, each with weights that compute it). An ``n-k-1`` network with k <= 3 is then a choice of
k tables and an output unit, and normal forms make the choice small:

- a hidden unit may be negated (the table holds its complement; the output unit absorbs the
  sign), so the output unit has weights >= 0: it is a positive threshold function of k inputs;
- an output that ignores a hidden unit is a network one size smaller, found before;
- the positive threshold functions of 2 inputs that read both are AND and OR, of 3 inputs AND3,
  OR3, MAJ3, ``a & (b | c)`` and ``a | (b & c)`` (up to the order of the hidden units);
- OR-like forms of f are AND-like forms of ~f with every unit negated.

So ``f = a & r(b, c)`` needs ``a >= f`` (a superset of f's rows), and on the rows of a, ``r(b, c)``
must be f: each of b, c must avoid f's zeros there (r = OR) or contain f (r = AND), and two of
them must cover what is left: `covers` finds such a pair, taking, without loss, the first as one
that covers the lowest row left. MAJ3: each row agrees with f on at least two of the three units,
so some unit agrees with f on at least 22 of the 32 rows (64 / 3); with it fixed, the other two
must avoid f's zeros where it is 1 and contain f's ones where it is 0, and cover the rest.

The search for 0 and 2 units is exhaustive; for 3 units it is exhaustive unless it runs past its
time budget. Every network is built from the table's weights and verified by the caller; a class
the search cannot settle goes to the SAT solver, which also refutes the size below the minimum.

>>> k, net = smallest_network(0x6, 2)          # XOR2 = x0 | x1 and not x0 & x1
>>> k, net.function().to_hex()
(2, '6')
>>> smallest_network(0x96, 3)[0], smallest_network(0xe8, 3)[0]    # XOR3 needs 3, MAJ3 is one unit
(3, 0)
"""

from __future__ import annotations

import time

import numpy as np

from realize.apps.threshold_enum import threshold_units
from realize.spec.network import Network

#: largest number of inputs (the threshold functions of 6 inputs are 15 million)
MAX_INPUTS = 5
#: hidden units searched here; larger networks are the SAT solver's
MAX_HIDDEN = 3
#: MAJ3: some unit agrees with f on at least this fraction of the rows (2 of 3 per row)
_AGREEMENT = 2 / 3


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

    >>> s = np.array([0b0011, 0b0110, 0b1100], dtype=np.uint64)
    >>> [bin(int(x)) for x in covers(np.uint64(0b1111), s)], covers(np.uint64(0b10001), s)
    (['0b11', '0b1100'], None)
    """
    if target == 0:
        return np.uint64(0), np.uint64(0)
    low = np.uint64(int(target) & -int(target))
    firsts = sets[(sets & low) != 0]
    if firsts.size == 0:
        return None
    need = target & ~firsts
    fits = (sets[None, :] & need[:, None]) == need[:, None]
    hits = np.flatnonzero(fits.any(axis=1))
    if hits.size == 0:
        return None
    i = int(hits[0])
    return firsts[i], sets[int(np.flatnonzero(fits[i])[0])]


def _pick(values: np.ndarray, keys: np.ndarray, key: np.uint64) -> np.uint64:
    return values[int(np.flatnonzero(keys == key)[0])]


def _two(tabs: _Tables, f: np.uint64) -> list[np.uint64] | None:
    """f = a & b (a, b >= f): their misses must cover f's zeros."""
    supersets = tabs.tables[(tabs.tables & f) == f]
    zeros = tabs.full & ~f
    misses = ~supersets & zeros
    got = covers(zeros, np.unique(misses))
    return None if got is None else [_pick(supersets, misses, m) for m in got]


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
    """f = maj(a, b, c), a the unit that agrees with f most; ``"?"`` past the budget."""
    rows = 2**tabs.n
    distance = np.bitwise_count(tabs.tables ^ f)
    near = np.flatnonzero(distance <= rows - int(np.ceil(_AGREEMENT * rows)))
    for i in near[np.argsort(distance[near], kind="stable")]:
        if time.perf_counter() > deadline:
            return "?"
        a = tabs.tables[i]
        zeros_in, ones_out = a & ~f, ~a & f & tabs.full
        fit = tabs.tables[((tabs.tables & zeros_in) == 0) & ((~tabs.tables & ones_out) == 0)]
        rest = (f & a) | (~f & ~a & tabs.full)  # rows the other two must settle
        settled = (fit & f & a) | (~fit & ~f & ~a & tabs.full)
        got = covers(rest, np.unique(settled))
        if got is not None:
            return [a, *(_pick(fit, settled, s) for s in got)]
    return None


def smallest_network(table: int, n: int, budget_s: float = 0.05) -> tuple[int | None, Network | None]:
    """The fewest hidden units k <= 3 of an ``n-k-1`` network for the ``n``-input ``table``,
    and one such network (not verified here). ``(None, None)``: none with at most 2, and
    none with 3 found within ``budget_s`` seconds (exhaustive if the budget did not run out).
    """
    if not 0 <= n <= MAX_INPUTS:
        raise ValueError(f"the table search takes 0 to {MAX_INPUTS} inputs, not {n}")
    tabs = _tables(n)
    f = np.uint64(table)
    deadline = time.perf_counter() + budget_s
    i = int(np.searchsorted(tabs.tables, f))
    if i < len(tabs.tables) and tabs.tables[i] == f:
        w, b = tabs.unit(f)
        return 0, Network.from_dict({"inputs": n, "layers": [{"weights": [w], "bias": [b]}]})
    for target, negated in ((f, False), (tabs.full & ~f, True)):
        pair = _two(tabs, target)
        if pair is not None:  # f = a & b, or ~f = a & b: f = ~a | ~b
            return 2, _built(tabs, negated, pair, "and2")
    for target, negated in ((tabs.full & ~f, True), (f, False)):  # ~f first: measured faster
        found = _and_like(tabs, target, deadline)
        if found is not None and found[0] != "?":
            return 3, _built(tabs, negated, found[1], found[0])
    majority = _majority(tabs, f, deadline)
    if isinstance(majority, list):
        return 3, tabs.network(majority, [1, 1, 1], -2)
    return None, None


#: output units (weights, bias) of each form, over units (a, b, c), and of its dual
_FORMS = {"and2": (([1, 1], -2), ([1, 1], -1)),       # a & b      | ~a | ~b
          "and": (([1, 1, 1], -3), ([1, 1, 1], -1)),  # a & b & c  | ~a | ~b | ~c
          "or": (([2, 1, 1], -3), ([2, 1, 1], -2))}   # a & (b|c)  | ~a | (~b & ~c)


def _built(tabs: _Tables, negated: bool, units: list[np.uint64], form: str) -> Network:
    weights, bias = _FORMS[form][1 if negated else 0]
    hidden = [tabs.full & ~u for u in units] if negated else units
    return tabs.network(hidden, weights, bias)
