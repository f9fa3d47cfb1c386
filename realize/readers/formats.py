"""Function files: Espresso PLA (read and write) and CSV of labelled rows (read).

Both give a possibly partial `BooleanFunction`. In both, the first input column is x0, the least
significant bit of the row index (ABC maps the first PLA column to its first primary input).
Errors are `InputError` with the file name and line number, e.g. ``f.csv:7: expected 5 columns,
got 4``.

**PLA** (``.i``, ``.o``, optional ``.p``, ``.ilb``, ``.ob``, ``.type f|fd|fr|fdr`` with default
fd, ``.e``/``.end``, ``#`` comments). A cube is an input part of 0/1/- and an output part of
0/1/-/~ (``2`` also means -); spaces inside a cube are ignored. Per output, as in Espresso:

====  ==========================================================================================
f     1: on-set; every other row is off
fd    1: on-set, - or 2: don't-care set; rows in neither are off
fr    1: on-set, 0: off-set; every other row is free
fdr   1: on-set, 0: off-set, - or 2: don't-care set; uncovered rows are free
====  ==========================================================================================

``~`` (and 0 in f/fd, - in f/fr) puts the cube in no set. A row in both the on- and the off-set is
an error; a row in both the on- and the don't-care set is free, and one in both the off- and the
don't-care set is off (Espresso's minimizer treats overlaps the same way). Types f and fd define
all 2^n rows, so they need n <= 20; for wider functions use fr or fdr. The cubes' ``-`` are
expanded, to at most ``MAX_EXPANDED_ROWS`` rows in total.

**CSV**: each line holds n input bits and then m output values (0, 1, or - or empty for don't
care), separated by commas or semicolons. n comes from the caller (the architecture), m is the
rest. A first line with a cell that is neither a number, - nor empty is a header. Blank lines
and lines starting with ``#`` are skipped. A row given twice is merged if the labels agree and is
an error if they contradict.

>>> import io
>>> f = read_pla(io.StringIO(".i 2\\n.o 1\\n.type fr\\n11 1\\n0- 0\\n.e\\n"))
>>> f.rows.tolist(), f.values.tolist()
([0, 2, 3], [[0, 0, 1]])
>>> read_csv(io.StringIO("a,b,y\\n1,1,1\\n0,1,0\\n"), 2).rows.tolist()
[2, 3]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from realize.errors import InputError
from realize.spec.functions import (
    DONT_CARE,
    MAX_INPUTS,
    MAX_TABLE_INPUTS,
    BooleanFunction,
    input_bits,
    row_bits,
)

__all__ = ["MAX_EXPANDED_ROWS", "pla_inputs", "read_csv", "read_pla", "write_pla"]

#: The most rows the cubes of a PLA file may expand to (counted with repetitions).
MAX_EXPANDED_ROWS = 2**20

Source = str | os.PathLike[str] | TextIO

_PLA_TYPES = ("f", "fd", "fr", "fdr")
_ON, _OFF, _DC, _NONE = 0, 1, 2, 3
# Output character -> set, per PLA type.
_OUTPUT_SETS = {
    "f": {"1": _ON},
    "fd": {"1": _ON, "-": _DC, "2": _DC},
    "fr": {"1": _ON, "0": _OFF},
    "fdr": {"1": _ON, "0": _OFF, "-": _DC, "2": _DC},
}


def _read_lines(source: Source) -> tuple[str, str, list[str]]:
    """(label for messages, default function name, lines) of a path or an open text stream."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise InputError(f"cannot read '{path}': {reason}") from None
        return str(path), path.name, text.splitlines()
    label = str(getattr(source, "name", "<input>"))
    return label, Path(label).name, source.read().splitlines()


