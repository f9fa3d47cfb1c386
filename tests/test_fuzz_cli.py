"""A bounded fuzz of the command line: hostile input for every subcommand and file format.

Each case runs ``python -m realize ...`` in a fresh folder, in a subprocess with a hard time limit,
and checks the contract: the expected exit code; for bad input (exit 2) exactly one stderr line
``realize: error: ...`` and no file written; never a traceback; never a hang. The expected codes
are the correct behaviour, not necessarily today's. The cases run in a small thread pool once per
module; once no case hangs, the whole file takes under a minute on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TIMEOUT_S = 20.0  # a case that needs longer is a hang
MEMORY_KB = 3_000_000  # address-space limit per case, so an infeasible size cannot eat the machine
WORKERS = 4

REALIZABLE, UNREALIZABLE, UNKNOWN, BAD = 10, 20, 0, 2
OK = 0  # eval, encode, count, classify, suite, report

BIG = "1" + "0" * 4400  # over Python's 4300-digit limit for int(str)
E30 = str(10**30)
DEEP = "[" * 50_000 + "]" * 50_000
LATIN1 = b'{"inputs": 2, "name": "caf\xe9"}\n'  # not UTF-8

XOR_NET = {"inputs": 2, "skip": False,
           "layers": [{"weights": [[1, 1], [-1, -1]], "bias": [-2, 0]},
                      {"weights": [[-1, -1]], "bias": [0]}]}
SKIP_NET = {"inputs": 2, "skip": True,  # AND2 on 2-1-1 with skip connections
            "layers": [{"weights": [[1, 1]], "bias": [-2]}, {"weights": [[0, 0, 1]], "bias": [-1]}]}
DAG = {"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["x0", "x1", "h"]}, "outputs": ["y"]}
AND_PLA = ".i 2\n.o 1\n11 1\n.e\n"
AND_CSV = "x0,x1,y\n0,0,0\n0,1,0\n1,1,1\n"
INSTANCE = {"id": "and2", "function": "8", "arch": "2-1", "expected": "realizable"}
RECORD = {"suite": "s", "id": "and2", "backend": "sat", "status": "realizable",
          "expected": "realizable", "category": "correct", "time": 0.01, "verified": True,
          "timeout": 60.0, "family": "s", "tags": []}


def jline(obj: object) -> bytes:
    return (json.dumps(obj) + "\n").encode()


def unit_net(weights: list[int], bias: int) -> bytes:
    """A network of one unit over len(weights) inputs."""
    return jline({"inputs": len(weights), "skip": False,
                  "layers": [{"weights": [weights], "bias": [bias]}]})


def with_field(obj: dict, key: str, raw: str) -> bytes:
    """obj as one JSON line with key's value spliced in as raw JSON text (NaN, huge numbers)."""
    text = json.dumps({**obj, key: "@@"}).replace('"@@"', raw)
    return (text + "\n").encode()


def wide_pla(n: int) -> bytes:
    """A PLA of type fr with n inputs and two rows."""
    return f".i {n}\n.o 1\n.type fr\n{'1' * n} 1\n{'0' * n} 0\n.e\n".encode()


@dataclass(frozen=True)
class Case:
    """One invocation and what the contract demands of it."""

    name: str
    argv: tuple[str, ...]
    codes: frozenset[int]
    files: dict[str, bytes] = field(default_factory=dict)  # a name ending in / is a folder
    stdout: str = "pipe"  # pipe, closed (read end closed at once), head (| head -1), full (/dev/full)
    out_has: tuple[str, ...] = ()  # required on stdout whenever the exit code is not 2
    err_lacks: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()  # files whose complete lines must survive the run (results)
    kept_out: tuple[str, ...] = ()  # required on stdout on exit 2: the answer computed is kept
    json_kind: str = ""  # on exit 2 stdout is one JSON error object of this kind


def case(name: str, argv: list[str], *codes: int, files: dict[str, bytes] | None = None,
         stdout: str = "pipe", out_has: tuple[str, ...] = (), err_lacks: tuple[str, ...] = (),
         keeps: tuple[str, ...] = (), kept_out: tuple[str, ...] = (), json_kind: str = "") -> Case:
    return Case(name, tuple(argv), frozenset(codes), files or {}, stdout, out_has, err_lacks, keeps,
                kept_out, json_kind)


def bad(name: str, argv: list[str], files: dict[str, bytes] | None = None, stdout: str = "pipe",
        err_lacks: tuple[str, ...] = (), kept_out: tuple[str, ...] = (), json_kind: str = "") -> Case:
    """Bad input or environment: exit 2, one line, nothing written."""
    return case(name, argv, BAD, files=files, stdout=stdout, err_lacks=err_lacks,
                kept_out=kept_out, json_kind=json_kind)


