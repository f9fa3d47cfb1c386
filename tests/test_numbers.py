"""The number encodings of the CNF (`realize.encodings.numbers`).

Every test that is not about the order encoding alone runs for each entry of `NUMBER_ENCODINGS`,
so a new encoding is checked from the day it registers: its reification against brute force,
its decoding, its refusal of too-wide weights, and `build_cnf`'s answers against brute force and z3.
"""

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysat.solvers import Solver

from realize import Architecture, BooleanFunction, Bounds, Status
from realize.backends.satsolver import solve_clauses
from realize.backends.smt import solve_smt
from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.cnf import build_cnf
from realize.encodings.numbers import (
    NUMBER_ENCODINGS,
    BinaryEncoding,
    OrderEncoding,
    number_encoding,
)
from realize.errors import InputError
from realize.spec.functions import DONT_CARE, all_rows
from realize.verify import verify_witness
from tests.bruteforce import computable_tables

RANGES = [
    [(-2, 2)],
    [(0, 3), (-1, 1)],
    [(-3, -1), (2, 2), (-1, 2)],
    [(-1, 1), (0, 1), (-2, 0), (0, 2)],
]


def sums(ranges, factor):
    """Every value tuple with ``factor * first + rest``."""
    for values in itertools.product(*(range(lo, hi + 1) for lo, hi in ranges)):
        yield values, factor * values[0] + sum(values[1:])


@pytest.mark.parametrize("ranges", RANGES)
def test_order_reify_is_the_sum_compared_with_k(ranges):
    """Pinned through the order literals themselves, independent of `reify_at_least`."""
    b = ClauseBuilder()
    order = OrderEncoding(b)
    xs = [order.integer(lo, hi) for lo, hi in ranges]
    z = b.new_var()
    terms = [order.times(xs[0], z), *xs[1:]]
    values = [total for zv in (0, 1) for _, total in sums(ranges, zv)]
    ys = {k: b.new_var() for k in range(min(values) - 1, max(values) + 2)}
    for k, y in ys.items():
        order.reify_at_least(y, terms, k)
    with Solver(bootstrap_with=b.clauses) as s:
        for zv in (0, 1):
            for vals, total in sums(ranges, zv):
                pin = [z if zv else -z]
                pin += [lit for x, v in zip(xs, vals, strict=True)
                        for lit in (x.at_least(v), -x.at_least(v + 1))]
                for k, y in ys.items():
                    want = y if total >= k else -y
                    assert s.solve(assumptions=[*pin, want]), (vals, zv, k)
                    assert not s.solve(assumptions=[*pin, -want]), (vals, zv, k)


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@pytest.mark.parametrize("ranges", RANGES[:3])
@pytest.mark.parametrize("z", ["literal", TRUE, FALSE])
def test_reify_and_decode_agree_with_brute_force(name, ranges, z):
    """Through the interface only: values pinned by reified ``x >= v and not x >= v + 1``."""
    b = ClauseBuilder()
    num = number_encoding(name)(b)
    xs = [num.integer(lo, hi) for lo, hi in ranges]
    lit = b.new_var() if z == "literal" else z
    terms = [num.times(xs[0], lit), *xs[1:]]
    at_least = {}
    for x, (lo, hi) in zip(xs, ranges, strict=True):
        for v in range(lo - 1, hi + 2):
            at_least[id(x), v] = b.new_var()
            num.reify_at_least(at_least[id(x), v], [x], v)
    factors = (0, 1) if z == "literal" else (int(z == TRUE),)
    values = [total for zv in factors for _, total in sums(ranges, zv)]
    ys = {k: b.new_var() for k in range(min(values) - 1, max(values) + 2)}
    for k, y in ys.items():
        num.reify_at_least(y, terms, k)
    with Solver(bootstrap_with=b.clauses) as s:
        for x, (lo, hi) in zip(xs, ranges, strict=True):  # nothing outside the range
            assert not s.solve(assumptions=[-at_least[id(x), lo]])
            assert not s.solve(assumptions=[at_least[id(x), hi + 1]])
        for zv in factors:
            for vals, total in sums(ranges, zv):
                pin = [lit if zv else -lit] if z == "literal" else []
                pin += [a for x, v in zip(xs, vals, strict=True)
                        for a in (at_least[id(x), v], -at_least[id(x), v + 1])]
                assert s.solve(assumptions=pin)
                assert [num.value(x, s.get_model()) for x in xs] == list(vals)
                for k, y in ys.items():
                    want = y if total >= k else -y
                    assert not s.solve(assumptions=[*pin, -want]), (name, vals, zv, k)


