"""Hex truth tables: comma-separated, output 0 first, each with an optional ``0x``.

Bit x of a table is f(x), the most significant digit first (ABC, kitty); a table for n inputs has
max(1, 2^n / 4) digits, so a table of two or more digits fixes n (`hex_inputs`).

>>> read_hex("e8", 3).to_hex(), hex_inputs("e8"), hex_inputs("6996,0x1234")
('e8', 3, 4)
>>> bool(HEX_RE.fullmatch("8, 0xe")), bool(HEX_RE.fullmatch("x0"))
(True, False)
"""

from __future__ import annotations

import re

from realize.errors import InputError
from realize.spec.functions import BooleanFunction

__all__ = ["HEX_RE", "hex_inputs", "read_hex"]

_TABLE = r"\s*(?:0[xX])?([0-9a-fA-F]+)\s*"
#: Text that is hex truth tables (of any length).
HEX_RE = re.compile(rf"{_TABLE}(?:,{_TABLE})*")


def read_hex(text: str, n: int) -> BooleanFunction:
    """The tables in text for n inputs; `InputError` for a wrong length, with a hint at const0/1.

    >>> read_hex("1", 2).to_hex()
    '1'
    >>> read_hex("1", 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    realize.errors.InputError: hex truth table '1' has 1 digits; 3 inputs need 2; for a constant ...
    """
    try:
        return BooleanFunction.from_hex(text, n)
    except InputError as exc:
        if all(g.strip() in ("0", "1") for g in text.split(",")):
            raise InputError(f"{exc}; for a constant function write const0 or const1") from None
        raise


def hex_inputs(text: str) -> int | None:
    """The n that the first table of text fixes: None unless it has 2^k >= 2 digits.

    >>> hex_inputs("6"), hex_inputs("abc"), hex_inputs("xor"), hex_inputs("e8,17")
    (None, None, None, 3)
    """
    match = re.fullmatch(_TABLE, text.split(",", 1)[0])
    if match is None or len(match.group(1)) < 2:
        return None
    digits = len(match.group(1))
    return digits.bit_length() + 1 if digits & (digits - 1) == 0 else None
