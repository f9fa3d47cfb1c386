r"""DRAT proofs: CaDiCaL writes them (`refute`), dratify checks them (`check_drat_parts`).

>>> import tempfile
>>> proof, seconds, conflicts = refute([[1, 2], [-1, 2], [1, -2], [-1, -2]])
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "f.cnf").write_text("p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n")
>>> _ = (folder / "f.drat").write_text("\n".join(proof) + "\n")
>>> proof[-1], check_drat_files(folder / "f.cnf", folder / "f.drat")[0]
('0', True)
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pysat.solvers import Solver

from realize.backends.satsolver import solve_sliced

#: the solver that writes the DRAT proofs (fresh solve, no assumptions)
PROOF_SOLVER = "cadical195"
#: proofs shorter than this are checked in the calling process
INLINE_CHECK_LINES = 5000

log = logging.getLogger(__name__)


def refute(clauses: list[list[int]], solver: str = PROOF_SOLVER) -> tuple[list[str] | None, float, int]:
    """(DRAT proof lines, seconds, conflicts) from a fresh solve without assumptions; the proof
    is None when the CNF is satisfiable. The proof ends with its first empty clause, and
    deletions just before it are dropped (they only speed up a checker on lemmas that follow;
    none do). A CNF that unit propagation refutes gets the proof "0"."""
    t0 = time.perf_counter()
    with Solver(name=solver, with_proof=True, bootstrap_with=clauses) as s:
        sat = solve_sliced(s)
        conflicts = int(s.accum_stats().get("conflicts", 0))
        proof = None if sat else s.get_proof()
    if proof is not None:
        end = proof.index("0") if "0" in proof else len(proof)  # CaDiCaL may go on with "d 0"
        while end > 0 and proof[end - 1].startswith("d"):
            end -= 1
        proof = proof[:end] + ["0"]
    return proof, time.perf_counter() - t0, conflicts


def dratify_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("dratify") is not None


def check_drat_files(cnf: str | Path, proof: str | Path) -> tuple[bool, float, str]:
    """(accepted, seconds, dratify's reason) for a DIMACS file and a DRAT proof file."""
    import dratify

    t0 = time.perf_counter()
    result = dratify.check_proof(dratify.parse_dimacs(Path(cnf).read_text()), Path(proof).read_text())
    return bool(result.ok), time.perf_counter() - t0, str(result.reason)


def _pool(jobs: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)


def check_drat_parts(pairs: Sequence[tuple[Path, Path, int]], jobs: int | None = None
                     ) -> list[tuple[bool, float, str]]:
    """`check_drat_files` on each (cnf, proof, lines); long proofs in ``jobs`` processes (default:
    every CPU), longest first, short ones here."""
    jobs = jobs or os.cpu_count() or 1
    out: list[tuple[bool, float, str] | None] = [None] * len(pairs)
    long = sorted((i for i, p in enumerate(pairs) if p[2] >= INLINE_CHECK_LINES),
                  key=lambda i: -pairs[i][2])
    futures: dict[int, Future] = {}
    pool = _pool(jobs) if jobs > 1 and len(long) > 1 else None
    try:
        if pool is not None:
            futures = {i: pool.submit(check_drat_files, pairs[i][0], pairs[i][1]) for i in long}
        for i, (cnf, proof, _) in enumerate(pairs):
            if i not in futures:
                out[i] = check_drat_files(cnf, proof)
        for i, fut in futures.items():
            out[i] = fut.result()
            log.info("%s: %s by dratify in %.2f s", pairs[i][1].name,
                     "accepted" if out[i][0] else "REJECTED", out[i][1])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return [x for x in out if x is not None]

