"""Instance suites: JSON Lines files of realizability questions, run under hard time limits.

Each line of a suite is one instance (format: ``instances/README.md``)::

    {"id": "xor3-331", "function": "96", "arch": "3-3-1", "expected": "realizable"}

`run_suite` runs every instance on every backend, each in a worker process (``spawn``) that is
killed when it overruns its time limit by `GRACE` seconds (CaDiCaL cannot be interrupted, so
a limit must be enforced from outside): a stuck solver becomes ``timeout``, never a hang. Each
result is appended to the output file as soon as it is known, so a killed run loses nothing and
``resume=True`` skips what is done. Categories follow BenchExec: ``correct``, ``wrong``,
``unknown`` (timeout), ``error``, and ``missing`` (answered, but no expected answer to compare).

>>> inst = parse_instance('{"id": "maj3", "function": "e8", "arch": "3-1"}', "demo", ".")
>>> inst.id, inst.family, inst.error
('maj3', 'demo', '')
>>> parse_instance('{"id": "x", "function": "e8", "arch": "3-1", "weight": 2}', "demo", ".").error
"unknown field 'weight'"
>>> record = solve_instance(inst, "sat", 10.0)
>>> record["status"], record["category"], record["verified"]
('realizable', 'missing', True)
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import queue
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realize.apps.circuit_check import check_circuit, wide_circuit
from realize.apps.clusters import dask_client
from realize.apps.outputs import check_target
from realize.apps.report import CATEGORIES, STATUSES, Summary, categorize, summarize
from realize.backends.registry import get_backend
from realize.errors import EnvironmentFailure, InputError, VerificationError
from realize.options import check_seconds
from realize.pipeline import check
from realize.readers.registry import parse_function, reader_for
from realize.results import Status
from realize.spec.architecture import Architecture, parse_architecture
from realize.spec.safe_input import check_finite, parse_json

#: Fields a suite line may have; the first three are required.
FIELDS = ("id", "function", "arch", "skip", "max_weight", "max_bias", "nonneg", "backend",
          "expected", "tags", "family", "timeout")
REQUIRED = FIELDS[:3]
EXPECTED = ("realizable", "unrealizable")
#: Time limit (seconds) of an instance that names none, unless the run gives one.
DEFAULT_TIMEOUT = 60.0
#: Seconds a worker may overrun its instance's limit before it is killed.
GRACE = 3.0
#: Seconds a fresh worker process may take to start (interpreter and imports).
STARTUP_LIMIT = 120.0
#: Fields every result record has (and `read_records` insists on).
RECORD_KEYS = frozenset({"id", "backend", "status", "category", "time"})
#: The types `read_records` accepts for the fields of a record (None: the field may be null).
RECORD_TYPES: dict[str, tuple[type | None, ...]] = {
    "suite": (str,), "id": (str,), "backend": (str,), "status": (str,), "category": (str,),
    "expected": (str, None), "time": (int, float), "verified": (bool, None),
    "timeout": (int, float, None), "family": (str, None), "tags": (list,), "reason": (str,),
    "network": (dict,),
}


@dataclass(frozen=True)
class Instance:
    """One suite line. ``error`` is set (and the rest may be defaults) if the line is unusable."""

    suite: str
    id: str
    function: str = ""
    arch: str | dict = ""
    skip: bool = False
    max_weight: int | None = None
    max_bias: int | None = None
    nonneg: bool = False
    backend: str | None = None
    expected: str | None = None
    tags: tuple[str, ...] = ()
    family: str = ""
    timeout: float | None = None
    base_dir: str = "."
    error: str = ""

    def architecture(self) -> Architecture:
        """The architecture: layered text, a DAG object, or a DAG file relative to the suite."""
        is_dag = isinstance(self.arch, dict) or self.arch.strip().endswith(".json")
        if is_dag and self.skip:
            raise InputError("'skip' applies to layered architectures, not to a DAG")
        if isinstance(self.arch, dict):
            return Architecture.from_dict(self.arch)
        if self.arch.strip().endswith(".json"):
            return Architecture.from_file(Path(self.base_dir) / self.arch.strip())
        return parse_architecture(self.arch, skip=self.skip)


def parse_instance(line: str, suite: str, base_dir: str | Path, lineno: int = 0) -> Instance:
    """One suite line as an `Instance`; a bad line gives an instance with ``error`` set."""
    fallback = f"line {lineno}"
    try:
        data = parse_json(line, fallback)
    except InputError as err:  # not JSON, too deep, an integer of thousands of digits, NaN
        return Instance(suite, fallback, error=str(err).removeprefix(f"{fallback}: "))
    if not isinstance(data, dict):
        return Instance(suite, fallback, error="a suite line must be a JSON object")
    ident = data.get("id")
    ident = ident if isinstance(ident, str) and ident else fallback
    try:
        fields = _check_fields(data, Path(base_dir))
    except InputError as err:
        return Instance(suite, ident, error=str(err))
    fields["tags"] = tuple(fields.get("tags", ()))
    fields.setdefault("family", suite)
    return Instance(suite=suite, base_dir=str(base_dir), **fields)


def _check_fields(data: dict, base_dir: Path) -> dict:
    unknown = [key for key in data if key not in FIELDS]
    if unknown:
        raise InputError(f"unknown field '{unknown[0]}'")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise InputError(f"missing field '{missing[0]}'")
    types: dict[str, tuple[type, ...]] = {
        "id": (str,), "function": (str,), "arch": (str, dict), "skip": (bool,), "nonneg": (bool,),
        "max_weight": (int,), "max_bias": (int,), "backend": (str,), "expected": (str,),
        "tags": (list,), "family": (str,), "timeout": (int, float),
    }
    for key, value in data.items():
        is_bool = isinstance(value, bool)
        if not isinstance(value, types[key]) or (is_bool and bool not in types[key]):
            raise InputError(f"field '{key}' has the wrong type ({type(value).__name__})")
    if not data["id"] or not data["function"].strip():
        raise InputError("'id' and 'function' must not be empty")
    get_backend(data.get("backend", "sat"))
    if data.get("expected", "realizable") not in EXPECTED:
        raise InputError(f"'expected' must be one of {', '.join(EXPECTED)}")
    if not all(isinstance(tag, str) for tag in data.get("tags", ())):
        raise InputError("'tags' must be a list of strings")
    if "timeout" in data:
        check_seconds(data["timeout"], "'timeout'")
    if data.get("max_weight", 0) < 0 or data.get("max_bias", 0) < 0:
        raise InputError("'max_weight' and 'max_bias' must be non-negative")
    arch = data["arch"]
    files = {"function": reader_for(data["function"].strip()) is not None,
             "arch": isinstance(arch, str) and arch.strip().lower().endswith(".json")}
    for key, is_file in files.items():
        if is_file and not (base_dir / data[key].strip()).exists():
            raise InputError(f"missing file '{data[key].strip()}' ({key})")
    return dict(data)


def load_suite(path: str | Path) -> list[Instance]:
    """Every instance of a suite file, bad lines included (with ``error`` set).

    The suite's name is the file name without extension. Blank lines are skipped; an id used
    twice makes the second instance an error. The file is UTF-8 text (a byte-order mark is
    allowed); a file that is not is refused as a whole, naming its first bad line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise EnvironmentFailure(f"cannot read suite {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        lineno = data[: err.start].count(b"\n") + 1
        raise InputError(f"{path}:{lineno}: not UTF-8 text (a suite is a UTF-8 JSON Lines file)") from None
    instances: list[Instance] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.split("\n"), 1):  # not splitlines: U+2028 may be in a string
        if not line.strip():
            continue
        inst = parse_instance(line, path.stem, path.parent, lineno)
        if inst.id in seen:
            inst = Instance(path.stem, f"{inst.id} (line {lineno})", error=f"duplicate id '{inst.id}'")
        if inst.error:
            inst = Instance(inst.suite, inst.id, error=f"{path.name}:{lineno}: {inst.error}")
        seen.add(inst.id)
        instances.append(inst)
    return instances


