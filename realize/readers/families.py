"""Named function families for n inputs: ``and``, ``majority``, ``threshold:K``, ...

The number of inputs n comes from the architecture. Each family is a complete single-output
function over all 2^n rows, computed with numpy. For the families on two halves, n is even,
``a = x0 .. x(n/2-1)`` and ``b = x(n/2) .. x(n-1)``, and the first bit of each half is its least
significant one. `FAMILIES` maps each name to its definition (help text); aliases are in
`ALIASES`. Names are case-insensitive, ``_`` may replace ``-``, and ``family:NAME`` is accepted.

>>> parse_family("maj", 3).to_hex(), parse_family("threshold:2", 3).to_hex()
('e8', 'e8')
>>> parse_family("x0 & x1", 3) is None     # not a family name: try other syntaxes
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from realize.errors import InputError
from realize.spec.functions import BooleanFunction, all_rows
from realize.spec.safe_input import parse_int

__all__ = ["ALIASES", "FAMILIES", "FAMILY_RE", "family_function", "known_families", "names_family",
           "parse_family"]


@dataclass(frozen=True)
class _Family:
    description: str
    # compute(rows, n, k) -> 0/1 array over the rows
    compute: Callable[[np.ndarray, int, int], np.ndarray]
    takes_k: bool = False
    even: bool = False


def _ones(rows: np.ndarray, n: int) -> np.ndarray:
    """Number of 1 bits among the low n bits of each row."""
    count = np.zeros(rows.size, dtype=np.int64)
    for i in range(n):
        count += ((rows >> np.uint64(i)) & np.uint64(1)).astype(np.int64)
    return count


def _halves(rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The numbers a (low half of the row index) and b (high half)."""
    h = np.uint64(n // 2)
    return rows & ((np.uint64(1) << h) - np.uint64(1)), rows >> h


_FAMILIES: dict[str, _Family] = {
    "const0": _Family("the constant 0", lambda r, n, k: np.zeros(r.size)),
    "const1": _Family("the constant 1", lambda r, n, k: np.ones(r.size)),
    "and": _Family("1 iff all inputs are 1", lambda r, n, k: _ones(r, n) == n),
    "or": _Family("1 iff some input is 1", lambda r, n, k: _ones(r, n) > 0),
    "xor": _Family("1 iff an odd number of inputs is 1 (parity)", lambda r, n, k: _ones(r, n) % 2),
    "xnor": _Family("1 iff an even number of inputs is 1", lambda r, n, k: 1 - _ones(r, n) % 2),
    "majority": _Family(
        "1 iff more than n/2 inputs are 1 (strictly: for even n a tie gives 0)",
        lambda r, n, k: 2 * _ones(r, n) > n,
    ),
    "threshold": _Family(
        "threshold:K, 1 iff at least K inputs are 1 (0 <= K <= n)",
        lambda r, n, k: _ones(r, n) >= k,
        takes_k=True,
    ),
    "exactly": _Family(
        "exactly:K, 1 iff exactly K inputs are 1 (0 <= K <= n)",
        lambda r, n, k: _ones(r, n) == k,
        takes_k=True,
    ),
    "equality": _Family(
        "n even: 1 iff a = b bitwise (a = x0..x(n/2-1), b = x(n/2)..x(n-1))",
        lambda r, n, k: np.equal(*_halves(r, n)),
        even=True,
    ),
    "inner-product": _Family(
        "n even: a0 b0 ^ a1 b1 ^ ... (the inner product of the halves mod 2)",
        lambda r, n, k: _ones(np.bitwise_and(*_halves(r, n)), n // 2) % 2,
        even=True,
    ),
    "comparison": _Family(
        "n even: 1 iff a > b as binary numbers, x0 the least significant bit of a, "
        "x(n/2) that of b",
        lambda r, n, k: np.greater(*_halves(r, n)),
        even=True,
    ),
}

#: Alternative names.
ALIASES: dict[str, str] = {
    "parity": "xor",
    "maj": "majority",
    "atleast": "threshold",
    "ip": "inner-product",
    "gt": "comparison",
}

#: Family name -> definition, for help text.
FAMILIES: dict[str, str] = {name: fam.description for name, fam in _FAMILIES.items()}

#: Text that may name a family (`parse_family` tells whether it does).
FAMILY_RE = re.compile(r"(?:family:)?([a-z][a-z0-9_-]*)(?::(.*))?", re.IGNORECASE | re.DOTALL)


def known_families() -> str:
    """One line listing the family names, aliases in parentheses."""
    by_target: dict[str, list[str]] = {}
    for alias, target in ALIASES.items():
        by_target.setdefault(target, []).append(alias)
    parts = [
        name
        + (":K" if fam.takes_k else "")
        + (f" ({', '.join(by_target[name])})" if name in by_target else "")
        for name, fam in _FAMILIES.items()
    ]
    return ", ".join(parts)


def _canonical(name: str) -> str | None:
    key = name.lower().replace("_", "-")
    key = ALIASES.get(key, key)
    return key if key in _FAMILIES else None


def family_function(name: str, n: int, k: int | None = None) -> BooleanFunction:
    """The family `name` (or an alias) for n inputs, with parameter k where it takes one.

    >>> family_function("xor", 3).to_hex(), family_function("exactly", 3, 1).to_hex()
    ('96', '16')
    """
    key = _canonical(name)
    if key is None:
        raise InputError(f"unknown function family '{name}'; known families: {known_families()}")
    fam = _FAMILIES[key]
    label = key if k is None else f"{key}:{k}"
    if fam.takes_k and k is None:
        raise InputError(f"family '{key}' needs a parameter: write {key}:K with 0 <= K <= {n}")
    if not fam.takes_k and k is not None:
        raise InputError(f"family '{key}' takes no parameter (got '{label}')")
    if fam.takes_k and k is not None and not 0 <= k <= n:
        raise InputError(f"family '{label}': K = {k} is out of range 0..{n} for {n} inputs")
    if fam.even and (n % 2 or n == 0):
        raise InputError(
            f"family '{key}' needs an even, positive number of inputs; the architecture has {n}"
        )
    rows = all_rows(n)
    values = fam.compute(rows, n, 0 if k is None else k)
    return BooleanFunction.from_evaluator(n, [np.asarray(values, dtype=np.int8)], label)


def names_family(text: str) -> bool:
    """True when `parse_family` takes text as a family (it may still be a wrong one), decided
    without building a table: a known name or alias, or text with a parameter or ``family:``.

    >>> names_family("maj"), names_family("foo:2"), names_family("x0"), names_family("e8")
    (True, True, False, False)
    """
    stripped = text.strip()
    match = FAMILY_RE.fullmatch(stripped)
    if match is None:
        return False
    explicit = stripped.lower().startswith("family:") or match.group(2) is not None
    return explicit or _canonical(match.group(1)) is not None


def parse_family(text: str, n: int) -> BooleanFunction | None:
    """The family named by ``NAME``, ``NAME:K``, ``family:NAME`` or ``family:NAME:K``, or None.

    None means text is not a family name at all (so it may be hex or an expression). A text
    with a parameter or the ``family:`` prefix is always a family: an unknown name, a missing,
    extra or out-of-range parameter, or an odd n for a family on two halves raises `InputError`.

    >>> parse_family("parity", 4).to_hex()
    '6996'
    >>> parse_family("inner-product", 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    realize.errors.InputError: family 'inner-product' needs an even, positive number of inputs; ...
    """
    stripped = text.strip()
    if not names_family(stripped):
        return None
    match = FAMILY_RE.fullmatch(stripped)
    assert match is not None
    name, param = match.group(1), match.group(2)
    k: int | None = None
    if param is not None:
        param = param.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", param):
            shown = param if len(param) <= 20 else param[:17] + "..."
            raise InputError(f"family '{name}': parameter '{shown}' is not an integer")
        k = parse_int(param, f"family '{name}': parameter")
    return family_function(name, n, k)
