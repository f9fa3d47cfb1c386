"""Row certificates: a small set of care rows that no network of the architecture can fit.

An UNREALIZABLE answer is explained by rows: if no weights within the bounds fit the rows S, none
fit all care rows. `row_certificate` finds such an S:

1. encode every care row (or the rows of ``within``) with one selector literal per row
   (`build_cnf(..., selectors=True)`) and solve under the assumption that every selector is true;
   the solver's core is an unrealizable row set;
2. shrink it to a subset-minimal one with a deletion loop on the same incremental solver (drop a
   block of rows; still UNSAT: keep them out and shrink to the new core; SAT: halve the block;
   a single row whose removal is SAT is needed); or, with ``smallest``, compute a minimum-size
   one with pysat's `OptUx` (hitting sets of MCSes). When the weight ranges are too wide for the
   CNF (exact mode, fan-in >= 8), the candidate rows come from a CEGIS run and the same deletion
   loop runs on fresh decisions of row subsets;
3. verify with fresh solves, independent of the search: the rows alone are unrealizable (their own
   encoding, without symmetry breaking), and for a minimal certificate every row set with one row
   dropped is realizable (its witness is evaluated on those rows).

Symmetry breaking with selectors is sound: "hidden-negation" makes every hidden unit output 0 on
the first *encoded* row whether or not that row is selected. Any network fitting the selected rows
has a negated twin computing the same function on all inputs, so the rule removes no function,
for any row subset; likewise the hidden-order rule. Rules that depend on the symmetries of f
itself (a permutation of the inputs that maps f to f need not map a row subset to itself) are not
sound under selectors: if `build_cnf` reports any rule outside `SUBSET_SOUND_RULES`, the
selector encoding is rebuilt without symmetry breaking.

`write_proof` writes a DRAT proof that the certificate's CNF (the encoding of its rows alone, as
``realize encode --no-symmetry`` would write it; rows are constants, so there are no assumptions)
is unsatisfiable, from a fresh CaDiCaL solve, and checks it with ``dratify`` (extra ``realize[proof]``).

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> cert = row_certificate(BooleanFunction.from_hex("6", 2), Architecture.parse("2-1"), Bounds())
>>> cert.rows, cert.values, cert.minimality, cert.verified      # XOR2 needs all four rows
([0, 1, 2, 3], [[0, 1, 1, 0]], 'subset-minimal', True)
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pysat.formula import WCNF
from pysat.solvers import Solver

from realize.backends.cegis import cegis
from realize.backends.registry import decide
from realize.backends.satsolver import solve_sliced
from realize.backends.strategy import decide_sat
from realize.encodings.cnf import build_cnf
from realize.encodings.numbers import DEFAULT_NUMBERS, choose_numbers, number_encoding
from realize.errors import InputError, VerificationError
from realize.options import DEFAULT_SOLVER, Deadline, Options
from realize.results import Certificate, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction
from realize.verify import verify_witness

#: the solver that writes DRAT proofs (CaDiCaL 1.9.5 proofs check)
PROOF_SOLVER = "cadical195"
#: symmetry-breaking rules of `build_cnf` that stay sound when selectors switch rows off
SUBSET_SOUND_RULES = frozenset({"hidden-order", "hidden-negation"})


def certificate_of(f: BooleanFunction, positions: Sequence[int], minimality: str) -> Certificate:
    """A `Certificate` record for the rows of f at ``positions`` (not yet verified)."""
    pos = sorted(int(p) for p in positions)
    return Certificate(
        positions=pos,
        rows=[int(f.rows[p]) for p in pos],
        values=f.values[:, pos].tolist(),
        minimality=minimality,
    )


def row_certificate(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    within: Sequence[int] | None = None,
    smallest: bool = False,
    options: Options | None = None,
    deadline: Deadline | None = None,
    verify: bool = True,
) -> Certificate:
    """A verified unrealizable row set of f (see the module docstring).

    ``within`` (positions into f.rows) restricts the search to those rows, e.g. the rows a CEGIS
    run refuted; ``smallest`` ignores it and searches all care rows. When ``deadline``
    (``time.perf_counter()``) passes during the deletion loop, the current core is returned with
    minimality ``none``. Raises `InputError` if the rows are realizable after all.

    Weight ranges that the number encoding refuses (`NumberEncoding.practical`; order encoding:
    exact mode, fan-in >= 8) make the CNF far too large; then the rows come from a CEGIS run
    (unless ``within``) and are shrunk by the same deletion loop over fresh decisions of the sat
    backend (which answers those with SMT).
    """
    start = time.perf_counter()
    options, deadline = options or Options(), deadline or Deadline()
    if number_encoding(choose_numbers(options.numbers, arch, bounds)).practical(arch, bounds) is None:
        base = list(range(f.num_rows)) if within is None or smallest else sorted(set(within))
        chosen, minimality, stats = _search_cnf(f, arch, bounds, base, smallest, options, deadline)
    else:
        check_certificate_options(arch, bounds, smallest=smallest)
        chosen, minimality, stats = _search_decide(f, arch, bounds, within, options, deadline)
    cert = certificate_of(f, chosen, minimality)
    stats["search_s"] = round(time.perf_counter() - start, 6)
    if verify:
        t0 = time.perf_counter()
        verify_certificate(f, arch, bounds, cert.positions, minimal=minimality != "none",
                           solver=options.solver)
        cert.verified = True
        stats["verify_s"] = round(time.perf_counter() - t0, 6)
    cert.stats = stats
    return cert


def _search_cnf(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, base: list[int], smallest: bool,
    options: Options, deadline: Deadline,
) -> tuple[list[int], str, dict[str, Any]]:
    """(positions, minimality, stats): selectors, core, deletion loop or OptUx."""
    sub = f.subset(base)
    enc = build_cnf(sub, arch, bounds, symmetry=bool(options.symmetry), selectors=True,
                    numbers=options.numbers)
    if not SUBSET_SOUND_RULES.issuperset(enc.symmetry):
        enc = build_cnf(sub, arch, bounds, symmetry=False, selectors=True, numbers=options.numbers)
    sel_pos = {s: base[p] for s, p in zip(enc.selectors, enc.positions, strict=True)}
    stats: dict[str, Any] = {"candidate_rows": len(enc.selectors), "symmetry": enc.symmetry}
    if smallest:
        return [sel_pos[s] for s in _smallest(enc.clauses, enc.selectors)], "minimum", stats
    with Solver(name=options.solver, bootstrap_with=enc.clauses) as s:

        def refute(trial: list[int]) -> list[int] | bool | None:
            answer = solve_sliced(s, deadline, trial)
            if answer is None or answer:
                return None if answer is None else False
            core = set(s.get_core())
            return [x for x in trial if x in core]

        chosen, minimal = _shrink(enc.selectors, refute)
    return [sel_pos[x] for x in chosen], "subset-minimal" if minimal else "none", stats


def _search_decide(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, within: Sequence[int] | None,
    options: Options, deadline: Deadline,
) -> tuple[list[int], str, dict[str, Any]]:
    """(positions, minimality, stats) from fresh decisions on row subsets (no CNF needed)."""
    if within is None:
        run = cegis(f, arch, bounds, options, deadline, decide=decide_sat)
        if run.status is Status.REALIZABLE:
            raise InputError("the rows are realizable: there is no certificate")
        within = run.rows if run.status is Status.UNREALIZABLE else range(f.num_rows)

    def refute(trial: list[int]) -> list[int] | bool | None:
        status = decide(f.subset(trial), arch, bounds, options=options, deadline=deadline).status
        if status is Status.UNKNOWN:
            return None
        return trial if status is Status.UNREALIZABLE else False

    base = sorted(set(int(p) for p in within))
    stats: dict[str, Any] = {"candidate_rows": len(base), "symmetry": "per decision"}
    chosen, minimal = _shrink(base, refute)
    return chosen, "subset-minimal" if minimal else "none", stats


def _shrink(
    items: list[int], refute: Callable[[list[int]], list[int] | bool | None]
) -> tuple[list[int], bool]:
    """(an unsatisfiable subset of items, whether it is subset-minimal).

    ``refute(trial)`` is a core (an unsatisfiable subset of trial) when trial is unsatisfiable,
    False when satisfiable, None when out of time. Deletion in blocks: try to drop a block;
    still unsatisfiable: shrink to the core; satisfiable: halve the block, and at one item keep
    it (it is needed, and stays needed in every subset).
    """
    first = refute(items)
    if first is False:
        raise InputError("the rows are realizable: there is no certificate")
    if first is None:
        return items, False
    mus = list(first)
    i, block = 0, max(1, len(mus) // 2)
    while i < len(mus):
        answer = refute(mus[:i] + mus[i + block:])
        if answer is None:
            return mus, False
        if answer is not False:
            mus = list(answer)
        elif block > 1:
            block //= 2
        else:
            i += 1
            block = max(1, (len(mus) - i) // 2)
    return mus, True


def _smallest(clauses: list[list[int]], selectors: list[int]) -> list[int]:
    """Selectors of a minimum-size unsatisfiable subset (pysat's OptUx, implicit hitting sets)."""
    from pysat.examples.optux import OptUx

    wcnf = WCNF()
    wcnf.extend(clauses)
    for x in selectors:
        wcnf.append([x], weight=1)
    with OptUx(wcnf, solver="g4") as optux:
        found = optux.compute()
    if found is None:
        raise InputError("the rows are realizable: there is no certificate")
    return [selectors[i - 1] for i in found]


def verify_certificate(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    positions: Sequence[int],
    *,
    minimal: bool = True,
    solver: str = DEFAULT_SOLVER,
) -> None:
    """Raise `VerificationError` unless the rows at ``positions`` are unrealizable (fresh solve,
    no symmetry breaking) and, when ``minimal``, dropping any one makes them realizable (each
    witness evaluated on the remaining rows)."""
    pos = sorted(set(int(p) for p in positions))
    plain = Options(solver=solver, symmetry=False)
    status = decide(f.subset(pos), arch, bounds, options=plain).status
    if status is not Status.UNREALIZABLE:
        raise VerificationError(f"certificate rows are not unrealizable ({status.value})")
    if not minimal:
        return
    for k in range(len(pos)):
        rest = f.subset(pos[:k] + pos[k + 1:])
        decision = decide(rest, arch, bounds, options=Options(solver=solver))
        if decision.status is not Status.REALIZABLE:
            raise VerificationError(
                f"certificate is not minimal: row {int(f.rows[pos[k]])} can be dropped"
            )
        verify_witness(decision.network, rest, bounds)


def write_proof(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    positions: Sequence[int],
    path: str | Path,
    *,
    symmetry: bool = False,
    check: bool = True,
) -> bool | None:
    """Write a DRAT proof that the CNF of the rows at ``positions`` is unsatisfiable.

    The proof goes to ``path`` and the CNF it refutes to ``path + ".cnf"`` (DIMACS, so that any
    DRAT checker, e.g. drat-trim, can check the pair). By default the CNF has no symmetry
    breaking, so the proof refutes the plain question and needs no symmetry argument. Returns
    whether ``dratify`` accepted the proof (None when ``check`` is False or dratify is not
    installed: the proof is written but not checked).
    """
    enc = build_cnf(f.subset(positions), arch, bounds, symmetry=symmetry)
    with Solver(name=PROOF_SOLVER, with_proof=True, bootstrap_with=enc.clauses) as s:
        if solve_sliced(s):
            raise InputError("the certificate rows are realizable: nothing to prove")
        proof = "\n".join(s.get_proof()) + "\n"
    cnf = enc.to_dimacs()
    try:
        Path(path).write_text(proof)
        Path(f"{path}.cnf").write_text(cnf)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror}") from None
    if not check or importlib.util.find_spec("dratify") is None:
        return None
    return check_drat(cnf, proof)