# -- one instance -------------------------------------------------------------------------------

def make_record(inst: Instance, backend: str, limit: float, status: str, time_s: float,
                verified: bool | None = None, reason: str = "",
                network: dict[str, Any] | None = None) -> dict[str, Any]:
    """A result line: instance id, backend, status, expected, category, time, verified, ...
    and, for a REALIZABLE answer, the verified witness ``network`` (realize's network JSON, as
    ``check --save NET.json`` writes it: `Network.from_dict` reads it back)."""
    record = {
        "suite": inst.suite, "id": inst.id, "backend": backend, "status": status,
        "expected": inst.expected, "category": categorize(status, inst.expected),
        "time": round(time_s, 4), "verified": verified, "timeout": limit,
        "family": inst.family or inst.suite, "tags": list(inst.tags),
    }
    if reason:
        record["reason"] = reason
    if network is not None:
        record["network"] = network
    return record


def solve_instance(inst: Instance, backend: str, limit: float) -> dict[str, Any]:
    """Answer one instance in this process (``check`` with a soft limit); never raises."""
    start = time.perf_counter()
    status, verified, reason, network = "error", None, inst.error, None
    if not inst.error:
        try:
            arch = inst.architecture()
            question = dict(max_weight=inst.max_weight, max_bias=inst.max_bias,
                            nonneg=inst.nonneg, backend=backend, timeout=limit)
            circuit = wide_circuit(inst.function, arch, Path(inst.base_dir))
            if circuit is not None:  # over 20 inputs: checked against the circuit by a miter
                result = check_circuit(circuit, arch, **question)
            else:
                f = parse_function(inst.function, arch.n_inputs, base_dir=Path(inst.base_dir))
                result = check(f, arch, **question)
        except InputError as err:
            reason = str(err)
        except VerificationError as err:
            reason = f"witness failed verification: {err}"
        except Exception as err:  # a bug in the library: report it, keep the suite running
            reason = f"internal error: {type(err).__name__}: {err}"
        else:
            status = "timeout" if result.status is Status.UNKNOWN else result.status.value
            verified = True if result.status is Status.REALIZABLE else None
            reason = result.reason
            network = result.network.to_dict() if result.network is not None else None
    return make_record(inst, backend, limit, status, time.perf_counter() - start, verified, reason,
                       network)


