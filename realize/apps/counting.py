"""`count`: how many functions {0,1}^n -> {0,1}^m does an architecture compute?

Capacity (Baldi & Vershynin 2019) is log2 of that number. Methods (they must agree):

- ``npn``: decide one representative of each NPN class (the CNF of `realize.check` on one
  incremental solver, every witness verified; with skip connections the witnesses of the
  layered twin come first) and weight it by the class size. Sound when the computed set is
  closed under permuting and negating inputs and negating the output: layered single-output
  architectures in symmetric bounds (no ``nonneg``, no ``max_bias``; ``max_weight`` is fine,
  the bias range stays lossless). n <= 4.
- ``perm``: the same over the classes of input permutations alone (3984 at n = 4): sound for
  layered single-output architectures under any bounds, n <= 4.
- ``allsat``: enumerate the output tables with a SAT solver (the CNF of `realize.check` with
  every output row free), blocking each table found. Any architecture and bounds; slow when
  the count is large.
- ``direct``: unit truth tables composed layer by layer with numpy (`realize.apps.count_direct`).
  Layered architectures, any integer bounds.
- ``and-pairs``: n-2-1 in symmetric bounds as {0, 1} u T_n u A u ~A with A = {h1 & h2}.

``auto`` picks npn where it is sound, else and-pairs, else perm, else direct, else allsat.

>>> r = count("3-2-1")
>>> r.count, r.total, r.method
(254, 256, 'npn')
>>> count("2-1", method="allsat").count
14
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from realize.apps.count_direct import (
    TableSet,
    and_pairs_unsound_reason,
    count_and_pairs,
    direct_tables,
)
from realize.apps.progress import Progress
from realize.backends.registry import bounds_for
from realize.backends.satsolver import require_solver, solve_sliced
from realize.encodings.cnf import CnfEncoding, build_cnf
from realize.errors import InputError
from realize.options import DEFAULT_SOLVER
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction, table_to_hex
from realize.spec.network import Network, network_from_units
from realize.spec.npn import MAX_CLASSES_INPUTS, canonical_forms, equivalence_classes, npn_classes
from realize.verify import verify_witness

METHODS = ("auto", "npn", "perm", "allsat", "direct", "and-pairs")
#: methods that decide one representative per class of functions
CLASS_METHODS = ("npn", "perm")


@dataclass
class ClassCount:
    """One NPN class: its representative table, its size, and how many members are computed."""

    representative: int
    size: int
    computed: int

    def to_dict(self, n: int) -> dict[str, Any]:
        return {"representative": table_to_hex(self.representative, n), "size": self.size,
                "computed": self.computed}


@dataclass
class CountResult:
    """The number of functions an architecture computes under bounds, and how it was found.

    ``functions`` (when kept) holds one integer key per function: output j's truth table in bits
    ``j*2^n .. (j+1)*2^n - 1``. ``by_class`` lists NPN classes with at least one computed member.
    """

    arch: Architecture
    bounds: Bounds
    method: str
    count: int
    time_s: float
    functions: np.ndarray | None = None
    by_class: list[ClassCount] | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """2^(m * 2^n): every function of n inputs and m outputs."""
        return 2 ** (self.arch.m * 2**self.arch.n_inputs)

    @property
    def capacity_bits(self) -> float:
        """log2(count)."""
        return math.log2(self.count) if self.count else float("-inf")

    @property
    def fraction(self) -> float:
        return self.count / self.total

    @property
    def formula_bits(self) -> int | None:
        """Baldi & Vershynin's sum_k min(n1..nk) * nk * n(k+1) (layered architectures)."""
        return baldi_vershynin(self.arch)

    def hex_lines(self) -> list[str]:
        """Each function as comma-separated hex tables (output 0 first), the FUNCTION format."""
        if self.functions is None:
            raise ValueError("the functions were not kept (count(..., keep_functions=True))")
        n, size = self.arch.n_inputs, 2**self.arch.n_inputs
        mask = (1 << size) - 1
        return [
            ",".join(table_to_hex((int(key) >> (j * size)) & mask, n) for j in range(self.arch.m))
            for key in self.functions
        ]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The human-readable report (count first, then the class table if any)."""
        formula = self.formula_bits
        lines = [
            f"count:    {self.count} of {self.total} functions ({self.fraction:.6g})",
            f"capacity: {self.capacity_bits:.4f} bits"
            + ("" if formula is None else f" (Baldi-Vershynin formula: {formula})"),
            f"arch:     {self.arch.describe()}",
            f"bounds:   {self.bounds.describe()}",
            f"method:   {self.method}, {self.time_s:.3f} s",
        ]
        if self.by_class is not None:
            lines.append(f"classes:  {len(self.by_class)} NPN classes computed")
            lines.append("  representative  size  computed")
            lines.extend(
                f"  {table_to_hex(c.representative, self.arch.n_inputs):>14}  {c.size:>4}  {c.computed:>8}"
                for c in self.by_class
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output)."""
        arch = self.arch.describe() if self.arch.layers is not None else self.arch.to_dict()
        data: dict[str, Any] = {
            "arch": arch, "n": self.arch.n_inputs, "m": self.arch.m,
            "count": self.count, "total": self.total,
            "capacity_bits": round(self.capacity_bits, 6), "fraction": self.fraction,
            "formula_bits": self.formula_bits, "method": self.method,
            "bounds": self.bounds.to_dict(), "time_s": round(self.time_s, 6),
        }
        if self.by_class is not None:
            data["classes_computed"] = len(self.by_class)
            data["by_class"] = [c.to_dict(self.arch.n_inputs) for c in self.by_class]
        if self.stats:
            data["stats"] = self.stats
        return data


