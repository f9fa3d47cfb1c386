"""realize.check on known facts, agreement of the backends, and brute force on tiny cases."""

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import realize
from realize import Architecture, BooleanFunction, Bounds, Status, check
from realize.backends.registry import ALIASES, BACKENDS, backend_names
from realize.spec.functions import all_rows, input_bits
from tests.bruteforce import computable_tables

#: every name --backend takes: a backend registered later is tested here from the day it is
NAMES = backend_names()


def status(function, arch, **kw):
    return check(function, arch, **kw).status


@pytest.mark.parametrize("backend", NAMES)
@pytest.mark.parametrize("function, arch, expected", [
    ("6", "2-1", Status.UNREALIZABLE),          # XOR2 is not one unit
    ("6", "2-2-1", Status.REALIZABLE),
    ("96", "3-2-1", Status.UNREALIZABLE),       # XOR3 needs 3 hidden units
    ("96", "3-3-1", Status.REALIZABLE),
    ("e8", "3-1", Status.REALIZABLE),           # MAJ3 is one unit
    ("a8", "3-1", Status.REALIZABLE),           # x0 & (x1 | x2)
    ("f888", "4-1", Status.UNREALIZABLE),       # x0x1 v x2x3: monotone, not one unit
    ("6", "2-1-1", Status.UNREALIZABLE),
])
def test_known_facts(function, arch, expected, backend):
    result = check(function, arch, backend=backend)
    assert result.status is expected
    if expected is Status.REALIZABLE:
        assert result.network.evaluate(all_rows(result.function.n)).tolist() == \
            result.function.values.tolist()


@pytest.mark.parametrize("backend", ["sat", "smt"])
def test_weight_bound_changes_the_answer(backend):
    assert status("a8", "3-1", backend=backend, max_weight=1) is Status.UNREALIZABLE
    assert status("a8", "3-1", backend=backend, max_weight=2) is Status.REALIZABLE


@pytest.mark.parametrize("backend", NAMES)
def test_skip_connections_and_multiple_outputs(backend):
    assert status("6", "2-1-1", skip=True, backend=backend) is Status.REALIZABLE
    assert status("8,e", "2-2", backend=backend) is Status.REALIZABLE
    assert status("6,e", "2-2", backend=backend) is Status.UNREALIZABLE
    assert status("6,9", "2-2-2", backend=backend) is Status.REALIZABLE


def test_dag_architecture():
    # y reads a hidden AND gate and the inputs: XOR2 with 2 units
    arch = Architecture.from_dict({"inputs": 2, "units": {"h": ["x0", "x1"],
                                                          "y": ["x0", "x1", "h"]}})
    for backend in NAMES:
        assert status("6", arch, backend=backend) is Status.REALIZABLE
        assert status("96", Architecture.from_dict({"inputs": 3, "units": {
            "h": ["x0", "x1"], "y": ["h", "x2"]}}), backend=backend) is Status.UNREALIZABLE


def test_partial_function_is_easier():
    xor3 = BooleanFunction.from_hex("96", 3)
    assert status(xor3, "3-1") is Status.UNREALIZABLE
    assert status(xor3.subset([0, 1, 2]), "3-1") is Status.REALIZABLE


