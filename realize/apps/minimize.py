"""Smallest networks: the fewest threshold units that compute a function.

Two questions, each answered by `realize.check` at growing sizes, starting from the smallest:

- **layered** (``skip=False``): the smallest width k of the hidden layer(s) such that
  ``n-k-m`` (or ``n-k-k-m`` for ``depth=2``, ...) realizes f; k = 0 is the single layer ``n-m``.
- **skip** (``skip=True``): the fewest units in all, the output units included, of a general
  feedforward network in which every unit reads the inputs and all earlier units. For one output
  that is the chain ``n-1-1-...-1`` with skip connections: every DAG of k units has a topological
  order, and in the chain each unit reads every input and every earlier unit, so any DAG of k
  units is the chain with some weights set to 0.

The search goes up one size at a time and stops at the first REALIZABLE size; the size below was
refuted (UNREALIZABLE), which is the proof that the minimum is not smaller. A check that runs out
of time (UNKNOWN) is reported as such: the minimum is then a range ``lower..upper``.

>>> r = minimize("6", 2)                       # XOR2
>>> r.minimum, [a.status.value for a in r.proof]      # two hidden units; one is refuted
(2, ['unrealizable'])
>>> minimize("6", 2, skip=True).minimum        # two units in all
2
>>> minimize("e8", 3).minimum                  # MAJ3 is a single unit: no hidden layer
0
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path
from typing import Any

import numpy as np

from realize.backends.registry import bounds_for
from realize.errors import InputError, VerificationError
from realize.explain.certificates import row_certificate
from realize.options import Deadline, Options, check_seconds
from realize.pipeline import check
from realize.readers.registry import inputs_of, parse_function
from realize.results import Result, Status
from realize.spec.architecture import MAX_UNITS, Architecture
from realize.spec.bounds import Bounds
from realize.spec.functions import BooleanFunction, table_to_hex
from realize.spec.network import Network
from realize.spec.npn import MAX_NPN_INPUTS, npn_orbit, row_permutations
from realize.spec.safe_input import read_json
from realize.verify import verify_witness

#: Weight bounds of the quick probes tried, in turn, before the full check of a size.
PROBE_WEIGHTS = (1, 3)
#: Time limit (seconds) of each probe.
PROBE_SECONDS = 1.0


@dataclass
class Attempt:
    """One `realize.check` call of the search: a size, an architecture and its answer.

    A ``probe`` is a quick try with small weights (`PROBE_WEIGHTS`): its witness also lies
    within the full bounds, but its UNREALIZABLE proves nothing about them.
    """

    size: int
    arch: str
    status: Status
    time_s: float
    backend: str
    certificate: dict[str, Any] | None = None
    probe: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"size": self.size, "arch": self.arch, "status": self.status.value,
                                "time_s": round(self.time_s, 6), "backend": self.backend,
                                "probe": self.probe}
        if self.certificate is not None:
            data["certificate"] = self.certificate
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        return cls(data["size"], data["arch"], Status(data["status"]), data["time_s"],
                   data["backend"], data.get("certificate"), data.get("probe", False))


@dataclass
class Minimum:
    """The answer of `minimize`: the minimum size, or the range it lies in.

    ``lower`` is the smallest size not refuted: every smaller size was proven UNREALIZABLE.
    ``upper`` is the size of ``network`` (verified), or None when no size up to the search limit
    was realizable. The minimum is exact when ``lower == upper``. Sizes count hidden units per
    hidden layer (layered) or units in all (skip). ``searched`` is the truth table the checks ran
    on when the answer came from the cache for an NPN-equivalent function (minima are
    NPN-invariant; the witness was transformed and verified for ``function``).
    """

    function: BooleanFunction
    skip: bool
    depth: int
    bounds: Bounds
    lower: int
    upper: int | None
    network: Network | None
    attempts: list[Attempt]
    time_s: float
    searched: str | None = None
    limit: int | None = None

    @property
    def minimum(self) -> int | None:
        """The minimum when it is known exactly, else None."""
        return self.upper if self.upper is not None and self.lower == self.upper else None

    @property
    def proof(self) -> list[Attempt]:
        """The refutations one size below ``lower`` (none when ``lower`` is the smallest size).

        One check per architecture of that size: one, except for skip with several outputs.
        """
        return [a for a in self.attempts if a.size == self.lower - 1 and not a.probe
                and a.status is Status.UNREALIZABLE]

    @property
    def size_name(self) -> str:
        """``units`` (skip) or ``hidden_units`` (layered)."""
        return "units" if self.skip else "hidden_units"

    @property
    def exit_code(self) -> int:
        """10: exact minimum; 20: every size up to the limit refuted; 0: otherwise (a range)."""
        if self.minimum is not None:
            return 10
        return 20 if self.upper is None and self.limit is not None and self.lower > self.limit else 0

    def describe(self) -> str:
        """``2``, ``between 3 and 4``, ``at least 3`` or ``more than 8 (no size up to 8 ...)``."""
        if self.minimum is not None:
            return str(self.minimum)
        if self.upper is not None:
            return f"between {self.lower} and {self.upper}"
        if self.limit is not None and self.lower > self.limit:
            return f"more than {self.limit} (no size up to {self.limit} is realizable)"
        return f"at least {self.lower}"

    def __str__(self) -> str:
        return self.report()

    def report(self) -> str:
        """The human-readable report of ``realize minimize``: the minimum on the first line."""
        f = self.function
        what = f.to_hex() if f.is_complete and f.n <= 8 else f"{f.name} ({f.num_rows} care rows)"
        if self.skip:
            shape = "units in all, skip connections (every unit reads the inputs and all earlier units)"
        else:
            layers = "1 hidden layer" if self.depth == 1 else f"{self.depth} equal hidden layers"
            shape = f"hidden units per layer, layered ({layers}; 0: no hidden layer)"
        lines = [f"minimum: {self.describe()} {shape}",
                 f"function: {what}, {f.n} input(s), {f.m} output(s)",
                 f"bounds:   {self.bounds.describe()}"]
        if self.network is not None:
            lines.append(f"witness:  {_arch_name(self.network.arch)}, verified on every care row")
            lines.extend("  " + line for line in self.network.describe().splitlines())
        for a in self.proof:
            lines.append(f"proof:    {a.arch} {a.status.value.upper()} ({a.backend}, {a.time_s:.3f} s)")
            cert = a.certificate or {}
            if cert.get("kind") == "rows":
                lines.append(f"          no network of that size fits rows {cert['rows']} "
                             f"({cert['minimality']}, verified: {cert['verified']})")
        if self.searched is not None:
            lines.append(f"cached:   searched on the NPN-equivalent {self.searched}")
        lines.append("checks:   " + ", ".join(
            f"{a.size} {'probe' if a.probe else a.backend} {a.status.value}" for a in self.attempts))
        lines.append(f"time:     {self.time_s:.3f} s")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output of ``realize minimize``)."""
        f = self.function
        data: dict[str, Any] = {
            "function": f.to_hex() if f.is_complete else f.name,
            "n": f.n,
            "m": f.m,
            "mode": "skip" if self.skip else "layered",
            self.size_name: self.minimum,
            "exact": self.minimum is not None,
            "lower": self.lower,
            "upper": self.upper,
            "minimum": self.describe(),
        }
        if not self.skip:
            data["hidden_layers"] = self.depth
        data["arch"] = _arch_name(self.network.arch) if self.network is not None else None
        data["network"] = self.network.to_dict() if self.network is not None else None
        data["verified"] = self.network is not None
        data["proof"] = [a.to_dict() for a in self.proof]
        data["bounds"] = self.bounds.to_dict()
        data["time_s"] = round(self.time_s, 6)
        if self.searched is not None:
            data["searched"] = self.searched
        data["attempts"] = [a.to_dict() for a in self.attempts]
        return data


