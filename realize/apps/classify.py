"""The minimum of every NPN class of n-input functions, and how the minima are distributed.

Minima are invariant under permuting and negating inputs and negating the output (exact mode),
so one search per NPN class answers for all 2^(2^n) functions. Each class is searched on its
representative (the smallest truth table of the class), in a pool of worker processes.

>>> c = classify(2, workers=1)          # 4 classes: constants, AND2, x0, XOR2
>>> [(table_to_hex(e.representative, 2), e.size, e.result.minimum) for e in c.classes]
[('0', 2, 0), ('1', 8, 0), ('3', 4, 0), ('6', 2, 2)]
>>> [(d["size"], d["classes"], d["functions"]) for d in c.distribution()]
[(0, 3, 14), (2, 1, 2)]
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from realize.apps.minimize import Minimum, MinimumCache, minimize
from realize.apps.progress import Progress
from realize.backends.registry import bounds_for
from realize.errors import InputError
from realize.options import check_seconds
from realize.spec.functions import BooleanFunction, table_to_hex
from realize.spec.npn import MAX_CLASSES_INPUTS, npn_classes


@dataclass
class ClassEntry:
    """One NPN class: its representative truth table, its size and its minimum."""

    representative: int
    size: int
    result: Minimum

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {"representative": table_to_hex(self.representative, r.function.n),
                "class_size": self.size, r.size_name: r.minimum, "minimum": r.describe(),
                "arch": r.network.arch.describe() if r.network is not None else None,
                "network": r.network.to_dict() if r.network is not None else None,
                "proof": [a.to_dict() for a in r.proof], "time_s": round(r.time_s, 6)}


@dataclass
class Classification:
    """The answer of `classify`: every class with its minimum, and the distribution."""

    n: int
    skip: bool
    depth: int
    classes: list[ClassEntry]
    time_s: float
    workers: int

    def distribution(self) -> list[dict[str, Any]]:
        """How many classes and functions need each size (``size`` None: not known exactly)."""
        classes: Counter = Counter()
        functions: Counter = Counter()
        for e in self.classes:
            classes[e.result.minimum] += 1
            functions[e.result.minimum] += e.size
        order = sorted(classes, key=lambda s: (s is None, s or 0))
        return [{"size": s, "classes": classes[s], "functions": functions[s]} for s in order]

    def __str__(self) -> str:
        return self.report()

    def report(self) -> str:
        """The human-readable report of ``realize classify``: the distribution, then each class."""
        what = ("units in all (skip connections)" if self.skip
                else f"hidden units per layer ({self.depth} hidden layer(s))")
        lines = [f"{self.n}-input functions: {len(self.classes)} NPN classes, minimum {what}",
                 f"{'minimum':>8} {'classes':>8} {'functions':>10}"]
        lines += [f"{'?' if d['size'] is None else d['size']:>8} {d['classes']:>8} "
                  f"{d['functions']:>10}" for d in self.distribution()]
        lines.append(f"time: {self.time_s:.1f} s ({self.workers} worker(s))")
        lines.append(f"{'class':>8} {'size':>6}  minimum")
        lines += [f"{table_to_hex(e.representative, self.n):>8} {e.size:>6}  {e.result.describe()}"
                  for e in self.classes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record (the ``--json`` output of ``realize classify``)."""
        return {"n": self.n, "mode": "skip" if self.skip else "layered",
                "size": "units" if self.skip else "hidden_units",
                "hidden_layers": None if self.skip else self.depth,
                "num_classes": len(self.classes),
                "num_functions": sum(e.size for e in self.classes),
                "distribution": self.distribution(),
                "classes": [e.to_dict() for e in self.classes],
                "time_s": round(self.time_s, 6), "workers": self.workers}


def classify(
    n: int,
    *,
    skip: bool = False,
    depth: int = 1,
    backend: str = "sat",
    timeout: float | None = None,
    cache: MinimumCache | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Classification:
    """The minimum (layered hidden units, or units in all with ``skip``) of every NPN class.

    Exact mode only (or real weights with ``backend="smt-real"``): NPN classes are sound there.
    ``timeout`` applies to each check; a class whose search ran out of time has a range, not a
    minimum, and is counted under size None.
    Classes already in ``cache`` are not searched again; new minima are added to it.
    ``workers`` processes search in parallel (default: the number of CPUs; 1 runs in-process).
    ``progress(done, total)`` is called as classes are searched (those in the cache are not
    counted: they are no work).
    """
    if not 0 <= n <= MAX_CLASSES_INPUTS:
        raise InputError(f"classify takes 0 to {MAX_CLASSES_INPUTS} inputs, not {n}")
    if workers is not None and workers < 1:
        raise InputError(f"--jobs must be at least 1, got {workers}")
    if timeout is not None:
        check_seconds(timeout)
    start = time.perf_counter()
    cache = cache if cache is not None else MinimumCache()
    bounds = bounds_for(backend)
    classes = npn_classes(n)
    functions = [BooleanFunction.from_truth_tables(n, [table]) for table, _ in classes]
    job = dict(skip=skip, depth=depth, backend=backend, timeout=timeout)
    results: dict[int, Minimum] = {}
    todo = [i for i, f in enumerate(functions)
            if cache.key(f, skip, depth, bounds) not in cache]
    workers = workers or multiprocessing.cpu_count()
    report = progress or (lambda done, total: None)
    if workers > 1 and len(todo) > 1:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            found = pool.map(_search, [functions[i] for i in todo], [job] * len(todo), chunksize=1)
            for done, (i, minimum) in enumerate(zip(todo, found, strict=True), 1):
                results[i] = minimum
                report(done, len(todo))
    else:
        for done, i in enumerate(todo, 1):
            results[i] = minimize(functions[i], **job, cache=cache)
            report(done, len(todo))
    for i in todo:
        if results[i].minimum is not None:
            cache.store(cache.key(functions[i], skip, depth, bounds), results[i])
    entries = [
        ClassEntry(table, size, results[i] if i in results else minimize(functions[i], **job,
                                                                         cache=cache))
        for i, (table, size) in enumerate(classes)
    ]
    return Classification(n, skip, depth, entries, time.perf_counter() - start, workers)


def _search(f: BooleanFunction, job: dict[str, Any]) -> Minimum:
    return minimize(f, **job)
