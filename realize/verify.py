"""The independent check: every witness is evaluated before it is reported.

This module knows nothing about encodings or solvers; it evaluates the network with numpy on
every care row of the function and checks that every weight lies within the bounds.
"""

from __future__ import annotations

from realize.errors import VerificationError
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.spec.network import Network


def verify_witness(network: Network, f: BooleanFunction, bounds: Bounds) -> None:
    """Raise `VerificationError` unless ``network`` computes ``f`` on every care row within bounds.

    >>> from realize.spec.architecture import Architecture
    >>> net = Network(Architecture.parse("2-1"), ((1, 1),), (-2,))
    >>> verify_witness(net, BooleanFunction.from_hex("8", 2), Bounds())
    >>> verify_witness(net, BooleanFunction.from_hex("e", 2), Bounds())
    Traceback (most recent call last):
    ...
    realize.errors.VerificationError: witness disagrees with the function on 2 care row(s), first row 1
    """
    if network.arch.n_inputs != f.n or network.arch.m != f.m:
        raise VerificationError(
            f"witness has {network.arch.n_inputs} inputs and {network.arch.m} outputs; "
            f"the function has {f.n} and {f.m}"
        )
    if not network.within(bounds):
        raise VerificationError(f"witness weights exceed the bounds ({bounds.describe()})")
    wrong = network.disagreements(f)
    if wrong.any():
        first = int(f.rows[wrong.argmax()])
        raise VerificationError(
            f"witness disagrees with the function on {int(wrong.sum())} care row(s), first row {first}"
        )
