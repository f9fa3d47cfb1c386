"""NPN classification of single-output Boolean functions given as integer truth tables.

Two functions are NPN-equivalent when one becomes the other by permuting inputs, negating
inputs and negating the output. The canonical representative of a class is its smallest truth
table integer (bit x of a table is f(x), as everywhere in realize).

>>> npn_canonical(0b1000, 2)           # AND2 ~ NOR2 ~ x0 & ~x1 ...: the class of 0b0001
1
>>> sorted(npn_orbit(0b0110, 2))        # XOR2 and XNOR2
[6, 9]
>>> [size for _, size in npn_classes(2)]
[2, 8, 4, 2]
"""

from __future__ import annotations

from functools import cache
from itertools import permutations

import numpy as np

from realize.errors import InputError

#: Largest n for single tables (a table is at most 64 bits, the transforms fit in memory).
MAX_NPN_INPUTS = 6
#: Largest n for the exhaustive classification of all 2^(2^n) functions.
MAX_CLASSES_INPUTS = 4


@cache
def row_permutations(n: int) -> np.ndarray:
    """Every input transform as a row map, shape (n! * 2^n, 2^n), int64.

    Transform t maps a table f to g with g(x) = f(perm[t, x]), where perm[t, x] is x with its
    bits permuted and then XORed with a negation mask. Row 0 is the identity.

    >>> row_permutations(1).tolist()
    [[0, 1], [1, 0]]
    """
    _check_n(n, MAX_NPN_INPUTS)
    rows = np.arange(2**n, dtype=np.int64)
    bits = (rows[:, None] >> np.arange(n)[None, :]) & 1  # (2^n, n)
    maps = []
    for order in permutations(range(n)):
        permuted = (bits[:, list(order)] << np.arange(n)[None, :]).sum(axis=1)
        maps.extend(permuted ^ mask for mask in range(2**n))
    out = np.array(maps, dtype=np.int64).reshape(-1, 2**n)
    out.setflags(write=False)
    return out


def npn_orbit(table: int, n: int) -> set[int]:
    """All truth tables NPN-equivalent to ``table`` (itself included).

    >>> sorted(npn_orbit(0b10, 1))          # x0 and ~x0
    [1, 2]
    """
    images = _input_images(table, n)
    full = (1 << 2**n) - 1
    return {int(t) for t in images} | {full ^ int(t) for t in images}


def npn_canonical(table: int, n: int) -> int:
    """The smallest truth table in the NPN class of ``table``.

    >>> npn_canonical(0xe8, 3), npn_canonical(0x17, 3)     # MAJ3 and its complement
    (23, 23)
    """
    if n <= MAX_CLASSES_INPUTS:
        _check_table(table, n)
        return int(canonical_forms(n)[table])
    return min(npn_orbit(table, n))


@cache
def canonical_forms(n: int, negations: bool = True) -> np.ndarray:
    """Canonical representative of every n-input truth table (index = table), n <= 4.

    With ``negations=False`` the classes are those of input permutations alone (P classes).

    >>> canonical_forms(1).tolist()        # 0, x0, ~x0, 1 -> classes {0, 1} and {x0, ~x0}
    [0, 1, 1, 0]
    >>> canonical_forms(1, negations=False).tolist()
    [0, 1, 2, 3]
    """
    _check_n(n, MAX_CLASSES_INPUTS)
    size = 2**n
    tables = np.arange(2**size, dtype=np.uint32)
    full = np.uint32(2**size - 1) if negations else np.uint32(0)
    best = np.minimum(tables, tables ^ full) if negations else tables.copy()
    transforms = row_permutations(n) if negations else row_permutations(n)[:: 2**n]
    # a row permutation is linear over OR: map each byte of a table through a lookup table
    byte = np.arange(2 ** min(size, 8), dtype=np.uint32)
    byte_bits = _table_bits(byte, min(size, 8))
    for perm in transforms[1:]:
        image = np.zeros_like(tables)
        for shift in range(0, size, 8):
            bits = np.zeros((byte.size, size), dtype=np.uint8)
            bits[:, shift:shift + byte_bits.shape[1]] = byte_bits
            lookup = _pack(bits[:, perm])
            image |= lookup[(tables >> np.uint32(shift)) & np.uint32(byte.size - 1)]
        np.minimum(best, np.minimum(image, image ^ full), out=best)
    best.setflags(write=False)
    return best


def npn_classes(n: int) -> list[tuple[int, int]]:
    """(representative, class size) for every NPN class of n-input functions, n <= 4.

    Sorted by representative; the sizes sum to 2^(2^n).

    >>> len(npn_classes(3)), sum(size for _, size in npn_classes(3))
    (14, 256)
    """
    return equivalence_classes(n)


@cache
def equivalence_classes(n: int, negations: bool = True) -> list[tuple[int, int]]:
    """(representative, size) of the NPN classes, or with ``negations=False`` the P classes.

    >>> len(equivalence_classes(3, negations=False))     # functions up to permuting inputs
    80
    """
    reps, sizes = np.unique(canonical_forms(n, negations), return_counts=True)
    return [(int(r), int(s)) for r, s in zip(reps, sizes, strict=True)]


def _input_images(table: int, n: int) -> np.ndarray:
    """The tables obtained from ``table`` by every input transform (uint64, with repeats)."""
    _check_n(n, MAX_NPN_INPUTS)
    _check_table(table, n)
    size = 2**n
    bits = np.array([(table >> x) & 1 for x in range(size)], dtype=np.uint64)
    weights = np.left_shift(np.uint64(1), np.arange(size, dtype=np.uint64))
    return (bits[row_permutations(n)] * weights[None, :]).sum(axis=1, dtype=np.uint64)


def _table_bits(tables: np.ndarray, size: int) -> np.ndarray:
    """Matrix (len(tables), size) of uint8 bits, bit x of each table in column x."""
    raw = tables.astype("<u4").view(np.uint8).reshape(-1, 4)
    return np.unpackbits(raw, axis=1, bitorder="little")[:, :size]


def _pack(bits: np.ndarray) -> np.ndarray:
    """Inverse of `_table_bits` (tables of at most 32 rows) as uint32."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    padded = np.zeros((bits.shape[0], 4), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view("<u4").ravel().astype(np.uint32)


def _check_n(n: int, limit: int) -> None:
    if not 0 <= n <= limit:
        raise InputError(f"NPN classification here takes 0 to {limit} inputs, not {n}")


def _check_table(table: int, n: int) -> None:
    if not 0 <= table < 2 ** (2**n):
        raise InputError(f"truth table {table:#x} does not fit {n} inputs")
