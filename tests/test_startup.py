"""Start-up cost: what a small question imports (benchmarks/README.md, "Start-up overhead").

The whole process of ``realize check e8 --arch 3-1`` is dominated by imports, so the common path
must not load the modules only other paths need. Asserted on ``sys.modules`` in a fresh
interpreter, never on a time.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

#: modules the plain check path must not import: solvers and libraries of other paths (z3 for
#: wide units and the smt backends, networkx for DAG files, the optional extras), and the parts of
#: realize that serve other commands, options or inputs (expressions: hex and families skip them)
NOT_ON_THE_CHECK_PATH = (
    "networkx", "z3", "dask", "distributed", "matplotlib", "dratify", "pysat.examples", "numpy.ma",
    "multiprocessing", "concurrent.futures", "realize.encodings.smt", "realize.explain",
    "realize.readers.expressions", "realize.apps.counting", "realize.apps.minimize",
    "realize.apps.suite", "realize.apps.batch",
)


def _imported_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; the modules of `NOT_ON_THE_CHECK_PATH` it loaded."""
    script = (
        "import json, sys\n" + code + "\n"
        f"print(json.dumps(sorted(m for m in {NOT_ON_THE_CHECK_PATH!r} if m in sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("argv, code", [
    (["check", "e8", "--arch", "3-1"], 10),        # the small-weight probe answers
    (["check", "6996", "--arch", "4-3-1"], 20),    # the output-case split refutes
    (["check", "parity", "--arch", "3-1", "--max-weight", "1", "--json"], 20),  # the plain CNF
])
def test_a_small_check_imports_only_what_it_uses(argv, code):
    run = (
        "import contextlib, io\n"
        "from realize.cli import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert run({argv!r}) == {code}\n"
    )
    assert _imported_after(run) == []


def test_import_realize_loads_no_solver_and_no_numpy():
    assert _imported_after("import realize") == []
    found = _imported_after(
        "import realize\n"
        "assert not any(m in sys.modules for m in ('numpy', 'pysat', 'realize.pipeline'))\n"
        "assert realize.check('e8', '3-1').realizable and 'realize.pipeline' in sys.modules"
    )
    assert found == []


def test_a_dag_file_still_gets_networkx(tmp_path):
    """The lazy import is taken where it is needed (the check on a DAG file answers)."""
    path = tmp_path / "dag.json"
    path.write_text(json.dumps({"inputs": 2, "units": {"h": ["x0", "x1"], "y": ["h", "x0", "x1"]}}))
    found = _imported_after(
        "from realize import check\n"
        f"assert check('6', {str(path)!r}).realizable\n"
    )
    assert found == ["networkx"]


@pytest.mark.parametrize("before, after", [(None, "1"), ("3", "3")])
def test_the_command_asks_openblas_for_one_thread_unless_told(monkeypatch, capsys, before, after):
    """numpy's BLAS threads are start-up work only (realize multiplies integers): `main` sets
    OPENBLAS_NUM_THREADS=1 for numpy's import, and keeps a value the user set."""
    from realize.cli import main

    if before is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", before)
    monkeypatch.setattr(sys, "argv", ["realize", "--version"])
    with pytest.raises(SystemExit):
        main()
    assert os.environ["OPENBLAS_NUM_THREADS"] == after