def minimize(
    function: BooleanFunction | str,
    n: int | None = None,
    *,
    skip: bool = False,
    depth: int = 1,
    bounds: Bounds | None = None,
    max_weight: int | None = None,
    max_bias: int | None = None,
    nonneg: bool = False,
    backend: str = "sat",
    timeout: float | None = None,
    max_units: int | None = None,
    cache: MinimumCache | None = None,
    symmetry: bool = True,
    certificate: bool = False,
    portfolio: bool = True,
) -> Minimum:
    """The fewest hidden units (layered) or units in all (``skip``) that realize ``function``.

    ``function`` is a `BooleanFunction` or FUNCTION text; ``n`` may be omitted when the text
    fixes it (a hex table of two or more digits, a PLA file). ``depth`` is the number of equal
    hidden layers (layered only). ``timeout`` applies to each check. ``max_units`` caps the sizes
    tried (default: a size that is always enough when any size is). ``cache`` answers repeated
    questions at once (keyed by NPN class where that is sound, see `MinimumCache`).
    ``symmetry`` is passed on to every check. ``certificate`` adds to each refutation one size
    below a verified subset-minimal set of rows that no network of that size fits
    (`realize.explain.certificates`); it bypasses cache lookups (a stored proof may lack one).
    ``portfolio`` (sat backend only) alternates sat with smt-real on each full check: a
    refutation over real weights refutes every integer bound, and is sometimes found far sooner.
    """
    start = time.perf_counter()
    f = resolve_function(function, n)
    if bounds is None:
        bounds = bounds_for(backend, max_weight, max_bias, nonneg)
    if not 1 <= depth <= MAX_UNITS:
        raise InputError(f"--depth must be between 1 and {MAX_UNITS}, got {depth}")
    if skip and depth != 1:
        raise InputError("--depth applies to layered networks, not to --skip")
    if max_units is not None and max_units < 0:
        raise InputError(f"--max-units must be >= 0, got {max_units}")
    if timeout is not None:
        check_seconds(timeout)
    options = Options(symmetry=symmetry)
    if portfolio and backend == "sat" and not bounds.real:
        backend = "portfolio"
    key = cache.key(f, skip, depth, bounds) if cache is not None else None
    if certificate and bounds.real:
        raise InputError("row certificates need integer bounds (not the smt-real backend)")
    if cache is not None and key is not None and not certificate:
        hit = cache.lookup(key, f, skip, depth, bounds)
        if hit is not None:
            hit.time_s = time.perf_counter() - start
            return hit
    smallest = f.m if skip else 0
    limit = max_units if max_units is not None else _enough_units(f, skip)
    lower, upper, network = smallest, None, None
    attempts: list[Attempt] = []
    for size in range(smallest, limit + 1):
        status, net = _decide_size(f, size, skip, depth, bounds, attempts, backend, options,
                                   timeout)
        if status is Status.REALIZABLE:
            upper, network = size, net
            break
        if status is Status.UNREALIZABLE and lower == size:
            lower = size + 1
    result = Minimum(f, skip, depth, bounds, lower, upper, network, attempts, 0.0, limit=limit)
    if certificate:
        _certify(result, options, timeout)
    result.time_s = time.perf_counter() - start
    if cache is not None and key is not None and result.minimum is not None:
        cache.store(key, result)
    return result