def check_drat(cnf: str, proof: str) -> bool:
    """True when ``dratify`` (extra ``realize[proof]``) accepts the DRAT ``proof`` (text) of the
    DIMACS ``cnf`` (text)."""
    import dratify

    return bool(dratify.check_proof(dratify.parse_dimacs(cnf), proof).ok)


def check_certificate_options(
    arch: Architecture, bounds: Bounds, *, smallest: bool = False, proof: str | Path | None = None
) -> None:
    """Raise `InputError` for certificate options these bounds cannot serve (before solving)."""
    if bounds.real:
        raise InputError("row certificates need integer bounds (not the smt-real backend)")
    refusal = number_encoding(DEFAULT_NUMBERS).practical(arch, bounds)
    if (smallest or proof is not None) and refusal:
        what = "--smallest needs" if smallest else "DRAT proofs need"
        raise InputError(f"{what} the CNF encoding, but {refusal}: use --max-weight")


def certify(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    *,
    within: Sequence[int] | None = None,
    smallest: bool = False,
    proof: str | Path | None = None,
    options: Options | None = None,
    deadline: Deadline | None = None,
) -> Certificate:
    """What `realize.check` calls on an UNREALIZABLE answer: a verified row certificate and,
    with ``proof``, a DRAT proof of it written to that file and checked."""
    check_certificate_options(arch, bounds, smallest=smallest, proof=proof)
    cert = row_certificate(f, arch, bounds, within=within, smallest=smallest, options=options,
                           deadline=deadline)
    if proof is not None:
        t0 = time.perf_counter()
        cert.proof = str(proof)
        cert.proof_checked = write_proof(f, arch, bounds, cert.positions, proof)
        cert.stats["proof_s"] = round(time.perf_counter() - t0, 6)
    return cert
