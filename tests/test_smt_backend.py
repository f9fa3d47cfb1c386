"""Tests of the SMT backend (realize.encodings.smt): integer (exact, bounded) and real mode."""

from __future__ import annotations

import time

import numpy as np
import pytest
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realize.backends.smt import run_z3, solve_smt
from realize.encodings.smt import build_smt
from realize.options import Deadline
from realize.results import Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness

EXACT = Bounds()
REAL = Bounds(real=True)
MODES = [pytest.param(EXACT, id="int"), pytest.param(REAL, id="real")]


def decide(f: BooleanFunction, arch: Architecture, bounds: Bounds, **kw) -> Status:
    """Solve, verify any witness under the same bounds, return the status."""
    d = solve_smt(f, arch, bounds, **kw)
    assert d.status is not Status.UNKNOWN
    if d.status is Status.REALIZABLE:
        assert d.network is not None
        verify_witness(d.network, f, bounds)
        assert all(isinstance(x, int) for w in d.network.weights for x in w)
    else:
        assert d.network is None
    return d.status


def fn(text: str, n: int) -> BooleanFunction:
    return BooleanFunction.from_hex(text, n)


R, U = Status.REALIZABLE, Status.UNREALIZABLE


@pytest.mark.parametrize("bounds", MODES)
@pytest.mark.parametrize(
    ("text", "n", "arch", "expected"),
    [
        ("6", 2, "2-1", U),        # XOR2 is no threshold function
        ("6", 2, "2-2-1", R),
        ("e8", 3, "3-1", R),       # MAJ3
        ("a8", 3, "3-1", R),       # x0 & (x1 | x2) = [2x0 + x1 + x2 >= 3]
        ("96", 3, "3-2-1", U),     # XOR3
        ("96", 3, "3-3-1", R),
        ("8,e", 2, "2-2", R),      # AND and OR side by side
        ("6,8", 2, "2-2", U),      # XOR as an output unit of a single layer
    ],
)
def test_known_answers(text, n, arch, expected, bounds):
    assert decide(fn(text, n), Architecture.parse(arch), bounds) is expected


@pytest.mark.parametrize("symmetry", [True, False])
def test_symmetry_flag_keeps_answers(symmetry):
    assert decide(fn("96", 3), Architecture.parse("3-2-1"), EXACT, symmetry=symmetry) is U
    assert decide(fn("96", 3), Architecture.parse("3-3-1"), EXACT, symmetry=symmetry) is R


def test_weight_bound_changes_answer():
    f, arch = fn("a8", 3), Architecture.parse("3-1")
    assert decide(f, arch, EXACT) is R
    assert decide(f, arch, Bounds(max_weight=1)) is U
    assert decide(f, arch, Bounds(max_weight=2)) is R


def test_max_bias_is_respected():
    # AND3 needs bias -3 with weights 1 (and |b| >= |w| * 2 + 1 in general)
    f, arch = fn("80", 3), Architecture.parse("3-1")
    assert decide(f, arch, Bounds(max_weight=5, max_bias=2)) is U
    assert decide(f, arch, Bounds(max_weight=5, max_bias=3)) is R


@pytest.mark.parametrize("bounds", [Bounds(nonneg=True), Bounds(real=True, nonneg=True)])
def test_nonneg_weights_only_monotone(bounds):
    assert decide(fn("6", 2), Architecture.parse("2-2-1"), bounds) is U
    assert decide(fn("e8", 3), Architecture.parse("3-1"), bounds) is R
    assert decide(fn("1", 2), Architecture.parse("2-1"), bounds) is U        # NOR
    d = solve_smt(fn("e8", 3), Architecture.parse("3-1"), bounds)
    assert all(x >= 0 for w in d.network.weights for x in w)


@pytest.mark.parametrize("bounds", MODES)
def test_skip_connections(bounds):
    arch = Architecture.parse("2-1-1", skip=True)
    assert decide(fn("6", 2), arch, bounds) is R
    assert decide(fn("96", 3), Architecture.parse("3-1-1", skip=True), bounds) is R
    assert decide(fn("6996", 4), Architecture.parse("4-1-1", skip=True), bounds) is U