def suite_cases() -> Iterator[Case]:
    s = {"s.jsonl": jline(INSTANCE)}
    yield case("suite-ok", ["suite", "s.jsonl", "--quiet", "--out", "r.jsonl"], OK, files=s,
               out_has=("1/1",))
    done = jline({**RECORD, "suite": "s2", "family": "s2"}) + b'{"suite": "s2", "id": "or'  # cut short
    yield case("suite-resume-keeps-results",
               ["suite", "s2.jsonl", "--quiet", "--out", "r.jsonl", "--resume"], OK,
               files={"s2.jsonl": jline(INSTANCE) + jline({**INSTANCE, "id": "or2", "function": "e"}),
                      "r.jsonl": done},
               out_has=("2/2",), keeps=("r.jsonl",))
    yield case("suite-line-with-utf8-bom", ["suite", "s.jsonl", "--quiet", "--json"], OK,
               files={"s.jsonl": b"\xef\xbb\xbf" + jline(INSTANCE)}, out_has=('"category": "correct"',))
    for label, raw in [("huge-int", BIG), ("deep-nesting", DEEP)]:
        yield case(f"suite-line-{label}-is-an-error-record", ["suite", "s.jsonl", "--quiet", "--json"],
                   OK, files={"s.jsonl": with_field(INSTANCE, "max_weight", raw)},
                   out_has=('"status": "error"',))
    yield case("suite-field-timeout-nan-is-an-error-record", ["suite", "s.jsonl", "--quiet", "--json"],
               OK, files={"s.jsonl": with_field(INSTANCE, "timeout", "NaN")},
               out_has=('"status": "error"',))
    yield case("suite-non-utf8", ["suite", "s.jsonl", "--quiet", "--json"], OK, BAD,
               files={"s.jsonl": jline(INSTANCE) + LATIN1}, out_has=('"status": "error"',))
    for value in ["nan", "inf", "1e308", "-1"]:
        yield bad(f"suite-timeout-{value}", ["suite", "s.jsonl", "--quiet", f"--timeout={value}"], s)
    yield bad("suite-jobs-0", ["suite", "s.jsonl", "--quiet", "--jobs", "0"], s)
    yield bad("suite-resume-without-out", ["suite", "s.jsonl", "--quiet", "--resume"], s)
    yield bad("suite-out-missing-folder", ["suite", "s.jsonl", "--quiet", "--out", "missing/r.jsonl"], s)
    yield bad("suite-out-is-a-folder", ["suite", "s.jsonl", "--quiet", "--out", "adir"],
              {**s, "adir/": b""}, err_lacks=("--resume",))  # the folder is the problem, not resuming
    yield bad("suite-out-empty-name", ["suite", "s.jsonl", "--quiet", "--out", ""], s)
    yield bad("suite-out-full-disk", ["suite", "s.jsonl", "--quiet", "--out", "/dev/full"], s,
              kept_out=("1/1",))  # the summary of what was computed is still printed
    yield bad("suite-out-full-disk-json", ["suite", "s.jsonl", "--quiet", "--json", "--out", "/dev/full"],
              s, json_kind="environment", kept_out=('"category": "correct"',))
    yield bad("suite-csv-full-disk", ["suite", "s.jsonl", "--quiet", "--csv", "/dev/full"], s,
              kept_out=("1/1",))
    yield bad("suite-csv-empty-name", ["suite", "s.jsonl", "--quiet", "--csv", ""], s)
    yield bad("suite-out-is-a-folder-json", ["suite", "s.jsonl", "--quiet", "--json", "--out", "adir"],
              {**s, "adir/": b""}, json_kind="environment")
    for value in ["nan", "inf", "1e308", "-1"]:
        yield case(f"suite-field-timeout-{value}-and-the-rest-runs",
                   ["suite", "s.jsonl", "--quiet", "--json"], OK,
                   files={"s.jsonl": with_field(INSTANCE, "timeout", json.dumps(float(value)))
                          + jline({**INSTANCE, "id": "or2", "function": "e"})},
                   out_has=('"status": "error"', '"category": "correct"'))  # and the rest runs
    yield case("suite-line-with-utf8-bom-mid-file", ["suite", "s.jsonl", "--quiet", "--json"], OK,
               files={"s.jsonl": jline({**INSTANCE, "id": "or2", "function": "e"})
                      + b"\xef\xbb\xbf" + jline(INSTANCE)},
               out_has=('"id": "and2", "backend": "sat", "status": "realizable"',))
    yield bad("suite-csv-missing-folder",
              ["suite", "s.jsonl", "--quiet", "--out", "r.jsonl", "--csv", "missing/r.csv"], s)
    yield bad("suite-csv-is-a-folder", ["suite", "s.jsonl", "--quiet", "--csv", "adir"],
              {**s, "adir/": b""})
    yield bad("suite-missing-file", ["suite", "nothere.jsonl", "--quiet"])
    yield bad("suite-scheduler-not-an-address",
              ["suite", "s.jsonl", "--quiet", "--executor", "dask", "--scheduler", "not-an-address"], s)
    yield bad("suite-scheduler-colons",
              ["suite", "s.jsonl", "--quiet", "--executor", "dask", "--scheduler", "::::"], s)
    yield bad("suite-backend-unknown", ["suite", "s.jsonl", "--quiet", "--backend", "sat,nope"], s)


