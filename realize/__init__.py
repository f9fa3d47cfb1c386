"""realize: can a feedforward network of linear threshold units compute a Boolean function?

A unit with 0/1 inputs z, integer weights w and bias b outputs 1 iff w.z + b >= 0. The library
decides realizability with SAT (CaDiCaL via pysat) and SMT (z3) and verifies every witness.

>>> import realize
>>> realize.check("e8", "3-1").status.value        # MAJ3 is one threshold unit
'realizable'
>>> realize.check("96", "3-2-1").status.value      # XOR3 needs three hidden units
'unrealizable'
"""

__version__ = "0.1.0"

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

#: every public name -> the module that defines it. They are imported on first use (PEP 562), so
#: that ``import realize`` (and the command line, which imports only what its command needs)
#: does not pay for z3, networkx, pysat's extras and every application at start-up.
_EXPORTS: dict[str, str] = {
    "check_many": "realize.apps.batch",
    "check_circuit": "realize.apps.circuit_check",
    "Classification": "realize.apps.classify",
    "classify": "realize.apps.classify",
    "CountResult": "realize.apps.counting",
    "count": "realize.apps.counting",
    "Minimum": "realize.apps.minimize",
    "MinimumCache": "realize.apps.minimize",
    "minimize": "realize.apps.minimize",
    "Summary": "realize.apps.report",
    "cactus_plot": "realize.apps.report",
    "format_summary": "realize.apps.report",
    "summarize": "realize.apps.report",
    "Survey": "realize.apps.survey",
    "survey": "realize.apps.survey",
    "stored_survey": "realize.apps.survey",
    "Instance": "realize.apps.suite",
    "SuiteRun": "realize.apps.suite",
    "load_suite": "realize.apps.suite",
    "read_records": "realize.apps.suite",
    "run_suite": "realize.apps.suite",
    "backend_names": "realize.backends.registry",
    "get_backend": "realize.backends.registry",
    "EnvironmentFailure": "realize.errors",
    "InputError": "realize.errors",
    "RealizeError": "realize.errors",
    "UnsupportedError": "realize.errors",
    "VerificationError": "realize.errors",
    "row_certificate": "realize.explain.certificates",
    "verify_certificate": "realize.explain.certificates",
    "CounterexampleResult": "realize.explain.counterexample",
    "find_counterexamples": "realize.explain.counterexample",
    "Deadline": "realize.options",
    "Options": "realize.options",
    "check": "realize.pipeline",
    "parse_circuit": "realize.readers.registry",
    "parse_function": "realize.readers.registry",
    "Certificate": "realize.results",
    "Circuit": "realize.spec.circuits",
    "Decision": "realize.results",
    "Refutation": "realize.results",
    "Result": "realize.results",
    "Stats": "realize.results",
    "Status": "realize.results",
    "Architecture": "realize.spec.architecture",
    "parse_architecture": "realize.spec.architecture",
    "Bounds": "realize.spec.bounds",
    "exact_max_weight": "realize.spec.bounds",
    "BooleanFunction": "realize.spec.functions",
    "Network": "realize.spec.network",
    "npn_canonical": "realize.spec.npn",
    "npn_classes": "realize.spec.npn",
    "npn_orbit": "realize.spec.npn",
    "verify_witness": "realize.verify",
    "export_network": "realize.writers.registry",
}


def __getattr__(name: str) -> _Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'realize' has no attribute {name!r}")
    value = getattr(_import_module(module), name)
    globals()[name] = value  # later lookups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted({*(n for n in globals() if not n.startswith("_")), *_EXPORTS, "__version__"})


if _TYPE_CHECKING:
    from realize.apps.batch import check_many
    from realize.apps.classify import Classification, classify
    from realize.apps.counting import CountResult, count
    from realize.apps.minimize import Minimum, MinimumCache, minimize
    from realize.apps.report import Summary, cactus_plot, format_summary, summarize
    from realize.apps.suite import Instance, SuiteRun, load_suite, read_records, run_suite
    from realize.backends.registry import backend_names, get_backend
    from realize.errors import (
        EnvironmentFailure,
        InputError,
        RealizeError,
        UnsupportedError,
        VerificationError,
    )
    from realize.explain.certificates import row_certificate, verify_certificate
    from realize.explain.counterexample import CounterexampleResult, find_counterexamples
    from realize.options import Deadline, Options
    from realize.pipeline import check
    from realize.readers.registry import parse_function
    from realize.results import Certificate, Decision, Refutation, Result, Stats, Status
    from realize.spec.architecture import Architecture, parse_architecture
    from realize.spec.bounds import Bounds, exact_max_weight
    from realize.spec.functions import BooleanFunction
    from realize.spec.network import Network
    from realize.spec.npn import npn_canonical, npn_classes, npn_orbit
    from realize.verify import verify_witness
    from realize.writers.registry import export_network

__all__ = [
    "Architecture",
    "BooleanFunction",
    "Bounds",
    "Classification",
    "Deadline",
    "EnvironmentFailure",
    "Decision",
    "Certificate",
    "CounterexampleResult",
    "CountResult",
    "InputError",
    "Instance",
    "Minimum",
    "MinimumCache",
    "Network",
    "Options",
    "RealizeError",
    "Refutation",
    "Result",
    "Stats",
    "Status",
    "Summary",
    "SuiteRun",
    "UnsupportedError",
    "VerificationError",
    "backend_names",
    "cactus_plot",
    "check",
    "check_many",
    "classify",
    "count",
    "exact_max_weight",
    "export_network",
    "find_counterexamples",
    "format_summary",
    "get_backend",
    "load_suite",
    "minimize",
    "npn_canonical",
    "npn_classes",
    "npn_orbit",
    "parse_architecture",
    "parse_function",
    "read_records",
    "row_certificate",
    "run_suite",
    "summarize",
    "verify_certificate",
    "verify_witness",
]
