"""Network evaluation is exact for every integer the loaders accept (no int64 wrapping).

The reference evaluator below uses Python integers only, one row at a time. Weights are drawn
around the int64 edges (2^62, 2^63 - 1, 2^63, 2^64 and far beyond) and each bias is chosen so
that the sum of some subset of weights lands on the threshold or next to it, where a wrapped
sum would give the wrong side.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from realize.cli import run
from realize.errors import VerificationError
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction, all_rows
from realize.spec.network import INT64_MAX, Network
from realize.verify import verify_witness

EDGES = [2**62, 2**62 - 1, 2**62 + 1, 2**63 - 1, 2**63, 2**63 + 1, 2**64, 2**64 + 1, 3 * 2**62,
         2**100, 10**30]


def reference_values(net: Network, row: int) -> list[int]:
    """Every unit's output on one row, with Python integers only."""
    n = net.arch.n_inputs
    signals = [(row >> i) & 1 for i in range(n)]
    for w, b, fanin in zip(net.weights, net.biases, net.arch.fanins, strict=True):
        total = sum(wi * signals[s] for wi, s in zip(w, fanin, strict=True)) + b
        signals.append(1 if total >= 0 else 0)
    return signals[n:]


edge_ints = st.one_of(
    st.integers(-3, 3),
    st.sampled_from(EDGES).flatmap(lambda v: st.sampled_from([v, -v, v - 1, -v + 1])),
    st.integers(-(2**70), 2**70),
)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(0, 4))
    widths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    arch = Architecture.layered([n, *widths], skip=draw(st.booleans()))
    weights, biases = [], []
    for fanin in arch.fanins:
        w = draw(st.lists(edge_ints, min_size=len(fanin), max_size=len(fanin)))
        subset = draw(st.lists(st.booleans(), min_size=len(fanin), max_size=len(fanin)))
        near = -sum(x for x, take in zip(w, subset, strict=True) if take) + draw(st.integers(-1, 1))
        weights.append(tuple(w))
        biases.append(draw(st.one_of(st.just(near), edge_ints)))
    return Network(arch, tuple(weights), tuple(biases))


@settings(max_examples=300, deadline=None)
@given(networks())
def test_evaluation_matches_python_integers(net):
    rows = all_rows(net.arch.n_inputs)
    got = net.unit_values(rows)
    want = np.array([reference_values(net, int(r)) for r in rows], dtype=np.int8).T
    assert got.shape == (net.arch.num_units, len(rows))
    assert np.array_equal(got, want.reshape(got.shape))


@settings(max_examples=100, deadline=None)
@given(networks())
def test_verification_accepts_the_true_table_and_rejects_any_flip(net):
    f = net.function()
    verify_witness(net, f, Bounds(real=True))
    flipped = f.values.copy()
    flipped[0, 0] ^= 1
    with pytest.raises(VerificationError):
        verify_witness(net, BooleanFunction(f.n, f.rows, flipped, "flipped"), Bounds(real=True))


@pytest.mark.parametrize("weights, bias, exact, table", [
    ([2**62, 2**62 - 1], 0, False, "f"),  # sum |w| + |b| = 2^63 - 1: int64 is exact
    ([2**61, 2**61 - 1], -(2**62 - 1), False, "8"),  # 2^63 - 2
    ([2**62, 2**62], 0, True, "f"),  # 2^63 wraps to -2^63 in int64
    ([2**62, 2**62], -(2**63), True, "8"),
    ([-(2**62)] * 3, 2**63 - 1, True, "17"),
    ([2**63, 2**64], 0, True, "f"),  # beyond int64 altogether
    ([2**64, -(2**64)], -1, True, "2"),
])
def test_fast_path_only_where_int64_is_exact(weights, bias, exact, table):
    net = Network(Architecture.layered([len(weights), 1]), (tuple(weights),), (bias,))
    assert net.exact_units == (exact,)
    assert (sum(map(abs, weights)) + abs(bias) > INT64_MAX) == exact
    assert net.function().to_hex() == table


def test_eval_command_is_exact_at_2_to_the_62(tmp_path, capsys):
    """[2^62, 2^62], bias 0 is the constant 1 (int64 evaluation printed y0: 7)."""
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"inputs": 2, "skip": False,
                                "layers": [{"weights": [[2**62, 2**62]], "bias": [0]}]}))
    assert run(["eval", str(path)]) == 0
    assert capsys.readouterr().out == "y0: f\n"
    assert run(["counterexample", "f", "--network", str(path)]) == 20
    assert "EQUIVALENT" in capsys.readouterr().out
    assert run(["counterexample", "7", "--network", str(path)]) == 10
