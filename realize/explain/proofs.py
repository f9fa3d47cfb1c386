"""Proof bundles: an UNREALIZABLE answer that anyone can check (encodings/cnf.md, "Proof bundles").

A bundle is a folder holding

- ``manifest.json``: the question (function, architecture, bounds), the *route*, the *chain* of
  reductions from "no network of this architecture computes f within the bounds" to "these CNFs
  are unsatisfiable" (each step named, pointing to its argument in ``encodings/cnf.md`` and saying
  what checks it), the *parts*, and what is *unproven*, in plain sentences;
- for each part, a CNF in DIMACS (``*.cnf``) and a DRAT proof of its unsatisfiability
  (``*.drat``), from a fresh CaDiCaL 1.9.5 solve without assumptions, so that any DRAT checker
  (dratify here, drat-trim elsewhere) can check the pair.

Routes, tried in this order:

- ``cases`` (exact mode, layered n-k-1, where `realize.backends.cases` applies): one CNF per
  regular positive output function T (2-asummable hidden columns, T's output clauses, and the
  lex-leader clauses of the case's symmetries, each checked to be a symmetry). The case list
  is checked complete by an independent enumeration (`realize.explain.separation`). When
  f(t(x)) = not f(x) for the negation t of an input, case T's dual is the image of T's clauses
  under a literal renaming: only one of the two is refuted, and the renaming is checked clause
  for clause. The checker's generators are `realize.explain.independent`.
- ``farkas`` (no hidden units, or n-1-1): an output that agrees with no threshold function,
  shown by a point common to the convex hulls of its true and false rows, checked in exact
  rationals.
- ``plain`` (integer bounds the order encoding can take): the CNF of the question *without*
  symmetry breaking, one part; on a core of the care rows when the solver finds a smaller one
  (the step "row-subset").
- ``none``: no route applies; the bundle holds the question and says why it is unproven.

`write_bundle` writes a bundle and, by default, checks it with `check_bundle`, which uses nothing
but the folder: it re-encodes the question and compares every CNF (byte for byte with realize's
encoder, and for the case CNFs also clause for clause with an independent generator), re-checks
the case list, the renamings and the Farkas certificate, and runs dratify on every proof (in
parallel processes).

>>> import tempfile
>>> from realize.spec.architecture import Architecture
>>> from realize.spec.bounds import Bounds
>>> from realize.spec.functions import BooleanFunction
>>> folder = tempfile.mkdtemp() + "/xor3"
>>> b = write_bundle(BooleanFunction.from_hex("96", 3), Architecture.parse("3-2-1"), Bounds(), folder)
>>> b.route, b.parts, b.images, b.proof_checked
('cases', 3, 2, True)
>>> check_bundle(folder).ok
True
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from pysat.solvers import Solver

from realize.backends import cases
from realize.backends.satsolver import solve_sliced
from realize.encodings.asummable import asummability_clauses
from realize.encodings.clauses import lex_chain
from realize.encodings.cnf import build_cnf
from realize.encodings.numbers import DEFAULT_NUMBERS, number_encoding
from realize.encodings.symmetry import ColumnSymmetry
from realize.errors import InputError, VerificationError
from realize.explain.drat import PROOF_SOLVER, check_drat_parts, dratify_available, refute
from realize.explain.independent import (
    BundleError,
    independent_asummability,
    independent_output_clauses_for,
    lex_leader_clauses,
    literal_map,
    read_dimacs,
    rename,
    symmetry_maps_onto,
)
from realize.explain.separation import HullPoint, regular_positive_threshold_functions, separate
from realize.results import ProofBundle
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction
from realize.verify import verify_witness

FORMAT = "realize-proof-bundle/2"
MANIFEST = "manifest.json"
#: the document holding the arguments of the chain
DOC = "encodings/cnf.md"
#: a dual pair is solved both ways (keeping the shorter proof) when the first proof is longer
PAIR_RETRY_LINES = 2000

ROUTES = ("cases", "farkas", "plain", "none")

log = logging.getLogger(__name__)


# -- the chain of reductions ---------------------------------------------------------------------

def _step(name: str, claim: str, checked_by: str) -> dict[str, str]:
    return {"step": name, "claim": claim, "argument": f"{DOC}#step-{name}", "checked_by": checked_by}


ROW_SUBSET = _step(
    "row-subset",
    "It suffices that no network fits the certificate rows: they are care rows of f, with f's values.",
    "realize proof check: the rows and values are compared with the function in 'restricts'")
CHAINS: dict[str, list[dict[str, str]]] = {
    "cases": [
        _step("case-normalization",
              "It suffices that no n-k-1 network with real weights computes f on its care rows; "
              "then some such network has output weights v_1 >= ... >= v_k >= 0, so its output is "
              "a regular positive threshold function T of the hidden outputs, and each hidden "
              "unit a threshold function of the inputs.",
              "argument only (hidden-unit negation and permutation)"),
        _step("case-list-complete",
              "T is one of the listed cases.",
              "realize proof check: every regular monotone function of k inputs enumerated "
              "independently, each one threshold or not by an exact-rational certificate "
              "(realize/explain/separation.py), compared with the listed cases"),
        _step("2-asummability",
              "A threshold column is 2-asummable: the 2-asummability clauses lose no network.",
              "theorem (proved in the argument); tested against every threshold function of "
              "n <= 4 inputs in tests/test_proofs.py"),
        _step("case-clauses",
              "For case T, the hidden columns of a network computing f satisfy that case's CNF: "
              "2-asummability of each column and T(y(x)) = f(x) on the care rows.",
              "realize proof check: each case CNF regenerated by realize (byte for byte) and by "
              "an independent brute-force generator (clause sets)"),
        _step("symmetry-breaking",
              "If a case's clauses are satisfiable, so are they together with the lex-leader "
              "clauses of any of their symmetries, all over one variable order (Crawford, "
              "Ginsberg, Luks and Roy 1996); each case CNF in the bundle is one of these.",
              "realize proof check: each listed map sends the case's clauses (independent "
              "generator) onto themselves, clause for clause; the lex-leader clauses are "
              "regenerated independently"),
        _step("dual-cases",
              "A case given as an image is satisfiable only if the case it is the image of is: a "
              "literal renaming maps that CNF onto the image's CNF.",
              "realize proof check: the renaming applied to the refuted CNF gives the image "
              "case's CNF (independent generator), clause for clause"),
        _step("drat",
              "Every case CNF in the bundle is unsatisfiable.",
              "dratify (an independent DRAT checker) on each CNF and its proof"),
    ],
    "farkas": [
        _step("single-layer",
              "Every output unit reads only the inputs: with any weights (real and unbounded) it "
              "computes a threshold function of them. It suffices that output j agrees with no "
              "threshold function on its care rows.",
              "argument only"),
        _step("farkas",
              "The care rows where f_j = 1 and those where f_j = 0 have a common point in their "
              "convex hulls, which no hyperplane separates.",
              "realize proof check, in exact rational arithmetic"),
    ],
    "farkas-one-hidden": [
        _step("one-hidden-unit",
              "On n-1-1 the output is a function of one hidden unit h, a threshold function of the "
              "inputs (any real weights): so the network computes 0, 1, h or not h, each a "
              "threshold function of the inputs. It suffices that f agrees with no threshold "
              "function on its care rows.",
              "argument only"),
        _step("farkas",
              "The care rows where f = 1 and those where f = 0 have a common point in their "
              "convex hulls, which no hyperplane separates.",
              "realize proof check, in exact rational arithmetic"),
    ],
    "plain": [
        _step("bounds-cut",
              "It suffices that no network with weights and biases in the ranges the CNF encodes "
              "computes f.",
              "argument only (the lossless bias range; above W*(fan-in) weights add no function, "
              "Muroga 1971, W* recomputed by enumeration for fan-in <= 7)"),
        _step("cnf-encoding",
              "A network in those ranges computing f gives a model of the CNF (every constraint "
              "an equivalence, no symmetry breaking).",
              "realize proof check re-encodes the question with realize's encoder and compares "
              "byte for byte; the encoding itself is an argument, tested by brute force in "
              "tests/test_numbers.py"),
        _step("drat",
              "The CNF is unsatisfiable.",
              "dratify (an independent DRAT checker) on the CNF and its proof"),
    ],
    "none": [],
}


# -- the question --------------------------------------------------------------------------------

def question_record(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> dict[str, Any]:
    """The question as JSON: the function (hex, or rows and values), architecture, bounds."""
    fn: dict[str, Any] = {"n": f.n, "m": f.m}
    if f.is_complete:
        fn["hex"] = f.to_hex()
    else:
        fn["rows"] = [int(r) for r in f.rows]
        fn["values"] = f.values.tolist()
    if arch.layers is not None:
        text = "-".join(str(w) for w in (arch.n_inputs, *arch.layers))
        a: dict[str, Any] = {"layers": text, "skip": arch.skip}
    else:
        a = {"dag": arch.to_dict()}
    return {"function": fn, "arch": a, "bounds": bounds.to_dict()}


def function_from_record(fn: Any) -> BooleanFunction:
    if not isinstance(fn, dict) or not isinstance(fn.get("n"), int):
        raise BundleError("the question's function needs an integer 'n'")
    if "hex" in fn:
        f = BooleanFunction.from_hex(str(fn["hex"]), fn["n"])
    else:
        rows = np.array(fn["rows"], dtype=np.uint64)
        f = BooleanFunction(fn["n"], rows, np.array(fn["values"], dtype=np.int8).reshape(-1, rows.size))
    if f.m != fn.get("m", f.m):
        raise BundleError("the question's function has a different number of outputs than stated")
    return f


def question_from_record(q: Any) -> tuple[BooleanFunction, Architecture, Bounds]:
    """Inverse of `question_record`; raises `BundleError` on anything malformed."""
    try:
        f = function_from_record(q["function"])
        a = q["arch"]
        arch = (Architecture.parse(a["layers"], skip=bool(a.get("skip"))) if "layers" in a
                else Architecture.from_dict(a["dag"]))
        bd = q["bounds"]
        bounds = (Bounds(real=True) if bd.get("mode") == "real" else
                  Bounds(max_weight=bd.get("max_weight"), max_bias=bd.get("max_bias"),
                         nonneg=bool(bd.get("nonneg"))))
    except (KeyError, TypeError, ValueError, InputError) as err:
        raise BundleError(f"the manifest's question cannot be read: {err}") from None
    if f.n != arch.n_inputs or f.m != arch.m:
        raise BundleError("the question's function does not fit its architecture")
    return f, arch, bounds


# -- the CNFs ------------------------------------------------------------------------------------

def plain_cnf(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> tuple[str, list[list[int]]]:
    """The question's CNF without symmetry breaking: (DIMACS text, clauses)."""
    enc = build_cnf(f, arch, bounds, symmetry=False)
    return enc.to_dimacs(), enc.clauses


