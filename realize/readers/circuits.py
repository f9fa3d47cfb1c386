"""Functions from circuit files: BLIF and AIGER (ASCII ``aag`` and binary ``aig``), combinational.

Both give a `Circuit` (`realize.spec.circuits`); with at most 20 inputs it also gives the
table. Input i is the i-th primary input in the file (``.inputs`` order in BLIF, the input
section in AIGER) and output j the j-th output, as ABC numbers them. What a file may hold:

- **BLIF**: one ``.model`` with ``.inputs``, ``.outputs``, ``.names`` covers (the on-set, or
  with output column 0 the off-set; no cube: constant 0) in any order, ``#`` comments, ``\\``
  continuations, ``.end``; timing lines (``.area``, ``.input_arrival``, ...) are skipped.
  Latches, ``.subckt``, ``.gate`` and further models are refused, naming the line.
- **AIGER** (1.9 headers too): no latches, no bad, constraint, justice or fairness
  properties; the symbol table and comments are skipped.

Errors are `InputError` with the file name and, where there is one, the line.

>>> import io
>>> c = read_blif(io.StringIO(".model maj\\n.inputs a b c\\n.outputs y\\n"
...                           ".names a b c y\\n11- 1\\n1-1 1\\n-11 1\\n.end\\n"))
>>> c.n, c.to_function().to_hex()
(3, 'e8')
>>> read_aiger(io.BytesIO(b"aag 3 2 0 1 1\\n2\\n4\\n7\\n6 2 4\\n")).to_function().to_hex()  # NAND2
'7'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

from realize.errors import InputError
from realize.spec.circuits import Circuit, CircuitBuilder
from realize.spec.functions import MAX_TABLE_INPUTS, BooleanFunction

__all__ = ["aiger_inputs", "blif_inputs", "circuit_table", "read_aiger", "read_blif"]

K = TypeVar("K")
TextSource = str | Path | TextIO
BinarySource = str | Path | BinaryIO

#: BLIF lines that say nothing about the function
_TIMING = frozenset({
    ".area", ".delay", ".wire_load_slope", ".wire", ".input_arrival", ".default_input_arrival",
    ".output_required", ".default_output_required", ".input_drive", ".default_input_drive",
    ".output_load", ".default_output_load", ".max_input_load", ".default_max_input_load",
})
_SEQUENTIAL = frozenset({".latch", ".mlatch", ".clock"})
_HIERARCHY = frozenset({".subckt", ".gate", ".search", ".model"})


def _define_all(
    roots: Sequence[K], known: dict[K, int], *, reads: Callable[[K], Sequence[K] | None],
    build: Callable[[K], int], undefined: Callable[[K], InputError],
    cyclic: Callable[[K], InputError],
) -> None:
    """Give every root a literal in ``known``, what it reads first: depth first, without
    recursion (circuits may be deep). ``reads`` is None for a signal nothing defines."""
    for root in roots:
        stack, entered = [root], set()
        while stack:
            top = stack[-1]
            if top in known:
                stack.pop()
                continue
            fanin = reads(top)
            if fanin is None:
                raise undefined(top)
            missing = [s for s in fanin if s not in known]
            if missing:
                if top in entered:
                    raise cyclic(top)
                entered.add(top)
                stack.extend(missing)
                continue
            known[top] = build(top)
            stack.pop()


def _label(source: object) -> str:
    return str(source) if isinstance(source, str | Path) else "<stdin>"


def _text(source: TextSource) -> str:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_text()
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read '{source}': {err}") from None
    return source.read()


def _logical_lines(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, words) per BLIF statement: comments cut, continuations joined."""
    statements: list[tuple[int, list[str]]] = []
    pending: list[str] = []
    start = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not pending:
            start = lineno
        continued = line.endswith("\\")
        pending.extend(line.rstrip("\\").split())
        if not continued and pending:
            statements.append((start, pending))
            pending = []
    if pending:
        statements.append((start, pending))
    return statements


