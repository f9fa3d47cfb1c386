"""Boolean expressions over the inputs x0 .. x(n-1): a tokenizer, a parser and a small AST.

Syntax, loosest binding first: ``|`` (or), ``^`` (xor), ``&`` (and), ``~`` (not, prefix),
then variables ``x0``, ``x1``, ..., constants ``0`` and ``1`` and parentheses. Whitespace is free.
Chains of one operator form one n-ary node (``x0 & x1 & x2`` is ``And((x0, x1, x2))``); the AST
is immutable and walkable through `Expr.children`, so it can be evaluated on a truth table
(`Expr.evaluate`, vectorized over rows) or encoded into clauses for wide functions.
The parser never calls ``eval``.

>>> e = parse_expression("x0 & (x1 | x2)")
>>> e
And(args=(Var(index=0), Or(args=(Var(index=1), Var(index=2)))))
>>> str(e), sorted(e.variables())
('x0 & (x1 | x2)', [0, 1, 2])
>>> expressions_to_function([e], 3).to_hex()
'a8'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from realize.errors import InputError
from realize.readers.families import known_families, parse_family
from realize.spec.circuits import Circuit, CircuitBuilder
from realize.spec.functions import MAX_INPUTS, BooleanFunction, all_rows, input_bits

__all__ = [
    "And",
    "Const",
    "Expr",
    "Not",
    "Or",
    "Var",
    "Xor",
    "expressions_circuit",
    "expressions_to_function",
    "parse_expression",
    "parse_expressions",
    "read_expressions",
    "tokenize",
]

# Precedence levels, used by the printer: a higher level binds tighter.
_LEVEL_OR, _LEVEL_XOR, _LEVEL_AND, _LEVEL_NOT, _LEVEL_ATOM = 1, 2, 3, 4, 5


class Expr:
    """Base class of expression nodes (immutable dataclasses)."""

    __slots__ = ()
    _level = _LEVEL_ATOM

    @property
    def children(self) -> tuple[Expr, ...]:
        """The direct subexpressions, in order."""
        return ()

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        """Values (uint8 0/1, one per row) on an input matrix of shape (rows, n), as from
        `realize.spec.functions.input_bits`."""
        raise NotImplementedError

    def variables(self) -> frozenset[int]:
        """Indices of the variables that occur in the expression."""
        return frozenset().union(*(c.variables() for c in self.children))

    def walk(self) -> Iterator[Expr]:
        """All nodes, parents before their children (depth first, left to right)."""
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def __str__(self) -> str:
        return self._text()

    def _text(self) -> str:
        raise NotImplementedError

    def _wrapped(self, parent_level: int) -> str:
        """Text of self as an operand at parent_level: parenthesized unless it binds tighter,
        so that printing and parsing back gives the same tree."""
        text = self._text()
        return text if self._level > parent_level else f"({text})"


@dataclass(frozen=True, slots=True)
class Var(Expr):
    """Input variable ``x<index>``."""

    index: int

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        if not 0 <= self.index < bits.shape[1]:
            raise InputError(f"unknown variable 'x{self.index}': {_known_variables(bits.shape[1])}")
        return np.array(bits[:, self.index], dtype=np.uint8)

    def variables(self) -> frozenset[int]:
        return frozenset((self.index,))

    def _text(self) -> str:
        return f"x{self.index}"


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """Constant 0 or 1."""

    value: int

    def __post_init__(self) -> None:
        if self.value not in (0, 1):
            raise ValueError("a constant is 0 or 1")

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        return np.full(bits.shape[0], self.value, dtype=np.uint8)

    def _text(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Negation ``~operand``."""

    operand: Expr
    _level = _LEVEL_NOT

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        return self.operand.evaluate(bits) ^ np.uint8(1)

    def _text(self) -> str:
        return "~" + self.operand._wrapped(_LEVEL_NOT - 1)


@dataclass(frozen=True, slots=True)
class _Nary(Expr):
    """An associative operator applied to two or more operands."""

    args: tuple[Expr, ...]
    _symbol = ""

    def __post_init__(self) -> None:
        if len(self.args) < 2:
            raise ValueError(f"{type(self).__name__} needs at least two operands")

    @property
    def children(self) -> tuple[Expr, ...]:
        return self.args

    def evaluate(self, bits: np.ndarray) -> np.ndarray:
        result = self.args[0].evaluate(bits)
        for arg in self.args[1:]:
            result = self._combine(result, arg.evaluate(bits))
        return result

    @staticmethod
    def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _text(self) -> str:
        return f" {self._symbol} ".join(a._wrapped(self._level) for a in self.args)


