"""The benchmark peers (benchmarks/peers.py) answer as realize does and their witnesses verify."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks import run
from benchmarks.peers import PEERS
from realize import Architecture, BooleanFunction, check
from realize.readers.families import family_function
from realize.spec.bounds import Bounds
from realize.verify import verify_witness
from tests.bruteforce import computable_tables


@pytest.fixture(params=list(PEERS))
def peer(request: pytest.FixtureRequest):
    """A peer's solve function; skipped when its package is absent."""
    module, solve = PEERS[request.param]
    pytest.importorskip(module, reason=f"{request.param} needs {module} (pip install '.[peers]')")
    return solve


def answer(solve, f: BooleanFunction, arch: Architecture, timeout: float = 20.0) -> str:
    """The peer's status; a witness must verify."""
    status, net = solve(f, arch, Bounds(), timeout=timeout)
    assert (net is not None) == (status == "realizable")
    if net is not None:
        verify_witness(net, f, Bounds())
    return status


@pytest.mark.parametrize(("table", "n", "arch", "expected"), [
    ("6", 2, "2-1", "unrealizable"),         # XOR2 is no threshold function
    ("6", 2, "2-2-1", "realizable"),
    ("e8", 3, "3-1", "realizable"),          # MAJ3
    ("96", 3, "3-2-1", "unrealizable"),      # XOR3
    ("96", 3, "3-3-1", "realizable"),
    ("6,8", 2, "2-2-2", "realizable"),       # half adder: two outputs
    ("8,1", 2, "2-2", "realizable"),         # AND, NOR: output units are not interchangeable
])
def test_small_cases(peer, table: str, n: int, arch: str, expected: str) -> None:
    assert answer(peer, BooleanFunction.from_hex(table, n), Architecture.parse(arch)) == expected


def test_two_inputs_on_2_1_1_against_brute_force(peer) -> None:
    arch = Architecture.parse("2-1-1")
    computable = {t for (t,) in computable_tables(arch, Bounds())}
    for t in range(16):
        f = BooleanFunction.from_truth_tables(2, [t])
        assert answer(peer, f, arch) == ("realizable" if t in computable else "unrealizable"), t


def test_three_inputs_against_brute_force_and_check(peer) -> None:
    """3-1 against brute force; 3-2-1 (the hidden-unit ordering at work) against `realize.check`."""
    tables = [0x96, *np.random.default_rng(7).integers(0, 256, 4).tolist()]
    single = Architecture.parse("3-1")
    computable = {t for (t,) in computable_tables(single, Bounds())}
    for t in tables:
        f = BooleanFunction.from_truth_tables(3, [t])
        assert answer(peer, f, single) == ("realizable" if t in computable else "unrealizable"), t
    for arch in (Architecture.parse("3-2-1"), Architecture.parse("3-1-1", skip=True)):
        for t in tables:
            f = BooleanFunction.from_truth_tables(3, [t])
            assert answer(peer, f, arch) == check(f, arch).status.value, (arch.describe(), t)


def test_partial_function(peer) -> None:
    """Don't-care rows are left free: XOR2 without row 3 agrees with OR, a threshold function."""
    f = BooleanFunction(2, np.array([0, 1, 2], dtype=np.uint64), np.array([[0, 1, 1]]))
    assert answer(peer, f, Architecture.parse("2-1")) == "realizable"


def test_time_limit_is_unknown(peer) -> None:
    """A run cut by its time limit proves nothing: unknown, never unrealizable."""
    assert answer(peer, family_function("parity", 6), Architecture.parse("6-5-1"), timeout=0.3) == "unknown"


def test_absent_peer_is_skipped_with_its_reason(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(run, "missing", lambda peer: "not installed here")
    out = tmp_path / "r.json"
    run.main(["--families", "parity", "--solvers", "highs", "--timeout", "1", "--out", str(out)])
    saved = json.loads(out.read_text())
    assert saved["skipped"] == {"highs": "not installed here"} and saved["records"] == []
    assert "skipping highs: not installed here" in capsys.readouterr().out


def test_table_has_peer_to_sat_ratios() -> None:
    records = [
        {"family": "a", "instance": "x", "solver": "sat", "status": "realizable", "time_s": 1.0},
        {"family": "a", "instance": "x", "solver": "cpsat1", "status": "realizable", "time_s": 3.0},
        {"family": "a", "instance": "x", "solver": "highs", "status": "unknown", "time_s": 10.2},
    ]
    lines = run.table(records, ["sat", "cpsat1", "highs"], timeout=10).splitlines()
    assert lines[0].endswith("| cpsat1/sat | highs/sat |")
    assert lines[-1] == "| **total** | 1 | 1/1 / 1.00 | 1/1 / 3.00 | 0/1 / 20.00 | 3.0x | 20.0x |"
