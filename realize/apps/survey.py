"""The survey: the minimum network of every NPN class of n-input functions, kept in a store.

For each class (its representative, the smallest truth table) the survey finds the fewest
hidden units k of an ``n-k-1`` network (question ``layered``) or the fewest units in all with
skip connections (``skip``), in exact mode, where minima are NPN invariant. Sizes are decided
in turn from the smallest until one is realizable: the witness is verified on every row, and
every smaller size was refuted, so the minimum is exact; a class whose check ran out of time
has a range instead.

Work goes out in chunks of classes, to worker processes or Dask tasks (time limits live inside
the tasks). A chunk decides one size at a time for all of its open classes with `check_many`
(one incremental solver for the chunk, so what it learns on one class helps the next), for at
most `BATCH_SECONDS` each; a check that took longer goes to `realize.check` (its case split is
strong at refuting). Results go into the store (`SurveyStore`) chunk by chunk, so a killed run
resumes where it stopped.

>>> found = survey(2, store=":memory:", jobs=1)
>>> [(d["minimum"], d["classes"], d["functions"]) for d in found.distribution()]
[(0, 3, 14), (2, 1, 2)]
>>> found.counts()                  # functions of 2-1 (one unit), of 2-1-1, of 2-2-1
{0: 14, 1: 14, 2: 16}
"""

from __future__ import annotations

import math
import multiprocessing
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from realize.apps.batch import check_many
from realize.apps.clusters import dask_client
from realize.apps.counting import baldi_vershynin
from realize.apps.minimize import architectures
from realize.apps.progress import Progress
from realize.apps.small_networks import MAX_INPUTS as MAX_TABLE_INPUTS
from realize.apps.small_networks import table_network
from realize.apps.survey_store import ClassOutcome, SurveyStore
from realize.backends.registry import bounds_for
from realize.errors import InputError, UnsupportedError
from realize.options import check_seconds
from realize.pipeline import check
from realize.results import Result, Status
from realize.spec.architecture import Architecture
from realize.spec.functions import BooleanFunction, table_to_hex
from realize.spec.npn import MAX_ORBIT_INPUTS, npn_classes
from realize.verify import verify_witness

#: seconds `check_many` may spend on one class and size before `realize.check` takes it over
BATCH_SECONDS = 0.15
#: seconds the table search may spend on one class before the SAT ladder takes it over
#: (measured on 5 inputs: half the classes of three units are found in 1.4 ms, 99% in 15 ms;
#: it proves most of the others need four in 20-250 ms, which SAT does faster)
TABLE_SECONDS = 0.02
#: hidden units of the table search's networks (besides single units)
TABLE_UNITS = 3
#: classes per task: large enough that scheduling costs little, small enough to lose little
CHUNK = 64


@dataclass(frozen=True)
class SurveyJob:
    """What every task of a survey asks: ``inputs``, the question, the time limit of each
    check (None: none) and the largest size tried (every function of n inputs has an n-k-1
    network with k = 2^(n-1): one hidden unit per row of the smaller side, then OR or NOR)."""

    inputs: int
    skip: bool = False
    timeout: float | None = None
    tables: bool = True  # the table search first (layered, n <= 5); False: SAT alone

    @property
    def question(self) -> str:
        return "skip" if self.skip else "layered"

    @property
    def largest(self) -> int:
        return max(1, 2 ** (self.inputs - 1)) + (1 if self.skip else 0)

    def arch(self, size: int) -> Architecture | None:
        """The architecture of ``size`` (None: no network has that size)."""
        found = architectures(self.inputs, 1, size, self.skip, 1)
        return found[0] if found else None


