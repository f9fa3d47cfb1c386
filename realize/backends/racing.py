"""A process portfolio: members run side by side in their own processes; the first to decide wins.

`Racing` gives its main backend a head start of `HEAD_START` seconds in this process (most
questions end there, without the cost of a process); if that does not decide, the main
backend and a refuter on the real relaxation (as in `realize.backends.portfolio.Alternating`:
its UNREALIZABLE refutes the question, its REALIZABLE says nothing) start at once in two
forked processes, and the first decisive answer ends the race: the other process is killed.
Where processes cannot be forked (no ``fork`` start method, a daemonic worker, one usable
core) it alternates instead.

>>> from realize.backends.registry import get_backend
>>> from realize.spec.architecture import Architecture
>>> from realize.spec.functions import BooleanFunction
>>> d = get_backend("portfolio").decide(BooleanFunction.from_hex("96", 3),
...     Architecture.parse("3-2-1"), Bounds(), Options(), Deadline())
>>> d.status.value, d.stats.stage
('unrealizable', 'portfolio')
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from realize.backends.base import Backend
from realize.backends.portfolio import FIRST_SLICE, Alternating, real_relaxation
from realize.backends.processes import NO_ANSWER, answers, forked
from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: seconds the main backend runs alone, in this process, before the race starts: the
#: alternation's first slice, so that what it decides there is decided as fast (a shorter head
#: start cut the small-weight probe short: planted7 7-5-1 took 3.2 s instead of 1.6 s)
HEAD_START = FIRST_SLICE


def usable_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_race() -> bool:
    """Two forked processes can run side by side here."""
    import multiprocessing  # here, not at the top: most questions never get this far

    return ("fork" in multiprocessing.get_all_start_methods() and usable_cores() >= 2
            and not multiprocessing.current_process().daemon)


@dataclass(frozen=True)
class Runner:
    """One member of a race: a backend on given bounds, and the answers that end the race."""

    backend: Backend
    bounds: Bounds
    decisive: frozenset[Status]


def _run(runner: Runner, f: BooleanFunction, arch: Architecture, options: Options,
         seconds: float | None, conn: Connection) -> None:
    """A member's process: its decision (or the exception it raised) down the pipe."""
    try:
        answer: Decision | BaseException = runner.backend.decide(
            f, arch, runner.bounds, options, Deadline.after(seconds))
    except BaseException as error:  # handed to the parent, which re-raises it
        answer = error
    try:
        conn.send(answer)
    except Exception as error:  # an exception that does not pickle: its description
        conn.send(RuntimeError(f"{runner.backend.name} failed: {answer!r} ({error})"))
    finally:
        conn.close()


def race(runners: list[Runner], f: BooleanFunction, arch: Architecture, options: Options,
         deadline: Deadline) -> tuple[int | None, list[Decision | None]]:
    """Run every member in a forked process until one returns a decisive answer (its index
    first) or all have returned or the deadline passes (None first); the rest are killed.

    The second item holds each member's decision, None where it did not return one.
    """
    seconds = deadline.left()
    decisions: list[Decision | None] = [None] * len(runners)
    with forked([(_run, (runner, f, arch, options, seconds)) for runner in runners]) as pending:
        for i, answer in answers(pending, deadline):
            if answer is NO_ANSWER:
                continue
            if isinstance(answer, BaseException):
                raise answer
            decisions[i] = answer
            if answer.status in runners[i].decisive:
                return i, decisions
    return None, decisions


class Racing(Alternating):
    """``main`` and ``refuter`` (on the real relaxation) side by side in two processes, after a
    head start of ``main`` alone; the alternation where processes cannot race."""

    def __init__(self, name: str, main: Backend, refuter: Backend, head_start: float = HEAD_START):
        super().__init__(name, main, refuter)
        self.head_start = head_start
        self.summary = (f"{main.name} racing {refuter.name} over real weights in two processes "
                        "(alternating on one core)")

    def decide(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
               deadline: Deadline) -> Decision:
        if not can_race():
            return super().decide(f, arch, bounds, options, deadline)
        start = time.perf_counter()
        first = self.main.decide(f, arch, bounds, options, deadline.within(self.head_start))
        parts = [first.stats]
        if first.status is not Status.UNKNOWN or deadline.expired():
            return self._done(first, parts, start)
        decided = frozenset({Status.REALIZABLE, Status.UNREALIZABLE})
        runners = [Runner(self.main, bounds, decided),
                   Runner(self.refuter, real_relaxation(bounds), frozenset({Status.UNREALIZABLE}))]
        winner, decisions = race(runners, f, arch, options, deadline)
        main = decisions[0] or Decision(Status.UNKNOWN, None, Stats(self.main.name))
        d = decisions[winner] if winner is not None else Decision(Status.UNKNOWN, None, main.stats)
        assert d is not None
        parts.append(Stats.combine("race", [r.stats for r in decisions if r is not None],
                                   concurrent=True, decided_by=d.stats.decided_by))
        return self._done(d, parts, start)

    def _done(self, d: Decision, parts: list[Stats], start: float) -> Decision:
        d.stats = Stats.combine(self.name, parts, time_s=time.perf_counter() - start)
        d.stats.extra["decided_by"] = d.stats.decided_by
        return d
