"""Solving in slices: budgets, deadlines and Ctrl-C (SIGINT held back during each slice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from pysat.examples.genhard import PHP
from pysat.solvers import Solver

from realize.backends.satsolver import sigint_held, solve_sliced
from realize.options import Deadline

#: pigeons into holes: far beyond any test's patience for CaDiCaL
HARD = PHP(11).clauses


@pytest.fixture
def sigint_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt during the test, whatever an earlier test left behind."""
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, handler)


def test_a_sigint_inside_the_block_arrives_when_it_ends(sigint_raises: None) -> None:
    arrived: list[str] = []
    with pytest.raises(KeyboardInterrupt), sigint_held():
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        time.sleep(0.05)
        arrived.append("still inside")
    assert arrived == ["still inside"]


def test_outside_the_main_thread_nothing_is_held() -> None:
    masks: list[set[int]] = []

    def inside() -> None:
        with sigint_held():
            masks.append(signal.pthread_sigmask(signal.SIG_BLOCK, set()))

    worker = threading.Thread(target=inside)
    worker.start()
    worker.join()
    assert signal.SIGINT not in masks[0]


#: a process that solves `HARD` in slices until SIGINT, then shows that its solver still works
CHILD = """
from pysat.examples.genhard import PHP
from pysat.solvers import Solver
from realize.backends.satsolver import solve_sliced
with Solver(name="cadical195", bootstrap_with=PHP(11).clauses) as s:
    print("solving", flush=True)
    try:
        solve_sliced(s)
    except KeyboardInterrupt:
        print("interrupted", solve_sliced(s, max_conflicts=200), solve_sliced(s, assumptions=[1, -1]))
"""


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.7, 1.1])
def test_ctrl_c_during_a_solve_raises_keyboard_interrupt_and_leaves_the_solver_whole(
    delay: float,
) -> None:
    """pysat's own handler jumps out of the solver, which can corrupt the heap (a crash when
    the solver is freed); here the solve stops between slices and the solver goes on working."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # one thread: SIGINT reaches the solver's
    proc = subprocess.Popen([sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "solving\n"
        time.sleep(delay)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert time.monotonic() - started < 2.0
    assert (proc.returncode, out, err) == (0, "interrupted None False\n", "")


def test_a_budget_or_a_deadline_ends_an_unfinished_solve() -> None:
    with Solver(name="cadical195", bootstrap_with=HARD) as s:
        assert solve_sliced(s, max_conflicts=300) is None
        assert 300 <= int(s.accum_stats()["conflicts"]) < 400
        started = time.monotonic()
        assert solve_sliced(s, Deadline.after(0.3)) is None
        assert time.monotonic() - started < 1.5
