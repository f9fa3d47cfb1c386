"""Counting by direct enumeration: unit truth tables composed layer by layer with numpy.

Every signal is a truth table over the 2^n rows, one uint64 (n <= 6). A unit of fan-in c whose
inputs are the columns h_1..h_c computes g(h_1..h_c) for g among the c-input tables one unit
computes within the bounds (`realize.apps.threshold_enum`); g is applied to whole columns at once
as an OR of minterms. Two symmetries keep the enumeration small, both sound for any bounds
that allow them (encodings/cnf.md, symmetry breaking): units of a hidden layer are
interchangeable, so a layer is a multiset of tables; and in symmetric bounds a hidden unit
may be negated (its readers compensate), so every hidden table is 0 on row 0.

`count_and_pairs` is the fast special case for n-2-1 in symmetric bounds: the output computes
a constant, +-h1, +-h2, or (negations absorbed by the hidden tables) h1 & h2 or h1 | h2, so the
set is {0, 1} u T_n u A u ~A with A = {h1 & h2}.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> len(direct_tables(Architecture.parse("2-2-1"), Bounds()))
16
>>> len(count_and_pairs(Architecture.parse("3-2-1"), Bounds()))
254
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from realize.apps.progress import Progress
from realize.apps.threshold_enum import threshold_tables
from realize.errors import InputError
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds

#: Largest number of bits of an output key (m outputs x 2^n rows) that is enumerated.
MAX_KEY_BITS = 64
#: Keys up to this many bits are always collected in a byte map (2^bits bytes).
SMALL_MAP_BITS = 24
#: Largest byte map (4 GiB), used for dense enumerations (`TableSet`).
BYTE_MAP_BITS = 32
#: Insertions from which a dense enumeration uses the big byte map.
DENSE_INSERTIONS = 1 << 28
_CHUNK = 1 << 21


class TableSet:
    """A set of non-negative integer keys below 2^bits.

    A byte map (2^bits bytes) when ``bits`` is small, or when ``dense`` and ``bits`` <= 32 (for
    hundreds of millions of insertions); otherwise a sorted array, merged in batches.
    """

    def __init__(self, bits: int, dense: bool = False) -> None:
        self.bits = bits
        use_map = bits <= SMALL_MAP_BITS or (dense and bits <= BYTE_MAP_BITS)
        self._map = np.zeros(2**bits, dtype=np.uint8) if use_map else None
        self._sorted = np.zeros(0, dtype=np.uint64)
        self._pending: list[np.ndarray] = []
        self._held = 0

    def add(self, keys: np.ndarray) -> None:
        """Add an array of keys."""
        if self._map is not None:
            self._map[np.sort(keys.astype(np.int64))] = 1  # sorted: sequential writes are faster
            return
        self._pending.append(np.unique(keys.astype(np.uint64)))
        self._held += self._pending[-1].size
        if self._held > max(1 << 22, self._sorted.size):
            self._merge()

    def _merge(self) -> None:
        if self._pending:
            self._sorted = np.unique(np.concatenate([self._sorted, *self._pending]))
            self._pending, self._held = [], 0

    def add_complements(self) -> None:
        """Add the complement (all bits flipped) of every key."""
        if self._map is None:
            self._merge()
            self._sorted = np.union1d(self._sorted, self._sorted ^ np.uint64(2**self.bits - 1))
        else:
            self._map |= self._map[::-1]  # key 2^bits - 1 - k is the complement of k

    def __len__(self) -> int:
        if self._map is not None:
            return int(np.count_nonzero(self._map))
        self._merge()
        return int(self._sorted.size)

    def keys(self) -> np.ndarray:
        """All keys, sorted, as uint64."""
        if self._map is None:
            self._merge()
            return self._sorted
        return np.flatnonzero(self._map).astype(np.uint64)


def input_columns(n: int) -> np.ndarray:
    """The truth table of each input x_i as uint64, shape (n,).

    >>> [hex(int(t)) for t in input_columns(2)]
    ['0xa', '0xc']
    """
    rows = np.arange(2**n, dtype=np.uint64)
    return np.array(
        [int(np.sum(((rows >> np.uint64(i)) & np.uint64(1)) << rows)) for i in range(n)],
        dtype=np.uint64,
    )


def apply_units(columns: np.ndarray, gates: np.ndarray, n: int) -> np.ndarray:
    """Tables g(columns) for every gate table g, shape (states, gates).

    ``columns`` is (states, c) uint64 (tables over 2^n rows); ``gates`` the c-input gate tables.
    """
    mask = np.uint64(2 ** (2**n) - 1)
    minterms = [np.full(columns.shape[0], mask, dtype=np.uint64)]
    for j in range(columns.shape[1]):
        col = columns[:, j]
        minterms = [m & ~col & mask for m in minterms] + [m & col for m in minterms]
    out = np.zeros((columns.shape[0], gates.size), dtype=np.uint64)
    for p, minterm in enumerate(minterms):
        on = ((gates >> np.uint64(p)) & np.uint64(1)).astype(bool)
        out[:, on] |= minterm[:, None]
    return out


def direct_tables(arch: Architecture, bounds: Bounds, progress: Progress | None = None) -> TableSet:
    """The set of output keys (output j's table in bits j*2^n ..) a layered architecture computes."""
    n = arch.n_inputs
    if arch.layers is None:
        raise InputError("the direct method needs a layered architecture (use --method allsat)")
    if arch.m * 2**n > MAX_KEY_BITS:
        raise InputError(f"the direct method handles m * 2^n <= {MAX_KEY_BITS} output bits")
    widths = arch.layers
    states = input_columns(n)[None, :]
    for width in widths[:-2]:
        states = np.unique(np.concatenate([
            _extend(row, units[idx], arch.skip)
            for row in states
            for units in [_hidden_units(row, bounds, n)]
            for idx in _combinations(units.size, width)
        ]), axis=0)
    if len(widths) == 1:
        found = TableSet(arch.m * 2**n)
        _output_layer(states, widths[-1], bounds, n, found)
        return found
    units = [_hidden_units(row, bounds, n) for row in states]
    total = sum(math.comb(len(u) + widths[-2] - 1, widths[-2]) for u in units)
    fan_in = states.shape[1] * arch.skip + widths[-2]
    insertions = total * len(threshold_tables(fan_in, bounds)) ** widths[-1]
    found = TableSet(arch.m * 2**n, dense=insertions >= DENSE_INSERTIONS)
    done = 0
    for row, u in zip(states, units, strict=True):
        for idx in _combinations(len(u), widths[-2]):
            _output_layer(_extend(row, u[idx], arch.skip), widths[-1], bounds, n, found)
            done += len(idx)
            if progress:
                progress(done, total)
    return found


def and_pairs_unsound_reason(arch: Architecture, bounds: Bounds) -> str | None:
    """Why the and-pairs method does not apply (None: it does)."""
    if arch.layers != (2, 1) or arch.skip:
        return "it counts n-2-1 architectures without skip connections"
    if not bounds.symmetric or len(threshold_tables(2, bounds)) != 14:
        return "it needs symmetric bounds (no --nonneg, no --max-bias) in which a unit computes AND2"
    if 2**arch.n_inputs > BYTE_MAP_BITS:
        return f"it handles n <= {BYTE_MAP_BITS.bit_length() - 1}"
    return None


def count_and_pairs(arch: Architecture, bounds: Bounds, progress: Progress | None = None) -> TableSet:
    """The tables of a single-output n-2-1 architecture in symmetric bounds (module docstring)."""
    n = arch.n_inputs
    reason = and_pairs_unsound_reason(arch, bounds)
    if reason is not None:
        raise InputError(f"the and-pairs method is unsound or unavailable here: {reason}")
    tables = threshold_tables(n, bounds)
    total = tables.size * (tables.size + 1) // 2
    found = TableSet(2**n, dense=total >= DENSE_INSERTIONS)
    found.add(tables)
    found.add(np.array([0, 2 ** (2**n) - 1], dtype=np.uint64))
    done = 0
    block = max(1, _CHUNK // tables.size)
    for start in range(0, tables.size, block):
        for i in range(start, min(start + block, tables.size)):
            found.add(tables[i] & tables[i:])
            done += tables.size - i
        if progress:
            progress(done, total)
    found.add_complements()
    return found


def _hidden_units(columns: np.ndarray, bounds: Bounds, n: int) -> np.ndarray:
    """Distinct tables one hidden unit reading ``columns`` computes (0 on row 0 if symmetric)."""
    tables = np.unique(apply_units(columns[None, :], threshold_tables(columns.size, bounds), n)[0])
    return tables[(tables & np.uint64(1)) == 0] if bounds.symmetric else tables


def _extend(row: np.ndarray, hidden: np.ndarray, skip: bool) -> np.ndarray:
    """States after a hidden layer: its tables, after the earlier columns if skip connections."""
    if not skip:
        return hidden
    return np.concatenate([np.repeat(row[None, :], len(hidden), axis=0), hidden], axis=1)


def _output_layer(states: np.ndarray, width: int, bounds: Bounds, n: int, found: TableSet) -> None:
    gates = threshold_tables(states.shape[1], bounds)
    for start in range(0, states.shape[0], max(1, _CHUNK // gates.size)):
        tables = apply_units(states[start:start + max(1, _CHUNK // gates.size)], gates, n)
        keys = tables.ravel()
        for j in range(1, width):
            shifted = tables << np.uint64(j * 2**n)
            keys = (keys.reshape(tables.shape[0], -1)[:, :, None] | shifted[:, None, :]).ravel()
        found.add(keys)


def _combinations(size: int, width: int, limit: int = _CHUNK) -> Iterator[np.ndarray]:
    """Index arrays (K, width) of all multisets i_1 <= ... <= i_width of range(size), in chunks."""
    buffer: list[np.ndarray] = []
    held = 0
    for part in _combos_from(0, size, width, limit):
        buffer.append(part)
        held += len(part)
        if held >= limit:
            yield np.concatenate(buffer)
            buffer, held = [], 0
    if buffer:
        yield np.concatenate(buffer)


def _combos_from(lo: int, size: int, width: int, limit: int) -> Iterator[np.ndarray]:
    if width <= 1:
        yield np.arange(lo, size, dtype=np.int64).reshape(-1, width) if width else np.zeros((1, 0), np.int64)
        return
    small = math.comb(size - lo + width - 1, width) <= limit
    parts = (
        np.concatenate([np.full((len(rest), 1), i), rest], axis=1)
        for i in range(lo, size)
        for rest in _combos_from(i, size, width - 1, limit)
    )
    if small:
        yield np.concatenate([np.zeros((0, width), np.int64), *parts])
    else:
        yield from parts
