"""Suites: format, runner (hard limits, resume, categories), reports, and the shipped suites."""

import io
import json
import os
import time
from pathlib import Path

import pytest

from realize import check
from realize.apps.report import Progress, cactus_plot, format_summary, par2, summarize, write_csv
from realize.apps.suite import ResultsNotSaved, load_suite, read_records, run_suite
from realize.cli import run
from realize.errors import EnvironmentFailure, InputError
from realize.spec.npn import npn_classes

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
SHIPPED = ("smoke", "npn4", "parity", "random", "datasets", "monotone", "dag")

QUESTIONS = [
    {"id": "xor2-21", "function": "6", "arch": "2-1"},
    {"id": "xor2-221", "function": "xor", "arch": "2-2-1", "tags": ["parity"]},
    {"id": "maj3-31", "function": "majority", "arch": "3-1"},
    {"id": "xor3-321", "function": "96", "arch": "3-2-1", "family": "parity"},
    {"id": "and-or-w1", "function": "x0 & (x1 | x2)", "arch": "3-1", "max_weight": 1},
    {"id": "pla-331", "function": "xor3.pla", "arch": "3-3-1"},
    {"id": "dag", "function": "6", "arch": {"inputs": 2, "units": {"h": ["x0", "x1"],
                                                                   "y": ["x0", "x1", "h"]}}},
]


def _answer(q: dict, base: Path) -> str:
    """The answer of the library itself, in this process (the suite runner must agree)."""
    arch = q["arch"] if isinstance(q["arch"], str) else None
    if arch is None:
        from realize.spec.architecture import Architecture

        arch = Architecture.from_dict(q["arch"])
    function = str(base / q["function"]) if q["function"].endswith(".pla") else q["function"]
    return check(function, arch, max_weight=q.get("max_weight")).status.value


