"""The table search for networks of up to 3 hidden units, against SAT and brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize.apps.batch import check_many
from realize.apps.small_networks import covers, smallest_network
from realize.backends.registry import bounds_for
from realize.results import Status
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness

EXACT = bounds_for("sat")


def sat_minimum(table: int, n: int) -> int | None:
    """The fewest hidden units up to 3 by SAT (None: more than 3)."""
    f = BooleanFunction.from_truth_tables(n, [table])
    for size, arch in ((0, f"{n}-1"), (2, f"{n}-2-1"), (3, f"{n}-3-1")):
        if check_many([f], arch)[0].status is Status.REALIZABLE:
            return size
    return None


def test_every_function_of_three_inputs_agrees_with_sat() -> None:
    for table in range(256):
        size, net = smallest_network(table, 3, budget_s=10)
        assert size == sat_minimum(table, 3), hex(table)
        verify_witness(net, BooleanFunction.from_truth_tables(3, [table]), EXACT)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**16 - 1))
def test_four_inputs_agree_with_sat(table: int) -> None:
    size, net = smallest_network(table, 4, budget_s=10)
    assert size == sat_minimum(table, 4)
    if net is not None:
        verify_witness(net, BooleanFunction.from_truth_tables(4, [table]), EXACT)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_five_input_networks_compute_their_function(table: int) -> None:
    size, net = smallest_network(table, 5)
    if net is not None:
        verify_witness(net, BooleanFunction.from_truth_tables(5, [table]), EXACT)
        hidden = net.to_dict()["layers"][:-1]
        assert [len(layer["bias"]) for layer in hidden] == ([size] if size else [])


def test_known_five_input_answers() -> None:
    parity = sum(1 << x for x in range(32) if bin(x).count("1") % 2)
    assert smallest_network(parity, 5, budget_s=30) == (None, None)  # needs 5 hidden units
    majority = sum(1 << x for x in range(32) if bin(x).count("1") >= 3)
    assert smallest_network(majority, 5)[0] == 0


def test_covers_is_exhaustive() -> None:
    rng = np.random.default_rng(5)
    for _ in range(200):
        sets = rng.integers(0, 256, size=6).astype(np.uint64)
        target = np.uint64(rng.integers(0, 256))
        pairs = [(a, b) for a in sets for b in sets if (a | b) & target == target]
        got = covers(target, sets & target)
        assert (got is not None) == bool(pairs)
        if got is not None:
            assert got[0] | got[1] == target


def test_more_than_five_inputs_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 5 inputs"):
        smallest_network(0, 6)