# -- worker processes ----------------------------------------------------------------------------

def _worker_main(conn: Any) -> None:
    """Child process: answer instances until the pipe closes; exit if the parent dies.

    Ctrl-C is the parent's business (it kills its workers and keeps the results): a worker
    ignores SIGINT, which the terminal sends to the whole process group. It is blocked from
    before the start (`IsolatedWorker._start`), so that no interrupt can reach the interpreter
    while it starts either.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = os.getppid()

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch_parent, daemon=True).start()
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task[1] != "sat":
            import realize.encodings.smt  # noqa: F401  (z3 loads outside the instance's time)
        conn.send(solve_instance(*task))


_DAEMON_LOCK = threading.Lock()


@contextmanager
def _allow_children() -> Iterator[None]:
    """Let a daemonic process (a Dask worker) start a worker process.

    multiprocessing forbids it so that no child outlives a daemon killed without clean-up; our
    children watch their parent and exit when it is gone, so the rule can be lifted here.
    """
    config = multiprocessing.current_process()._config
    with _DAEMON_LOCK:
        daemon = config.get("daemon", False)
        config["daemon"] = False
        try:
            yield
        finally:
            config["daemon"] = daemon


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread: a process started meanwhile inherits the mask, so a Ctrl-C
    cannot interrupt it before `_worker_main` ignores SIGINT for good.

    multiprocessing's resource tracker is started first: starting it unblocks SIGINT in the
    calling thread (``SIG_UNBLOCK``, not a restore), which would undo the block.
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class IsolatedWorker:
    """A ``spawn`` child process that answers instances one at a time.

    `run` waits for the answer at most the instance's limit plus `GRACE` seconds, then kills the
    child (the next `run` starts a fresh one) and reports ``timeout``; a child that dies is
    reported as ``error``.
    """

    def __init__(self, grace: float = GRACE) -> None:
        self.grace = grace
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        conn, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        try:
            with _allow_children(), _sigint_blocked():
                proc.start()
        finally:
            child.close()
        self._proc, self._conn = proc, conn
        if not conn.poll(STARTUP_LIMIT):
            self.close()
            raise RuntimeError(f"a worker process did not start within {STARTUP_LIMIT:.0f} s")
        try:
            conn.recv()
        except EOFError:
            self.close()
            raise RuntimeError("a worker process died while starting") from None

    def run(self, inst: Instance, backend: str, limit: float) -> dict[str, Any]:
        """The record of one instance, answered in the child process under a hard limit."""
        if inst.error:
            return solve_instance(inst, backend, limit)
        if self._proc is None:
            try:
                self._start()
            except (AssertionError, OSError, RuntimeError) as err:  # e.g. in a daemonic process
                return make_record(inst, backend, limit, "error", 0.0,
                                   reason=f"cannot start a worker process: {err}")
        start = time.perf_counter()
        try:
            self._conn.send((inst, backend, limit))
            if self._conn.poll(limit + self.grace):
                return self._conn.recv()
            status, reason = "timeout", f"killed after {limit + self.grace:g} s (hard limit)"
        except (EOFError, OSError):
            self._proc.join(5)
            status, reason = "error", f"worker process died (exit code {self._proc.exitcode})"
        elapsed = time.perf_counter() - start
        self.close()
        return make_record(inst, backend, limit, status, elapsed, reason=reason)

    def kill(self) -> None:
        """Kill the child now (safe from another thread: `run` then reports an error)."""
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()

    def close(self) -> None:
        """Kill the child and release the pipe."""
        if self._proc is not None:
            self.kill()
            self._proc.join()
            self._conn.close()
        self._proc = self._conn = None


_IDLE: queue.SimpleQueue[IsolatedWorker] = queue.SimpleQueue()
_LIVE: set[IsolatedWorker] = set()
_LIVE_LOCK = threading.Lock()


def run_isolated(inst: Instance, backend: str, limit: float, grace: float = GRACE) -> dict[str, Any]:
    """Answer one instance in a worker process of this process's pool (made on demand).

    This is the task both executors run: threads of the local pool, or Dask tasks (whose time
    limit must live inside the task, since Dask cannot cancel a running one).
    """
    try:
        worker = _IDLE.get_nowait()
    except queue.Empty:
        worker = IsolatedWorker()
        with _LIVE_LOCK:
            _LIVE.add(worker)
    worker.grace = grace
    try:
        return worker.run(inst, backend, limit)
    finally:
        _IDLE.put(worker)


def kill_workers() -> None:
    """Kill every worker process this process started (busy ones included)."""
    with _LIVE_LOCK:
        workers = list(_LIVE)
    for worker in workers:
        worker.kill()


# -- runs ----------------------------------------------------------------------------------------

@dataclass
class SuiteRun:
    """The records of a run, in suite order (resumed ones included), and where they went."""

    records: list[dict[str, Any]]
    out: str | None = None
    resumed: int = 0
    executor: str = "local"
    summary: Summary = field(init=False, repr=False)

    def __post_init__(self) -> None:

        self.summary = summarize(self.records)

    @property
    def wrong(self) -> int:
        """Number of wrong answers (the command's exit code is 1 if there is any)."""
        return sum(r["category"] == "wrong" for r in self.records)

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "resumed": self.resumed, "executor": self.executor,
                "summary": self.summary.to_dict(), "records": self.records}


