"""The ``realize`` command: argument parsing and printing only; the logic lives in the library.

Exit codes follow SAT solvers: 10 realizable, 20 unrealizable, 0 unknown; 2 bad input or usage;
1 internal error; 130 interrupted.

One error boundary (`run`): bad input, an unsupported request and a failing environment
(unreadable or unwritable files, a full disk, a closed stdout) are one line on stderr,
``realize: error: ...``, and exit 2; under ``--json`` also ``{"error": ..., "kind": ...}`` on
stdout (kind ``input``, ``unsupported`` or ``environment``). A failed verification is exit 1
(``realize: internal error: ...``; kind ``internal``); any other exception is a bug: exit 1 with
its traceback. Output files are checked before the work starts (`realize.apps.outputs`); if one
fails only afterwards (a full disk), the answer is printed all the same (under ``--json`` as
``result`` inside the error object) before the error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from realize import __version__
from realize.errors import EnvironmentFailure, InputError, UnsupportedError, VerificationError

EXIT_INPUT = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit 2.

    The message names the subcommand (``check: the following arguments are required: --arch``);
    `run` adds the one ``realize: error:`` prefix.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.partition(" ")[2]
        raise InputError(f"{command}: {message}" if command else message)


def error_kind(err: InputError) -> str:
    """``unsupported``, ``environment`` (an `EnvironmentFailure`, or an error raised while
    handling an `OSError`: a file that could not be read) or ``input``."""
    if isinstance(err, UnsupportedError):
        return "unsupported"
    if isinstance(err, EnvironmentFailure) or isinstance(err.__context__, OSError):
        return "environment"
    return "input"


class _GuardedStdout:
    """``sys.stdout`` while a command runs: a write or flush that fails (a closed pipe, a full
    disk) raises an `EnvironmentFailure` instead of an `OSError` from wherever it was printed.

    Text goes down in pieces of at most `CHUNK` characters: CPython's buffered writer reports a
    partial write of a large piece to a pipe closed meanwhile as a success, and the text layer
    drops the rest without an error; pieces that fit its buffer are written in full or fail.
    """

    CHUNK = 1024

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failed = False

    def _failure(self, err: OSError) -> EnvironmentFailure:
        self.failed = True
        if isinstance(err, BrokenPipeError) or err.errno == errno.EPIPE:
            return EnvironmentFailure("cannot write to stdout: the reader closed the pipe")
        return EnvironmentFailure(f"cannot write to stdout: {err.strerror or err}")

    def write(self, text: str) -> int:
        if self.failed:
            raise EnvironmentFailure("cannot write to stdout")
        try:
            for start in range(0, len(text), self.CHUNK):
                self.stream.write(text[start:start + self.CHUNK])
        except OSError as err:
            raise self._failure(err) from None
        return len(text)

    def flush(self) -> None:
        if self.failed:
            return
        try:
            self.stream.flush()
        except OSError as err:
            raise self._failure(err) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _tell(line: str) -> None:
    """One line on stderr (nothing if stderr itself is gone)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _answer(args: argparse.Namespace, data: dict[str, Any], text: str,
            failure: InputError | None = None) -> None:
    """Print the answer (JSON under ``--json``, else text), then raise ``failure`` (an output
    that could not be written after the work): the answer is kept, printed before the error,
    or under ``--json`` inside the error object (as ``result``)."""
    as_json = getattr(args, "json", False)
    if failure is not None and as_json:
        failure.result = data  # type: ignore[attr-defined]  (run puts it in the JSON error)
        raise failure
    print(json.dumps(data) if as_json else text)
    if failure is not None:
        raise failure


def _attempt(write: Callable[[], object]) -> InputError | None:
    """Run ``write`` (an output written after the work); its `InputError`, or None."""
    try:
        write()
    except InputError as err:
        return err
    return None


def add_problem_arguments(
    p: argparse.ArgumentParser, backend: bool = True, function: bool = True, arch: bool = True
) -> None:
    """FUNCTION, --arch and the bounds: shared by every command that poses the question."""
    if function:
        p.add_argument("function", metavar="FUNCTION",
                       help="hex truth table(s) (e.g. e8 or 8,e), a family (xor, majority, "
                            "threshold:2, ...), an expression (\"x0 & (x1 | x2)\"), a .pla/.csv/.blif/"
                            ".aag/.aig file, or - for standard input")
    if arch:
        p.add_argument("--arch", required=True,
                       help="layered architecture n-h1-...-m (e.g. 4-2-1) or a DAG file (.json)")
    p.add_argument("--skip", action="store_true",
                   help="skip connections: every unit also reads the inputs and all earlier layers")
    p.add_argument("--max-weight", type=int, metavar="W",
                   help="every weight in [-W, W] (default: exact mode, W*(fan-in) per unit)")
    p.add_argument("--max-bias", type=int, metavar="B", help="every bias in [-B, B]")
    p.add_argument("--nonneg", action="store_true", help="all weights >= 0")
    if backend:
        from realize.backends.registry import BACKENDS, backend_names

        p.add_argument("--backend", default="sat", choices=backend_names(),
                       help="; ".join(f"{b.name}: {b.summary}" for b in BACKENDS.values())
                            + "; smt-real: smt over unbounded real weights (default: sat)")
    p.add_argument("--no-symmetry", action="store_true", help="no symmetry breaking")


