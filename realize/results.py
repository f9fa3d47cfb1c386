"""What the pipeline hands back: `Status`, `Stats`, `Decision`, explanations and `Result`.

A backend returns a `Decision` (status, decoded but unverified network, `Stats`); `realize.check`
verifies it and wraps it in a `Result`, which prints as the command prints it, is true or false
as the answer (and refuses to be either when the answer is unknown), and becomes JSON with
`Result.to_dict`.

>>> s = Stats("cnf", time_s=0.5, encode_s=0.1, solve_s=0.4, conflicts=7)
>>> whole = Stats.combine("sat", [Stats("probe", time_s=0.2, conflicts=3), s])
>>> whole.conflicts, round(whole.time_s, 3), [p.stage for p in whole.parts]
(10, 0.7, ['probe', 'cnf'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from realize.spec.architecture import Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import DONT_CARE, BooleanFunction, row_bits
from realize.spec.network import Network


class Status(StrEnum):
    """The answer to "can this architecture compute this function?"."""

    REALIZABLE = "realizable"
    UNREALIZABLE = "unrealizable"
    UNKNOWN = "unknown"

    @property
    def exit_code(self) -> int:
        """SAT-solver convention: 10 realizable, 20 unrealizable, 0 unknown."""
        return {"realizable": 10, "unrealizable": 20, "unknown": 0}[self.value]


@dataclass
class Stats:
    """Figures of one stage, the same fields for every stage.

    ``time_s`` is the stage's wall time, everything included; ``encode_s`` and ``solve_s`` the
    parts of it spent building and solving; ``clauses`` counts clauses (CNF) or assertions (SMT).
    A composite stage lists its sub-stages in ``parts`` and sums their counters (`combine`);
    ``concurrent`` parts ran side by side, so their times overlap instead of adding up.
    """

    stage: str
    time_s: float = 0.0
    encode_s: float = 0.0
    solve_s: float = 0.0
    vars: int = 0
    clauses: int = 0
    conflicts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    parts: list[Stats] = field(default_factory=list)
    concurrent: bool = False

    @classmethod
    def combine(cls, stage: str, parts: Iterable[Stats], *, time_s: float | None = None,
                concurrent: bool = False, **extra: Any) -> Stats:
        """A composite stage: counters summed over ``parts``; ``time_s`` defaults to their sum
        (their maximum when ``concurrent``)."""
        parts = list(parts)
        times = [p.time_s for p in parts] or [0.0]
        whole = cls(stage, time_s=(max(times) if concurrent else sum(times)) if time_s is None
                    else time_s, concurrent=concurrent, extra=dict(extra), parts=parts)
        for p in parts:
            whole.encode_s += p.encode_s
            whole.solve_s += p.solve_s
            whole.conflicts += p.conflicts
            whole.vars = max(whole.vars, p.vars)
            whole.clauses = max(whole.clauses, p.clauses)
        return whole

    @property
    def accounted_s(self) -> float:
        """The time the parts account for (their sum, or their maximum when concurrent)."""
        if not self.parts:
            return self.encode_s + self.solve_s
        times = [p.time_s for p in self.parts]
        return max(times) if self.concurrent else sum(times)

    def find(self, stage: str) -> Stats | None:
        """The first stage called ``stage`` in this tree (depth first), or None."""
        if self.stage == stage:
            return self
        for p in self.parts:
            hit = p.find(stage)
            if hit is not None:
                return hit
        return None

    @property
    def decided_by(self) -> str:
        """The innermost stage that gave the answer: the last part of each composite, or the
        part a concurrent stage names in ``extra["decided_by"]``."""
        if self.concurrent:
            return self.extra.get("decided_by", self.stage)
        return self.parts[-1].decided_by if self.parts else self.stage

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; parts nested under ``parts``."""
        data: dict[str, Any] = {
            "stage": self.stage, "time_s": round(self.time_s, 6),
            "encode_s": round(self.encode_s, 6), "solve_s": round(self.solve_s, 6),
            "vars": self.vars, "clauses": self.clauses, "conflicts": self.conflicts,
        }
        data.update(self.extra)
        if self.parts:
            data["concurrent"] = self.concurrent
            data["parts"] = [p.to_dict() for p in self.parts]
        return data


