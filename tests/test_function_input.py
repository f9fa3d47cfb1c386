"""The FUNCTION argument: hex, families, expressions, PLA and CSV files, their errors, the reader table."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize import Architecture, Network, check
from realize.apps.suite import parse_instance, solve_instance
from realize.errors import InputError
from realize.explain.counterexample import find_counterexamples
from realize.readers.expressions import (
    And,
    Const,
    Not,
    Or,
    Var,
    Xor,
    parse_expression,
)
from realize.readers.families import FAMILIES, parse_family
from realize.readers.formats import MAX_EXPANDED_ROWS, read_csv, read_pla, write_pla
from realize.readers.registry import READERS, inputs_of, parse_circuit, parse_function, reader_for
from realize.spec.functions import DONT_CARE, BooleanFunction


def table(n: int, rule) -> list[int]:
    """Truth table column computed row by row in plain Python: rule(bits) with bits[i] = x_i."""
    return [int(bool(rule([(x >> i) & 1 for i in range(n)]))) for x in range(2**n)]


def column(f: BooleanFunction, j: int = 0) -> list[int]:
    assert f.is_complete
    return [int(v) for v in f.values[j]]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- hex, expressions, families: known values ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "n", "hex_"),
    [
        ("x0 & x1", 2, "8"),
        ("and", 2, "8"),
        ("x0 | x1", 2, "e"),
        ("x0 ^ x1", 2, "6"),
        ("x0 & (x1 | x2)", 3, "a8"),
        ("x0", 1, "2"),
        ("x0", 3, "aa"),
        ("maj", 3, "e8"),
        ("majority", 3, "e8"),
        ("threshold:2", 3, "e8"),
        ("xor", 3, "96"),
        ("parity", 4, "6996"),
        ("x0 ^ x1 ^ x2", 3, "96"),
        ("x0&x1 | x0&x2 | x1&x2", 3, "e8"),
        ("~x0", 1, "1"),
        ("const0", 2, "0"),
        ("1", 2, "1"),  # hex wins: the table 0001, not the constant 1
        ("(1)", 2, "f"),
        ("const1", 2, "f"),
    ],
)
def test_known_tables(text: str, n: int, hex_: str) -> None:
    f = parse_function(text, n)
    assert f.to_hex() == hex_
    assert f == BooleanFunction.from_hex(hex_, n)
    assert f.name == text


def test_hex_and_expression_agree() -> None:
    assert parse_function("8", 2) == parse_function("and", 2) == parse_function("x1 & x0", 2)
    assert parse_function("0x8", 2) == parse_function("8", 2)
    assert parse_function("E8", 3).to_hex() == "e8"


def test_precedence() -> None:
    n = 3
    cases = {
        "x0 | x1 & x2": lambda x: x[0] | (x[1] & x[2]),
        "x0 & x1 | x2": lambda x: (x[0] & x[1]) | x[2],
        "x0 ^ x1 & x2": lambda x: x[0] ^ (x[1] & x[2]),
        "x0 | x1 ^ x2": lambda x: x[0] | (x[1] ^ x[2]),
        "x0 ^ x1 | x2": lambda x: (x[0] ^ x[1]) | x[2],
        "~x0 & x1": lambda x: (1 - x[0]) & x[1],
        "~(x0 & x1)": lambda x: 1 - (x[0] & x[1]),
        "~~x2": lambda x: x[2],
        "(x0|x1)&x2": lambda x: (x[0] | x[1]) & x[2],
        "x0 & 1 | 0": lambda x: x[0],
    }
    for text, rule in cases.items():
        assert column(parse_function(text, n)) == table(n, rule), text


def test_multiple_outputs() -> None:
    f = parse_function("x0, x1 & x0, maj", 3)
    assert f.m == 3
    assert f.to_hex() == "aa,88,e8"
    assert parse_function("e8, 96", 3).to_hex() == "e8,96"


def test_ast_shape_and_variables() -> None:
    e = parse_expression("x0 & x1 & ~x3 | (x2 ^ 1)")
    assert e == Or((And((Var(0), Var(1), Not(Var(3)))), Xor((Var(2), Const(1)))))
    assert e.variables() == {0, 1, 2, 3}
    assert [type(node).__name__ for node in e.walk()] == [
        "Or",
        "And",
        "Var",
        "Var",
        "Not",
        "Var",
        "Xor",
        "Var",
        "Const",
    ]
    assert parse_expression("(x0 & x1) & x2") == And((And((Var(0), Var(1))), Var(2)))
    # wide expressions parse without a table; variables() is what an encoder needs
    assert parse_expression("x63 | x40", n=64).variables() == {63, 40}


# -- families against independent definitions --------------------------------------------------
def _half(x: list[int], first: bool) -> int:
    h = len(x) // 2
    part = x[:h] if first else x[h:]
    return sum(bit << i for i, bit in enumerate(part))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_families_match_definitions(n: int) -> None:
    rules = {
        "const0": lambda x: 0,
        "const1": lambda x: 1,
        "and": all,
        "or": any,
        "xor": lambda x: sum(x) % 2,
        "xnor": lambda x: 1 - sum(x) % 2,
        "majority": lambda x: sum(x) > n / 2,
    }
    for k in range(n + 1):
        rules[f"threshold:{k}"] = lambda x, k=k: sum(x) >= k
        rules[f"atleast:{k}"] = lambda x, k=k: sum(x) >= k
        rules[f"exactly:{k}"] = lambda x, k=k: sum(x) == k
    if n % 2 == 0:
        h = n // 2
        rules["equality"] = lambda x: x[:h] == x[h:]
        rules["inner-product"] = lambda x: sum(x[i] * x[h + i] for i in range(h)) % 2
        rules["ip"] = rules["inner-product"]
        rules["comparison"] = lambda x: _half(x, True) > _half(x, False)
        rules["gt"] = rules["comparison"]
    for name, rule in rules.items():
        f = parse_function(name, n)
        assert column(f) == table(n, rule), (name, n)


def test_family_spot_values() -> None:
    # a = x0 + 2 x1, b = x2 + 2 x3: row 0b0001 is a = 1 > b = 0; row 0b0100 is a = 0 < b = 1
    gt = parse_function("gt", 4)
    assert column(gt)[0b0001] == 1 and column(gt)[0b0100] == 0 and column(gt)[0b0101] == 0
    assert column(gt)[0b0110] == 1  # a = 2, b = 1
    # majority of 4 is strictly more than half: a 2-2 tie gives 0
    assert column(parse_function("maj", 4))[0b0011] == 0
    assert column(parse_function("maj", 4))[0b0111] == 1
    ip = parse_function("ip", 4)
    assert column(ip)[0b0101] == 1 and column(ip)[0b1111] == 0
    assert set(FAMILIES) >= {"and", "majority", "threshold", "inner-product", "comparison"}


def test_family_syntax() -> None:
    assert parse_family("x0 & x1", 3) is None
    assert parse_family("e8", 3) is None
    assert parse_family("family:maj", 3) == parse_family("MAJ", 3) == parse_family("maj", 3)
    assert parse_family("family:threshold:2", 3).to_hex() == "e8"
    assert parse_family("inner_product", 2).to_hex() == "8"


# -- random expressions: print, parse back, compare with direct evaluation ----------------------
N_RANDOM = 4

leaves = st.one_of(
    st.tuples(st.just("var"), st.integers(0, N_RANDOM - 1)),
    st.tuples(st.just("const"), st.integers(0, 1)),
)
trees = st.recursive(
    leaves,
    lambda sub: st.one_of(
        st.tuples(st.just("~"), sub),
        st.tuples(st.sampled_from("&^|"), sub, sub),
    ),
    max_leaves=12,
)
LEVEL = {"|": 1, "^": 2, "&": 3, "~": 4, "var": 5, "const": 5}


def evaluate(tree: tuple, x: list[int]) -> int:
    kind = tree[0]
    if kind == "var":
        return x[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "~":
        return 1 - evaluate(tree[1], x)
    a, b = evaluate(tree[1], x), evaluate(tree[2], x)
    return {"&": a & b, "^": a ^ b, "|": a | b}[kind]


def to_text(tree: tuple, minimal: bool, space: str) -> str:
    """Fully parenthesized, or with only the parentheses precedence needs (all ops associate)."""
    kind = tree[0]
    if kind == "var":
        return f"x{tree[1]}"
    if kind == "const":
        return str(tree[1])

    def operand(sub: tuple) -> str:
        text = to_text(sub, minimal, space)
        needs = LEVEL[sub[0]] < LEVEL[kind] if minimal else LEVEL[sub[0]] < 5
        return f"({text})" if needs else text

    if kind == "~":
        return "~" + operand(tree[1])
    return f"{operand(tree[1])}{space}{kind}{space}{operand(tree[2])}"


@settings(max_examples=150, deadline=None)
@given(trees, st.booleans(), st.sampled_from(["", " ", "  "]))
def test_random_expressions(tree: tuple, minimal: bool, space: str) -> None:
    text = to_text(tree, minimal, space)
    if text in ("0", "1"):
        text = f"({text})"  # a bare 0 or 1 is a hex truth table
    f = parse_function(text, N_RANDOM)
    assert column(f) == table(N_RANDOM, lambda x: evaluate(tree, x)), text
    # the AST printer round-trips the tree exactly
    expr = parse_expression(text, N_RANDOM)
    assert parse_expression(str(expr)) == expr
    used = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] == "var":
            used.add(node[1])
        stack.extend(t for t in node[1:] if isinstance(t, tuple))
    assert expr.variables() == used


# -- PLA -------------------------------------------------------------------------------------------
@st.composite
def partial_functions(draw, max_n: int = 5) -> BooleanFunction:
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, 3))
    rows = sorted(draw(st.sets(st.integers(0, 2**n - 1))))
    cols = [
        draw(st.lists(st.sampled_from([0, 1, DONT_CARE]), min_size=m, max_size=m)) for _ in rows
    ]
    kept = [(r, c) for r, c in zip(rows, cols, strict=True) if any(v != DONT_CARE for v in c)]
    values = np.array([c for _, c in kept], dtype=np.int8).reshape(len(kept), m).T
    return BooleanFunction(n, np.array([r for r, _ in kept], dtype=np.uint64), values, "f")


@settings(max_examples=60, deadline=None)
@given(partial_functions())
def test_pla_round_trip(f: BooleanFunction) -> None:
    buffer = io.StringIO()
    write_pla(f, buffer)
    buffer.seek(0)
    assert read_pla(buffer) == f


def test_pla_round_trip_file_and_wide(tmp_path: Path) -> None:
    rows = np.array([0, 5, 2**40 + 3, 2**63 + 1], dtype=np.uint64)
    f = BooleanFunction(64, rows, np.array([[1, 0, -1, 1], [0, 0, 1, -1]], dtype=np.int8), "w")
    path = tmp_path / "wide.pla"
    write_pla(f, path)
    assert read_pla(path) == f
    assert parse_function(str(path), 64) == f
    assert parse_function(str(path), 64).name == "wide.pla"


def test_pla_input_order(tmp_path: Path) -> None:
    # the first column is x0: a cube "10" is the row x0 = 1, x1 = 0, i.e. row 1
    path = write(tmp_path, "a.pla", ".i 2\n.o 1\n10 1\n.e\n")
    assert parse_function(str(path), 2).to_hex() == "2"
    assert parse_function(str(path), 2) == parse_function("x0 & ~x1", 2)


def test_pla_type_fd(tmp_path: Path) -> None:
    # default type fd: 1 on, - dc, everything else (here rows 00 and 0-'s 0 output) off
    text = "# comment\n.i 2\n.o 2\n.ilb a b\n.ob y z\n.p 3\n11 1-\n01 -1\n10 01  # row 1\n.end\n"
    f = read_pla(write(tmp_path, "fd.pla", text))
    assert f.rows.tolist() == [0, 1, 2, 3]
    assert f.values.tolist() == [[0, 0, DONT_CARE, 1], [0, 1, 1, DONT_CARE]]
    assert f.name == "fd.pla"


def test_pla_type_fr_fdr_f(tmp_path: Path) -> None:
    fr = read_pla(write(tmp_path, "fr.pla", ".i 2\n.o 1\n.type fr\n1- 1\n00 0\n01 -\n.e\n"))
    assert fr.rows.tolist() == [0, 1, 3] and fr.values.tolist() == [[0, 1, 1]]
    fdr = read_pla(write(tmp_path, "fdr.pla", ".i 2\n.o 1\n.type fdr\n11 1\n00 0\n10 -\n"))
    assert fdr.rows.tolist() == [0, 3] and fdr.values.tolist() == [[0, 1]]
    f = read_pla(write(tmp_path, "f.pla", ".i 2\n.o 1\n.type f\n11 1\n00 -\n01 0\n"))
    assert f.is_complete and f.to_hex() == "8"
    # '2' is a don't care, '~' puts the cube in no set; spaces inside cubes are ignored
    g = read_pla(write(tmp_path, "g.pla", ".i 3\n.o 2\n.type fr\n1 1 - 1~\n0-0 02\n"))
    assert g.rows.tolist() == [0, 2, 3, 7]
    assert g.values.tolist() == [[0, 0, 1, 1], [DONT_CARE] * 4]


def test_pla_overlaps(tmp_path: Path) -> None:
    # on and dc overlap: free (as in Espresso); off and dc: off
    f = read_pla(write(tmp_path, "o.pla", ".i 2\n.o 1\n.type fdr\n1- 1\n11 -\n0- 0\n00 -\n"))
    assert f.rows.tolist() == [0, 1, 2] and f.values.tolist() == [[0, 1, 0]]
    with pytest.raises(InputError, match=r"row 11 .*on-set \(line 4\).*off-set \(line 5\)"):
        read_pla(write(tmp_path, "c.pla", ".i 2\n.o 1\n.type fr\n1- 1\n-1 0\n"))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (".i 2\n.o 1\n1x 1\n", r"bad\.pla:3: malformed cube '1x 1': input x1 is 'x'"),
        (".i 2\n.o 1\n11 1 1\n", r"bad\.pla:3: malformed cube .*4 characters"),
        (".i 2\n.o 1\n11 a\n", r"bad\.pla:3: malformed cube .*output 0 is 'a'"),
        ("11 1\n", r"bad\.pla:1: cube '11 1' before '.i' and '.o'"),
        (".i 2\n.o 1\n.mv 3\n", r"bad\.pla:3: unsupported PLA directive '.mv'"),
        (".i 2\n.o 1\n.type r\n", r"bad\.pla:3: '.type' must be one of f, fd, fr, fdr"),
        (".i two\n", r"bad\.pla:1: '.i' needs one number"),
        (".i 2\n.o 1\n.ilb a\n", r"bad\.pla:3: '.ilb' names 1 inputs; there are 2"),
        ("# nothing\n", r"bad\.pla: not a PLA file"),
        (".i 1\n.o 1\n1 1\n.type fr\n", r"bad\.pla:4: '.type' after the first cube"),
        (".i 1\n.o 1\n\u00e9 1\n", r"bad\.pla:3: malformed cube .*input x0 is '\u00e9'"),
        (".i 30\n.o 1\n" + "-" * 30 + " 1\n", r"type fd defines all 2\^30 rows"),
        (
            ".i 30\n.o 1\n.type fr\n" + "-" * 21 + "0" * 9 + " 1\n",
            rf"bad\.pla:4: the cubes expand to more than {MAX_EXPANDED_ROWS} rows; refusing",
        ),
    ],
)
def test_pla_errors(tmp_path: Path, text: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        read_pla(write(tmp_path, "bad.pla", text))


def test_pla_wrong_input_count(tmp_path: Path) -> None:
    path = write(tmp_path, "five.pla", ".i 5\n.o 1\n.type fr\n11111 1\n")
    with pytest.raises(InputError, match="PLA file has 5 inputs; the architecture has 4"):
        parse_function(str(path), 4)


def test_pla_wide_expansion_within_limit(tmp_path: Path) -> None:
    cube = "-" * 10 + "1" * 50
    f = read_pla(write(tmp_path, "w.pla", f".i 60\n.o 1\n.type fr\n{cube} 1\n"))
    assert f.num_rows == 1024 and bool(np.all(f.values == 1))
    assert int(f.rows.min()) == sum(1 << i for i in range(10, 60))


# -- CSV -------------------------------------------------------------------------------------------
def test_csv_header_duplicates_dont_care(tmp_path: Path) -> None:
    text = "x0,x1,y,z\n\n1,1,1,0\n0,1,0,-\n# comment\n1,1,1,\n0,1,,1\n0,0,-,-\n"
    f = parse_function(str(write(tmp_path, "data.csv", text)), 2)
    assert f.rows.tolist() == [2, 3]  # x0 is the first column; row 0 is all don't care
    assert f.values.tolist() == [[0, 1], [1, 0]]
    assert f.name == "data.csv"


def test_csv_without_header_and_semicolons(tmp_path: Path) -> None:
    f = read_csv(write(tmp_path, "s.csv", "1;0;1\n0;0;0\n"), 2)
    assert f.rows.tolist() == [0, 1] and f.values.tolist() == [[0, 1]]
    full = "\n".join(
        f"{x & 1},{x >> 1 & 1},{x >> 2 & 1},{int(x in (3, 5, 6, 7))}" for x in range(8)
    )
    assert parse_function(str(write(tmp_path, "maj.csv", full)), 3) == parse_function("maj", 3)


def test_csv_wide(tmp_path: Path) -> None:
    rows = ["1" * 40 + ",1", "0" * 39 + "1,0"]
    f = read_csv(
        write(
            tmp_path,
            "wide.csv",
            "\n".join(",".join(r.replace(",", "")[:40]) + "," + r[-1] for r in rows),
        ),
        40,
    )
    assert f.rows.tolist() == [2**39, 2**40 - 1] and f.values.tolist() == [[0, 1]]


@pytest.mark.parametrize(
    ("text", "n", "pattern"),
    [
        (
            "a,b,c,d,e\n" + "1,0,1,1,0\n" * 5 + "1,0,1,1\n",
            3,
            r"data\.csv:7: expected 5 columns, got 4",
        ),
        (
            "1,0,1\n0,1,1\n1,0,0\n",
            2,
            r"data\.csv:3: row 10 \(x0 first\) has output 0 = 0, "
            r"but 1 on line 1",
        ),
        ("1,0,1\n", 3, r"data\.csv:1: 3 columns; 3 inputs need at least 4"),
        ("1,2,1\n", 2, r"data\.csv:1: input x1 is '2'"),
        ("x,y,z\n1,0,1\n1,0,q\n", 2, r"data\.csv:3: output 0 \(column 3\) is 'q'"),
        ("x,y,z\n1,0,1\n1,\u00e9,1\n", 2, r"data\.csv:3: input x1 is '\u00e9'"),
        ("x,y,z\n\n", 2, r"data\.csv: no data rows"),
    ],
)
def test_csv_errors(tmp_path: Path, text: str, n: int, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        parse_function(str(write(tmp_path, "data.csv", text)), n)


# -- dispatcher and errors ----------------------------------------------------------------------
def test_base_dir(tmp_path: Path) -> None:
    write(tmp_path, "f.pla", ".i 1\n.o 1\n1 1\n")
    assert parse_function("f.pla", 1, base_dir=tmp_path).to_hex() == "2"


@pytest.mark.parametrize(
    ("text", "n", "pattern"),
    [
        (
            "x0 & x7",
            3,
            r"unknown variable 'x7' at position 6; with 3 inputs the variables are "
            r"x0\.\.x2",
        ),
        ("x0 & y", 3, r"unknown variable 'y' at position 6"),
        ("(x0 & x1", 2, r"unbalanced parentheses: '\(' at position 1 is never closed"),
        ("x0 & x1)", 2, r"unbalanced parentheses: '\)' at position 8 has no matching"),
        ("x0 x1", 2, r"unexpected 'x1' at position 4 after a complete expression"),
        ("x0 &", 2, r"expected a variable, constant, '~' or '\(' at position 5, got the end"),
        ("x0 + x1", 2, r"unexpected character '\+' at position 4 \(write '\|'\)"),
        ("x0 & 2", 2, r"unexpected number '2' at position 6"),
        ("   ", 2, r"empty function"),
        ("x0,,x1", 2, r"output 1 of 'x0,,x1' is empty"),
        ("e8", 2, r"hex truth table 'e8' has 2 digits; 2 inputs need 1"),
        ("e8,6", 3, r"hex truth table '6' has 1 digits; 3 inputs need 2"),
        ("1", 3, r"has 1 digits; 3 inputs need 2; for a constant function write const0"),
        (
            "majorty",
            3,
            r"unknown function 'majorty': not a family \(known: const0, const1, and, "
            r"or, xor \(parity\).*comparison \(gt\)\)",
        ),
        ("foo:2", 3, r"unknown function family 'foo'; known families: const0, .*majority \(maj\)"),
        (
            "ip",
            3,
            r"family 'inner-product' needs an even, positive number of inputs; the "
            r"architecture has 3",
        ),
        ("equality", 5, r"family 'equality' needs an even"),
        ("threshold:4", 3, r"family 'threshold:4': K = 4 is out of range 0\.\.3"),
        ("exactly", 3, r"family 'exactly' needs a parameter"),
        ("and:2", 3, r"family 'and' takes no parameter"),
        ("e8", 25, r"n = 25 is too large for a full truth table .* PLA or CSV"),
        ("maj", 25, r"n = 25 is too large for a full truth table"),
        ("x0 & x1", 21, r"n = 21 is too large"),
        ("missing.pla", 3, r"cannot read '.*missing\.pla'"),
        ("missing.csv", 3, r"cannot read '.*missing\.csv'"),
        (
            "notes.txt",
            3,
            r"cannot read 'notes\.txt': no such file \(function files end in \.pla, "
            r"\.csv, \.blif, \.aag or \.aig\)",
        ),
    ],
)
def test_errors(text: str, n: int, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as info:
        parse_function(text, n)
    assert "\n" not in str(info.value)


def test_existing_file_with_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "f.txt", "1 1\n")
    with pytest.raises(InputError, match=r"cannot tell the format of .*f\.txt"):
        parse_function(str(path), 1)


def test_deep_nesting_is_an_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        parse_function("(" * 2000 + "x0" + ")" * 2000, 1)
    assert parse_function("(" * 50 + "x0" + ")" * 50, 1).to_hex() == "2"


# -- the reader table -----------------------------------------------------------------------------
def random_function(rng: random.Random, n: int, m: int, partial: bool) -> BooleanFunction:
    """A random table; with partial, some rows are left out and some outputs are free."""
    rows = [r for r in range(2**n) if not partial or rng.random() < 0.7] or [0]
    values = [[rng.choice((0, 1, DONT_CARE) if partial else (0, 1)) for _ in rows] for _ in range(m)]
    for k in range(len(rows)):  # every kept row is a care row of some output
        if all(v[k] == DONT_CARE for v in values):
            values[0][k] = rng.randrange(2)
    return BooleanFunction(n, np.array(rows, dtype=np.uint64), np.array(values, dtype=np.int8))


def as_dnf(f: BooleanFunction) -> str:
    """f as expressions: per output the OR of its minterms (x0 & ~x0 when it has none)."""
    def minterm(row: int) -> str:
        return " & ".join(f"x{i}" if (row >> i) & 1 else f"~x{i}" for i in range(f.n))
    return ", ".join(" | ".join(f"({minterm(int(r))})" for r in f.rows[v == 1]) or "x0 & ~x0"
                     for v in f.values)


def pla_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    f = random_function(rng, 3, 2, partial=True)
    write_pla(f, tmp_path / "f.pla")
    return str(tmp_path / "f.pla"), f


def csv_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    f = random_function(rng, 3, 2, partial=True)
    lines = ["a,b,c,y0,y1"] + [
        ",".join([*(str((int(r) >> i) & 1) for i in range(f.n)),
                  *("-" if v[k] == DONT_CARE else str(v[k]) for v in f.values)])
        for k, r in enumerate(f.rows)]
    return str(write(tmp_path, "f.csv", "\n".join(lines) + "\n")), f


def family_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    k = rng.randint(0, 4)
    return f"threshold:{k}", BooleanFunction.from_truth_tables(
        4, [sum(v << x for x, v in enumerate(table(4, lambda b: sum(b) >= k)))])


def hex_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    f = random_function(rng, 3, 2, partial=False)
    return f.to_hex(), f


def expressions_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    f = random_function(rng, 3, 2, partial=False)
    return as_dnf(f), f


def blif_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    """Per output a cover of its minterms: the on-set, or the off-set with output column 0."""
    f = random_function(rng, 3, 2, partial=False)
    lines = [".model f", ".inputs a b c", ".outputs y0 y1"]
    for j, v in enumerate(f.values):
        value = rng.randrange(2)
        lines.append(f".names a b c y{j}")
        lines += ["".join(str((int(r) >> i) & 1) for i in range(3)) + f" {value}"
                  for r in f.rows[v == value]]
    return str(write(tmp_path, "f.blif", "\n".join([*lines, ".end"]) + "\n")), f


def aiger_example(tmp_path: Path, rng: random.Random) -> tuple[str, BooleanFunction]:
    """Per output the OR of its minterms as AND gates (ASCII or binary, by a coin)."""
    f = random_function(rng, 3, 2, partial=False)
    ands: list[tuple[int, int]] = []

    def gate(a: int, b: int) -> int:
        ands.append((a, b))
        return 2 * (3 + len(ands))

    outputs = []
    for v in f.values:
        nor = 1  # NOT of the OR so far: starts at constant 1
        for r in f.rows[v == 1]:
            minterm = 1
            for i in range(3):
                minterm = gate(minterm, 2 * (i + 1) + (1 - ((int(r) >> i) & 1)))
            nor = gate(nor, minterm ^ 1)
        outputs.append(nor ^ 1)
    header = f"{3 + len(ands)} 3 0 2 {len(ands)}"
    if rng.randrange(2):
        text = "\n".join([f"aag {header}", "2", "4", "6", *map(str, outputs),
                          *(f"{2 * (4 + k)} {a} {b}" for k, (a, b) in enumerate(ands)), "c", "x"])
        return str(write(tmp_path, "f.aag", text + "\n")), f
    data = bytearray(f"aig {header}\n{outputs[0]}\n{outputs[1]}\n".encode())
    for k, (a, b) in enumerate(ands):
        high, low = max(a, b), min(a, b)
        for delta in (2 * (4 + k) - high, high - low):
            while delta >= 0x80:
                data.append(delta & 0x7F | 0x80)
                delta >>= 7
            data.append(delta)
    (tmp_path / "f.aig").write_bytes(bytes(data))
    return str(tmp_path / "f.aig"), f


#: For each reader, FUNCTION text in its format and the function it describes.
EXAMPLES = {"pla": pla_example, "csv": csv_example, "blif": blif_example, "aiger": aiger_example,
            "family": family_example, "hex": hex_example, "expressions": expressions_example}


def test_reader_table_entries() -> None:
    assert [r.name for r in READERS] == list(EXAMPLES)  # every reader has an example below
    suffixes = [s for r in READERS for s in r.suffixes]
    assert len(suffixes) == len(set(suffixes)) and all(s == s.lower() for s in suffixes)
    for reader in READERS:
        assert reader.kind in ("table", "circuit")
        assert (reader.kind == "circuit") == (reader.circuit is not None)
        assert bool(reader.suffixes) != (reader.pattern is not None)  # a file or a text format
        for suffix in reader.suffixes:
            assert suffix.startswith(".") and len(suffix) > 1
            assert reader_for(f"dir/f{suffix}") is reader is reader_for(Path(f"F{suffix.upper()}"))
    last = [r for r in READERS if r.pattern is not None][-1]
    assert last.pattern.fullmatch("any text ~!@ at all,\n")  # text that fits nothing reaches it
    assert reader_for("f.txt") is None and reader_for("x0 & x1") is None


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_reader_round_trips(tmp_path: Path, name: str, seed: int) -> None:
    [reader] = [r for r in READERS if r.name == name]
    text, f = EXAMPLES[name](tmp_path, random.Random(seed))
    assert reader_for(text) is (reader if reader.suffixes else None)
    if reader.pattern is not None:
        assert reader.pattern.fullmatch(text)
    assert reader.table(text, f.n) == f
    assert parse_function(text, f.n) == f
    if reader.circuit is not None:
        assert parse_circuit(text, f.n).to_function() == f
    if reader.inputs is not None:
        assert inputs_of(text) == f.n


def test_reader_for_is_the_one_place_for_suffixes(tmp_path: Path) -> None:
    """An unknown suffix is the same error from check, counterexample and a suite; a known
    one (any case) is a missing file for the suite and is read as rows by the counterexample."""
    path = str(write(tmp_path, "f.txt", "1 1\n"))
    message = (f"cannot tell the format of '{path}' from its extension; function files end in "
               ".pla, .csv, .blif, .aag or .aig")
    with pytest.raises(InputError) as from_check:
        check(path, "3-1")
    net = Network(Architecture.parse("3-1"), ((1, 1, 1),), (-2,))
    with pytest.raises(InputError) as from_counterexample:
        find_counterexamples(net, path)
    line = json.dumps({"id": "t", "function": path, "arch": "3-1"})
    inst = parse_instance(line, "s", tmp_path)
    assert not inst.error
    record = solve_instance(inst, "sat", 10.0)
    assert str(from_check.value) == message == record["reason"]
    assert str(from_counterexample.value) == f"the network has 3 input(s): {message}"
    for function, error in (("gone.PLA", "missing file 'gone.PLA' (function)"), ("gone.txt", "")):
        line = json.dumps({"id": "t", "function": function, "arch": "3-1"})
        assert parse_instance(line, "s", tmp_path).error == error
    wide = Network(Architecture.parse("24-1"), ((1,) * 24,), (-1,))  # OR of 24 inputs
    pla = write(tmp_path, "w.PLA", f".i 24\n.o 1\n.type fr\n{'0' * 24} 1\n")
    r = find_counterexamples(wide, str(pla))
    assert (r.method, r.rows) == ("evaluate", [0])
    with pytest.raises(InputError, match="the SAT miter needs the function as a circuit"):
        find_counterexamples(wide, str(pla), method="sat")


# -- huge numbers in FUNCTION text: one clean line, never int() on thousands of digits ----------
BIG = "1" + "0" * 4400  # past Python's 4300-digit limit for int(str)


@pytest.mark.parametrize(
    ("text", "n", "pattern"),
    [
        ("threshold:" + BIG, 3, r"family 'threshold': parameter: 1000000000\.\.\. has 4401 digits"),
        ("family:exactly:" + BIG, 3, r"has 4401 digits"),
        ("threshold:" + "9" * 50, 3, r"K = 9+ is out of range 0\.\.3"),
        ("threshold:2x" + "0" * 5000, 3, r"parameter '2x0+\.\.\.' is not an integer"),
        ("x" + BIG, 3, r"unknown variable 'x1000000000000000\.\.\.' at position 1"),
        ("x0 & x" + "0" * 5000 + "5", 3, r"unknown variable 'x0000"),
        ("x0 & " + BIG, 3, r"unexpected number '1000000000000000\d\.\.\.' at position 6"),
        ("x64", 3, r"unknown variable 'x64'"),
    ],
    ids=lambda v: v[:24] if isinstance(v, str) else str(v),
)
def test_huge_numbers_in_text_are_one_line_errors(text: str, n: int, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as info:
        parse_function(text, n)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_variable_indices_stop_at_max_inputs() -> None:
    """x63 is the last variable any function can have, with or without a known n."""
    assert str(parse_expression("x63 & x0")) == "x63 & x0"
    assert parse_expression("x007") == parse_expression("x" + "0" * 5000 + "7") == Var(7)
    for text in ("x64", "x" + BIG, "x99999999999999999999"):
        with pytest.raises(InputError, match="variables are x0 .. x63"):
            parse_expression(text)
        with pytest.raises(InputError, match="unknown variable"):
            parse_circuit(f"x0 & {text}", 64)
    assert parse_circuit("x63", 64).outputs == (2 * 64,)  # the literal of input 63


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (f".i {BIG}\n.o 1\n.e\n", r"bad\.pla:1: '\.i' needs one number from 0 to 64, not '1000"),
        (f".i 2\n.o {BIG}\n.e\n", r"bad\.pla:2: '\.o' needs one number from 1 to 1000000"),
        (f".i 2\n.o 1\n.p {BIG}\n11 1\n.e\n", r"bad\.pla:3: '\.p' needs one number"),
        (".i 65\n.o 1\n.e\n", r"'\.i' needs one number from 0 to 64, not '65'"),
        (".i \u00b2\n.o 1\n.e\n", r"'\.i' needs one number from 0 to 64, not '\u00b2'"),  # a digit to isdigit
        (".i -1\n.o 1\n.e\n", r"'\.i' needs one number"),
        (".i\n.o 1\n.e\n", r"bad\.pla:1: '\.i' needs one number from 0 to 64$"),
    ],
    ids=lambda v: v[:24],
)
def test_pla_counts_are_bounded_before_conversion(tmp_path: Path, text: str, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as info:
        read_pla(write(tmp_path, "bad.pla", text))
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_pla_counts_may_have_leading_zeros(tmp_path: Path) -> None:
    f = read_pla(write(tmp_path, "z.pla", ".i 0" + "0" * 5000 + "2\n.o 01\n11 1\n.e\n"))
    assert (f.n, f.m, f.to_hex()) == (2, 1, "8")


# -- multi-output text: every output read on its own, a family anywhere in the list -------------
ONE_OUTPUT = ["threshold:2", "exactly:1", "family:threshold:3", "family:xor", "maj", "parity",
              "and", "const1", "x0 & x1", "~x2 | x0", "x0 ^ x1 ^ x2"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(ONE_OUTPUT), min_size=2, max_size=4),
       st.sampled_from([",", ", ", " , "]))
def test_a_list_is_its_outputs_in_order(parts: list[str], comma: str) -> None:
    """Output j of "a, b, ..." is the function of part j alone, whatever kind each part is."""
    f = parse_function(comma.join(parts), 3)
    assert f.m == len(parts)
    for j, part in enumerate(parts):
        assert f.values[j].tolist() == parse_function(part, 3).values[0].tolist(), part


def test_a_family_with_a_parameter_may_come_first() -> None:
    assert parse_function("threshold:2, parity", 3).to_hex() == "e8,96"
    assert parse_function("parity, threshold:2", 3).to_hex() == "96,e8"
    assert parse_function("family:exactly:1,x0", 3).to_hex() == "16,aa"
    with pytest.raises(InputError, match="family 'threshold:4': K = 4 is out of range"):
        parse_function("x0, threshold:4", 3)


@pytest.mark.parametrize("text", ["1", "0", "6", "e8", "x0, 1", "1, x0", "maj", "const1",
                                  "x0 ^ x1", "x0, ~x1", "threshold:1", "and, x0"])
def test_a_text_means_one_function_as_table_and_as_circuit(text: str) -> None:
    """The SAT miter's circuit and the evaluator's table come from the same reader: "1" was
    the hex table 0001 for one and the constant 1 for the other."""
    n = 3 if text == "e8" else 2
    try:
        table_ = parse_function(text, n)
    except InputError:
        table_ = None
    try:
        circuit = parse_circuit(text, n)
    except InputError:
        return  # no circuit: the miter refuses the text, it does not read it otherwise
    assert table_ is not None and circuit.to_function() == table_


def test_hex_one_is_a_table_for_the_sat_miter_too() -> None:
    net = Network(Architecture.parse("2-1"), ((-1, -1),), (0,))  # NOR2: the hex table 1
    assert find_counterexamples(net, "1").status.value == "equivalent"
    with pytest.raises(InputError, match="'1' is not one"):
        find_counterexamples(net, "1", method="sat")
    assert find_counterexamples(net, "~x0 & ~x1", method="sat").status.value == "equivalent"
