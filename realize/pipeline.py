"""`check`: can an architecture compute a function under given bounds?

The pipeline runs one way: specification (function, architecture, bounds) -> backend (through
`realize.backends.registry`) -> decoded witness -> independent check (`realize.verify`) ->
explanation (`realize.explain`) -> `Result`.

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

from realize.backends.base import require
from realize.backends.registry import bounds_for, get_backend
from realize.backends.satsolver import require_solver
from realize.encodings.numbers import check_numbers
from realize.errors import InputError, UnsupportedError
from realize.options import DEFAULT_SOLVER, Deadline, Options
from realize.readers.registry import parse_function
from realize.results import Refutation, Result, Status
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness


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
    check_proof: bool = True,
    cegis: bool | None = None,
    numbers: str = "auto",
    jobs: int = 1,
    options: Options | None = None,
    deadline: Deadline | None = None,
) -> Result:
    """Decide whether ``arch`` computes ``function`` on every care row.

    ``function`` is a `BooleanFunction` or any FUNCTION text the command line accepts (hex,
    family, expression, PLA/CSV path); ``arch`` an `Architecture`, ``"4-2-1"`` or a DAG file.
    Bounds default to exact mode (``backend="smt-real"``: unbounded real weights). A REALIZABLE
    result carries a network that has been evaluated on every care row; UNKNOWN means the time
    limit ran out.

    On an UNREALIZABLE answer, ``certificate`` adds a verified subset-minimal set of rows that no
    network fits (``smallest``: a minimum-size one); see `realize.explain.certificates`.
    ``proof`` (a folder) gets a proof bundle of the answer (of the certificate's rows when there
    is a certificate), checked unless ``check_proof`` is False; see `realize.explain.proofs`.
    ``cegis`` decides on growing row subsets
    (`realize.backends.cegis`, sat backend); None picks it by the row count. ``numbers`` names
    the CNF's number encoding (``order``, ``binary``, or ``auto``: the measured rule of
    `realize.encodings.numbers.choose_numbers`). ``jobs`` > 1 lets a long case split fork that
    many worker processes. ``options`` (an `Options`) replaces ``solver``, ``symmetry``,
    ``cegis``, ``numbers`` and ``jobs``; ``deadline`` replaces ``timeout``.
    """
    start = time.perf_counter()
    deadline = deadline or Deadline.after(timeout)
    f, a = resolve(function, arch, skip)
    chosen = get_backend(backend)
    if bounds is None:
        bounds = bounds_for(backend, max_weight, max_bias, nonneg)
    options = options or Options.make(solver=solver, symmetry=symmetry, cegis=cegis, numbers=numbers,
                                      jobs=jobs)
    check_numbers(options.numbers)
    require_solver(options.solver, limited=deadline.end is not None)
    if options.cegis and chosen.name != "sat":
        raise UnsupportedError("--cegis needs the sat backend")
    require(chosen, f, a, bounds, options)
    explain = certificate or smallest
    if explain:
        from realize.explain.certificates import check_certificate_options

        check_certificate_options(a, bounds, smallest=smallest)
    if proof is not None:
        from realize.explain.proofs import prepare_folder

        prepare_folder(proof)
    decision = chosen.decide(f, a, bounds, options, deadline)
    result = Result(status=decision.status, function=f, arch=a, bounds=bounds, backend=backend,
                    time_s=0.0, stats=decision.stats)
    if decision.status is Status.REALIZABLE:
        verify_witness(decision.network, f, bounds)
        result.network = decision.network
    elif decision.status is Status.UNREALIZABLE:
        result.refutation = Refutation(backend, decision.stats.decided_by)
        if explain:
            from realize.explain.certificates import certify

            result.certificate = certify(f, a, bounds, within=decision.rows, smallest=smallest,
                                         options=options, deadline=deadline)
        if proof is not None:
            from realize.explain.proofs import write_bundle

            cert = result.certificate
            result.proof = write_bundle(
                f if cert is None else f.subset(cert.positions), a, bounds, proof,
                check=check_proof, decided_by=decision.stats.decided_by,
                restricts=None if cert is None else f)
            if cert is not None:
                cert.proof, cert.proof_checked = str(proof), result.proof.proof_checked
    else:
        result.reason = "time limit reached"
    result.time_s = time.perf_counter() - start
    return result