def survey_chunk(job: SurveyJob, classes: Sequence[tuple[int, int]]) -> list[ClassOutcome]:
    """Decide the minimum of each class ``(representative, size)``; a task of the survey.

    Layered, n <= 5: the table search (`table_network`) first: one unit, or three hidden
    units; each network it finds is verified, and SAT decides the sizes below, downwards, until
    one is refuted. The classes it does not settle climb the SAT ladder from size 1. A refuted
    size refutes every smaller one too (a unit more never hurts: give it zero weights), so one
    refutation below the minimum proves it.

    >>> [(o.minimum, [(s["size"], s["by"], s["status"]) for s in o.steps])
    ...  for o in survey_chunk(SurveyJob(2), [(6, 2)])]
    [(2, [(3, 'tables', 'realizable'), (2, 'batch', 'realizable'), (1, 'batch', 'unrealizable')])]
    """
    outcomes = {rep: ClassOutcome(rep, size, None, 0, None, None) for rep, size in classes}
    ladder = [rep for rep, _ in classes]
    first, unbatched = 0, job.largest + 1
    if job.tables and not job.skip and job.inputs <= MAX_TABLE_INPUTS:
        ladder = [rep for rep in ladder if not _table_search(job, outcomes[rep])]
        below = [rep for rep, _ in classes if outcomes[rep].upper]
        for size in range(TABLE_UNITS - 1, 0, -1):  # down from the table's network
            _step(job, size, below, outcomes)
            below = [rep for rep in below if outcomes[rep].upper == size]
        first = 1  # not one unit: the table holds every threshold function
        # what the table search missed is hard from its size on: `check_many` would only
        # delay the case split (measured on 5 inputs: 3 units refuted in 55 ms by `check`,
        # in 300 ms by `check_many`; 4 found in 170 ms against 210 ms batch first)
        unbatched = TABLE_UNITS
    for size in range(first, job.largest + 1):
        if not ladder:
            break
        ladder = _step(job, size, ladder, outcomes, batched=size < unbatched)
    return [outcomes[rep] for rep, _ in classes]


def _table_search(job: SurveyJob, outcome: ClassOutcome) -> bool:
    """The table search on one class: whether it found a network (verified)."""
    start = time.perf_counter()
    network = table_network(outcome.representative, job.inputs, TABLE_SECONDS)
    spent = time.perf_counter() - start
    outcome.seconds += spent
    size = TABLE_UNITS if network is None or len(network.arch.layers) > 1 else 0  # hidden units
    step = {"size": size, "by": "tables",
            "status": "unknown" if network is None else "realizable", "s": round(spent, 6)}
    if network is None:
        outcome.steps.append({**step, "arch": _named(job.arch(TABLE_UNITS))})
        return False
    f = BooleanFunction.from_truth_tables(job.inputs, [outcome.representative])
    verify_witness(network, f, bounds_for("sat"))
    _found(outcome, size, network.to_dict())
    outcome.steps.append({**step, "arch": network.arch.describe()})
    return True


def _found(outcome: ClassOutcome, size: int, witness: dict[str, Any]) -> None:
    outcome.upper, outcome.witness = size, witness
    outcome.minimum = size if outcome.lower == size else None


def _step(job: SurveyJob, size: int, reps: list[int], outcomes: dict[int, ClassOutcome],
          batched: bool = True) -> list[int]:
    """Decide ``size`` for the classes ``reps`` (``batched``: `check_many` first); those
    still without a network."""
    arch = job.arch(size)
    if arch is None:  # skip: no network of 0 units
        for rep in reps:
            outcomes[rep].lower = max(outcomes[rep].lower, size + 1)
        return reps
    if not reps:
        return reps
    functions = [BooleanFunction.from_truth_tables(job.inputs, [rep]) for rep in reps]
    still_open = []
    decided = _decide(functions, arch, job.timeout, BATCH_SECONDS if batched else 0.0)
    for rep, (result, by) in zip(reps, decided, strict=True):
        outcome = outcomes[rep]
        outcome.steps.append({"size": size, "arch": arch.describe(), "by": by,
                              "status": result.status.value, "s": round(result.time_s, 6)})
        outcome.seconds += result.time_s
        if result.status is Status.UNREALIZABLE:
            outcome.lower = max(outcome.lower, size + 1)
            if outcome.upper is not None:
                outcome.minimum = outcome.upper if outcome.lower == outcome.upper else None
        elif result.status is Status.REALIZABLE:
            _found(outcome, size, result.network.to_dict())
        if outcome.upper is None:
            still_open.append(rep)
    return still_open


