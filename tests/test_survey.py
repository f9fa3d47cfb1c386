"""The survey: minima of every NPN class, checked against classify, counting and brute force."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

from realize.apps.classify import classify
from realize.apps.counting import count
from realize.apps.survey import SurveyJob, stored_survey, survey, survey_chunk, write_table
from realize.apps.survey_store import SurveyStore
from realize.cli import run
from realize.errors import InputError
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network

HAS_DASK = importlib.util.find_spec("distributed") is not None


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete layered survey of 4 inputs, in one process."""
    store = tmp_path_factory.mktemp("survey") / "npn4.sqlite"
    survey(4, store=store, jobs=1)
    return store


@pytest.mark.parametrize(("n", "skip"), [(2, False), (3, False), (3, True)])
def test_minima_agree_with_classify(n: int, skip: bool) -> None:
    found = survey(n, store=":memory:", skip=skip, jobs=1)
    assert found.complete
    assert [o.minimum for o in found.outcomes] == \
        [e.result.minimum for e in classify(n, skip=skip, workers=1).classes]


def test_four_inputs_agree_with_counting(four: Path) -> None:
    found = stored_survey(4, four)
    assert found.complete and len(found.outcomes) == 222
    assert sum(o.size for o in found.outcomes) == 2**16
    # threshold functions (OEIS A000609), 4-2-1 counted by SAT enumeration, all but XOR4/XNOR4
    assert found.counts() == {0: 1882, 1: 1882, 2: count("4-2-1").count, 3: 65534, 4: 65536}


@pytest.mark.slow
@pytest.mark.parametrize("skip", [False, True])
def test_four_inputs_agree_with_classify(four: Path, skip: bool) -> None:
    found = stored_survey(4, four) if not skip else survey(4, store=":memory:", skip=True)
    assert [o.minimum for o in found.outcomes] == \
        [e.result.minimum for e in classify(4, skip=skip).classes]


def test_every_minimum_has_a_verified_witness_and_a_refutation_below(four: Path) -> None:
    for o in stored_survey(4, four).outcomes:
        net = Network.from_dict(o.witness)
        assert not net.disagreements(BooleanFunction.from_truth_tables(4, [o.representative])).any()
        hidden = [len(layer["bias"]) for layer in net.to_dict()["layers"][:-1]]
        assert hidden == ([o.minimum] if o.minimum else [])
        assert min(s["size"] for s in o.steps if s["status"] == "realizable") == o.minimum
        if o.minimum > 0:  # SAT refuted the size below (and so every smaller one)
            assert any(s["size"] == o.minimum - 1 and s["by"] != "tables" for s in o.steps
                       if s["status"] == "unrealizable")
            assert o.refuted()[-1] == f"4-{o.minimum - 1}-1" if o.minimum > 1 else "4-1"


def test_the_table_search_agrees_with_sat_alone() -> None:
    """Two routes to every minimum of 4 inputs: the table search with one SAT refutation, and
    the SAT ladder from size 0 (no table search)."""
    with_tables = survey(4, store=":memory:", jobs=1)
    sat_alone = survey(4, store=":memory:", jobs=1, tables=False)
    assert [o.minimum for o in with_tables.outcomes] == [o.minimum for o in sat_alone.outcomes]
    assert all(s["by"] != "tables" for o in sat_alone.outcomes for s in o.steps)
    assert sum(s["by"] == "tables" for o in with_tables.outcomes for s in o.steps) == 222
    assert sum(s["by"] == "tables" and s["status"] == "realizable"  # all but parity 4
               for o in with_tables.outcomes for s in o.steps) == 221


