"""The number encodings of the CNF (`realize.encodings.numbers`).

Every test that is not about the order encoding alone runs for each entry of `NUMBER_ENCODINGS`,
so a new encoding is checked from the day it registers: its reification against brute force,
its decoding, its refusal of too-wide weights, and `build_cnf`'s answers against brute force and z3.
"""

import itertools

import pytest
from pysat.solvers import Solver

from realize import Architecture, BooleanFunction, Bounds, Status
from realize.backends.satsolver import solve_clauses
from realize.backends.smt import solve_smt
from realize.encodings.clauses import FALSE, TRUE, ClauseBuilder
from realize.encodings.cnf import build_cnf
from realize.encodings.numbers import NUMBER_ENCODINGS, OrderEncoding, number_encoding
from realize.errors import InputError
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