class _Blif:
    """The statements of one BLIF model, collected before anything is built."""

    def __init__(self, label: str, text: str) -> None:
        self.label = label
        self.inputs: list[str] = []
        self.outputs: list[str] = []
        self.covers: dict[str, tuple[int, list[str], list[tuple[str, str]]]] = {}
        self.name = ""
        current: list[tuple[str, str]] | None = None
        width = 0
        for lineno, words in _logical_lines(text):
            head = words[0]
            if not head.startswith("."):
                if current is None:
                    raise self.fail(lineno, f"a cube outside .names: '{' '.join(words)}'")
                current.append(self._cube(lineno, words, width))
                continue
            current = None
            if head == ".model" and not self.name and not self.inputs and not self.covers:
                self.name = words[1] if len(words) > 1 else ""
            elif head == ".inputs":
                self.inputs.extend(words[1:])
            elif head == ".outputs":
                self.outputs.extend(words[1:])
            elif head == ".names":
                if len(words) < 2:
                    raise self.fail(lineno, ".names without a signal")
                *fanin, out = words[1:]
                if out in self.covers or out in self.inputs:
                    raise self.fail(lineno, f"signal '{out}' is defined twice")
                current, width = [], len(fanin)
                self.covers[out] = (lineno, fanin, current)
            elif head in (".end", ".exdc"):
                break
            elif head in _TIMING:
                continue
            elif head in _SEQUENTIAL:
                raise self.fail(lineno, f"{head}: a sequential circuit (only combinational "
                                        "BLIF is read)")
            elif head in _HIERARCHY:
                raise self.fail(lineno, f"{head}: hierarchical BLIF is not read (flatten it "
                                        "first, e.g. with ABC's 'read; strash; write_blif')")
            else:
                raise self.fail(lineno, f"unknown BLIF command '{head}'")
        seen: set[str] = set()
        for name in self.inputs:
            if name in seen:
                raise self.fail(None, f"input '{name}' is listed twice")
            seen.add(name)
        if not self.outputs:
            raise self.fail(None, "no .outputs")

    def fail(self, lineno: int | None, problem: str) -> InputError:
        where = self.label if lineno is None else f"{self.label}:{lineno}"
        return InputError(f"{where}: {problem}")

    def _cube(self, lineno: int, words: list[str], width: int) -> tuple[str, str]:
        if width == 0 and len(words) == 1:
            cube, value = "", words[0]
        elif len(words) == 2:
            cube, value = words
        else:
            raise self.fail(lineno, f"expected a cube of {width} and an output value, got "
                                    f"'{' '.join(words)}'")
        if len(cube) != width or set(cube) - set("01-") or value not in ("0", "1"):
            raise self.fail(lineno, f"'{' '.join(words)}' is not a cube of {width} input(s) "
                                    "(0, 1, -) and an output value 0 or 1")
        return cube, value

    def build(self) -> Circuit:
        b = CircuitBuilder(len(self.inputs))
        literals = {name: b.input(i) for i, name in enumerate(self.inputs)}
        _define_all(
            self.outputs, literals,
            reads=lambda s: self.covers[s][1] if s in self.covers else None,
            build=lambda s: self._cover(self.covers[s][0], [literals[x] for x in self.covers[s][1]],
                                        self.covers[s][2], b),
            undefined=lambda s: self.fail(None, f"signal '{s}' is used but never defined"),
            cyclic=lambda s: self.fail(self.covers[s][0], f"signal '{s}' depends on itself (a cycle)"))
        return b.build([literals[o] for o in self.outputs], self.name)

    def _cover(self, lineno: int, fanin: list[int], cubes: list[tuple[str, str]],
               b: CircuitBuilder) -> int:
        values = {value for _, value in cubes}
        if len(values) > 1:
            raise self.fail(lineno, "a cover mixes on-set (1) and off-set (0) cubes")
        terms = [b.gate("and", [lit ^ (c == "0") for lit, c in zip(fanin, cube, strict=True)
                                if c != "-"] or [1]) for cube, _ in cubes]
        on = b.gate("or", terms or [0])
        return on ^ 1 if values == {"0"} else on


def read_blif(source: TextSource) -> Circuit:
    """The combinational BLIF model in ``source`` (a path or a text stream) as a circuit."""
    return _Blif(_label(source), _text(source)).build()


def blif_inputs(source: TextSource) -> int:
    """The number of primary inputs the BLIF file declares."""
    return len(_Blif(_label(source), _text(source)).inputs)


def _bytes(source: BinarySource) -> bytes:
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as err:
            raise InputError(f"cannot read '{source}': {err}") from None
    return source.read()