def test_unknown_number_encoding_is_input_error():
    with pytest.raises(InputError, match="'nope'.*order"):
        number_encoding("nope")
    f = BooleanFunction.from_hex("6", 2)
    with pytest.raises(InputError, match="choose from"):
        build_cnf(f, Architecture.parse("2-1"), Bounds(), numbers="nope")


def test_order_encoding_refuses_weights_beyond_its_limit():
    arch = Architecture.parse("3-2-1")
    limit = OrderEncoding.MAX_WEIGHT
    # (with a bounded bias: a lossless bias lets Bounds cut any weight bound to W*(fan-in))
    assert OrderEncoding.practical(arch, Bounds(max_weight=limit, max_bias=9)) is None
    reason = OrderEncoding.practical(arch, Bounds(max_weight=limit + 1, max_bias=9))
    assert reason is not None and str(limit) in reason and str(limit + 1) in reason
    assert "\n" not in reason
    assert OrderEncoding.practical(Architecture.parse("8-1"), Bounds()) is not None  # W*(8) = 76
    assert OrderEncoding.PREFERS_SMT_ABOVE < OrderEncoding.MAX_WEIGHT


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
def test_every_encoding_takes_small_questions(name):
    assert number_encoding(name).practical(Architecture.parse("3-2-1"), Bounds()) is None


def answer(f, arch, bounds, name, symmetry=True):
    enc = build_cnf(f, arch, bounds, numbers=name, symmetry=symmetry)
    assert isinstance(enc.numbers, NUMBER_ENCODINGS[name])
    outcome = solve_clauses(enc.clauses)
    if outcome.satisfiable:
        verify_witness(enc.decode(outcome.model), f, bounds)
    return outcome.satisfiable


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@pytest.mark.parametrize("arch, bounds", [
    ("2-1", Bounds()),
    ("3-1", Bounds(max_weight=1)),
    ("2-2", Bounds(max_weight=1, nonneg=True)),
    ("2-1-1", Bounds(max_weight=2, max_bias=1)),
])
def test_build_cnf_agrees_with_brute_force(name, arch, bounds):
    a = Architecture.parse(arch)
    oracle = computable_tables(a, bounds)
    n = a.n_inputs
    for tables in itertools.product(range(2 ** 2**n), repeat=a.m):
        f = BooleanFunction.from_truth_tables(n, list(tables))
        assert answer(f, a, bounds, name, symmetry=False) == (tables in oracle), (name, arch, tables)


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@pytest.mark.parametrize("table, arch, skip, bounds", [  # both answers occur
    ("96", "3-3-1", False, Bounds()),
    ("96", "3-2-1", False, Bounds()),
    ("96", "3-1-1", True, Bounds()),
    ("e8", "3-1", False, Bounds(nonneg=True)),
    ("e8", "3-1", False, Bounds(max_weight=1, max_bias=1)),
    ("6996", "4-2-1", True, Bounds(max_weight=2)),
    ("6996", "4-1-1", True, Bounds()),
    ("8,e", "2-2-2", False, Bounds()),
])
def test_build_cnf_agrees_with_z3(name, table, arch, skip, bounds):
    a = Architecture.parse(arch, skip=skip)
    f = BooleanFunction.from_hex(table, a.n_inputs)
    want = solve_smt(f, a, bounds).status is Status.REALIZABLE
    assert answer(f, a, bounds, name) == want


# -- wider ranges, free-output templates, random questions (every registered encoding) -------

