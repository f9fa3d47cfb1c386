"""FUNCTION ``-``: the function comes from standard input, its format told by its content.

Standard input is read once per process (a second ``-`` gets the same bytes). The format:

- AIGER when it starts with ``aag`` or ``aig``;
- BLIF when a line starts with ``.model``, ``.inputs``, ``.outputs`` or ``.names``;
- PLA when a line starts with ``.i``, ``.o``, ``.p``, ``.type``, ``.ilb`` or ``.ob``;
- CSV when it has two or more lines besides comments (a header counts);
- otherwise the text is FUNCTION text: hex, a family or expressions.

>>> sniff(b"aag 1 1 0 1 0\\n2\\n2\\n"), sniff(b".i 2\\n.o 1\\n11 1\\n"), sniff(b"e8\\n")
('aiger', 'pla', 'text')
>>> sniff(b"a,b,y\\n1,1,1\\n"), sniff(b".model m\\n.inputs a\\n")
('csv', 'blif')
"""

from __future__ import annotations

import sys
from functools import cache

from realize.errors import InputError

#: the FUNCTION text that means standard input
STDIN = "-"

_BLIF_HEADS = (".model", ".inputs", ".outputs", ".names")
_PLA_HEADS = (".i", ".o", ".p", ".type", ".ilb", ".ob")


@cache
def stdin_bytes() -> bytes:
    """Everything on standard input (read at the first call); an error when it is empty."""
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise InputError("FUNCTION '-': standard input is empty")
    return data


def sniff(data: bytes) -> str:
    """The format of ``data``: ``aiger``, ``blif``, ``pla``, ``csv`` or ``text``."""
    if data.startswith((b"aag", b"aig")):
        return "aiger"
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise InputError("FUNCTION '-': standard input is neither text nor AIGER") from None
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    heads = {line.split()[0] for line in lines}
    if heads & set(_BLIF_HEADS):
        return "blif"
    if heads & set(_PLA_HEADS):
        return "pla"
    return "csv" if len(lines) > 1 else "text"
