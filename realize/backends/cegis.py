"""CEGIS: decide realizability on a growing set of rows (counterexample-guided synthesis).

Start from a few care rows; solve the question on those rows only (`realize.pipeline.decide` on
``f.subset(rows)``); simulate the candidate network on *all* care rows with numpy; add some of the
rows where it disagrees; repeat. Sound both ways:

- a candidate that agrees on every care row is a witness (and `check` verifies it again);
- if the rows used are already unrealizable, so is f: those rows are a certificate for free
  (not minimal; `realize.explain.certificates.row_certificate(..., within=rows)` shrinks it cheaply).

Each round encodes only the rows used, with the symmetry breaking of that row subset (sound for
any subset: see encodings/cnf.md). Rows are added in batches (at least ``initial``, and half the
rows used so far, so the number of rounds grows only logarithmically), picked at random among
the disagreeing rows with a fixed seed, so runs are reproducible.

When CEGIS is the default (`prefer_cegis`) was decided by measurement: benchmarks/cegis_bench.py
and benchmarks/README.md.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.readers.registry import parse_function
>>> run = cegis(parse_function("majority", 7), Architecture.parse("7-1"), Bounds())
>>> run.decision.status.value, run.rows_used < 128
('realizable', True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realize.backends.satsolver import DEFAULT_SOLVER
from realize.results import Decision, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

#: rows in the first round
INITIAL_ROWS = 8
#: `prefer_cegis`: from this many care rows on, CEGIS is the default for architectures without
#: hidden units (see benchmarks/README.md)
CEGIS_MIN_ROWS = 512


@dataclass
class CegisRun:
    """The decision, the rows (positions into f.rows) of the last round, and figures."""

    decision: Decision
    positions: list[int] = field(default_factory=list)
    rounds: int = 0

    @property
    def rows_used(self) -> int:
        return len(self.positions)


def prefer_cegis(f: BooleanFunction, arch: Architecture) -> bool:
    """The default: CEGIS for at least `CEGIS_MIN_ROWS` care rows and no hidden units.

    Measured (benchmarks/cegis_bench.py): on single-layer architectures CEGIS is about even at
    256 rows, ahead from 512 rows and 2 to 16 times faster from 1024 rows on (|w| <= 2 and exact
    mode); with hidden units it was mostly slower
    (a few dozen rows already make a hard instance, and every round solves afresh, while the
    full encoding shares first-layer sums across rows).
    """
    return f.num_rows >= CEGIS_MIN_ROWS and not arch.hidden_units


def cegis(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
    initial: int = INITIAL_ROWS,
    seed: int = 0,
) -> CegisRun:
    """Decide with the sat backend on growing row subsets; the witness is not yet verified."""
    from realize.pipeline import decide

    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    used = np.sort(rng.choice(f.num_rows, size=min(initial, f.num_rows), replace=False))
    totals: dict[str, Any] = {"encode_s": 0.0, "solve_s": 0.0, "vars": 0, "clauses": 0}
    rounds = 0
    while True:
        rounds += 1
        left = None if timeout is None else timeout - (time.perf_counter() - start)
        if left is not None and left <= 0:
            return CegisRun(Decision(Status.UNKNOWN, None, _stats(totals, rounds, used)),
                            used.tolist(), rounds)
        step = decide(f.subset(used), arch, bounds, timeout=left, solver=solver, symmetry=symmetry)
        for key in ("encode_s", "solve_s"):
            totals[key] += step.stats.get(key, 0.0)
        for key in ("vars", "clauses"):
            totals[key] = step.stats.get(key, totals[key])
        stats = _stats(totals, rounds, used)
        if step.status is not Status.REALIZABLE:
            return CegisRun(Decision(step.status, None, stats), used.tolist(), rounds)
        wrong = np.flatnonzero(step.network.disagreements(f))
        if wrong.size == 0:
            return CegisRun(Decision(Status.REALIZABLE, step.network, stats), used.tolist(), rounds)
        batch = min(wrong.size, max(initial, used.size // 2))
        used = np.union1d(used, rng.choice(wrong, size=batch, replace=False))


def _stats(totals: dict[str, Any], rounds: int, used: np.ndarray) -> dict[str, Any]:
    """Figures of a run: totals over rounds; vars and clauses of the last round's encoding."""
    return {
        "cegis": True,
        "cegis_rounds": rounds,
        "cegis_rows": int(used.size),
        **{k: round(v, 6) if isinstance(v, float) else v for k, v in totals.items()},
    }