def _decide(functions: list[BooleanFunction], arch: Architecture, timeout: float | None,
            batch_s: float) -> list[tuple[Result, str]]:
    """Each function on ``arch``: by `check_many` within ``batch_s`` seconds a function,
    else (and with ``batch_s`` 0) by `check`."""
    batch = batch_s if timeout is None else min(batch_s, timeout)
    def one_by_one() -> list[tuple[Result, str]]:
        return [(result, _route(result)) for result in
                (check(f, arch, timeout=timeout) for f in functions)]

    if batch <= 0:
        return one_by_one()
    try:
        batched = check_many(functions, arch, timeout=batch)
    except UnsupportedError:  # weights too large for its CNF: check picks another encoding
        return one_by_one()
    answers = []
    for f, result in zip(functions, batched, strict=True):
        if result.status is Status.UNKNOWN and (timeout is None or timeout > batch):
            again = check(f, arch, timeout=None if timeout is None else timeout - batch)
            again.time_s += result.time_s
            answers.append((again, _route(again)))
        else:
            answers.append((result, "batch"))
    return answers


def _route(result: Result) -> str:
    """What decided a `check`: the refuting stage (say ``cases``), else the backend."""
    return result.refutation.stage if result.refutation is not None else result.backend


@dataclass
class Survey:
    """The stored outcomes of one question, with ``total`` classes of n inputs in all."""

    inputs: int
    question: str
    outcomes: list[ClassOutcome]
    total: int
    time_s: float = 0.0

    @property
    def complete(self) -> bool:
        return len(self.outcomes) == self.total and all(o.minimum is not None for o in self.outcomes)

    def distribution(self) -> list[dict[str, Any]]:
        """Classes and functions per minimum (None: a range), smallest first."""
        classes: Counter[int | None] = Counter()
        functions: Counter[int | None] = Counter()
        for o in self.outcomes:
            classes[o.minimum] += 1
            functions[o.minimum] += o.size
        order = sorted(classes, key=lambda k: (k is None, k or 0))
        return [{"minimum": k, "classes": classes[k], "functions": functions[k]} for k in order]

    def counts(self) -> dict[int, int] | None:
        """Functions computed at each size up to the largest minimum (a function of minimum m
        is computed at every size >= m); None unless complete."""
        if not self.complete:
            return None
        functions = Counter({d["minimum"]: d["functions"] for d in self.distribution()})
        smallest = 1 if self.question == "skip" else 0  # skip: units in all, the output too
        return {k: sum(v for m, v in functions.items() if m <= k)
                for k in range(smallest, max(functions) + 1)}

    def stages(self) -> list[dict[str, Any]]:
        """Per stage (size tried, what decided it, its answer): classes and seconds of CPU."""
        classes: Counter[tuple[int, str, str]] = Counter()
        spent: Counter[tuple[int, str, str]] = Counter()
        for o in self.outcomes:
            for step in o.steps:
                key = (step["size"], step["by"], step["status"])
                classes[key] += 1
                spent[key] += step["s"]
        return [{"size": size, "by": by, "status": status, "classes": classes[key],
                 "seconds": round(spent[key], 3),
                 "ms_per_class": round(1000 * spent[key] / classes[key], 2)}
                for key in sorted(classes) for size, by, status in [key]]

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        job = SurveyJob(self.inputs, self.question == "skip")
        capacity = None if counts is None else [
            {"size": k, "arch": _named(job.arch(k)), "functions": c,
             "capacity_bits": round(math.log2(c), 6),
             "baldi_vershynin": None if job.arch(k) is None else baldi_vershynin(job.arch(k))}
            for k, c in counts.items()]
        return {"inputs": self.inputs, "question": self.question, "classes": self.total,
                "stored": len(self.outcomes), "complete": self.complete,
                "distribution": self.distribution(), "capacity": capacity,
                "stages": self.stages(),
                "time_s": round(self.time_s, 3)}

    def report(self) -> str:
        """The summary as text: the distribution, then the counts when complete."""
        lines = [f"survey: {self.inputs} inputs, {self.question}, {len(self.outcomes)} of "
                 f"{self.total} classes stored" + ("" if self.complete else " (incomplete)"),
                 "minimum  classes     functions"]
        for d in self.distribution():
            label = "range" if d["minimum"] is None else str(d["minimum"])
            lines.append(f"{label:>7} {d['classes']:>8} {d['functions']:>13}")
        for entry in self.to_dict()["capacity"] or []:
            lines.append(f"{entry['arch'] or '-':>10}: {entry['functions']} functions, "
                         f"{entry['capacity_bits']:.4f} bits")
        lines.append("stage (size, by, answer)        classes   CPU s   ms/class")
        for s in self.stages():
            label = f"{s['size']} {s['by']} {s['status']}"
            lines.append(f"  {label:<29} {s['classes']:>8} {s['seconds']:>7.1f} {s['ms_per_class']:>10.2f}")
        return "\n".join(lines)