def _write(path: Path, lines: list) -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A small suite with expected answers from in-process checks (one of them flipped: wrong)."""
    (tmp_path / "xor3.pla").write_text((INSTANCES / "examples" / "xor3.pla").read_text())
    lines = []
    for q in QUESTIONS:
        q = dict(q, expected=_answer(q, tmp_path))
        if q["id"] == "maj3-31":
            q["expected"] = {"realizable": "unrealizable", "unrealizable": "realizable"}[q["expected"]]
        lines.append(q)
    return _write(tmp_path / "small.jsonl", lines)


def _essential(records: list[dict]) -> list[tuple]:
    return [(r["suite"], r["id"], r["backend"], r["status"], r["category"], r["verified"])
            for r in records]


def test_run_categories_and_wrong_answer(suite: Path):
    result = run_suite([suite], jobs=2)
    by_id = {r["id"]: r for r in result.records}
    assert [r["id"] for r in result.records] == [q["id"] for q in QUESTIONS]
    assert by_id["maj3-31"]["category"] == "wrong" and result.wrong == 1
    assert all(r["category"] == "correct" for r in result.records if r["id"] != "maj3-31")
    for r in result.records:
        assert r["verified"] is (True if r["status"] == "realizable" else None)
    assert by_id["xor2-221"]["tags"] == ["parity"] and by_id["xor3-321"]["family"] == "parity"
    assert by_id["xor2-21"]["family"] == "small"  # default family: the suite's name
    assert result.summary.wrong == [{"suite": "small", "id": "maj3-31", "backend": "sat",
                                     "status": by_id["maj3-31"]["status"],
                                     "expected": by_id["maj3-31"]["expected"]}]


def test_cli_exit_code_json_and_csv(suite: Path, tmp_path: Path, capsys):
    assert run(["suite", str(suite), "--json", "--quiet", "--csv", str(tmp_path / "r.csv")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["by_backend"]["sat"]["wrong"] == 1
    rows = (tmp_path / "r.csv").read_text().splitlines()
    assert rows[0].startswith("suite,id,backend,status") and len(rows) == 1 + len(QUESTIONS)
    fixed = [json.loads(x) for x in suite.read_text().splitlines() if "maj3" not in x]
    assert run(["suite", str(_write(tmp_path / "ok.jsonl", fixed)), "--quiet"]) == 0


def test_bad_lines_are_errors_and_the_rest_runs(tmp_path: Path):
    good = {"id": "ok", "function": "8", "arch": "2-1"}
    lines = [
        "not json",
        "[1, 2]",
        {"id": "unknown-field", "function": "8", "arch": "2-1", "colour": "red"},
        {"id": "no-arch", "function": "8"},
        {"id": "bad-type", "function": "8", "arch": "2-1", "skip": "yes"},
        {"id": "bad-expected", "function": "8", "arch": "2-1", "expected": "yes"},
        {"id": "missing-file", "function": "nowhere.csv", "arch": "2-1"},
        {"id": "missing-dag", "function": "8", "arch": "nowhere.json"},
        {"id": "bad-function", "function": "majorty", "arch": "2-1"},
        {"id": "arity", "function": "e8", "arch": "2-1"},
        {"id": "skip-dag", "function": "8", "arch": {"inputs": 2, "units": {"y": ["x0", "x1"]}},
         "skip": True},
        good,
        good,
        "",
    ]
    path = _write(tmp_path / "bad.jsonl", lines)
    records = run_suite([path]).records
    assert [r["category"] for r in records] == ["error"] * 11 + ["missing", "error"]
    reasons = [r.get("reason", "") for r in records]
    assert reasons[0].startswith("bad.jsonl:1: not valid JSON")
    for text, reason in zip(["JSON object", "unknown field 'colour'", "missing field 'arch'",
                             "'skip' has the wrong type", "'expected' must be", "nowhere.csv",
                             "nowhere.json", "majorty", "inputs", "'skip' applies"], reasons[1:],
                            strict=False):
        assert text in reason
    assert records[-1]["id"] == "ok (line 13)" and "duplicate id" in reasons[-1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_stuck_instance_is_killed_without_stalling_the_others(tmp_path: Path):
    # reading a named pipe that nobody writes blocks forever: a worker that ignores its limit
    os.mkfifo(tmp_path / "stuck.csv")
    quick = [{"id": f"q{k}", "function": f, "arch": "2-1"} for k, f in enumerate("8e17")]
    path = _write(tmp_path / "s.jsonl", [{"id": "stuck", "function": "stuck.csv", "arch": "2-1",
                                          "timeout": 1}, *quick])
    start = time.perf_counter()
    result = run_suite([path], jobs=2, grace=0.5)
    stuck, *rest = result.records
    assert stuck["status"] == "timeout" and stuck["category"] == "unknown"
    assert "killed" in stuck["reason"] and 1.5 <= stuck["time"] < 10
    assert [r["status"] for r in rest] == ["realizable"] * 4
    assert time.perf_counter() - start < 60
    assert result.summary.by_backend["sat"]["par2"] == pytest.approx(
        2 * 1 + sum(r["time"] for r in rest), abs=0.01)


def test_interrupted_run_resumes_to_the_straight_result(suite: Path, tmp_path: Path):
    straight = run_suite([suite], backends="sat,smt", jobs=2, out=tmp_path / "a.jsonl")
    seen = []

    def interrupt(record: dict, total: int) -> None:
        seen.append(record)
        if len(seen) == 5:
            raise KeyboardInterrupt

    out = tmp_path / "b.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_suite([suite], backends="sat,smt", jobs=2, out=out, on_record=interrupt)
    assert len(read_records(out)) == 5
    with out.open("a") as fh:
        fh.write('{"suite": "small", "id": "xor2-')  # a line cut short by a kill
    with pytest.raises(InputError, match="--resume"):
        run_suite([suite], out=out)
    resumed = run_suite([suite], backends="sat,smt", jobs=2, out=out, resume=True)
    assert resumed.resumed == 5
    assert _essential(resumed.records) == _essential(straight.records)
    assert len(read_records(out)) == len(straight.records) == 2 * len(QUESTIONS)
    again = run_suite([suite], backends="sat,smt", out=out, resume=True)
    assert again.resumed == len(straight.records) and _essential(again.records) == _essential(
        straight.records)


def test_dask_executor_matches_local_pool(suite: Path, tmp_path: Path):
    pytest.importorskip("distributed")
    few = _write(tmp_path / "few" / "small.jsonl", suite.read_text().splitlines()[:4])
    local = run_suite([few], backends="sat,smt", jobs=2)
    dask = run_suite([few], backends="sat,smt", jobs=2, executor="dask")
    assert dask.executor == "dask" and _essential(dask.records) == _essential(local.records)


@pytest.mark.slow
def test_dask_cluster_of_worker_processes_by_address(suite: Path):
    # Dask worker processes are daemonic: the runner must still start its workers there
    distributed = pytest.importorskip("distributed")
    local = run_suite([suite], jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as c:
        remote = run_suite([suite], executor="dask", scheduler=c.scheduler_address)
    assert _essential(remote.records) == _essential(local.records)


def test_run_arguments_are_checked(suite: Path):
    for kwargs, message in (({"jobs": 0}, "--jobs"), ({"timeout": -1}, "--timeout"),
                            ({"backends": "sat,z4"}, "z4"), ({"backends": "sat,sat"}, "distinct"),
                            ({"scheduler": "tcp://x:1"}, "--executor dask")):
        with pytest.raises(InputError, match=message):
            run_suite([suite], **kwargs)
    with pytest.raises(InputError, match="two suites"):
        run_suite([suite, suite])
    assert run(["suite", str(suite.parent / "none.jsonl")]) == 2


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 1e308, -1.0, 0.0])
def test_run_timeout_must_be_positive_and_finite(suite: Path, timeout: float):
    with pytest.raises(InputError, match="--timeout"):
        run_suite([suite], timeout=timeout)


def test_output_file_is_checked_before_anything_runs(suite: Path, tmp_path: Path):
    with pytest.raises(InputError, match="--resume needs --out"):
        run_suite([suite], resume=True)
    (tmp_path / "adir").mkdir()
    with pytest.raises(EnvironmentFailure, match="it is a folder"):  # not "pass --resume"
        run_suite([suite], out=tmp_path / "adir")
    with pytest.raises(EnvironmentFailure, match="there is no folder"):
        run_suite([suite], out=tmp_path / "missing" / "r.jsonl")
    with pytest.raises(InputError, match="empty"):
        run_suite([suite], out="")
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_stops_the_run_and_keeps_the_records(suite: Path):
    with pytest.raises(ResultsNotSaved, match="No space left") as caught:
        run_suite([suite], out="/dev/full")
    assert "continue with --resume" in str(caught.value)
    kept = caught.value.run.records
    assert 1 <= len(kept) < len(QUESTIONS) and all(r["status"] != "error" for r in kept)


def test_suite_file_encoding(tmp_path: Path):
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "function": "8", "arch": "2-1"}).encode())
    assert [(i.id, i.error) for i in load_suite(bom)] == [("a", "")]
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "a", "function": "8", "arch": "2-1"}\n{"id": "caf\xe9"}\n')
    with pytest.raises(InputError, match="latin.jsonl:2: not UTF-8"):
        load_suite(latin)


@pytest.mark.parametrize("field, raw, words", [
    ("max_weight", "1" + "0" * 200, "digits"),
    ("arch", "[" * 5000 + "]" * 5000, "nested too deeply"),
    ("timeout", "NaN", "NaN"),
    ("timeout", "1e308", "'timeout'"),
    ("timeout", "-2", "'timeout'"),
    ("timeout", "true", "wrong type"),
])
def test_hostile_line_is_an_error_record(tmp_path: Path, field: str, raw: str, words: str):
    line = json.dumps({"id": "a", "function": "8", "arch": "2-1", field: "@@"}).replace('"@@"', raw)
    path = tmp_path / "s.jsonl"
    path.write_text(line + "\n" + json.dumps({"id": "b", "function": "8", "arch": "2-1"}) + "\n")
    bad, good = load_suite(path)
    assert bad.error.startswith("s.jsonl:1:") and words in bad.error
    assert not good.error


@pytest.mark.parametrize("change, words", [
    ({"time": "fast"}, "field 'time' has the wrong type (str)"),
    ({"time": True}, "field 'time' has the wrong type (bool)"),
    ({"time": -1.0}, "must not be negative"),
    ({"id": [1]}, "field 'id'"),
    ({"suite": 7}, "field 'suite'"),
    ({"status": "maybe"}, "unknown status"),
    ({"category": 3}, "field 'category'"),
    ({"category": "great"}, "unknown category"),
    ({"tags": ["a", 1]}, "'tags'"),
    ({"verified": "yes"}, "field 'verified'"),
])
def test_result_records_are_checked_when_read(tmp_path: Path, change: dict, words: str):
    path = tmp_path / "r.jsonl"
    good = _record("a", "sat", "realizable", "correct", 0.5)
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, **change}) + "\n")
    with pytest.raises(InputError, match=f"r.jsonl:2: .*{words}".replace("(", r"\(").replace(")", r"\)")):
        read_records(path)


@pytest.mark.parametrize("raw, words", [("NaN", "NaN"), ("1e999", "finite"),
                                        ("1" + "0" * 5000, "digits")])
def test_result_record_numbers(tmp_path: Path, raw: str, words: str):
    path = tmp_path / "r.jsonl"
    line = json.dumps(_record("a", "sat", "realizable", "correct", 0.5)).replace("0.5", raw)
    path.write_text(line + "\n")
    with pytest.raises(InputError, match=words):
        read_records(path)
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_record("a", "sat", "timeout", "unknown", 1)).encode()
                     + b"\n")
    assert read_records(path)[0]["id"] == "a"


def test_bad_scheduler_address_is_an_input_error(suite: Path):
    pytest.importorskip("distributed")
    for address in ("not-an-address", "::::"):
        with pytest.raises(InputError, match="not a Dask scheduler address"):
            run_suite([suite], executor="dask", scheduler=address)


# -- reports --------------------------------------------------------------------------------------

def _record(ident: str, backend: str, status: str, category: str, t: float, family: str = "f"):
    return {"suite": "s", "id": ident, "backend": backend, "status": status, "expected": None,
            "category": category, "time": t, "verified": None, "timeout": 10.0, "family": family}


RECORDS = [
    _record("a", "sat", "realizable", "correct", 0.5),
    _record("b", "sat", "unrealizable", "wrong", 1.0),
    _record("c", "sat", "timeout", "unknown", 10.0, "g"),
    _record("a", "smt", "realizable", "correct", 2.0),
    _record("b", "smt", "realizable", "missing", 3.0),
    _record("c", "smt", "error", "error", 0.0, "g"),
]


def test_summary_counts_par2_and_side_by_side_table():
    s = summarize(RECORDS)
    assert s.backends == ["sat", "smt"]
    sat, smt = s.by_backend["sat"], s.by_backend["smt"]
    assert (sat["solved"], sat["wrong"], sat["timeout"], smt["solved"], smt["error"]) == (1, 1, 1, 2, 1)
    assert sat["par2"] == pytest.approx(0.5 + 20 + 20) and smt["par2"] == pytest.approx(2 + 3 + 20)
    assert par2(RECORDS[0]) == 0.5 and par2(RECORDS[1]) == 20.0
    assert s.by_family["f"]["smt"] == {"instances": 2, "solved": 2, "time": 5.0}
    text = format_summary(s)
    assert text.splitlines()[0].split() == ["backend", "sat", "smt"]
    assert "PAR-2 (s)" in text and "WRONG: s/b on sat" in text
    assert any(line.split()[:3] == ["g", "0/1", "0/1"] for line in text.splitlines())


def test_report_command_csv_and_plot(tmp_path: Path, capsys):
    pytest.importorskip("matplotlib")
    results = _write(tmp_path / "r.jsonl", RECORDS)
    plot = tmp_path / "cactus.png"
    assert run(["report", str(results), "--plot", str(plot), "--json"]) == 1  # one wrong answer
    assert json.loads(capsys.readouterr().out)["by_backend"]["smt"]["solved"] == 2
    assert plot.read_bytes().startswith(b"\x89PNG")
    cactus_plot(RECORDS, tmp_path / "c.svg")
    assert b"<svg" in (tmp_path / "c.svg").read_bytes()
    write_csv(RECORDS, tmp_path / "r.csv")
    assert len((tmp_path / "r.csv").read_text().splitlines()) == 1 + len(RECORDS)
    (tmp_path / "junk.jsonl").write_text('{"x": 1}\n')
    assert run(["report", str(tmp_path / "junk.jsonl")]) == 2


def test_progress_bar_on_a_terminal_plain_lines_otherwise():
    plain = io.StringIO()
    progress = Progress(plain)
    for r in RECORDS[:2]:
        progress(r, 2)
    assert plain.getvalue().splitlines() == [
        "[1/2] s/a sat: realizable (correct, 0.50 s)", "[2/2] s/b sat: unrealizable (wrong, 1.00 s)"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Terminal()
    bar = Progress(tty)
    bar(RECORDS[0], 2)  # within the first second: not drawn
    assert tty.getvalue() == ""
    bar.bar.start -= 2  # two seconds later
    bar(RECORDS[1], 2)  # the last one is always drawn, and ends the line
    assert tty.getvalue().count("\r") == 1 and "2/2 2 s correct 1 wrong 1" in tty.getvalue()
    assert tty.getvalue().endswith("\n")


# -- shipped suites --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_suites_parse_and_name_their_files(name: str):
    instances = load_suite(INSTANCES / f"{name}.jsonl")
    assert instances and all(not i.error for i in instances)
    assert all(i.expected is not None or i.timeout for i in instances)  # unsettled ones are quick


def test_smoke_suite_is_all_correct_on_the_default_backend():
    result = run_suite([INSTANCES / "smoke.jsonl"], jobs=2)
    assert all(i.expected for i in load_suite(INSTANCES / "smoke.jsonl"))
    assert {r["category"] for r in result.records} == {"correct"}


def test_npn4_expected_answers_match_reference_counts(known: dict):
    by_arch: dict[str, dict[int, str]] = {}
    for i in load_suite(INSTANCES / "npn4.jsonl"):
        by_arch.setdefault(i.arch, {})[int(i.function, 16)] = i.expected
    classes = [rep for rep, _ in npn_classes(4)]
    assert sorted(by_arch) == ["4-1-1", "4-2-1", "4-3-1"]
    assert all(sorted(answers) == classes for answers in by_arch.values())
    realizable = {a: {t for t, e in answers.items() if e == "realizable"} for a, answers in by_arch.items()}
    # a 4-1-1 network computes exactly the threshold functions of 4 inputs
    ths = known["npn_classes_threshold_functions"]
    assert len(realizable["4-1-1"]) == ths["count"][ths["n"].index(4)]
    # more hidden units never hurt; 4-3-1 misses only parity (one NPN class: XOR4 and XNOR4)
    assert realizable["4-1-1"] <= realizable["4-2-1"] <= realizable["4-3-1"]
    assert set(classes) - realizable["4-3-1"] == {min(0x6996, 0x9669)}


def test_parity_expected_answers_are_consistent():
    answers = {(i.id): i.expected for i in load_suite(INSTANCES / "parity.jsonl")}
    for n in range(2, 7):  # n hidden units always suffice (some answers are unsettled)
        assert answers[f"xor{n}-{n}-{n}-1"] != "unrealizable"
        assert answers[f"xor{n}-{n}-{n}-1-skip"] != "unrealizable"
    assert sum(a == "realizable" for a in answers.values()) >= 12
    assert answers["xor3-3-2-1"] == "unrealizable"  # known.json: 3-2-1 misses only XOR3, XNOR3


def _layered_widths(arch: object) -> tuple[int, ...] | None:
    if not isinstance(arch, str) or arch.endswith(".json"):
        return None
    return tuple(int(w) for w in arch.split("-"))


def test_shipped_answers_never_shrink_with_more_hidden_units():
    # a wider layer can give the extra units zero weights: realizable stays realizable
    groups: dict[tuple, list] = {}
    for name in SHIPPED:
        for i in load_suite(INSTANCES / f"{name}.jsonl"):
            widths = _layered_widths(i.arch)
            if widths is not None and i.expected:
                key = (i.function, len(widths), widths[0], i.skip, i.max_weight, i.max_bias, i.nonneg)
                groups.setdefault(key, []).append((widths, i.expected))
    pairs = 0
    for answers in groups.values():
        for small, e_small in answers:
            for big, e_big in answers:
                if small != big and all(a <= b for a, b in zip(small, big, strict=True)):
                    pairs += 1
                    assert not (e_small == "realizable" and e_big == "unrealizable")
    assert pairs > 300


def test_monotone_suite_realizes_only_monotone_functions():
    from realize.readers.registry import parse_function

    realizable = 0
    for i in load_suite(INSTANCES / "monotone.jsonl"):
        assert i.nonneg
        f = parse_function(i.function, i.architecture().n_inputs)
        table = dict(zip(f.rows.tolist(), f.values[0].tolist(), strict=True))
        monotone = all(table[x] <= table[x | 1 << b] for x in table for b in range(f.n))
        if i.expected == "realizable":
            realizable += 1
            assert monotone, i.id  # non-negative weights compute monotone functions only
    assert realizable >= 5


def test_planted_instances_are_realizable():
    # tables of random n-2-1 networks (random) and of random weights on a DAG (dag)
    planted = [i for name in ("random", "dag") for i in load_suite(INSTANCES / f"{name}.jsonl")
               if "planted" in i.id and (not isinstance(i.arch, str) or i.arch.endswith("-2-1"))]
    assert len(planted) >= 18
    assert all(i.expected == "realizable" for i in planted)
