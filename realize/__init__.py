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

from realize.architecture import Architecture, parse_architecture  # noqa: E402
from realize.bounds import Bounds, exact_max_weight  # noqa: E402
from realize.check import check  # noqa: E402
from realize.errors import InputError, VerificationError  # noqa: E402
from realize.function_input import parse_function  # noqa: E402
from realize.functions import BooleanFunction  # noqa: E402
from realize.network import Network  # noqa: E402
from realize.result import Result, Status  # noqa: E402
from realize.verify import verify_witness  # noqa: E402

__all__ = [
    "Architecture",
    "BooleanFunction",
    "Bounds",
    "InputError",
    "Network",
    "Result",
    "Status",
    "VerificationError",
    "check",
    "exact_max_weight",
    "parse_architecture",
    "parse_function",
    "verify_witness",
]