def _named(arch: Architecture | None) -> str | None:
    return None if arch is None else arch.describe()


def survey_classes(n: int) -> list[tuple[int, int]]:
    """The NPN classes of n <= 5 inputs, (representative, class size) by representative."""
    if not 0 <= n <= MAX_ORBIT_INPUTS:
        raise InputError(f"the survey takes 0 to {MAX_ORBIT_INPUTS} inputs, not {n}")
    return npn_classes(n)


def survey(
    inputs: int,
    *,
    store: str | Path,
    skip: bool = False,
    timeout: float | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    jobs: int | None = None,
    resume: bool = False,
    sample: int | None = None,
    seed: int = 0,
    chunk: int = CHUNK,
    tables: bool = True,
    progress: Progress | None = None,
) -> Survey:
    """Survey every NPN class of ``inputs`` inputs (``sample``: that many, drawn with
    ``seed``) into ``store``; returns what the store holds for the question.

    A store that already holds classes of the question is continued only with ``resume``.
    ``executor`` ``local`` runs ``jobs`` worker processes (1: in this process); ``dask`` the
    cluster at ``scheduler`` or a LocalCluster of ``jobs`` worker processes. ``tables=False``
    leaves out the table search (SAT alone: a cross-check).
    """
    if executor not in ("local", "dask"):
        raise InputError(f"unknown executor '{executor}' (choose from local, dask)")
    if scheduler and executor != "dask":
        raise InputError("--scheduler needs --executor dask")
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    if chunk < 1:
        raise InputError(f"the chunk size must be at least 1, got {chunk}")
    if timeout is not None:
        check_seconds(timeout)
    job = SurveyJob(inputs, skip, timeout, tables)
    start = time.perf_counter()
    held = SurveyStore(store, inputs)
    try:
        classes = survey_classes(inputs)
        total = len(classes)
        if sample is not None:
            if not 1 <= sample <= total:
                raise InputError(f"--sample must be 1 to {total} (the classes of {inputs} inputs)")
            classes = sorted(random.Random(seed).sample(classes, sample))
        done = held.done(job.question)
        if done and not resume:
            raise InputError(f"--store {store} already holds {len(done)} classes of this "
                             "survey: add --resume to continue it")
        todo = [c for c in classes if c[0] not in done]
        pieces = [todo[i:i + chunk] for i in range(0, len(todo), chunk)]
        finished = 0
        for outcomes in _run(job, pieces, executor, scheduler, jobs):
            held.put(job.question, outcomes)
            finished += len(outcomes)
            if progress:
                progress(finished, len(todo))
        return Survey(inputs, job.question, list(held.outcomes(job.question)), total,
                      time.perf_counter() - start)
    finally:
        held.close()


