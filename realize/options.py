"""How a question is decided (`Options`) and until when (`Deadline`).

One `Options` value carries every knob that used to travel as a tail of keyword arguments
(solver, symmetry rules, number encoding, probe, CEGIS); one `Deadline` is made once per user
call from its time limit and passed down, so every stage reads the same clock.

>>> opts = Options(symmetry=False)
>>> opts.symmetry, opts.uses("input-symmetry")
(frozenset(), False)
>>> Options().replace(probe=False).probe
False
>>> Deadline.after(None).left() is None
True
>>> 0 < Deadline.after(5).left() <= 5
True
>>> Deadline.after(float("nan"))
Traceback (most recent call last):
...
realize.errors.InputError: --timeout must be a positive number of seconds, got nan
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from realize.errors import InputError

#: the default SAT solver (pysat name): CaDiCaL 1.9.5
DEFAULT_SOLVER = "cadical195"
#: symmetry-breaking rules, each applied only where it is sound (encodings/cnf.md)
SYMMETRY_RULES = frozenset({"hidden-order", "hidden-negation", "input-symmetry"})
#: the longest time limit accepted (about 115 days): larger values are surely a mistake
MAX_SECONDS = 1e7


@dataclass(frozen=True)
class Options:
    """How to decide: SAT solver, symmetry rules, number encoding, probe and CEGIS.

    ``symmetry`` is the set of rules allowed (True: all, False: none); ``numbers`` names the
    number encoding of the CNF (``auto``: chosen per question by
    `realize.encodings.numbers.choose_numbers`); ``probe`` allows the small-weight probe of the sat strategy
    and the symmetric probes of `realize.backends.layers`;
    ``cegis`` forces CEGIS on or off (None: decided by the row count); ``jobs`` is the number
    of processes a long case split may fork (`realize.backends.cases`).
    """

    solver: str = DEFAULT_SOLVER
    symmetry: frozenset[str] | bool = SYMMETRY_RULES
    numbers: str = "auto"
    probe: bool = True
    cegis: bool | None = None
    jobs: int = 1

    def __post_init__(self) -> None:
        rules = self.symmetry
        if isinstance(rules, bool):
            rules = SYMMETRY_RULES if rules else frozenset()
        rules = frozenset(rules)
        unknown = rules - SYMMETRY_RULES
        if unknown:
            raise InputError(f"unknown symmetry rule(s) {sorted(unknown)} "
                             f"(choose from {', '.join(sorted(SYMMETRY_RULES))})")
        object.__setattr__(self, "symmetry", rules)
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise InputError(f"--jobs must be a positive whole number, got {self.jobs!r}")

    def uses(self, rule: str) -> bool:
        """Whether the symmetry rule ``rule`` is allowed."""
        return rule in self.symmetry

    def replace(self, **changes: object) -> Options:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def make(cls, *, symmetry: bool | Iterable[str] = True, **fields: object) -> Options:
        """Options from keyword arguments as the public calls take them."""
        return cls(symmetry=symmetry if isinstance(symmetry, bool) else frozenset(symmetry),
                   **fields)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record."""
        return {"solver": self.solver, "symmetry": sorted(self.symmetry), "numbers": self.numbers,
                "probe": self.probe, "cegis": self.cegis, "jobs": self.jobs}


class DeadlineExpired(Exception):
    """The deadline passed while a stage was building (an encoding, say): its answer is UNKNOWN."""


class Deadline:
    """A moment on ``time.perf_counter()``'s clock by which work stops (or none).

    Stages ask `left` (seconds, never negative; None without a limit) or `expired`, and narrow
    it for a sub-stage with `within`; nothing converts seconds to moments by hand.
    """

    __slots__ = ("end",)

    def __init__(self, end: float | None = None) -> None:
        self.end = end

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """The deadline ``seconds`` from now (None: no limit); raises `InputError` unless the
        limit is a positive finite number of at most `MAX_SECONDS`."""
        if seconds is None:
            return cls(None)
        check_seconds(seconds)
        return cls(time.perf_counter() + seconds)

    def left(self) -> float | None:
        """Seconds left (0.0 once expired), or None without a limit."""
        if self.end is None:
            return None
        return max(0.0, self.end - time.perf_counter())

    def expired(self) -> bool:
        return self.end is not None and time.perf_counter() >= self.end

    def check(self, where: str) -> None:
        """Raise `DeadlineExpired` (naming ``where``) once the deadline has passed."""
        if self.expired():
            raise DeadlineExpired(f"time limit reached while {where}")

    def within(self, seconds: float | None) -> Deadline:
        """The earlier of this deadline and ``seconds`` from now (None: this deadline)."""
        if seconds is None:
            return self
        end = time.perf_counter() + seconds
        return Deadline(end if self.end is None else min(end, self.end))

    def milliseconds(self) -> int | None:
        """The time left in whole milliseconds, at least 1 (z3's ``timeout``), or None."""
        left = self.left()
        return None if left is None else max(1, int(left * 1000))

    def __repr__(self) -> str:
        left = self.left()
        return "Deadline(none)" if left is None else f"Deadline({left:.3f} s left)"


def check_seconds(seconds: float, what: str = "--timeout") -> float:
    """``seconds`` if it is a positive finite number of at most `MAX_SECONDS`, else `InputError`.

    >>> check_seconds(2.5)
    2.5
    >>> check_seconds(0)
    Traceback (most recent call last):
    ...
    realize.errors.InputError: --timeout must be a positive number of seconds, got 0
    """
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise InputError(f"{what} must be a number of seconds, got {seconds!r}")
    if not (math.isfinite(seconds) and seconds > 0):
        raise InputError(f"{what} must be a positive number of seconds, got {seconds}")
    if seconds > MAX_SECONDS:
        raise InputError(f"{what} of {seconds:g} s is beyond the limit of {MAX_SECONDS:g} s")
    return seconds
