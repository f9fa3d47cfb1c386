"""`check_many`: many functions on one architecture with one incremental SAT solver.

The CNF of an architecture over a set of rows does not depend on the function except through
the output units' values. So the encoding is built once with free output literals
(``build_cnf(..., free_outputs=True)``), loaded into one solver, and each function is a solve
under assumptions fixing the outputs on its care rows; learned clauses carry over. Symmetry
breaking that does not depend on the function (hidden-order, hidden-negation) stays on.
Every REALIZABLE answer is verified like `realize.check`'s.

>>> from realize.spec.functions import BooleanFunction
>>> fs = [BooleanFunction.from_truth_tables(2, [t]) for t in range(16)]
>>> [r.status.value[0] for r in check_many(fs, "2-1")]
['r', 'r', 'r', 'r', 'r', 'r', 'u', 'r', 'r', 'u', 'r', 'r', 'r', 'r', 'r', 'r']
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pysat.solvers import Solver

from realize.backends.registry import bounds_for
from realize.backends.satsolver import require_solver, solve_loaded
from realize.encodings.cnf import build_cnf
from realize.errors import InputError
from realize.options import DEFAULT_SOLVER, Deadline, check_seconds
from realize.pipeline import resolve
from realize.results import Refutation, Result, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction
from realize.verify import verify_witness


def check_many(
    functions: Sequence[BooleanFunction],
    arch: Architecture | str,
    *,
    bounds: Bounds | None = None,
    timeout: float | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
) -> list[Result]:
    """`realize.check` (sat backend) for each function; ``timeout`` applies to each one.

    Functions that store the same rows share one encoding and one solver.
    """
    require_solver(solver, limited=timeout is not None)
    if timeout is not None:
        check_seconds(timeout)
    bounds = bounds or bounds_for("sat")
    if bounds.real:
        raise InputError("check_many runs the sat backend: integer bounds only")
    results: list[Result | None] = [None] * len(functions)
    groups: dict[bytes, list[int]] = {}
    if isinstance(arch, str):
        arch = resolve(functions[0], arch)[1] if functions else Architecture.parse(arch)
    for i, f in enumerate(functions):
        resolve(f, arch)  # same n and m as the architecture
        groups.setdefault(f.rows.tobytes(), []).append(i)
    for members in groups.values():
        start = time.perf_counter()
        enc = build_cnf(functions[members[0]], arch, bounds, symmetry=symmetry, free_outputs=True)
        build_s = time.perf_counter() - start
        with Solver(name=solver, bootstrap_with=enc.clauses) as s:
            for i in members:
                t0 = time.perf_counter()
                f = functions[i]
                assumptions = [
                    enc.y[u][k] if f.values[j, p] else -enc.y[u][k]
                    for j, u in enumerate(arch.outputs)
                    for k, p in enumerate(enc.positions)
                    if f.values[j, p] != DONT_CARE
                ]
                out = solve_loaded(s, assumptions, deadline=Deadline.after(timeout), name=solver)
                network, refutation = None, None
                if out.satisfiable:
                    status = Status.REALIZABLE
                    network = enc.decode(out.model)
                    verify_witness(network, f, bounds)
                elif out.satisfiable is False:
                    status = Status.UNREALIZABLE
                    refutation = Refutation("sat", "batch")
                else:
                    status = Status.UNKNOWN
                results[i] = Result(
                    status=status, function=f, arch=arch, bounds=bounds, backend="sat",
                    time_s=time.perf_counter() - t0 + build_s / len(members),
                    network=network, refutation=refutation,
                    stats=Stats("batch", time_s=time.perf_counter() - t0 + build_s / len(members),
                                encode_s=build_s / len(members), solve_s=out.stats.solve_s,
                                vars=enc.num_vars, clauses=len(enc.clauses),
                                conflicts=out.stats.conflicts,
                                extra={"shared_encode_s": round(build_s, 6),
                                       "shared_by": len(members)}),
                    reason="time limit reached" if status is Status.UNKNOWN else "",
                )
    return [r for r in results if r is not None]