def add_numbers_argument(p: argparse.ArgumentParser, default: str) -> None:
    """``--numbers``: the CNF's number encoding, the choices read from the registry."""
    from realize.encodings.numbers import BINARY_ABOVE, number_choices

    note = f"auto: binary when some weight bound exceeds {BINARY_ABOVE}, else order"
    p.add_argument("--numbers", default=default, choices=number_choices(),
                   help=f"number encoding of weights and biases in the CNF ({note}; "
                        f"default: {default})")


def _witness_saver(path: str | None) -> Callable[[Any], InputError | None]:
    """``--save PATH``: the file and its format (by suffix) are checked before the work; the
    function returned writes a network after it (None: nothing to write) and returns the
    failure, if any."""
    if path is None:
        return lambda net: None
    from realize.apps.outputs import check_target, write_file
    from realize.writers.registry import writer_for

    check_target(path, "--save")
    writer = writer_for(path, "--save")
    writer.require()
    return lambda net: None if net is None else _attempt(
        lambda: write_file(path, lambda target: writer.save(net, target), "--save"))


def _cmd_check(args: argparse.Namespace) -> int:
    from realize.pipeline import check
    from realize.spec.architecture import parse_architecture
    from realize.spec.functions import MAX_TABLE_INPUTS

    save = _witness_saver(args.save)  # the --proof folder is checked by realize.check
    arch = parse_architecture(args.arch, skip=args.skip)
    question = dict(
        max_weight=args.max_weight, max_bias=args.max_bias, nonneg=args.nonneg,
        backend=args.backend, timeout=args.timeout, solver=args.solver,
        symmetry=not args.no_symmetry, numbers=args.numbers, certificate=args.certificate,
        smallest=args.smallest, proof=args.proof, cegis=args.cegis, jobs=args.jobs,
        check_proof=not args.no_check_proof,
    )
    result = None
    if arch.n_inputs > MAX_TABLE_INPUTS:  # no table fits: a circuit is checked as a circuit
        from realize.apps.circuit_check import check_circuit, wide_circuit

        circuit = wide_circuit(args.function, arch)
        if circuit is not None:
            result = check_circuit(circuit, arch, **question)
    if result is None:
        result = check(args.function, arch, **question)
    _answer(args, result.to_dict(), str(result), save(result.network))
    return result.status.exit_code


def _cmd_proof_check(args: argparse.Namespace) -> int:
    from realize.explain.proofs import check_bundle

    verdict = check_bundle(args.bundle, jobs=args.jobs)
    print(json.dumps(verdict.to_dict()) if args.json else verdict.report())
    return verdict.exit_code


def _cmd_counterexample(args: argparse.Namespace) -> int:
    from realize.explain.counterexample import find_counterexamples
    from realize.spec.network import Network

    net = Network.load(args.network)
    result = find_counterexamples(net, args.function, all_rows=args.all, limit=args.limit,
                                  method=args.method, solver=args.solver)
    print(json.dumps(result.to_dict()) if args.json else result.report(args.network))
    return result.status.exit_code


def _cmd_eval(args: argparse.Namespace) -> int:
    from realize.spec.network import Network

    net = Network.load(args.network)
    f = net.function()
    tables = f.to_hex().split(",")
    names = [net.arch.unit_names[u] for u in net.arch.outputs]  # y0, y1, ... when layered
    if args.json:
        print(json.dumps({"inputs": f.n, "outputs": f.m, "tables": tables, "names": names}))
    else:
        for name, table in zip(names, tables, strict=True):
            print(f"{name}: {table}")
    return 0


