"""Functions as circuits: BLIF and AIGER readers, standard input, the miter, and `check_circuit`
on circuits too wide for a truth table; ABC writes the circuits and judges the witnesses."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize.apps.circuit_check import check_circuit, wide_circuit
from realize.errors import InputError, UnsupportedError
from realize.explain.counterexample import find_counterexamples
from realize.options import Deadline, DeadlineExpired
from realize.readers.circuits import read_aiger
from realize.readers.expressions import expressions_circuit, parse_expressions, read_expressions
from realize.readers.formats import write_pla
from realize.readers.registry import inputs_of, parse_circuit, parse_function
from realize.readers.stdin import sniff
from realize.spec.architecture import Architecture
from realize.spec.circuits import Circuit, CircuitBuilder, Gate
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network
from realize.writers.registry import WRITERS
from tests.test_export import ABC, NETWORKS, abc, needs_abc
from tests.test_function_input import random_function

ROOT = Path(__file__).resolve().parent.parent


def writer(name: str):
    return next(w for w in WRITERS if w.name == name)


# -- the circuit and its builder ------------------------------------------------------------------
def test_builder_folds_constants_and_shares_equal_gates() -> None:
    b = CircuitBuilder(3)
    x0, x1, x2 = (b.input(i) for i in range(3))
    assert b.gate("and", [x0, 0]) == 0 and b.gate("or", [x0, 1]) == 1
    assert b.gate("and", [x0, x0 ^ 1]) == 0 and b.gate("or", [x1, x1 ^ 1]) == 1
    assert b.gate("xor", [x0, x0]) == 0 and b.gate("xor", [x0, 1]) == x0 ^ 1
    g = b.gate("and", [x0, x1])
    assert b.gate("and", [x1, x0, 1]) == g and len(b.gates) == 1
    assert b.gate("xor", [x2 ^ 1, x1]) == b.gate("xor", [x1, x2]) ^ 1


def test_a_gate_may_only_read_what_is_defined_before_it() -> None:
    with pytest.raises(ValueError, match="not defined before it"):
        Circuit(1, (Gate("and", (2, 6)),), (4,))
    with pytest.raises(InputError, match="at least one output"):
        Circuit(1, (), ())


EXPRESSION = st.recursive(
    st.sampled_from(["x0", "x1", "x2", "x3", "0", "1"]),
    lambda inner: st.one_of(
        inner.map(lambda e: f"~{e}"),
        st.tuples(inner, st.sampled_from(["&", "|", "^"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(EXPRESSION, min_size=1, max_size=3))
def test_circuits_of_expressions_evaluate_as_the_expressions(exprs: list[str]) -> None:
    text = ", ".join(exprs)
    circuit = expressions_circuit(parse_expressions(text, 4), 4)
    assert circuit.to_function() == read_expressions(text, 4)


# -- BLIF and AIGER: the package's own witnesses round-trip, ABC's circuits read as their tables ---
@pytest.mark.parametrize("name", NETWORKS)
def test_exported_witnesses_read_back_as_their_function(name: str, tmp_path: Path) -> None:
    net = NETWORKS[name]
    for fmt in ("blif", "aiger", "aig"):
        path = tmp_path / f"net{writer(fmt).suffix}"
        writer(fmt).save(net, path)
        assert parse_function(str(path), net.arch.n_inputs) == net.function(), fmt
        assert inputs_of(str(path)) == net.arch.n_inputs


@needs_abc
@pytest.mark.parametrize("seed", range(4))
def test_circuits_written_by_abc_read_as_their_tables(seed: int, tmp_path: Path) -> None:
    """ABC reads a PLA and writes it back as an AIG, a strashed BLIF, a collapsed BLIF (SOP
    covers) and a rewritten one; each reads as the PLA's table."""
    f = random_function(random.Random(seed), 5, 2, partial=False)
    write_pla(f, tmp_path / "f.pla")
    abc("read f.pla; strash; write_aiger f.aig; write_blif s.blif; dc2; write_blif d.blif; "
        "read f.pla; collapse; write_blif c.blif", tmp_path)
    for name in ("f.aig", "s.blif", "d.blif", "c.blif"):
        assert parse_function(str(tmp_path / name), 5) == f, name