def report_cases() -> Iterator[Case]:
    r = {"r.jsonl": jline(RECORD)}
    yield case("report-ok", ["report", "r.jsonl", "--csv", "r.csv"], OK, files=r, out_has=("1/1",))
    yield bad("report-nan-time", ["report", "r.jsonl"], {"r.jsonl": with_field(RECORD, "time", "NaN")})
    yield bad("report-wrong-field-types", ["report", "r.jsonl"],
              {"r.jsonl": jline({**RECORD, "suite": 7, "id": [1], "status": 5, "time": "fast"})})
    yield bad("report-huge-int", ["report", "r.jsonl"], {"r.jsonl": with_field(RECORD, "time", BIG)})
    yield bad("report-deep-nesting", ["report", "r.jsonl"], {"r.jsonl": DEEP.encode() + b"\n"})
    yield bad("report-non-utf8", ["report", "r.jsonl"], {"r.jsonl": jline(RECORD) + LATIN1})
    yield bad("report-plot-missing-folder", ["report", "r.jsonl", "--plot", "missing/c.png"], r)
    yield bad("report-plot-is-a-folder", ["report", "r.jsonl", "--plot", "c.png"], {**r, "c.png/": b""})
    yield bad("report-csv-missing-folder", ["report", "r.jsonl", "--csv", "missing/r.csv"], r)
    yield bad("report-csv-full-disk", ["report", "r.jsonl", "--csv", "/dev/full"], r)
    yield bad("report-stdout-closed", ["report", "r.jsonl"], r, stdout="closed")
    yield bad("report-stdout-full-disk", ["report", "r.jsonl"], r, stdout="full")
    yield case("report-with-utf8-bom", ["report", "r.jsonl"], OK,
               files={"r.jsonl": b"\xef\xbb\xbf" + jline(RECORD)}, out_has=("1/1",))
    yield bad("report-unknown-status", ["report", "r.jsonl"],
              {"r.jsonl": jline({**RECORD, "status": "maybe"})})
    yield bad("report-negative-time", ["report", "r.jsonl"], {"r.jsonl": jline({**RECORD, "time": -1})})
    yield bad("report-infinite-timeout", ["report", "r.jsonl"],
              {"r.jsonl": with_field(RECORD, "timeout", "1e999")})
    yield bad("report-bool-time", ["report", "r.jsonl"], {"r.jsonl": jline({**RECORD, "time": True})})
    yield bad("report-missing-file-json", ["report", "nothere.jsonl", "--json"], json_kind="environment")
    yield bad("report-bad-record-json", ["report", "r.jsonl", "--json"],
              {"r.jsonl": jline({**RECORD, "time": "fast"})}, json_kind="input")
    yield bad("report-csv-is-a-folder", ["report", "r.jsonl", "--csv", "adir"], {**r, "adir/": b""})
    yield bad("report-csv-empty-name", ["report", "r.jsonl", "--csv", ""], r)
    yield bad("report-plot-empty-name", ["report", "r.jsonl", "--plot", ""], r)
    yield bad("report-plot-full-disk", ["report", "r.jsonl", "--plot", "/dev/full"], r,
              kept_out=("1/1",))


def network_cases() -> Iterator[Case]:
    net = {"net.json": jline(XOR_NET)}
    yield case("eval-ok", ["eval", "net.json"], OK, files=net, out_has=("y0: 6",))
    yield case("counterexample-equivalent", ["counterexample", "6", "--network", "net.json"],
               UNREALIZABLE, files=net, out_has=("EQUIVALENT",))
    yield case("counterexample-found", ["counterexample", "8", "--network", "net.json"],
               REALIZABLE, files=net, out_has=("COUNTEREXAMPLE",))
    big = {"net.json": unit_net([2**62, 2**62], 0)}  # computes the constant 1: table f
    yield case("eval-weights-2^62", ["eval", "net.json"], OK, files=big, out_has=("y0: f",))
    yield case("counterexample-weights-2^62", ["counterexample", "f", "--network", "net.json"],
               UNREALIZABLE, files=big, out_has=("EQUIVALENT",))
    beyond = {"net.json": unit_net([2**63, 2**64], 0)}
    yield case("eval-weights-beyond-int64", ["eval", "net.json"], OK, BAD, files=beyond,
               out_has=("y0: f",))
    yield case("counterexample-weights-beyond-int64", ["counterexample", "f", "--network", "net.json"],
               UNREALIZABLE, BAD, files=beyond, out_has=("EQUIVALENT",))
    yield case("eval-skip", ["eval", "net.json"], OK, files={"net.json": jline(SKIP_NET)},
               out_has=("y0: 8",))
    for value in ["yes", "false"]:  # SKIP_NET has the shape of a skip network: only the type is wrong
        yield bad(f"eval-skip-string-{value}", ["eval", "net.json"],
                  {"net.json": with_field(SKIP_NET, "skip", json.dumps(value))})
    yield bad("eval-huge-int", ["eval", "net.json"], {"net.json": with_field(XOR_NET, "inputs", BIG)})
    yield bad("eval-deep-nesting", ["eval", "net.json"], {"net.json": DEEP.encode()})
    yield bad("eval-non-utf8", ["eval", "net.json"], {"net.json": LATIN1})
    yield bad("eval-too-many-inputs", ["eval", "net.json"], {"net.json": unit_net([1] * 30, 0)})
    yield bad("eval-not-an-object", ["eval", "net.json"], {"net.json": b"[1, 2]\n"})
    yield bad("eval-missing-file", ["eval", "nothere.json"])
    yield case("counterexample-solver-lingeling",  # no time limit here, so a plain solve will do
               ["counterexample", "x0 & x1", "--network", "net.json", "--method", "sat",
                "--solver", "lingeling"], REALIZABLE, BAD, files=net, out_has=("COUNTEREXAMPLE",))
    yield bad("counterexample-limit-negative", ["counterexample", "8", "--network", "net.json",
                                                "--limit", "-1"], net)