def _cmd_encode(args: argparse.Namespace) -> int:
    from realize.apps.outputs import check_target, write_text
    from realize.backends.registry import bounds_for
    from realize.pipeline import resolve

    if args.real and args.format == "dimacs":
        raise UnsupportedError("--real needs --format smt2 (real weights have no CNF)")
    to_stdout = args.output in (None, "-")
    if not to_stdout:
        check_target(args.output, "-o")
    f, arch = resolve(args.function, args.arch, args.skip)
    if args.format == "dimacs":
        from realize.encodings.cnf import build_cnf

        bounds = bounds_for("sat", args.max_weight, args.max_bias, args.nonneg)
        text = build_cnf(f, arch, bounds, symmetry=not args.no_symmetry,
                         numbers=args.numbers).to_dimacs()
    else:
        from realize.encodings.smt import build_smt

        backend = "smt-real" if args.real else "smt"
        bounds = bounds_for(backend, args.max_weight, args.max_bias, args.nonneg)
        text = build_smt(f, arch, bounds, symmetry=not args.no_symmetry).to_smt2()
    if to_stdout:
        sys.stdout.write(text)
    else:
        write_text(args.output, text, "-o")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from realize.apps.outputs import check_target, write_file
    from realize.spec.network import Network
    from realize.writers.registry import writer_for, writer_named

    to_stdout = args.output in (None, "-")
    if args.format is None and to_stdout:
        raise InputError("export: name the format (--format) or a file whose suffix names it (-o)")
    writer = writer_named(args.format) if args.format is not None else writer_for(args.output, "-o")
    writer.require()
    if to_stdout and writer.binary:
        raise InputError(f"export: {writer.name} is a binary format: name a file with -o")
    if not to_stdout:
        check_target(args.output, "-o")
    net = Network.load(args.network)
    if to_stdout:
        sys.stdout.write(writer.render(net))
    else:
        write_file(args.output, lambda target: writer.save(net, target), "-o")
    return 0


def _cmd_suite(args: argparse.Namespace) -> int:
    from realize.apps.outputs import check_targets
    from realize.apps.report import Progress, format_summary, write_csv
    from realize.apps.suite import ResultsNotSaved, run_suite

    check_targets((args.csv, "--csv"))  # --out: run_suite checks it
    failure: InputError | None = None
    try:
        run = run_suite(
            args.suites, backends=args.backend, jobs=args.jobs, timeout=args.timeout, out=args.out,
            resume=args.resume, executor=args.executor, scheduler=args.scheduler,
            on_record=None if args.quiet else Progress(),
        )
    except KeyboardInterrupt:
        kept = f"; the results so far are in {args.out} (continue with --resume)" if args.out else ""
        _tell(f"\nrealize: interrupted{kept}")
        return EXIT_INTERRUPTED
    except ResultsNotSaved as err:  # --out failed mid-run: keep the records in the CSV and summary
        run, failure = err.run, err
    if args.csv is not None:
        failure = _attempt(lambda: write_csv(run.records, args.csv)) or failure
    _answer(args, run.to_dict(), format_summary(run.summary), failure)
    return 1 if run.wrong else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from realize.apps.outputs import check_targets
    from realize.apps.report import cactus_plot, format_summary, summarize, write_csv
    from realize.apps.suite import read_records

    check_targets((args.plot, "--plot"), (args.csv, "--csv"))
    records = [r for path in args.results for r in read_records(path)]
    summary = summarize(records)
    failure = None
    if args.benchexec is not None:
        from realize.apps.benchexec import write_benchexec

        failure = _attempt(lambda: write_benchexec(records, args.benchexec))
    if args.plot is not None:
        failure = _attempt(lambda: cactus_plot(records, args.plot))
    if args.csv is not None:
        failure = failure or _attempt(lambda: write_csv(records, args.csv))
    _answer(args, summary.to_dict(), format_summary(summary), failure)
    return 1 if summary.wrong else 0


def _cmd_count(args: argparse.Namespace) -> int:
    from realize.apps.counting import count
    from realize.apps.outputs import check_targets, write_text

    check_targets((args.list, "--list"))
    bar = _progress_bar(args)
    try:
        result = count(
            args.arch, skip=args.skip, max_weight=args.max_weight, max_bias=args.max_bias,
            nonneg=args.nonneg, method=args.method, by_class=args.by_class,
            keep_functions=args.list is not None, symmetry=not args.no_symmetry, progress=bar,
        )
    finally:
        if bar is not None:
            bar.close()
    failure = None
    if args.list is not None:
        lines = "".join(line + "\n" for line in result.hex_lines())
        failure = _attempt(lambda: write_text(args.list, lines, "--list"))
    _answer(args, result.to_dict(), result.describe(), failure)
    return 0


