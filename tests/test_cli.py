"""The realize command: output, exit codes, JSON, witnesses, export, bad input."""

import json
import subprocess
import sys
from pathlib import Path

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


# -- the error boundary ----------------------------------------------------------------------------

def test_usage_errors_name_the_program_once(capsys):
    code, out, err = cli(capsys)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith("realize: error: no command given (choose from check, ")
    code, _, err = cli(capsys, "check", "6")
    assert code == 2 and err.strip() == "realize: error: check: the following arguments are required: --arch"


@pytest.mark.parametrize("argv, kind", [
    (["check", "6", "--arch", "2-2-1", "--timeout", "nan"], "input"),
    (["check", "6", "--json", "--bogus"], "input"),                          # usage error
    (["check", "6", "--arch", "2-2-1", "--solver", "kissat"], "unsupported"),
    (["check", "6", "--arch", "2-2-1", "--save", "no/such/folder/n.json"], "environment"),
    (["report", "no-such-results.jsonl"], "environment"),
    (["count", "--arch", "2-1", "--list", ""], "input"),
])
def test_errors_under_json_are_an_object_on_stdout_and_one_line_on_stderr(capsys, argv, kind):
    code, out, err = cli(capsys, *argv, "--json")
    assert code == 2
    error = json.loads(out)
    assert error == {"error": error["error"], "kind": kind}
    assert err == f"realize: error: {error['error']}\n"


def test_error_kinds():
    from realize.cli import error_kind
    from realize.errors import EnvironmentFailure, InputError, UnsupportedError

    assert error_kind(InputError("x")) == "input"
    assert error_kind(UnsupportedError("x")) == "unsupported"
    assert error_kind(EnvironmentFailure("x")) == "environment"
    try:
        try:
            Path("/no/such/file").read_text()
        except OSError:
            raise InputError("cannot read /no/such/file") from None
    except InputError as err:
        assert error_kind(err) == "environment"  # raised while handling an OSError


def _factory(exc: BaseException):
    """A parser whose only command raises ``exc``."""
    import argparse

    def build():
        parser = argparse.ArgumentParser(prog="realize")
        parser.add_argument("--json", action="store_true")

        def boom(args):
            raise exc

        parser.set_defaults(run=boom)
        return parser

    return build


def test_failed_verification_is_exit_1_and_other_exceptions_are_bugs(capsys):
    from realize.errors import VerificationError

    assert run([], parser_factory=_factory(VerificationError("witness fails row 3"))) == 1
    assert capsys.readouterr().err == "realize: internal error: witness fails row 3\n"
    assert run(["--json"], parser_factory=_factory(VerificationError("bad"))) == 1
    assert json.loads(capsys.readouterr().out) == {"error": "bad", "kind": "internal"}
    with pytest.raises(ZeroDivisionError):  # a bug: the traceback is wanted
        run([], parser_factory=_factory(ZeroDivisionError()))


def test_ctrl_c_is_one_line_and_exit_130(capsys):
    assert run([], parser_factory=_factory(KeyboardInterrupt())) == 130
    assert capsys.readouterr().err == "realize: interrupted\n"


class _Broken:
    """A stdout whose writes fail like a closed pipe or a full disk."""

    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, text):
        raise self.error

    def flush(self):
        raise self.error


@pytest.mark.parametrize("error, words", [
    (BrokenPipeError(32, "Broken pipe"), "the reader closed the pipe"),
    (OSError(28, "No space left on device"), "No space left on device"),
])
def test_failing_stdout_is_exit_2_and_one_line(capsys, monkeypatch, error, words):
    monkeypatch.setattr(sys, "stdout", _Broken(error))
    code = run(["check", "6", "--arch", "2-2-1", "--json"])
    err = capsys.readouterr().err
    assert code == 2 and err == f"realize: error: cannot write to stdout: {words}\n"


def test_output_failing_after_the_work_keeps_the_answer(capsys, tmp_path, monkeypatch):
    def full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    target = tmp_path / "n.json"
    code, out, err = cli(capsys, "check", "6", "--arch", "2-2-1", "--save", str(target))
    assert code == 2 and out.startswith("REALIZABLE") and "No space left on device" in err
    assert not target.exists()  # nothing half-written
    code, out, err = cli(capsys, "check", "6", "--arch", "2-2-1", "--save", str(target), "--json")
    error = json.loads(out)
    assert code == 2 and error["kind"] == "environment" and error["result"]["status"] == "realizable"