@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@pytest.mark.parametrize("arch, bounds", [
    ("3-1", Bounds(max_weight=5, max_bias=5)),
    ("4-1", Bounds(max_weight=5, max_bias=5, nonneg=True)),
    ("2-1-1", Bounds(max_weight=3, max_bias=2)),
])
def test_template_agrees_with_brute_force_up_to_weight_5(name, arch, bounds):
    """Fan-in up to 4, weights up to 5: one free-output template, one solve per table (every
    computable table and a seeded sample of the others)."""
    a = Architecture.parse(arch)
    oracle = {t[0] for t in computable_tables(a, bounds)}
    n = a.n_inputs
    rng = random.Random(5)
    tables = sorted(oracle | {rng.randrange(2 ** 2**n) for _ in range(300)})
    template = BooleanFunction.from_truth_tables(n, [0])
    enc = build_cnf(template, a, bounds, numbers=name, symmetry=False, free_outputs=True)
    out = enc.y[a.outputs[0]]
    with Solver(name="cadical195", bootstrap_with=enc.clauses) as s:
        for t in tables:
            pin = [lit if t >> p & 1 else -lit for p, lit in zip(enc.positions, out, strict=True)]
            got = s.solve(assumptions=pin)
            assert got == (t in oracle), (name, arch, hex(t))
            if got:
                f = BooleanFunction.from_truth_tables(n, [t])
                verify_witness(enc.decode(s.get_model()), f, bounds)


def widths_for(name):
    """Value ranges small enough for the encoding (order: unary, binary: any)."""
    return 6 if name == "order" else 600


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_reify_agrees_with_arithmetic_on_random_ranges(name, data):
    """Random ranges (up to 4 products with literal or constant factors, then a bias), random
    values pinned through reified ``x >= v``, random k: y is forced to ``sum >= k``."""
    w = widths_for(name)
    bound = st.integers(-w, w)
    ranges = data.draw(st.lists(st.tuples(bound, bound).map(sorted), min_size=1, max_size=5))
    factors = data.draw(st.lists(st.sampled_from(["literal", TRUE, FALSE]),
                                 min_size=len(ranges) - 1, max_size=len(ranges) - 1))
    values = [data.draw(st.integers(lo, hi)) for lo, hi in ranges]
    zs = [data.draw(st.booleans()) if f == "literal" else f == TRUE for f in factors]
    total = sum(v * z for v, z in zip(values, zs, strict=False)) + values[-1]
    k = data.draw(st.sampled_from([total - 1, total, total + 1, data.draw(st.integers(-3 * w, 3 * w))]))
    b = ClauseBuilder()
    num = number_encoding(name)(b)
    xs = [num.integer(lo, hi) for lo, hi in ranges]
    lits = [b.new_var() if f == "literal" else f for f in factors]
    terms = [num.times(x, z) for x, z in zip(xs, lits, strict=False)] + [xs[-1]]
    y = b.new_var()
    num.reify_at_least(y, terms, k)
    pin = [z if zv else -z for z, zv, f in zip(lits, zs, factors, strict=True) if f == "literal"]
    for x, v in zip(xs, values, strict=True):
        ge, gt = b.new_var(), b.new_var()
        num.reify_at_least(ge, [x], v)
        num.reify_at_least(gt, [x], v + 1)
        pin += [ge, -gt]
    want = y if total >= k else -y
    with Solver(bootstrap_with=b.clauses) as s:
        assert s.solve(assumptions=pin)
        assert [num.value(x, s.get_model()) for x in xs] == values
        assert not s.solve(assumptions=[*pin, -want]), (ranges, values, zs, k)