class _Aiger:
    """An AIGER file's header and sections, read line by line and (binary) byte by byte."""

    def __init__(self, label: str, data: bytes) -> None:
        self.label, self.data, self.pos, self.lineno = label, data, 0, 0
        header = self._line().split()
        if not header or header[0] not in (b"aag", b"aig"):
            raise self.fail("not an AIGER file (the first line must start with 'aag' or 'aig')")
        self.binary = header[0] == b"aig"
        try:
            numbers = [int(w) for w in header[1:]]
        except ValueError:
            raise self.fail("the header 'aag|aig M I L O A' must hold numbers") from None
        if len(numbers) < 5 or min(numbers) < 0:
            raise self.fail("the header 'aag|aig M I L O A' needs five numbers")
        self.m, self.i, latches, self.o, self.a = numbers[:5]
        if latches:
            raise self.fail(f"{latches} latch(es): a sequential circuit (only combinational "
                            "AIGER is read)")
        if any(numbers[5:]):
            raise self.fail("bad, constraint, justice or fairness properties are not read")
        if self.m < self.i + self.a:
            raise self.fail(f"M = {self.m} is less than I + A = {self.i + self.a}")

    def fail(self, problem: str) -> InputError:
        where = f"{self.label}:{self.lineno}" if self.lineno else self.label
        return InputError(f"{where}: {problem}")

    def _line(self) -> bytes:
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            end = len(self.data)
            if end == self.pos:
                raise self.fail("the file ends early")
        line, self.pos = self.data[self.pos:end], end + 1
        self.lineno += 1
        return line

    def _numbers(self, count: int, what: str) -> list[int]:
        words = self._line().split()
        if len(words) != count or not all(w.isdigit() for w in words):
            raise self.fail(f"expected {count} number(s) for {what}")
        values = [int(w) for w in words]
        if max(values) > 2 * self.m + 1:
            raise self.fail(f"literal {max(values)} is beyond 2M + 1 = {2 * self.m + 1}")
        return values

    def _varint(self) -> int:
        value, shift = 0, 0
        while True:
            if self.pos >= len(self.data):
                raise self.fail("the binary AND section ends early")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def build(self) -> Circuit:
        if self.binary:
            inputs = [2 * (k + 1) for k in range(self.i)]
        else:
            inputs = [self._numbers(1, f"input {k}")[0] for k in range(self.i)]
        outputs = [self._numbers(1, f"output {k}")[0] for k in range(self.o)]
        ands: dict[int, tuple[int, int]] = {}
        for k in range(self.a):
            if self.binary:
                lhs = 2 * (self.i + k + 1)
                rhs0 = lhs - self._varint()
                rhs1 = rhs0 - self._varint()
                if rhs1 < 0:
                    raise self.fail(f"AND gate {k}: a negative literal")
            else:
                lhs, rhs0, rhs1 = self._numbers(3, f"AND gate {k}")
            if lhs & 1 or lhs < 2 or lhs >> 1 in ands:
                raise self.fail(f"AND gate {k}: {lhs} is not a fresh positive literal")
            ands[lhs >> 1] = (rhs0, rhs1)
        b = CircuitBuilder(self.i)
        mapped = {0: 0}
        for k, lit in enumerate(inputs):
            if lit & 1 or lit < 2 or lit >> 1 in mapped or lit >> 1 in ands:
                raise self.fail(f"input {k}: {lit} is not a fresh positive literal")
            mapped[lit >> 1] = b.input(k)

        def literal(lit: int) -> int:
            return mapped[lit >> 1] ^ (lit & 1)

        _define_all(
            [o >> 1 for o in outputs], mapped,
            reads=lambda v: [r >> 1 for r in ands[v]] if v in ands else None,
            build=lambda v: b.gate("and", [literal(r) for r in ands[v]]),
            undefined=lambda v: self.fail(f"variable {v} is used but never defined"),
            cyclic=lambda v: self.fail(f"variable {v} depends on itself (a cycle)"))
        return b.build([literal(o) for o in outputs], self.label)




def read_aiger(source: BinarySource) -> Circuit:
    """The combinational AIGER circuit in ``source`` (a path or a binary stream)."""
    return _Aiger(_label(source), _bytes(source)).build()


def aiger_inputs(source: BinarySource) -> int:
    """The number of inputs in the AIGER header."""
    return _Aiger(_label(source), _bytes(source)).i


def circuit_table(read: Callable[[str], Circuit]) -> Callable[[str, int], BooleanFunction]:
    """A file reader's table: the circuit's truth table, or an error naming the width."""

    def table(path: str, n: int) -> BooleanFunction:
        circuit = read(path)
        if circuit.n > MAX_TABLE_INPUTS:
            raise InputError(
                f"'{path}' has {circuit.n} inputs: a truth table holds at most "
                f"{MAX_TABLE_INPUTS}; `check` and `counterexample` take it as a circuit")
        return circuit.to_function()

    return table
