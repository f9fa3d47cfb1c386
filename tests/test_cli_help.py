"""Every command's ``--help`` ends with examples and exit codes, and every example runs as written."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from realize.cli import COMMANDS, run

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_shows_examples_and_exit_codes(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run([name, *(["check"] if name == "proof" else []), "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    command = COMMANDS[name]
    assert 2 <= len(command.examples) <= 3
    assert "examples:" in text and "exit codes:" in text
    for line, what in command.examples:
        assert line in text and what in text
    for code in (*command.exits, 2):
        assert f"\n  {code:<4}" in text


def test_every_example_runs_as_written(tmp_path: Path) -> None:
    """In the order of ``realize --help``, in one folder that sees the shipped instances, as a
    user would type them: each ends with one of its command's own exit codes, no traceback."""
    (tmp_path / "instances").symlink_to(ROOT / "instances")
    for command in COMMANDS.values():
        for line, _ in command.examples:
            words = shlex.split(line)
            assert words[0] == "realize"
            before = set(tmp_path.iterdir())
            done = subprocess.run([sys.executable, "-m", "realize", *words[1:]], cwd=tmp_path,
                                  env=ENV, capture_output=True, text=True, timeout=120)
            assert "Traceback" not in done.stderr, (line, done.stderr)
            assert done.returncode in command.exits, (line, done.returncode, done.stderr)
            assert done.stdout.strip() or set(tmp_path.iterdir()) - before, line  # shows or writes
    assert ".model network" in (tmp_path / "xor4.blif").read_text()
    assert (tmp_path / "xor3-bundle" / "manifest.json").is_file()
    assert "\np cnf " in (tmp_path / "xor3.cnf").read_text()
    assert len((tmp_path / "results.csv").read_text().splitlines()) == 17