def _care(f: BooleanFunction) -> tuple[list[int], list[int]]:
    """(rows where f = 1, rows where f = 0) of a single-output function."""
    rows, values = [int(r) for r in f.rows], [int(v) for v in f.values[0]]
    return ([r for r, v in zip(rows, values, strict=True) if v == 1],
            [r for r, v in zip(rows, values, strict=True) if v == 0])


def case_cnf(f: BooleanFunction, k: int, index: int, table: Sequence[int], weights: Sequence[int],
             bias: int, symmetries: Sequence[ColumnSymmetry] = ()) -> tuple[str, list[list[int]]]:
    """Case ``index`` (output function ``table``) of the case split, with realize's generators
    (`asummability_clauses`, `cases.output_clauses`), then the lex-leader clauses of
    ``symmetries`` (auxiliary variables after the hidden-unit ones): (DIMACS text, clauses).

    Variable y(u, r) = 1 + u * 2^n + r is hidden unit u on input row r."""
    n, size = f.n, 2**f.n
    clauses: list[list[int]] = []
    for u in range(k):
        clauses += asummability_clauses(range(1 + u * size, 1 + (u + 1) * size), n)
    need_one, need_zero = cases.output_clauses(tuple(table), k)
    ones, zeros = _care(f)
    clauses += [[1 + u * size + r for u in units] for r in ones for units in need_one]
    clauses += [[-(1 + u * size + r) for u in units] for r in zeros for units in need_zero]
    own = len(clauses)
    columns = [[1 + u * size + r for r in range(size)] for u in range(k)]
    fresh = iter(range(k * size + 1, 2**62))
    for sym in symmetries:
        clauses += lex_chain(sym.lex_pairs(columns, range(size)), fresh.__next__)
    nvars = next(fresh) - 1
    head = [
        f"c realize proof bundle: case {index} of the output-case split ({DOC}#step-case-clauses)",
        f"c output function T = [{' '.join(map(str, weights))}] . y + {bias} >= 0, "
        f"table {''.join(map(str, table))} (pattern p: bit u = hidden unit u)",
        f"c variable 1 + u*{size} + r: hidden unit u (0..{k - 1}) on input row r (bit i = input i), "
        f"n = {n}",
        f"c clauses: 2-asummability of each hidden column, then T(y(r)) = f(r) on {len(ones)} rows "
        f"with f = 1 and {len(zeros)} with f = 0 ({own} clauses)",
        f"c then lex-leader clauses ({DOC}#step-symmetry-breaking) of: "
        + (", ".join(sym.name for sym in symmetries) or "none"),
        f"p cnf {nvars} {len(clauses)}",
    ]
    return "\n".join(head + [" ".join(map(str, c)) + " 0" for c in clauses]) + "\n", clauses