def test_off_set_covers_constants_and_continuations(tmp_path: Path) -> None:
    text = ("# a comment\n.model m\n.inputs a b \\\n c\n.outputs y z one\n"
            ".names t c y\n11 1\n.names a b t\n00 0\n.names z\n.names one\n1\n.area 3\n.end\n")
    path = tmp_path / "m.blif"
    path.write_text(text)
    f = parse_function(str(path), 3)  # t = a | b (off-set 00), y = t & c, z = 0, one = 1
    rows = range(8)
    want = [[int(((r & 1) | (r >> 1 & 1)) and r >> 2 & 1) for r in rows], [0] * 8, [1] * 8]
    assert f.values.tolist() == want


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (".model m\n.inputs a\n.outputs y\n.latch a y 0\n.end\n", r"m\.blif:4: \.latch: a sequential"),
        (".model m\n.inputs a\n.outputs y\n.subckt g x=a y=y\n", r"m\.blif:4: \.subckt: hierarchical"),
        (".model m\n.inputs a\n.outputs y\n.names a t y\n11 1\n", r"signal 't' is used but never defined"),
        (".model m\n.inputs a\n.outputs y\n.names y a y\n11 1\n", r"m\.blif:4: signal 'y' depends on itself"),
        (".model m\n.inputs a\n.outputs y\n.names a y\n1 1\n0 0\n", r"mixes on-set \(1\) and off-set"),
        (".model m\n.inputs a\n.outputs y\n.names a y\n12 1\n", r"m\.blif:5: '12 1' is not a cube of 1"),
        (".model m\n.inputs a\n.outputs y\n.names a y\n1 1\n.names a y\n0 1\n",
         r"m\.blif:6: signal 'y' is defined twice"),
        (".model m\n.inputs a a\n.outputs y\n.names a y\n1 1\n", r"input 'a' is listed twice"),
        (".model m\n.inputs a\n.names a y\n1 1\n", r"no \.outputs"),
        ("1 1\n", r"m\.blif:1: a cube outside \.names"),
        (".model m\n.inputs a\n.outputs y\n.frob\n", r"unknown BLIF command '\.frob'"),
    ],
)
def test_blif_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.blif"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        parse_function(str(path), 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"aag 1 0 1 1 0\n2 3\n2\n", r"1 latch\(es\): a sequential circuit"),
        (b"aag 3 2 0 1 1 1\n2\n4\n6\n6 2 4\n7\n", r"bad, constraint, justice or fairness"),
        (b"aig 3 2 0 1 1\n6\n", r"the binary AND section ends early"),
        (b"aag 2 1 0 1 0\n2\n9\n", r"literal 9 is beyond 2M \+ 1 = 5"),
        (b"aag 3 1 0 1 1\n2\n6\n6 2 4\n", r"variable 2 is used but never defined"),
        (b"aag 3 1 0 1 2\n2\n4\n4 2 6\n6 2 4\n", r"variable 2 depends on itself"),
        (b"aag x\n", r"must hold numbers"),
        (b"aag 1 1 0 1 0\n2\n", r"the file ends early"),
        (b"aag 2 1 0 1 1\n2\n4\n3 2 2\n", r"AND gate 0: 3 is not a fresh positive literal"),
    ],
)
def test_aiger_errors_name_the_problem(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "c.aag"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as err:
        read_aiger(path)
    assert str(err.value).startswith(str(path))


def test_ascii_aiger_gates_may_come_in_any_order(tmp_path: Path) -> None:
    text = "aag 4 2 0 1 2\n2\n4\n9\n8 6 2\n6 2 4\ni0 a\no0 y\nc\nwhatever\n"  # y = ~(x0 & x0 & x1)
    assert read_aiger(io.BytesIO(text.encode())).to_function().to_hex() == "7"


def test_a_wide_circuit_is_no_table_but_says_where_to_take_it(tmp_path: Path) -> None:
    path = tmp_path / "w.blif"
    path.write_text(f".model w\n.inputs {' '.join(f'a{i}' for i in range(21))}\n.outputs y\n"
                    ".names a0 a20 y\n11 1\n.end\n")
    with pytest.raises(InputError, match="has 21 inputs: a truth table holds at most 20; `check`"):
        parse_function(str(path), 21)
    assert parse_circuit(str(path), 21).n == 21 == inputs_of(str(path))


# -- standard input -------------------------------------------------------------------------------
def run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "realize", *args], input=stdin.decode("latin-1"),
                          capture_output=True, text=True, timeout=120, encoding="latin-1")