def _cmd_survey(args: argparse.Namespace) -> int:
    from realize.apps.outputs import check_targets
    from realize.apps.survey import capacity_plot, stored_survey, survey, write_table
    from realize.spec.npn import MAX_CLASSES_INPUTS

    check_targets((args.store, "--store"), (args.table, "--table"), (args.plot, "--plot"))
    if args.summary:
        found = stored_survey(args.inputs, args.store, skip=args.skip)
    else:
        bar = _progress_bar(args)
        try:
            found = survey(args.inputs, store=args.store, skip=args.skip, timeout=args.timeout,
                           executor=args.executor, scheduler=args.scheduler, jobs=args.jobs,
                           resume=args.resume, sample=args.sample, seed=args.seed,
                           tables=not args.no_tables, progress=bar)
        except KeyboardInterrupt:
            _tell(f"\nrealize: interrupted; the classes done are in {args.store} "
                  "(continue with --resume)")
            return EXIT_INTERRUPTED
        finally:
            if bar is not None:
                bar.close()
    failure = None
    if args.table is not None:
        failure = _attempt(lambda: write_table(args.store, args.inputs, args.table))
    if args.plot is not None:
        smaller = [survey(n, store=":memory:", skip=args.skip, jobs=1)
                   for n in range(3, min(args.inputs, MAX_CLASSES_INPUTS + 1))]
        shown = [*smaller, *([found] if found.complete else [])]
        failure = failure or _attempt(lambda: capacity_plot(shown, args.plot))
    _answer(args, found.to_dict(), found.report(), failure)
    return 0