@pytest.mark.parametrize("name", NUMBER_ENCODINGS)
@settings(max_examples=30, deadline=None)
@given(lo=st.integers(-700, 700), span=st.integers(0, 300))
def test_integer_takes_exactly_its_range(name, lo, span):
    """Every value of [lo, hi] is possible, nothing outside (both ends probed)."""
    hi = lo + (span if name != "order" else min(span, 8))
    b = ClauseBuilder()
    num = number_encoding(name)(b)
    x = num.integer(lo, hi)
    probes = {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, (lo + hi) // 2}
    lits = {}
    for v in probes:
        lits[v] = (b.new_var(), b.new_var())
        num.reify_at_least(lits[v][0], [x], v)
        num.reify_at_least(lits[v][1], [x], v + 1)
    with Solver(bootstrap_with=b.clauses) as s:
        for v in probes:
            ge, gt = lits[v]
            assert s.solve(assumptions=[ge, -gt]) == (lo <= v <= hi), (lo, hi, v)
            if lo <= v <= hi:
                assert num.value(x, s.get_model()) == v


QUESTIONS = st.tuples(
    st.sampled_from(["2-1", "3-1", "2-2-1", "3-2-1", "3-1-1", "2-2-2", "4-1", "3-1-1-1"]),
    st.booleans(),  # skip connections
    st.sampled_from([Bounds(), Bounds(max_weight=1), Bounds(max_weight=2, max_bias=2),
                     Bounds(nonneg=True), Bounds(max_weight=3, max_bias=1, nonneg=True),
                     Bounds(max_weight=4, max_bias=6)]),
    st.integers(0, 2**32 - 1),  # seed of the table (with don't cares)
)


@settings(max_examples=40, deadline=None)
@given(question=QUESTIONS)
def test_binary_and_order_encodings_agree(question):
    """Differential: the same status from both encodings on random small questions (random
    partial tables; witnesses verified), with and without symmetry breaking."""
    arch_text, skip, bounds, seed = question
    a = Architecture.parse(arch_text, skip=skip)
    rng = random.Random(seed)
    n = a.n_inputs
    tables = [[rng.choice([0, 1, 1, 0, DONT_CARE]) for _ in range(2**n)] for _ in range(a.m)]
    f = BooleanFunction(n, all_rows(n), np.array(tables, dtype=np.int8))
    symmetry = rng.random() < 0.5
    assert answer(f, a, bounds, "binary", symmetry) == answer(f, a, bounds, "order", symmetry)


def test_binary_encoding_limits():
    assert BinaryEncoding.practical(Architecture.parse("9-1"), Bounds()) is None  # W*(9) = 195
    assert BinaryEncoding.practical(Architecture.parse("8-3-1"), Bounds(), rows=256) is None
    limit = BinaryEncoding.MAX_WEIGHT
    arch = Architecture.parse("3-2-1")
    assert BinaryEncoding.practical(arch, Bounds(max_weight=limit, max_bias=9)) is None
    reason = BinaryEncoding.practical(arch, Bounds(max_weight=limit + 1, max_bias=9))
    assert reason is not None and str(limit) in reason and "\n" not in reason
    reason = BinaryEncoding.practical(Architecture.parse("16-2-1"), Bounds(max_weight=2), rows=2**16)
    assert reason is not None and "gates" in reason
    assert BinaryEncoding.PREFERS_SMT_ABOVE <= BinaryEncoding.MAX_WEIGHT


def test_binary_encoding_folds_constant_inputs():
    """A row's zero inputs cost nothing: the all-zero row is the bias alone, and a row with one
    input on is that weight plus the bias, with no product gates."""
    arch = Architecture.parse("7-1")
    zero_row = BooleanFunction(7, np.array([0], dtype=np.uint64), np.array([[1]], dtype=np.int8))
    one_row = BooleanFunction(7, np.array([1], dtype=np.uint64), np.array([[1]], dtype=np.int8))
    sizes = [len(build_cnf(g, arch, Bounds(), numbers="binary", symmetry=False).clauses)
             for g in (zero_row, one_row)]
    bare = len(build_cnf(BooleanFunction(7, np.zeros(0, dtype=np.uint64),
                                         np.zeros((1, 0), dtype=np.int8)),
                         arch, Bounds(), numbers="binary").clauses)
    # the bias alone is compared with 0: one clause (its sign bit), nothing else
    assert sizes[0] == bare + 1
    # one input on: the sign of w0 + b (9 bits: [-145, 144]), 8 majority gates of 6 clauses
    # for the carries, one XOR3 of 8 clauses for the top bit, 2 clauses for y
    assert sizes[1] - bare <= 8 * 6 + 8 + 2


def test_binary_sign_test_never_overflows_at_the_edges():
    """Extreme sums: weights at both ends of a wide range, k at the edges of the sum's range."""
    for lo, hi in ((-1000, 1000), (0, 513), (-512, -1), (-511, 512)):
        b = ClauseBuilder()
        num = BinaryEncoding(b)
        xs = [num.integer(lo, hi) for _ in range(3)]
        for values in itertools.product((lo, hi), repeat=3):
            total = sum(values)
            for k in (total - 1, total, total + 1, 3 * lo, 3 * hi + 1):
                y = b.new_var()
                num.reify_at_least(y, xs, k)
                pins = []
                for x, v in zip(xs, values, strict=True):
                    ge, gt = b.new_var(), b.new_var()
                    num.reify_at_least(ge, [x], v)
                    num.reify_at_least(gt, [x], v + 1)
                    pins += [ge, -gt]
                with Solver(bootstrap_with=b.clauses) as s:
                    assert not s.solve(assumptions=[*pins, -y if total >= k else y]), (lo, hi, values, k)


# -- choosing an encoding: the rule, Options, the command line ------------------------------

def test_auto_rule_and_stats_record_the_encoding():
    from realize import check
    from realize.encodings.numbers import BINARY_ABOVE, choose_numbers

    wide = Architecture.parse("6-3-2-1")  # weights up to 9
    assert Bounds().widest_weight(wide) > BINARY_ABOVE
    assert choose_numbers("auto", wide, Bounds()) == "binary"
    assert choose_numbers("auto", wide, Bounds(max_weight=BINARY_ABOVE)) == "order"
    assert choose_numbers("order", wide, Bounds()) == "order"
    with pytest.raises(InputError, match="auto, order, binary"):
        choose_numbers("log", wide, Bounds())
    for numbers in ("auto", "order", "binary"):
        assert check("96", "3-2-1", numbers=numbers).status is Status.UNREALIZABLE
    r = check("parity", "4-2-2-1", numbers="binary")  # (auto: order, weights up to 3)
    used = {p["numbers"] for p in r.stats.to_dict()["parts"] if "numbers" in p}
    assert used == {"binary"}, r.stats.to_dict()
    with pytest.raises(InputError, match="unknown number encoding 'log'"):
        check("96", "3-2-1", numbers="log")


def test_numbers_on_the_command_line(capsys):
    from realize.cli import run

    for numbers in ("order", "binary", "auto"):
        assert run(["check", "e8", "--arch", "3-1", "--numbers", numbers]) == 10
    capsys.readouterr()
    assert run(["check", "e8", "--arch", "3-1", "--numbers", "log"]) == 2
    assert "invalid choice: 'log'" in capsys.readouterr().err
    assert run(["encode", "96", "--arch", "3-2-1", "--numbers", "binary"]) == 0
    out = capsys.readouterr().out
    assert "twos-complement-bits" in out and out.count("\nc w ") == 8
    assert run(["encode", "96", "--arch", "3-2-1"]) == 0
    assert "order-lits" in capsys.readouterr().out


def test_a_named_encoding_keeps_wide_questions_in_the_cnf():
    """auto hands fan-in 8 (W*(8) = 76) to SMT; --numbers binary decides it in the CNF; order
    refuses it (too wide), so SMT decides."""
    from realize import check
    from realize.readers.families import family_function

    f = family_function("parity", 8)
    stages = {}
    for numbers in ("auto", "binary", "order"):
        r = check(f, "8-1", numbers=numbers)
        assert r.status is Status.UNREALIZABLE
        stages[numbers] = r.stats.decided_by
    assert stages["binary"] == "cnf"
    assert stages["auto"] in ("smt", "smt-real") and stages["order"] in ("smt", "smt-real")