def function_cases() -> Iterator[Case]:
    """FUNCTION and --arch in every format, through check."""
    yield case("check-hex", ["check", "6", "--arch", "2-2-1"], REALIZABLE)
    yield case("check-expression", ["check", "x0 & (x1 | x2)", "--arch", "3-1", "--max-weight", "1"],
               UNREALIZABLE)
    yield case("check-family", ["check", "threshold:2", "--arch", "3-1"], REALIZABLE)
    yield case("check-pla", ["check", "f.pla", "--arch", "2-1"], REALIZABLE,
               files={"f.pla": AND_PLA.encode()})
    yield case("check-csv", ["check", "f.csv", "--arch", "2-1"], REALIZABLE,
               files={"f.csv": AND_CSV.encode()})
    yield case("check-dag-arch", ["check", "6", "--arch", "dag.json"], REALIZABLE,
               files={"dag.json": jline(DAG)})
    yield case("check-multi-output-family-first", ["check", "threshold:2, parity", "--arch", "3-2-2"],
               UNREALIZABLE, out_has=("e8,96",))
    yield case("check-multi-output-family-last", ["check", "parity, threshold:2", "--arch", "3-2-2"],
               UNREALIZABLE, out_has=("96,e8",))
    yield case("check-arch-over-255-bytes", ["check", "8", "--arch", "2-" + "-".join(["1"] * 130)],
               REALIZABLE)
    yield bad("check-arch-garbage-over-255-bytes", ["check", "8", "--arch", "x" * 300])
    yield bad("check-function-over-255-bytes", ["check", "a" * 300 + ".pla", "--arch", "2-1"])
    yield bad("check-expression-huge-variable", ["check", "x" + BIG, "--arch", "2-1"])
    yield bad("check-threshold-huge-k", ["check", "threshold:" + BIG, "--arch", "2-1"])
    yield bad("check-hex-5000-digits", ["check", "f" * 5000, "--arch", "2-1"])
    yield bad("check-expression-deep", ["check", "(" * 50_000 + "x0" + ")" * 50_000, "--arch", "1-1"])
    yield bad("check-arch-huge-width", ["check", "8", "--arch", f"2-{BIG}-1"])
    yield bad("check-pla-huge-inputs", ["check", "f.pla", "--arch", "2-1"],
              {"f.pla": f".i {BIG}\n.o 1\n.e\n".encode()})
    yield bad("check-pla-non-utf8", ["check", "f.pla", "--arch", "2-1"],
              {"f.pla": b".i 2\n.o 1\n# caf\xe9\n11 1\n.e\n"})
    yield bad("check-csv-huge-cell", ["check", "f.csv", "--arch", "2-1"],
              {"f.csv": f"0,0,0\n1,1,{BIG}\n".encode()})
    yield bad("check-csv-non-utf8", ["check", "f.csv", "--arch", "2-1"],
              {"f.csv": b"x0,x1,caf\xe9\n1,1,1\n"})
    yield bad("check-dag-arch-huge-int", ["check", "6", "--arch", "dag.json"],
              {"dag.json": with_field(DAG, "inputs", BIG)})
    yield bad("check-dag-arch-deep-nesting", ["check", "6", "--arch", "dag.json"],
              {"dag.json": DEEP.encode()})
    yield bad("check-dag-arch-non-utf8", ["check", "6", "--arch", "dag.json"], {"dag.json": LATIN1})
    yield bad("check-dag-arch-cycle", ["check", "6", "--arch", "dag.json"],
              {"dag.json": jline({"inputs": 2, "units": {"a": ["x0", "b"], "b": ["a", "x1"]}})})