def aig_bytes(tmp_path: Path, net: Network) -> bytes:
    writer("aig").save(net, tmp_path / "n.aig")
    return (tmp_path / "n.aig").read_bytes()


def test_every_format_comes_through_standard_input(tmp_path: Path) -> None:
    maj = Network(Architecture.parse("3-1"), ((1, 1, 1),), (-2,))
    inputs = {
        "hex": b"e8\n",
        "expressions": b"(x0 & x1) | (x0 & x2) | (x1 & x2)\n",
        "pla": b".i 3\n.o 1\n.type fr\n11- 1\n1-1 1\n-11 1\n00- 0\n0-0 0\n-00 0\n.e\n",
        "csv": b"a,b,c,y\n" + b"".join(f"{r & 1},{r >> 1 & 1},{r >> 2},{int(bin(r).count('1') >= 2)}\n"
                                        .encode() for r in range(8)),
        "blif": writer("blif").render(maj).encode(),
        "aig": aig_bytes(tmp_path, maj),
    }
    for name, data in inputs.items():
        proc = run(["check", "-", "--arch", "3-1", "--json"], data)
        assert proc.returncode == 10, (name, proc.stderr)
        assert json.loads(proc.stdout)["status"] == "realizable", name
    proc = run(["check", "-", "--arch", "3-2-1", "--json"], b"x0 ^ x1 ^ x2")
    assert proc.returncode == 20 and json.loads(proc.stdout)["status"] == "unrealizable"


def test_empty_or_binary_standard_input_is_one_line(tmp_path: Path) -> None:
    for data, message in ((b"  \n", "standard input is empty"),
                          (b"\xff\xfe\x00", "neither text nor AIGER")):
        proc = run(["check", "-", "--arch", "2-1"], data)
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_sniffing_looks_at_the_content() -> None:
    assert [sniff(d) for d in (b"aig 0 0 0 1 0\n0\n", b"# c\n.names a y\n", b".type fr\n",
                                b"1,0\n0,1\n", b"x0 & x1\n")] == ["aiger", "blif", "pla", "csv", "text"]


# -- the miter and check_circuit on wide circuits -------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_the_miter_agrees_with_evaluation_on_heavy_weights(seed: int) -> None:
    """Units with weights in the thousands take the binary sums; the miter finds exactly the
    rows evaluation finds."""
    rng = random.Random(seed)
    n = rng.randint(2, 7)
    weights = tuple(rng.randint(-5000, 5000) for _ in range(n))
    net = Network(Architecture.parse(f"{n}-1"), (weights,), (rng.randint(-9000, 9000),))
    f = random_function(rng, n, 1, partial=False)
    text = ", ".join(" | ".join(f"({' & '.join(f'x{i}' if r >> i & 1 else f'~x{i}' for i in range(n))})"
                                for r in f.rows[v == 1]) or "0" for v in f.values)
    by_sat = find_counterexamples(net, expressions_circuit(parse_expressions(text, n), n),
                                  all_rows=True, method="sat")
    by_eval = find_counterexamples(net, f, all_rows=True)
    assert sorted(by_sat.rows) == by_eval.rows