def stored_survey(inputs: int, store: str | Path, skip: bool = False) -> Survey:
    """What ``store`` holds for the question, without running anything (``--summary``)."""
    if not Path(store).is_file():
        raise InputError(f"--store {store}: no such file")
    held = SurveyStore(store, inputs)
    try:
        question = SurveyJob(inputs, skip).question
        return Survey(inputs, question, list(held.outcomes(question)), len(survey_classes(inputs)))
    finally:
        held.close()


def _run(job: SurveyJob, pieces: list[list[tuple[int, int]]], executor: str,
         scheduler: str | None, jobs: int | None) -> Iterator[list[ClassOutcome]]:
    """The outcomes of every piece, as they finish."""
    if executor == "local" and (jobs == 1 or len(pieces) <= 1):
        for piece in pieces:
            yield survey_chunk(job, piece)
        return
    with _pool(executor, scheduler, jobs or multiprocessing.cpu_count()) as pool:
        futures: list[Future] = [pool.submit(survey_chunk, job, piece) for piece in pieces]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


@contextmanager
def _pool(executor: str, scheduler: str | None, jobs: int) -> Iterator[Executor]:
    if executor == "local":
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool
        return
    with dask_client(scheduler, n_workers=jobs, threads_per_worker=1, processes=True) as client:
        yield client.get_executor(pure=False)


def capacity_plot(surveys: Sequence[Survey], path: str | Path) -> None:
    """Capacity (log2 of the functions computed) against the number of hidden units, one line
    per complete survey, with the Baldi-Vershynin formula dashed and the ceiling 2^n dotted
    (extra ``plot``)."""
    from realize.apps.plots import write_plot

    def draw(ax: Any) -> None:
        for found in surveys:
            entries = found.to_dict()["capacity"] or []
            line = ax.plot([e["size"] for e in entries], [e["capacity_bits"] for e in entries],
                           marker="o", label=f"n = {found.inputs}: exact")
            formula = [(e["size"], e["baldi_vershynin"]) for e in entries if e["baldi_vershynin"]]
            ax.plot([k for k, _ in formula], [v for _, v in formula], linestyle="--",
                    color=line[0].get_color(), label=f"n = {found.inputs}: Baldi-Vershynin")
            ax.axhline(2**found.inputs, linestyle=":", color=line[0].get_color(),
                       label=f"n = {found.inputs}: every function ({2**found.inputs} bits)")
        ax.set_xlabel("hidden units k of n-k-1")
        ax.set_ylabel("capacity (bits)")
        ax.xaxis.get_major_locator().set_params(integer=True)

    write_plot(path, draw)


TABLE_COLUMNS = ("representative", "size", "minimum", "skip_minimum")


def write_table(store: str | Path, inputs: int, path: str | Path) -> int:
    """Write `table_rows` as CSV (gzip-compressed when ``path`` ends in ``.gz``); the rows."""
    import csv
    import gzip
    import io

    from realize.apps.outputs import write_file

    rows = list(table_rows(store, inputs))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = text.getvalue().encode()
    if str(path).endswith(".gz"):
        data = gzip.compress(data, mtime=0)  # the same table, the same bytes
    write_file(path, lambda target: target.write_bytes(data), "--table")
    return len(rows)


def table_rows(store: str | Path, inputs: int) -> Iterator[dict[str, Any]]:
    """One row per stored class: hex representative, class size, the layered minimum (or
    range) and the skip minimum where surveyed (``surveys/npn5-layered.csv.gz``)."""
    held = SurveyStore(store, inputs)
    try:
        skips = {o.representative: o for o in held.outcomes("skip")}
        for o in held.outcomes("layered"):
            s = skips.get(o.representative)
            yield {"representative": table_to_hex(o.representative, inputs), "size": o.size,
                   "minimum": _shown(o), "skip_minimum": "" if s is None else _shown(s)}
    finally:
        held.close()


def _shown(o: ClassOutcome) -> str:
    if o.minimum is not None:
        return str(o.minimum)
    return f"{o.lower}-{'' if o.upper is None else o.upper}"