def check_option_cases() -> Iterator[Case]:
    for value in ["nan", "inf", "-1"]:
        yield bad(f"check-timeout-{value}", ["check", "6", "--arch", "2-2-1", f"--timeout={value}"])
    yield case("check-timeout-1e308", ["check", "6", "--arch", "2-2-1", "--timeout", "1e308"],
               REALIZABLE, BAD)
    yield bad("check-save-missing-folder", ["check", "6", "--arch", "2-2-1", "--save", "missing/n.json"])
    yield bad("check-save-is-a-folder", ["check", "6", "--arch", "2-2-1", "--save", "adir"],
              {"adir/": b""})
    yield bad("check-save-empty-name", ["check", "6", "--arch", "2-2-1", "--save", ""])
    yield bad("check-save-full-disk", ["check", "6", "--arch", "2-2-1", "--save", "/dev/full"])
    yield bad("check-proof-missing-folder", ["check", "6", "--arch", "2-1", "--proof", "missing/p.drat"])
    yield bad("check-stdout-closed", ["check", "6", "--arch", "2-2-1"], stdout="closed")
    yield bad("check-stdout-full-disk", ["check", "6", "--arch", "2-2-1"], stdout="full")
    yield bad("check-stdout-closed-json", ["check", "6", "--arch", "2-2-1", "--json"], stdout="closed")
    yield bad("check-save-full-disk-keeps-the-answer",
              ["check", "6", "--arch", "2-2-1", "--save", "/dev/full"], kept_out=("REALIZABLE",))
    yield bad("check-save-full-disk-json", ["check", "6", "--arch", "2-2-1", "--json", "--save",
                                            "/dev/full"],
              json_kind="environment", kept_out=('"result": {"status": "realizable"',))
    yield bad("check-save-missing-folder-json",
              ["check", "6", "--arch", "2-2-1", "--json", "--save", "missing/n.json"],
              json_kind="environment")
    # --proof names the bundle's folder: new, empty, or an earlier bundle
    yield bad("check-proof-is-a-file", ["check", "6", "--arch", "2-1", "--proof", "p.txt"],
              {"p.txt": b"mine"})
    yield bad("check-proof-folder-holds-other-files", ["check", "6", "--arch", "2-1", "--proof",
                                                       "adir"], {"adir/x.txt": b"mine"})
    yield bad("check-proof-empty-name", ["check", "6", "--arch", "2-1", "--proof", ""])
    yield bad("check-timeout-nan-json", ["check", "6", "--arch", "2-2-1", "--json", "--timeout=nan"],
              json_kind="input")
    yield bad("check-usage-error-json", ["check", "6", "--json"], json_kind="input")
    yield bad("check-solver-kissat-json", ["check", "6", "--arch", "2-2-1", "--json", "--solver",
                                           "kissat"], json_kind="unsupported")
    yield bad("check-usage-error-names-the-command-once", ["check", "6"],
              err_lacks=("realize: error: realize", "realize check:"))
    yield bad("check-solver-lingeling-with-timeout",
              ["check", "6", "--arch", "2-2-1", "--solver", "lingeling", "--timeout", "5"])
    yield case("check-solver-lingeling", ["check", "6", "--arch", "2-2-1", "--solver", "lingeling"],
               REALIZABLE, BAD)
    yield case("check-solver-lingeling-probe-without-timeout",  # the probe's conflict budget
               ["check", "96", "--arch", "3-2-1", "--solver", "lingeling"], UNREALIZABLE)
    yield bad("check-solver-not-installed", ["check", "6", "--arch", "2-2-1", "--solver", "cms"])
    yield bad("check-timeout-1e8", ["check", "6", "--arch", "2-2-1", "--timeout", "1e8"])
    yield bad("check-solver-unknown", ["check", "6", "--arch", "2-2-1", "--solver", "nope"])
    yield bad("check-arch-100000000-units", ["check", "8", "--arch", "4-100000000-1"])
    yield bad("check-max-weight-huge-digits", ["check", "8", "--arch", "2-1", "--max-weight", BIG])
    yield case("check-max-weight-1e30", ["check", "6", "--arch", "2-1", "--max-weight", E30],
               UNREALIZABLE, BAD)
    yield case("check-max-bias-1e30", ["check", "6", "--arch", "2-1", "--max-bias", E30],
               UNREALIZABLE, BAD)
    yield case("check-max-bias-1e30-honours-timeout",
               ["check", "6", "--arch", "2-1", "--max-bias", E30, "--timeout", "2"],
               UNKNOWN, UNREALIZABLE, BAD)
    yield bad("check-no-arch", ["check", "6"])
    yield bad("no-arguments", [], err_lacks=("realize: error: realize:",))
    yield bad("unknown-command", ["frobnicate"])