def architectures(n: int, m: int, size: int, skip: bool, depth: int = 1) -> list[Architecture]:
    """The architectures of one size; the size is realizable iff one of them is.

    Layered: ``n-m`` for size 0, else ``n-k-...-k-m`` (``depth`` hidden layers of width k).
    Skip, one output: the chain ``n-1-...-1`` (size units, skip connections). Skip, m outputs:
    the chain with the outputs at any m distinct positions in any order, the last unit always
    an output (a last unit nothing reads is useless).

    >>> [a.describe() for a in architectures(3, 1, 2, skip=False, depth=2)]
    ['3-2-2-1']
    >>> [a.describe() for a in architectures(3, 1, 3, skip=True)]
    ['3-1-1-1 skip']
    >>> len(architectures(2, 2, 3, skip=True))    # (output 0, output 1) at (2, 0), (2, 1), (0, 2), (1, 2)
    4
    """
    if not skip:
        return [Architecture.layered([n, *([size] * depth if size else []), m])]
    if size < m:
        return []
    if m == 1:
        return [Architecture.layered([n] + [1] * size, skip=True)]
    names = [f"u{i + 1}" for i in range(size)]
    inputs = [f"x{i}" for i in range(n)]
    units = {name: inputs + names[:i] for i, name in enumerate(names)}
    return [
        Architecture.from_dict({"inputs": n, "units": units, "outputs": [names[p] for p in places]})
        for places in permutations(range(size), m)
        if size - 1 in places
    ]