# -- PLA ------------------------------------------------------------------------------------------
def read_pla(source: Source, n: int | None = None, name: str | None = None) -> BooleanFunction:
    """Read an Espresso PLA file (path or text stream); see the module docstring.

    With n given (the architecture's inputs), a file whose ``.i`` differs is an error.
    """
    label, default_name, lines = _read_lines(source)
    inputs: int | None = None
    m: int | None = None
    pla_type = "fd"
    cubes: list[str] = []  # cube characters, spaces removed
    cube_lines: list[int] = []

    def fail(lineno: int, problem: str) -> InputError:
        return InputError(f"{label}:{lineno}: {problem}")

    def count(lineno: int, words: list[str], low: int, high: int) -> int:
        # ASCII digits, no more significant ones than high has: int() never sees a huge number
        digits = words[1] if len(words) == 2 else ""
        significant = digits.lstrip("0") or "0"
        if (not digits.isascii() or not digits.isdigit() or len(significant) > len(str(high))
                or not low <= int(significant) <= high):
            got = f", not '{digits[:17]}...'" if len(digits) > 20 else f", not '{digits}'"
            raise fail(lineno, f"'{words[0]}' needs one number from {low} to {high}"
                               + (got if digits else ""))
        return int(significant)

    for lineno, raw in enumerate(lines, 1):
        line = (raw.split("#", 1)[0] if "#" in raw else raw).strip()
        if not line:
            continue
        words = line.split()
        if not line.startswith("."):
            if inputs is None or m is None:
                raise fail(lineno, f"cube '{line}' before '.i' and '.o'")
            cube = "".join(words) if len(words) > 1 else line
            if len(cube) != inputs + m or not cube.isascii():
                raise fail(lineno, _cube_problem(line, inputs, m))
            cubes.append(cube)
            cube_lines.append(lineno)
            continue
        key = words[0].lower()
        if key in (".e", ".end"):
            break
        if key in (".i", ".o") and (inputs if key == ".i" else m) is not None:
            raise fail(lineno, f"'{key}' given twice")
        if key == ".i":
            inputs = count(lineno, words, 0, MAX_INPUTS)
        elif key == ".o":
            m = count(lineno, words, 1, 10**6)
        elif key == ".p":
            count(lineno, words, 0, 10**12)
        elif key == ".type":
            if len(words) != 2 or words[1].lower() not in _PLA_TYPES:
                raise fail(lineno, f"'.type' must be one of {', '.join(_PLA_TYPES)}")
            if cubes:
                raise fail(lineno, "'.type' after the first cube")
            pla_type = words[1].lower()
        elif key in (".ilb", ".ob"):
            expected = inputs if key == ".ilb" else m
            what = "inputs" if key == ".ilb" else "outputs"
            if expected is None:
                raise fail(lineno, f"'{key}' before '{'.i' if key == '.ilb' else '.o'}'")
            if len(words) - 1 != expected:
                raise fail(lineno, f"'{key}' names {len(words) - 1} {what}; there are {expected}")
        else:
            raise fail(
                lineno,
                f"unsupported PLA directive '{words[0]}' (supported: .i .o .p .ilb .ob .type .e)",
            )
    if inputs is None or m is None:
        raise InputError(f"{label}: not a PLA file: missing '.i' or '.o'")
    if pla_type in ("f", "fd") and inputs > MAX_TABLE_INPUTS:
        raise InputError(
            f"{label}: a PLA of type {pla_type} defines all 2^{inputs} rows; with more than "
            f"{MAX_TABLE_INPUTS} inputs use '.type fr' or '.type fdr'"
        )
    chars = np.frombuffer("".join(cubes).encode("ascii"), dtype=np.uint8)
    chars = chars.reshape(len(cubes), inputs + m)
    bad = ~(_VALID_INPUT[chars[:, :inputs]].all(axis=1) & _VALID_OUTPUT[chars[:, inputs:]].all(axis=1))
    if bad.any():
        lineno = cube_lines[int(np.argmax(bad))]
        raise fail(lineno, _cube_problem(lines[lineno - 1].split("#", 1)[0].strip(), inputs, m))
    rows, values = _pla_function(label, inputs, pla_type, chars, np.array(cube_lines, dtype=np.int64))
    if n is not None and inputs != n:
        raise InputError(f"{label}: PLA file has {inputs} inputs; the architecture has {n}")
    return BooleanFunction(inputs, rows, values, name if name is not None else default_name)


def pla_inputs(source: Source) -> int:
    """The number of inputs of a PLA file (its ``.i``), checked by reading the whole file."""
    return read_pla(source).n


_VALID_INPUT = np.zeros(256, dtype=bool)
_VALID_INPUT[list(b"01-")] = True
_VALID_OUTPUT = np.zeros(256, dtype=bool)
_VALID_OUTPUT[list(b"01-~2")] = True


def _cube_problem(line: str, n: int, m: int) -> str:
    """What is wrong with a cube line (spaces inside it are allowed)."""
    cube = "".join(line.split())
    if len(cube) != n + m:
        return f"malformed cube '{line}': {len(cube)} characters; expected {n} inputs + {m} outputs"
    for i, c in enumerate(cube[:n]):
        if c not in "01-":
            return f"malformed cube '{line}': input x{i} is '{c}'; expected 0, 1 or -"
    for j, c in enumerate(cube[n:]):
        if c not in "01-~2":
            return f"malformed cube '{line}': output {j} is '{c}'; expected 0, 1, -, ~ or 2"
    return f"malformed cube '{line}'"