def antisymmetry(f: BooleanFunction) -> int | None:
    """An input i with f(x xor e_i) = not f(x) on the care rows (care set closed), or None."""
    if f.m != 1:
        return None
    value = {int(r): int(v) for r, v in zip(f.rows, f.values[0], strict=True) if v != DONT_CARE}
    for i in range(f.n):
        if all(value.get(r ^ 1 << i) == 1 - v for r, v in value.items()):
            return i
    return None


# -- solving and checking ------------------------------------------------------------------------

# -- writing -------------------------------------------------------------------------------------

def prepare_folder(path: str | Path) -> Path:
    """Check, before any solving, that a bundle can be written at ``path`` (`InputError` if not):
    a new folder in an existing one, an empty folder, or an earlier bundle (replaced)."""
    if str(path).strip() == "":
        raise InputError("--proof needs a folder name")
    p = Path(path)
    if p.exists():
        if not p.is_dir():
            raise InputError(f"cannot write the proof bundle {path}: it exists and is not a folder")
        if any(p.iterdir()) and not (p / MANIFEST).is_file():
            raise InputError(f"cannot write the proof bundle {path}: a folder that is not empty "
                             "and holds no proof bundle")
    elif not p.parent.is_dir():
        raise InputError(f"cannot write the proof bundle {path}: no folder {p.parent}")
    return p


def _bundle_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file() and (
        p.name == MANIFEST or re.fullmatch(r"(plain|case-\d+)\.(cnf|drat)", p.name))]


def _open_folder(path: str | Path) -> Path:
    folder = prepare_folder(path)
    try:
        folder.mkdir(exist_ok=True)
        for old in _bundle_files(folder):
            old.unlink()
    except OSError as err:
        raise InputError(f"cannot write the proof bundle {path}: {err.strerror}") from None
    return folder


