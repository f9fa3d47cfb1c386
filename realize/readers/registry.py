"""The FUNCTION argument: one string naming a file, a family, hex truth tables or expressions.

`READERS` is the table of input formats and the only place that knows file suffixes. A file
reader claims the text by its suffix (`reader_for`); otherwise the text readers whose pattern
the text matches (and that claim it) are tried in table order; a reader of one output is offered
only text without commas, so in a list every output is read on its own. So `parse_function` tries:

0. ``-``: standard input, its format told by its content (`realize.readers.stdin`);
1. a file: text ending in ``.pla``, ``.csv``, ``.blif``, ``.aag`` or ``.aig`` (read by its
   extension; a missing file is an error; see `realize.readers.circuits` for BLIF and AIGER);
2. a family (``majority``, ``threshold:2``, ``family:xor``; see `realize.readers.families`), for
   text of one output;
3. hex truth tables, comma-separated, output 0 first, optional ``0x`` (``e8``, ``8,e``);
4. expressions (see `realize.readers.expressions`), comma-separated, output 0 first; each comma-separated
   part may also be a family (``maj, x0 ^ x1 ^ x2``).

Hex wins over expressions: ``1`` with n = 2 is the hex table 0001, not the constant 1 (write
``const1``). Only text that fits no syntax falls back to an existing file of another extension,
which is then reported as an unknown format.

Every reader yields a table (`BooleanFunction`); a reader of kind ``circuit`` (BLIF, AIGER,
expressions) can also give the function as a `Circuit` (`parse_circuit`), which the SAT miter
and the circuit check take when no table fits (more than 20 inputs). Tables and circuits come
from the same reader, so one text never means two functions (``1`` is a hex table for both). A
new format is a reader module plus one line in `READERS`.

>>> parse_function("x0 & (x1 | x2)", 3).to_hex()
'a8'
>>> parse_function("maj", 3) == parse_function("e8", 3) == parse_function("threshold:2", 3)
True
>>> parse_function("and, x0 ^ x1", 2).to_hex()
'8,6'
>>> parse_function("threshold:2, parity", 3).to_hex()   # the family reads output 0 only
'e8,96'
>>> [(r.name, r.kind) for r in READERS]  # doctest: +NORMALIZE_WHITESPACE
[('pla', 'table'), ('csv', 'table'), ('blif', 'circuit'), ('aiger', 'circuit'),
 ('family', 'table'), ('hex', 'table'), ('expressions', 'circuit')]
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from realize.errors import InputError
from realize.readers.circuits import aiger_inputs, blif_inputs, circuit_table, read_aiger, read_blif
from realize.readers.families import FAMILY_RE, names_family, parse_family
from realize.readers.formats import pla_inputs, read_csv, read_pla
from realize.readers.hex import HEX_RE, hex_inputs, read_hex
from realize.readers.stdin import STDIN, sniff, stdin_bytes
from realize.spec.functions import BooleanFunction, check_table_inputs

if TYPE_CHECKING:
    from realize.spec.circuits import Circuit

#: what a reader reads: FUNCTION text or a file's path, or a stream (standard input)
Source = str | IO[str] | IO[bytes]

__all__ = ["READERS", "Reader", "inputs_of", "parse_circuit", "parse_function", "reader_for",
           "reads_as_circuit"]


@dataclass(frozen=True)
class Reader:
    """One input format: how FUNCTION text is recognised and read.

    A file reader has ``suffixes`` (lower case) and reads the file named by the text; a text
    reader has a ``pattern`` the whole text must match and reads the text itself. ``table(text,
    n)`` gives the function for n inputs, or None when the text turns out not to be this format
    (a word that is no family name); a wrong instance of the format raises `InputError`.
    ``inputs(text)`` gives the n that the text fixes, if the format can fix one; ``circuit(text,
    n)`` gives the function as expressions, one per output, for a reader of kind ``circuit``.
    ``claims(text)`` tells, without reading, whether a text that fits the pattern is this format
    (None: every such text is). A reader with ``one_output`` reads the text of one output: it is
    never offered a comma-separated list, whose outputs the list readers read one by one.
    """

    name: str
    table: Callable[[Source, int], BooleanFunction | None]
    suffixes: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    inputs: Callable[[Source], int | None] | None = None
    circuit: Callable[[Source, int], Circuit] | None = None
    claims: Callable[[str], bool] | None = None
    one_output: bool = False

    def takes(self, text: str) -> bool:
        """Whether the dispatch offers text to this text reader (see the class docstring)."""
        return (
            self.pattern is not None
            and self.pattern.fullmatch(text) is not None
            and not (self.one_output and "," in text)
            and (self.claims is None or self.claims(text))
        )

    @property
    def kind(self) -> Literal["table", "circuit"]:
        """``circuit`` when the reader can give the function as a circuit, else ``table``."""
        return "table" if self.circuit is None else "circuit"


def _read_expressions(text: str, n: int) -> BooleanFunction:
    # the expression parser is imported when text gets this far: hex tables, families and
    # files, the common arguments, skip its import (some 4 ms of a small check)
    from realize.readers.expressions import read_expressions

    return read_expressions(text, n)


def _parse_expressions(text: str, n: int) -> Circuit:
    from realize.readers.expressions import expressions_circuit, parse_expressions

    return expressions_circuit(parse_expressions(text, n), n, text)


#: The input formats, in the order text readers are tried (the last one takes any text).
READERS: tuple[Reader, ...] = (
    Reader("pla", read_pla, suffixes=(".pla",), inputs=pla_inputs),
    Reader("csv", read_csv, suffixes=(".csv",)),
    Reader("blif", circuit_table(read_blif), suffixes=(".blif",), inputs=blif_inputs,
           circuit=lambda source, n: read_blif(source)),
    Reader("aiger", circuit_table(read_aiger), suffixes=(".aag", ".aig"), inputs=aiger_inputs,
           circuit=lambda source, n: read_aiger(source)),
    Reader("family", parse_family, pattern=FAMILY_RE, claims=names_family, one_output=True),
    Reader("hex", read_hex, pattern=HEX_RE, inputs=hex_inputs),
    Reader("expressions", _read_expressions, pattern=re.compile(".*", re.DOTALL),
           circuit=_parse_expressions),
)

_SUFFIXES = [s for r in READERS for s in r.suffixes]
_FILE_SUFFIXES = ", ".join(_SUFFIXES[:-1]) + " or " + _SUFFIXES[-1]
_FILE_LIKE_RE = re.compile(r"[\w./\\~-]*\.[A-Za-z]\w*")


def reader_for(path: str | Path) -> Reader | None:
    """The file reader for path's suffix (any case), or None when no reader reads such files.

    >>> reader_for("data/xor3.PLA").name, reader_for("x0 & x1")
    ('pla', None)
    """
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def parse_function(text: str, n: int, base_dir: Path | None = None) -> BooleanFunction:
    """The function described by text, for n inputs (see the module docstring).

    Relative file names are taken relative to base_dir when it is given. Raises `InputError`
    naming the problem; full tables (everything but files) need n <= 20.
    """
    stripped = text.strip()
    if not stripped:
        raise InputError("empty function: give hex truth tables, a family, expressions or a file")
    if stripped == STDIN:
        reader, source = _from_stdin()
        return _read_text(source, n) if reader is None else reader.table(source, n)
    path = Path(stripped)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    reader = reader_for(path)
    if reader is not None:
        f = reader.table(str(path), n)
        assert f is not None, f"the {reader.name} reader read no function"
        return f
    try:
        return _read_text(stripped, n)
    except InputError:
        if _is_file(path):
            raise InputError(
                f"cannot tell the format of '{stripped}' from its extension; "
                f"function files end in {_FILE_SUFFIXES}"
            ) from None
        if _FILE_LIKE_RE.fullmatch(stripped):
            raise InputError(
                f"cannot read '{stripped}': no such file (function files end in {_FILE_SUFFIXES})"
            ) from None
        raise


def parse_circuit(text: str, n: int, base_dir: Path | None = None) -> Circuit:
    """The function as a `Circuit` (no table is built, so n may exceed 20), from the reader
    `parse_function` would use: the text means the same function either way. Relative file
    names are taken relative to ``base_dir`` when it is given.

    >>> parse_circuit("x0 & x63, ~x1", 64).describe()
    'x0 & x63, ~x1 (64 inputs, 2 output(s), 1 gates)'
    >>> parse_circuit("1", 2)  # the hex table 0001 for parse_function too, not the constant 1
    Traceback (most recent call last):
    ...
    realize.errors.InputError: '1' is read as a table (hex), not as a circuit
    """
    reader, source = _reader_of(text)
    if reader is not None and reader.suffixes and base_dir is not None:
        source = str(Path(base_dir) / str(source))  # an absolute path stays as it is
    if reader is None or reader.circuit is None:
        kind = f" ({reader.name})" if reader is not None else ""
        raise InputError(f"'{text.strip()[:60]}' is read as a table{kind}, not as a circuit")
    return reader.circuit(source, n)


def reads_as_circuit(text: str) -> bool:
    """Whether the reader of the FUNCTION text gives circuits (BLIF, AIGER, expressions), so
    that `parse_circuit` reads it; PLA and CSV files, hex and families are tables.

    >>> reads_as_circuit("x0 | x30"), reads_as_circuit("f.blif"), reads_as_circuit("f.pla")
    (True, True, False)
    """
    reader, _ = _reader_of(text)
    return reader is not None and reader.circuit is not None


def _reader_of(text: str) -> tuple[Reader | None, Source]:
    """The reader `parse_function` would give the text to, and what it reads."""
    stripped = text.strip()
    if stripped == STDIN:
        reader, source = _from_stdin()
        return reader or next(_text_readers(source), None), source
    return reader_for(stripped) or next(_text_readers(stripped), None), stripped


def inputs_of(text: str) -> int | None:
    """The number of inputs the FUNCTION text fixes, if it fixes one: a hex table's length or a
    PLA file's ``.i``.

    >>> inputs_of("6996"), inputs_of("e8"), inputs_of("6"), inputs_of("majority")
    (4, 3, None, None)
    """
    stripped = text.strip()
    source: Source = stripped
    if stripped == STDIN:
        file_reader, source = _from_stdin()
    else:
        file_reader = reader_for(stripped)
    if file_reader is not None:
        return None if file_reader.inputs is None else file_reader.inputs(source)
    stripped = source
    counts = (r.inputs(stripped) for r in READERS if r.pattern is not None and r.inputs is not None)
    return next((n for n in counts if n is not None), None)


def _from_stdin() -> tuple[Reader | None, Source]:
    """Standard input as (the file reader of its format, a stream of it), or (None, its text)
    when it is FUNCTION text (`realize.readers.stdin`)."""
    data = stdin_bytes()
    kind = sniff(data)
    if kind == "text":
        return None, data.decode().strip()
    reader = next(r for r in READERS if r.name == kind)
    return reader, io.BytesIO(data) if kind == "aiger" else io.StringIO(data.decode())


def _read_text(text: str, n: int) -> BooleanFunction:
    """The first text reader's function (a full table over all 2^n rows), named by the text."""
    check_table_inputs(n)
    for reader in _text_readers(text):
        f = reader.table(text, n)
        if f is not None:
            return f if f.name == text else BooleanFunction(n, f.rows, f.values, text)
    raise InputError(f"cannot read '{text[:60]}': no reader takes it")


def _text_readers(text: str) -> Iterator[Reader]:
    """The text readers offered text (`Reader.takes`), in table order."""
    return (r for r in READERS if r.takes(text))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # e.g. a long expression is too long for a file name
        return False
