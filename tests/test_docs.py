"""Every documented example runs as written.

What is collected, from README.md, encodings/*.md and instances/README.md:

- every ```python block: it runs (exec, in a fresh namespace) in a temporary folder that holds
  a copy of the repository's ``instances/``;
- every shell example: a ``$ `` line in a ```console block, or a line of a four-space indented
  block that starts with ``realize`` (or with ``pip install ... && realize``). The examples of one
  section (the text under one heading) run in order in one temporary folder with a copy of
  ``instances/``, so a file an earlier line writes is there for a later one; nothing else is
  there. ``realize`` is ``python -m realize`` on this repository; each command runs in bash
  (quotes, globs) with a hard limit of ``LIMIT_S`` seconds.

What a shell line must do:

- A line is split at ``;`` and ``&&`` as the shell would; ``a && b`` must actually run ``b``
  (``check`` exits 10 or 20 on an answer, so ``check ... && b`` is a documentation bug). ``pip
  install`` is not run (the package is on PYTHONPATH) and counts as exit 0; ``python -c`` runs
  and must exit 0. Any other program,
  ``||`` or a pipe is refused, so that an example this file cannot run is noticed.
- Exit codes: never 1 or 2; ``check`` and ``counterexample`` exit 10 or 20 and ``minimize`` 10, 20
  or 0, matching the answer they print (REALIZABLE/COUNTEREXAMPLE 10, UNREALIZABLE/EQUIVALENT 20,
  a minimum 10, a range 0; ``--json``: the ``status`` or ``minimum`` field); an undecided answer
  (exit 0) only where the docs show one; ``proof check`` exits 20 (every part checked); every
  other subcommand exits 0.
- Where the docs show output after a ``$`` line, the first line of stdout is that line
  (``...`` first means "not shown").

Skip rule: an example whose trailing comment contains the word ``slow`` (``# slow: minutes``) is
not run by default; its section must not depend on it. ``pytest -m slow`` runs those sections
in full, slow lines included (with a limit of ``SLOW_LIMIT_S`` per command). benchmarks/README.md
is not run at all: its commands are the measurements themselves (minutes to hours); only the
scripts it names are checked to exist. A section whose commands need an optional package that is
missing (``--plot``: matplotlib, ``--executor dask``: dask, ``.onnx``: onnx) is skipped, naming the package.

The default sections run in a small thread pool once per module; they take about 15 s on two
cores.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "encodings").glob("*.md")),
        ROOT / "instances" / "README.md"]
LIMIT_S = 60.0
SLOW_LIMIT_S = 3600.0
WORKERS = 2
OPTIONAL = {"--plot": "matplotlib", "--executor dask": "dask", ".onnx": "onnx"}
ANSWERS = {"REALIZABLE": 10, "UNREALIZABLE": 20, "UNKNOWN": 0,
           "COUNTEREXAMPLE": 10, "EQUIVALENT": 20}
DECIDING = {"check", "counterexample", "minimize"}


@dataclass
class Example:
    """One documented shell line, and the output the docs show after it (if any)."""

    where: str  # file:line
    text: str
    shown: list[str] = field(default_factory=list)

    @property
    def comment(self) -> str:
        return split_line(self.text)[1]

    @property
    def slow(self) -> bool:
        return re.search(r"\bslow\b", self.comment) is not None


@dataclass
class Section:
    where: str  # file: heading
    examples: list[Example] = field(default_factory=list)


@dataclass
class Block:
    where: str
    code: str


def heading_of(line: str) -> str | None:
    m = re.match(r"#{1,6} (.*)", line)
    return m.group(1).strip() if m else None


SHELL_INDENTED = re.compile(r"    (?:\$ )?((?:pip install \S+ && )?realize .*)")


def parse(path: Path) -> tuple[list[Section], list[Block]]:
    """The shell examples (by section) and the python blocks of one Markdown file."""
    rel = path.relative_to(ROOT).as_posix()
    sections: list[Section] = []
    blocks: list[Block] = []
    heading = "(top)"
    fence: str | None = None  # the info string of the open fence
    code: list[str] = []
    start = 0
    current: Example | None = None

    def section() -> Section:
        where = f"{rel}: {heading}"
        if not sections or sections[-1].where != where:
            sections.append(Section(where))
        return sections[-1]

    for no, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("```"):
            if fence is None:
                fence, code, start, current = line[3:].strip(), [], no, None
                assert fence in ("python", "console"), (
                    f"{rel}:{no}: a ```{fence} block; teach tests/test_docs.py what to do with it")
            else:
                if fence == "python":
                    blocks.append(Block(f"{rel}:{start}", "\n".join(code) + "\n"))
                fence = None
            continue
        if fence == "python":
            code.append(line)
        elif fence == "console":
            if line.startswith("$ "):
                current = Example(f"{rel}:{no}", line[2:])
                section().examples.append(current)
            else:
                assert current is not None, f"{rel}:{no}: output before any $ line"
                current.shown.append(line)
        elif heading_of(line) is not None:
            heading = heading_of(line)
        elif m := SHELL_INDENTED.fullmatch(line):
            section().examples.append(Example(f"{rel}:{no}", m.group(1)))
    assert fence is None, f"{rel}: a fence is never closed"
    return sections, blocks


def split_line(text: str) -> tuple[list[tuple[str, str]], str]:
    """Split a shell line into (command, operator after it) pairs, and its trailing comment.

    Quotes are respected (``"x0 & (x1 | x2)"`` is one word); ``#`` after a blank starts a
    comment; ``;``, ``&&``, ``||`` and ``|`` separate commands (the last one's operator is "").
    """
    commands: list[tuple[str, str]] = []
    buf: list[str] = []
    quote: str | None = None
    comment = ""
    i = 0
    while i < len(text):
        c = text[i]
        op = next((o for o in ("&&", "||", ";", "|") if text.startswith(o, i)), None)
        if quote:
            if c == "\\" and quote == '"':
                buf.append(text[i:i + 2])
                i += 1
            else:
                quote = None if c == quote else quote
                buf.append(c)
        elif c in "'\"":
            quote = c
            buf.append(c)
        elif c == "\\":
            buf.append(text[i:i + 2])
            i += 1
        elif c == "#" and (i == 0 or text[i - 1].isspace()):
            comment = text[i + 1:].strip()
            break
        elif op:
            commands.append(("".join(buf).strip(), op))
            buf.clear()
            i += len(op) - 1
        else:
            buf.append(c)
        i += 1
    commands.append(("".join(buf).strip(), ""))
    return [(cmd, op) for cmd, op in commands if cmd or op], comment


def collect() -> tuple[list[Section], list[Block]]:
    sections: list[Section] = []
    blocks: list[Block] = []
    for path in DOCS:
        s, b = parse(path)
        sections += s
        blocks += b
    return sections, blocks


SECTIONS, BLOCKS = collect()


# --- running --------------------------------------------------------------------------------


def workdir(tmp: Path) -> Path:
    """A fresh folder with a copy of instances/ and a `realize` that runs this repository."""
    shutil.copytree(ROOT / "instances", tmp / "instances",
                    ignore=shutil.ignore_patterns("__pycache__"))
    bin_dir = tmp / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "realize"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m realize "$@"\n')
    shim.chmod(0o755)
    return tmp


def run(command: str, cwd: Path, limit: float) -> tuple[int | None, str, str]:
    """Run one command in bash in cwd; the exit code is None when it overran its limit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PATH": f"{cwd / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out, err
    return proc.returncode, out, err


def answer_code(sub: str, argv: list[str], out: str) -> int | None:
    """The exit code the printed answer of check/counterexample/minimize implies."""
    if "--json" in argv:
        try:
            data = json.loads(out)
        except ValueError:
            return None
        text = str(data.get("minimum", "")) if sub == "minimize" else str(data.get("status"))
        first = text.upper() if sub != "minimize" else f"minimum: {text}"
    else:
        first = out.splitlines()[0] if out.strip() else ""
    if sub == "minimize":
        if not first.startswith("minimum: "):
            return None
        value = first.removeprefix("minimum: ")
        return 0 if value.startswith(("between", "at least")) else (
            20 if value.startswith("more than") else 10)
    return ANSWERS.get(first.split(" ")[0] if first else "")


def check_command(ex: Example, command: str, rc: int | None, out: str, err: str,
                  limit: float) -> list[str]:
    """What is wrong with one command's run (nothing: an empty list)."""
    where = f"{ex.where}: `{command}`"
    if rc is None:
        return [f"{where}: still running after {limit:.0f} s"]
    argv = shlex.split(command)
    sub = argv[1] if len(argv) > 1 else ""
    if rc in (1, 2) or "Traceback" in err:
        return [f"{where}: exit {rc}: {err.strip()[-500:]}"]
    if sub == "proof":  # `realize proof check` exits 20 when every part of the bundle checks
        return [] if rc == 20 else [f"{where}: exit {rc}, expected 20"]
    if sub not in DECIDING:
        return [] if rc == 0 else [f"{where}: exit {rc}, expected 0"]
    implied = answer_code(sub, argv, out)
    if implied is None:
        return [f"{where}: no answer in its output: {out[:200]!r}"]
    if rc != implied:
        return [f"{where}: exit {rc}, but the answer printed implies {implied}"]
    shown_undecided = bool(ex.shown) and answer_code(sub, [], ex.shown[0] + "\n") == 0
    if rc == 0 and not shown_undecided:
        return [f"{where}: undecided (exit 0) where the docs imply an answer"]
    return []


def run_section(section: Section, tmp: Path, *, slow: bool) -> list[str]:
    """Run a section's examples in order in one folder; the problems found (none: [])."""
    cwd = workdir(tmp)
    limit = SLOW_LIMIT_S if slow else LIMIT_S
    for ex in section.examples:
        if ex.slow and not slow:
            continue
        problems: list[str] = []
        stdout = ""
        before: tuple[str, int | None, str] | None = None  # (command, exit code, operator after)
        for command, op in split_line(ex.text)[0]:
            if before is not None and before[2] in ("||", "|"):
                problems.append(f"{ex.where}: `{ex.text}`: `{before[2]}` is not supported here")
            elif before is not None and before[2] == "&&" and before[1] != 0:
                problems.append(f"{ex.where}: `{command}` never runs: `{before[0]}` exits "
                                f"{before[1]} (write `;` or two lines)")
            elif command.startswith("pip install "):
                before = (command, 0, op)
                continue
            elif command.split(" ", 1)[0] != "realize" and not command.startswith("python -c "):
                problems.append(f"{ex.where}: `{command}`: only realize, python -c and pip "
                                "install run here")
            else:
                rc, out, err = run(command, cwd, limit)
                stdout += out
                problems += check_command(ex, command, rc, out, err, limit)
                before = (command, rc, op)
            if problems:
                break
        if not problems and ex.shown and ex.shown[0] != "...":
            got = stdout.splitlines()[0].rstrip() if stdout.strip() else ""
            if got != ex.shown[0].rstrip():
                problems.append(f"{ex.where}: first line {got!r}, the docs show "
                                f"{ex.shown[0].rstrip()!r}")
        if problems:
            return problems  # later lines may depend on this one
    return []


def missing_packages(section: Section) -> list[str]:
    """The optional packages the section's commands need that are not installed."""
    needed = {pkg for ex in section.examples for flag, pkg in OPTIONAL.items() if flag in ex.text}
    return sorted(pkg for pkg in needed if importlib.util.find_spec(pkg) is None)


def ident(where: str) -> str:
    return re.sub(r"[^A-Za-z0-9.:/-]+", "-", where).strip("-")


DEFAULT = [s for s in SECTIONS if any(not ex.slow for ex in s.examples)]
SLOW = [s for s in SECTIONS if any(ex.slow for ex in s.examples)]


@pytest.fixture(scope="module")
def default_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str] | str]:
    """Every section's default examples, run once in a small pool: problems, or a skip reason."""

    def one(section: Section) -> list[str] | str:
        missing = missing_packages(section)
        if missing:
            return f"needs the optional package(s) {', '.join(missing)}"
        return run_section(section, tmp_path_factory.mktemp("doc"), slow=False)

    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(zip((s.where for s in DEFAULT), pool.map(one, DEFAULT), strict=True))