def _write(folder: Path, name: str, text: str) -> int:
    try:
        (folder / name).write_text(text)
    except OSError as err:
        raise InputError(f"cannot write {folder / name}: {err.strerror}") from None
    return len(text.encode())


@dataclass
class _Draft:
    """A bundle being written: the manifest's fields."""

    route: str = "none"
    parts: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    unproven: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bytes: int = 0


class RouteFailed(Exception):
    """This route cannot cover the question (the reason is the message)."""


def _part(folder: Path, draft: _Draft, name: str, cnf_text: str, clauses: list[list[int]],
          solver: str, **info: Any) -> dict[str, Any]:
    proof, solve_s, conflicts = refute(clauses, solver)
    if proof is None:
        raise RouteFailed(f"{name} is satisfiable")
    used = solver
    text = "\n".join(proof) + "\n"
    draft.bytes += _write(folder, f"{name}.cnf", cnf_text) + _write(folder, f"{name}.drat", text)
    log.info("%s: %d clauses, DRAT proof of %d lines (%s) in %.2f s", name, len(clauses), len(proof),
             used, solve_s)
    return {"name": name, **info, "cnf": f"{name}.cnf", "proof": f"{name}.drat", "solver": used,
            "checked": None,
            "lines": len(proof), "conflicts": conflicts, "solve_s": round(solve_s, 4),
            "check_s": None}


def _route_cases(folder: Path, draft: _Draft, f: BooleanFunction, arch: Architecture,
                 solver: str) -> None:
    k = arch.layers[0]
    listed = [(t, v, b) for t, v, b in cases.regular_positive_functions(k)]
    index = {t: i for i, (t, _, _) in enumerate(listed)}
    flip = antisymmetry(f)
    # input transforms are symmetries of the case clauses whatever the bounds (real weights)
    keeps, flips = cases.split_input_symmetries(f, arch, Bounds())
    draft.extra["cases"] = [{"index": i, "table": "".join(map(str, t)), "weights": list(v),
                             "bias": b} for i, (t, v, b) in enumerate(listed)]
    draft.extra["k"] = k
    draft.extra["negate_input"] = flip
    records: dict[str, dict[str, Any]] = {}

    def case_part(i: int) -> dict[str, Any]:
        table, v, b = listed[i]
        syms = keeps + cases.case_symmetries(table, k, f.n, flips)
        for sym in syms:
            records.setdefault(sym.name, sym.to_record())
        text, clauses = case_cnf(f, k, i, table, v, b, syms)
        return _part(folder, draft, f"case-{i:04d}", text, clauses, solver, case=i,
                     symmetries=[sym.name for sym in syms])

    done: set[int] = set()
    for i, (table, _, _) in enumerate(listed):
        if i in done:
            continue
        j = index[cases.dual_table(table)] if flip is not None else i
        part = case_part(i)
        if j != i:
            if part["lines"] > PAIR_RETRY_LINES:  # solve the dual too, keep the shorter proof
                other = case_part(j)
                if other["lines"] < part["lines"]:
                    part, other = other, part
                _remove(folder, draft, other)
            image = j if part["case"] == i else i
            draft.images.append({"case": image, "image_of": part["name"],
                                 "renaming": f"y(u, r) -> not y(u, r xor 2^{flip}) (negate input "
                                             f"x{flip}: f(t(x)) = not f(x))",
                                 "negate_input": flip, "checked": None})
            done.add(j)
        draft.parts.append(part)
        done.add(i)
    draft.extra["symmetries"] = list(records.values())


def _remove(folder: Path, draft: _Draft, part: dict[str, Any]) -> None:
    for key in ("cnf", "proof"):
        p = folder / part[key]
        draft.bytes -= p.stat().st_size
        p.unlink()


def _point(row: int, inputs: Sequence[int]) -> tuple[int, ...]:
    return tuple(row >> s & 1 for s in inputs)


def farkas_certificate(f: BooleanFunction, arch: Architecture) -> dict[str, Any] | None:
    """For an architecture without hidden units, or n-1-1: an output that agrees with no
    threshold function (of the inputs its unit reads; n-1-1: of all inputs), as rows of a common
    hull point (exact rationals as strings), or None."""
    n = arch.n_inputs
    for j, unit in enumerate(arch.outputs):
        fanin = tuple(range(n)) if one_hidden_unit(arch) else arch.fanins[unit]
        if any(s >= n for s in fanin):
            return None
        rows = [int(r) for r in f.rows]
        ones = [r for r, v in zip(rows, f.values[j], strict=True) if v == 1]
        zeros = [r for r, v in zip(rows, f.values[j], strict=True) if v == 0]
        if not ones or not zeros:
            continue
        cert = separate([_point(r, fanin) for r in ones], [_point(r, fanin) for r in zeros])
        if isinstance(cert, HullPoint):
            return {"output": j, "inputs": list(fanin),
                    "ones": {str(ones[i]): str(c) for i, c in sorted(cert.lam.items())},
                    "zeros": {str(zeros[i]): str(c) for i, c in sorted(cert.mu.items())}}
    return None