def baldi_vershynin(arch: Architecture) -> int | None:
    """sum_{k=1}^{L-1} min(n_1..n_k) * n_k * n_(k+1) for widths n_1 = inputs, ..., n_L = outputs.

    >>> baldi_vershynin(Architecture.parse("4-2-1"))
    36
    """
    if arch.layers is None:
        return None
    widths = (arch.n_inputs, *arch.layers)
    return sum(min(widths[: k + 1]) * widths[k] * widths[k + 1] for k in range(len(widths) - 1))


def count(
    arch: Architecture | str,
    *,
    bounds: Bounds | None = None,
    max_weight: int | None = None,
    max_bias: int | None = None,
    nonneg: bool = False,
    skip: bool = False,
    method: str = "auto",
    by_class: bool = False,
    keep_functions: bool = False,
    progress: Progress | None = None,
    solver: str = DEFAULT_SOLVER,
    symmetry: bool = True,
) -> CountResult:
    """Count the functions ``arch`` computes as its weights vary within the bounds.

    ``progress(done, total)`` is called now and then on long counts. ``by_class`` (n <= 4, one
    output) counts the functions computed in each NPN class; ``keep_functions`` keeps them all.
    ``symmetry=False`` drops the symmetry breaking of the solver-based methods.
    """
    require_solver(solver)
    start = time.perf_counter()
    if isinstance(arch, str):
        arch = parse_architecture(arch, skip=skip)
    if bounds is None:
        bounds = bounds_for("sat", max_weight, max_bias, nonneg)
    if bounds.real:
        raise InputError("counting needs integer bounds (exact mode already means real weights)")
    if method not in METHODS:
        raise InputError(f"unknown counting method '{method}' (choose from {', '.join(METHODS)})")
    if by_class and (arch.m != 1 or arch.n_inputs > MAX_CLASSES_INPUTS):
        raise InputError(f"--by-class needs one output and at most {MAX_CLASSES_INPUTS} inputs")
    if method == "auto":
        method = _auto_method(arch, bounds)
    stats: dict[str, Any] = {}
    if method in CLASS_METHODS:
        negations = method == "npn"
        classes = _decide_classes(arch, bounds, negations, solver, symmetry, progress)
        stats["classes_decided"] = len(classes)
        computed = [rep for rep, net in classes.items() if net is not None]
        number = sum(size for rep, size in equivalence_classes(arch.n_inputs, negations)
                     if classes[rep] is not None)
        wanted = keep_functions or by_class
        keys = _expand_classes(arch.n_inputs, computed, negations) if wanted else None
    else:
        found = _enumerate(method, arch, bounds, solver, symmetry, progress)
        number = len(found)
        keys = found.keys() if keep_functions or by_class else None
    return CountResult(
        arch=arch, bounds=bounds, method=method, count=number,
        time_s=time.perf_counter() - start,
        functions=keys if keep_functions else None,
        by_class=_by_class(arch.n_inputs, keys) if by_class else None,
        stats=stats,
    )


