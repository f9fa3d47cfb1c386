"""The sat backend's strategy: a cheap small-weight probe, then the exact question.

1. **Probe** (exact mode only): the same question with every weight in [-1, 1] (``[0, 1]`` under
   ``nonneg``), a far smaller CNF, for at most `PROBE_CONFLICTS` conflicts
   (`PROBE_CONFLICTS_SHORT` before the SMT stage and before the layered tables, which have
   probes of their own), without the input-symmetry rule (it makes satisfiable instances
   harder). It is a restriction of exact mode (its ranges lie inside the exact ones), so a
   network it finds is a witness; any other outcome just moves on. On one hidden layer too
   wide for the case split (7 units), f's input symmetries then give the *symmetric probes*
   of `realize.backends.layers` (`layers.probes_apply`; parity 7 on 7-7-1 in about 1 s,
   where z3 on the exact question ran past 30 s).
2. **Exact**: the output-case split (`realize.backends.cases`) when it applies (exact mode, a
   layered n-k-1 network, n <= 7); the layered tables (`realize.backends.layers`) when they
   apply (exact mode, layered with two or more hidden layers of at most 6 units, n <= 7);
   else, when some weight range exceeds the number encoding's ``PREFERS_SMT_ABOVE`` (9 for
   both encodings, so fan-in >= 7 in exact mode) and the encoding is ``auto``
   (`Options.numbers`: `choose_numbers` picks order or binary by the widest weight), or when
   the encoding refuses the question, the SMT encoding; else the CNF of
   `realize.encodings.cnf` in that encoding. An encoding the user names (``--numbers binary``)
   is used wherever it is practical.

Measured in benchmarks/README.md; the losing alternatives are recorded in encodings/cnf.md.

>>> from realize.spec.architecture import Architecture
>>> from realize.spec.functions import BooleanFunction
>>> d = SatBackend().decide(BooleanFunction.from_hex("96", 3), Architecture.parse("3-3-1"), Bounds(),
...                        Options(), Deadline())
>>> d.status.value, [part.stage for part in d.stats.parts]
('realizable', ['probe'])
"""

from __future__ import annotations

import time

from realize.backends import cases, layers
from realize.backends.cegis import cegis, prefer_cegis
from realize.backends.satsolver import solve_clauses
from realize.backends.smt import decide_with_relaxation
from realize.encodings.cnf import build_cnf
from realize.encodings.numbers import AUTO_NUMBERS, choose_numbers, number_encoding
from realize.options import Deadline, DeadlineExpired, Options
from realize.results import Decision, Stats, Status
from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction

#: conflict budget of the small-weight probe
PROBE_CONFLICTS = 20000
#: ... when the exact stage is the SMT encoding or the layered tables, fast on those instances
PROBE_CONFLICTS_SHORT = 2000


class SatBackend:
    """CaDiCaL on the CNF, behind the probe, the case split and (for wide units) z3; CEGIS on
    growing row sets where it pays (`realize.backends.cegis.prefer_cegis`)."""

    name = "sat"
    summary = "CNF (order-encoded weights) in CaDiCaL, with a probe, a case split and CEGIS"

    def refuses(self, f: BooleanFunction, arch: Architecture, bounds: Bounds,
                options: Options) -> str | None:
        if bounds.real:
            return "the CNF encoding needs integer bounds (real weights: the smt backend)"
        return None

    def decide(self, f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options,
               deadline: Deadline) -> Decision:
        use_cegis = options.cegis if options.cegis is not None else prefer_cegis(f, arch)
        if use_cegis:
            return cegis(f, arch, bounds, options, deadline, decide=decide_sat)
        return decide_sat(f, arch, bounds, options, deadline)