def wide_blif(n: int, cover: list[str], outputs: int = 1) -> str:
    ins = " ".join(f"a{i}" for i in range(n))
    body = [f".names a0 a5 a{n - 1} y{j}\n" + "\n".join(cover) for j in range(outputs)]
    return f".model wide\n.inputs {ins}\n.outputs {' '.join(f'y{j}' for j in range(outputs))}\n" \
           + "\n".join(body) + "\n.end\n"


def test_check_circuit_finds_a_witness_the_miter_proves_on_every_row(tmp_path: Path) -> None:
    path = tmp_path / "maj.blif"
    path.write_text(wide_blif(24, ["11- 1", "1-1 1", "-11 1"]))  # MAJ of a0, a5, a23
    arch = Architecture.parse("24-1")
    circuit = wide_circuit(str(path), arch)
    result = check_circuit(circuit, arch)
    assert result.status.value == "realizable" and result.verified_by == "miter"
    rows = np.random.default_rng(1).integers(0, 2**24, 20000, dtype=np.uint64)
    assert (result.network.evaluate(rows) == circuit.evaluate(rows)).all()  # a spot check besides
    assert result.to_dict()["verified_by"] == "miter"
    assert "verified on all 2^24 rows by a SAT miter" in str(result)


def test_check_circuit_refutes_on_sampled_rows_with_a_certificate(tmp_path: Path) -> None:
    path = tmp_path / "xor.blif"
    path.write_text(wide_blif(24, ["100 1", "010 1", "001 1", "111 1"]))  # XOR of a0, a5, a23
    circuit = parse_circuit(str(path), 24)
    result = check_circuit(circuit, "24-1", certificate=True)
    assert result.status.value == "unrealizable" and result.certificate.verified
    rows = result.function.rows[result.certificate.positions]
    assert (circuit.evaluate(rows) == result.function.values[:, result.certificate.positions]).all()


def test_time_limits_give_unknown_not_an_answer() -> None:
    circuit = parse_circuit(" ^ ".join(f"x{i}" for i in range(0, 24, 3)), 24)  # parity of 8
    result = check_circuit(circuit, "24-3-1", deadline=Deadline(time.perf_counter()))
    assert result.status.value == "unknown" and result.reason
    net = Network(Architecture.parse("24-1"), ((1,) * 24,), (-1,))
    with pytest.raises(DeadlineExpired):
        find_counterexamples(net, circuit, deadline=Deadline(time.perf_counter()))


def test_check_circuit_refuses_what_does_not_fit() -> None:
    with pytest.raises(InputError, match="the circuit has 24 inputs"):
        check_circuit(parse_circuit("x0 | x23", 24), "25-1")
    with pytest.raises(UnsupportedError, match="--proof needs a truth table"):
        check_circuit(parse_circuit("x0 | x23", 24), "24-1", proof="bundle")
    assert wide_circuit("x0 | x3", Architecture.parse("4-1")) is None  # a table fits


