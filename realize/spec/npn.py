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

import hashlib
from collections.abc import Callable
from functools import cache
from itertools import permutations
from pathlib import Path

import numpy as np

from realize.errors import InputError, VerificationError

#: Largest n for single tables (a table is at most 64 bits, the transforms fit in memory).
MAX_NPN_INPUTS = 6
#: Largest n for the exhaustive classification of all 2^(2^n) functions by canonical forms.
MAX_CLASSES_INPUTS = 4
#: Largest n for the classification by orbits (`orbit_classes`: for 5, a byte map of 4 GiB).
MAX_ORBIT_INPUTS = 5


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
    lookups = byte_images(n)
    step = 1 if negations else 2**n  # row_permutations: the negation masks vary fastest
    low = np.uint32(lookups.shape[2] - 1)
    for t in range(step, len(lookups), step):
        image = np.zeros_like(tables)
        for s in range(lookups.shape[1]):
            image |= lookups[t, s][(tables >> np.uint32(8 * s)) & low]
        np.minimum(best, np.minimum(image, image ^ full), out=best)
    best.setflags(write=False)
    return best


def npn_classes(n: int) -> list[tuple[int, int]]:
    """(representative, class size) for every NPN class of n-input functions, n <= 5.

    Sorted by representative; the sizes sum to 2^(2^n). Up to 4 inputs computed from the
    canonical forms; the 616,126 classes of 5 inputs are read from the file `orbit_classes`
    wrote (it takes some 10 minutes and 2.3 GB), checked against its digest.

    >>> len(npn_classes(3)), sum(size for _, size in npn_classes(3))
    (14, 256)
    >>> len(npn_classes(5)), sum(size for _, size in npn_classes(5)) == 2**32
    (616126, True)
    """
    _check_n(n, MAX_ORBIT_INPUTS)
    if n == MAX_ORBIT_INPUTS:
        return _shipped_classes()
    return equivalence_classes(n)


#: the classes of 5 inputs as `orbit_classes(5)` makes them, with the digest of their arrays
CLASSES_FILE = Path(__file__).with_name("data") / "npn5-classes.npz"
CLASSES_SHA256 = "483b6c1200a8c069253ef177063afbe826065a1b8fc09ec2a5a985559356e89a"


@cache
def _shipped_classes() -> list[tuple[int, int]]:
    with np.load(CLASSES_FILE) as data:
        reps, sizes = data["reps"], data["sizes"]
    digest = hashlib.sha256(reps.tobytes() + sizes.tobytes()).hexdigest()
    if digest != CLASSES_SHA256:
        raise VerificationError(f"{CLASSES_FILE} is not the file realize shipped (digest {digest})")
    return list(zip(reps.tolist(), sizes.tolist(), strict=True))


@cache
def equivalence_classes(n: int, negations: bool = True) -> list[tuple[int, int]]:
    """(representative, size) of the NPN classes, or with ``negations=False`` the P classes.

    >>> len(equivalence_classes(3, negations=False))     # functions up to permuting inputs
    80
    """
    reps, sizes = np.unique(canonical_forms(n, negations), return_counts=True)
    return [(int(r), int(s)) for r, s in zip(reps, sizes, strict=True)]


def orbit_classes(n: int, progress: Callable[[int, int | None], None] | None = None,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(representatives, sizes) of every NPN class of n <= 5 inputs, by orbits: representatives
    increasing (uint32), sizes (uint16) summing to 2^(2^n).

    A class holds each of its tables with its complement, and of the two the smaller has the
    top bit 0: so only those tables are scanned, upwards, over a byte map of them; the first
    unseen one is the smallest of its class (every smaller table was marked with its own
    class), so it is the representative; its orbit (3840 input transforms for n = 5), each
    table or its complement, whichever is smaller, is marked: half the class. An orbit costs
    four lookups per transform (`byte_images`). For n = 5 the map holds 2 GiB and the scan
    takes some minutes; ``progress(done, total)`` counts tables scanned.

    >>> reps, sizes = orbit_classes(3)
    >>> len(reps), int(sizes.sum()), [(int(r), int(s)) for r, s in zip(reps, sizes)] == npn_classes(3)
    (14, 256, True)
    """
    _check_n(n, MAX_ORBIT_INPUTS)
    full = np.uint32(2 ** 2**n - 1)
    tables = 2 ** (2**n - 1)  # those with the top bit 0
    lookups = byte_images(n)
    seen = np.zeros(tables, dtype=np.uint8)
    marked = memoryview(seen)
    reps: list[int] = []
    sizes: list[int] = []
    block = min(tables, 1 << 22)
    for start in range(0, tables, block):
        for t in (np.flatnonzero(seen[start:start + block] == 0) + start).tolist():
            if marked[t]:
                continue
            image = lookups[:, 0, t & 0xFF].copy()
            for s in range(1, lookups.shape[1]):
                image |= lookups[:, s, (t >> (8 * s)) & 0xFF]
            half = np.unique(np.minimum(image, image ^ full))
            seen[half] = 1
            reps.append(t)
            sizes.append(2 * len(half))  # a table and its complement, never equal
        if progress:
            progress(min(start + block, tables), tables)
    return np.array(reps, dtype=np.uint32), np.array(sizes, dtype=np.uint16)


@cache
def byte_images(n: int) -> np.ndarray:
    """``[t, s, v]``: the image under input transform t (of `row_permutations`) of the table
    whose byte s is v and whose other bytes are 0 (uint32). A transform moves rows, so it
    distributes over OR: the image of a table is the OR of its bytes' images."""
    _check_n(n, MAX_ORBIT_INPUTS)
    size = 2**n
    width = min(size, 8)
    values = np.arange(2**width, dtype=np.uint32)
    value_bits = _table_bits(values, width)
    perms = row_permutations(n)
    out = np.zeros((len(perms), max(1, size // 8), 2**width), dtype=np.uint32)
    for s in range(out.shape[1]):
        bits = np.zeros((values.size, size), dtype=np.uint8)
        bits[:, 8 * s:8 * s + width] = value_bits
        for t, perm in enumerate(perms):
            out[t, s] = _pack(bits[:, perm])
    out.setflags(write=False)
    return out


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