def parse_backends(text: str | Sequence[str] | None) -> list[str] | None:
    """``"sat,smt"`` -> ``["sat", "smt"]``; None stays None (each instance's own backend).

    >>> parse_backends("sat, smt-real")
    ['sat', 'smt-real']
    """
    if text is None:
        return None
    names = [b.strip() for b in text.split(",")] if isinstance(text, str) else list(text)
    for name in names:
        get_backend(name)
    if not names or len(set(names)) != len(names):
        raise InputError("--backend needs distinct backend names, e.g. sat,smt")
    return names


def read_records(path: str | Path, repair: bool = False) -> list[dict[str, Any]]:
    """The records of a result file. A last line cut short by a killed run is ignored (and cut
    off the file when ``repair``, so that appending continues cleanly).

    Every record is checked (`check_record`); a bad one is an `InputError` naming the file and
    line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise EnvironmentFailure(f"cannot read results {path}: {err.strerror or err}") from None
    complete = data[: data.rfind(b"\n") + 1]
    records = []
    for lineno, line in enumerate(complete.split(b"\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        records.append(check_record(parse_json(line, where), where))
    if repair and complete != data:
        try:
            with path.open("r+b") as fh:
                fh.truncate(len(complete))
        except OSError as err:
            raise EnvironmentFailure(f"cannot repair {path}: {err.strerror or err}") from None
    return records


def check_record(record: Any, where: str) -> dict[str, Any]:
    """``record`` if it is a result record as `make_record` writes them (the `RECORD_KEYS`, the
    `RECORD_TYPES`, a known status and category, a finite time); else `InputError` at ``where``.

    >>> check_record({"id": "a", "backend": "sat", "status": "timeout", "category": "unknown",
    ...               "time": "fast"}, "r.jsonl:3")
    Traceback (most recent call last):
    ...
    realize.errors.InputError: r.jsonl:3: field 'time' has the wrong type (str)
    """
    if not isinstance(record, dict) or not record.keys() >= RECORD_KEYS:
        raise InputError(f"{where}: not a result record of 'realize suite'")
    for key, types in RECORD_TYPES.items():
        if key not in record:
            continue
        value = record[key]
        fits = (value is None and None in types) or (
            value is not None and isinstance(value, tuple(t for t in types if t is not None))
            and not (isinstance(value, bool) and bool not in types))
        if not fits:
            raise InputError(f"{where}: field '{key}' has the wrong type ({type(value).__name__})")
    if record["status"] not in STATUSES:
        raise InputError(f"{where}: unknown status '{record['status']}'")
    if record["category"] not in CATEGORIES:
        raise InputError(f"{where}: unknown category '{record['category']}'")
    for key in ("time", "timeout"):
        if record.get(key) is not None and check_finite(record[key], f"{where}: '{key}'") < 0:
            raise InputError(f"{where}: '{key}' must not be negative, got {record[key]}")
    if not all(isinstance(tag, str) for tag in record.get("tags", ())):
        raise InputError(f"{where}: 'tags' must be a list of strings")
    return record


def _key(record: dict[str, Any]) -> tuple[str, str, str]:
    return record.get("suite", ""), record["id"], record["backend"]


@contextmanager
def _executor(kind: str, jobs: int, scheduler: str | None) -> Iterator[Executor]:
    if kind == "local":
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            yield pool
        return
    # threads suffice in a LocalCluster: each task drives a worker process of its own
    with dask_client(scheduler, n_workers=1, threads_per_worker=jobs, processes=False) as client:
        yield client.get_executor(pure=False)


def run_suite(
    paths: Sequence[str | Path],
    *,
    backends: str | Sequence[str] | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    grace: float = GRACE,
    on_record: Callable[[dict[str, Any], int], None] | None = None,
) -> SuiteRun:
    """Run suite files: every instance on every backend, each in a killable worker process.

    ``backends`` (a list or ``"sat,smt"``) runs every instance on each; by default each instance
    runs on its own ``backend`` field, else ``sat``. ``timeout`` is the limit of instances that
    have no ``timeout`` field (default `DEFAULT_TIMEOUT`). Records are appended to ``out`` as
    they finish; ``resume`` keeps the records already there and runs only the rest (without it
    an existing ``out`` is refused). ``executor`` is ``local`` (``jobs`` worker processes) or
    ``dask`` (the cluster at ``scheduler``, or an in-process LocalCluster of ``jobs`` threads).
    ``on_record(record, total)`` is called with every new record and the number of instances
    this run answers (progress display).

    ``out`` is checked before anything runs (`realize.apps.outputs.check_target`). If writing
    it fails later (a full disk), the run stops at once and raises `ResultsNotSaved`, which
    carries the records obtained so far; the lines already written stay for ``resume``.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    if timeout is not None:
        check_seconds(timeout)
    if resume and out is None:
        raise InputError("--resume needs --out (the results file to continue)")
    if out is not None:
        check_target(out, "--out")
    if executor not in ("local", "dask"):
        raise InputError(f"unknown executor '{executor}' (choose from local, dask)")
    if scheduler and executor != "dask":
        raise InputError("--scheduler needs --executor dask")
    names = parse_backends(backends)
    suites: dict[str, Path] = {}
    instances: list[Instance] = []
    for path in paths:
        stem = Path(path).stem
        if stem in suites:
            raise InputError(f"two suites are named '{stem}': {suites[stem]} and {path}")
        suites[stem] = Path(path)
        instances.extend(load_suite(path))
    if not instances:
        raise InputError("the suites hold no instances")
    tasks = [(inst, b, inst.timeout or timeout or DEFAULT_TIMEOUT)
             for inst in instances for b in (names or [inst.backend or "sat"])]
    done: dict[tuple[str, str, str], dict[str, Any]] = {}
    if out is not None and Path(out).exists() and Path(out).stat().st_size:
        if not resume:
            raise InputError(f"{out} exists: pass --resume to continue it, or remove it")
        done = {_key(r): r for r in read_records(out, repair=True)}
    wanted = {(inst.suite, inst.id, b) for inst, b, _ in tasks}
    resumed = len(wanted & done.keys())
    todo = [t for t in tasks if (t[0].suite, t[0].id, t[1]) not in done]
    sink = _Sink(out) if out is not None else None
    try:
        if todo:
            with _executor(executor, jobs, scheduler) as pool:
                futures = {pool.submit(run_isolated, *task, grace): task for task in todo}
                try:
                    for future in as_completed(futures):
                        try:
                            record = future.result()
                        except Exception as err:  # e.g. a Dask worker lost with its task
                            record = make_record(*futures[future], "error", 0.0,
                                                 reason=f"task failed: {type(err).__name__}: {err}")
                        done[_key(record)] = record
                        if sink is not None:
                            sink.append(record)
                        if on_record is not None:
                            on_record(record, len(todo))
                except BaseException:
                    for future in futures:
                        future.cancel()
                    kill_workers()
                    raise
    except _SinkFailed as failed:
        assert sink is not None
        records = [done[key] for key in ((i.suite, i.id, b) for i, b, _ in tasks) if key in done]
        new = sum((inst.suite, inst.id, b) in done for inst, b, _ in todo)
        raise ResultsNotSaved(
            f"cannot write {out}: {failed.reason}; the run stopped after {new} of {len(todo)} "
            f"results ({sink.written} saved; continue with --resume)",
            SuiteRun(records, str(out), resumed, executor)) from None
    finally:
        if sink is not None:
            sink.close()
        _close_idle()  # the local pool's workers (and those of an in-process LocalCluster)
    records = [done[(inst.suite, inst.id, b)] for inst, b, _ in tasks]
    return SuiteRun(records, None if out is None else str(out), resumed, executor)