def _progress_bar(args: argparse.Namespace) -> Any:
    """The `ProgressBar` of a long command on a terminal; None under ``--quiet`` or off one."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from realize.apps.progress import ProgressBar

    return ProgressBar()


def _cmd_minimize(args: argparse.Namespace) -> int:
    from realize.apps.minimize import MinimumCache, minimize
    from realize.apps.outputs import check_targets

    if args.layered and args.skip:
        raise InputError("choose --layered or --skip, not both")
    save = _witness_saver(args.save)
    check_targets((args.cache, "--cache"))
    cache = MinimumCache(args.cache) if args.cache is not None else None
    result = minimize(
        args.function, args.inputs, skip=args.skip, depth=args.depth, max_weight=args.max_weight,
        max_bias=args.max_bias, nonneg=args.nonneg, backend=args.backend, timeout=args.timeout,
        max_units=args.max_units, cache=cache, symmetry=not args.no_symmetry,
        certificate=args.certificate, portfolio=not args.no_portfolio,
    )
    failure = None if cache is None else _attempt(cache.save)
    failure = failure or save(result.network)
    _answer(args, result.to_dict(), result.report(), failure)
    return result.exit_code


def _cmd_classify(args: argparse.Namespace) -> int:
    from realize.apps.classify import classify
    from realize.apps.minimize import MinimumCache
    from realize.apps.outputs import check_targets

    check_targets((args.cache, "--cache"))
    cache = MinimumCache(args.cache)
    bar = _progress_bar(args)
    try:
        result = classify(args.inputs, skip=args.skip, depth=args.depth, backend=args.backend,
                          timeout=args.timeout, cache=cache, workers=args.jobs, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    _answer(args, result.to_dict(), result.report(), _attempt(cache.save))
    return 0


SAVE_HELP = ("save the witness network; the suffix names the format: .json (or none), .blif, .v, "
             ".aag, .aig, .onnx (see export)")


def _add_check(p: argparse.ArgumentParser) -> None:
    add_problem_arguments(p)
    p.add_argument("--timeout", type=float, metavar="S", help="give up (UNKNOWN) after S seconds")
    p.add_argument("--solver", default="cadical195", help="pysat solver name (sat backend)")
    add_numbers_argument(p, "auto")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", metavar="FILE", help=SAVE_HELP)
    p.add_argument("--certificate", action="store_true",
                   help="if unrealizable: a verified subset-minimal set of rows no network fits")
    p.add_argument("--smallest", action="store_true",
                   help="if unrealizable: a certificate of minimum size (implies --certificate)")
    p.add_argument("--proof", metavar="DIR",
                   help="if unrealizable: write a proof bundle to the folder DIR (CNFs, DRAT "
                        "proofs, manifest.json; of the certificate rows with --certificate) and "
                        "check it with dratify")
    p.add_argument("--no-check-proof", action="store_true",
                   help="write the --proof bundle without checking it (realize proof check DIR later)")
    p.add_argument("--cegis", action=argparse.BooleanOptionalAction, default=None,
                   help="decide on growing row subsets (default: for 512+ care rows "
                        "and no hidden units)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="worker processes for a long case split (exact mode, n-k-1; default: 1)")
    p.set_defaults(run=_cmd_check)


def _add_proof(p: argparse.ArgumentParser) -> None:
    proof_sub = p.add_subparsers(dest="proof_command", metavar="check", required=True,
                                 parser_class=_Parser)
    q = proof_sub.add_parser("check", help="re-check a bundle: exit 20 when every part checks and "
                                           "nothing is unproven, 1 otherwise",
                             epilog=COMMANDS["proof"].epilog(),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("bundle", metavar="DIR", help="the folder written by check --proof")
    q.add_argument("--jobs", type=int, metavar="N", help="checker processes (default: all CPUs)")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q.set_defaults(run=_cmd_proof_check)


def _add_counterexample(p: argparse.ArgumentParser) -> None:
    p.add_argument("function", metavar="FUNCTION",
                   help="as for check; for n > 20 a circuit (expressions, .blif, .aag, .aig: "
                        "SAT miter) or a .pla/.csv file")
    p.add_argument("--network", required=True, metavar="NET.json", help="the network (JSON)")
    p.add_argument("--all", action="store_true", help="list every disagreeing row, with the count")
    p.add_argument("--limit", type=int, default=10, metavar="K",
                   help="rows listed without --all (default 10)")
    p.add_argument("--method", choices=["auto", "evaluate", "sat"], default="auto",
                   help="evaluate the table with numpy or ask a SAT miter (expressions); "
                        "default: evaluate when n <= 20")
    p.add_argument("--solver", default="cadical195", help="pysat solver name (SAT miter)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=_cmd_counterexample)


def _add_eval(p: argparse.ArgumentParser) -> None:
    p.add_argument("network", metavar="NETWORK.json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_eval)


def _add_encode(p: argparse.ArgumentParser) -> None:
    add_problem_arguments(p, backend=False)
    p.add_argument("--format", choices=["dimacs", "smt2"], default="dimacs")
    p.add_argument("--real", action="store_true", help="smt2 only: real-valued weights")
    add_numbers_argument(p, "order")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.set_defaults(run=_cmd_encode)


def _add_export(p: argparse.ArgumentParser) -> None:
    from realize.writers.registry import WRITERS

    p.add_argument("network", metavar="NETWORK.json")
    p.add_argument("--format", choices=[w.name for w in WRITERS],
                   help="; ".join(f"{w.name} ({w.suffix}): {w.summary}" for w in WRITERS)
                        + " (default: by the suffix of -o)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file (default: stdout; aig and onnx need a file)")
    p.set_defaults(run=_cmd_export)


def _add_count(p: argparse.ArgumentParser) -> None:
    from realize.apps.counting import METHODS

    add_problem_arguments(p, backend=False, function=False)
    p.add_argument("--method", default="auto", choices=METHODS,
                   help="NPN or permutation classes, SAT enumeration, numpy enumeration, or "
                        "n-2-1 AND pairs (default: the fastest sound one)")
    p.add_argument("--by-class", action="store_true", help="list the NPN classes computed (n <= 4)")
    p.add_argument("--list", metavar="FILE", help="write every function computed (hex, one a line)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=_cmd_count)


def _add_minimize(p: argparse.ArgumentParser) -> None:
    add_problem_arguments(p, arch=False)
    p.add_argument("--inputs", type=int, metavar="N",
                   help="number of inputs (default: fixed by a hex table of 2+ digits or a PLA)")
    p.add_argument("--layered", action="store_true",
                   help="fewest hidden units per hidden layer of n-k-m (the default)")
    p.add_argument("--depth", type=int, default=1, metavar="D",
                   help="layered: D hidden layers of equal width (default 1)")
    p.add_argument("--max-units", type=int, metavar="K", help="try sizes up to K only")
    p.add_argument("--timeout", type=float, metavar="S", help="time limit of each check")
    p.add_argument("--cache", metavar="FILE", help="JSON file of known minima (read and extended)")
    p.add_argument("--certificate", action="store_true",
                   help="rows that no network one size below fits (verified, subset-minimal)")
    p.add_argument("--no-portfolio", action="store_true",
                   help="sat only (default: sat alternates with smt-real in doubling time slices)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", metavar="FILE", help=SAVE_HELP)
    p.set_defaults(run=_cmd_minimize)


def _add_classify(p: argparse.ArgumentParser) -> None:
    p.add_argument("--inputs", type=int, required=True, metavar="N", help="number of inputs (<= 4)")
    p.add_argument("--skip", action="store_true",
                   help="fewest units in all with skip connections (default: layered hidden units)")
    p.add_argument("--depth", type=int, default=1, metavar="D",
                   help="layered: D hidden layers of equal width (default 1)")
    p.add_argument("--backend", default="sat", choices=["sat", "smt"], help="default: sat")
    p.add_argument("--timeout", type=float, metavar="S", help="time limit of each check")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all CPUs)")
    p.add_argument("--cache", metavar="FILE", help="JSON file of known minima (read and extended)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=_cmd_classify)


def _add_survey(p: argparse.ArgumentParser) -> None:
    p.add_argument("--inputs", type=int, required=True, metavar="N", help="number of inputs")
    p.add_argument("--store", required=True, metavar="FILE",
                   help="SQLite file the results go into as they finish (created if missing)")
    p.add_argument("--layered", action="store_true",
                   help="fewest hidden units of n-k-1 (the default)")
    p.add_argument("--skip", action="store_true",
                   help="fewest units in all with skip connections")
    p.add_argument("--resume", action="store_true", help="continue a survey the store holds")
    p.add_argument("--sample", type=int, metavar="K", help="K classes drawn at random (--seed)")
    p.add_argument("--seed", type=int, default=0, help="of --sample (default 0)")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="time limit of each check (default: none; a class that runs out gets a range)")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local worker processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address (default: start a LocalCluster of --jobs workers)")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all CPUs)")
    p.add_argument("--no-tables", action="store_true",
                   help="SAT alone, without the table search for up to 3 hidden units (a cross-check)")
    p.add_argument("--summary", action="store_true",
                   help="only print the summary of what the store holds")
    p.add_argument("--table", metavar="FILE",
                   help="write the per-class table as CSV (.csv.gz: compressed)")
    p.add_argument("--plot", metavar="FILE",
                   help="capacity against hidden units for 3 inputs up to N (N when complete); "
                        "needs matplotlib")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=_cmd_survey)


def _add_suite(p: argparse.ArgumentParser) -> None:
    p.add_argument("suites", metavar="FILE", nargs="+", help="suite files (instances/README.md)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="instances run in parallel")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="limit per instance without a 'timeout' field (default 60)")
    p.add_argument("--backend", metavar="B[,B2...]",
                   help="run every instance on each backend (default: its own, else sat)")
    p.add_argument("--out", metavar="R.jsonl", help="append each result to this file as it ends")
    p.add_argument("--resume", action="store_true", help="keep the results in --out, run the rest")
    p.add_argument("--csv", metavar="FILE", help="also write the results as CSV")
    p.add_argument("--executor", choices=["local", "dask"], default="local",
                   help="local worker processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address (default: start a LocalCluster)")
    p.add_argument("--json", action="store_true", help="print the summary and records as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    p.set_defaults(run=_cmd_suite)


def _add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", metavar="R.jsonl", nargs="+")
    p.add_argument("--plot", metavar="FILE", help="cactus plot (e.g. cactus.png; needs matplotlib)")
    p.add_argument("--csv", metavar="FILE", help="also write the results as CSV")
    p.add_argument("--benchexec", metavar="FILE.xml",
                   help="BenchExec result XML for table-generator: one file per backend "
                        "(FILE.<backend>.xml when there are several)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=_cmd_report)


#: exit codes of the commands that answer a question the SAT way
SAT_EXITS = {10: "realizable", 20: "unrealizable", 0: "unknown (a time limit ran out)"}
#: exit codes every command shares
COMMON_EXITS = {2: "bad input or usage, or a file that cannot be read or written (one line on "
                   "stderr)", 1: "internal error (a witness failed verification: a bug)",
                EXIT_INTERRUPTED: "interrupted (Ctrl-C)"}


@dataclass(frozen=True)
class Command:
    """A command: its line in ``realize --help``, the function that adds its arguments, and
    what its own ``--help`` ends with: examples (command line, what it shows), each runnable
    from the repository's root in this order (the tests run them all), and its exit codes."""

    summary: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    examples: tuple[tuple[str, str], ...]
    exits: dict[int, str]

    def epilog(self) -> str:
        examples = "".join(f"  {line}\n      {what}\n" for line, what in self.examples)
        shared = {code: text for code, text in COMMON_EXITS.items() if code not in self.exits}
        codes = "".join(f"  {code:<4}{text}\n" for code, text in {**self.exits, **shared}.items())
        return f"examples:\n{examples}\nexit codes:\n{codes}"


