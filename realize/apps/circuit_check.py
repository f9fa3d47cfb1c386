"""`check_circuit`: the check for a function given as a circuit too wide for a truth table.

Above 20 inputs no table of all rows fits, but a circuit (BLIF, AIGER, expressions) still
defines every row. The check runs CEGIS over the circuit: decide the question with `check` on a
sample of rows (their values evaluated on the circuit), then ask a SAT miter
(`realize.explain.counterexample`, method ``sat``) for rows where the network found differs
from the circuit, add them, and repeat. Sound both ways:

- REALIZABLE only when the miter is UNSAT: the network equals the circuit on all 2^n rows
  (``verified_by`` ``miter``; it was also evaluated on every sampled row);
- UNREALIZABLE when the sampled rows alone are refuted: no network fits them, so none fits f
  (``function`` of the result is those rows; ``certificate`` shrinks them as for any check);
- UNKNOWN when the time limit runs out first.

Rows are drawn at random with a fixed seed (runs repeat); each round adds at most as many
counterexamples as it has rows, so the number of rounds grows with the logarithm of the rows
needed.

>>> from realize.readers.registry import parse_circuit
>>> wide = parse_circuit(" | ".join(f"x{i}" for i in range(24)), 24)    # OR of 24 inputs
>>> r = check_circuit(wide, "24-1")
>>> r.status.value, r.verified_by, r.stats.extra["rounds"] >= 1
('realizable', 'miter', True)
>>> check_circuit(parse_circuit("x0 ^ x1 ^ x23", 24), "24-1").status.value
'unrealizable'
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from realize.errors import InputError, UnsupportedError
from realize.explain.counterexample import find_counterexamples
from realize.options import Deadline, DeadlineExpired
from realize.pipeline import check
from realize.readers.registry import parse_circuit, reads_as_circuit
from realize.results import Result, Stats, Status
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.circuits import Circuit
from realize.spec.functions import MAX_TABLE_INPUTS, BooleanFunction
from realize.spec.network import Network

#: rows of the first round
INITIAL_ROWS = 32


def wide_circuit(text: str, arch: Architecture, base_dir: Path | None = None) -> Circuit | None:
    """The FUNCTION text as a circuit when no table fits (more than 20 inputs) and its reader
    gives circuits (BLIF, AIGER, expressions); None when `check` reads it as it is (a PLA or
    CSV file gives its rows). Relative file names are taken relative to ``base_dir``.

    >>> wide_circuit("x0 | x30", Architecture.parse("31-1")).n, wide_circuit("e8", Architecture.parse("3-1"))
    (31, None)
    """
    if arch.n_inputs <= MAX_TABLE_INPUTS or not reads_as_circuit(text):
        return None
    return parse_circuit(text, arch.n_inputs, base_dir)


def check_circuit(
    circuit: Circuit,
    arch: Architecture | str,
    *,
    timeout: float | None = None,
    deadline: Deadline | None = None,
    initial: int = INITIAL_ROWS,
    seed: int = 0,
    **options: Any,
) -> Result:
    """Decide whether ``arch`` computes the circuit on all 2^n rows (see the module docstring).

    ``options`` go to every round's `check` (bounds, backend, solver, certificate, ...);
    ``proof`` is refused: a proof bundle needs the rows of a table.
    """
    start = time.perf_counter()
    deadline = deadline or Deadline.after(timeout)
    if isinstance(arch, str):
        arch = parse_architecture(arch, skip=options.pop("skip", False))
    if options.get("proof") is not None:
        raise UnsupportedError("--proof needs a truth table (at most 20 inputs), not a circuit")
    if circuit.n != arch.n_inputs or circuit.m != arch.m:
        raise InputError(f"the circuit has {circuit.n} inputs and {circuit.m} output(s); the "
                         f"architecture {arch.describe()} has {arch.n_inputs} and {arch.m}")
    if initial < 1:
        raise InputError(f"the first round needs at least one row, got {initial}")
    rows = _sample(circuit.n, initial, np.random.default_rng(seed))
    rounds: list[Stats] = []
    while True:
        f = BooleanFunction(circuit.n, rows, circuit.evaluate(rows), circuit.name or "circuit")
        result = check(f, arch, deadline=deadline, **options)
        rounds.append(result.stats)
        if result.status is not Status.REALIZABLE:
            break
        try:
            found = find_counterexamples(result.network, circuit, limit=len(rows), method="sat",
                                         deadline=deadline)
        except DeadlineExpired:
            result = Result(Status.UNKNOWN, f, arch, result.bounds, result.backend, 0.0,
                            reason="time limit reached in the SAT miter")
            break
        if not found.rows:
            result.verified_by = "miter"
            break
        wrong = _fewest_ones(np.array(found.rows, dtype=np.uint64), result.network, circuit)
        rows = np.union1d(rows, wrong)
    result.stats = Stats.combine("circuit-cegis", rounds, rounds=len(rounds),
                                 rows=int(rows.size), gates=len(circuit.gates))
    result.time_s = time.perf_counter() - start
    return result


def _fewest_ones(rows: np.ndarray, network: Network, circuit: Circuit) -> np.ndarray:
    """Each counterexample with its inputs cleared one by one while it stays one: rows of few
    ones name the inputs that matter, so contradictions among them appear in fewer rounds
    (measured: ``(x0 & x29) | (x1 & x28) | (x0 & x1)`` on 30-1 refuted in 8 s on 147 rows;
    with the rows as the miter found them, unknown after 60 s and 8,704 rows)."""
    for i in range(circuit.n):
        bit = np.uint64(1) << np.uint64(i)
        cleared = rows & ~bit
        differs = (network.evaluate(cleared) != circuit.evaluate(cleared)).any(axis=0)
        rows = np.where(differs, cleared, rows)
    return np.unique(rows)


def _sample(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random rows of n inputs (fewer when n is small), with rows 0 and all-ones."""
    high = rng.integers(0, 2**32, size=count, dtype=np.uint64) << np.uint64(32)
    raw = high | rng.integers(0, 2**32, size=count, dtype=np.uint64)
    mask = np.uint64(2**n - 1) if n < 64 else np.uint64(2**64 - 1)
    return np.unique(np.concatenate([raw & mask, np.array([0, int(mask)], dtype=np.uint64)]))