def other_command_cases() -> Iterator[Case]:
    yield case("encode-dimacs", ["encode", "6", "--arch", "2-2-1", "-o", "q.cnf"], OK)
    yield case("encode-smt2-real", ["encode", "6", "--arch", "2-2-1", "--format", "smt2", "--real"], OK)
    yield bad("encode-real-with-dimacs", ["encode", "6", "--arch", "2-2-1", "--real"])
    yield bad("encode-output-missing-folder", ["encode", "6", "--arch", "2-2-1", "-o", "missing/q.cnf"])
    yield bad("encode-output-is-a-folder", ["encode", "6", "--arch", "2-2-1", "-o", "adir"],
              {"adir/": b""})
    yield bad("encode-output-full-disk", ["encode", "6", "--arch", "2-2-1", "-o", "/dev/full"])
    yield bad("encode-output-empty-name", ["encode", "6", "--arch", "2-2-1", "-o", ""])
    yield bad("encode-stdout-full-disk", ["encode", "parity", "--arch", "5-5-1"], stdout="full")
    yield bad("encode-real-with-dimacs-before-building", ["encode", "parity", "--arch", "5-5-1",
                                                          "--real", "-o", "q.cnf"])
    yield bad("encode-stdout-head-1", ["encode", "parity", "--arch", "5-5-1"], stdout="head")
    yield bad("encode-20-input-unit", ["encode", "and", "--arch", "20-1"])
    yield bad("encode-64-input-unit", ["encode", "f.pla", "--arch", "64-1"], {"f.pla": wide_pla(64)})
    # a lossless bias makes a weight bound beyond W*(fan-in) the same question as exact mode
    yield case("encode-max-weight-1e12", ["encode", "6", "--arch", "2-2-1", "--max-weight", str(10**12)],
               OK, BAD)
    yield bad("encode-arch-garbage-over-255-bytes", ["encode", "6", "--arch", "x" * 300])
    yield case("count", ["count", "--arch", "2-1"], OK, out_has=("14",))
    yield case("count-max-weight-1e30", ["count", "--arch", "3-1", "--max-weight", E30], OK, BAD,
               out_has=("104",))
    yield bad("count-arch-100000000-units", ["count", "--arch", "2-100000000-1"])
    yield bad("count-arch-garbage-over-255-bytes", ["count", "--arch", "x" * 300])
    yield bad("count-list-missing-folder", ["count", "--arch", "2-1", "--list", "missing/l.txt"])
    yield bad("count-list-is-a-folder", ["count", "--arch", "2-1", "--list", "adir"], {"adir/": b""})
    yield bad("count-list-empty-name", ["count", "--arch", "2-1", "--list", ""])
    yield bad("count-list-full-disk", ["count", "--arch", "2-1", "--list", "/dev/full"],
              kept_out=("14",))
    yield bad("count-stdout-closed", ["count", "--arch", "2-1"], stdout="closed")
    yield bad("count-unsound-method", ["count", "--arch", "2-1", "--method", "npn", "--nonneg"])
    yield case("minimize", ["minimize", "6", "--inputs", "2"], REALIZABLE)
    yield bad("minimize-depth-1000000", ["minimize", "6", "--inputs", "2", "--depth", "1000000"])
    yield bad("minimize-inputs-100000", ["minimize", "xor", "--inputs", "100000"])
    for value in ["nan", "inf", "-1"]:
        yield bad(f"minimize-timeout-{value}", ["minimize", "6", "--inputs", "2", f"--timeout={value}"])
    yield bad("minimize-save-missing-folder", ["minimize", "6", "--inputs", "2", "--save", "missing/n.json"])
    yield bad("minimize-save-empty-name", ["minimize", "6", "--inputs", "2", "--save", ""])
    yield bad("minimize-save-is-a-folder", ["minimize", "6", "--inputs", "2", "--save", "adir"],
              {"adir/": b""})
    yield bad("minimize-save-full-disk", ["minimize", "6", "--inputs", "2", "--save", "/dev/full"],
              kept_out=("2 hidden",))
    yield bad("minimize-timeout-1e308", ["minimize", "6", "--inputs", "2", "--timeout", "1e308"])
    yield bad("minimize-cache-is-a-folder", ["minimize", "6", "--inputs", "2", "--cache", "adir"],
              {"adir/": b""})
    yield bad("minimize-cache-empty-name", ["minimize", "6", "--inputs", "2", "--cache", ""])
    yield bad("minimize-cache-missing-folder",
              ["minimize", "6", "--inputs", "2", "--cache", "missing/c.json"])
    for label, content in [("huge-int", BIG.encode()), ("deep-nesting", DEEP.encode()),
                           ("non-utf8", LATIN1), ("not-an-object", b"[]\n")]:
        yield bad(f"minimize-cache-{label}", ["minimize", "6", "--inputs", "2", "--cache", "c.json"],
                  {"c.json": content})
    yield case("classify", ["classify", "--inputs", "2", "--jobs", "1"], OK)
    yield bad("classify-inputs-5", ["classify", "--inputs", "5", "--jobs", "1"])
    yield bad("classify-timeout-nan", ["classify", "--inputs", "2", "--jobs", "1", "--timeout", "nan"])
    for value in ["inf", "1e308", "-1"]:
        yield bad(f"classify-timeout-{value}",
                  ["classify", "--inputs", "2", "--jobs", "2", f"--timeout={value}"])
    yield bad("classify-cache-missing-folder",
              ["classify", "--inputs", "2", "--jobs", "1", "--cache", "missing/c.json"])
    yield bad("classify-cache-is-a-folder", ["classify", "--inputs", "2", "--jobs", "1", "--cache", "adir"],
              {"adir/": b""})


