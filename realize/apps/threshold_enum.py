"""The truth tables one threshold unit computes, by enumerating its integer weights with numpy.

A unit with m inputs, weights w and bias b computes the table whose bit x is ``[w.x + b >= 0]``.
`threshold_tables` enumerates every weight vector within the bounds and every bias in range,
vectorized; m <= 6 (at most 64 rows per table).

>>> [len(threshold_tables(m)) for m in range(5)]          # OEIS A000609
[2, 4, 14, 104, 1882]
>>> len(threshold_tables(4, Bounds(max_weight=2)))
986
>>> [hex(t) for t in threshold_tables(2, Bounds(nonneg=True))]
['0x0', '0x8', '0xa', '0xc', '0xe', '0xf']
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from realize.errors import InputError
from realize.spec.bounds import Bounds

#: Largest fan-in whose tables are enumerated (a table is one uint64).
MAX_ENUM_FAN_IN = 6
#: Largest enumeration (weight vectors x biases x rows); 5 inputs in exact mode need 2.7e8.
MAX_ENUM_WORK = 10**10
#: Weight vectors processed per numpy chunk.
_CHUNK = 4096


def threshold_tables(m: int, bounds: Bounds | None = None) -> np.ndarray:
    """Sorted unique truth tables (uint64) of one m-input unit within ``bounds`` (default exact)."""
    return threshold_units(m, bounds)[0]


def threshold_units(m: int, bounds: Bounds | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`threshold_tables` and, row by row, one unit that computes each: weights (int64, one row
    of m per table) and biases.

    >>> tables, weights, biases = threshold_units(2)
    >>> [(hex(t), w.tolist(), int(b)) for t, w, b in zip(tables, weights, biases)][7]   # AND2
    ('0x8', [1, 1], -2)
    """
    return _units(m, bounds or Bounds())


@cache
def _units(m: int, bounds: Bounds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if bounds.real:
        raise InputError("enumeration needs integer bounds; real weights are the exact mode")
    if not 0 <= m <= MAX_ENUM_FAN_IN:
        raise InputError(f"threshold functions are enumerated for 0 to {MAX_ENUM_FAN_IN} inputs, not {m}")
    lo, hi = bounds.weight_range(m)
    b_lo, b_hi = bounds.bias_range(m)
    work = (hi - lo + 1) ** m * (b_hi - b_lo + 1) * 2**m
    if work > MAX_ENUM_WORK:
        raise InputError(
            f"enumerating the {(hi - lo + 1) ** m} weight vectors of a {m}-input unit is too much "
            "work here (try --max-weight or another --method)"
        )
    rows = np.arange(2**m)
    bits = ((rows[:, None] >> np.arange(m)[None, :]) & 1).astype(np.int64)  # (rows, m)
    powers = np.left_shift(np.uint64(1), np.arange(2**m, dtype=np.uint64))
    biases = np.arange(b_lo, b_hi + 1, dtype=np.int64)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    vectors = itertools.product(range(lo, hi + 1), repeat=m)
    while chunk := list(itertools.islice(vectors, _CHUNK)):
        weights = np.array(chunk, dtype=np.int64).reshape(len(chunk), m)
        sums = weights @ bits.T  # (chunk, rows)
        fires = sums[:, None, :] + biases[None, :, None] >= 0  # (chunk, biases, rows)
        tables = (fires * powers).sum(axis=2, dtype=np.uint64).ravel()
        unique, first = np.unique(tables, return_index=True)
        found.append((unique, weights[first // len(biases)], biases[first % len(biases)]))
    tables, first = np.unique(np.concatenate([f[0] for f in found]), return_index=True)
    result = (tables, np.concatenate([f[1] for f in found])[first],
              np.concatenate([f[2] for f in found])[first])
    for array in result:
        array.setflags(write=False)
    return result