def core_rows(f: BooleanFunction, arch: Architecture, bounds: Bounds, solver: str = PROOF_SOLVER,
              rounds: int = 3) -> list[int]:
    """Positions of care rows that no network fits: the solver's core of the row selectors
    (`build_cnf(..., selectors=True)`, whose symmetry rules are sound for row subsets), shrunk by
    re-solving on the core ``rounds`` times. All positions when no smaller core is found. The
    bundle does not trust it: the rows are refuted again without symmetry breaking, and the
    step "row-subset" is checked."""
    positions = list(range(f.num_rows))
    for _ in range(rounds):
        sub = f.subset(positions)
        enc = build_cnf(sub, arch, bounds, symmetry=True, selectors=True)
        with Solver(name=solver, bootstrap_with=enc.clauses) as s:
            if solve_sliced(s, assumptions=enc.selectors):
                break
            core = set(s.get_core() or [])
        chosen = [positions[p] for x, p in zip(enc.selectors, enc.positions, strict=True) if x in core]
        if not chosen or len(chosen) >= len(positions):
            break
        positions = chosen
    return positions


def _route_plain(folder: Path, draft: _Draft, f: BooleanFunction, arch: Architecture,
                 bounds: Bounds, solver: str) -> None:
    enc = build_cnf(f, arch, bounds, symmetry=False)
    try:
        draft.parts.append(_part(folder, draft, "plain", enc.to_dimacs(), enc.clauses, solver))
    except RouteFailed:  # a model is a network: the UNREALIZABLE answer was wrong
        with Solver(name=solver, bootstrap_with=enc.clauses) as s:
            solve_sliced(s)
            net = enc.decode(s.get_model())
        verify_witness(net, f, bounds)
        raise VerificationError("the plain CNF has a model that is a verified network: the "
                                "UNREALIZABLE answer is wrong") from None


def one_hidden_unit(arch: Architecture) -> bool:
    """Layered n-1-1 without skip connections."""
    return arch.layers is not None and tuple(arch.layers) == (1, 1) and not arch.skip


def expected_chain(route: str, arch: Architecture, restricts: bool, images: bool) -> list[dict[str, str]]:
    """The chain of reductions a bundle of this route and architecture states."""
    steps = CHAINS["farkas-one-hidden" if route == "farkas" and one_hidden_unit(arch) else route]
    return ([ROW_SUBSET] if restricts else []) + [
        s for s in steps if s["step"] != "dual-cases" or images]


def cases_route_applies(f: BooleanFunction, arch: Architecture) -> bool:
    """The shape the case route covers: layered n-k-1 without skip connections, one output,
    2 <= n <= 7, k <= 6 (`realize.backends.cases` limits). Any bounds: the route refutes real
    weights of any sign, which every bounded network has."""
    return (arch.layers is not None and len(arch.layers) == 2 and not arch.skip and arch.m == 1
            and 2 <= f.n <= cases.MAX_INPUTS and 1 <= arch.layers[0] <= cases.MAX_HIDDEN)


def _plain_refusal(f: BooleanFunction, arch: Architecture, bounds: Bounds) -> str | None:
    if bounds.real:
        return "the CNF needs integer bounds (these are unbounded real weights)"
    return number_encoding(DEFAULT_NUMBERS).practical(arch, bounds, f.num_rows)