@dataclass(frozen=True, slots=True)
class And(_Nary):
    """Conjunction ``a & b & ...``."""

    _symbol = "&"
    _level = _LEVEL_AND

    @staticmethod
    def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a & b


@dataclass(frozen=True, slots=True)
class Xor(_Nary):
    """Exclusive or ``a ^ b ^ ...`` (1 iff an odd number of operands is 1)."""

    _symbol = "^"
    _level = _LEVEL_XOR

    @staticmethod
    def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a ^ b


@dataclass(frozen=True, slots=True)
class Or(_Nary):
    """Disjunction ``a | b | ...``."""

    _symbol = "|"
    _level = _LEVEL_OR

    @staticmethod
    def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a | b


# -- tokenizer -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Token:
    """A token: kind is 'var', 'const', one of ``~ & ^ | ( )``, or 'end'; pos is 1-based."""

    kind: str
    text: str
    pos: int
    value: int = 0


_TOKEN_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|([0-9]+)|(.)", re.DOTALL)
_VAR_RE = re.compile(r"[xX]([0-9]+)")
_WORD_RE = re.compile(r"[A-Za-z_][\w-]*")
_HINTS = {"!": "~", "+": "|", "*": "&", "&&": "&", "||": "|"}


def _index(digits: str) -> int:
    """The index of ``x<digits>``; one of more significant digits than MAX_INPUTS has is out of
    range anyway, so a huge number is never converted."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= len(str(MAX_INPUTS)) else MAX_INPUTS


def _clip(word: str) -> str:
    return word if len(word) <= 20 else word[:17] + "..."


def _known_variables(n: int | None) -> str:
    if n is None:
        return f"variables are x0 .. x{MAX_INPUTS - 1}"
    if n == 0:
        return "there are no inputs"
    return f"with {n} inputs the variables are x0..x{n - 1}"


def tokenize(text: str, n: int | None = None) -> list[Token]:
    """Split text into tokens (ending with an 'end' token); n, if given, bounds variable indices.

    >>> [t.kind for t in tokenize("~x1 & (0 | x0)")]
    ['~', 'var', '&', '(', 'const', '|', 'var', ')', 'end']
    """
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            tokens.append(Token("end", "", pos + 1))
            return tokens
        match = _TOKEN_RE.match(text, pos)
        assert match is not None  # the last alternative matches any character
        word, number, char = match.groups()
        start = pos + 1
        pos = match.end()
        if word is not None:
            var = _VAR_RE.fullmatch(word)
            index = _index(var.group(1)) if var else -1
            if var is None or not index < (MAX_INPUTS if n is None else n):
                raise _error(
                    text,
                    f"unknown variable '{_clip(word)}' at position {start}; " + _known_variables(n),
                )
            tokens.append(Token("var", word, start, index))
        elif number is not None:
            if number not in ("0", "1"):
                raise _error(
                    text,
                    f"unexpected number '{_clip(number)}' at position {start}; "
                    "the constants are 0 and 1",
                )
            tokens.append(Token("const", number, start, int(number)))
        elif char in "~&^|()":
            tokens.append(Token(char, char, start))
        else:
            pair = text[start - 1 : start + 1]
            hint = _HINTS.get(pair) or _HINTS.get(char)
            shown = pair if pair in _HINTS else char
            raise _error(
                text,
                f"unexpected character '{shown}' at position {start}"
                + (f" (write '{hint}')" if hint else "; operators are ~ & ^ |"),
            )


def _error(text: str, problem: str) -> InputError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return InputError(f"expression '{shown}': {problem}")


# -- parser ----------------------------------------------------------------------------------------
_BINARY: dict[str, tuple[type[_Nary], str]] = {"|": (Or, "^"), "^": (Xor, "&"), "&": (And, "")}


class _Parser:
    """Recursive descent: or := xor ('|' xor)*, xor := and ('^' and)*, and := unary ('&' unary)*,
    unary := '~' unary | atom, atom := var | const | '(' or ')'."""

    def __init__(self, text: str, n: int | None) -> None:
        self.text = text
        self.tokens = tokenize(text, n)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def parse(self) -> Expr:
        if self.token.kind == "end":
            raise InputError(f"empty expression '{self.text}'" if self.text else "empty expression")
        expr = self.binary("|")
        token = self.token
        if token.kind == ")":
            raise _error(
                self.text,
                f"unbalanced parentheses: ')' at position {token.pos} has no matching '('",
            )
        if token.kind != "end":
            raise _error(
                self.text,
                f"unexpected '{token.text}' at position {token.pos} after a complete expression",
            )
        return expr

    def binary(self, op: str) -> Expr:
        cls, tighter = _BINARY[op]
        operand = self.binary if tighter else (lambda _: self.unary())
        args = [operand(tighter)]
        while self.token.kind == op:
            self.i += 1
            args.append(operand(tighter))
        return args[0] if len(args) == 1 else cls(tuple(args))

    def unary(self) -> Expr:
        token = self.token
        self.i += 1
        if token.kind == "~":
            return Not(self.unary())
        if token.kind == "var":
            return Var(token.value)
        if token.kind == "const":
            return Const(token.value)
        if token.kind == "(":
            inner = self.binary("|")
            if self.token.kind != ")":
                if self.token.kind == "end":
                    raise _error(
                        self.text,
                        f"unbalanced parentheses: '(' at position {token.pos} is never closed",
                    )
                raise _error(
                    self.text,
                    f"expected ')' at position {self.token.pos} "
                    f"(to close '(' at position {token.pos}), got '{self.token.text}'",
                )
            self.i += 1
            return inner
        got = "the end" if token.kind == "end" else f"'{token.text}'"
        if token.kind == ")":
            got += " (unbalanced parentheses?)"
        raise _error(
            self.text,
            f"expected a variable, constant, '~' or '(' at position {token.pos}, got {got}",
        )


def parse_expression(text: str, n: int | None = None) -> Expr:
    """Parse text into an `Expr`; with n given, only x0 .. x(n-1) are allowed.

    Raises `InputError` (one line, naming the problem and its 1-based position) on an unknown
    variable, unbalanced parentheses, a missing operand, trailing text or an empty expression.

    >>> str(parse_expression("~x0&x1^x2|x3"))
    '~x0 & x1 ^ x2 | x3'
    >>> parse_expression("x0 & x3", n=3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    realize.errors.InputError: expression 'x0 & x3': unknown variable 'x3' at position 6; ...
    """
    try:
        return _Parser(text, n).parse()
    except RecursionError:
        raise _error(text, "nested too deeply") from None


def expressions_to_function(exprs: Sequence[Expr], n: int, name: str = "") -> BooleanFunction:
    """The complete function over all 2^n rows whose output j is exprs[j].

    >>> expressions_to_function([parse_expression("x0 ^ x1"), Const(1)], 2).to_hex()
    '6,f'
    """
    rows = all_rows(n)
    bits = input_bits(rows, n)
    try:
        outputs = [e.evaluate(bits) for e in exprs]
    except RecursionError:
        raise InputError("expression nested too deeply") from None
    return BooleanFunction.from_evaluator(n, outputs, name)


def parse_expressions(text: str, n: int) -> list[Expr]:
    """Comma-separated expressions over x0 .. x(n-1), output 0 first: the function as a circuit.

    >>> [str(e) for e in parse_expressions("x0 & x1, ~x0", 2)]
    ['x0 & x1', '~x0']
    """
    return [parse_expression(part, n) for part in text.split(",")]


def expressions_circuit(exprs: Sequence[Expr], n: int, name: str = "") -> Circuit:
    """The expressions (one per output) as one `Circuit`, a gate per operator node.

    >>> expressions_circuit(parse_expressions("x0 & x1, ~(x0 & x1)", 2), 2).gates
    (Gate(op='and', args=(2, 4)),)
    """
    b = CircuitBuilder(n)
    memo: dict[int, int] = {}

    def literal(e: Expr) -> int:
        if id(e) not in memo:
            if isinstance(e, Var):
                memo[id(e)] = b.input(e.index)
            elif isinstance(e, Const):
                memo[id(e)] = int(e.value)
            elif isinstance(e, Not):
                memo[id(e)] = literal(e.operand) ^ 1
            else:
                op = {And: "and", Or: "or", Xor: "xor"}[type(e)]
                memo[id(e)] = b.gate(op, [literal(a) for a in e.children])  # type: ignore[arg-type]
        return memo[id(e)]

    try:
        return b.build([literal(e) for e in exprs], name)
    except RecursionError:
        raise InputError("an expression is nested too deeply for a circuit") from None


def read_expressions(text: str, n: int) -> BooleanFunction:
    """The table of comma-separated outputs, each an expression or a family name (n <= 20).

    >>> read_expressions("maj, x0 ^ x1 ^ x2", 3).to_hex()
    'e8,96'
    """
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