CASES: list[Case] = [
    *function_cases(), *check_option_cases(), *network_cases(), *other_command_cases(),
    *suite_cases(), *report_cases(),
]


@dataclass(frozen=True)
class Outcome:
    code: int | None  # None: killed at TIMEOUT_S
    stdout: str
    stderr: str
    changed: tuple[str, ...]  # files created, changed or removed in the case's folder
    lost: tuple[str, ...]  # files of case.keeps that lost a complete line


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


STDOUT_SCRIPTS = {"pipe": 'exec "$@"', "closed": 'exec "$@"', "full": 'exec "$@" > /dev/full',
                  "head": 'set -o pipefail; "$@" | head -1'}


def command(case: Case) -> list[str]:
    """The shell line: a memory limit, then realize with its stdout as the case wants it."""
    script = f"ulimit -v {MEMORY_KB}; {STDOUT_SCRIPTS[case.stdout]}"
    return ["bash", "-c", script, "realize", sys.executable, "-m", "realize", *case.argv]


def kept(before: bytes | None, after: bytes | None) -> bool:
    """True when after still starts with every complete line of before."""
    whole = (before or b"")[: (before or b"").rfind(b"\n") + 1]
    return (after or b"").startswith(whole)


def text(data: bytes | None) -> str:
    return (data or b"").decode(errors="replace")


def run_case(case: Case, folder: Path) -> Outcome:
    folder.mkdir(parents=True)
    for name, content in case.files.items():
        if name.endswith("/"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        else:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
    before = snapshot(folder)
    proc = subprocess.Popen(command(case), cwd=folder, env=ENV, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    if case.stdout == "closed":
        proc.stdout.close()
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the session holds realize and its workers, nothing else
        out, err = proc.communicate()
        code = None
    after = snapshot(folder)
    changed = tuple(sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k)))
    lost = tuple(name for name in case.keeps if not kept(before[name], after.get(name)))
    return Outcome(code, text(out), text(err), changed, lost)


def violations(case: Case, got: Outcome) -> list[str]:
    """What in the outcome breaks the contract (empty: all is well)."""
    if got.code is None:
        return [f"HANG: no exit within {TIMEOUT_S:.0f} s"]
    problems = []
    if "Traceback" in got.stderr:
        problems.append("traceback on stderr")
    if got.code not in case.codes:
        problems.append(f"exit code {got.code}, expected one of {sorted(case.codes)}")
    if got.code == BAD:
        lines = got.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("realize: error:"):
            problems.append(f"exit 2 needs one stderr line 'realize: error: ...', got {len(lines)}")
        if got.changed:
            problems.append(f"files written on failure: {', '.join(got.changed)}")
        problems.extend(f"stdout lacks {text!r} (computed before the error)"
                        for text in case.kept_out if text not in got.stdout)
        if case.json_kind:
            problems.extend(json_error_problems(got.stdout, case.json_kind))
    elif got.code in case.codes:
        problems.extend(f"stdout lacks {text!r}" for text in case.out_has if text not in got.stdout)
    problems.extend(f"stderr has {text!r}" for text in case.err_lacks if text in got.stderr)
    problems.extend(f"results lost from {name}" for name in got.lost)
    return problems


def json_error_problems(stdout: str, kind: str) -> list[str]:
    """What is wrong with stdout as the one JSON error object of ``kind`` (empty: nothing)."""
    try:
        error = json.loads(stdout)
    except json.JSONDecodeError:
        return [f"--json error: stdout is not one JSON object: {stdout[:200]!r}"]
    if not isinstance(error, dict) or not isinstance(error.get("error"), str):
        return [f"--json error: no 'error' message in {stdout[:200]!r}"]
    return [] if error.get("kind") == kind else [f"--json error of kind {error.get('kind')!r}, not {kind!r}"]


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The outcome of every selected case (-k works), run in a thread pool."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_cli_contract"]
    root = tmp_path_factory.mktemp("fuzz")
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {c.name: pool.submit(run_case, c, root / c.name) for c in selected}
        return {name: future.result() for name, future in futures.items()}


def test_case_names_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_contract(case: Case, outcomes: dict[str, Outcome]) -> None:
    got = outcomes[case.name]
    problems = violations(case, got)
    assert not problems, f"{case.name}: {'; '.join(problems)}\nstderr: {got.stderr[-2000:]}"