def _pla_function(
    label: str, n: int, pla_type: str, chars: np.ndarray, cube_lines: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, values) of the care rows defined by the cubes (rows of chars, input part first)."""
    inputs, outputs = chars[:, :n], chars[:, n:]
    m = outputs.shape[1]
    # refuse too large expansions before building anything
    dashes = (inputs == ord("-")).sum(axis=1)
    total = np.cumsum(np.left_shift(1, np.minimum(dashes, 40)), dtype=np.int64)
    if total.size and total[-1] > MAX_EXPANDED_ROWS:
        lineno = int(cube_lines[int(np.argmax(total > MAX_EXPANDED_ROWS))])
        raise InputError(
            f"{label}:{lineno}: the cubes expand to more than {MAX_EXPANDED_ROWS} rows; refusing "
            "to expand them (use fewer '-' inputs)"
        )
    rows = np.zeros(len(chars), dtype=np.uint64)
    masks = np.zeros(len(chars), dtype=np.uint64)
    for i in range(n):
        rows |= (inputs[:, i] == ord("1")).astype(np.uint64) << np.uint64(i)
        masks |= (inputs[:, i] == ord("-")).astype(np.uint64) << np.uint64(i)
    cube_of = np.arange(len(chars), dtype=np.int64)
    while True:  # split every entry with a '-' on its lowest '-' bit
        idx = np.flatnonzero(masks)
        if idx.size == 0:
            break
        low = masks[idx] & (~masks[idx] + np.uint64(1))
        masks[idx] ^= low
        rows = np.concatenate([rows, rows[idx] | low])
        masks = np.concatenate([masks, masks[idx]])
        cube_of = np.concatenate([cube_of, cube_of[idx]])
    table = np.full(256, _NONE, dtype=np.int8)
    for c, s in _OUTPUT_SETS[pla_type].items():
        table[ord(c)] = s
    codes = table[outputs]  # (cubes, m)
    uniq, inverse = np.unique(rows, return_inverse=True)
    inverse = inverse.reshape(-1)
    complete = pla_type in ("f", "fd")
    if complete:
        all_rows = np.arange(2**n, dtype=np.uint64)
        where = uniq.astype(np.int64)  # position of each unique row among all rows
    else:
        all_rows, where = uniq, np.arange(uniq.size)
    values = np.full((m, all_rows.size), 0 if complete else DONT_CARE, dtype=np.int8)
    for j in range(m):
        code = codes[cube_of, j]
        on, off, dc = (
            np.bincount(inverse[code == s], minlength=uniq.size) > 0 for s in (_ON, _OFF, _DC)
        )
        clash = np.flatnonzero(on & off)
        if clash.size:
            u = int(clash[0])
            hits = inverse == u
            line_on = int(cube_lines[cube_of[hits & (code == _ON)][0]])
            line_off = int(cube_lines[cube_of[hits & (code == _OFF)][0]])
            raise InputError(
                f"{label}: row {row_bits(int(uniq[u]), n)} (x0 first) is in both the on-set "
                f"(line {line_on}) and the off-set (line {line_off}) of output {j}"
            )
        values[j, where[on]] = 1
        values[j, where[dc & ~off]] = DONT_CARE
        values[j, where[off]] = 0
    keep = np.any(values != DONT_CARE, axis=0)
    return all_rows[keep], values[:, keep]


def write_pla(f: BooleanFunction, target: Source) -> None:
    """Write f as a PLA of type fr: one cube per care row, outputs 1, 0 or - (free).

    >>> import io
    >>> out = io.StringIO()
    >>> write_pla(BooleanFunction.from_hex("8", 2), out)
    >>> print(out.getvalue(), end="")
    # 8
    .i 2
    .o 1
    .type fr
    .p 4
    00 0
    10 0
    01 0
    11 1
    .e
    """
    bits = input_bits(f.rows, f.n)
    chars = np.empty((f.num_rows, f.n + f.m + 2), dtype=np.uint8)
    chars[:, : f.n] = bits + ord("0")
    chars[:, f.n] = ord(" ")
    table = np.array([ord("-"), ord("0"), ord("1")], dtype=np.uint8)
    chars[:, f.n + 1 : f.n + 1 + f.m] = table[f.values.T.astype(np.int64) + 1]
    chars[:, -1] = ord("\n")
    header = f".i {f.n}\n.o {f.m}\n.type fr\n.p {f.num_rows}\n"
    if f.name and "\n" not in f.name:
        header = f"# {f.name}\n" + header
    text = header + chars.tobytes().decode("ascii") + ".e\n"
    if isinstance(target, str | os.PathLike):
        Path(target).write_text(text, encoding="utf-8")
    else:
        target.write(text)


# -- CSV ------------------------------------------------------------------------------------------
def read_csv(source: Source, n: int, name: str | None = None) -> BooleanFunction:
    """Read labelled rows: n input bits (x0 first), then the outputs; see the module docstring."""
    label, default_name, lines = _read_lines(source)
    if not 0 <= n <= MAX_INPUTS:
        raise InputError(f"a function has 0 to {MAX_INPUTS} inputs, not {n}")
    columns = 0
    coded: list[str] = []  # per data line one character per cell: 0, 1 or - (free)
    coded_lines: list[int] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        sep = ";" if ";" in line else ","
        if not columns:
            cells = [c.strip() for c in line.split(sep)]
            columns = len(cells)
            if columns <= n:
                raise InputError(
                    f"{label}:{lineno}: {columns} columns; {n} inputs need at least {n + 1} "
                    "(the input bits, then one column per output)"
                )
            if any(c not in ("-", "") and not c.isdigit() for c in cells):
                continue  # a header
        compact = line.replace(" ", "")
        if len(compact) == 2 * columns - 1 and compact[1::2] == sep * (columns - 1):
            coded.append(compact[::2])  # the common case: one character per cell
        else:
            cells = [c.strip() for c in line.split(sep)]
            if len(cells) != columns:
                raise InputError(f"{label}:{lineno}: expected {columns} columns, got {len(cells)}")
            _check_cells(label, lineno, cells, n)
            coded.append("".join(c or "-" for c in cells))
        coded_lines.append(lineno)
    if not coded:
        raise InputError(f"{label}: no data rows")
    m = columns - n
    text = "".join(coded)
    chars = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    if chars.size != len(coded) * columns:  # a non-ASCII cell: find it the slow way
        chars = np.zeros((0,), dtype=np.uint8)
        for lineno, cells in zip(coded_lines, coded, strict=True):
            _check_cells(label, lineno, list(cells), n)
    chars = chars.reshape(len(coded), columns)
    bad = ~(_CSV_INPUT[chars[:, :n]].all(axis=1) & _CSV_OUTPUT[chars[:, n:]].all(axis=1))
    if bad.any():
        k = int(np.argmax(bad))
        _check_cells(label, coded_lines[k], list(coded[k]), n)
    rows = np.zeros(len(coded), dtype=np.uint64)
    for i in range(n):
        rows |= (chars[:, i] == ord("1")).astype(np.uint64) << np.uint64(i)
    outs = chars[:, n:]
    vals = np.where(outs == ord("1"), 1, np.where(outs == ord("0"), 0, DONT_CARE)).astype(np.int8)
    uniq, inverse = np.unique(rows, return_inverse=True)
    inverse = inverse.reshape(-1)
    values = np.full((m, uniq.size), DONT_CARE, dtype=np.int8)
    for j in range(m):
        ones = np.bincount(inverse[vals[:, j] == 1], minlength=uniq.size) > 0
        zeros = np.bincount(inverse[vals[:, j] == 0], minlength=uniq.size) > 0
        if np.any(ones & zeros):
            _report_contradiction(label, n, rows, vals, coded_lines, (ones & zeros)[inverse])
        values[j, ones] = 1
        values[j, zeros] = 0
    keep = np.any(values != DONT_CARE, axis=0)
    name = name if name is not None else default_name
    return BooleanFunction(n, uniq[keep], values[:, keep], name)


_CSV_INPUT = np.zeros(256, dtype=bool)
_CSV_INPUT[list(b"01")] = True
_CSV_OUTPUT = np.zeros(256, dtype=bool)
_CSV_OUTPUT[list(b"01-")] = True


def _check_cells(label: str, lineno: int, cells: Sequence[str], n: int) -> None:
    """Raise `InputError` for the first cell that is not 0/1 (inputs) or 0/1/-/empty (outputs)."""
    for i, c in enumerate(cells[:n]):
        if c not in ("0", "1"):
            raise InputError(f"{label}:{lineno}: input x{i} is '{c}'; expected 0 or 1")
    for j, c in enumerate(cells[n:]):
        if c not in ("0", "1", "-", ""):
            raise InputError(
                f"{label}:{lineno}: output {j} (column {n + j + 1}) is '{c}'; expected 0, 1, "
                "- or empty"
            )


def _report_contradiction(
    label: str, n: int, rows: np.ndarray, vals: np.ndarray, lines: list[int], suspect: np.ndarray
) -> None:
    """Raise `InputError` for the first line (in file order) that contradicts an earlier one;
    suspect marks the lines whose row has contradicting labels somewhere."""
    first: dict[tuple[int, int], tuple[int, int]] = {}  # (row, output) -> (value, line)
    for k in np.flatnonzero(suspect):
        row = int(rows[k])
        for j, v in enumerate(vals[k].tolist()):
            if v == DONT_CARE:
                continue
            old, old_line = first.setdefault((row, j), (v, lines[k]))
            if old != v:
                raise InputError(
                    f"{label}:{lines[k]}: row {row_bits(row, n)} (x0 first) has output {j} = "
                    f"{v}, but {old} on line {old_line}"
                )
    raise AssertionError("no contradiction found")  # pragma: no cover
