"""CEGIS: decide realizability on a growing set of rows (counterexample-guided synthesis).

Start from a few care rows; solve the question on those rows only (the inner decision procedure on
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

>>> from realize.backends.strategy import decide_sat
>>> from realize.readers.registry import parse_function
>>> d = cegis(parse_function("majority", 7), Architecture.parse("7-1"), Bounds(), Options(),
...           Deadline(), decide=decide_sat)
>>> d.status.value, len(d.rows) < 128, d.stats.stage
('realizable', True, 'cegis')
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

#: a decision procedure on parsed inputs (the inner loop's)
Decide = Callable[[BooleanFunction, Architecture, Bounds, Options, Deadline], Decision]

#: rows in the first round
INITIAL_ROWS = 8
#: `prefer_cegis`: from this many care rows on, CEGIS is the default for architectures without
#: hidden units (see benchmarks/README.md)
CEGIS_MIN_ROWS = 512


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
    options: Options,
    deadline: Deadline,
    *,
    decide: Decide,
    initial: int = INITIAL_ROWS,
    seed: int = 0,
) -> Decision:
    """Decide with ``decide`` on growing row subsets; the witness is not yet verified.

    The decision's ``rows`` are the positions (into f.rows) of the last round: when it is
    UNREALIZABLE they are an unrealizable row set. Its stats list every round.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    used = np.sort(rng.choice(f.num_rows, size=min(initial, f.num_rows), replace=False))
    rounds: list[Stats] = []

    def finish(status: Status, network=None) -> Decision:
        stats = Stats.combine("cegis", rounds, time_s=time.perf_counter() - start,
                              cegis=True, cegis_rounds=len(rounds), cegis_rows=int(used.size))
        return Decision(status, network, stats, rows=[int(p) for p in used])

    while True:
        if deadline.expired():
            return finish(Status.UNKNOWN)
        t0 = time.perf_counter()
        sub = f.subset(used)
        select_s = time.perf_counter() - t0
        step = decide(sub, arch, bounds, options, deadline)
        t1 = time.perf_counter()
        if step.status is Status.REALIZABLE:
            wrong = np.flatnonzero(step.network.disagreements(f))
        simulate = Stats("rows", time_s=select_s + time.perf_counter() - t1)
        rounds.append(Stats.combine(f"round {len(rounds) + 1}", [step.stats, simulate],
                                    time_s=time.perf_counter() - t0, rows=int(used.size)))
        if step.status is not Status.REALIZABLE:
            return finish(step.status)
        if wrong.size == 0:
            return finish(Status.REALIZABLE, step.network)
        batch = min(wrong.size, max(initial, used.size // 2))
        used = np.union1d(used, rng.choice(wrong, size=batch, replace=False))