def test_a_killed_survey_resumes_without_losing_or_repeating_work(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    calls: list[int] = []

    def stop_after_two_chunks(done: int, total: int | None) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        survey(4, store=store, jobs=1, chunk=20, progress=stop_after_two_chunks)
    kept = {o.representative: o for o in stored_survey(4, store).outcomes}
    assert len(kept) == 40  # both chunks stored, nothing of the third
    with pytest.raises(InputError, match="add --resume"):
        survey(4, store=store, jobs=1)
    steps: list[tuple[int, int | None]] = []
    found = survey(4, store=store, jobs=1, resume=True, progress=lambda *s: steps.append(s))
    assert found.complete and steps[-1] == (222 - 40, 222 - 40)  # only the rest was run
    again = {o.representative: o for o in found.outcomes}
    assert all(again[rep].steps == o.steps for rep, o in kept.items())  # not run again


def test_worker_processes_agree_with_one_process() -> None:
    alone = survey(3, store=":memory:", jobs=1)
    pooled = survey(3, store=":memory:", jobs=2, chunk=3)
    assert [(o.representative, o.minimum) for o in pooled.outcomes] == \
        [(o.representative, o.minimum) for o in alone.outcomes]


@pytest.mark.skipif(not HAS_DASK, reason="needs the 'dask' extra (distributed)")
def test_a_dask_local_cluster_of_two_workers_agrees_on_a_sample(four: Path) -> None:
    local = {o.representative: o.minimum for o in stored_survey(4, four).outcomes}
    found = survey(4, store=":memory:", executor="dask", jobs=2, sample=24, seed=3, chunk=6)
    assert len(found.outcomes) == 24
    assert {o.representative: o.minimum for o in found.outcomes}.items() <= local.items()


def test_a_sample_is_drawn_and_an_incomplete_survey_has_no_counts() -> None:
    found = survey(4, store=":memory:", jobs=1, sample=5, seed=1)
    assert len(found.outcomes) == 5 and not found.complete and found.counts() is None
    assert found.to_dict()["capacity"] is None
    same = survey(4, store=":memory:", jobs=1, sample=5, seed=1)
    assert [o.representative for o in same.outcomes] == [o.representative for o in found.outcomes]


def test_a_store_holds_one_survey(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    survey(2, store=store, jobs=1)
    with pytest.raises(InputError, match="holds another survey: inputs 2"):
        survey(3, store=store, jobs=1)
    survey(2, store=store, jobs=1, skip=True)  # the other question in the same file
    skips = stored_survey(2, store, skip=True)
    assert {o.minimum for o in skips.outcomes} == {1, 2}  # XOR2: 2 units in all
    assert [(c["arch"], c["functions"]) for c in skips.to_dict()["capacity"]] == \
        [("2-1 skip", 14), ("2-1-1 skip", 16)]
    (tmp_path / "junk.sqlite").write_text("not a database at all" * 100)
    code = run(["survey", "--inputs", "2", "--store", str(tmp_path / "junk.sqlite"), "--quiet"])
    assert code == 2


def test_time_limits_give_ranges_not_wrong_minima() -> None:
    """A chunk whose checks all run out of time keeps ranges: never a minimum without a
    refutation of every smaller size."""
    outcome = survey_chunk(SurveyJob(4, timeout=1e-9), [(0x6996, 2)])[0]
    if outcome.minimum is not None:  # only if every check was quicker than the limit
        assert [s["status"] for s in outcome.steps][:-1] == ["unrealizable"] * outcome.minimum
    else:
        assert outcome.lower <= (outcome.upper if outcome.upper is not None else outcome.lower)


def test_cli_table_and_summary(four: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "npn4.csv.gz"
    assert run(["survey", "--inputs", "4", "--store", str(four), "--summary", "--table", str(table),
                "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["complete"] and summary["capacity"][2]["functions"] == 41614
    lines = gzip.decompress(table.read_bytes()).decode().splitlines()
    assert lines[0] == "representative,size,minimum,skip_minimum" and len(lines) == 223
    assert lines[-1] == "6996,2,4,"  # parity 4: four hidden units
    assert run(["survey", "--inputs", "4", "--store", str(tmp_path / "none.sqlite"), "--summary"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert run(["survey", "--inputs", "4", "--store", str(tmp_path / "x.sqlite"), "--jobs", "0"]) == 2
    with sqlite3.connect(four) as db:  # the store is plain SQLite that anyone can query
        assert db.execute("SELECT COUNT(*) FROM classes WHERE minimum = 3").fetchone() == (78,)
    SurveyStore(four, 4).close()  # reopening the same survey is fine


def test_the_shipped_four_input_table_is_what_the_survey_writes(four: Path, tmp_path: Path) -> None:
    """surveys/npn4.csv.gz, from `realize survey --inputs 4` with and without --skip."""
    store = tmp_path / "s.sqlite"
    store.write_bytes(four.read_bytes())
    survey(4, store=store, skip=True, jobs=1)
    write_table(store, 4, tmp_path / "npn4.csv.gz")
    shipped = Path(__file__).resolve().parent.parent / "surveys" / "npn4.csv.gz"
    assert (tmp_path / "npn4.csv.gz").read_bytes() == shipped.read_bytes()


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="needs the 'plot' extra")
def test_cli_capacity_plot(four: Path, tmp_path: Path) -> None:
    plot = tmp_path / "capacity.png"
    assert run(["survey", "--inputs", "4", "--store", str(four), "--summary", "--plot", str(plot),
                "--quiet"]) == 0
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert run(["survey", "--inputs", "4", "--store", str(four), "--summary", "--plot",
                str(tmp_path / "capacity.xyz")]) == 2


FIVE = Path(__file__).resolve().parent.parent / "surveys" / "npn5-layered.csv.gz"


def shipped_five() -> list[dict[str, str]]:
    import csv
    import io

    with gzip.open(FIVE, "rt") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def test_the_shipped_five_input_table_is_complete_and_agrees_with_known_counts() -> None:
    """surveys/npn5-layered.csv.gz: one row per NPN class of 5 inputs (the shipped classes, in
    order), every minimum exact; its counts meet the two known ones (94,572 threshold
    functions; 74,986,552 functions of 5-2-1 from `count --method and-pairs`), and the summary
    in surveys/README.md is what the table says."""
    from realize.spec.npn import npn_classes

    rows = shipped_five()
    assert [(int(r["representative"], 16), int(r["size"])) for r in rows] == npn_classes(5)
    minima = [int(r["minimum"]) for r in rows]  # a range ("3-4") would fail here
    functions: dict[int, int] = {}
    for r, m in zip(rows, minima, strict=True):
        functions[m] = functions.get(m, 0) + int(r["size"])
    assert sum(functions.values()) == 2**32
    assert functions[0] == 94_572 and functions[0] + functions.get(1, 0) + functions[2] == 74_986_552
    readme = (FIVE.parent / "README.md").read_text()
    for m, count_ in functions.items():
        classes = minima.count(m)
        assert f"| {m} | {classes:,} | {count_:,} |" in readme, (m, classes, count_)


def test_a_sample_of_the_shipped_five_input_table_is_found_again() -> None:
    """Thirty classes drawn at random: the survey finds the same minima again."""
    import random

    rows = random.Random(5).sample(shipped_five(), 30)
    classes = [(int(r["representative"], 16), int(r["size"])) for r in rows]
    again = survey_chunk(SurveyJob(5), classes)
    assert [o.minimum for o in again] == [int(r["minimum"]) for r in rows]