@pytest.mark.parametrize("bounds", MODES)
def test_dag_architecture(bounds):
    # h = AND(x0, x1) feeds y together with both inputs: XOR2 = x0 + x1 - 2h >= 1
    arch = Architecture.from_dict(
        {"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["x0", "x1", "h"]}}
    )
    assert decide(fn("6", 2), arch, bounds) is R
    # y reads only x0 and h: it cannot distinguish rows 1 and 3 unless h does
    narrow = Architecture.from_dict({"inputs": 2, "units": {"h": ["x1"], "y": ["x0", "h"]}})
    assert decide(fn("6", 2), narrow, bounds) is U
    assert decide(fn("8", 2), narrow, bounds) is R


def test_output_unit_read_by_another_unit():
    # output a = x0 OR x1 is also read by output b; b = XOR needs more than a alone
    arch = Architecture.from_dict(
        {"inputs": 2, "units": {"a": ["x0", "x1"], "b": ["x0", "x1", "a"]}, "outputs": ["a", "b"]}
    )
    assert decide(fn("e,6", 2), arch, EXACT) is R
    assert decide(fn("e,6", 2), arch, REAL) is R
    assert decide(fn("0,6", 2), arch, EXACT) is U      # a constant 0 gives b nothing
    # a free output a on every row still helps b
    f = BooleanFunction(2, np.arange(4, dtype=np.uint64), np.array([[-1] * 4, [0, 1, 1, 0]]))
    assert decide(f, arch, EXACT) is R


def test_same_unit_listed_twice_as_output():
    arch = Architecture.from_dict(
        {"inputs": 2, "units": {"y": ["x0", "x1"]}, "outputs": ["y", "y"]}
    )
    assert decide(fn("8,8", 2), arch, EXACT) is R
    assert decide(fn("8,e", 2), arch, EXACT) is U


def test_unit_without_inputs():
    arch = Architecture.from_dict({"inputs": 2, "units": {"y": []}})
    assert decide(fn("f", 2), arch, EXACT) is R
    assert decide(fn("0", 2), arch, REAL) is R
    assert decide(fn("8", 2), arch, EXACT) is U


@pytest.mark.parametrize("bounds", MODES)
def test_partial_function(bounds):
    xor = fn("6", 2)
    arch = Architecture.parse("2-1")
    assert decide(xor, arch, bounds) is U
    assert decide(xor.subset([0, 1, 2]), arch, bounds) is R     # OR agrees there
    assert decide(xor.subset([1, 2, 3]), arch, bounds) is R     # NAND agrees there
    # XOR3 on 3-2-1 becomes realizable once a row is free
    assert decide(fn("96", 3).subset(range(7)), Architecture.parse("3-2-1"), bounds) is R


def test_dont_care_outputs():
    # output 1 is free where output 0 is XOR-like; each output alone is a threshold function
    values = np.array([[0, 1, 1, -1], [-1, 1, 1, 0]], dtype=np.int8)
    f = BooleanFunction(2, np.arange(4, dtype=np.uint64), values)
    assert decide(f, Architecture.parse("2-2"), EXACT) is R
    assert decide(f, Architecture.parse("2-2"), REAL) is R


def test_symmetry_orders_hidden_columns():
    f, arch = fn("96", 3), Architecture.parse("3-3-1")
    enc = build_smt(f, arch, EXACT, symmetry=True)
    assert enc.stats["symmetry_pairs"] == 2
    d = run_z3(enc)
    assert d.status is R
    verify_witness(d.network, f, EXACT)
    cols = [tuple(int(v) for v in c) for c in d.network.unit_values(f.rows)[:3]]
    assert cols == sorted(cols)


@pytest.mark.parametrize("bounds", [Bounds(max_weight=1, max_bias=0), Bounds(real=True)])
def test_symmetry_allows_equal_columns(bounds):
    # With max_bias = 0 both input-less hidden units are the constant 1: equal columns are forced,
    # so a strict order would (wrongly) make this unrealizable. y = [x0 - h0 >= 0] = x0.
    arch = Architecture.from_dict(
        {"inputs": 1, "units": {"h0": [], "h1": [], "y": ["x0", "h0", "h1"]}}
    )
    assert arch.interchangeable_groups() == [[0, 1]]
    assert decide(fn("2", 1), arch, bounds, symmetry=True) is R


def test_real_mode_scales_to_integers():
    # real models are rationals; decode must scale per unit and keep the function
    for text in ("e8", "a8", "80", "fe", "17"):
        d = solve_smt(fn(text, 3), Architecture.parse("3-1"), REAL)
        assert d.status is R
        verify_witness(d.network, fn(text, 3), REAL)


def test_rlimit_gives_unknown():
    d = solve_smt(fn("96", 3), Architecture.parse("3-2-1"), EXACT, rlimit=1)
    assert d.status is Status.UNKNOWN
    assert d.network is None
    assert d.stats.extra["z3_result"] == "unknown"


def test_timeout_is_respected():
    # XOR5 on 5-4-1 (unrealizable) takes z3 far longer than this timeout
    start = time.perf_counter()
    d = solve_smt(fn("69969669", 5), Architecture.parse("5-4-1"), EXACT, deadline=Deadline.after(0.3))
    assert time.perf_counter() - start < 1.5
    assert d.status in (Status.UNKNOWN, Status.UNREALIZABLE)
    assert d.stats.clauses > 0 and "z3_result" in d.stats.extra and d.stats.time_s < 1.5


def test_mismatched_sizes_rejected():
    with pytest.raises(ValueError):
        build_smt(fn("6", 2), Architecture.parse("3-1"), EXACT)


@pytest.mark.parametrize("bounds", [EXACT, REAL, Bounds(max_weight=1, nonneg=True)])
@pytest.mark.parametrize(
    ("text", "n", "arch"),
    [("96", 3, "3-2-1"), ("96", 3, "3-3-1"), ("6", 2, "2-1-1"), ("8,e", 2, "2-2")],
)
def test_smt2_export_roundtrip(text, n, arch, bounds):
    f = fn(text, n)
    a = Architecture.parse(arch, skip=arch == "2-1-1")
    enc = build_smt(f, a, bounds)
    smt2 = enc.to_smt2()
    assert smt2.rstrip().endswith("(check-sat)")
    assert f"(set-logic {'QF_LRA' if bounds.real else 'QF_LIA'})" in smt2
    solver = z3.Solver()
    solver.add(z3.parse_smt2_string(smt2))
    exported = solver.check()
    expected = solve_smt(f, a, bounds).status
    assert exported == (z3.sat if expected is R else z3.unsat)
    if exported == z3.sat:
        # parsed into the encoding's own context, the names are the encoding's variables
        again = z3.Solver(ctx=enc.ctx)
        again.add(z3.parse_smt2_string(smt2, ctx=enc.ctx))
        assert again.check() == z3.sat
        verify_witness(enc.decode(again.model()), f, bounds)


# -- property: exact integer mode and real mode agree (the theorem behind exact mode) ----------
ARCHS = {2: ["2-1", "2-2-1"], 3: ["3-1", "3-2-1"]}


@st.composite
def instances(draw):
    n = draw(st.sampled_from([2, 3]))
    table = draw(st.integers(0, 2 ** (2**n) - 1))
    arch = draw(st.sampled_from(ARCHS[n]))
    symmetry = draw(st.booleans())
    return BooleanFunction.from_truth_tables(n, [table]), Architecture.parse(arch), symmetry


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_exact_and_real_mode_agree(instance):
    # symmetry breaking on one side only, so that it is checked against the plain encoding too
    f, arch, symmetry = instance
    exact = decide(f, arch, EXACT, symmetry=symmetry)
    real = decide(f, arch, REAL, symmetry=not symmetry)
    assert exact is real