class ResultsNotSaved(EnvironmentFailure):
    """Writing the results file failed during a run (a full disk): the run stopped. ``run`` holds
    every record obtained so far (resumed ones included), whether or not it reached the file."""

    def __init__(self, message: str, run: SuiteRun) -> None:
        super().__init__(message)
        self.run = run


class _SinkFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Sink:
    """The results file, appended to one record (one line, flushed to disk) at a time."""

    def __init__(self, path: str | Path) -> None:
        self.written = 0
        try:
            self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed by close)
            self._sync = stat.S_ISREG(os.fstat(self._fh.fileno()).st_mode)
        except OSError as err:
            raise EnvironmentFailure(f"cannot write {path} (--out): {err.strerror or err}") from None

    def append(self, record: dict[str, Any]) -> None:
        """Write one record; `_SinkFailed` if the file refuses it."""
        try:
            self._fh.write(json.dumps(record) + "\n")
            self._fh.flush()
            if self._sync:  # a regular file: to the disk (a device or pipe cannot fsync)
                os.fsync(self._fh.fileno())
        except OSError as err:
            raise _SinkFailed(err.strerror or str(err)) from None
        self.written += 1

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the flush of a line that failed: append reported it
            self._fh.close()


def _close_idle() -> None:
    """Stop the worker processes of the local pool once a run is over."""
    while True:
        try:
            worker = _IDLE.get_nowait()
        except queue.Empty:
            return
        worker.close()
        with _LIVE_LOCK:
            _LIVE.discard(worker)