def _decide_size(
    f: BooleanFunction, size: int, skip: bool, depth: int, bounds: Bounds,
    attempts: list[Attempt], backend: str, options: Options, timeout: float | None,
) -> tuple[Status, Network | None]:
    """REALIZABLE if some architecture of this size is, UNREALIZABLE if all are refuted.

    Each architecture is first probed with small weights (fast when realizable), then checked
    under the full bounds; the probes include the sat strategy's own (|w| <= 1), so the full
    check skips it.
    """
    unknown = False
    for arch in architectures(f.n, f.m, size, skip, depth):
        name = _arch_name(arch)
        probes = _probe_bounds(arch, bounds)
        for small in probes:
            left = PROBE_SECONDS if timeout is None else min(PROBE_SECONDS, timeout / 2)
            r = check(f, arch, bounds=small, backend=backend, options=options,
                      deadline=Deadline.after(left))
            attempts.append(Attempt(size, name, r.status, r.time_s, r.backend, probe=True))
            if r.status is Status.REALIZABLE:
                verify_witness(r.network, f, bounds)
                return r.status, r.network
        full = options.replace(probe=False) if probes else options
        r = check(f, arch, bounds=bounds, backend=backend, options=full,
                  deadline=Deadline.after(timeout))
        decided_by = r.stats.extra.get("decided_by", r.backend)  # a portfolio's member
        attempts.append(Attempt(size, name, r.status, r.time_s, decided_by, _explanation(r)))
        if r.status is Status.REALIZABLE:
            return r.status, r.network
        unknown = unknown or r.status is Status.UNKNOWN
    return (Status.UNKNOWN if unknown else Status.UNREALIZABLE), None


def _explanation(r: Result) -> dict[str, Any] | None:
    """The JSON form of a result's certificate or refutation (None when it has neither)."""
    if r.certificate is not None:
        return r.certificate.to_dict()
    return None if r.refutation is None else r.refutation.to_dict()


def _certify(result: Minimum, options: Options, timeout: float | None) -> None:
    """Attach a row certificate to each refutation one size below the minimum."""
    f = result.function
    archs = {_arch_name(a): a for a in
             architectures(f.n, f.m, result.lower - 1, result.skip, result.depth)}
    for attempt in result.proof:
        cert = row_certificate(f, archs[attempt.arch], result.bounds, options=options,
                               deadline=Deadline.after(timeout))
        attempt.certificate = cert.to_dict()


def _arch_name(arch: Architecture) -> str:
    """``4-1-1 skip`` for layered architectures, the DAG as JSON otherwise."""
    return arch.describe() if arch.layers is not None else json.dumps(arch.to_dict())


