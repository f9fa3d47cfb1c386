"""The `Backend` protocol: what every decision procedure offers the pipeline.

A backend has a ``name``, says why it cannot take an instance (`Backend.refuses`: None when it
can), and decides one (`Backend.decide`), returning a `Decision` whose network is decoded but
not yet verified: `realize.check` verifies it. Backends register in `realize.backends.registry`;
the command line, suites and the differential tests read that table, so a new backend is
offered and cross-checked from the day it registers.
"""

from __future__ import annotations

from typing import Protocol

from realize.errors import UnsupportedError
from realize.options import Deadline, Options
from realize.results import Decision
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction


class Backend(Protocol):
    """A decision procedure for "does ``arch`` compute ``f`` within ``bounds``?"."""

    #: the name the command line and the registry use
    name: str
    #: one line for ``--help``
    summary: str

    def refuses(self, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                options: Options) -> str | None:
        """Why this backend cannot decide the instance, or None when it can."""
        ...

    def decide(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
               deadline: Deadline) -> Decision:
        """The answer (UNKNOWN at the deadline); the network is decoded, not verified."""
        ...


def require(backend: Backend, f: BooleanFunction, arch: Architecture, bounds: Bounds,
            options: Options) -> None:
    """Raise `UnsupportedError` with the backend's reason when it refuses the instance."""
    reason = backend.refuses(f, arch, bounds, options)
    if reason is not None:
        raise UnsupportedError(f"the {backend.name} backend cannot decide this: {reason}")
