"""The FUNCTION argument: one string naming a file, a family, hex truth tables or expressions.

`parse_function` tries, in order:

1. a file: text ending in ``.pla`` or ``.csv`` (read by its extension; a missing file is an error);
2. a family (``majority``, ``threshold:2``, ``family:xor``; see `realize.readers.families`);
3. hex truth tables, comma-separated, output 0 first, optional ``0x`` (``e8``, ``8,e``);
4. expressions (see `realize.readers.expressions`), comma-separated, output 0 first; each comma-separated
   part may also be a family (``maj, x0 ^ x1 ^ x2``).

Hex wins over expressions: ``1`` with n = 2 is the hex table 0001, not the constant 1 (write
``const1``). Only text that fits no syntax falls back to an existing file of another extension,
which is then reported as an unknown format.

>>> parse_function("x0 & (x1 | x2)", 3).to_hex()
'a8'
>>> parse_function("maj", 3) == parse_function("e8", 3) == parse_function("threshold:2", 3)
True
>>> parse_function("and, x0 ^ x1", 2).to_hex()
'8,6'
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from realize.errors import InputError
from realize.readers.expressions import parse_expression
from realize.readers.families import known_families, parse_family
from realize.readers.formats import read_csv, read_pla
from realize.spec.functions import BooleanFunction, all_rows, check_table_inputs, input_bits

__all__ = ["FILE_SUFFIXES", "parse_function"]

#: File extensions parse_function reads (case-insensitive).
FILE_SUFFIXES = (".pla", ".csv")

_HEX_GROUP = r"\s*(?:0[xX])?[0-9a-fA-F]+\s*"
_HEX_RE = re.compile(rf"{_HEX_GROUP}(?:,{_HEX_GROUP})*")
_WORD_RE = re.compile(r"[A-Za-z_][\w-]*")
_VAR_RE = re.compile(r"[xX][0-9]+")
_FILE_LIKE_RE = re.compile(r"[\w./\\~-]*\.[A-Za-z]\w*")


def parse_function(text: str, n: int, base_dir: Path | None = None) -> BooleanFunction:
    """The function described by text, for n inputs (see the module docstring).

    Relative file names are taken relative to base_dir when it is given. Raises `InputError`
    naming the problem; full tables (everything but files) need n <= 20.
    """
    stripped = text.strip()
    if not stripped:
        raise InputError("empty function: give hex truth tables, a family, expressions or a file")
    path = Path(stripped)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    if path.suffix.lower() in FILE_SUFFIXES:
        return _read_file(path, n)
    try:
        return _parse_table(stripped, n)
    except InputError:
        if _is_file(path):
            raise InputError(
                f"cannot tell the format of '{stripped}' from its extension; "
                f"function files end in {' or '.join(FILE_SUFFIXES)}"
            ) from None
        if _FILE_LIKE_RE.fullmatch(stripped):
            raise InputError(
                f"cannot read '{stripped}': no such file (function files end in "
                f"{' or '.join(FILE_SUFFIXES)})"
            ) from None
        raise


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # e.g. a long expression is too long for a file name
        return False


def _read_file(path: Path, n: int) -> BooleanFunction:
    if path.suffix.lower() == ".pla":
        f = read_pla(path)
        if f.n != n:
            raise InputError(f"{path}: PLA file has {f.n} inputs; the architecture has {n}")
        return f
    return read_csv(path, n)


def _parse_table(text: str, n: int) -> BooleanFunction:
    """Family, hex or expressions: a complete table over all 2^n rows."""
    check_table_inputs(n)
    family = parse_family(text, n)  # before hex, although no family name is all hex digits
    if family is not None:
        return BooleanFunction(n, family.rows, family.values, text)
    if _HEX_RE.fullmatch(text):
        try:
            return BooleanFunction.from_hex(text, n)
        except InputError as exc:
            if all(g.strip() in ("0", "1") for g in text.split(",")):
                raise InputError(f"{exc}; for a constant function write const0 or const1") from None
            raise
    rows = all_rows(n)
    bits = input_bits(rows, n)
    outputs: list[np.ndarray] = []
    for j, part in enumerate(text.split(",")):
        part = part.strip()
        if not part:
            raise InputError(f"output {j} of '{text}' is empty")
        family = parse_family(part, n)
        if family is not None:
            outputs.append(family.values[0])
            continue
        try:
            expr = parse_expression(part, n)
        except InputError as exc:
            if _WORD_RE.fullmatch(part) and not _VAR_RE.fullmatch(part):
                over = f" over x0..x{n - 1}" if n else ""
                raise InputError(
                    f"unknown function '{part}': not a family (known: {known_families()}), "
                    f"a hex truth table, a file or an expression{over}"
                ) from None
            raise exc from None
        try:
            outputs.append(expr.evaluate(bits))
        except RecursionError:
            raise InputError(f"expression '{part[:60]}' is nested too deeply") from None
    return BooleanFunction.from_evaluator(n, outputs, text)
