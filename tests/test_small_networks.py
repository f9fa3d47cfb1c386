"""The table search for one unit or three hidden units, against SAT."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize.apps.batch import check_many
from realize.apps.small_networks import covers, table_network
from realize.backends.registry import bounds_for
from realize.results import Status
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness

EXACT = bounds_for("sat")


def agrees_with_sat(table: int, n: int) -> None:
    """One unit exactly for threshold functions; else three hidden units exactly when SAT
    finds n-3-1 realizable (the search, given time, is exhaustive); every network verified."""
    f = BooleanFunction.from_truth_tables(n, [table])
    net = table_network(table, n, budget_s=30)
    if check_many([f], f"{n}-1")[0].status is Status.REALIZABLE:
        assert net is not None and net.arch.describe() == f"{n}-1"
    else:
        three = check_many([f], f"{n}-3-1")[0].status is Status.REALIZABLE
        assert (net is not None) == three, hex(table)
        assert net is None or net.arch.describe() == f"{n}-3-1"
    if net is not None:
        verify_witness(net, f, EXACT)


def test_every_function_of_three_inputs_agrees_with_sat() -> None:
    for table in range(256):
        agrees_with_sat(table, 3)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**16 - 1))
def test_four_inputs_agree_with_sat(table: int) -> None:
    agrees_with_sat(table, 4)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_five_input_networks_compute_their_function(table: int) -> None:
    net = table_network(table, 5)
    if net is not None:
        verify_witness(net, BooleanFunction.from_truth_tables(5, [table]), EXACT)


def test_known_five_input_answers() -> None:
    parity = sum(1 << x for x in range(32) if bin(x).count("1") % 2)
    assert table_network(parity, 5, budget_s=60) is None  # needs 5 hidden units
    majority = sum(1 << x for x in range(32) if bin(x).count("1") >= 3)
    assert table_network(majority, 5).describe().count("\n") == 0  # one unit


def test_covers_is_exhaustive() -> None:
    rng = np.random.default_rng(5)
    for _ in range(300):
        sets = rng.integers(0, 256, size=int(rng.integers(1, 80))).astype(np.uint64)
        target = np.uint64(rng.integers(1, 256))
        pairs = [(a, b) for a in sets for b in sets if (a | b) & target == target]
        got = covers(target, sets & target)
        assert (got is not None) == bool(pairs)
        if got is not None:
            assert got[0] | got[1] == target


def test_more_than_five_inputs_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 5 inputs"):
        table_network(0, 6)