def reference_table(weights: list[int], bias: int) -> str:
    """Hex table of one unit, with Python integers: bit x is [w.x + b >= 0], input i is bit i of x."""
    n = len(weights)
    table = sum(1 << x for x in range(2**n)
                if sum(w for i, w in enumerate(weights) if x >> i & 1) + bias >= 0)
    return format(table, f"0{max(1, 2**n // 4)}x")


@pytest.mark.parametrize("weights, bias", [
    ([2**62, 2**62], 0),
    ([2**62, 2**62], -(2**63)),
    ([-(2**62), -(2**62), -(2**62)], 2**63 - 1),
])
def test_eval_is_exact_at_the_int64_edge(tmp_path: Path, weights: list[int], bias: int) -> None:
    path = tmp_path / "net.json"
    path.write_bytes(unit_net(weights, bias))
    proc = subprocess.run([sys.executable, "-m", "realize", "eval", str(path)], env=ENV,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"y0: {reference_table(weights, bias)}"


def test_reference_table_convention() -> None:
    assert reference_table([1, 1], -2) == "8"  # AND2
    assert reference_table([1, 1], -1) == "e"  # OR2
    assert reference_table([2**62, 2**62], 0) == "f"


# -- Ctrl-C during a suite ---------------------------------------------------------------------------
# The terminal sends SIGINT to the whole foreground process group: the realize process and its
# worker processes. The parent prints one line, keeps the results and exits 130; no worker
# prints a KeyboardInterrupt traceback, also not one still starting its interpreter.

SLOW = {"id": "slow", "function": "parity", "arch": "9-4-1", "timeout": 100}  # far beyond 20 s
HAS_PROC = Path("/proc/self/stat").exists()


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()  # fields from the state on (the name may hold blanks)


def session_processes(sid: int) -> list[int]:
    """The live processes of session ``sid`` (field 6 of /proc/PID/stat)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[0] != "Z" and int(fields[3]) == sid:
                pids.append(int(entry.name))
    return pids


def starting_worker(parent: int) -> bool:
    """True once the parent has a child running multiprocessing's spawn_main (a suite worker)."""
    for pid in session_processes(parent):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline and int(_stat(pid)[1]) == parent:
            return True
    return False


def wait_for(condition, limit: float = TIMEOUT_S) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def interrupt_suite(folder: Path, lines: list[dict], ready) -> tuple[int | None, str]:
    """Start ``realize suite`` on ``lines``, wait until ``ready(proc)``, send SIGINT to its
    process group; its exit code (None: it hung) and stderr."""
    (folder / "s.jsonl").write_bytes(b"".join(jline(line) for line in lines))
    proc = subprocess.Popen([sys.executable, "-m", "realize", "suite", "s.jsonl", "--quiet",
                             "--out", "r.jsonl"], cwd=folder, env=ENV, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_for(lambda: ready(proc)), "the suite never got going"
        os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=TIMEOUT_S)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code, err = None, b""
        assert wait_for(lambda: not session_processes(proc.pid), 5.0), "workers outlived the run"
        return code, text(err)
    finally:
        if proc.poll() is None or session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)  # the session holds realize and its workers only
            proc.communicate()


def check_interrupted(code: int | None, err: str) -> None:
    assert code is not None, f"HANG: no exit within {TIMEOUT_S:.0f} s of SIGINT"
    assert "Traceback" not in err, err
    assert code == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("realize: interrupted"), err


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to watch the processes")
def test_ctrl_c_while_solving_keeps_the_results(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"

    def first_record_written(proc) -> bool:
        return results.exists() and results.read_bytes().count(b"\n") >= 1 and starting_worker(proc.pid)

    code, err = interrupt_suite(tmp_path, [INSTANCE, SLOW], first_record_written)
    check_interrupted(code, err)
    assert "r.jsonl" in err and "--resume" in err
    records = [json.loads(line) for line in results.read_text().splitlines()]
    assert [(r["id"], r["status"]) for r in records] == [("and2", "realizable")]


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to watch the processes")
@pytest.mark.parametrize("delay", [0.0, 0.15, 0.3])  # into the worker's start (imports: ~1 s)
def test_ctrl_c_while_a_worker_starts_prints_no_traceback(tmp_path: Path, delay: float) -> None:
    def worker_starting(proc) -> bool:
        if not starting_worker(proc.pid):
            return False
        time.sleep(delay)
        return True

    code, err = interrupt_suite(tmp_path, [SLOW], worker_starting)
    check_interrupted(code, err)


def test_ctrl_c_inside_the_sat_solver_of_a_check_prints_one_line() -> None:
    """pysat's solvers catch SIGINT themselves and raise their own error: `realize check` still
    says "interrupted" on one line and exits with 130."""
    proc = subprocess.Popen([sys.executable, "-m", "realize", "check", "parity", "--arch", "7-6-1",
                             "--no-symmetry"], env=ENV, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        time.sleep(4.0)  # past the imports, into the solver
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT_S)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    check_interrupted(proc.returncode, text(err))
