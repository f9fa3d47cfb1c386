"""`check`: can an architecture compute a function under given bounds?

The pipeline runs one way: specification (function, architecture, bounds) -> encoding ->
backend -> decoded witness -> independent check (`realize.verify`) -> `Result`.

>>> r = check("6", "2-2-1")           # XOR2 on two hidden units
>>> r.status.value, r.network is not None
('realizable', True)
>>> check("6", "2-1").status.value    # ... but not on one unit
'unrealizable'
>>> check("x0 & (x1 | x2)", "3-1", max_weight=1).status.value
'unrealizable'
"""

from __future__ import annotations

import time

from realize.backends.cegis import cegis as run_cegis
from realize.backends.cegis import prefer_cegis
from realize.backends.satsolver import DEFAULT_SOLVER, require_solver
from realize.errors import InputError
from realize.explain.certificates import certify, check_certificate_options
from realize.readers.registry import parse_function
from realize.results import Decision, Result, Status
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness

BACKENDS = ("sat", "smt", "smt-real")


def resolve(
    function: BooleanFunction | str, arch: Architecture | str, skip: bool = False
) -> tuple[BooleanFunction, Architecture]:
    """Parse string arguments and check that function and architecture fit together."""
    if isinstance(arch, str):
        arch = parse_architecture(arch, skip=skip)
    if isinstance(function, str):
        function = parse_function(function, arch.n_inputs)
    if function.n != arch.n_inputs:
        raise InputError(
            f"the function has {function.n} inputs; the architecture {arch.describe()} has "
            f"{arch.n_inputs}"
        )
    if function.m != arch.m:
        raise InputError(
            f"the function has {function.m} output(s); the architecture {arch.describe()} has "
            f"{arch.m}"
        )
    return function, arch


def make_bounds(
    backend: str = "sat",
    max_weight: int | None = None,
    max_bias: int | None = None,
    nonneg: bool = False,
) -> Bounds:
    """The bounds a backend works under (``smt-real`` means unbounded real weights)."""
    if backend not in BACKENDS:
        raise InputError(f"unknown backend '{backend}' (choose from {', '.join(BACKENDS)})")
    if backend == "smt-real":
        return Bounds(max_weight=max_weight, max_bias=max_bias, nonneg=nonneg, real=True)
    return Bounds(max_weight=max_weight, max_bias=max_bias, nonneg=nonneg)


def decide(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    backend: str = "sat",
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
) -> Decision:
    """Run one backend on parsed inputs; the witness is decoded but not yet verified."""
    if backend == "sat":
        from realize.backends.strategy import decide_sat

        return decide_sat(f, arch, bounds, timeout=timeout, solver=solver, symmetry=symmetry)
    from realize.encodings.smt import solve_smt

    return solve_smt(f, arch, bounds, timeout=timeout, symmetry=symmetry)


def check(
    function: BooleanFunction | str,
    arch: Architecture | str,
    *,
    bounds: Bounds | None = None,
    max_weight: int | None = None,
    max_bias: int | None = None,
    nonneg: bool = False,
    skip: bool = False,
    backend: str = "sat",
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
    certificate: bool = False,
    smallest: bool = False,
    proof: str | None = None,
    cegis: bool | None = None,
) -> Result:
    """Decide whether ``arch`` computes ``function`` on every care row.

    ``function`` is a `BooleanFunction` or any FUNCTION text the command line accepts (hex,
    family, expression, PLA/CSV path); ``arch`` an `Architecture`, ``"4-2-1"`` or a DAG file.
    Bounds default to exact mode. A REALIZABLE result carries a network that has been evaluated
    on every care row; UNKNOWN means the time limit ran out.

    On an UNREALIZABLE answer, ``certificate`` adds a verified subset-minimal set of rows that no
    network fits (``smallest``: a minimum-size one; ``proof``: also a checked DRAT proof written
    to that file); see `realize.explain.certificates`. ``cegis`` decides on growing row subsets
    (`realize.cegis`, sat backend); None picks it by `realize.backends.cegis.prefer_cegis`.
    """
    start = time.perf_counter()
    f, a = resolve(function, arch, skip)
    if bounds is None:
        bounds = make_bounds(backend, max_weight, max_bias, nonneg)
    elif backend == "smt-real" and not bounds.real:
        raise InputError("the smt-real backend decides real weights: use Bounds(real=True)")
    elif bounds.real and backend != "smt-real":
        raise InputError("real-valued weights need the smt-real backend")
    if timeout is not None and timeout <= 0:
        raise InputError(f"--timeout must be positive, got {timeout}")
    require_solver(solver)
    if cegis and backend != "sat":
        raise InputError("--cegis needs the sat backend")
    if certificate or smallest or proof:
        check_certificate_options(a, bounds, smallest=smallest, proof=proof)
    rows_used = None
    if backend == "sat" and (cegis if cegis is not None else prefer_cegis(f, a)):
        run = run_cegis(f, a, bounds, timeout=timeout, solver=solver, symmetry=symmetry)
        decision, rows_used = run.decision, run.positions
    else:
        decision = decide(f, a, bounds, backend=backend, timeout=timeout, solver=solver,
                          symmetry=symmetry)
    explanation = None
    if decision.status is Status.REALIZABLE:
        verify_witness(decision.network, f, bounds)
    elif decision.status is Status.UNREALIZABLE and (certificate or smallest or proof):
        deadline = None if timeout is None else start + timeout
        explanation = certify(f, a, bounds, within=rows_used, smallest=smallest, proof=proof,
                              symmetry=symmetry, solver=solver, deadline=deadline).to_dict()
    elif decision.status is Status.UNREALIZABLE:
        explanation = {"kind": "refutation", "backend": backend,
                       "claim": "no weights within the bounds fit all care rows"}
    return Result(
        status=decision.status,
        function=f,
        arch=a,
        bounds=bounds,
        backend=backend,
        time_s=time.perf_counter() - start,
        network=decision.network if decision.status is Status.REALIZABLE else None,
        certificate=explanation,
        stats=decision.stats,
        reason="time limit reached" if decision.status is Status.UNKNOWN else "",
    )
