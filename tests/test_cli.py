"""The realize command: output, exit codes, JSON, witnesses, export, bad input."""

import json
import subprocess
import sys

import pytest
import z3

from realize.backends.satsolver import solve_clauses
from realize.cli import run
from realize.spec.network import Network


def cli(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_prints_status_first_and_exit_codes(capsys):
    code, out, _ = cli(capsys, "check", "6", "--arch", "2-2-1")
    assert code == 10 and out.splitlines()[0] == "REALIZABLE"
    assert "h1_0 = [" in out and "verified" in out
    code, out, _ = cli(capsys, "check", "6", "--arch", "2-1")
    assert code == 20 and out.splitlines()[0] == "UNREALIZABLE"


def test_check_timeout_exit_code_is_zero(capsys):
    code, out, _ = cli(capsys, "check", "parity", "--arch", "7-6-1", "--timeout", "0.3")
    assert (code, out.splitlines()[0]) in ((0, "UNKNOWN"), (20, "UNREALIZABLE"))


@pytest.mark.parametrize("backend", ["sat", "smt", "smt-real"])
def test_check_json_and_saved_witness(capsys, tmp_path, backend):
    net_path = tmp_path / "net.json"
    code, out, _ = cli(capsys, "check", "96", "--arch", "3-3-1", "--json", "--backend", backend,
                       "--save", str(net_path))
    data = json.loads(out)
    assert code == 10
    assert data["status"] == "realizable" and data["arch"] == "3-3-1"
    assert data["backend"] == backend and data["time_s"] >= 0 and data["verified"] is True
    assert data["bounds"]["mode"] == ("real" if backend == "smt-real" else "exact")
    assert Network.from_dict(data["network"]) == Network.load(net_path)
    code, out, _ = cli(capsys, "eval", str(net_path))
    assert code == 0 and out.strip() == "y0: 96"


def test_encode_dimacs_and_smt2_decide_the_same_question(capsys, tmp_path):
    for function, arch, sat in [("96", "3-2-1", False), ("96", "3-3-1", True)]:
        cnf = tmp_path / "q.cnf"
        assert cli(capsys, "encode", function, "--arch", arch, "-o", str(cnf))[0] == 0
        lines = [ln for ln in cnf.read_text().splitlines() if not ln.startswith(("c", "p"))]
        clauses = [[int(x) for x in ln.split()[:-1]] for ln in lines]
        assert solve_clauses(clauses).satisfiable is sat
        smt = tmp_path / "q.smt2"
        assert cli(capsys, "encode", function, "--arch", arch, "--format", "smt2",
                   "-o", str(smt))[0] == 0
        solver = z3.Solver()
        solver.add(z3.parse_smt2_string(smt.read_text()))
        assert (solver.check() == z3.sat) is sat


@pytest.mark.parametrize("argv, words", [
    (["check", "e", "--arch", "3-1"], "digits"),                       # wrong hex length
    (["check", "zz", "--arch", "2-1"], None),                          # not hex nor expression
    (["check", "nosuchfamily", "--arch", "2-1"], None),
    (["check", "x0 & x5", "--arch", "3-1"], "x5"),                     # unknown variable
    (["check", "(x0 & x1", "--arch", "2-1"], None),                    # unbalanced
    (["check", "e8", "--arch", "3-x-1"], "architecture"),
    (["check", "e8", "--arch", "3-0-1"], "architecture"),
    (["check", "e8", "--arch", "4-1"], "inputs"),                      # size mismatch
    (["check", "8,e", "--arch", "2-1"], "output"),
    (["check", "parity", "--arch", "30-1"], "PLA"),                    # too large for a table
    (["check", "e8", "--arch", "missing.json"], "missing.json"),
    (["check", "e8", "--arch", "3-1", "--max-weight", "-2"], "max-weight"),
    (["check", "e8", "--arch", "3-1", "--timeout", "0"], "timeout"),
    (["check", "e8"], "arch"),                                        # usage error
    (["check", "missing.pla", "--arch", "3-1"], "missing.pla"),
    (["eval", "missing.json"], "missing.json"),
    (["frobnicate"], None),
    (["check", "e8", "--arch", "3-1", "--solver", "nosuch"], "nosuch"),
    (["check", "e8", "--arch", "3-1", "--solver", "kissat"], "second solve"),
    (["count", "--arch", "30-1"], "30 inputs"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("realize: error:")
    if words:
        assert words in err


def test_cyclic_architecture_file(capsys, tmp_path):
    path = tmp_path / "cyclic.json"
    path.write_text(json.dumps({"inputs": 2, "units": {"a": ["x0", "b"], "b": ["a"]}}))
    code, _, err = cli(capsys, "check", "6", "--arch", str(path))
    assert code == 2 and "cycle" in err


def test_installed_command_runs():
    proc = subprocess.run([sys.executable, "-m", "realize", "check", "e8", "--arch", "3-1"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 10 and proc.stdout.startswith("REALIZABLE")
    proc = subprocess.run([sys.executable, "-m", "realize", "check", "e8", "--arch", "3-1-"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
