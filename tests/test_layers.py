"""The layered tables (`realize.backends.layers`) against brute force and the plain CNF."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pysat.solvers import Solver

from realize import check
from realize.backends import cases, layers
from realize.backends.strategy import decide_cnf
from realize.options import Deadline, Options
from realize.readers.registry import parse_function
from realize.results import Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction, all_rows
from tests.bruteforce import computable_tables

EXACT = Bounds()


def table_function(n: int, table: int) -> BooleanFunction:
    values = (table >> np.arange(2**n)) & 1
    return BooleanFunction(n, all_rows(n), values[None, :].astype(np.int8))


def decide(f: BooleanFunction, arch: str, **options: object):
    d = layers.decide_by_layers(f, Architecture.parse(arch), EXACT, Options(**options), Deadline())
    if d.network is not None:
        assert np.array_equal(d.network.evaluate(f.rows), f.values), "the witness is wrong"
        assert d.network.within(EXACT)
    return d


def test_every_3_input_function_on_3_2_2_1():
    """3-2-2-1 computes exactly h(y1, y2) for threshold functions y1, y2 of the inputs and any
    h of two bits (2-2-1 computes all 16: brute force), so brute force over pairs of threshold
    columns (enumerated networks of 3-1) gives the answer for all 256 functions."""
    assert len(computable_tables(Architecture.parse("2-2-1"), EXACT)) == 16
    columns = [t for (t,) in computable_tables(Architecture.parse("3-1"), EXACT)]
    bits = [(t >> np.arange(8)) & 1 for t in columns]
    weights = 1 << np.arange(8)
    realizable = set()
    for a, b in itertools.combinations_with_replacement(bits, 2):
        pattern = a + 2 * b
        for h in range(16):
            realizable.add(int(((h >> pattern) & 1) @ weights))
    for table in range(256):
        d = decide(table_function(3, table), "3-2-2-1")
        assert d.status is (Status.REALIZABLE if table in realizable else Status.UNREALIZABLE), table


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.integers(0, 2**16 - 1), arch=st.sampled_from(["4-2-2-1", "4-2-1-1"]))
def test_agrees_with_the_plain_cnf(table: int, arch: str):
    f = table_function(4, table)
    plain = decide_cnf(f, Architecture.parse(arch), EXACT, Options(), Deadline())
    assert decide(f, arch).status is plain.status


@pytest.mark.parametrize("name,n,arch", [("parity", 4, "4-3-2-1"), ("parity", 4, "4-2-2-1"),
                                         ("majority", 5, "5-2-2-1"), ("parity", 5, "5-3-2-1"),
                                         ("x0 & x1 | x2 & x3", 4, "4-2-1-1")])
def test_symmetry_breaking_and_probes_keep_the_answer(name: str, n: int, arch: str):
    f = parse_function(name, n)
    answers = {decide(f, arch, symmetry=s, probe=p).status for s in (True, False) for p in (True, False)}
    assert len(answers) == 1


def test_parity6_on_6_5_2_1_by_a_symmetric_probe():
    d = decide(parse_function("parity", 6), "6-5-2-1")
    assert d.status is Status.REALIZABLE and d.stats.extra["probe"] == "3+2+1"


def test_a_column_that_is_not_threshold_is_blocked_for_every_column_of_its_width():
    """XOR of two inputs is no threshold function: the model's column is refused and forbidden
    for both columns of the group; a 3-input column is left alone."""
    pair = [[1, 2, 3, 4], [5, 6, 7, 8]]
    wide = [list(range(9, 17))]
    stats = Stats("layers", extra={"blocked_columns": 0})
    with Solver(name="cadical195") as s:
        xor = [-1, 2, 3, -4]
        model = [*xor, *range(5, 17)]
        assert cases.realize_columns(s, model, [(2, pair), (3, wide)], stats) is None
        assert stats.extra["blocked_columns"] == 1
        assert not s.solve(assumptions=xor) and not s.solve(assumptions=[-5, 6, 7, -8])
        assert s.solve(assumptions=[1, 2, 3, -4, *range(9, 17)])


def test_the_search_goes_on_after_a_blocked_column(monkeypatch: pytest.MonkeyPatch):
    """Refusing the first 4-input column z3 is asked about (as if it were not threshold) makes
    the search block it and find a witness without it."""
    refused: list[tuple[int, ...]] = []
    real = cases.realize_table

    def fake(table: tuple[int, ...]):
        if len(table) == 16 and (not refused or table in refused):
            refused.append(table)
            return None
        return real(table)

    monkeypatch.setattr(cases, "realize_table", fake)
    d = decide(parse_function("parity", 4), "4-4-2-1", probe=False)
    assert d.status is Status.REALIZABLE and d.stats.extra["blocked_columns"] == 1
    used = {tuple(int(v) for v in column) for column in d.network.unit_values(all_rows(4))[:4]}
    assert refused[0] not in used


def test_the_sat_backend_takes_the_layered_route():
    r = check(parse_function("parity", 5), "5-3-2-1", options=Options(probe=False))
    assert r.status is Status.UNREALIZABLE and r.stats.decided_by == "layers"
    parity5 = parse_function("parity", 5)
    assert not layers.applies(parity5, Architecture.parse("5-3-2-1"), Bounds(max_weight=3))
    assert not layers.applies(parse_function("parity", 4), Architecture.parse("4-3-1"), EXACT)


def test_symmetric_probes_serve_one_wide_hidden_layer(monkeypatch):
    """Beyond the case split's six hidden units, a symmetric f gets the symmetric probes after
    the small-weight probe (starved here so that it fails): parity 5 on 5-7-1."""
    from realize import check
    from realize.backends import strategy

    monkeypatch.setattr(strategy, "PROBE_CONFLICTS", 1)
    monkeypatch.setattr(strategy, "PROBE_CONFLICTS_SHORT", 1)
    result = check("parity", "5-7-1")
    assert result.realizable and result.stats.decided_by == "symmetric-probes"
    assert result.network.function().to_hex() == "96696996"
    uniform = check("9f3d2a6c", "5-7-1")  # no input symmetry: no probe runs
    assert uniform.stats.find("symmetric-probes").extra["probes"] == 0