@needs_abc
def test_abc_agrees_with_the_miter_on_a_wide_witness(tmp_path: Path) -> None:
    """A 30-input function written by ABC as an AIG; the witness of `realize check` (exported
    as BLIF) is equivalent to it by ABC's cec, and a corrupted witness is not."""
    cubes = ["1" + "-" * 29 + " 1", "-1" + "-" * 27 + "1 1"]  # x0 | (x1 & x29)
    (tmp_path / "f.pla").write_text(".i 30\n.o 1\n.type f\n" + "\n".join(cubes) + "\n.e\n")
    abc("read f.pla; strash; write_aiger f.aig", tmp_path)
    proc = subprocess.run([sys.executable, "-m", "realize", "check", "f.aig", "--arch", "30-1",
                           "--save", "w.blif", "--json"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 10, proc.stderr
    assert json.loads(proc.stdout)["verified_by"] == "miter"
    assert "Networks are equivalent" in abc("cec -n w.blif f.aig", tmp_path)
    net = Network.from_dict(json.loads(proc.stdout)["network"])
    [w], [b] = net.weights, net.biases  # the complement: every row wrong
    writer("blif").save(Network(net.arch, (tuple(-x for x in w),), (-b - 1,)), tmp_path / "not.blif")
    assert "NOT EQUIVALENT" in abc("cec -n not.blif f.aig", tmp_path)


def test_a_wide_refutation_needs_few_rows() -> None:
    """Counterexamples are cleared of ones before they join the rows (the rows as the miter
    finds them needed thousands here, and ran out of time)."""
    result = check_circuit(parse_circuit("(x0 & x29) | (x1 & x28) | (x0 & x1)", 30), "30-1",
                           timeout=240)
    assert result.status.value == "unrealizable" and result.stats.extra["rows"] < 1000


def test_counterexample_takes_a_wide_circuit_file(tmp_path: Path) -> None:
    path = tmp_path / "maj.blif"
    path.write_text(wide_blif(24, ["11- 1", "1-1 1", "-11 1"]))
    net = Network(Architecture.parse("24-1"), ((1,) + (0,) * 23,), (-1,))  # y = a0
    r = find_counterexamples(net, str(path), limit=3)
    assert r.method == "sat" and r.status.value == "counterexample" and len(r.rows) == 3
    circuit = parse_circuit(str(path), 24)
    got = circuit.evaluate(np.array(r.rows, dtype=np.uint64))
    assert (got != net.evaluate(np.array(r.rows, dtype=np.uint64))).all()


def test_expressions_too_wide_for_a_table_go_to_the_circuit_check() -> None:
    proc = subprocess.run([sys.executable, "-m", "realize", "check", "x0 | x1 | x29",
                           "--arch", "30-1", "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 10, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verified_by"] == "miter" and data["stats"]["stage"] == "circuit-cegis"


def test_a_table_function_file_is_not_a_circuit(tmp_path: Path) -> None:
    f = BooleanFunction(24, np.array([0, 5], dtype=np.uint64), np.array([[0, 1]], dtype=np.int8))
    write_pla(f, tmp_path / "w.pla")
    assert wide_circuit(str(tmp_path / "w.pla"), Architecture.parse("24-1")) is None


def test_abc_is_named_when_present() -> None:
    assert ABC is None or Path(ABC).name in ("berkeley-abc", "abc")


def test_a_suite_checks_wide_circuits_as_circuits(tmp_path: Path) -> None:
    """A BLIF named relative to the suite file and a wide expression: both answered, right."""
    from realize.apps.suite import run_suite

    (tmp_path / "circuits").mkdir()
    (tmp_path / "circuits" / "maj.blif").write_text(wide_blif(24, ["11- 1", "1-1 1", "-11 1"]))
    suite = tmp_path / "circuits" / "wide.jsonl"
    suite.write_text(
        json.dumps({"id": "maj", "function": "maj.blif", "arch": "24-1", "expected": "realizable"})
        + "\n" + json.dumps({"id": "xor", "function": "x0 ^ x23", "arch": "24-1",
                             "expected": "unrealizable"}) + "\n")
    run = run_suite([suite], timeout=120)
    assert [(r["id"], r["category"]) for r in run.records] == [("maj", "correct"), ("xor", "correct")]
    net = Network.from_dict(run.records[0]["network"])
    rows = np.random.default_rng(2).integers(0, 2**24, 5000, dtype=np.uint64)
    assert (net.evaluate(rows) == parse_circuit(str(suite.parent / "maj.blif"), 24).evaluate(rows)).all()