def write_bundle(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    path: str | Path,
    *,
    check: bool = True,
    jobs: int | None = None,
    decided_by: str = "",
    restricts: BooleanFunction | None = None,
    solver: str = PROOF_SOLVER,
    shrink_rows: bool = True,
) -> ProofBundle:
    """Write the proof bundle of "no network of ``arch`` computes ``f`` within ``bounds``" to the
    folder ``path`` (see the module docstring) and, with ``check``, check it (`check_bundle`).

    ``restricts``: f is a row subset of this function (a certificate); the chain then starts
    with that step. ``shrink_rows``: the plain route refutes only a core of the care rows
    (`core_rows`), with that step too; the manifest's question is then the core's function.
    ``decided_by`` names the stage that gave the answer (recorded). Raises `VerificationError`
    when the plain CNF turns out satisfiable (the UNREALIZABLE answer was wrong)."""
    start = time.perf_counter()
    folder = _open_folder(path)
    draft = _Draft()
    attempts: list[str] = []
    if cases_route_applies(f, arch):
        attempts.append("cases")
    if not arch.hidden_units or one_hidden_unit(arch):
        attempts.append("farkas")
    attempts.append("plain")
    for route in attempts:
        try:
            if route == "cases":
                _route_cases(folder, draft, f, arch, solver)
            elif route == "farkas":
                cert = farkas_certificate(f, arch)
                if cert is None:
                    raise RouteFailed("every output agrees with some threshold function")
                draft.extra["farkas"] = cert
            else:
                refusal = _plain_refusal(f, arch, bounds)
                if refusal is not None:
                    raise RouteFailed(refusal)
                core = core_rows(f, arch, bounds, solver) if shrink_rows else []
                if 0 < len(core) < f.num_rows:
                    try:
                        _route_plain(folder, draft, f.subset(core), arch, bounds, solver)
                        draft.notes.append(f"route plain on a core of {len(core)} of the "
                                           f"{f.num_rows} care rows")
                        restricts = restricts if restricts is not None else f
                        f = f.subset(core)
                    except VerificationError:  # not expected: the core rows have a network
                        draft.notes.append("the core rows were realizable; all rows used")
                if not draft.parts:
                    _route_plain(folder, draft, f, arch, bounds, solver)
            draft.route = route
            break
        except RouteFailed as why:
            draft.notes.append(f"route {route} not taken: {why}")
            for p in draft.parts:
                _remove(folder, draft, p)
            draft.parts, draft.images, draft.extra = [], [], {}
    else:
        draft.unproven.append(
            f"no checkable route: {'; '.join(draft.notes)}. The answer"
            + (f" (decided by {decided_by})" if decided_by else "")
            + " rests on the solver that gave it.")
    solve_s = time.perf_counter() - start
    chain = expected_chain(draft.route, arch, restricts is not None, bool(draft.images))
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "question": question_record(f, arch, bounds),
        "decided_by": decided_by,
        "route": draft.route,
        "chain": chain,
        "parts": draft.parts,
        "images": draft.images,
        **draft.extra,
        "unproven": draft.unproven,
        "notes": draft.notes,
        "solver": solver,
        "checker": "dratify",
    }
    if restricts is not None:
        manifest["restricts"] = question_record(restricts, arch, bounds)["function"]
    _write_manifest(folder, manifest)
    checked: bool | None = None
    check_s = 0.0
    if check and (dratify_available() or not draft.parts):
        verdict = check_bundle(folder, jobs=jobs)
        check_s = verdict.seconds
        checked = verdict.ok or (False if verdict.failed else None)
        by_name = {v.name: v for v in verdict.verdicts}
        for item in draft.parts:
            cnf, drat = by_name.get(f"{item['name']}.cnf"), by_name.get(f"{item['name']}.drat")
            sym = by_name.get(f"{item['name']}.symmetries")
            item["checked"] = (None if cnf is None or drat is None
                               else bool(cnf.ok and drat.ok and (sym is None or sym.ok)))
            item["check_s"] = None if drat is None else round(drat.seconds, 4)
        for item in draft.images:
            v = by_name.get(f"case-{item['case']:04d}")
            item["checked"] = v.ok if v else None
        manifest["checked"] = checked
        _write_manifest(folder, manifest)
    size = sum(p.stat().st_size for p in _bundle_files(folder))
    return ProofBundle(
        path=str(path), route=draft.route, parts=len(draft.parts), images=len(draft.images),
        lines=sum(p["lines"] for p in draft.parts), bytes=size, checked=checked,
        unproven=list(draft.unproven),
        stats={"write_s": round(solve_s, 4), "solve_s": round(sum(p["solve_s"] for p in draft.parts), 4),
               "check_s": round(check_s, 4), "conflicts": sum(p["conflicts"] for p in draft.parts),
               "max_lines": max((p["lines"] for p in draft.parts), default=0)})


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    _write(folder, MANIFEST, json.dumps(manifest, indent=1) + "\n")


# -- checking ------------------------------------------------------------------------------------

@dataclass
class Verdict:
    """One checked item of a bundle."""

    name: str
    ok: bool | None
    detail: str
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail,
                "seconds": round(self.seconds, 4)}


@dataclass
class BundleCheck:
    """What `check_bundle` found: one verdict per item, and what the bundle says is unproven."""

    path: str
    route: str = "none"
    verdicts: list[Verdict] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(v.ok is False for v in self.verdicts)

    @property
    def ok(self) -> bool:
        """True when every item checked and nothing is unproven."""
        return bool(self.verdicts) and all(v.ok for v in self.verdicts) and not self.unproven

    @property
    def exit_code(self) -> int:
        """20 (the UNREALIZABLE answer is proved) when `ok`, else 1."""
        return 20 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "route": self.route, "ok": self.ok,
                "verdicts": [v.to_dict() for v in self.verdicts], "unproven": self.unproven,
                "seconds": round(self.seconds, 4)}

    def report(self) -> str:
        lines = [f"bundle {self.path}: route {self.route}"]
        for v in self.verdicts:
            mark = {True: "ok  ", False: "FAIL", None: "??  "}[v.ok]
            lines.append(f"  {mark} {v.name}: {v.detail}" + (f" ({v.seconds:.2f} s)" if v.seconds else ""))
        for u in self.unproven:
            lines.append(f"  UNPROVEN: {u}")
        if self.ok:
            lines.append(f"PROOF CHECKED: every part checks and nothing is unproven ({self.seconds:.1f} s)")
        else:
            bad = sum(1 for v in self.verdicts if not v.ok)
            lines.append(f"PROOF NOT CHECKED: {bad} item(s) failed or unchecked, "
                         f"{len(self.unproven)} unproven")
        return "\n".join(lines)


def _file(folder: Path, name: Any) -> Path:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or name.startswith("."):
        raise BundleError(f"bad file name in the manifest: {name!r}")
    p = folder / name
    if not p.is_file():
        raise BundleError(f"missing file {name}")
    return p