def class_method_unsound_reason(arch: Architecture, bounds: Bounds, negations: bool = True) -> str | None:
    """Why counting over NPN classes (P classes without ``negations``) would be unsound or
    unavailable here; None when it is fine."""
    if arch.layers is None:
        return "a DAG architecture need not be closed under permuting inputs"
    if arch.m != 1:
        return "it counts single-output architectures"
    if negations and bounds.nonneg:
        return "--nonneg breaks the closure under negating inputs and outputs (use --method perm)"
    if negations and bounds.max_bias is not None:
        return ("--max-bias breaks the closure under negation, the bias range is not lossless "
                "(use --method perm)")
    if arch.n_inputs > MAX_CLASSES_INPUTS:
        return f"the classes are enumerated for at most {MAX_CLASSES_INPUTS} inputs"
    return None


def _auto_method(arch: Architecture, bounds: Bounds) -> str:
    if class_method_unsound_reason(arch, bounds) is None:
        return "npn"
    if and_pairs_unsound_reason(arch, bounds) is None:
        return "and-pairs"
    if class_method_unsound_reason(arch, bounds, negations=False) is None:
        return "perm"
    if arch.layers is not None and arch.m * 2**arch.n_inputs <= 32:
        return "direct"
    return "allsat"


def _enumerate(method: str, arch: Architecture, bounds: Bounds, solver: str, symmetry: bool,
               progress: Progress | None) -> TableSet:
    if method == "direct":
        return direct_tables(arch, bounds, progress)
    if method == "and-pairs":
        return count_and_pairs(arch, bounds, progress)
    return allsat_tables(arch, bounds, solver=solver, symmetry=symmetry, progress=progress)


def _decide_classes(arch: Architecture, bounds: Bounds, negations: bool, solver: str,
                    symmetry: bool, progress: Progress | None) -> dict[int, Network | None]:
    """A verified witness (or None) for every class representative, on one incremental solver.

    NPN classes, or P classes without ``negations``; the outputs are solver assumptions. With
    skip connections the layered twin is decided first: a witness of it, with weight 0 on every
    skip connection, is a witness here (same weight bounds, wider lossless bias ranges), so
    only the classes the twin misses reach the larger skip encoding.
    """
    from pysat.solvers import Solver

    reason = class_method_unsound_reason(arch, bounds, negations)
    if reason is not None:
        name = "npn" if negations else "perm"
        raise InputError(f"the {name} method is unsound or unavailable here: {reason}")
    n = arch.n_inputs
    classes = equivalence_classes(n, negations)
    decided: dict[int, Network | None] = {}
    if arch.skip:
        twin = Architecture.layered([n, *arch.layers])
        for rep, net in _decide_classes(twin, bounds, negations, solver, symmetry, None).items():
            if net is not None:
                decided[rep] = _with_skip(net, arch)
    if len(decided) < len(classes):
        enc, outputs = free_output_encoding(arch, bounds, symmetry)
        with Solver(name=solver, bootstrap_with=enc.clauses) as s:
            for k, (rep, _) in enumerate(classes):
                if rep not in decided:
                    wanted = [lit if (rep >> row) & 1 else -lit for row, lit in enumerate(outputs)]
                    decided[rep] = enc.decode(s.get_model()) if solve_sliced(s, assumptions=wanted) else None
                if progress:
                    progress(k + 1, len(classes))
    for rep, net in decided.items():
        if net is not None:
            verify_witness(net, BooleanFunction.from_truth_tables(n, [rep]), bounds)
    return decided


def _with_skip(net: Network, arch: Architecture) -> Network:
    """The network ``net`` of a layered architecture on its skip twin: skip weights 0."""
    weights = []
    for u, fanin in enumerate(arch.fanins):
        own = dict(zip(net.arch.fanins[u], net.weights[u], strict=True))
        weights.append([own.get(signal, 0) for signal in fanin])
    return network_from_units(arch, weights, net.biases)