def _probe_bounds(arch: Architecture, bounds: Bounds) -> list[Bounds]:
    """Bounds of the probes: small weights within ``bounds`` for every unit, below the widest.

    Even a probe that narrows only the widest unit pays: a witness with small weights is found
    much faster (4-input classification with skips: |w| <= 3 finds 2-unit witnesses at a third
    of the cost of the full check, where the output unit has |w| <= 5).
    """
    if bounds.real:
        return []
    narrowest = min(bounds.weight_range(len(fanin))[1] for fanin in arch.fanins)
    widest = bounds.widest_weight(arch)
    weights = sorted({min(w, narrowest) for w in PROBE_WEIGHTS} - {0})
    return [Bounds(max_weight=w, max_bias=bounds.max_bias, nonneg=bounds.nonneg)
            for w in weights if w < widest]


def _enough_units(f: BooleanFunction, skip: bool) -> int:
    """A size that realizes f under exact bounds: one hidden unit per row it must detect.

    Each hidden unit fires on one care row (a single row is a threshold function); an output
    is the OR of the detectors of its 1-rows (or the NOR of those of its 0-rows, one output).
    """
    care = f.care()
    if f.m == 1:
        ones = int(np.sum(f.values[0] == 1))
        hidden = min(ones, int(care.sum()) - ones)
    else:
        hidden = int(np.any(f.values == 1, axis=0).sum())
    return hidden + f.m if skip else max(hidden, 1)


# -- the FUNCTION argument ----------------------------------------------------------------------
def resolve_function(function: BooleanFunction | str, n: int | None) -> BooleanFunction:
    """Parse FUNCTION text with n inputs, or with the n the text fixes when n is None
    (`realize.readers.registry.inputs_of`)."""
    if isinstance(function, BooleanFunction):
        if n is not None and n != function.n:
            raise InputError(f"the function has {function.n} inputs, not {n}")
        return function
    if n is None:
        n = inputs_of(function)
        if n is None:
            raise InputError(f"how many inputs does '{function.strip()}' have? give --inputs N")
    return parse_function(function, n)


# -- NPN transforms of witnesses ----------------------------------------------------------------
def transform_network(net: Network, source: int, target: int) -> Network:
    """A network for the truth table ``target`` from one for the NPN-equivalent ``source``.

    Permuting and negating inputs rewrites the weights on the inputs (a negated input turns
    ``w*y`` into ``w - w*x``, so the weight flips and the bias absorbs w); negating the output
    maps the output unit (w, b) to (-w, -b-1). Biases are clamped into the lossless range of
    their new weights, so the result stays within any bounds symmetric in the weights. Every
    unit must read either all inputs in order or none (layered and skip architectures).
    """
    n = net.arch.n_inputs
    row_map, negate = _npn_transform(source, target, n)
    mask = int(row_map[0])
    reads = [int(row_map[1 << j]) ^ mask for j in range(n)]  # y_i reads x_j: reads[j] == 1 << i
    source_of = {r.bit_length() - 1: j for j, r in enumerate(reads)}
    weights, biases = [], []
    for u, fanin in enumerate(net.arch.fanins):
        w, b = list(net.weights[u]), net.biases[u]
        if any(s < n for s in fanin):
            if tuple(fanin[:n]) != tuple(range(n)):
                raise ValueError("every unit must read all inputs in order, or none")
            old = w[:n]
            for i in range(n):
                flip = (mask >> i) & 1
                w[source_of[i]] = -old[i] if flip else old[i]
                b += old[i] if flip else 0
            b = min(max(b, -sum(x for x in w if x > 0) - 1), -sum(x for x in w if x < 0))
        if negate and u in net.arch.outputs:
            w, b = [-x for x in w], -b - 1
        weights.append(tuple(w))
        biases.append(b)
    return Network(net.arch, tuple(weights), tuple(biases))


def _npn_transform(source: int, target: int, n: int) -> tuple[np.ndarray, bool]:
    """A row map p and a flag c with target(x) = source(p[x]) XOR c."""
    size = 2**n
    bits = np.array([(source >> x) & 1 for x in range(size)], dtype=np.uint8)
    want = np.array([(target >> x) & 1 for x in range(size)], dtype=np.uint8)
    maps = row_permutations(n)
    images = bits[maps]
    for negate in (False, True):
        hits = np.flatnonzero(np.all(images == (want ^ negate), axis=1))
        if hits.size:
            return maps[hits[0]], negate
    raise ValueError(f"{target:#x} is not NPN-equivalent to {source:#x}")


