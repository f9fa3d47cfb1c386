"""Portfolios: backends built from other backends.

`Alternating` runs a main backend and a refuter in turn, in time slices that double until one
decides. The refuter decides a relaxation (the question over unbounded real weights), so its
UNREALIZABLE refutes the question itself, and its REALIZABLE says nothing: the main backend then
runs alone for the time left. Measured in benchmarks/README.md (x0x1 | x2x3 | x4x5 on 6-1-1
with skip connections: sat alone 474 s, the portfolio 0.5 s).

>>> from realize.backends.registry import get_backend
>>> from realize.spec.architecture import Architecture
>>> from realize.spec.functions import BooleanFunction
>>> d = get_backend("portfolio").decide(BooleanFunction.from_hex("96", 3),
...     Architecture.parse("3-2-1"), Bounds(), Options(), Deadline())
>>> d.status.value, d.stats.stage
('unrealizable', 'portfolio')
"""

from __future__ import annotations

import time

from realize.backends.base import Backend
from realize.options import Deadline, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

#: the first time slice of each member (seconds); slices double
FIRST_SLICE = 2.0


def real_relaxation(bounds: Bounds) -> Bounds:
    """Unbounded real weights (``nonneg`` kept): a relaxation of every integer bound."""
    return Bounds(nonneg=bounds.nonneg, real=True)


class Alternating:
    """``main`` and ``refuter`` (on the real relaxation) in doubling time slices."""

    def __init__(self, name: str, main: Backend, refuter: Backend, first_slice: float = FIRST_SLICE):
        self.name, self.main, self.refuter, self.first_slice = name, main, refuter, first_slice
        self.summary = (f"{main.name} alternating with {refuter.name} over real weights "
                        "in doubling time slices")

    def refuses(self, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                options: Options) -> str | None:
        return self.main.refuses(f, arch, bounds, options)

    def decide(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
               deadline: Deadline) -> Decision:
        start = time.perf_counter()
        parts: list[Stats] = []

        def run(backend: Backend, limits: Bounds, opts: Options, span: float | None) -> Decision:
            d = backend.decide(f, arch, limits, opts, deadline.within(span))
            parts.append(d.stats)
            return d

        def done(d: Decision) -> Decision:
            d.stats = Stats.combine(self.name, parts, time_s=time.perf_counter() - start,
                                    decided_by=parts[-1].stage)
            return d

        relaxed = real_relaxation(bounds)
        span, opts = self.first_slice, options
        while True:
            d = run(self.main, bounds, opts, span)
            opts = opts.replace(probe=False)  # the probe ran in the first slice
            if d.status is not Status.UNKNOWN or deadline.expired():
                return done(d)
            real = run(self.refuter, relaxed, options, span)
            if real.status is Status.UNREALIZABLE:
                return done(real)
            if real.status is Status.REALIZABLE:
                return done(run(self.main, bounds, opts, None))
            if deadline.expired():
                return done(d)
            span *= 2