def free_output_encoding(
    arch: Architecture, bounds: Bounds, symmetry: bool = True
) -> tuple[CnfEncoding, list[int]]:
    """The CNF of `realize.check` over all 2^n rows with every output free, and its output literals.

    `build_cnf` with ``free_outputs``: only the symmetry rules on hidden units apply (they hold
    for every output function). Output literals are listed output by output, row by row.
    """
    template = BooleanFunction.from_truth_tables(arch.n_inputs, [0] * arch.m)
    enc = build_cnf(template, arch, bounds, symmetry=symmetry, free_outputs=True)
    outputs = [enc.y[u][k] for u in arch.outputs for k in range(len(enc.positions))]
    return enc, outputs


def allsat_tables(arch: Architecture, bounds: Bounds, *, solver: str = DEFAULT_SOLVER,
                  symmetry: bool = True, progress: Progress | None = None) -> TableSet:
    """Enumerate the output tables with a SAT solver, blocking each one found."""
    from pysat.solvers import Solver

    n = arch.n_inputs
    if arch.m * 2**n > MAX_ALLSAT_BITS:
        raise InputError(
            f"counting {arch.describe()} enumerates functions of {arch.n_inputs} inputs: too many "
            f"(the allsat method handles m * 2^n <= {MAX_ALLSAT_BITS} output bits)"
        )
    enc, outputs = free_output_encoding(arch, bounds, symmetry)
    found = TableSet(len(outputs))
    keys: list[int] = []
    ceiling = allsat_ceiling(arch)
    with Solver(name=solver, bootstrap_with=enc.clauses) as s:
        while solve_sliced(s):
            model = s.get_model()
            values = [model[abs(lit) - 1] > 0 for lit in outputs]
            keys.append(sum(1 << i for i, v in enumerate(values) if v))
            s.add_clause([-lit if v else lit for lit, v in zip(outputs, values, strict=True)])
            if progress and len(keys) % 256 == 0:
                progress(len(keys), ceiling)
    found.add(np.array(keys, dtype=np.uint64))
    return found


#: Largest number of free output bits the allsat method enumerates over.
MAX_ALLSAT_BITS = 64
#: The number of threshold functions of n inputs (OEIS A000609, n = 0..9): what one unit
#: computes in exact mode, and at most what it computes in any bounds.
THRESHOLD_FUNCTIONS = (2, 4, 14, 104, 1882, 94572, 15028134, 8378070864, 17561539552946,
                       144130531453121108)
#: The allsat progress shows a total only up to this many functions (a bar of 2^64 says nothing).
MAX_PROGRESS_TOTAL = 2**40


def allsat_ceiling(arch: Architecture) -> int | None:
    """How many functions the allsat enumeration can find at most, when that is a useful
    progress total: the threshold functions of n inputs for one unit, else 2^(m 2^n) if small;
    None (unknown) otherwise.

    >>> allsat_ceiling(Architecture.parse("6-1")), allsat_ceiling(Architecture.parse("6-2-1"))
    (15028134, None)
    """
    n = arch.n_inputs
    if len(arch.fanins) == 1 and n < len(THRESHOLD_FUNCTIONS):
        return THRESHOLD_FUNCTIONS[n]
    space = arch.m * 2**n
    return 2**space if space <= MAX_PROGRESS_TOTAL.bit_length() - 1 else None


def _expand_classes(n: int, representatives: list[int], negations: bool) -> np.ndarray:
    """Every table whose class representative is in ``representatives``, sorted."""
    forms = canonical_forms(n, negations)
    return np.flatnonzero(np.isin(forms, representatives)).astype(np.uint64)


def _by_class(n: int, keys: np.ndarray) -> list[ClassCount]:
    forms = canonical_forms(n)
    computed = np.bincount(forms[keys.astype(np.int64)], minlength=forms.size)
    return [ClassCount(rep, size, int(computed[rep])) for rep, size in npn_classes(n) if computed[rep]]