# -- the cache ----------------------------------------------------------------------------------
class MinimumCache:
    """Exact minima by NPN class (in memory, optionally in a JSON file), so repeats are instant.

    Minima are invariant under permuting and negating inputs and negating the output when the
    bounds are symmetric (no ``nonneg``, no ``max_bias``): then complete single-output functions
    of up to 6 inputs share one entry per NPN class, and a hit transforms the stored witness to
    the asked function and verifies it again. Other functions are keyed by themselves. Only exact
    minima are stored; the stored proof is the refutation found for the function searched.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path is not None and _exists(self.path):
            self.entries = read_json(self.path, f"the cache {self.path}")
            if not isinstance(self.entries, dict):
                raise InputError(f"the cache {self.path} is not a JSON object")

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    @staticmethod
    def key(f: BooleanFunction, skip: bool, depth: int, bounds: Bounds) -> str:
        """``npn/<n>/<class representative>/...`` where sound, else ``fn/<n>/<the function>/...``."""
        b = bounds.to_dict()
        shape = "skip" if skip else f"layered{depth}"
        tail = f"{shape}/{b['mode']}/{b['max_weight']}/{b['max_bias']}/{b['nonneg']}"
        if _npn_sound(f, bounds):
            table = int(f.to_hex(), 16)
            return f"npn/{f.n}/{table_to_hex(min(npn_orbit(table, f.n)), f.n)}/{tail}"
        if f.is_complete:
            what = f.to_hex()
        else:
            what = hashlib.sha256(f.rows.tobytes() + f.values.tobytes()).hexdigest()[:32]
        return f"fn/{f.n}/{what}/{tail}"

    def lookup(
        self, key: str, f: BooleanFunction, skip: bool, depth: int, bounds: Bounds
    ) -> Minimum | None:
        """The stored minimum, its witness made for ``f`` and verified; None when absent."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            net = Network.from_dict(entry["network"])
            searched = entry.get("table")
            if key.startswith("npn/") and searched != f.to_hex():
                net = transform_network(net, int(searched, 16), int(f.to_hex(), 16))
            verify_witness(net, f, bounds)
            attempts = [Attempt.from_dict(a) for a in entry["attempts"]]
            size = entry["size"]
        except (AttributeError, KeyError, TypeError, ValueError, InputError,
                VerificationError) as err:
            raise InputError(f"the cache entry {key} is invalid: {err}") from None
        return Minimum(f, skip, depth, bounds, size, size, net, attempts,
                       0.0, searched=searched if searched != _label(f) else None)

    def store(self, key: str, result: Minimum) -> None:
        """Remember an exact minimum (its witness and the attempts that proved it)."""
        assert result.network is not None and result.minimum is not None
        self.entries[key] = {
            "table": _label(result.function),
            "size": result.minimum,
            "network": result.network.to_dict(),
            "attempts": [a.to_dict() for a in result.attempts],
        }

    def save(self) -> None:
        """Write the entries to the cache file (atomically), if there is one."""
        if self.path is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(self.entries, indent=0, sort_keys=True))
            os.replace(tmp, self.path)
        except OSError as err:
            raise InputError(f"cannot write the cache {self.path}: {err.strerror}") from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError) as err:  # a name too long, a NUL byte
        raise InputError(f"cannot use the cache {str(path)[:80]}: {err}") from None


def _npn_sound(f: BooleanFunction, bounds: Bounds) -> bool:
    return f.is_complete and f.m == 1 and f.n <= MAX_NPN_INPUTS and bounds.symmetric


def _label(f: BooleanFunction) -> str | None:
    return f.to_hex() if f.is_complete else None


__all__ = ["Attempt", "Minimum", "MinimumCache", "architectures", "minimize", "resolve_function",
           "transform_network"]