def decide_sat(
    f: BooleanFunction, arch: Architecture, bounds: Bounds, options: Options, deadline: Deadline
) -> Decision:
    """The strategy of the module docstring; the witness is decoded but not yet verified."""
    start = time.perf_counter()
    widest = bounds.widest_weight(arch)
    numbers = number_encoding(choose_numbers(options.numbers, arch, bounds))
    # the encoding's preference for SMT applies to the automatic choice; an encoding named by
    # the user is used wherever it is practical
    prefers_smt = options.numbers == AUTO_NUMBERS and widest > numbers.PREFERS_SMT_ABOVE
    parts: list[Stats] = []
    small = Bounds(max_weight=1, max_bias=bounds.max_bias, nonneg=bounds.nonneg)
    probe_numbers = number_encoding(choose_numbers(options.numbers, arch, small))
    if (options.probe and bounds.max_weight is None and not bounds.real and widest > 1
            and probe_numbers.practical(arch, small, f.num_rows) is None):
        short = prefers_smt or layers.applies(f, arch, bounds)
        budget = PROBE_CONFLICTS_SHORT if short else PROBE_CONFLICTS
        d = decide_cnf(f, arch, small, options.replace(symmetry=options.symmetry - {"input-symmetry"}),
                       deadline, max_conflicts=budget, stage="probe")
        parts.append(d.stats)
        if d.status is Status.REALIZABLE:
            return _combined(d, parts, start)
    if (options.probe and not cases.applies(f, arch, bounds)
            and layers.probes_apply(f, arch, bounds)):
        d = layers.symmetric_probes(f, arch, bounds, options, deadline)
        parts.append(d.stats)
        if d.status is Status.REALIZABLE:
            return _combined(d, parts, start)
    if cases.applies(f, arch, bounds):
        d = cases.decide_by_cases(f, arch, bounds, options, deadline)
    elif layers.applies(f, arch, bounds):
        d = layers.decide_by_layers(f, arch, bounds, options, deadline)
    elif prefers_smt or numbers.practical(arch, bounds, f.num_rows) is not None:
        d = decide_with_relaxation(f, arch, bounds, deadline=deadline,
                                   symmetry=options.uses("hidden-order"))
    else:
        d = decide_cnf(f, arch, bounds, options, deadline)
    parts.append(d.stats)
    return _combined(d, parts, start)


def _combined(d: Decision, parts: list[Stats], start: float) -> Decision:
    """``d`` with the strategy's stages so far as its figures."""
    d.stats = Stats.combine("sat", parts, time_s=time.perf_counter() - start)
    return d


def decide_cnf(
    f: BooleanFunction,
    arch: Architecture,
    bounds: Bounds,
    options: Options,
    deadline: Deadline,
    *,
    max_conflicts: int | None = None,
    stage: str = "cnf",
) -> Decision:
    """The plain CNF encoding, solved once (UNKNOWN at the deadline or the conflict budget)."""
    start = time.perf_counter()
    numbers = choose_numbers(options.numbers, arch, bounds)
    try:
        enc = build_cnf(f, arch, bounds, symmetry=bool(options.symmetry), deadline=deadline,
                        input_symmetry=options.uses("input-symmetry"), numbers=numbers)
    except DeadlineExpired:
        spent = time.perf_counter() - start
        return Decision(Status.UNKNOWN, None, Stats(stage, time_s=spent, encode_s=spent))
    encode_s = time.perf_counter() - start
    outcome = solve_clauses(enc.clauses, deadline=deadline, solver=options.solver,
                            max_conflicts=max_conflicts)
    stats = Stats(stage, time_s=time.perf_counter() - start, encode_s=encode_s,
                  solve_s=outcome.stats.solve_s, vars=enc.num_vars, clauses=len(enc.clauses),
                  conflicts=outcome.stats.conflicts,
                  extra={"symmetry": enc.symmetry, "solver": options.solver, "numbers": numbers})
    if outcome.satisfiable is None:
        return Decision(Status.UNKNOWN, None, stats)
    if outcome.satisfiable:
        return Decision(Status.REALIZABLE, enc.decode(outcome.model), stats)
    return Decision(Status.UNREALIZABLE, None, stats)