@dataclass
class Decision:
    """What a backend returns: a status, the decoded (not yet verified) network, its stats.

    ``rows``, when set, are the positions (into f.rows) of the rows the answer was decided on
    (CEGIS): for an UNREALIZABLE answer an unrealizable row set, the seed of a certificate.
    """

    status: Status
    network: Network | None = None
    stats: Stats = field(default_factory=lambda: Stats("none"))
    rows: list[int] | None = None


@dataclass(frozen=True)
class Refutation:
    """An UNREALIZABLE answer as a claim of the backend (and stage) that decided it."""

    backend: str
    stage: str
    claim: str = "no weights within the bounds fit all care rows"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "refutation", "backend": self.backend, "stage": self.stage,
                "claim": self.claim}


@dataclass
class Certificate:
    """Care rows of f that no network of the architecture fits within the bounds.

    ``positions`` index ``f.rows``; ``rows`` are the row numbers (bit i = input i); ``values[j]``
    holds output j's required values on those rows (-1: don't care). ``minimality`` is
    ``minimum`` (smallest possible), ``subset-minimal`` (dropping any row makes it realizable) or
    ``none`` (a core, not minimized before the time limit).

    >>> cert = Certificate([1, 2], [1, 2], [[1, 0]], "subset-minimal", True)
    >>> print(cert.format(2))
    certificate: 2 row(s), subset-minimal, verified; no network fits these rows:
      x0..x1 -> y
      10     -> 1
      01     -> 0
    """

    positions: list[int]
    rows: list[int]
    values: list[list[int]]
    minimality: str
    verified: bool = False
    proof: str | None = None
    proof_checked: bool | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``rows``, ``values``, minimality, whether verified and the proof checked."""
        data: dict[str, Any] = {
            "kind": "rows", "rows": self.rows, "values": self.values, "size": len(self.rows),
            "minimality": self.minimality, "verified": self.verified,
        }
        if self.proof is not None:
            data["proof"] = self.proof
            data["proof_checked"] = self.proof_checked
        data["stats"] = self.stats
        return data

    def format(self, n: int) -> str:
        """A small table: input bits (x0 first) -> required output(s)."""
        state = "verified" if self.verified else "NOT verified"
        head = f"certificate: {len(self.rows)} row(s), {self.minimality}, {state}"
        if self.proof is not None:
            head += f"; proof bundle {self.proof} ({'checked' if self.proof_checked else 'NOT checked'})"
        width = max(len(f"x0..x{n - 1}"), n)
        m = len(self.values)
        outputs = "y" if m == 1 else f"y0..y{m - 1}"
        lines = [head + "; no network fits these rows:",
                 f"  {'x0..x' + str(n - 1):<{width}} -> {outputs}"]
        for k, row in enumerate(self.rows):
            out = "".join("-" if v[k] == DONT_CARE else str(v[k]) for v in self.values)
            lines.append(f"  {row_bits(row, n):<{width}} -> {out}")
        return "\n".join(lines)


@dataclass
class ProofBundle:
    """A proof bundle written for an UNREALIZABLE answer (`realize.explain.proofs`).

    ``checked`` is True when every DRAT part and every other checkable step passed, False when
    one failed, None when the parts were not checked (``--no-check-proof`` or no ``dratify``).
    ``unproven`` lists, in plain sentences, what the bundle does not cover.

    >>> b = ProofBundle("p", "cases", parts=3, lines=120, checked=True)
    >>> b.proof_checked, b.format()
    (True, 'proof:    bundle p (route cases, 3 part(s), 120 DRAT lines), checked')
    """

    path: str
    route: str
    parts: int = 0
    images: int = 0
    lines: int = 0
    bytes: int = 0
    checked: bool | None = None
    unproven: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def proof_checked(self) -> bool:
        """True only when every part checked and nothing is unproven."""
        return self.checked is True and not self.unproven

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "route": self.route, "parts": self.parts, "images": self.images,
                "lines": self.lines, "bytes": self.bytes, "checked": self.checked,
                "unproven": self.unproven, "proof_checked": self.proof_checked, "stats": self.stats}

    def format(self) -> str:
        images = f" + {self.images} image(s)" if self.images else ""
        state = {True: "checked", False: "CHECK FAILED", None: "NOT checked"}[self.checked]
        text = (f"proof:    bundle {self.path} (route {self.route}, {self.parts} part(s){images}, "
                f"{self.lines} DRAT lines), {state}")
        for line in self.unproven:
            text += f"\n  unproven: {line}"
        return text


@dataclass
class Result:
    """What `realize.check` found, with everything needed to reproduce it.

    ``network`` is set (and already verified) when REALIZABLE. An UNREALIZABLE result names its
    `Refutation` and, when asked for, a verified row `Certificate`. ``stats`` has every stage's
    figures. ``bool(result)`` is the answer; it raises `ValueError` when the answer is unknown.

    >>> import realize
    >>> r = realize.check("6", "2-1")
    >>> bool(r), str(r).splitlines()[0]
    (False, 'UNREALIZABLE')
    """

    status: Status
    function: BooleanFunction
    arch: Architecture
    bounds: Bounds
    backend: str
    time_s: float
    network: Network | None = None
    refutation: Refutation | None = None
    certificate: Certificate | None = None
    stats: Stats = field(default_factory=lambda: Stats("none"))
    reason: str = ""
    proof: ProofBundle | None = None
    #: how the network was checked: ``evaluation`` (every care row, numpy) or ``miter`` (a
    #: SAT miter against the circuit found no row where they differ: `realize.check_circuit`)
    verified_by: str = "evaluation"

    @property
    def realizable(self) -> bool | None:
        """True, False, or None when unknown."""
        if self.status is Status.UNKNOWN:
            return None
        return self.status is Status.REALIZABLE

    def __bool__(self) -> bool:
        if self.status is Status.UNKNOWN:
            raise ValueError(f"the answer is unknown ({self.reason or 'not decided'}): "
                             "test result.status or result.realizable instead")
        return self.status is Status.REALIZABLE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output)."""
        data: dict[str, Any] = {
            "status": self.status.value,
            "function": self.function.to_hex() if self.function.is_complete else self.function.name,
            "n": self.function.n,
            "m": self.function.m,
            "arch": self.arch.describe() if self.arch.layers is not None else self.arch.to_dict(),
            "bounds": self.bounds.to_dict(),
            "backend": self.backend,
            "time_s": round(self.time_s, 6),
        }
        if self.network is not None:
            data["network"] = self.network.to_dict()
            data["verified"] = True
            data["verified_by"] = self.verified_by
        if self.certificate is not None:
            data["certificate"] = self.certificate.to_dict()
        elif self.refutation is not None:
            data["certificate"] = self.refutation.to_dict()
        if self.proof is not None:
            data["proof"] = self.proof.to_dict()
            data["proof_checked"] = self.proof.proof_checked
        if self.reason:
            data["reason"] = self.reason
        data["stats"] = self.stats.to_dict()
        return data

    def __str__(self) -> str:
        """The report ``realize check`` prints: the status on the first line."""
        f = self.function
        what = f.to_hex() if f.is_complete and f.n <= 8 else f"{f.name} ({f.num_rows} care rows)"
        lines = [
            self.status.value.upper(),
            f"function: {what}, {f.n} input(s), {f.m} output(s)",
            f"arch:     {self.arch.describe()}",
            f"bounds:   {self.bounds.describe()}",
            f"backend:  {self.backend}, {self.time_s:.3f} s",
        ]
        if self.network is not None:
            lines.append("network (verified on every care row):" if self.verified_by == "evaluation"
                         else f"network (verified on all 2^{f.n} rows by a SAT miter):")
            lines.extend("  " + line for line in self.network.describe().splitlines())
        if self.certificate is not None:
            lines.append(self.certificate.format(f.n))
        if self.proof is not None:
            lines.append(self.proof.format())
        if self.reason:
            lines.append(f"reason:   {self.reason}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("Result(...)" if cycle else str(self))

    def _repr_html_(self) -> str:
        import html  # notebooks only

        return f"<pre>{html.escape(str(self))}</pre>"
