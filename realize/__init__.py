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

from realize.apps.batch import check_many  # noqa: E402
from realize.apps.classify import Classification, classify  # noqa: E402
from realize.apps.counting import CountResult, count  # noqa: E402
from realize.apps.minimize import Minimum, MinimumCache, minimize  # noqa: E402
from realize.apps.report import Summary, cactus_plot, format_summary, summarize  # noqa: E402
from realize.apps.suite import Instance, SuiteRun, load_suite, read_records, run_suite  # noqa: E402
from realize.backends.registry import backend_names, get_backend  # noqa: E402
from realize.errors import (  # noqa: E402
    EnvironmentFailure,
    InputError,
    RealizeError,
    UnsupportedError,
    VerificationError,
)
from realize.explain.certificates import row_certificate, verify_certificate  # noqa: E402
from realize.explain.counterexample import CounterexampleResult, find_counterexamples  # noqa: E402
from realize.options import Deadline, Options  # noqa: E402
from realize.pipeline import check  # noqa: E402
from realize.readers.registry import parse_function  # noqa: E402
from realize.results import Certificate, Decision, Refutation, Result, Stats, Status  # noqa: E402
from realize.spec.architecture import Architecture, parse_architecture  # noqa: E402
from realize.spec.bounds import Bounds, exact_max_weight  # noqa: E402
from realize.spec.functions import BooleanFunction  # noqa: E402
from realize.spec.network import Network  # noqa: E402
from realize.spec.npn import npn_canonical, npn_classes, npn_orbit  # noqa: E402
from realize.verify import verify_witness  # noqa: E402

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