def threshold_functions(n, **kw):
    digits = max(1, 2**n // 4)
    return [t for t in range(2 ** 2**n)
            if status(format(t, f"0{digits}x"), f"{n}-1", **kw) is Status.REALIZABLE]


def test_counts_of_threshold_functions(known):
    ref = dict(zip(known["threshold_functions"]["n"], known["threshold_functions"]["count"],
                   strict=True))
    assert len(threshold_functions(2)) == ref[2] == 14
    assert len(threshold_functions(3)) == ref[3] == 104
    assert len(threshold_functions(2, backend="smt")) == 14


def monotone_tables(n):
    bits = input_bits(all_rows(n), n).astype(bool)
    below = [(x, y) for x in range(2**n) for y in range(2**n)
             if x != y and np.all(bits[x] <= bits[y])]
    return [t for t in range(2 ** 2**n)
            if all((t >> x) & 1 <= (t >> y) & 1 for x, y in below)]


def test_nonneg_realizes_only_monotone_functions(known):
    ref = known["nonnegative_threshold_functions"]
    counts = dict(zip(ref["n"], ref["count"], strict=True))
    mono3 = set(monotone_tables(3))
    assert set(threshold_functions(3, nonneg=True)) <= mono3
    assert len(threshold_functions(3, nonneg=True)) == counts[3] == 20
    mono4 = monotone_tables(4)
    assert len(mono4) == 168
    realizable = [t for t in mono4 if status(format(t, "04x"), "4-1", nonneg=True)
                  is Status.REALIZABLE]
    assert len(realizable) == counts[4] == 150
    rng = np.random.default_rng(4)
    others = [int(t) for t in rng.integers(0, 2**16, 40) if int(t) not in set(mono4)]
    assert all(status(format(t, "04x"), "4-2-1", nonneg=True) is Status.UNREALIZABLE
               for t in others)


def test_two_hidden_units_compute_every_function_of_two_inputs():
    assert all(status(format(t, "x"), "2-2-1") is Status.REALIZABLE for t in range(16))


@pytest.mark.parametrize("arch, bounds", [
    ("2-1", Bounds()),
    ("3-1", Bounds(max_weight=1)),
    ("2-1-1", Bounds(max_weight=1, max_bias=1)),
    ("2-2-1", Bounds(max_weight=1, max_bias=1)),
    ("2-2", Bounds(max_weight=1)),
    ("2-2-1", Bounds(max_weight=1, nonneg=True)),
    # stated ranges wider than the searched ones (weights cut to W*, biases to the lossless
    # range): the brute force enumerates the stated ranges
    ("2-1", Bounds(max_weight=3)),
    ("3-1", Bounds(max_weight=4, nonneg=True)),
    ("2-1-1", Bounds(max_weight=2)),
    ("2-1", Bounds(max_weight=1, max_bias=5)),
])
def test_sat_agrees_with_brute_force(arch, bounds):
    a = Architecture.parse(arch)
    oracle = computable_tables(a, bounds)
    n = a.n_inputs
    for tables in itertools.product(range(2 ** 2**n), repeat=a.m):
        f = BooleanFunction.from_truth_tables(n, list(tables))
        got = check(f, a, bounds=bounds).status is Status.REALIZABLE
        assert got == (tuple(tables) in oracle), (arch, bounds, tables)


@st.composite
def instances(draw):
    arch = draw(st.sampled_from(["2-1", "3-1", "2-2-1", "3-1-1", "3-2-1", "2-1-2", "3-2-2"]))
    a = Architecture.parse(arch, skip=draw(st.booleans()))
    n = a.n_inputs
    tables = [draw(st.integers(0, 2 ** 2**n - 1)) for _ in range(a.m)]
    care = None
    if draw(st.booleans()):
        care = [draw(st.integers(1, 2 ** 2**n - 1)) for _ in range(a.m)]
    return BooleanFunction.from_truth_tables(n, tables, care), a


@settings(max_examples=40, deadline=None)
@given(instances(), st.sampled_from([None, 1, 2]), st.booleans())
def test_backends_agree_and_witnesses_verify(instance, max_weight, nonneg):
    f, a = instance
    answers = {}
    for backend in [*BACKENDS, *(ALIASES if max_weight is None else ())]:  # real: unbounded
        r = check(f, a, backend=backend, max_weight=max_weight, nonneg=nonneg)
        answers[backend] = r.status
        if r.status is Status.REALIZABLE:
            assert not r.network.disagreements(f).any()
            assert r.network.within(r.bounds)
    assert len(set(answers.values())) == 1, answers
    # symmetry breaking never changes the answer
    plain = check(f, a, max_weight=max_weight, nonneg=nonneg, symmetry=False).status
    assert plain is answers["sat"]


@pytest.mark.parametrize("backend", NAMES)
def test_timeout_gives_unknown_quickly(backend):
    start = time.perf_counter()
    r = check("parity", "7-6-1", backend=backend, timeout=0.5)
    assert time.perf_counter() - start < 3.0
    assert r.status in (Status.UNKNOWN, Status.UNREALIZABLE)
    if r.status is Status.UNKNOWN:
        assert r.to_dict()["status"] == "unknown"


def test_result_records_bounds_and_backend():
    r = check("6", "2-2-1", max_weight=1)
    d = r.to_dict()
    assert d["bounds"] == {"mode": "max-weight", "max_weight": 1, "max_bias": None,
                           "nonneg": False}
    assert d["status"] == "realizable" and d["arch"] == "2-2-1" and d["backend"] == "sat"
    assert realize.Network.from_dict(d["network"]).function().to_hex() == "6"


def test_mismatched_function_and_architecture():
    with pytest.raises(realize.InputError, match="2 inputs"):
        check("e8", "2-1")
    with pytest.raises(realize.InputError, match="output"):
        check("8,e", "2-1")


@pytest.mark.parametrize("function, arch, skip, expected", [
    ("x0&x1 | x2&x3 | x4&x5", "6-1-1", True, Status.UNREALIZABLE),
    ("inner-product", "6-1-1", True, Status.UNREALIZABLE),
    ("parity", "5-1-1-1", True, Status.REALIZABLE),
    ("96", "3-1", False, Status.UNREALIZABLE),
])
def test_wide_units_go_to_smt_with_a_real_relaxation(function, arch, skip, expected):
    # fan-in 7 (W* = 18) and |w| <= 12 exceed the CNF's range: z3 over integers answers, or the
    # real relaxation refutes; either way the answer matches smt-real's
    kw = {"max_weight": 12, "max_bias": 30} if function == "96" else {}  # bias bounded: no cut
    r = check(function, arch, skip=skip, **kw)
    assert r.status is expected
    assert r.stats.decided_by in ("smt", "smt-real")
    assert check(function, arch, skip=skip, backend="smt-real").status is expected