@pytest.mark.parametrize("section", DEFAULT, ids=[ident(s.where) for s in DEFAULT])
def test_shell_examples_run_as_written(section: Section, default_runs: dict) -> None:
    outcome = default_runs[section.where]
    if isinstance(outcome, str):
        pytest.skip(outcome)
    assert not outcome, "\n".join(outcome)


@pytest.mark.slow
@pytest.mark.parametrize("section", SLOW, ids=[ident(s.where) for s in SLOW])
def test_slow_shell_examples_run_as_written(section: Section, tmp_path: Path) -> None:
    missing = missing_packages(section)
    if missing:
        pytest.skip(f"needs the optional package(s) {', '.join(missing)}")
    problems = run_section(section, tmp_path, slow=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("block", BLOCKS, ids=[ident(b.where) for b in BLOCKS])
def test_python_blocks_run(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir(tmp_path))
    exec(compile(block.code, block.where, "exec"), {"__name__": "__doc_example__"})


def test_the_examples_are_all_found() -> None:
    """A change of Markdown layout must not make examples vanish from this test unnoticed."""
    by_file: dict[str, int] = {}
    for b in BLOCKS:
        by_file[b.where.split(":")[0]] = by_file.get(b.where.split(":")[0], 0) + 1
    assert by_file == {"README.md": 4, "encodings/smt.md": 1}
    lines = [ex for s in SECTIONS for ex in s.examples]
    assert len(lines) >= 20
    assert {ex.where.split(":")[0] for ex in lines} == {"README.md", "instances/README.md"}
    slow = [ex.text for ex in lines if ex.slow]
    assert 1 <= len(slow) <= 5, slow  # skipping is the exception


def test_split_line_is_the_shell_s_split() -> None:
    assert split_line('realize check "x0 & (x1 | x2)" --arch 3-1   # a | b; c') == (
        [('realize check "x0 & (x1 | x2)" --arch 3-1', "")], "a | b; c")
    assert split_line("pip install . && realize check 6 --arch 2-1; realize eval n.json") == (
        [("pip install .", "&&"), ("realize check 6 --arch 2-1", ";"),
         ("realize eval n.json", "")], "")
    assert split_line("realize check 'a#b' x#y") == ([("realize check 'a#b' x#y", "")], "")


def test_a_chain_after_check_is_reported(tmp_path: Path) -> None:
    """`check` exits 10 on REALIZABLE, so `check ... && eval ...` never runs the eval."""
    section = Section("synthetic", [Example(
        "synthetic:1", "realize check e8 --arch 3-1 --save m.json && realize eval m.json")])
    problems = run_section(section, tmp_path, slow=False)
    assert len(problems) == 1 and "never runs: `realize check e8" in problems[0], problems


def test_the_benchmark_commands_name_existing_scripts() -> None:
    """benchmarks/README.md is not run (its commands take minutes to hours); what they name exists."""
    text = (ROOT / "benchmarks" / "README.md").read_text()
    commands = re.findall(r"^    (python .*)$", text, flags=re.M)
    assert len(commands) >= 5
    for command in commands:
        argv = shlex.split(command, comments=True)
        target = (ROOT / argv[2].replace(".", "/")).with_suffix(".py") if argv[1] == "-m" \
            else ROOT / argv[1]
        assert target.is_file(), command
