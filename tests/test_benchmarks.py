"""The benchmark harness: the baseline model is right, PAR-2 and the table add up (no timing)."""

import pytest

from benchmarks.baseline import solve_baseline
from benchmarks.instances import instances, npn4, parity
from benchmarks.run import par2, table
from realize import Architecture, BooleanFunction, check


def test_baseline_agrees_with_realize_on_two_inputs():
    for arch in ("2-1", "2-1-1", "2-2-1"):
        a = Architecture.parse(arch)
        for t in range(16):
            f = BooleanFunction.from_truth_tables(2, [t])
            status, net = solve_baseline(f, a, timeout=30)
            assert status == check(f, a).status.value, (arch, t)
            if net is not None:
                assert not net.disagreements(f).any()


def test_families():
    assert len(npn4()) == 3 * 222
    assert [i.name for i in parity((4,))] == ["parity4 4-3-1", "parity4 4-4-1"]
    partial = [i for i in instances(["partial"])]
    assert {i.f.n for i in partial} == {10, 12, 14, 16}
    assert all(not i.f.is_complete for i in partial)
    names = {f: [i.name for i in instances([f])] for f in ("deep", "random7", "random8", "parity7")}
    assert names == {
        "deep": ["planted5 5-3-3-1", "uniform5 5-3-3-1", "planted6 6-3-3-1", "uniform6 6-3-3-1",
                 "parity6 6-5-2-1"],
        "random7": [f"{kind}7 7-{h}-1" for h in (4, 5, 6) for kind in ("planted", "uniform")],
        "random8": [f"{kind}8 8-{h}-1" for h in (3, 4) for kind in ("planted", "uniform")],
        "parity7": ["parity7 7-6-1", "parity7 7-7-1"],
    }
    assert {i.family for i in instances()} == {"npn4-4-1-1", "npn4-4-2-1", "npn4-4-3-1", "parity", "random",
                                               "partial"}


def test_par2_and_table():
    records = [
        {"family": "a", "instance": "x", "solver": "baseline", "status": "unknown", "time_s": 10.5},
        {"family": "a", "instance": "x", "solver": "sat", "status": "realizable", "time_s": 1.0},
        {"family": "b", "instance": "y", "solver": "baseline", "status": "unrealizable", "time_s": 4.0},
        {"family": "b", "instance": "y", "solver": "sat", "status": "unrealizable", "time_s": 1.0},
    ]
    assert par2(records[:1], timeout=10) == 20
    text = table(records, ["baseline", "sat"], timeout=10)
    lines = text.splitlines()
    assert lines[2].startswith("| a | 1 | 0/1 / 20.00 | 1/1 / 1.00 | 20.0x |")
    assert lines[-1] == "| **total** | 2 | 1/2 / 24.00 | 2/2 / 2.00 | 12.0x |"


def test_numbers_bench_families_and_tables():
    from benchmarks.numbers_bench import FAMILIES, family_instances, summarize

    names = {f: [i.name for i in family_instances(f)] for f in FAMILIES}
    assert names["n-1"] == ["planted6 6-1", "uniform6 6-1", "planted7 7-1", "uniform7 7-1",
                            "planted8 8-1", "uniform8 8-1"]
    assert "parity6 6-5-1" in names["parity"] and "parity7 7-2-2-1" in names["deep"]
    assert all(len(v) == len(set(v)) for v in names.values())
    records = [
        {"family": "a", "instance": "x", "solver": "order", "status": "refused", "time_s": None},
        {"family": "a", "instance": "x", "solver": "binary", "status": "realizable", "time_s": 1.0},
        {"family": "a", "instance": "x", "solver": "z3", "status": "unknown", "time_s": 10.0},
        {"family": "a", "instance": "y", "solver": "order", "status": "unrealizable", "time_s": 4.0},
        {"family": "a", "instance": "y", "solver": "binary", "status": "unrealizable", "time_s": 2.0},
        {"family": "a", "instance": "y", "solver": "z3", "status": "unrealizable", "time_s": 1.0},
    ]
    line = summarize(records, timeout=10).splitlines()[-1]
    # order only on y (4 / 2), z3 on both ((20 + 1) / (1 + 2))
    assert line == "| a | 2 | 1/1 / 4.00 | 2/2 / 3.00 | 1/2 / 21.00 | 2.0x | 7.0x |"


def test_a_resumed_run_keeps_its_records_and_runs_only_what_is_missing(tmp_path, monkeypatch):
    """Two solvers on parity 4; the second run adds sat2 and must not re-run sat."""
    import json

    import benchmarks.run as run

    monkeypatch.setattr(run, "instances", lambda families: parity((4,)))
    out = tmp_path / "run.json"
    run.main(["--families", "parity", "--solvers", "sat", "--timeout", "30", "--out", str(out)])
    first = json.loads(out.read_text())["records"]
    ran = []
    real_run_one = run.run_one
    monkeypatch.setattr(run, "run_one", lambda s, i, t: ran.append(s) or real_run_one(s, i, t))
    run.main(["--families", "parity", "--solvers", "sat", "sat2", "--timeout", "30", "--out", str(out),
              "--resume"])
    saved = json.loads(out.read_text())
    assert ran == ["sat2", "sat2"] and saved["records"][:2] == first and saved["complete"]
    statuses = {(r["instance"], r["solver"]): r["status"] for r in saved["records"]}
    assert statuses == {("parity4 4-3-1", "sat"): "unrealizable", ("parity4 4-4-1", "sat"): "realizable",
                        ("parity4 4-3-1", "sat2"): "unrealizable", ("parity4 4-4-1", "sat2"): "realizable"}
    with pytest.raises(SystemExit, match="not 9.0"):
        run.main(["--families", "parity", "--solvers", "sat", "--timeout", "9", "--out", str(out),
                  "--resume"])


def test_a_peer_witness_that_fails_verification_counts_as_unsolved(monkeypatch):
    import benchmarks.run as run
    from realize.spec.network import network_from_units

    inst = parity((4,))[1]  # parity 4 on 4-4-1
    wrong = network_from_units(inst.arch, [[1, 1, 1, 1]] * 5, [0] * 5)  # constant 1
    monkeypatch.setitem(run.PEERS, "highs", (run.PEERS["highs"][0],
                                             lambda f, a, b, timeout: ("realizable", wrong)))
    record = run.run_one("highs", inst, timeout=10)
    assert record["status"] == run.WRONG and not run.decided(record)
    assert par2([record], timeout=10) == 20