MAJ3_NET = "instances/examples/maj3.json"

#: every command, in the order of ``realize --help``
COMMANDS: dict[str, Command] = {
    "check": Command("can the architecture compute the function?", _add_check, (
        ("realize check e8 --arch 3-1", "MAJ3 on one unit: REALIZABLE, the witness network"),
        ("realize check 6 --arch 2-1 --certificate",
         "XOR2 on one unit: UNREALIZABLE, with rows no network fits"),
        ("realize check parity --arch 4-4-1 --timeout 10 --json --save xor4.blif",
         "one JSON object; the witness as BLIF"),
    ), SAT_EXITS),
    "proof": Command("proof bundles of UNREALIZABLE answers", _add_proof, (
        ("realize check 96 --arch 3-2-1 --proof xor3-bundle",
         "XOR3 on 3-2-1: UNREALIZABLE, a proof bundle written and checked"),
        ("realize proof check xor3-bundle", "check the bundle again, from its files alone"),
    ), {20: "every part of the bundle checks and nothing is left unproven",
        1: "a part fails or is unproven"}),
    "counterexample": Command("where does a saved network disagree with f?", _add_counterexample, (
        (f"realize counterexample 96 --network {MAJ3_NET}", "the rows where MAJ3 is not XOR3"),
        (f"realize counterexample maj --network {MAJ3_NET}", "none: the network computes f"),
    ), {10: "a disagreeing row exists", 20: "the network computes f on every care row"}),
    "eval": Command("print the truth table(s) a saved network computes", _add_eval, (
        (f"realize eval {MAJ3_NET}", "y0: e8"),
        (f"realize eval {MAJ3_NET} --json", "the same as one JSON object"),
    ), {0: "the tables were printed"}),
    "encode": Command("write the question as DIMACS CNF or SMT-LIB2", _add_encode, (
        ("realize encode 96 --arch 3-2-1 -o xor3.cnf", "DIMACS CNF for any SAT solver"),
        ("realize encode e8 --arch 3-1 --format smt2 --real", "SMT-LIB2 over real weights, on stdout"),
    ), {0: "the question was written"}),
    "export": Command("write a saved network as BLIF, Verilog, AIGER or ONNX", _add_export, (
        (f"realize export {MAJ3_NET} --format blif", "BLIF on stdout (for ABC, yosys)"),
        (f"realize export {MAJ3_NET} -o maj3.aag", "ASCII AIGER, the format named by the suffix"),
    ), {0: "the network was written"}),
    "count": Command("how many functions does the architecture compute?", _add_count, (
        ("realize count --arch 3-2-1", "the count and the capacity in bits"),
        ("realize count --arch 4-2-1 --method and-pairs --json", "by a second method, as JSON"),
    ), {0: "the count was printed"}),
    "minimize": Command("the fewest threshold units that compute the function", _add_minimize, (
        ("realize minimize 96", "XOR3: 3 hidden units, the witness and the refutation of 2"),
        ("realize minimize parity --inputs 4 --skip", "fewest units in all, with skip connections"),
    ), {10: "the minimum was found", 20: "every size up to --max-units is refuted",
        0: "only a range (a time limit ran out)"}),
    "classify": Command("the minimum of every NPN class of n-input functions", _add_classify, (
        ("realize classify --inputs 3", "the 14 classes of 3 inputs, their minima and the totals"),
        ("realize classify --inputs 3 --skip --json", "units in all with skip connections, JSON"),
    ), {0: "the classification was printed"}),
    "survey": Command("the minimum of every NPN class of n inputs, into a store", _add_survey, (
        ("realize survey --inputs 4 --store npn4.sqlite --quiet",
         "the 222 classes of 4 inputs: minima, witnesses, refutations, counts"),
        ("realize survey --inputs 4 --store npn4.sqlite --summary --table npn4.csv.gz",
         "the summary again from the store, and the per-class table"),
    ), {0: "the survey ran, or its summary was printed"}),
    "suite": Command("run instance suites (JSON Lines) with hard time limits", _add_suite, (
        ("realize suite instances/smoke.jsonl --out results.jsonl --quiet",
         "16 classic questions; each result kept as it ends"),
        ("realize suite instances/smoke.jsonl --out results.jsonl --resume",
         "after a kill: run only what is missing"),
    ), {0: "no answer was wrong", 1: "some answer was wrong"}),
    "report": Command("summarize result files of 'realize suite'", _add_report, (
        ("realize report results.jsonl", "the summary again: statuses, categories, PAR-2"),
        ("realize report results.jsonl --csv results.csv", "also every record as CSV"),
        ("realize report results.jsonl --benchexec smoke.xml",
         "BenchExec result XML, for table-generator smoke.xml (and other tools' files)"),
    ), {0: "no answer was wrong", 1: "some answer was wrong"}),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: of every command in `COMMANDS`, or with ``command`` of that
    one only (`run` passes the command that argv names; an argv that names none, such as
    ``--help`` or an unknown word, gets them all). Each parser costs argparse about half a
    millisecond, most of it in gettext, so all of them were a good part of a small check."""
    parser = _Parser(
        prog="realize",
        description="Can a feedforward network of linear threshold units compute a Boolean "
                    "function? Exit codes: 10 realizable, 20 unrealizable, 0 unknown, "
                    "2 bad input, 1 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"realize {__version__}")
    # not required=True: run names the commands when none is given
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, spec in COMMANDS.items():
        if command is None or command == name:
            spec.add_arguments(sub.add_parser(name, help=spec.summary, epilog=spec.epilog(),
                                              formatter_class=argparse.RawDescriptionHelpFormatter))
    parser.set_defaults(commands=tuple(COMMANDS))
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is no option (the top level has only
    ``--help`` and ``--version``, which take no value), if that is a command; else None.

    >>> command_named(["check", "e8", "--arch", "3-1"]), command_named(["--version"])
    ('check', None)
    """
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def run(argv: Sequence[str] | None = None, parser_factory: Callable | None = None) -> int:
    """Run the command line; returns the exit code. The one error boundary (module docstring).

    ``parser_factory`` (no arguments) replaces `build_parser` of the command ``argv`` names."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv  # until the arguments are parsed (a usage error under --json)
    stdout = _GuardedStdout(sys.stdout)
    sys.stdout = stdout  # type: ignore[assignment]
    try:
        try:
            parser = build_parser(command_named(argv)) if parser_factory is None else parser_factory()
            args = parser.parse_args(argv)
            as_json = bool(getattr(args, "json", False))
            if getattr(args, "run", None) is None:
                names = ", ".join(getattr(args, "commands", ()))
                raise InputError(f"no command given (choose from {names}; see realize --help)")
            code = args.run(args)
            stdout.flush()
            return code
        except SystemExit:  # --help, --version: their text must reach a closed pipe's end too
            stdout.flush()
            raise
    except InputError as err:
        return _report(err, as_json and not stdout.failed)
    except VerificationError as err:
        _tell(f"realize: internal error: {_one_line(str(err))}")
        if as_json and not stdout.failed:
            _print_json({"error": _one_line(str(err)), "kind": "internal"})
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        _tell("realize: interrupted")
        return EXIT_INTERRUPTED
    except Exception as err:
        if not solver_interrupted(err):
            raise
        _tell("realize: interrupted")
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = stdout.stream
        if stdout.failed:
            _discard_stdout(stdout.stream)


def solver_interrupted(err: BaseException) -> bool:
    """Whether ``err`` is pysat's report of Ctrl-C during a solve it ran its own way (realize's
    solves hold SIGINT back and see `KeyboardInterrupt`; pysat's routines such as OptUx, the
    smallest certificate, catch SIGINT and raise their own error).

    >>> import pysolvers
    >>> solver_interrupted(pysolvers.error("Caught keyboard interrupt")), solver_interrupted(OSError())
    (True, False)
    """
    return type(err).__module__ == "pysolvers" and "keyboard interrupt" in str(err).lower()


def _one_line(message: str) -> str:
    return " ".join(message.splitlines()) or "(no message)"


def _print_json(payload: dict[str, Any]) -> None:
    with contextlib.suppress(OSError, EnvironmentFailure):
        print(json.dumps(payload), flush=True)


def _report(err: InputError, as_json: bool) -> int:
    """One line on stderr and, under --json, the error object on stdout; exit 2."""
    message = _one_line(str(err))
    if as_json:
        payload: dict[str, Any] = {"error": message, "kind": error_kind(err)}
        result = getattr(err, "result", None)
        if result is not None:
            payload["result"] = result
        _print_json(payload)
    _tell(f"realize: error: {message}")
    return EXIT_INPUT


def _discard_stdout(stream: TextIO) -> None:
    """After stdout failed: point the process's stdout at /dev/null, so that the interpreter's
    flush at exit has nowhere to fail ("Exception ignored ... BrokenPipeError")."""
    if stream is not sys.__stdout__:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main() -> None:
    # numpy's OpenBLAS starts a thread per core when numpy is imported, and those threads spin:
    # some 50 ms of CPU, and of wall time when another process keeps a core busy. realize
    # multiplies integer arrays only, which never reach BLAS, so one thread is all it needs; a
    # value the user set is kept. (Before the first import of numpy: the commands import lazily.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.exit(run())