def load_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the bundle at ``path``: `InputError` when there is no bundle,
    `BundleError` when it cannot be read."""
    folder = Path(path)
    if not (folder / MANIFEST).is_file():
        raise InputError(f"{path} is not a proof bundle (no {MANIFEST})")
    try:
        data = json.loads((folder / MANIFEST).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise BundleError(f"{MANIFEST} cannot be read: {type(err).__name__}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{MANIFEST} is not a {FORMAT} manifest")
    return data


def check_bundle(path: str | Path, *, jobs: int | None = None) -> BundleCheck:
    """Re-check the bundle at ``path`` from its files alone (see the module docstring).

    Raises `InputError` when ``path`` holds no bundle; every other problem is a failed verdict."""
    start = time.perf_counter()
    folder = Path(path)
    if not (folder / MANIFEST).is_file():
        raise InputError(f"{path} is not a proof bundle (no {MANIFEST})")
    out = BundleCheck(str(path))
    try:
        _check(folder, load_manifest(folder), out, jobs)
    except (BundleError, KeyError, TypeError, ValueError, InputError) as err:
        out.verdicts.append(Verdict("manifest", False, f"{type(err).__name__}: {err}"))
    out.seconds = time.perf_counter() - start
    return out


def _check(folder: Path, m: dict[str, Any], out: BundleCheck, jobs: int | None) -> None:
    f, arch, bounds = question_from_record(m["question"])
    route = m.get("route")
    if route not in ROUTES:
        raise BundleError(f"unknown route {route!r}")
    out.route = route
    out.unproven = [str(u) for u in m.get("unproven", [])]
    restricts = m.get("restricts")
    chain = expected_chain(route, arch, restricts is not None, bool(m.get("images")))
    out.verdicts.append(Verdict(
        "chain", m.get("chain") == chain,
        f"the {len(chain)} reduction steps of route {route}" if m.get("chain") == chain
        else f"the chain differs from route {route}'s"))
    if restricts is not None:
        whole = function_from_record(restricts)
        value = {int(r): whole.values[:, p].tolist() for p, r in enumerate(whole.rows)}
        fits = whole.n == f.n and all(
            value.get(int(r)) == f.values[:, p].tolist() for p, r in enumerate(f.rows))
        out.verdicts.append(Verdict("row-subset", fits, f"{f.num_rows} certificate rows of the "
                                    f"{whole.num_rows}-row function, with its values"))
    if route == "none":
        if not out.unproven:
            out.verdicts.append(Verdict("route", False, "route none but nothing listed as unproven"))
        return
    drat: list[tuple[str, Path, Path, int]] = []
    if route == "plain":
        parts = m["parts"]
        if len(parts) != 1:
            raise BundleError("the plain route has exactly one part")
        p = parts[0]
        cnf_path = _file(folder, p["cnf"])
        text, _ = plain_cnf(f, arch, bounds)
        out.verdicts.append(Verdict(f"{p['name']}.cnf", cnf_path.read_text() == text,
                                    "byte for byte the question re-encoded (no symmetry breaking)"))
        drat.append((p["name"], cnf_path, _file(folder, p["proof"]), int(p["lines"])))
    elif route == "farkas":
        out.verdicts.append(_check_farkas(f, arch, m["farkas"]))
    else:
        drat += _check_cases(folder, f, arch, bounds, m, out)
    if drat:
        if not dratify_available():
            for name, *_ in drat:
                out.verdicts.append(Verdict(f"{name}.drat", None,
                                            "dratify is not installed (extra realize[proof])"))
            return
        results = check_drat_parts([(c, p, n) for _, c, p, n in drat], jobs)
        for (name, _, _, lines), (ok, secs, reason) in zip(drat, results, strict=True):
            out.verdicts.append(Verdict(f"{name}.drat", ok, f"DRAT proof, {lines} lines: "
                                        f"{'accepted' if ok else 'REJECTED'} by dratify"
                                        + ("" if ok else f" ({reason})"), secs))


def _check_farkas(f: BooleanFunction, arch: Architecture, cert: dict[str, Any]) -> Verdict:
    j = int(cert["output"])
    unit = arch.outputs[j]
    fanin = [int(s) for s in cert["inputs"]]
    wanted = list(range(arch.n_inputs)) if one_hidden_unit(arch) else list(arch.fanins[unit])
    if (arch.hidden_units and not one_hidden_unit(arch)) or fanin != wanted:
        return Verdict("farkas", False, "the certificate's inputs are not the output unit's")
    value = {int(r): int(v) for r, v in zip(f.rows, f.values[j], strict=True)}
    ones = {int(r): Fraction(c) for r, c in cert["ones"].items()}
    zeros = {int(r): Fraction(c) for r, c in cert["zeros"].items()}
    if any(value.get(r) != 1 for r in ones) or any(value.get(r) != 0 for r in zeros):
        return Verdict("farkas", False, "a certificate row is not a care row with that value")
    one_rows, zero_rows = sorted(ones), sorted(zeros)
    pts1, pts0 = [_point(r, fanin) for r in one_rows], [_point(r, fanin) for r in zero_rows]
    lam = {i: ones[r] for i, r in enumerate(one_rows)}
    mu = {i: zeros[r] for i, r in enumerate(zero_rows)}
    common = tuple(sum((c * pts1[i][d] for i, c in lam.items()), Fraction(0)) for d in range(len(fanin)))
    ok = HullPoint(lam, mu, common).holds(pts1, pts0)
    return Verdict("farkas", ok, f"output {j}: {len(ones)} true and {len(zeros)} false rows with a "
                   f"common hull point ({', '.join(map(str, common))}), exact rationals")


def _check_cases(folder: Path, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                 m: dict[str, Any], out: BundleCheck) -> list[tuple[str, Path, Path, int]]:
    if not cases_route_applies(f, arch):
        raise BundleError("the case split does not apply to this architecture")
    k = arch.layers[0]
    t0 = time.perf_counter()
    listed = [(tuple(int(c) for c in str(item["table"])), [int(w) for w in item["weights"]],
               int(item["bias"])) for item in m["cases"]]
    tables = [t for t, _, _ in listed]
    ours = [t for t, _, _ in cases.regular_positive_functions(k)]
    out.verdicts.append(Verdict("case-list", tables == ours,
                                f"{len(tables)} cases, as realize enumerates them"
                                if tables == ours else "the case list is not realize's"))
    complete = regular_positive_threshold_functions(k)
    missing = sorted(set(complete) - set(tables))
    extra = sorted(set(tables) - set(complete))
    detail = (f"every one of the {len(complete)} regular positive threshold functions of {k} "
              "inputs (independent enumeration, exact certificates) is listed")
    if missing or extra or len(set(tables)) != len(tables):
        detail = f"{len(missing)} missing, {len(extra)} not regular positive threshold, or duplicates"
    out.verdicts.append(Verdict("case-list-complete", not missing and not extra
                                and len(set(tables)) == len(tables), detail,
                                time.perf_counter() - t0))
    n = f.n
    common = independent_asummability(n, k)
    parts, images = m["parts"], m.get("images", [])
    covered = Counter([int(p["case"]) for p in parts] + [int(im["case"]) for im in images])
    uncovered = [i for i in range(len(listed)) if covered[i] != 1]
    out.verdicts.append(Verdict(
        "coverage", not uncovered,
        f"each case has one part or image ({len(parts)} parts, {len(images)} images)" if not uncovered
        else f"cases without exactly one part or image: {uncovered[:10]}"))
    records = {str(r.get("name")): r for r in m.get("symmetries", []) if isinstance(r, dict)}
    maps: dict[str, dict[int, int]] = {}
    keeps_common: dict[str, bool] = {}  # the map sends the 2-asummability clauses onto themselves
    ones, zeros = _care(f)
    drat, by_name = [], {}
    for p in parts:
        i = int(p["case"])
        if not 0 <= i < len(listed):
            raise BundleError(f"part {p.get('name')} names case {i}, not in the list")
        table, v, b = listed[i]
        outputs = independent_output_clauses_for(ones, zeros, n, k, table)
        own = common + outputs
        names = [str(name) for name in p.get("symmetries", [])]
        if any(name not in records for name in names):
            raise BundleError(f"part {p['name']} names a symmetry the manifest does not list")
        for name in names:
            if name not in maps:  # each map once: on the 2-asummability clauses every case shares
                maps[name] = literal_map(records[name], n, k)
                keeps_common[name] = symmetry_maps_onto(common, maps[name])
        broken = [name for name in names
                  if not (keeps_common[name] and symmetry_maps_onto(outputs, maps[name]))]
        out.verdicts.append(Verdict(
            f"{p['name']}.symmetries", not broken,
            f"case {i}: each of the {len(names)} maps sends the case's clauses onto themselves"
            if not broken else f"case {i}: not a symmetry of the case's clauses: {broken[:3]}"))
        want, free = Counter(own), k * 2**n + 1
        for image in (maps[name] for name in names):
            extra, free = lex_leader_clauses(image, free)
            want.update(tuple(sorted(c)) for c in extra)
        cnf_path = _file(folder, p["cnf"])
        text = cnf_path.read_text()
        syms = [ColumnSymmetry.from_record(records[name]) for name in names]
        expected, _ = case_cnf(f, k, i, table, v, b, syms)
        nvars, clauses = read_dimacs(text)
        same = text == expected and clauses == want and nvars == free - 1
        out.verdicts.append(Verdict(f"{p['name']}.cnf", same,
                                    f"case {i}: byte for byte realize's, clause for clause the "
                                    "independent generator's (case clauses and lex-leader clauses)"
                                    if same else f"case {i}: differs from the regenerated case CNF"))
        by_name[p["name"]] = own
        drat.append((p["name"], cnf_path, _file(folder, p["proof"]), int(p["lines"])))
    for im in images:
        i, src = int(im["case"]), im["image_of"]
        flip = int(im["negate_input"])
        if src not in by_name or not 0 <= i < len(listed) or not 0 <= flip < n:
            raise BundleError(f"image of case {i}: bad source {src!r} or input {flip}")
        want = common + independent_output_clauses_for(ones, zeros, n, k, listed[i][0])
        ok = rename(by_name[src], n, k, flip) == want
        out.verdicts.append(Verdict(f"case-{i:04d}", ok,
                                    f"image of {src} under negating input x{flip}: "
                                    + ("clause for clause the case's CNF" if ok else "DIFFERS")))
    return drat
