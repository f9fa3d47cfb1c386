"""The table of backends: the one place that knows which decision procedures exist.

The command line (``--backend``), suites, `realize.check` and the differential tests read it,
so a backend is offered and cross-checked from the day it is added here. ``smt-real`` is not a
backend of its own: it is the smt backend in the ``real`` bounds mode (unbounded real weights),
kept as a name on the command line.

>>> backend_names()
['sat', 'smt', 'portfolio', 'smt-real']
>>> get_backend("smt-real").name, bounds_for("smt-real").mode
('smt', 'real')
>>> get_backend("lp")
Traceback (most recent call last):
...
realize.errors.InputError: unknown backend 'lp' (choose from sat, smt, portfolio, smt-real)
"""

from __future__ import annotations

from realize.backends.base import Backend, require
from realize.backends.racing import Racing
from realize.backends.smt import SmtBackend
from realize.backends.strategy import SatBackend
from realize.errors import InputError
from realize.options import Deadline, Options
from realize.results import Decision
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

_SAT, _SMT = SatBackend(), SmtBackend()
#: every backend, by name
BACKENDS: dict[str, Backend] = {b.name: b for b in (_SAT, _SMT, Racing("portfolio", _SAT, _SMT))}
#: names that stand for a backend in a bounds mode: name -> (backend, bounds mode)
ALIASES: dict[str, tuple[str, str]] = {"smt-real": ("smt", "real")}


def backend_names(aliases: bool = True) -> list[str]:
    """The names ``--backend`` accepts, backends first."""
    return [*BACKENDS, *(ALIASES if aliases else ())]


def get_backend(name: str) -> Backend:
    """The backend called ``name`` (an alias gives its backend); `InputError` if unknown."""
    if name in ALIASES:
        name = ALIASES[name][0]
    if name not in BACKENDS:
        raise InputError(f"unknown backend '{name}' (choose from {', '.join(backend_names())})")
    return BACKENDS[name]


def bounds_for(
    name: str = "sat", max_weight: int | None = None, max_bias: int | None = None,
    nonneg: bool = False,
) -> Bounds:
    """The bounds a backend name stands for: exact or max-weight, or real for ``smt-real``."""
    get_backend(name)
    real = name in ALIASES and ALIASES[name][1] == "real"
    return Bounds(max_weight=max_weight, max_bias=max_bias, nonneg=nonneg, real=real)


def decide(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, backend: str = "sat",
    options: Options | None = None, deadline: Deadline | None = None,
) -> Decision:
    """Run the backend called ``backend`` on parsed inputs (witness decoded, not verified);
    `UnsupportedError` when it refuses them."""
    chosen, options = get_backend(backend), options or Options()
    require(chosen, f, arch, bounds, options)
    return chosen.decide(f, arch, bounds, options, deadline or Deadline())