@pytest.mark.parametrize("argv", [
    ["check", "6", "--arch", "2-2-1", "--save", "{}"],
    # (--proof names a folder: realize.check checks it before solving, tests/test_proofs.py)
    ["minimize", "6", "--inputs", "2", "--save", "{}"],
    ["minimize", "6", "--inputs", "2", "--cache", "{}"],
    ["classify", "--inputs", "1", "--jobs", "1", "--cache", "{}"],
    ["encode", "6", "--arch", "2-2-1", "-o", "{}"],
    ["count", "--arch", "2-1", "--list", "{}"],
    ["suite", "{suite}", "--out", "{}"],
    ["suite", "{suite}", "--csv", "{}"],
    ["report", "{results}", "--csv", "{}"],
    ["report", "{results}", "--plot", "{}"],
])
@pytest.mark.parametrize("target, words", [("missing/x", "there is no folder"), ("adir", "it is a folder"),
                                           ("", "the file name is empty")])
def test_every_output_file_is_checked_before_the_work(capsys, tmp_path, monkeypatch, argv, target,
                                                      words):
    import realize.apps.classify
    import realize.apps.counting
    import realize.apps.minimize
    import realize.apps.suite
    import realize.pipeline

    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    (tmp_path / "s.jsonl").write_text('{"id": "a", "function": "8", "arch": "2-1"}\n')
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "a", "backend": "sat", "status": "timeout",
                                                  "category": "unknown", "time": 1.0}) + "\n")

    def no_work(*args, **kwargs):
        raise AssertionError("the work started before the output file was checked")

    for module, name in [(realize.pipeline, "check"), (realize.apps.minimize, "minimize"),
                         (realize.apps.classify, "classify"), (realize.apps.counting, "count"),
                         (realize.apps.suite, "run_isolated")]:
        monkeypatch.setattr(module, name, no_work)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    argv = [a.format(target, suite="s.jsonl", results="r.jsonl") for a in argv]
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out == "" and words in err and len(err.splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_encode_real_needs_smt2(capsys):
    code, _, err = cli(capsys, "encode", "6", "--arch", "2-2-1", "--real")
    assert code == 2 and "--real needs --format smt2" in err


@pytest.mark.parametrize("command", [
    ["check", "6", "--arch", "2-2-1"],
    ["minimize", "6", "--inputs", "2"],
    ["classify", "--inputs", "2", "--jobs", "2"],
])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "-1", "0"])
def test_every_timeout_is_positive_and_finite(capsys, command, value):
    code, out, err = cli(capsys, *command, f"--timeout={value}")
    assert code == 2 and out == "" and "--timeout" in err


def test_lingeling_without_a_limit_answers_and_with_one_is_refused(capsys):
    code, out, _ = cli(capsys, "check", "96", "--arch", "3-2-1", "--solver", "lingeling")
    assert code == 20 and out.startswith("UNREALIZABLE")  # the probe's budget: skipped, not fatal
    code, out, _ = cli(capsys, "check", "6", "--arch", "2-2-1", "--solver", "lingeling", "--certificate")
    assert code == 10
    code, _, err = cli(capsys, "check", "6", "--arch", "2-2-1", "--solver", "lingeling", "--timeout", "5")
    assert code == 2 and "cannot stop at a time limit" in err


def test_progress_bar_sizes_by_the_work_or_counts():
    import io

    from realize.apps.progress import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(width=10, stream=stream)
    bar.start -= 5  # as if it had run for 5 s, the last drawing 5 s ago
    bar.last -= 5
    bar(3, 12)
    assert stream.getvalue() == "\r[##........] 3/12 5 s, ETA 15 s\033[K"
    bar.last -= 1
    bar(300, None)  # an enumeration of unknown size: a count, no bar
    assert stream.getvalue().endswith("\r300 so far, 5 s\033[K")
    bar.last -= 1
    bar(12, 12, "done")  # finished: no ETA
    assert stream.getvalue().endswith("\r[##########] 12/12 5 s done\033[K")
    bar.close()
    assert stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(stream=quiet).close()  # nothing drawn within the first second: nothing to end
    assert quiet.getvalue() == ""


def test_count_progress_total_is_the_real_amount_of_work():
    from realize.apps.counting import allsat_ceiling, count
    from realize.spec.architecture import Architecture

    assert allsat_ceiling(Architecture.parse("6-1")) == 15028134  # not 2^64
    assert allsat_ceiling(Architecture.parse("3-2-1")) == 2**8
    assert allsat_ceiling(Architecture.parse("6-2-1")) is None
    calls = []
    count("4-1", method="allsat", progress=lambda done, total: calls.append((done, total)))
    assert calls and all(total == 1882 and done <= total for done, total in calls)
