"""Agreement of the sat strategies and encoding options with the plain CNF (no symmetry breaking).

Every option below prunes or splits the search (input-symmetry lex leaders, the output-case
split, the small-weight probe, one incremental solver for many functions); none may change an
answer. The reference is the plain CNF encoding without any symmetry breaking.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize import Architecture, BooleanFunction, Bounds, Status
from realize.apps.batch import check_many
from realize.backends import cases
from realize.backends.satsolver import solve_clauses
from realize.backends.strategy import decide_cnf, decide_sat
from realize.encodings.asummable import asummable_quadruples
from realize.encodings.cnf import build_cnf
from realize.encodings.symmetry import input_symmetries
from realize.options import Deadline, Options
from realize.spec.functions import DONT_CARE, all_rows, input_bits
from realize.verify import verify_witness


def reference(f, arch, bounds=None):
    return decide_cnf(f, arch, bounds or Bounds(), Options(symmetry=False), Deadline()).status


def symmetric_function(n, rng, care=False):
    """A function of the number of ones (invariant under every permutation of the inputs)."""
    by_weight = rng.integers(0, 2, n + 1)
    ones = input_bits(all_rows(n), n).sum(axis=1)
    values = by_weight[ones].astype(np.int8)
    if care:  # drop whole weight classes, so the care set stays symmetric
        values[rng.integers(0, 2, n + 1)[ones] == 1] = DONT_CARE
    return BooleanFunction(n, all_rows(n), values[None, :])


def partly_symmetric_function(n, rng):
    """A random function of (x0 + x1, x2, ...): symmetric in x0 and x1 only."""
    bits = input_bits(all_rows(n), n).astype(int)
    key = (bits[:, 0] + bits[:, 1]) * 2 ** (n - 2) + (bits[:, 2:] * 2 ** np.arange(n - 2)).sum(axis=1)
    table = rng.integers(0, 2, 3 * 2 ** (n - 2))
    return BooleanFunction(n, all_rows(n), table[key][None, :].astype(np.int8))


def test_input_symmetries_found():
    xor3 = BooleanFunction.from_hex("96", 3)
    names = [name for name, _ in input_symmetries(xor3, Architecture.parse("3-2-1"), Bounds())]
    assert names == ["swap x0 x1", "swap x1 x2", "swap x0 x2", "negate x0", "negate x1", "negate x2",
                     "negate x0 x1", "negate x1 x2"]
    # no negations without symmetric bounds; no swaps of inputs the architecture treats apart
    names = [n for n, _ in input_symmetries(xor3, Architecture.parse("3-2-1"), Bounds(nonneg=True))]
    assert names == ["swap x0 x1", "swap x1 x2", "swap x0 x2"]
    dag = Architecture.from_dict({"inputs": 3, "units": {"h": ["x0", "x1"], "y": ["h", "x2"]}})
    assert [n for n, _ in input_symmetries(xor3, dag, Bounds())] == [
        "swap x0 x1", "negate x0", "negate x1", "negate x2", "negate x0 x1", "negate x1 x2"]
    maj = BooleanFunction.from_hex("e8", 3)  # maj(~x) = ~maj(x), but not maj(x ^ e_i)
    assert [n for n, _ in input_symmetries(maj, Architecture.parse("3-2-1"), Bounds())] == [
        "swap x0 x1", "swap x1 x2", "swap x0 x2"]


@pytest.mark.parametrize("arch", ["3-1-1", "3-2-1", "4-2-1", "4-3-1", "3-2-1-1", "3-1-1 skip", "3-2-2"])
@pytest.mark.parametrize("bounds", [Bounds(), Bounds(max_weight=1), Bounds(max_weight=2, nonneg=True),
                                    Bounds(max_weight=1, max_bias=1)])
def test_input_symmetry_breaking_keeps_answers(arch, bounds):
    rng = np.random.default_rng(len(arch) + 7 * (bounds.max_weight or 0))
    text, _, skip = arch.partition(" ")
    a = Architecture.parse(text, skip=bool(skip))
    for trial in range(12):
        makers = [symmetric_function, partly_symmetric_function]
        f = makers[trial % 2](a.n_inputs, rng)
        if a.m == 2:
            g = symmetric_function(a.n_inputs, rng)
            f = BooleanFunction(f.n, f.rows, np.vstack([f.values, g.values]))
        elif trial % 4 == 2:
            f = symmetric_function(a.n_inputs, rng, care=True)
        enc = build_cnf(f, a, bounds)
        got = solve_clauses(enc.clauses).satisfiable
        assert got == (reference(f, a, bounds) is Status.REALIZABLE), (arch, bounds, f)


def test_regular_positive_functions_are_all_positive_threshold_functions_up_to_order():
    # k = 3: the positive threshold functions of 3 inputs are 20; sorting the inputs by their
    # weights leaves those that are "regular" (input 0 dominates input 1 dominates input 2)
    tables = [t for t, _, _ in cases.regular_positive_functions(3)]
    assert len(tables) == len(set(tables)) == 10
    for t, v, bias in cases.regular_positive_functions(3):
        sums = np.array([sum(v[u] for u in range(3) if p >> u & 1) for p in range(8)])
        assert tuple(int(x) for x in sums + bias >= 0) == t


def test_asummable_quadruples_hold_for_threshold_functions():
    rows = input_bits(all_rows(4), 4).astype(int)
    quads = asummable_quadruples(4)
    assert np.array_equal(rows[quads[:, 0]] + rows[quads[:, 1]], rows[quads[:, 2]] + rows[quads[:, 3]])
    rng = np.random.default_rng(3)
    for _ in range(50):  # every threshold function is 2-asummable
        w, b = rng.integers(-3, 4, 4), rng.integers(-6, 6)
        y = (rows @ w + b >= 0).astype(int)
        assert not np.any(y[quads[:, 0]] & y[quads[:, 1]] & (1 - y[quads[:, 2]]) & (1 - y[quads[:, 3]]))
    xor = rows.sum(axis=1) % 2  # XOR is not: 0011 + 1100 = 0101 + 1010... with labels 0,0,0,0
    assert np.any(xor[quads[:, 0]] & xor[quads[:, 1]] & (1 - xor[quads[:, 2]]) & (1 - xor[quads[:, 3]]))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1),
       st.sampled_from(["random", "symmetric", "partial"]))
def test_case_split_agrees_with_plain_cnf(n, k, table, care, kind):
    arch = Architecture.parse(f"{n}-{k}-1")
    mask = 2 ** 2**n - 1
    if kind == "symmetric":
        f = symmetric_function(n, np.random.default_rng(table))
    else:
        f = BooleanFunction.from_truth_tables(n, [table & mask],
                                              [care & mask or 1] if kind == "partial" else None)
    assert cases.applies(f, arch, Bounds())
    d = cases.decide_by_cases(f, arch, Bounds(), Options(), Deadline())
    assert d.status is reference(f, arch)
    if d.network is not None:
        verify_witness(d.network, f, Bounds())


def test_case_split_on_parity():
    for n in (3, 4, 5):
        parity = BooleanFunction(n, all_rows(n), (input_bits(all_rows(n), n).sum(axis=1) % 2)[None, :])
        assert cases.decide_by_cases(parity, Architecture.parse(f"{n}-{n - 1}-1"), Bounds(),
                                     Options(), Deadline()).status is Status.UNREALIZABLE
        d = cases.decide_by_cases(parity, Architecture.parse(f"{n}-{n}-1"), Bounds(), Options(),
                                  Deadline())
        verify_witness(d.network, parity, Bounds())


def test_case_split_applies_only_where_sound():
    f = BooleanFunction.from_hex("96", 3)
    assert not cases.applies(f, Architecture.parse("3-2-1"), Bounds(max_weight=2))
    assert not cases.applies(f, Architecture.parse("3-2-1"), Bounds(nonneg=True))
    assert not cases.applies(f, Architecture.parse("3-2-1", skip=True), Bounds())
    assert not cases.applies(f, Architecture.parse("3-2-1-1"), Bounds())


@pytest.mark.parametrize("arch, bounds", [("3-2-1", Bounds()), ("3-2-1-1", Bounds()),
                                          ("3-1-1", Bounds(nonneg=True)), ("3-2-1", Bounds(max_weight=2))])
def test_strategy_agrees_with_plain_cnf(arch, bounds):
    a = Architecture.parse(arch)
    for table in itertools.islice(range(0, 256, 7), 20):
        f = BooleanFunction.from_truth_tables(3, [table])
        d = decide_sat(f, a, bounds, Options(), Deadline())
        assert d.status is reference(f, a, bounds), (arch, table)
        if d.network is not None:
            verify_witness(d.network, f, bounds)


def test_probe_conflict_budget_gives_unknown():
    parity = BooleanFunction(6, all_rows(6), (input_bits(all_rows(6), 6).sum(axis=1) % 2)[None, :])
    d = decide_cnf(parity, Architecture.parse("6-5-1"), Bounds(max_weight=2), Options(), Deadline(),
                   max_conflicts=50)
    assert d.status is Status.UNKNOWN


@pytest.mark.parametrize("arch", ["3-1", "3-1-1", "3-2-1", "2-2-2"])
def test_check_many_agrees_with_one_by_one(arch):
    a = Architecture.parse(arch)
    rng = np.random.default_rng(5)
    n = a.n_inputs
    fs = [BooleanFunction.from_truth_tables(n, [int(t) for t in rng.integers(0, 2 ** 2**n, a.m)])
          for _ in range(30)]
    fs.append(fs[0].subset([0, 1, 2]))  # other rows: a second template
    results = check_many(fs, a)
    for f, r in zip(fs, results, strict=True):
        assert r.status is reference(f, a), (arch, f)
