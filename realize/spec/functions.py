"""Boolean functions f: {0,1}^n -> {0,1}^m, complete or partial.

Row x of a truth table is the input assignment whose bit i is input ``x_i``; ``f(x)`` is bit x of
the table. Hex strings are written most significant digit first (ABC, kitty): AND2 = ``8``,
XOR2 = ``6``, MAJ3 = ``e8``.

A function stores only its *care rows*: ``rows`` (sorted, unique, as unsigned integers, so n may
exceed what a full table could hold) and ``values`` of shape (m, len(rows)) holding 1, 0 or
``DONT_CARE`` (-1) for an output that is free on that row.

>>> f = BooleanFunction.from_hex("e8", 3)
>>> f.n, f.m, f.is_complete, f.to_hex()
(3, 1, True, 'e8')
>>> [int(v) for v in f.values[0]]
[0, 0, 0, 1, 0, 1, 1, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from realize.errors import InputError

DONT_CARE = -1
#: The largest n for which a full truth table (2^n rows) is built from a hex string, family or
#: expression. Larger functions must be given row by row (PLA or CSV).
MAX_TABLE_INPUTS = 20
#: The largest n for any function: rows are stored as 64-bit unsigned integers.
MAX_INPUTS = 64


def check_table_inputs(n: int) -> None:
    """Raise `InputError` unless a full truth table of n inputs is reasonable to build."""
    if n > MAX_TABLE_INPUTS:
        raise InputError(
            f"n = {n} is too large for a full truth table (at most {MAX_TABLE_INPUTS} inputs); "
            "give the rows you care about as a PLA or CSV file"
        )


def all_rows(n: int) -> np.ndarray:
    """All 2^n rows 0 .. 2^n - 1 as uint64."""
    check_table_inputs(n)
    return np.arange(2**n, dtype=np.uint64)


def input_bits(rows: np.ndarray, n: int) -> np.ndarray:
    """Matrix (len(rows), n) of 0/1 (uint8): entry [r, i] is bit i of rows[r].

    >>> input_bits(np.array([1, 6], dtype=np.uint64), 3).tolist()
    [[1, 0, 0], [0, 1, 1]]
    """
    shifts = np.arange(n, dtype=np.uint64)
    return ((rows[:, None] >> shifts[None, :]) & np.uint64(1)).astype(np.uint8)


@dataclass(frozen=True, eq=False)
class BooleanFunction:
    """A possibly partial multi-output Boolean function (see the module docstring)."""

    n: int
    rows: np.ndarray
    values: np.ndarray
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.n <= MAX_INPUTS:
            raise InputError(f"a function has 0 to {MAX_INPUTS} inputs, not {self.n}")
        rows = np.asarray(self.rows, dtype=np.uint64)
        values = np.asarray(self.values, dtype=np.int8)
        if values.ndim != 2 or values.shape[1] != rows.shape[0]:
            raise ValueError("values must have shape (outputs, rows)")
        if values.shape[0] < 1:
            raise InputError("a function needs at least one output")
        if rows.size > 1 and np.any(rows[1:] <= rows[:-1]):
            raise ValueError("rows must be sorted and unique")
        if self.n < 64 and rows.size and int(rows.max()) >= 2**self.n:
            raise InputError(f"row {int(rows.max())} does not exist for {self.n} inputs")
        rows.setflags(write=False)
        values.setflags(write=False)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "values", values)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_truth_tables(
        cls, n: int, tables: Sequence[int], care: Sequence[int] | None = None, name: str = ""
    ) -> BooleanFunction:
        """From one integer truth table per output (bit x = f(x)); ``care`` likewise, optional.

        >>> BooleanFunction.from_truth_tables(2, [0b1000]).to_hex()
        '8'
        """
        rows = all_rows(n)
        values = np.zeros((len(tables), rows.size), dtype=np.int8)
        for j, table in enumerate(tables):
            if not 0 <= table < 2 ** (2**n):
                raise InputError(f"truth table {table:#x} does not fit {n} inputs")
            values[j] = _int_to_bits(table, rows.size)
            if care is not None:
                values[j][_int_to_bits(care[j], rows.size) == 0] = DONT_CARE
        return cls(n, rows, values, name)

    @classmethod
    def from_hex(cls, text: str, n: int) -> BooleanFunction:
        """Parse comma-separated hex truth tables (output 0 first) for n inputs.

        >>> BooleanFunction.from_hex("8,e", 2).values.tolist()
        [[0, 0, 0, 1], [0, 1, 1, 1]]
        """
        check_table_inputs(n)
        digits = max(1, 2**n // 4)
        tables = []
        for part in text.split(","):
            part = part.strip().lower().removeprefix("0x")
            if not part or any(c not in "0123456789abcdef" for c in part):
                raise InputError(f"'{part}' is not a hex truth table")
            if len(part) != digits:
                raise InputError(
                    f"hex truth table '{part}' has {len(part)} digits; {n} inputs need {digits}"
                )
            value = int(part, 16)
            if value >= 2 ** (2**n):
                raise InputError(f"hex truth table '{part}' is too large for {n} inputs")
            tables.append(value)
        return cls.from_truth_tables(n, tables, name=text.strip())

    @classmethod
    def from_evaluator(cls, n: int, outputs: Sequence[np.ndarray], name: str = "") -> BooleanFunction:
        """From 0/1 arrays over all 2^n rows (one per output), e.g. computed with numpy."""
        rows = all_rows(n)
        values = np.array([np.asarray(o, dtype=np.int8) for o in outputs], dtype=np.int8)
        return cls(n, rows, values, name)

    # -- queries ------------------------------------------------------------------------------
    @property
    def m(self) -> int:
        """Number of outputs."""
        return int(self.values.shape[0])

    @property
    def num_rows(self) -> int:
        """Number of stored (care) rows."""
        return int(self.rows.shape[0])

    @property
    def is_complete(self) -> bool:
        """True when every one of the 2^n rows is specified for every output."""
        return (
            self.n <= MAX_TABLE_INPUTS
            and self.num_rows == 2**self.n
            and not bool(np.any(self.values == DONT_CARE))
        )

    def care(self) -> np.ndarray:
        """Boolean mask (m, rows): True where the output is specified."""
        return self.values != DONT_CARE

    def bits(self) -> np.ndarray:
        """Input bits of the stored rows, shape (rows, n)."""
        return input_bits(self.rows, self.n)

    def to_hex(self) -> str:
        """Comma-separated hex tables (complete functions only)."""
        if not self.is_complete:
            raise ValueError("only a complete function has a hex truth table")
        return ",".join(table_to_hex(_bits_to_int(v), self.n) for v in self.values)

    def subset(self, positions: Sequence[int] | np.ndarray) -> BooleanFunction:
        """The partial function on the stored rows at the given positions (indices into rows)."""
        pos = np.unique(np.asarray(positions, dtype=np.int64))
        return BooleanFunction(self.n, self.rows[pos], self.values[:, pos], self.name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BooleanFunction):
            return NotImplemented
        return (
            self.n == other.n
            and np.array_equal(self.rows, other.rows)
            and np.array_equal(self.values, other.values)
        )

    def __hash__(self) -> int:
        return hash((self.n, self.rows.tobytes(), self.values.tobytes()))

    def __repr__(self) -> str:
        label = self.to_hex() if self.is_complete and self.n <= 6 else f"{self.num_rows} rows"
        return f"BooleanFunction(n={self.n}, m={self.m}, {label})"


def row_bits(row: int, n: int) -> str:
    """Row x as its input bits, x0 first (the PLA and CSV column order).

    >>> row_bits(6, 3)
    '011'
    """
    return "".join(str((row >> i) & 1) for i in range(n))


def table_to_hex(table: int, n: int) -> str:
    """Hex string of an n-input truth table, most significant digit first, kitty's length."""
    return format(table, f"0{max(1, 2**n // 4)}x")


def _int_to_bits(value: int, length: int) -> np.ndarray:
    raw = np.frombuffer(value.to_bytes((length + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:length].astype(np.int8)


def _bits_to_int(bits: np.ndarray) -> int:
    packed = np.packbits(np.asarray(bits, dtype=np.uint8), bitorder="little")
    return int.from_bytes(packed.tobytes(), "little")

