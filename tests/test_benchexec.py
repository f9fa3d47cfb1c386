"""BenchExec result XML from suite records, and BenchExec's table-generator reading it."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from realize.apps.benchexec import write_benchexec
from realize.apps.suite import read_records, run_suite
from realize.cli import run
from realize.errors import InputError
from realize.readers.registry import parse_function
from realize.spec.network import Network

HAS_BENCHEXEC = importlib.util.find_spec("benchexec") is not None
SUITE = "\n".join([
    '{"id": "maj3", "function": "e8", "arch": "3-1", "expected": "realizable"}',
    '{"id": "xor3", "function": "96", "arch": "3-2-1", "expected": "unrealizable"}',
    '{"id": "xor3-wrong", "function": "96", "arch": "3-3-1", "expected": "unrealizable"}',
    '{"id": "broken", "function": "zz", "arch": "3-1", "expected": "realizable"}',
]) + "\n"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bx")
    (folder / "tiny.jsonl").write_text(SUITE)
    run_suite([folder / "tiny.jsonl"], backends=["sat", "smt"], jobs=2, out=folder / "r.jsonl")
    return folder / "r.jsonl"


def test_records_keep_a_witness_that_verifies_again(results: Path) -> None:
    for record in read_records(results):
        if record["status"] == "realizable":
            f = parse_function({"maj3": "e8", "xor3-wrong": "96"}[record["id"]], 3)
            assert not Network.from_dict(record["network"]).disagreements(f).any()
        else:
            assert "network" not in record


def test_one_file_per_backend_with_every_run(results: Path, tmp_path: Path) -> None:
    records = read_records(results)
    written = write_benchexec(records, tmp_path / "tiny.xml")
    assert [p.name for p in written] == ["tiny.sat.xml", "tiny.smt.xml"]
    root = ElementTree.parse(written[0]).getroot()
    assert root.tag == "result" and root.get("tool") == "realize" and root.get("name") == "tiny.sat"
    runs = {r.get("name"): {c.get("title"): c.get("value") for c in r.findall("column")}
            for r in root.findall("run")}
    assert set(runs) == {"tiny/maj3", "tiny/xor3", "tiny/xor3-wrong", "tiny/broken"}
    assert runs["tiny/maj3"]["status"] == "true" and runs["tiny/maj3"]["category"] == "correct"
    assert runs["tiny/xor3"]["status"] == "false"
    assert runs["tiny/xor3"]["category"] == "correct-unconfirmed"  # a refutation, not checked
    assert runs["tiny/xor3-wrong"]["category"] == "wrong"
    assert runs["tiny/broken"]["status"].startswith("ERROR (")
    assert runs["tiny/broken"]["category"] == "error"
    for record in records:
        if record["backend"] == "sat":
            seconds = runs[f"tiny/{record['id']}"]["walltime"]
            assert seconds.endswith("s") and float(seconds[:-1]) == pytest.approx(record["time"])
    with pytest.raises(InputError, match="must end in .xml"):
        write_benchexec(records, tmp_path / "tiny.txt")


def test_report_writes_it(results: Path, tmp_path: Path) -> None:
    assert run(["report", str(results), "--benchexec", str(tmp_path / "t.xml")]) == 1  # one wrong
    assert (tmp_path / "t.sat.xml").is_file() and (tmp_path / "t.smt.xml").is_file()


@pytest.mark.skipif(not HAS_BENCHEXEC, reason="needs the 'benchexec' extra (table-generator)")
def test_table_generator_compares_the_two_backends(results: Path, tmp_path: Path) -> None:
    write_benchexec(read_records(results), tmp_path / "tiny.xml")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from benchexec.tablegenerator import main; sys.exit(main())",
         "tiny.sat.xml", "tiny.smt.xml",
         "--format", "csv", "--outputpath", "out", "--name", "cmp"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader((tmp_path / "out" / "cmp.table.csv").open(), delimiter="\t"))
    assert rows[1][1:] == ["tiny.sat"] * 3 + ["tiny.smt"] * 3  # the run sets side by side
    status = {row[0]: (row[1], row[4]) for row in rows[3:]}
    assert status["maj3"] == ("true", "true") and status["xor3"] == ("false", "false")
    assert status["xor3-wrong"] == ("true", "true")
